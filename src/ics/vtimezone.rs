//! VTIMEZONE components generated from chrono-tz's data.
//! Owns the shape of the observances (one yearly rule each way where the zone has one);
//! finding the zone's transitions is `zone`'s job, folding lines is the caller's.

use chrono::{
    DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, Utc, Weekday,
};
use chrono_tz::{OffsetComponents, Tz};

use crate::zone::{self, Transition};

/// The unfolded content lines (no line ends) of a VTIMEZONE for `tz` that is correct for
/// every instant in `[from, to]`, from `BEGIN:VTIMEZONE` to `END:VTIMEZONE`. Public only
/// for the benchmarks, through `ics::vtimezone_lines`.
pub fn lines(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<String> {
    // A year of padding each way puts the onset of the observance in force at `from` inside
    // the search, and shows whether a yearly rule is still running at `to`.
    let padding = TimeDelta::days(366);
    let window_start = from.checked_sub_signed(padding).unwrap_or(from);
    let window_end = to
        .checked_add_signed(padding)
        .unwrap_or(to)
        .max(window_start);
    let transitions = zone::transitions(tz, window_start, window_end);

    let mut observances: Vec<Observance> = series(&transitions)
        .iter()
        .map(|series| series.observance(window_end))
        .collect();
    if transitions.first().is_none_or(|first| first.at > from) {
        observances.push(base(tz, window_start, transitions.first()));
    }
    observances.sort_by_key(|observance| (observance.onset, observance.kind));

    let mut lines = vec![
        "BEGIN:VTIMEZONE".to_owned(),
        format!("TZID:{}", tz.name()),
        format!("X-LIC-LOCATION:{}", tz.name()),
    ];
    for observance in &observances {
        observance.write(&mut lines);
    }
    lines.push("END:VTIMEZONE".to_owned());
    lines
}

/// STANDARD sorts before DAYLIGHT when two observances start together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Standard,
    Daylight,
}

impl Kind {
    fn of(dst: bool) -> Self {
        if dst { Kind::Daylight } else { Kind::Standard }
    }

    fn component(self) -> &'static str {
        match self {
            Kind::Standard => "STANDARD",
            Kind::Daylight => "DAYLIGHT",
        }
    }
}

struct Observance {
    kind: Kind,
    /// The instant of the first onset; observances are written in this order.
    onset: DateTime<Utc>,
    /// RFC 5545 §3.6.5: an observance's DTSTART is wall-clock time in the *old* offset.
    start_civil: NaiveDateTime,
    offset_from: i32,
    offset_to: i32,
    name: String,
    rrule: Option<String>,
}

impl Observance {
    fn write(&self, lines: &mut Vec<String>) {
        let component = self.kind.component();
        lines.push(format!("BEGIN:{component}"));
        lines.push(format!(
            "DTSTART:{}",
            self.start_civil.format("%Y%m%dT%H%M%S")
        ));
        lines.push(format!("TZOFFSETFROM:{}", utc_offset(self.offset_from)));
        lines.push(format!("TZOFFSETTO:{}", utc_offset(self.offset_to)));
        lines.push(format!("TZNAME:{}", self.name));
        if let Some(rrule) = &self.rrule {
            lines.push(format!("RRULE:{rrule}"));
        }
        lines.push(format!("END:{component}"));
    }
}

/// The observance in force before the first transition of the window (or throughout, for
/// a zone without any), starting early enough to cover all of it. A zone without
/// transitions gets the conventional 1970-01-01 start.
fn base(tz: Tz, window_start: DateTime<Utc>, first: Option<&Transition>) -> Observance {
    let in_force = window_start.with_timezone(&tz);
    let offset = first.map_or_else(
        || in_force.offset().fix().local_minus_utc(),
        |first| first.offset_before,
    );
    let epoch = DateTime::<Utc>::UNIX_EPOCH.naive_utc();
    let start_civil = epoch.min(in_force.naive_local().date().and_time(NaiveTime::MIN));
    // Judged from the saving alone: the zones tzdata gives a negative winter saving
    // (Europe/Dublin) change twice a year, so they never need this observance.
    let dst = in_force.offset().dst_offset() > TimeDelta::zero();
    Observance {
        kind: Kind::of(dst),
        onset: start_civil.and_utc() - TimeDelta::seconds(offset.into()),
        start_civil,
        offset_from: offset,
        offset_to: offset,
        name: zone::abbreviation(&in_force),
        rrule: None,
    }
}

