//! The looser shapes people publish dual times in, beside the table's `MON. DAY: TIME LABEL`:
//! a date once for every half (`Tuesday Jun 16: 2pm PT / 5pm ET`, `September 3 at 1:00 PM PT
//! / 22:00 SAST`), halves joined by `/`, `|`, `,`, `=`, ` or ` or a parenthesis, a later half
//! marked `(Sep 4)`, `(+1d)`, `next day` or by its weekday, ranges (`1-2pm PT`), `noon` and
//! `midnight`, `22h00`. Finds and reads the parts of one line; judges nothing and knows no
//! zones (the caller says which labels it knows).

use std::ops::Range;

use chrono::{NaiveTime, Timelike, Weekday};

use super::{Half, Mark, MonthStyle, Style};

/// A half found in a line, and which date it hangs on: halves with the same `group` were
/// written under one date, so they are one published time.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub(crate) half: Half,
    pub(crate) group: usize,
}

/// The date written once for the halves after it.
#[derive(Clone, Copy, Debug)]
struct Date {
    month: u32,
    day: u32,
    year: Option<i32>,
    style: MonthStyle,
    weekday: Option<Weekday>,
}

/// A clock as read: the time, whether it said am/pm, and whether it was `midnight`.
#[derive(Clone, Copy, Debug)]
struct Clock {
    hour: u32,
    minute: u32,
    meridiem: Option<bool>,
    marked: bool,
    midnight: bool,
    /// Minutes written (`6:00`), with `h` (`22h00`); the am/pm as written, space included.
    minutes: bool,
    h: bool,
    spelling: Option<(usize, usize)>,
    end: usize,
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// The weekday a word names: `Tue`, `Tues`, `Tuesday`, in any case.
pub(crate) fn weekday(word: &str) -> Option<Weekday> {
    let word = word.to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    WEEKDAYS
        .iter()
        .find(|(name, _)| name.starts_with(&word))
        .map(|(_, day)| *day)
}

/// The English name of a weekday, capitalised as a sentence writes it: `Tuesday`.
pub(crate) fn weekday_name(day: Weekday) -> String {
    let name = WEEKDAYS
        .iter()
        .find(|(_, d)| *d == day)
        .map_or("", |(name, _)| name);
    name.get(..1).unwrap_or("").to_ascii_uppercase() + name.get(1..).unwrap_or("")
}

/// Every half in `range` of `text` (one line) written in these shapes, in order. A half needs
/// a date before it on the line (or its own `(Sep 4)`), a clock and a label: a word in
/// capitals after a clock with minutes or am/pm, or a label the caller `knows`.
pub(crate) fn halves(text: &str, range: Range<usize>, known: impl Fn(&str) -> bool) -> Vec<Found> {
    let b = &text.as_bytes()[..range.end];
    let mut found: Vec<Found> = Vec::new();
    let mut date: Option<Date> = None;
    let mut date_used = false;
    let mut group = 0;
    let mut p = range.start;
    while p < b.len() {
        let starts_word =
            b[p].is_ascii_alphanumeric() && (p == range.start || !b[p - 1].is_ascii_alphanumeric());
        if starts_word {
            if let Some((half, end)) = half_at(text, b, p, &known, date, &found, group) {
                let own = half.mark == Mark::Own;
                let mut half = half;
                if !own && !date_used {
                    half.weekday = half.weekday.or(date.and_then(|d| d.weekday));
                }
                date_used |= !own;
                found.push(Found { half, group });
                p = end;
                continue;
            }
            if let Some((next, end)) = date_at(b, p) {
                date = Some(next);
                date_used = false;
                group += 1;
                p = end;
                continue;
            }
        }
        p += text[p..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

fn spaces(b: &[u8], from: usize) -> usize {
    from + b[from..]
        .iter()
        .take_while(|c| **c == b' ' || **c == b'\t')
        .count()
}

fn digits(b: &[u8], from: usize) -> usize {
    b[from..].iter().take_while(|c| c.is_ascii_digit()).count()
}

fn word(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count()
}

fn text_of(b: &[u8], range: Range<usize>) -> &str {
    std::str::from_utf8(&b[range]).unwrap_or("")
}

/// `Tuesday, June 16`, `Jun 16th, 2026`, `Wed Jun 10`, `2026-06-16`.
fn date_at(b: &[u8], start: usize) -> Option<(Date, usize)> {
    let mut p = start;
    let mut weekday_named = None;
    let w = word(b, p);
    if let Some(day) = weekday(text_of(b, p..p + w)) {
        weekday_named = Some(day);
        p += w;
        if b.get(p) == Some(&b'.') {
            p += 1;
        }
        if b.get(p) == Some(&b',') {
            p += 1;
        }
        p = spaces(b, p);
    }
    if digits(b, p) == 4 && b.get(p + 4) == Some(&b'-') {
        let iso = text_of(b, p..(p + 10).min(b.len()));
        let (month, day, year, style) = super::date(iso, 0..0).ok()?;
        return Some((
            Date {
                month,
                day,
                year,
                style,
                weekday: weekday_named,
            },
            p + 10,
        ));
    }
    let w = word(b, p);
    if !(3..=9).contains(&w) {
        return None;
    }
    let date_start = p;
    p += w;
    if b.get(p) == Some(&b'.') {
        p += 1;
    }
    p = spaces(b, p);
    let n = digits(b, p);
    if !(1..=2).contains(&n) {
        return None;
    }
    let day_end = p + n;
    let (month, day, _, style) = super::date(text_of(b, date_start..day_end), 0..0).ok()?;
    p = day_end;
    for suffix in ["st", "nd", "rd", "th"] {
        if b[p..].len() >= 2 && b[p..p + 2].eq_ignore_ascii_case(suffix.as_bytes()) {
            p += 2;
            break;
        }
    }
    if b.get(p).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    let mut year = None;
    let q = spaces(b, if b.get(p) == Some(&b',') { p + 1 } else { p });
    if digits(b, q) == 4
        && !b
            .get(q + 4)
            .is_some_and(|c| c.is_ascii_digit() || *c == b':')
    {
        year = text_of(b, q..q + 4).parse().ok();
        p = q + 4;
    }
    Some((
        Date {
            month,
            day,
            year,
            style,
            weekday: weekday_named,
        },
        p,
    ))
}

/// `5pm`, `5:00 PM`, `1:00 p.m.`, `22:00`, `22h00`, `noon`, `midnight`.
fn clock_at(b: &[u8], start: usize) -> Option<Clock> {
    let w = word(b, start);
    let named = text_of(b, start..start + w).to_ascii_lowercase();
    if named == "noon" || named == "midnight" {
        return Some(Clock {
            hour: if named == "noon" { 12 } else { 0 },
            minute: 0,
            meridiem: None,
            marked: true,
            midnight: named == "midnight",
            minutes: false,
            h: false,
            spelling: None,
            end: start + w,
        });
    }
    let n = digits(b, start);
    if !(1..=2).contains(&n) {
        return None;
    }
    let hour: u32 = text_of(b, start..start + n).parse().ok()?;
    let mut p = start + n;
    let mut minute = 0;
    let mut minutes = false;
    let h = b.get(p) == Some(&b'h');
    if matches!(b.get(p), Some(b':' | b'h')) && digits(b, p + 1) == 2 {
        minute = text_of(b, p + 1..p + 3).parse().ok()?;
        minutes = true;
        p += 3;
    }
    if b.get(p).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let q = spaces(b, p);
    let mut meridiem = None;
    let mut written = None;
    for (spelling, pm) in [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)] {
        let end = q + spelling.len();
        let Some(word) = b.get(q..end) else {
            continue;
        };
        let boundary = !b.get(end).is_some_and(u8::is_ascii_alphanumeric);
        if word.eq_ignore_ascii_case(spelling.as_bytes()) && boundary {
            meridiem = Some(pm);
            written = Some((p, end));
            p = end;
            break;
        }
    }
    if minute > 59 || (meridiem.is_some() && !(1..=12).contains(&hour)) || hour > 23 {
        return None;
    }
    Some(Clock {
        hour,
        minute,
        meridiem,
        marked: minutes || meridiem.is_some(),
        midnight: false,
        minutes,
        h: h && minutes,
        spelling: written,
        end: p,
    })
}

fn time_of(clock: Clock, meridiem: Option<bool>) -> Option<NaiveTime> {
    let hour = match meridiem {
        Some(pm) => clock.hour % 12 + if pm { 12 } else { 0 },
        None => clock.hour,
    };
    NaiveTime::from_hms_opt(hour, clock.minute, 0)
}

/// A half at `start`: `[Weekday] CLOCK[-CLOCK] LABEL [(+1d) | (Sep 4) | next day]`.
fn half_at(
    text: &str,
    b: &[u8],
    start: usize,
    known: &impl Fn(&str) -> bool,
    date: Option<Date>,
    before: &[Found],
    group: usize,
) -> Option<(Half, usize)> {
    let mut p = start;
    let w = word(b, p);
    let named_day = weekday(text_of(b, p..p + w)).filter(|_| w > 0);
    if named_day.is_some() {
        p = spaces(b, p + w);
        if b.get(p) == Some(&b',') {
            p = spaces(b, p + 1);
        }
    }
    let first = clock_at(b, p)?;
    p = first.end;
    let mut second = None;
    let q = spaces(b, p);
    let dash = if b.get(q) == Some(&b'-') {
        Some(q + 1)
    } else if b[q..].starts_with("\u{2013}".as_bytes()) {
        Some(q + 3)
    } else if b[q..].starts_with(b"to ") {
        Some(q + 2)
    } else {
        None
    };
    if let Some(after) = dash
        && let Some(end_clock) = clock_at(b, spaces(b, after))
    {
        second = Some(end_clock);
        p = end_clock.end;
    }
    let label_start = spaces(b, p);
    if label_start == p {
        return None;
    }
    let mut label_end = label_start
        + b[label_start..]
            .iter()
            .take_while(|c| super::is_label_byte(**c))
            .count();
    while label_end > label_start && matches!(b[label_end - 1], b'+' | b'-') {
        label_end -= 1;
    }
    if label_end == label_start {
        return None;
    }
    let label = &text[label_start..label_end];
    let capitals = label.len() >= 2
        && label.starts_with(|c: char| c.is_ascii_uppercase())
        && !label.contains(|c: char| c.is_ascii_lowercase());
    let marked = first.marked || second.is_some_and(|c| c.marked);
    if !(known(label) || (capitals && marked)) {
        return None;
    }
    // `1-2pm`: the start takes the end's am/pm, unless that would put it after the end.
    let start_meridiem = first.meridiem.or_else(|| {
        let pm = second?.meridiem?;
        let same = time_of(first, Some(pm))?;
        let end = time_of(second?, Some(pm))?;
        Some(if same <= end { pm } else { !pm })
    });
    let time = time_of(first, start_meridiem)?;
    let end_time = match second {
        Some(clock) => Some(time_of(clock, clock.meridiem)?),
        None => None,
    };
    let mut end = label_end;
    let mut mark = None;
    let q = spaces(b, end);
    let rest = &text[q..b.len()];
    let lower = rest.to_ascii_lowercase();
    let mut own: Option<Date> = None;
    for (spelling, days) in [
        ("(+1d)", 1),
        ("(+1 day)", 1),
        ("(+1)", 1),
        ("(next day)", 1),
        ("next day", 1),
        ("(+2d)", 2),
    ] {
        if lower.starts_with(spelling) {
            mark = Some(Mark::Later(days));
            end = q + spelling.len();
            break;
        }
    }
    if mark.is_none()
        && b.get(q) == Some(&b'(')
        && let Some((written, after)) = date_at(b, q + 1)
        && b.get(after) == Some(&b')')
    {
        own = Some(written);
        end = after + 1;
    }
    let twelve_hour = first.meridiem.is_some() || second.is_some_and(|c| c.meridiem.is_some());
    let base = own.or(date)?;
    let mark = if own.is_some() {
        Mark::Own
    } else if let Some(mark) = mark {
        mark
    } else if named_day.is_some() {
        Mark::Weekday
    } else if first.midnight
        && before
            .last()
            .is_some_and(|f| f.group == group && f.half.time.hour() >= 12)
    {
        Mark::Later(1)
    } else {
        Mark::Shared
    };
    Some((
        Half {
            month: base.month,
            day: base.day,
            year: base.year,
            time,
            label: label.to_owned(),
            range: start..label_end,
            style: Style {
                month: base.style,
                twelve_hour,
            },
            end: end_time,
            weekday: named_day.or(own.and_then(|d| d.weekday)),
            mark,
            clock_form: super::ClockForm {
                minutes: first.minutes,
                pm: first
                    .spelling
                    .or_else(|| second.and_then(|c| c.spelling))
                    .map(|(from, to)| text[from..to].replace('a', "p").replace('A', "P"))
                    // `noon` and `midnight` are 12-hour words.
                    .or_else(|| {
                        (first.meridiem.is_none()
                            && !first.minutes
                            && first.hour % 12 == 0
                            && first.marked)
                            .then(|| "pm".to_owned())
                    }),
                h: first.h,
            },
        },
        end,
    ))
}

/// Whether every half of `found` hangs on one date: one published time.
pub(crate) fn one_time(found: &[Found]) -> bool {
    found.len() > 1 && found.iter().all(|f| f.group == found[0].group)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, Mark, NaiveTime)> {
        halves(text, 0..text.len(), |l| {
            ["PT", "ET", "CT", "IST", "UTC", "Z", "+0530", "UTC+8"].contains(&l)
        })
        .into_iter()
        .map(|f| {
            (
                text[f.half.range.clone()].to_owned(),
                f.half.mark,
                f.half.time,
            )
        })
        .collect()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn a_date_written_once_serves_every_half() {
        let found = read("Office hours, Tuesday Jun 16: 2pm PT / 5pm ET");
        assert_eq!(
            found,
            [
                ("2pm PT".into(), Mark::Shared, t(14, 0)),
                ("5pm ET".into(), Mark::Shared, t(17, 0))
            ]
        );
        let found = read("September 3 at 1:00 PM PT / 22:00 SAST");
        assert_eq!(found[1], ("22:00 SAST".into(), Mark::Shared, t(22, 0)));
        let found = read("Wed Jun 10 at 6:00 PM ET (3:00 PM PT / 5:00 PM CT)");
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn later_days_are_marked_in_every_way() {
        let found = read("Jun 16: 12:00pm PT / 2:00pm CT / 3:00pm ET / 12:30am IST (+1d)");
        assert_eq!(found[3].1, Mark::Later(1));
        let found = read("Sep 3: 7pm PT or 3am UTC next day");
        assert_eq!(found[1].1, Mark::Later(1));
        let found = read("Sat Sep 3: 7pm PT / Sunday 3am UTC");
        assert_eq!(found[1].1, Mark::Weekday);
        let found = read("Sep 3: 7pm PT = 2am UTC (Sep 4)");
        assert_eq!(found[1].1, Mark::Own);
        let found = read("Sep 3: 9pm PT | midnight ET");
        assert_eq!(found[1], ("midnight ET".into(), Mark::Later(1), t(0, 0)));
    }

    #[test]
    fn clocks_are_read_as_people_write_them() {
        for (text, want) in [
            ("Jun 1: noon PT", t(12, 0)),
            ("Jun 1: 12pm PT", t(12, 0)),
            ("Jun 1: 1 PM PT", t(13, 0)),
            ("Jun 1: 1:00 p.m. PT", t(13, 0)),
            ("Jun 1: 22h00 UTC", t(22, 0)),
            ("Jun 1: 22:00 Z", t(22, 0)),
            ("Jun 1: 5pm UTC+8", t(17, 0)),
            ("Jun 1: 5pm +0530", t(17, 0)),
        ] {
            assert_eq!(read(text)[0].2, want, "{text}");
        }
    }

    #[test]
    fn a_range_keeps_both_ends() {
        let text = "Jun 1: 1-2pm PT / 8-9PM GMT";
        let found = halves(text, 0..text.len(), |l| l == "PT");
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].half.time, found[0].half.end),
            (t(13, 0), Some(t(14, 0)))
        );
        assert_eq!(found[1].half.end, Some(t(21, 0)));
    }

    #[test]
    fn a_suggested_clock_is_written_as_the_author_wrote_theirs() {
        let five = t(17, 0);
        for (text, want) in [
            ("Jun 1: 6pm PT", "5pm"),
            ("Jun 1: 6:00 PM PT", "5:00 PM"),
            ("Jun 1: 6 p.m. PT", "5 p.m."),
            ("Jun 1: 18:00 PT", "17:00"),
            ("Jun 1: 18h00 PT", "17h00"),
            ("Jun 1: noon PT", "5pm"),
        ] {
            let found = halves(text, 0..text.len(), |l| l == "PT");
            assert_eq!(found[0].half.clock_form.write(five), want, "{text}");
        }
    }

    #[test]
    fn prose_is_not_a_time() {
        assert!(read("Jun 3: 5pm in the lab, or 6 if late").is_empty());
        assert!(read("meet at 5pm PT").is_empty());
    }
}
