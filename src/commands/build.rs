//! `syllabus-ics build`: the feed, or one session's calendar file.

use std::path::Path;

use super::{Context, OK, Outcome, checked, deliver, file_target, not_an_input, revisions, stamp};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, FeedRole};
use crate::event::{self, Event};
use crate::report::{self, plural};
use crate::schedule::Schedule;
use crate::{ics, limits};

/// Checks, renders, verifies the text reads back, then writes the feed atomically (or to
/// stdout). Nothing is written when anything fails. With `previous` (the feed subscribers
/// have now), events keep or raise their SEQUENCE and stamps. A feed without events is
/// written only with `allow_empty`: subscribers' calendars would drop every event they have.
pub fn build(
    path: &Path,
    output: Option<&Path>,
    session: Option<&str>,
    previous: Option<&Path>,
    allow_empty: bool,
    context: &Context,
) -> Outcome {
    if let Err(error) = not_an_input(output, path, previous, "schedule.ics") {
        return error.into();
    }
    let (source, owned, mut stderr) = match checked(path, context) {
        Ok(checked) => checked,
        Err(outcome) => return outcome,
    };
    let schedule = &owned;
    let mut events = event::events(schedule);
    if events.is_empty() && !allow_empty {
        let error = Error::NoEvents {
            name: source.name.clone(),
        };
        return Outcome::stopped(stderr, &error);
    }
    let stamp = stamp(context, schedule);
    // Revised against every event, before `--session` picks one, so a dropped session is
    // reported whichever is exported.
    let previous = match previous
        .map(|path| ics::previous::read(path, FeedRole::Previous))
        .transpose()
    {
        Ok(previous) => previous,
        Err(error) => return Outcome::stopped(stderr, &error),
    };
    let revisions = match revisions(
        previous.as_ref(),
        schedule,
        &events,
        stamp,
        schedule.calendar.url.as_deref(),
        &source,
        context,
        &mut stderr,
    ) {
        Ok(revisions) => revisions,
        Err(error) => return Outcome::stopped(stderr, &error),
    };
    if let Some(id) = session {
        match pick(schedule, &events, id) {
            Ok(index) => events = vec![events.swap_remove(index)],
            Err(diagnostic) => {
                stderr.push_str(&report::human(&[*diagnostic], &source, context.color));
                return Outcome::report(stderr, super::INVALID);
            }
        }
    }
    let most = ics::largest_feed(schedule, &events);
    if most > limits::FEED_BYTES {
        let error = Error::FeedTooLarge {
            name: source.name.clone(),
            bytes: most,
        };
        return Outcome::stopped(stderr, &error);
    }
    // The schedule's text is not needed past this point; a large one would otherwise share
    // the memory peak with the feed.
    drop(source);
    // Each event is read back as soon as it is written, with the text built to write it.
    let layout = ics::Layout {
        scope: match session {
            Some(_) => ics::Scope::Appointment,
            None => ics::Scope::Feed,
        },
        page: schedule.calendar.url.as_deref(),
    };
    let text = match ics::render_verified(schedule, &events, &revisions, layout) {
        Ok(text) => text,
        Err(problem) => {
            let error = Error::Unverified {
                what: "the rendered feed".to_owned(),
                problem,
            };
            return Outcome::stopped(stderr, &error);
        }
    };
    let Some(target) = file_target(output) else {
        drop(events);
        drop(owned);
        return Outcome {
            feed: text,
            stderr,
            code: OK,
            ..Outcome::default()
        };
    };
    let done = format!(
        "wrote {} ({}) to `{}`\n",
        plural(events.len(), "event"),
        schedule.calendar.name,
        target.display()
    );
    drop(events);
    drop(owned);
    deliver(target, text.pieces(), &done, stderr)
}

/// The event of session `id`, or why there is none.
fn pick(schedule: &Schedule, events: &[Event], id: &str) -> Result<usize, Box<Diagnostic>> {
    if let Some(index) = events.iter().position(|e| e.session.id == id) {
        return Ok(index);
    }
    if schedule.sessions.iter().any(|s| s.id == id) {
        return Err(Box::new(
            Diagnostic::error("undated-session", format!("session `{id}` has no date yet"))
                .session(id)
                .help("give it a `time:` before exporting it as an event"),
        ));
    }
    let closest = schedule
        .sessions
        .iter()
        .map(|s| (strsim::jaro_winkler(id, &s.id), s.id.as_str()))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score > 0.7);
    let help = match closest {
        Some((_, name)) => format!("did you mean `{name}`?"),
        None => "`--session` takes the `id:` of a dated session in the schedule".to_owned(),
    };
    Err(Box::new(
        Diagnostic::error("unknown-session", format!("there is no session `{id}`")).help(help),
    ))
}
