//! Proves that the halves of a published time (`APR. 15: 5:00pm PDT, APR. 16: 8:00am BJT`)
//! name one instant, and finds that instant. Works on located halves, so the same judgement
//! serves schedule.yaml and any other document with dual times.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::text::in_session;
use super::{Findings, at};
use crate::diagnostic::Diagnostic;
use crate::load::{Spanned, TimeDoc};
use crate::published::{self, Half, shapes};
use crate::schedule::ZoneLabel;
use crate::source::Span;
use crate::zone::{self, Resolved};

pub(crate) use crate::published::Located;

mod day;

use day::{date_of, day_of, end_of, first_year, nearest_year, unmarked, unmarked_day};

/// What the judge needs to know about the schedule.
pub(crate) struct Context<'a> {
    pub(crate) labels: &'a [ZoneLabel],
    /// The year of a date written without one, before any rollover.
    pub(crate) year: i32,
    /// The date of the previous dated session, for reading DEC -> JAN as the next year.
    pub(crate) previous: Option<NaiveDate>,
    pub(crate) session: Option<&'a str>,
}

/// The instant a published time names, and the date of its authoritative half.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Instant {
    pub(crate) at: DateTime<Utc>,
    pub(crate) date: NaiveDate,
    /// The end of a range written in the first half (`1-2pm PT`).
    pub(crate) end: Option<DateTime<Utc>>,
}

/// The located halves of a `time:` value; `None` when it is TBD or broken (then reported).
pub(crate) fn halves(
    time: &Spanned<TimeDoc>,
    session: Option<&str>,
    findings: &mut Findings,
) -> Option<Vec<Located>> {
    match &time.value {
        TimeDoc::Text(text) if published::is_undated(text) => None,
        TimeDoc::Text(text) => {
            let span = at(time);
            // Byte offsets inside the value map onto the file only when the scalar is
            // written plainly or quoted without escapes; otherwise point at the whole value.
            let raw = &findings.source.text[span.range()];
            let inner = if raw == text {
                Some(span.start)
            } else if raw.len() >= 2 && &raw[1..raw.len() - 1] == text {
                Some(span.start + 1)
            } else {
                None
            };
            let place = |range: std::ops::Range<usize>| match inner {
                Some(start) => Span::new(start + range.start, start + range.end),
                None => span,
            };
            // The table's shape first, so its diagnostics stay as they are; then the looser
            // shapes (`Tuesday Jun 16: 2pm PT / 5pm ET`).
            let read = published::halves(text).or_else(|problem| {
                let loose = shapes::halves(text, 0..text.len(), |_| true);
                if shapes::one_time(&loose) {
                    Ok(loose.into_iter().map(|f| f.half).collect())
                } else {
                    Err(problem)
                }
            });
            match read {
                Ok(halves) => Some(
                    halves
                        .into_iter()
                        .map(|half| {
                            let exact = inner.is_some();
                            let span = place(half.range.clone());
                            let mut located = Located::in_text(half, span);
                            if !exact {
                                located.label_span = span;
                            }
                            located
                        })
                        .collect(),
                ),
                Err(problem) => {
                    findings.push(in_session(
                        Diagnostic::error(problem.code, problem.message)
                            .at(place(problem.range))
                            .label("cannot read this")
                            .help(problem.help),
                        session,
                    ));
                    None
                }
            }
        }
        TimeDoc::Halves(list) => {
            let mut located = Vec::new();
            for item in list {
                let fields = &item.value;
                let date = published::date(fields.date.value.trim(), 0..0);
                let clock = published::clock(fields.time.value.trim(), 0..0);
                let report = |findings: &mut Findings, problem: published::Problem, span| {
                    findings.push(in_session(
                        Diagnostic::error(problem.code, problem.message)
                            .at(span)
                            .label("cannot read this")
                            .help(problem.help),
                        session,
                    ));
                };
                match (date, clock) {
                    (Ok((month, day, year, month_style)), Ok((time, twelve_hour))) => {
                        located.push(Located {
                            half: Half {
                                month,
                                day,
                                year,
                                time,
                                label: fields.zone.value.trim().to_owned(),
                                range: 0..0,
                                style: published::Style {
                                    month: month_style,
                                    twelve_hour,
                                },
                                end: None,
                                weekday: None,
                                mark: published::Mark::Own,
                                clock_form: published::ClockForm::default(),
                            },
                            span: at(item),
                            label_span: at(&fields.zone),
                            structured: true,
                        });
                    }
                    (date, clock) => {
                        if let Err(problem) = date {
                            report(findings, problem, at(&fields.date));
                        }
                        if let Err(problem) = clock {
                            report(findings, problem, at(&fields.time));
                        }
                    }
                }
            }
            if list.is_empty() {
                findings.push(in_session(
                    Diagnostic::error("invalid-time", "the list of published times is empty")
                        .at(at(time))
                        .label("no time here")
                        .help("add `{ date: 2024-04-15, time: \"17:00\", zone: PDT }`, or write `time: TBD`"),
                    session,
                ));
            }
            (located.len() == list.len() && !located.is_empty()).then_some(located)
        }
    }
}

