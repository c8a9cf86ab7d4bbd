//! Published times as people write them: `APR. 15: 5:00pm PST, APR. 16: 8:00am BJT`. The one
//! home of their grammar: a half is a date, a clock time and a zone label, and each part is
//! read here, whether the text is the `time:` field of schedule.yaml (`halves`) or a page in
//! which times are found among other words (`page`). Knows nothing about zones beyond their
//! labels, and nothing about YAML (positions are byte ranges within the text it is given).
//!
//! A new shape of half (a date once for several halves, a range, `noon`) is a new way of
//! finding the parts; the parts are still read by `date`, `clock` and `is_label`, and a half
//! is still made by `assemble`.

pub(crate) mod page;
pub(crate) mod shapes;
pub(crate) mod visible;

use std::ops::Range;

use chrono::{NaiveDate, NaiveTime, Timelike, Weekday};

use crate::source::Span;

/// One half of a published time, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Half {
    pub(crate) month: u32,
    pub(crate) day: u32,
    /// Present only when the text names a year (`2024-04-15`).
    pub(crate) year: Option<i32>,
    pub(crate) time: NaiveTime,
    pub(crate) label: String,
    /// Where this half is in the parsed text.
    pub(crate) range: Range<usize>,
    pub(crate) style: Style,
    /// The end of a range (`1-2pm PT`), on the same day as the start or the next.
    pub(crate) end: Option<NaiveTime>,
    /// A weekday written beside the date or the time (`Tuesday Jun 16`, `Sunday 3am UTC`).
    pub(crate) weekday: Option<Weekday>,
    /// How the half's date was given.
    pub(crate) mark: Mark,
    /// How the clock was written (`6pm`, `6:00 PM`, `18h00`), for a fix in the same shape.
    pub(crate) clock_form: ClockForm,
}

/// How a clock was written in the looser shapes, so a suggested time reads like it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) struct ClockForm {
    /// Written with minutes even on the hour (`6:00pm`), or only the hour (`6pm`).
    pub(crate) minutes: bool,
    /// The am/pm as written after the time for pm (`pm`, ` PM`, ` p.m.`); none for 24-hour.
    pub(crate) pm: Option<String>,
    /// `22h00` rather than `22:00`.
    pub(crate) h: bool,
}

impl ClockForm {
    /// `time` written the way this clock was.
    pub(crate) fn write(&self, time: NaiveTime) -> String {
        let Some(pm) = &self.pm else {
            let sep = if self.h { "h" } else { ":" };
            return format!("{:02}{sep}{:02}", time.hour(), time.minute());
        };
        let (is_pm, hour) = time.hour12();
        let meridiem = if is_pm {
            pm.clone()
        } else {
            pm.replace('p', "a").replace('P', "A")
        };
        if self.minutes || time.minute() != 0 {
            format!("{hour}:{:02}{meridiem}", time.minute())
        } else {
            format!("{hour}{meridiem}")
        }
    }
}

/// How a half's date was given: its own, or shared with the halves before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Mark {
    /// Written in the half (`APR. 15: 5:00pm PST`, or `(Sep 4)` after it).
    #[default]
    Own,
    /// Written once for every half (`Tuesday Jun 16: 2pm PT / 5pm ET`); `month` and `day`
    /// are that date.
    Shared,
    /// The shared date and some days more: `(+1d)`, `next day`, or a `midnight` that follows
    /// an evening half.
    Later(u32),
    /// The day of `weekday` next to the shared date (`7pm PT / Sunday 3am UTC`).
    Weekday,
}

/// How a half was written, so that a suggested fix reads like the original.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct Style {
    pub(crate) month: MonthStyle,
    pub(crate) twelve_hour: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum MonthStyle {
    /// `APR. 15`, as in the published table.
    #[default]
    UpperDot,
    /// `Apr 15`
    Short,
    /// `April 15`
    Long,
    /// `2024-04-15`
    Iso,
}

/// Why a piece of text is not a published time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) help: String,
    pub(crate) range: Range<usize>,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether a time field means "not scheduled yet".
pub(crate) fn is_undated(text: &str) -> bool {
    let text = text.trim();
    text.is_empty() || text.eq_ignore_ascii_case("tbd") || text.eq_ignore_ascii_case("tba")
}

