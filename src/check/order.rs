//! Checks across sessions: chronological order and overlaps. Both are warnings: the feed is
//! still right, but a table out of order or a double booking is usually a typo.

use super::Findings;
use super::text::in_session;
use crate::diagnostic::Diagnostic;
use crate::schedule::{Calendar, Session};
use crate::source::Span;

/// `places`: where each session's time is written (or the session, without one), by index
/// in the file.
pub(crate) fn check(
    sessions: &[(Session, usize)],
    places: &[Span],
    calendar: &Calendar,
    findings: &mut Findings,
) {
    let place = |index: usize| -> Span { places[index] };
    let dated: Vec<(&Session, usize)> = sessions
        .iter()
        .filter(|(s, _)| s.when.is_some())
        .map(|(s, i)| (s, *i))
        .collect();
    for pair in dated.windows(2) {
        let [(before, _), (after, index)] = pair else {
            continue;
        };
        let (Some(b), Some(a)) = (&before.when, &after.when) else {
            continue;
        };
        if a.start < b.start {
            findings.push(in_session(
                Diagnostic::warning(
                    "out-of-order",
                    format!("session `{}` comes before `{}` in time but after it in the file", after.id, before.id),
                )
                .at(place(*index))
                .label(format!("{} is before {}", a.start.format("%b %-d %Y"), b.start.format("%b %-d %Y")))
                .help("keep sessions in date order so the table and the file read the same; a date without a year is read as the next year only when that puts it at most four months after the session before it (DEC -> JAN)"),
                Some(&after.id),
            ));
        }
    }
    // Overlaps among sessions that take place, found in one sweep over start times.
    let mut active: Vec<(&Session, usize)> =
        dated.into_iter().filter(|(s, _)| !s.cancelled).collect();
    active.sort_by_key(|(s, i)| (s.when.as_ref().map(|w| w.start), *i));
    let mut latest: Option<(&Session, usize)> = None;
    for (session, index) in active {
        let Some(when) = &session.when else { continue };
        if let Some((other, _)) = latest
            && let Some(other_when) = &other.when
            && when.start < other_when.end
        {
            {
                {
                    findings.push(in_session(
                        Diagnostic::warning(
                            "session-overlap",
                            format!("session `{}` overlaps session `{}`", session.id, other.id),
                        )
                        .at(place(index))
                        .label(format!(
                            "starts at {}, before `{}` ends at {}",
                            when.start.format("%b %-d %H:%M"),
                            other.id,
                            other_when.end.format("%H:%M %Z")
                        ))
                        .help(format!(
                            "move one of them, or shorten `{}` with `duration:` (the default is {} minutes)",
                            other.id,
                            calendar.duration.num_minutes()
                        )),
                        Some(&session.id),
                    ));
                }
            }
        }
        let later =
            latest.is_none_or(|(other, _)| other.when.as_ref().map(|w| w.end) < Some(when.end));
        if later {
            latest = Some((session, index));
        }
    }
}
