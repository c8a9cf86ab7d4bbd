//! `syllabus-ics html`: the schedule page on its own.

use std::path::Path;

use super::{
    Context, OK, Outcome, checked, deliver, file_target, not_an_input, publish::public_url, stamp,
};
use crate::event;
use crate::html::{self, Addresses, FEED_FILE};
use crate::report::plural;

/// Checks the schedule, then writes its page (atomically, or to stdout). With `feed_url`
/// the page offers every way to subscribe to the feed.
pub fn page(
    path: &Path,
    output: Option<&Path>,
    feed_url: Option<&str>,
    context: &Context,
) -> Outcome {
    let feed = match feed_url
        .map(|url| public_url("--feed-url", url))
        .transpose()
    {
        Ok(feed) => feed,
        Err(error) => return error.into(),
    };
    if let Err(error) = not_an_input(output, path, None, "index.html") {
        return error.into();
    }
    let (_, schedule, stderr) = match checked(path, context) {
        Ok(checked) => checked,
        Err(outcome) => return outcome,
    };
    let events = event::events(&schedule);
    let addresses = Addresses {
        download: feed.clone().unwrap_or_else(|| FEED_FILE.to_owned()),
        page: schedule.calendar.url.clone(),
        feed,
    };
    let publication = html::Publication {
        on: stamp(context, &schedule),
        changes: &[],
    };
    let text = html::render(&schedule, &events, &addresses, publication);
    let Some(target) = file_target(output) else {
        return Outcome {
            stdout: text.into_bytes(),
            stderr,
            code: OK,
            ..Outcome::default()
        };
    };
    let done = format!(
        "wrote the page of {} ({}) to `{}`\n",
        schedule.calendar.name,
        plural(schedule.sessions.len(), "session"),
        target.display()
    );
    deliver(target, [text.as_bytes()], &done, stderr)
}
