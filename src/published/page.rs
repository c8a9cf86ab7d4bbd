//! Finds published times (`APR. 15: 5:00pm PST, APR. 16: 8:00am BJT`) among the other words of
//! a page (plain text, markdown or HTML, as `visible` reads it) and keeps where each half is.
//! Finds where a half's parts are; reading them is the grammar's (`published`), the same
//! for a page as for the `time:` field. Judges nothing (that is `check::time`'s job) and knows
//! no zones: the caller says which labels it knows and which name the same zone.

use std::ops::Range;

use super::Located;
use super::visible::Visible;
use crate::error::Error;
use crate::published::{self, Half, Problem, shapes};

/// Years a document may name: the range the rest of the tool schedules in.
pub(crate) const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// The most characters between two halves of one published time (`, <br> `, ` / `).
const MAX_GAP: usize = 40;

/// The most halves one published time has; more in a row are several times.
const MAX_HALVES: usize = 12;

/// A piece of text shaped like one half of a published time, read or not.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub(crate) half: Result<Half, Problem>,
    /// Where it is in the visible text.
    pub(crate) range: Range<usize>,
    /// Halves written under one date (`Jun 16: 2pm PT / 5pm ET`) share a number: they are
    /// one published time whatever the words between them (`(+1d) or`).
    pub(crate) together: Option<usize>,
}

impl Found {
    /// The half with its place in the file.
    pub(crate) fn located(&self, visible: &Visible) -> Option<Located> {
        let half = self.half.as_ref().ok()?.clone();
        Some(Located::in_text(half, visible.span(self.range.clone())))
    }
}

/// Every piece of the visible text shaped like `MON. DAY: TIME LABEL` (or `2024-04-15: ...`),
/// in order. On a page a time is told from prose by its label: a word in capitals after a
/// clock with minutes or am/pm (`5:00pm PST`, `17:00 UTC+8`), or a label the caller `knows`
/// in any case and after any clock (`5pm pst`, `17 PST`). So "May 3: 5pm in the lab" is not
/// taken for a time.
///
/// A line in which the looser shapes (`published::shapes`) find a published time is read in
/// those shapes instead.
pub(crate) fn halves(text: &str, known: impl Fn(&str) -> bool) -> Vec<Found> {
    let mut table = table_halves(text, &known).into_iter().peekable();
    let mut found = Vec::new();
    let mut start = 0;
    let mut groups = 0;
    for line in text.split_inclusive('\n') {
        let range = start..start + line.len();
        start = range.end;
        let loose = shapes::halves(text, range.clone(), &known);
        // Groups number the dates of the line in order, so a time is two neighbours alike.
        let times = loose.windows(2).any(|w| w[0].group == w[1].group);
        let in_line: Vec<Found> =
            std::iter::from_fn(|| table.next_if(|f| f.range.start < range.end)).collect();
        if times {
            let last = loose.last().map_or(0, |f| f.group);
            found.extend(loose.into_iter().map(|f| Found {
                range: f.half.range.clone(),
                together: Some(groups + f.group),
                half: Ok(f.half),
            }));
            groups += last + 1;
        } else {
            found.extend(in_line);
        }
    }
    found
}

/// The halves in the table's shape, `MON. DAY: TIME LABEL`.
fn table_halves(text: &str, known: impl Fn(&str) -> bool) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word =
            bytes[i].is_ascii_alphanumeric() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        if starts_word
            && let Some(shape) = shape(bytes, i)
            && shape.is_time(text, &known)
            && let Some(half) = read(text, &shape)
        {
            found.push(Found {
                half,
                range: i..shape.end,
                together: None,
            });
            i = shape.end;
            continue;
        }
        i += 1;
    }
    found
}

/// The parts of a time-shaped piece of text, as byte ranges.
struct Shape {
    date: Range<usize>,
    clock: Range<usize>,
    label: Range<usize>,
    end: usize,
    /// The clock has minutes or am/pm: `5:00`, `5pm`, not a bare `5`.
    clock_marked: bool,
}

impl Shape {
    /// Whether the label makes this a time rather than prose (see `halves`).
    fn is_time(&self, text: &str, known: impl Fn(&str) -> bool) -> bool {
        let label = &text[self.label.clone()];
        let capitals = label.len() >= 2
            && label.starts_with(|c: char| c.is_ascii_uppercase())
            && !label.contains(|c: char| c.is_ascii_lowercase());
        (self.clock_marked && capitals) || known(label)
    }
}