/// Where a transition falls in its year, read as a calendar client reads an RRULE:
/// wall-clock time in the offset before the change.
#[derive(Clone, Copy)]
struct Placement {
    year: i32,
    month: u32,
    weekday: Weekday,
    time: NaiveTime,
    /// `BYDAY=nSU` for n in 1..=4; a fifth weekday is not there every year.
    nth: Option<u32>,
    /// `BYDAY=-1SU`: the day is among the last 7 of its month.
    last: bool,
}

impl Placement {
    fn of(transition: &Transition) -> Self {
        let civil = wall_clock_before(transition);
        let date = civil.date();
        let nth = Some(date.day0() / 7 + 1).filter(|&nth| nth <= 4);
        let last = date
            .checked_add_signed(TimeDelta::days(7))
            .is_none_or(|week_later| week_later.month() != date.month());
        Placement {
            year: date.year(),
            month: date.month(),
            weekday: date.weekday(),
            time: civil.time(),
            nth,
            last,
        }
    }
}

/// Transitions that one yearly rule produces, one per consecutive year. A series of one
/// is a lone change and gets no RRULE.
struct Series<'a> {
    members: Vec<&'a Transition>,
    first: Placement,
    last_year: i32,
    /// The week ordinals every member agrees on.
    nth: Option<u32>,
    last: bool,
}

impl<'a> Series<'a> {
    fn start(transition: &'a Transition) -> Self {
        let first = Placement::of(transition);
        Series {
            members: vec![transition],
            first,
            last_year: first.year,
            nth: first.nth,
            last: first.last,
        }
    }

    /// Takes `transition` if it is this rule's occurrence in the year after the last one.
    fn extend(&mut self, transition: &'a Transition) -> bool {
        let head = self.members[0];
        let next = Placement::of(transition);
        let same_change = transition.offset_before == head.offset_before
            && transition.offset_after == head.offset_after
            && transition.dst_after == head.dst_after
            && transition.name_after == head.name_after;
        let same_day = next.year == self.last_year + 1
            && (next.month, next.weekday, next.time)
                == (self.first.month, self.first.weekday, self.first.time);
        let nth = self.nth.filter(|&nth| next.nth == Some(nth));
        let last = self.last && next.last;
        if !(same_change && same_day && (nth.is_some() || last)) {
            return false;
        }
        self.members.push(transition);
        self.last_year = next.year;
        self.nth = nth;
        self.last = last;
        true
    }

    /// `-1` where every member is in its month's last week (tzdata's `lastSun`), else the
    /// shared ordinal (`Sun>=8` is always the second Sunday).
    fn ordinal(&self) -> i32 {
        match (self.last, self.nth) {
            (false, Some(nth)) => nth as i32,
            _ => -1,
        }
    }

    /// The instant the rule would give in the year after the last member.
    fn next_occurrence(&self) -> Option<DateTime<Utc>> {
        let date = weekday_of_month(
            self.last_year + 1,
            self.first.month,
            self.first.weekday,
            self.ordinal(),
        )?;
        let offset = TimeDelta::seconds(self.members[0].offset_before.into());
        Some(date.and_time(self.first.time).and_utc() - offset)
    }

    fn observance(&self, window_end: DateTime<Utc>) -> Observance {
        let head = self.members[0];
        let rrule = (self.members.len() > 1).then(|| {
            // A rule that would fire again inside the window but did not has ended. UNTIL (in
            // UTC, RFC 5545 §3.3.10) is a day after its last occurrence: a yearly rule cannot
            // fire again within a day, and vobject compares UNTIL as local time, so an UNTIL at
            // the exact instant loses the last transition in zones east of UTC. One whose next
            // firing lies past the window is still running, as far as the data in reach shows.
            let until = match self.next_occurrence() {
                Some(next) if next < window_end => {
                    let last = self.members[self.members.len() - 1].at + TimeDelta::days(1);
                    format!(";UNTIL={}", last.format("%Y%m%dT%H%M%SZ"))
                }
                _ => String::new(),
            };
            format!(
                "FREQ=YEARLY{until};BYMONTH={};BYDAY={}{}",
                self.first.month,
                self.ordinal(),
                weekday_code(self.first.weekday),
            )
        });
        Observance {
            kind: Kind::of(head.dst_after),
            onset: head.at,
            start_civil: wall_clock_before(head),
            offset_from: head.offset_before,
            offset_to: head.offset_after,
            name: head.name_after.clone(),
            rrule,
        }
    }
}

/// Groups transitions into series, first come first served: each joins the earliest
/// series it continues, or starts its own.
fn series(transitions: &[Transition]) -> Vec<Series<'_>> {
    let mut all: Vec<Series> = Vec::new();
    for transition in transitions {
        if !all.iter_mut().any(|series| series.extend(transition)) {
            all.push(Series::start(transition));
        }
    }
    all
}

