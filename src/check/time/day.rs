//! Which day and year each half of a published time names: the date written, a weekday or
//! `(+1d)` beside it, the year a date without one falls in, and a range's end.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;

use super::{Context, Located, located_text};
use crate::check::Findings;
use crate::check::text::in_session;
use crate::diagnostic::Diagnostic;
use crate::published::{self, shapes};
use crate::zone::{self, Resolved};

/// The day a half names, from the date written for it and its mark (`(+1d)`, a weekday);
/// a weekday written beside a date must be that date's.
pub(super) fn day_of(
    located: &Located,
    written: NaiveDate,
    context: &Context,
    findings: &mut Findings,
) -> Option<NaiveDate> {
    let half = &located.half;
    let date = match half.mark {
        published::Mark::Own | published::Mark::Shared => written,
        published::Mark::Later(days) => written + TimeDelta::days(i64::from(days)),
        published::Mark::Weekday => {
            let named = half.weekday?;
            let found = [0, 1, -1]
                .into_iter()
                .map(|d| written + TimeDelta::days(d))
                .find(|d| d.weekday() == named);
            let Some(found) = found else {
                findings.push(in_session(
                    Diagnostic::error(
                        "weekday-mismatch",
                        format!(
                            "`{}` is not next to {}",
                            located_text(located),
                            written.format("%a %b %-d %Y")
                        ),
                    )
                    .at(located.span)
                    .label("no such day beside the date")
                    .help("write the date of this half in brackets after it, e.g. `(Sep 4)`"),
                    context.session,
                ));
                return None;
            };
            return Some(found);
        }
    };
    if let Some(named) = half.weekday
        && named != date.weekday()
    {
        findings.push(in_session(
            Diagnostic::error(
                "weekday-mismatch",
                format!(
                    "{} is a {}, not a {}",
                    date.format("%b %-d %Y"),
                    date.format("%A"),
                    shapes::weekday_name(named)
                ),
            )
            .at(located.span)
            .label("the weekday contradicts the date")
            .help(format!(
                "write `{} {}`, or check the date",
                date.format("%A"),
                date.format("%b %-d")
            )),
            context.session,
        ));
        return None;
    }
    Some(date)
}

/// The end of a range (`1-2pm PT`), on the start's day or, when it reads earlier, the next.
pub(super) fn end_of(located: &Located, zone: Tz, date: NaiveDate) -> Option<DateTime<Utc>> {
    let end = located.half.end?;
    let day = if end <= located.half.time {
        date + TimeDelta::days(1)
    } else {
        date
    };
    match zone::resolve(zone, day.and_time(end)) {
        Resolved::Unique(at) => Some(at.with_timezone(&Utc)),
        _ => None,
    }
}

/// For a half that shares the date of the first and names no day of its own: the day
/// before or after on which it agrees.
pub(super) fn unmarked_day(
    located: &Located,
    zone: Tz,
    date: NaiveDate,
    start: &DateTime<Tz>,
) -> Option<NaiveDate> {
    if located.half.mark != published::Mark::Shared {
        return None;
    }
    [1, -1]
        .into_iter()
        .map(|d| date + TimeDelta::days(d))
        .find(|day| {
            matches!(zone::resolve(zone, day.and_time(located.half.time)), Resolved::Unique(at) if at == *start)
        })
}

/// A half that agrees only on the next (or previous) day, without saying so.
pub(super) fn unmarked(
    other: &Located,
    start: &DateTime<Tz>,
    zone: Tz,
    (written, day): (NaiveDate, NaiveDate),
    context: &Context,
) -> Diagnostic {
    let expected = start.with_timezone(&zone);
    let clock = other.half.clock_form.write(expected.time());
    let mark = if day.pred_opt() == Some(written) {
        "(+1d)".to_owned()
    } else {
        "(-1d)".to_owned()
    };
    in_session(
        Diagnostic::warning(
            "dual-time-day",
            format!(
                "`{}` is on {}, not on the date written before it",
                located_text(other),
                day.format("%a %b %-d")
            ),
        )
        .at(other.span)
        .label(format!("this is {}", day.format("%a %b %-d")))
        .help(format!(
            "name the day: write `{clock} {} ({})` or `{clock} {} {mark}`",
            other.half.label,
            day.format("%b %-d"),
            other.half.label
        )),
        context.session,
    )
}

/// The year of the authoritative half: as written, else the calendar's, moved on a year
/// when the date would fall before the previous session's and the next year puts it at
/// most four months after it (a DEC -> JAN crossing). A bigger step back stays in the same
/// year, where `out-of-order` reports it.
pub(super) fn first_year(located: &Located, context: &Context) -> i32 {
    if let Some(year) = located.half.year {
        return year;
    }
    let Some(previous) = context.previous else {
        return context.year;
    };
    let year = previous.year();
    let (month, day) = (located.half.month, located.half.day);
    match (
        NaiveDate::from_ymd_opt(year, month, day),
        NaiveDate::from_ymd_opt(year + 1, month, day),
    ) {
        (Some(same), Some(next)) if same < previous && next - previous <= TimeDelta::days(122) => {
            year + 1
        }
        _ => year,
    }
}

/// The year that puts a half's month and day closest to the authoritative date
/// (`DEC. 31: 5:00pm PST, JAN. 1: 9:00am BJT` crosses into the next year).
pub(super) fn nearest_year(located: &Located, anchor: NaiveDate) -> i32 {
    if let Some(year) = located.half.year {
        return year;
    }
    let half = &located.half;
    [anchor.year() - 1, anchor.year(), anchor.year() + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, half.month, half.day).map(|d| (y, d)))
        .min_by_key(|(_, d)| (*d - anchor).num_days().abs())
        .map_or(anchor.year(), |(y, _)| y)
}

pub(super) fn date_of(
    located: &Located,
    year: i32,
    context: &Context,
    findings: &mut Findings,
) -> Option<NaiveDate> {
    let half = &located.half;
    let date = NaiveDate::from_ymd_opt(year, half.month, half.day);
    if date.is_none() {
        let month = published::format(
            NaiveDate::from_ymd_opt(2000, half.month, 1)?,
            half.time,
            "",
            half.style,
        );
        let month = month.split(' ').next().unwrap_or("").trim_end_matches(':');
        findings.push(in_session(
            Diagnostic::error(
                "impossible-date",
                format!("{month} {} does not exist in {year}", half.day),
            )
            .at(located.span)
            .label("no such day")
            .help("check the day of the month against a calendar"),
            context.session,
        ));
    }
    date
}