fn shape(b: &[u8], start: usize) -> Option<Shape> {
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let spaces = |from: usize| {
        from + b[from..]
            .iter()
            .take_while(|c| **c == b' ' || **c == b'\t')
            .count()
    };
    let mut p = start;
    let iso = digits(p) == 4
        && b.get(p + 4) == Some(&b'-')
        && digits(p + 5) == 2
        && b.get(p + 7) == Some(&b'-')
        && digits(p + 8) == 2;
    if iso {
        p += 10;
    } else {
        let word = b[p..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        if !(3..=9).contains(&word) {
            return None;
        }
        p += word;
        if b.get(p) == Some(&b'.') {
            p += 1;
        }
        p = spaces(p);
        let day = digits(p);
        if !(1..=2).contains(&day) {
            return None;
        }
        p += day;
    }
    let date = start..p;
    p = spaces(p);
    if b.get(p) != Some(&b':') {
        return None;
    }
    p = spaces(p + 1);
    let clock_start = p;
    let hour = digits(p);
    if !(1..=2).contains(&hour) {
        return None;
    }
    p += hour;
    let minutes = b.get(p) == Some(&b':') && digits(p + 1) == 2;
    if minutes {
        p += 3;
    }
    let q = spaces(p);
    let meridiem = published::MERIDIEMS.iter().find_map(|m| {
        let end = q + m.len();
        let word = b.get(q..end)?;
        let boundary = !b.get(end).is_some_and(|c| c.is_ascii_alphanumeric());
        (word.eq_ignore_ascii_case(m.as_bytes()) && boundary).then_some(end)
    });
    if let Some(end) = meridiem {
        p = end;
    }
    let clock = clock_start..p;
    let label_start = spaces(p);
    if label_start == p {
        return None;
    }
    let mut end = label_start
        + b[label_start..]
            .iter()
            .take_while(|c| published::is_label_byte(**c))
            .count();
    while end > label_start && matches!(b[end - 1], b'+' | b'-') {
        end -= 1;
    }
    if end == label_start {
        return None;
    }
    Some(Shape {
        date,
        clock,
        label: label_start..end,
        end,
        clock_marked: minutes || meridiem.is_some(),
    })
}

/// Reads a time-shaped piece with the grammar: a half, or why it is not one. `None` when the
/// first word is not a month after all.
fn read(text: &str, shape: &Shape) -> Option<Result<Half, Problem>> {
    let date = &text[shape.date.clone()];
    if let Err(problem) = published::date(date, shape.date.clone())
        && problem.code == "unknown-month"
    {
        return None;
    }
    Some(published::assemble(
        text,
        shape.date.clone(),
        shape.clock.clone(),
        shape.label.clone(),
        shape.date.start..shape.end,
    ))
}

/// Gathers halves into published times: halves written one after another, with only
/// separators between (`, `, `<br>`, ` / `, table pipes), each in a different zone.
/// `zone_key` says which zone a label is in; a zone met again starts a new time, so rows of a
/// one-zone list are not paired with each other. A piece that did not read stands alone.
pub(crate) fn group(
    found: Vec<Found>,
    text: &str,
    zone_key: impl Fn(&str) -> String,
) -> Vec<Vec<Found>> {
    let mut groups: Vec<Vec<Found>> = Vec::new();
    let mut current: Vec<Found> = Vec::new();
    for next in found {
        let joins = match (current.last(), &next.half) {
            (Some(last), Ok(half)) if last.half.is_ok() => {
                let between = text.get(last.range.end..next.range.start).unwrap_or("x");
                let key = zone_key(&half.label);
                let together = last.together.is_some() && last.together == next.together;
                current.len() < MAX_HALVES
                    && (together || separators_only(between))
                    && !current
                        .iter()
                        .any(|f| f.half.as_ref().is_ok_and(|h| zone_key(&h.label) == key))
            }
            _ => false,
        };
        if !joins && !current.is_empty() {
            groups.push(std::mem::take(&mut current));
        }
        current.push(next);
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

fn separators_only(between: &str) -> bool {
    between.chars().count() <= MAX_GAP
        && between
            .chars()
            .all(|c| c.is_whitespace() || ",;/|()[]-=&\u{2013}\u{2014}".contains(c))
}

/// The year of a page's dates: `given` (`--year`), else the one the page names (`year`);
/// a year outside `YEARS` is refused.
pub(crate) fn given_or_named_year(given: Option<i32>, text: &str) -> Result<Option<i32>, Error> {
    match given.or_else(|| year(text)) {
        Some(year) if YEARS.contains(&year) => Ok(Some(year)),
        Some(year) => Err(Error::YearOutOfRange {
            year,
            first: *YEARS.start(),
            last: *YEARS.end(),
        }),
        None => Ok(None),
    }
}

/// The year a document gives its dates: a `date:` in its front matter, else the first ISO
/// date (`2024-01-22`) that is not part of a link, else a year in its title or a heading.
pub(crate) fn year(text: &str) -> Option<i32> {
    let (front, body) = front_matter(text);
    let field = |name: &str| {
        front.lines().find_map(|line| {
            let rest = line.trim_start().strip_prefix(name)?;
            let value = rest.trim_start().strip_prefix([':', '='])?;
            Some(value.trim().trim_matches(['"', '\'']).to_owned())
        })
    };
    if let Some(year) = field("date").and_then(|d| iso_year(d.get(..10)?)) {
        return Some(year);
    }
    for line in body.lines() {
        if let Some(year) = iso_date_in(line) {
            return Some(year);
        }
    }
    let titles = field("title").into_iter().chain(
        body.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .map(str::to_owned),
    );
    for title in titles {
        let found = title
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse::<i32>().ok().filter(|_| w.len() == 4))
            .find(|y| YEARS.contains(y));
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The years in `YEARS` in which every `(month, day, weekday)` holds: the weekdays written
/// beside dates can leave one year only.
pub(crate) fn years_of_weekdays(dates: &[(u32, u32, chrono::Weekday)]) -> Vec<i32> {
    use chrono::Datelike;
    if dates.is_empty() {
        return Vec::new();
    }
    YEARS
        .filter(|year| {
            dates.iter().all(|(month, day, weekday)| {
                chrono::NaiveDate::from_ymd_opt(*year, *month, *day)
                    .is_some_and(|d| d.weekday() == *weekday)
            })
        })
        .collect()
}

/// What a document calls itself: the `title` of its front matter, else its first heading.
pub(crate) fn title(text: &str) -> Option<String> {
    let (front, body) = front_matter(text);
    let from_front = front.lines().find_map(|line| {
        let rest = line.trim_start().strip_prefix("title")?;
        let value = rest.trim_start().strip_prefix([':', '='])?;
        Some(value.trim().trim_matches(['"', '\'']).trim().to_owned())
    });
    let from_heading = || {
        body.lines()
            .map(str::trim)
            .find(|l| l.starts_with("# "))
            .map(|l| l.trim_start_matches('#').trim().to_owned())
    };
    from_front
        .filter(|t| !t.is_empty())
        .or_else(from_heading)
        .filter(|t| !t.is_empty())
}

/// The front matter (between `---` or `+++` lines at the very start) and the rest.
fn front_matter(text: &str) -> (&str, &str) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for fence in ["---", "+++"] {
        let Some(rest) = text.strip_prefix(fence) else {
            continue;
        };
        let Some(rest) = rest
            .strip_prefix("\r\n")
            .or_else(|| rest.strip_prefix('\n'))
        else {
            continue;
        };
        let mut offset = 0;
        for line in rest.split_inclusive('\n') {
            if line.trim_end() == fence {
                return (&rest[..offset], &rest[offset + line.len()..]);
            }
            offset += line.len();
        }
    }
    ("", text)
}

fn iso_year(text: &str) -> Option<i32> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(|d| chrono::Datelike::year(&d))
        .filter(|y| YEARS.contains(y))
}

/// The year of an ISO date on a line, skipping dates inside links (`/2023-05-01/slides`).
fn iso_date_in(line: &str) -> Option<i32> {
    let bytes = line.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let inside_link =
            before.is_some_and(|b| b.is_ascii_alphanumeric() || b"/._-=%".contains(&b));
        let after = bytes.get(i + 10);
        if inside_link || after.is_some_and(u8::is_ascii_digit) {
            return None;
        }
        line.get(i..i + 10).and_then(iso_year)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn texts(text: &str) -> Vec<String> {
        halves(text, |_| false)
            .into_iter()
            .map(|f| text[f.range].to_owned())
            .collect()
    }

    #[test]
    fn halves_are_found_in_running_text() {
        let text = "JAN. 22: 5:00pm PST, JAN. 23: 9:00am BJT, ZoomAdministrative";
        assert_eq!(texts(text), ["JAN. 22: 5:00pm PST", "JAN. 23: 9:00am BJT"]);
    }

    #[test]
    fn prose_with_a_colon_is_not_a_time() {
        assert!(texts("May 3: 5pm in the lab; March 4: notes. Mayday 5: 5pm PST").is_empty());
        assert!(texts("ratio 10: 3 PST").is_empty());
        assert_eq!(texts("Sept 9: 17:00 CEST"), ["Sept 9: 17:00 CEST"]);
        assert_eq!(
            texts("2024-04-15: 17:00 UTC+2"),
            ["2024-04-15: 17:00 UTC+2"]
        );
    }

    #[test]
    fn a_known_label_is_read_in_any_case_and_after_a_bare_hour() {
        let known = |label: &str| label.eq_ignore_ascii_case("pst");
        assert_eq!(
            halves("APR. 15: 5:00pm pst, APR. 16: 17 PST", known)
                .iter()
                .map(|f| f.half.as_ref().unwrap().label.as_str())
                .collect::<Vec<_>>(),
            ["pst", "PST"]
        );
        assert!(texts("APR. 15: 17 PST").is_empty());
        assert!(texts("May 3: 5pm in the lab").is_empty());
    }

    #[test]
    fn a_time_that_does_not_read_is_kept_as_a_problem() {
        let found = halves("APR. 15: 13:00pm PST", |_| false);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].half.as_ref().unwrap_err().code, "invalid-time");
    }

    #[test]
    fn tags_and_entities_are_read_as_a_reader_sees_them() {
        let source = "<td>APR. 15: 5:00pm&nbsp;PST,<br>APR. 16: 8:00am <b>BJT</b></td>";
        let visible = Visible::of(source, 0, true);
        let found = halves(&visible.text, |_| false);
        assert_eq!(found.len(), 2);
        let span = visible.span(found[1].range.clone());
        assert_eq!(&source[span.range()], "APR. 16: 8:00am <b>BJT");
        let span = visible.span(found[0].range.clone());
        assert_eq!(&source[span.range()], "APR. 15: 5:00pm&nbsp;PST");
    }

    #[test]
    fn crossed_out_text_is_still_read() {
        let source = "~~MAR. 19: 5:00pm PST, <br> MAR. 20: 8:00am BJT,~~";
        let visible = Visible::of(source, 100, false);
        let found = halves(&visible.text, |_| false);
        assert_eq!(found.len(), 2);
        assert_eq!(visible.span(found[0].range.clone()), Span::new(102, 121));
    }

    #[test]
    fn scripts_and_comments_are_not_read() {
        let source = "<script>var t = 'APR. 15: 5pm PST, APR. 2: 8am BJT';</script><!-- APR. 1: 5pm PST -->x";
        assert_eq!(Visible::of(source, 0, true).text.trim(), "x");
    }

    #[test]
    fn halves_pair_up_only_across_separators_and_zones() {
        let text = "APR. 15: 5pm PST, <br> APR. 16: 8am BJT\nAPR. 22: 5pm PST\nAPR. 29: 5pm PST | APR. 30: 8am BJT";
        let text = &Visible::of(text, 0, false).text;
        let groups = group(halves(text, |_| false), text, |l| l.to_owned());
        let sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
        assert_eq!(sizes, [2, 1, 2]);
    }

    #[test]
    fn weekdays_beside_dates_narrow_the_year() {
        use chrono::Weekday;
        let years = years_of_weekdays(&[(6, 16, Weekday::Tue), (2, 29, Weekday::Sat)]);
        // 2100 is not a leap year, so the 28-year cycle breaks there.
        assert_eq!(
            years,
            [1908, 1936, 1964, 1992, 2020, 2048, 2076, 2116, 2144, 2172]
        );
        assert!(years_of_weekdays(&[(6, 16, Weekday::Tue), (6, 17, Weekday::Tue)]).is_empty());
    }

    #[test]
    fn the_year_comes_from_front_matter_a_date_or_a_title() {
        assert_eq!(
            year("---\ntitle: x\ndate: 2023-09-01\n---\n| a |"),
            Some(2023)
        );
        assert_eq!(
            year("Updated 2022-01-05.\nsee https://x.org/2019-01-01/a"),
            Some(2022)
        );
        assert_eq!(year("see https://x.org/2019-01-01/a"), None);
        assert_eq!(
            year("---\ntitle: \"Spring 2025 schedule\"\n---\n"),
            Some(2025)
        );
        assert_eq!(year("# Reading group 2021\n"), Some(2021));
        assert_eq!(year("| JAN. 22: 5pm PST |"), None);
    }
}