fn wall_clock_before(transition: &Transition) -> NaiveDateTime {
    transition.at.naive_utc() + TimeDelta::seconds(transition.offset_before.into())
}

/// The `ordinal`-th `weekday` of a month, counting from the end when negative.
fn weekday_of_month(year: i32, month: u32, weekday: Weekday, ordinal: i32) -> Option<NaiveDate> {
    if ordinal < 0 {
        let next_month = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        }?;
        let last_day = next_month.pred_opt()?;
        let back =
            (last_day.weekday().num_days_from_monday() + 7 - weekday.num_days_from_monday()) % 7;
        last_day.checked_sub_signed(TimeDelta::days(back.into()))
    } else {
        let n = u8::try_from(ordinal).ok()?;
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
    }
}

fn weekday_code(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// RFC 5545 §3.3.14 UTC-OFFSET: `+HHMM`, `+HHMMSS` only when seconds are needed; zero is
/// `+0000` because `-0000` is forbidden.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.unsigned_abs();
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if seconds == 0 {
        format!("{sign}{hours:02}{minutes:02}")
    } else {
        format!("{sign}{hours:02}{minutes:02}{seconds:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::America::Los_Angeles;
    use std::time::Instant;

    fn utc(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(y, m, d)
            .expect("test dates are valid")
            .and_time(NaiveTime::MIN)
            .and_utc()
    }

    fn year_2024(tz: Tz) -> Vec<String> {
        lines(tz, utc(2024, 1, 1), utc(2024, 12, 31))
    }

    /// The lines of every observance of `kind` (`STANDARD` or `DAYLIGHT`), one per block.
    fn observances(lines: &[String], kind: &str) -> Vec<Vec<String>> {
        let mut blocks = Vec::new();
        let mut block: Option<Vec<String>> = None;
        for line in lines {
            if *line == format!("BEGIN:{kind}") {
                block = Some(Vec::new());
            } else if *line == format!("END:{kind}") {
                blocks.extend(block.take());
            } else if let Some(block) = &mut block {
                block.push(line.clone());
            }
        }
        blocks
    }

    #[test]
    fn los_angeles_2024_is_one_yearly_rule_each_way() {
        insta::assert_snapshot!(year_2024(Los_Angeles).join("\n"));
    }

    #[test]
    fn shanghai_2024_is_one_standard_observance() {
        insta::assert_snapshot!(year_2024(chrono_tz::Asia::Shanghai).join("\n"));
    }

    #[test]
    fn london_2024_is_one_yearly_rule_each_way() {
        insta::assert_snapshot!(year_2024(chrono_tz::Europe::London).join("\n"));
    }

    #[test]
    fn sydney_2024_is_one_yearly_rule_each_way() {
        insta::assert_snapshot!(year_2024(chrono_tz::Australia::Sydney).join("\n"));
    }

    #[test]
    fn sao_paulo_2024_is_one_standard_observance() {
        insta::assert_snapshot!(year_2024(chrono_tz::America::Sao_Paulo).join("\n"));
    }

    #[test]
    fn kolkata_2024_is_one_standard_observance() {
        insta::assert_snapshot!(year_2024(chrono_tz::Asia::Kolkata).join("\n"));
    }

    #[test]
    fn the_us_rule_change_of_2007_ends_the_old_rules_with_until() {
        insta::assert_snapshot!(lines(Los_Angeles, utc(2005, 1, 1), utc(2009, 12, 31)).join("\n"));
    }

    #[test]
    fn spring_forward_dtstart_is_wall_clock_in_the_old_offset() {
        let lines = lines(Los_Angeles, utc(2024, 3, 1), utc(2024, 3, 31));
        let daylight = &observances(&lines, "DAYLIGHT")[0];
        assert_eq!(
            daylight[..2],
            ["DTSTART:20230312T020000", "TZOFFSETFROM:-0800"]
        );
    }

    #[test]
    fn fall_back_dtstart_is_wall_clock_in_the_old_offset() {
        let lines = lines(Los_Angeles, utc(2024, 11, 1), utc(2024, 11, 30));
        let standard = &observances(&lines, "STANDARD")[0];
        assert_eq!(
            standard[..2],
            ["DTSTART:20231105T020000", "TZOFFSETFROM:-0700"]
        );
        // London changes at 01:00 UTC both ways: 01:00 GMT in spring, 02:00 BST in autumn.
        let lines = year_2024(chrono_tz::Europe::London);
        let standard = &observances(&lines, "STANDARD")[0];
        assert_eq!(
            standard[..2],
            ["DTSTART:20231029T020000", "TZOFFSETFROM:+0100"]
        );
        let daylight = &observances(&lines, "DAYLIGHT")[0];
        assert_eq!(
            daylight[..2],
            ["DTSTART:20230326T010000", "TZOFFSETFROM:+0000"]
        );
    }

    #[test]
    fn offsets_with_seconds_keep_them_and_zero_is_positive() {
        assert_eq!(utc_offset(0), "+0000");
        assert_eq!(utc_offset(19800), "+0530");
        assert_eq!(utc_offset(-9000), "-0230");
        assert_eq!(utc_offset(-28378), "-075258");
    }

    #[test]
    fn a_zone_that_stopped_changing_in_the_window_ends_its_rules() {
        // Mexico City dropped daylight saving time after October 2022.
        let lines = lines(
            chrono_tz::America::Mexico_City,
            utc(2021, 1, 1),
            utc(2023, 12, 31),
        );
        let rrules: Vec<_> = lines
            .iter()
            .filter(|line| line.starts_with("RRULE:"))
            .collect();
        assert!(!rrules.is_empty());
        assert!(
            rrules.iter().all(|rrule| rrule.contains(";UNTIL=")),
            "{rrules:?}"
        );
    }

    #[test]
    fn an_offset_change_after_from_keeps_the_earlier_offset_in_force_until_then() {
        // Asia/Almaty moved from +06 to +05 on 2024-03-01, its only change in reach.
        let lines = year_2024(chrono_tz::Asia::Almaty);
        assert_eq!(
            lines,
            [
                "BEGIN:VTIMEZONE",
                "TZID:Asia/Almaty",
                "X-LIC-LOCATION:Asia/Almaty",
                "BEGIN:STANDARD",
                "DTSTART:19700101T000000",
                "TZOFFSETFROM:+0600",
                "TZOFFSETTO:+0600",
                "TZNAME:+06",
                "END:STANDARD",
                "BEGIN:STANDARD",
                "DTSTART:20240301T000000",
                "TZOFFSETFROM:+0600",
                "TZOFFSETTO:+0500",
                "TZNAME:+05",
                "END:STANDARD",
                "END:VTIMEZONE",
            ]
        );
    }

    /// What a calendar client makes of a VTIMEZONE: DTSTART is wall-clock time in
    /// TZOFFSETFROM, and an RRULE repeats it yearly on the BYMONTH/BYDAY day until UNTIL.
    mod client {
        use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, Utc, Weekday};

        pub(super) struct Onset {
            pub(super) at: DateTime<Utc>,
            pub(super) offset: i32,
            pub(super) name: String,
        }

        /// Every onset up to `limit`, in order.
        pub(super) fn onsets(lines: &[String], limit: DateTime<Utc>) -> Vec<Onset> {
            let mut onsets = Vec::new();
            let mut fields: Vec<(String, String)> = Vec::new();
            for line in lines {
                match line.as_str() {
                    "BEGIN:STANDARD" | "BEGIN:DAYLIGHT" => fields.clear(),
                    "END:STANDARD" | "END:DAYLIGHT" => expand(&fields, limit, &mut onsets),
                    _ => {
                        let (name, value) = line.split_once(':').expect("a content line");
                        fields.push((name.to_owned(), value.to_owned()));
                    }
                }
            }
            onsets.sort_by_key(|onset| onset.at);
            onsets
        }

        fn expand(fields: &[(String, String)], limit: DateTime<Utc>, onsets: &mut Vec<Onset>) {
            let field = |name: &str| {
                fields
                    .iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.as_str())
            };
            let start = NaiveDateTime::parse_from_str(field("DTSTART").unwrap(), "%Y%m%dT%H%M%S")
                .expect("DTSTART is local date-time");
            let from = offset(field("TZOFFSETFROM").unwrap());
            let to = offset(field("TZOFFSETTO").unwrap());
            let name = field("TZNAME").unwrap().to_owned();
            let instant = |civil: NaiveDateTime| civil.and_utc() - TimeDelta::seconds(from.into());
            let Some(rrule) = field("RRULE") else {
                onsets.push(Onset {
                    at: instant(start),
                    offset: to,
                    name,
                });
                return;
            };
            let part = |key: &str| {
                rrule
                    .split(';')
                    .find_map(|part| part.strip_prefix(key)?.strip_prefix('='))
            };
            assert_eq!(part("FREQ"), Some("YEARLY"), "{rrule}");
            let month: u32 = part("BYMONTH").unwrap().parse().unwrap();
            let byday = part("BYDAY").unwrap();
            let (ordinal, day) = byday.split_at(byday.len() - 2);
            let ordinal: i32 = ordinal.parse().unwrap();
            let weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
                .iter()
                .position(|code| *code == day)
                .map(|index| Weekday::try_from(index as u8).unwrap())
                .unwrap();
            let until = part("UNTIL").map(|until| {
                NaiveDateTime::parse_from_str(until, "%Y%m%dT%H%M%SZ")
                    .unwrap()
                    .and_utc()
            });
            for year in start.year()..=limit.year() + 1 {
                let days: Vec<NaiveDate> = (1..=31)
                    .filter_map(|day| NaiveDate::from_ymd_opt(year, month, day))
                    .filter(|date| date.weekday() == weekday)
                    .collect();
                let date = if ordinal < 0 {
                    days.last().copied()
                } else {
                    days.get(ordinal as usize - 1).copied()
                };
                let Some(date) = date else { continue };
                let at = instant(date.and_time(start.time()));
                if at < instant(start) || until.is_some_and(|until| at > until) || at > limit {
                    continue;
                }
                onsets.push(Onset {
                    at,
                    offset: to,
                    name: name.clone(),
                });
            }
        }

        fn offset(text: &str) -> i32 {
            let sign = if text.starts_with('-') { -1 } else { 1 };
            let digits = &text[1..];
            let number = |range: std::ops::Range<usize>| -> i32 {
                digits.get(range).map_or(0, |part| part.parse().unwrap())
            };
            sign * (number(0..2) * 3600 + number(2..4) * 60 + number(4..6))
        }
    }

    /// Checks the VTIMEZONE against chrono-tz at every change either side sees (one second
    /// before and at it), at `from` and `to`, and every `grid` in between. Both offsets are
    /// constant between changes, so the change points decide; the grid is a second net.
    fn assert_agrees(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>, grid: TimeDelta) {
        let lines = lines(tz, from, to);
        let onsets = client::onsets(&lines, to);
        let mut instants = vec![from, to];
        let changes = zone::transitions(tz, from, to).into_iter().map(|t| t.at);
        for at in changes.chain(onsets.iter().map(|onset| onset.at)) {
            instants.extend([at - TimeDelta::seconds(1), at]);
        }
        let mut at = from;
        while at < to {
            instants.push(at);
            at += grid;
        }
        for at in instants.into_iter().filter(|at| (from..=to).contains(at)) {
            let index = onsets.partition_point(|onset| onset.at <= at);
            assert!(
                index > 0,
                "{tz}: no observance covers {at}\n{}",
                lines.join("\n")
            );
            let onset = &onsets[index - 1];
            let expected = tz.from_utc_datetime(&at.naive_utc());
            assert_eq!(
                (onset.offset, onset.name.as_str()),
                (
                    expected.offset().fix().local_minus_utc(),
                    zone::abbreviation(&expected).as_str()
                ),
                "{tz} at {at}\n{}",
                lines.join("\n")
            );
        }
    }

    #[test]
    fn every_zone_gives_chrono_tz_offsets_to_a_client() {
        let started = Instant::now();
        let spans = [
            (utc(2024, 1, 1), utc(2024, 12, 31), TimeDelta::hours(6)),
            (utc(1995, 1, 1), utc(2030, 12, 31), TimeDelta::days(5)),
            (utc(2005, 1, 1), utc(2009, 12, 31), TimeDelta::days(1)),
        ];
        for tz in chrono_tz::TZ_VARIANTS {
            for (from, to, grid) in spans {
                assert_agrees(tz, from, to, grid);
            }
        }
        eprintln!("checked every zone in {:?}", started.elapsed());
    }

    #[test]
    fn no_zone_panics_between_1900_and_2200() {
        let started = Instant::now();
        for tz in chrono_tz::TZ_VARIANTS {
            for (from, to) in [
                (utc(1900, 1, 1), utc(1901, 1, 1)),
                (utc(2199, 1, 1), utc(2200, 1, 1)),
                (utc(2024, 6, 1), utc(2024, 6, 1)),
            ] {
                assert!(lines(tz, from, to).len() >= 9, "{tz}");
            }
        }
        for tz in [
            Los_Angeles,
            chrono_tz::Asia::Gaza,
            chrono_tz::Europe::Dublin,
        ] {
            assert_agrees(tz, utc(1900, 1, 1), utc(2200, 1, 1), TimeDelta::days(7));
        }
        eprintln!("checked 1900 and 2200 in {:?}", started.elapsed());
    }
}