/// Judges the halves: each must read as a real wall-clock time in its zone, and all must
/// name the instant of the first. Returns that instant when the first half is sound.
pub(crate) fn judge(
    halves: &[Located],
    context: &Context,
    findings: &mut Findings,
) -> Option<Instant> {
    let (first, others) = halves.split_first()?;
    let first_zone = zone_of(first, context, findings)?;
    let written = date_of(first, first_year(first, context), context, findings)?;
    let date = day_of(first, written, context, findings)?;
    let settled = named_elsewhere(others, written, context, findings);
    let start = resolve(first, first_zone, date, settled, context, findings)?;
    label_warning(first, &start, context, findings);
    let first_end = end_of(first, first_zone, date);
    for other in others {
        let Some(zone) = zone_of(other, context, findings) else {
            continue;
        };
        let Some(written) = date_of(other, nearest_year(other, written), context, findings) else {
            continue;
        };
        let Some(other_date) = day_of(other, written, context, findings) else {
            continue;
        };
        let named = Some(start.with_timezone(&Utc));
        let Some(other_start) = resolve(other, zone, other_date, named, context, findings) else {
            continue;
        };
        label_warning(other, &other_start, context, findings);
        if other_start != start {
            if let Some(day) = unmarked_day(other, zone, other_date, &start) {
                findings.push(unmarked(other, &start, zone, (other_date, day), context));
            } else {
                findings.push(mismatch(first, &start, other, &other_start, zone, context));
            }
            continue;
        }
        if let (Some(first_end), Some(other_end)) = (first_end, end_of(other, zone, other_date))
            && first_end != other_end
        {
            let expected = first_end.with_timezone(&zone);
            findings.push(in_session(
                Diagnostic::error(
                    "dual-time-mismatch",
                    format!(
                        "the range `{}` does not end when the range `{}` ends",
                        half_text(other),
                        half_text(first)
                    ),
                )
                .at(other.span)
                .label(format!(
                    "this ends at {}",
                    published::clock_text(other_end.with_timezone(&zone).time(), true)
                ))
                .help(format!(
                    "{} {} is {} {}; end the range at {}",
                    published::clock_text(first_end.time(), true),
                    first.half.label,
                    published::clock_text(expected.time(), true),
                    other.half.label,
                    published::clock_text(expected.time(), other.half.style.twelve_hour)
                )),
                context.session,
            ));
        }
    }
    Some(Instant {
        at: start.with_timezone(&Utc),
        date,
        end: first_end,
    })
}

fn located_text(located: &Located) -> String {
    let half = &located.half;
    format!(
        "{} {}",
        published::clock_text(half.time, half.style.twelve_hour),
        half.label
    )
}

fn zone_of(located: &Located, context: &Context, findings: &mut Findings) -> Option<Tz> {
    let label = &located.half.label;
    let found = context
        .labels
        .iter()
        .find(|z| z.label == *label)
        .or_else(|| {
            context
                .labels
                .iter()
                .find(|z| z.label.eq_ignore_ascii_case(label))
        });
    if let Some(z) = found {
        return Some(z.zone);
    }
    let known: Vec<String> = context
        .labels
        .iter()
        .map(|z| format!("`{}`", z.label))
        .collect();
    findings.push(in_session(
        Diagnostic::error("unknown-zone-label", format!("zone label `{label}` is not in `calendar.zones`"))
            .at(located.label_span)
            .label("unknown label")
            .help(format!(
                "use one of {}, or map it to its IANA zone under `calendar.zones`, e.g. `{label}: Europe/Berlin` (abbreviations are ambiguous, so each label is mapped explicitly)",
                known.join(", ")
            )),
        context.session,
    ));
    None
}