/// Parses `APR. 15: 5:00pm PST, APR. 16: 8:00am BJT` into its halves.
pub(crate) fn halves(text: &str) -> Result<Vec<Half>, Problem> {
    let mut halves = Vec::new();
    let mut start = 0;
    for piece in text.split(',') {
        let range = start..start + piece.len();
        start = range.end + 1;
        if piece.trim().is_empty() {
            // Tables often end the time cell with a comma before the Zoom link.
            continue;
        }
        halves.push(half(text, trimmed(text, range))?);
    }
    if halves.is_empty() {
        return Err(Problem {
            code: "invalid-time",
            message: "the time is empty".into(),
            help: "write the time as published, e.g. \"APR. 15: 5:00pm PDT, APR. 16: 8:00am BJT\", or TBD".into(),
            range: 0..text.len(),
        });
    }
    Ok(halves)
}

fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let piece = &text[range.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    range.start + lead..range.end - trail
}

/// Parses one half, `APR. 15: 5:00pm PST`, found at `range` of `text`.
fn half(text: &str, range: Range<usize>) -> Result<Half, Problem> {
    let piece = &text[range.clone()];
    let invalid = |message: String| Problem {
        code: "invalid-time",
        message,
        help: "write each half as `MON. DAY: H:MMam LABEL`, e.g. `APR. 15: 5:00pm PDT`".into(),
        range: range.clone(),
    };
    // The date ends at the first colon that follows a digit of the day.
    let Some(colon) = piece.find(':') else {
        return Err(invalid(format!(
            "`{piece}` has no `:` between date and time"
        )));
    };
    let date_at = trimmed(text, range.start..range.start + colon);
    // Checked before the time, so that a date without `:` after it is named as such.
    date(&text[date_at.clone()], date_at.clone())?;
    let rest = trimmed(text, range.start + colon + 1..range.end);
    let rest_text = &text[rest.clone()];
    let Some(split) = rest_text.rfind(char::is_whitespace) else {
        return Err(invalid(format!(
            "`{piece}` has no zone label after the time"
        )));
    };
    let clock_at = trimmed(text, rest.start..rest.start + split);
    let label_at = trimmed(text, rest.start + split..rest.end);
    let label = &text[label_at.clone()];
    if !is_label(label) {
        return Err(invalid(format!("`{label}` is not a zone label")));
    }
    assemble(text, date_at, clock_at, label_at, range)
}

/// Whether a word can be a zone label: letters, digits, `+` and `-` (`PST`, `UTC+8`), in
/// any case. Which zone it names is for the caller (`calendar.zones`, `--zone`).
pub(crate) fn is_label(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(is_label_byte)
}

/// Whether a byte can be part of a zone label.
pub(crate) fn is_label_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'+' || byte == b'-'
}

/// The ways am and pm are written after a clock time, in any case.
pub(crate) const MERIDIEMS: [&str; 4] = ["am", "pm", "a.m.", "p.m."];

/// A half from its parts, each a range of `text`: the one place a half is made, whichever
/// way its parts were found.
pub(crate) fn assemble(
    text: &str,
    date_at: Range<usize>,
    clock_at: Range<usize>,
    label_at: Range<usize>,
    range: Range<usize>,
) -> Result<Half, Problem> {
    let (month, day, year, month_style) = date(&text[date_at.clone()], date_at)?;
    let (time, twelve_hour) = clock(&text[clock_at.clone()], clock_at)?;
    Ok(Half {
        month,
        day,
        year,
        time,
        label: text[label_at].to_owned(),
        range,
        style: Style {
            month: month_style,
            twelve_hour,
        },
        end: None,
        weekday: None,
        mark: Mark::Own,
        clock_form: ClockForm::default(),
    })
}