/// The instant the first of `others` that names one on its own names: a half outside any
/// gap or fold settles which occurrence of a repeated hour the first half means. Problems of
/// those halves are not reported here; they are when each is judged.
fn named_elsewhere(
    others: &[Located],
    written: NaiveDate,
    context: &Context,
    findings: &Findings,
) -> Option<DateTime<Utc>> {
    let mut scratch = Findings::new(findings.source);
    others.iter().find_map(|other| {
        let zone = zone_of(other, context, &mut scratch)?;
        let other_written = date_of(other, nearest_year(other, written), context, &mut scratch)?;
        let date = day_of(other, other_written, context, &mut scratch)?;
        match zone::resolve(zone, date.and_time(other.half.time)) {
            Resolved::Unique(at) => Some(at.with_timezone(&Utc)),
            Resolved::Gap(_) | Resolved::Fold(_) => None,
        }
    })
}

/// The instant a half names. In a fold, its label settles which occurrence (`1:30am PDT` is
/// the first, `PST` the second), or else `named`, the instant another half names.
fn resolve(
    located: &Located,
    zone: Tz,
    date: NaiveDate,
    named: Option<DateTime<Utc>>,
    context: &Context,
    findings: &mut Findings,
) -> Option<DateTime<Tz>> {
    let half = &located.half;
    let civil = date.and_time(half.time);
    let resolved = zone::resolve(zone, civil);
    if let Resolved::Unique(at) = resolved {
        return Some(at);
    }
    let clock = published::clock_text(half.time, true);
    match resolved {
        Resolved::Unique(at) => Some(at),
        Resolved::Gap(gap) => {
            let after = civil + (gap.jump_to - gap.jump_from);
            findings.push(in_session(
                Diagnostic::error(
                    "nonexistent-local-time",
                    format!("{clock} does not exist in `{}` on {date}", zone.name()),
                )
                .at(located.span)
                .label(if gap.jump_to.date() == gap.jump_from.date() {
                    format!(
                        "clocks jump from {} to {} that night",
                        published::clock_text(gap.jump_from.time(), true),
                        published::clock_text(gap.jump_to.time(), true)
                    )
                } else {
                    format!(
                        "clocks jump from {} {} to {} {}",
                        gap.jump_from.date(),
                        published::clock_text(gap.jump_from.time(), true),
                        gap.jump_to.date(),
                        published::clock_text(gap.jump_to.time(), true)
                    )
                })
                .help(if after.date() == date {
                    format!(
                        "use {}, or move the session",
                        published::clock_text(after.time(), true)
                    )
                } else {
                    // A zone that skips whole days (Pacific/Apia, 30 Dec 2011): the time that
                    // exists is on another date.
                    format!(
                        "`{}` skips {date}: use {} on {}, or move the session",
                        zone.name(),
                        published::clock_text(after.time(), true),
                        after.date()
                    )
                }),
                context.session,
            ));
            None
        }
        Resolved::Fold(fold) => {
            // The label can say which of the two: `1:30am PDT` is the first, `PST` the second.
            let earlier = zone::abbreviation(&fold.earlier);
            let later = zone::abbreviation(&fold.later);
            if half.label.eq_ignore_ascii_case(&earlier) {
                return Some(fold.earlier);
            }
            if half.label.eq_ignore_ascii_case(&later) {
                return Some(fold.later);
            }
            if let Some(named) = named
                && let Some(occurrence) = [fold.earlier, fold.later]
                    .into_iter()
                    .find(|at| *at == named)
            {
                return Some(occurrence);
            }
            findings.push(in_session(
                Diagnostic::error(
                    "ambiguous-local-time",
                    format!("{clock} happens twice in `{}` on {date}", zone.name()),
                )
                .at(located.span)
                .label("clocks are set back over this time")
                .help(format!(
                    "write the label `{earlier}` for the first {clock} or `{later}` for the second (map both in `calendar.zones`), add a half in another zone that names the instant, or move the session"
                )),
                context.session,
            ));
            None
        }
    }
}

/// `PST` on a date when Pacific time is PDT: read as Pacific wall-clock time, but worth a
/// warning, because readers elsewhere convert from the label they see.
fn label_warning(located: &Located, at: &DateTime<Tz>, context: &Context, findings: &mut Findings) {
    let zone = at.timezone();
    let label = &located.half.label;
    let in_force = zone::abbreviation(at);
    if label.eq_ignore_ascii_case(&in_force) {
        return;
    }
    let year = at.year();
    let seasonal: Vec<String> = [(1, 1), (7, 1)]
        .into_iter()
        .filter_map(|(m, d)| zone.with_ymd_and_hms(year, m, d, 12, 0, 0).earliest())
        .map(|t| zone::abbreviation(&t))
        .collect();
    if seasonal.iter().any(|s| s.eq_ignore_ascii_case(label)) {
        findings.push(in_session(
            Diagnostic::warning(
                "zone-label",
                format!(
                    "`{label}` is not in effect on {}: `{}` is on {in_force} then",
                    at.format("%b %-d %Y"),
                    zone.name()
                ),
            )
            .at(located.label_span)
            .label(format!("read as {} wall-clock time", zone.name()))
            .help(format!(
                "write `{in_force}` so readers in other zones convert correctly"
            )),
            context.session,
        ));
    }
}

fn mismatch(
    first: &Located,
    start: &DateTime<Tz>,
    other: &Located,
    other_start: &DateTime<Tz>,
    zone: Tz,
    context: &Context,
) -> Diagnostic {
    let expected = start.with_timezone(&zone);
    let label = &other.half.label;
    // Text is quoted as it is pasted; a map is shown as code.
    let fix = if other.structured {
        format!(
            "`{{ date: {}, time: \"{}\", zone: {label} }}`",
            expected.format("%Y-%m-%d"),
            expected.format("%H:%M")
        )
    } else if other.half.mark != published::Mark::Own {
        let clock = other.half.clock_form.write(expected.time());
        let shared = NaiveDate::from_ymd_opt(expected.year(), other.half.month, other.half.day);
        match (expected.date_naive() - shared.unwrap_or(expected.date_naive())).num_days() {
            0 => format!("`{clock} {label}`"),
            1 => format!("`{clock} {label} (+1d)`"),
            _ => format!("`{clock} {label} ({})`", expected.format("%b %-d")),
        }
    } else {
        let text = published::format(
            expected.date_naive(),
            expected.time(),
            label,
            other.half.style,
        );
        format!("\"{text}\"")
    };
    let first_label = context
        .labels
        .iter()
        .filter(|z| z.zone == start.timezone())
        .find(|z| z.label == zone::abbreviation(start))
        .map_or_else(|| first.half.label.clone(), |z| z.label.clone());
    let actual = other_start.with_timezone(&start.timezone());
    let diagnostic = Diagnostic::error(
        "dual-time-mismatch",
        format!(
            "`{}` is not the same time as `{}`",
            half_text(other),
            half_text(first)
        ),
    )
    .at(other.span)
    .label(format!(
        "this is {} {} on {}",
        published::clock_text(actual.time(), true),
        zone::abbreviation(&actual),
        actual.format("%a %b %-d")
    ))
    .help(format!(
        "{} {first_label} on {} is {} {label} on {}; write {fix}",
        published::clock_text(start.time(), true),
        start.format("%a %b %-d"),
        published::clock_text(expected.time(), true),
        expected.format("%a %b %-d"),
    ));
    in_session(diagnostic, context.session)
}

fn half_text(located: &Located) -> String {
    let half = &located.half;
    let year = half.year.unwrap_or(2000);
    match NaiveDate::from_ymd_opt(year, half.month, half.day)
        .or_else(|| NaiveDate::from_ymd_opt(2000, half.month, half.day))
    {
        Some(date) => published::format(date, half.time, &half.label, half.style),
        None => half.label.clone(),
    }
}