/// Parses `APR. 15`, `Apr 15`, `April 15` or `2024-04-15`.
pub(crate) fn date(
    text: &str,
    range: Range<usize>,
) -> Result<(u32, u32, Option<i32>, MonthStyle), Problem> {
    if let Ok(iso) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        use chrono::Datelike;
        return Ok((iso.month(), iso.day(), Some(iso.year()), MonthStyle::Iso));
    }
    let word_end = text
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let word = &text[..word_end];
    let after = text[word_end..].trim_start();
    let (dot, after) = match after.strip_prefix('.') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, after),
    };
    let Some(month) = month_number(word) else {
        return Err(Problem {
            code: "unknown-month",
            message: format!("`{word}` is not a month"),
            help: "write the month as JAN., FEB., ... DEC. (or a full English month name)".into(),
            range,
        });
    };
    let digits_end = after
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(after.len());
    let (digits, trailing) = after.split_at(digits_end);
    if digits.is_empty() {
        return Err(Problem {
            code: "invalid-time",
            message: format!("`{text}` has no day of the month"),
            help: "write the date as `APR. 15`".into(),
            range,
        });
    }
    if !trailing.trim().is_empty() {
        return Err(Problem {
            code: "invalid-time",
            message: format!("`{text}` is not a date"),
            help: "write a `:` between the date and the time, as in `JAN. 22: 5:00pm PST`".into(),
            range,
        });
    }
    let day = digits.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
    let Some(day) = day else {
        return Err(Problem {
            code: "impossible-date",
            message: format!("`{text}` is not a day of any month"),
            help: "days of the month run from 1 to 31".into(),
            range,
        });
    };
    let style = if word.chars().all(|c| c.is_ascii_uppercase()) && dot {
        MonthStyle::UpperDot
    } else if word.len() > 3 && !word.eq_ignore_ascii_case("sept") {
        MonthStyle::Long
    } else {
        MonthStyle::Short
    };
    Ok((month, day, None, style))
}

fn month_number(word: &str) -> Option<u32> {
    let word = word.to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    let word = if word == "sept" {
        "sep".to_owned()
    } else {
        word
    };
    let index = MONTHS.iter().position(|name| name.starts_with(&word))?;
    u32::try_from(index + 1).ok()
}

/// Parses `5:00pm`, `5pm`, `5:00 PM`, `17:00`.
pub(crate) fn clock(text: &str, range: Range<usize>) -> Result<(NaiveTime, bool), Problem> {
    let invalid = |message: String, help: &str| Problem {
        code: "invalid-time",
        message,
        help: help.into(),
        range: range.clone(),
    };
    let lower = text.to_ascii_lowercase().replace([' ', '.'], "");
    let (digits, meridiem) = if let Some(d) = lower.strip_suffix("am") {
        (d, Some(false))
    } else if let Some(d) = lower.strip_suffix("pm") {
        (d, Some(true))
    } else {
        (lower.as_str(), None)
    };
    let (hour, minute) = match digits.split_once(':') {
        Some((h, m)) if m.len() == 2 => (h.parse::<u32>().ok(), m.parse::<u32>().ok()),
        Some(_) => (None, None),
        None => (digits.parse::<u32>().ok(), Some(0)),
    };
    let (Some(hour), Some(minute)) = (hour, minute) else {
        return Err(invalid(
            format!("`{text}` is not a time of day"),
            "write the time as 5:00pm or 17:00",
        ));
    };
    if minute > 59 {
        return Err(invalid(
            format!("`{text}` has {minute} minutes"),
            "minutes run from 00 to 59",
        ));
    }
    let hour = match meridiem {
        Some(pm) if (1..=12).contains(&hour) => hour % 12 + if pm { 12 } else { 0 },
        Some(_) => {
            return Err(invalid(
                format!("`{text}` mixes a {hour} o'clock hour with am/pm"),
                "with am/pm the hour runs from 1 to 12; or write 24-hour time such as 13:00",
            ));
        }
        None if hour < 24 => hour,
        None => {
            return Err(invalid(
                format!("`{text}` is not a time of day"),
                "24-hour times run from 00:00 to 23:59; midnight at the end of a day is 00:00 of the next",
            ));
        }
    };
    let time = NaiveTime::from_hms_opt(hour, minute, 0).ok_or_else(|| {
        invalid(
            format!("`{text}` is not a time of day"),
            "write the time as 5:00pm or 17:00",
        )
    })?;
    Ok((time, meridiem.is_some()))
}

/// Writes a date and time the way `style` wrote its half: `APR. 16: 8:00am BJT`.
pub(crate) fn format(date: NaiveDate, time: NaiveTime, label: &str, style: Style) -> String {
    use chrono::Datelike;
    let name = MONTHS[date.month0() as usize];
    let day = date.day();
    let date_text = match style.month {
        MonthStyle::UpperDot => format!("{}. {day}", name[..3].to_ascii_uppercase()),
        MonthStyle::Short => format!("{}{} {day}", name[..1].to_ascii_uppercase(), &name[1..3]),
        MonthStyle::Long => format!("{}{} {day}", name[..1].to_ascii_uppercase(), &name[1..]),
        MonthStyle::Iso => date.format("%Y-%m-%d").to_string(),
    };
    format!(
        "{date_text}: {} {label}",
        clock_text(time, style.twelve_hour)
    )
}

/// `5:00pm` or `17:00`.
pub(crate) fn clock_text(time: NaiveTime, twelve_hour: bool) -> String {
    if twelve_hour {
        let (pm, hour) = time.hour12();
        format!(
            "{hour}:{:02}{}",
            time.minute(),
            if pm { "pm" } else { "am" }
        )
    } else {
        time.format("%H:%M").to_string()
    }
}

/// A half with its place in the source file.
#[derive(Clone, Debug)]
pub(crate) struct Located {
    pub(crate) half: Half,
    pub(crate) span: Span,
    /// Where the zone label is, for problems with the label alone.
    pub(crate) label_span: Span,
    /// Written as a `{date, time, zone}` map rather than as text.
    pub(crate) structured: bool,
}

impl Located {
    /// A half found in text at `span`; its label is the last word.
    pub(crate) fn in_text(half: Half, span: Span) -> Self {
        let label_span = if span.end - span.start >= half.label.len() {
            Span::new(span.end - half.label.len(), span.end)
        } else {
            span
        };
        Located {
            half,
            span,
            label_span,
            structured: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn a_pasted_table_cell_gives_both_halves_with_their_places() {
        let text = "APR. 15: 5:00pm PST, APR. 2: 8:00am BJT";
        let halves = halves(text).unwrap();
        assert_eq!(halves.len(), 2);
        assert_eq!(
            (halves[0].month, halves[0].day, halves[0].time),
            (4, 15, t(17, 0))
        );
        assert_eq!(halves[0].label, "PST");
        assert_eq!(&text[halves[1].range.clone()], "APR. 2: 8:00am BJT");
        assert_eq!((halves[1].day, halves[1].time), (2, t(8, 0)));
    }

    #[test]
    fn times_are_read_in_every_common_spelling() {
        for (text, want) in [
            ("5pm", t(17, 0)),
            ("5:30 PM", t(17, 30)),
            ("12:00am", t(0, 0)),
            ("12:15pm", t(12, 15)),
            ("17:00", t(17, 0)),
            ("0:05", t(0, 5)),
        ] {
            assert_eq!(clock(text, 0..text.len()).unwrap().0, want, "{text}");
        }
    }

    #[test]
    fn impossible_clock_times_are_refused() {
        for text in ["13:00pm", "24:00", "5:60pm", "0am", "noon"] {
            let problem = clock(text, 0..text.len()).unwrap_err();
            assert_eq!(problem.code, "invalid-time", "{text}");
        }
    }

    #[test]
    fn months_are_read_abbreviated_dotted_or_in_full() {
        for (text, month) in [
            ("JAN. 22", 1),
            ("Sept 9", 9),
            ("September 9", 9),
            ("may 6", 5),
        ] {
            assert_eq!(date(text, 0..text.len()).unwrap().0, month, "{text}");
        }
        assert_eq!(date("FOO. 3", 0..6).unwrap_err().code, "unknown-month");
        assert_eq!(date("2024-12-31", 0..10).unwrap().2, Some(2024));
        assert_eq!(date("FEB. 32", 0..7).unwrap_err().code, "impossible-date");
        assert!(
            date("JAN. 22 5", 0..9)
                .unwrap_err()
                .help
                .contains("a `:` between")
        );
    }

    #[test]
    fn a_fix_is_written_in_the_style_of_the_original() {
        let date = NaiveDate::from_ymd_opt(2024, 4, 16).unwrap();
        let upper = Style {
            month: MonthStyle::UpperDot,
            twelve_hour: true,
        };
        assert_eq!(format(date, t(8, 0), "BJT", upper), "APR. 16: 8:00am BJT");
        let iso = Style {
            month: MonthStyle::Iso,
            twelve_hour: false,
        };
        assert_eq!(format(date, t(8, 0), "BJT", iso), "2024-04-16: 08:00 BJT");
    }

    #[test]
    fn tbd_means_undated() {
        assert!(is_undated(" TBD "));
        assert!(!is_undated("APR. 1: 5pm PST"));
    }
}
