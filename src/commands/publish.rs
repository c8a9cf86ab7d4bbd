//! `syllabus-ics publish`: the whole static site (page, feed, one calendar file per dated
//! session), put in place in one step. Owns the list of the site's files and which
//! directories may be replaced; `output` replaces it, `html` and `ics` render.

use std::fs;
use std::io;
use std::path::Path;

use super::{Context, OK, Outcome, checked, revisions, stamp};
use rayon::prelude::*;

use crate::error::Error;
use crate::event::{self, Event};
use crate::html::{self, Addresses, FEED_FILE};
use crate::ics;
use crate::report::plural;
use crate::schedule::Schedule;

/// The file that marks a directory as a site `publish` wrote, and may therefore replace.
const MARKER: &str = ".syllabus-ics-site";
const MARKER_TEXT: &str =
    "This directory was written by `syllabus-ics publish`, which replaces it whole on every run.\n";

/// Checks the schedule, renders the site, then replaces `out` with it whole. `out` must be
/// new, empty, or a site an earlier run wrote. With `previous` (the feed subscribers have
/// now), events keep or raise their SEQUENCE and stamps, in the feed and in each session's
/// file alike.
pub fn site(
    path: &Path,
    out: &Path,
    base_url: &str,
    previous: Option<&Path>,
    context: &Context,
) -> Outcome {
    let base = match public_url("--base-url", base_url) {
        Ok(base) if base.contains(['?', '#']) => {
            return Error::BaseWithQuery { value: base }.into();
        }
        Ok(base) => base.trim_end_matches('/').to_owned(),
        Err(error) => return error.into(),
    };
    if let Err(error) = replaceable(out, path) {
        return error.into();
    }
    let (source, schedule, mut stderr) = match checked(path, context) {
        Ok(checked) => checked,
        Err(outcome) => return outcome,
    };
    let events = event::events(&schedule);
    let stamp = stamp(context, &schedule);
    let page = format!("{base}/");
    let previous = match previous.map(ics::previous::read).transpose() {
        Ok(previous) => previous,
        Err(error) => return Outcome::stopped(stderr, &error),
    };
    let revised = revisions(
        previous.as_ref(),
        &schedule,
        &events,
        stamp,
        Some(&page),
        &source,
        context,
        &mut stderr,
    )
    .and_then(|revisions| {
        // What this publication changes for subscribers, for the page to say.
        let changes = match &previous {
            Some(previous) => ics::changes::between(previous, &schedule, &events, Some(&page))?,
            None => Vec::new(),
        };
        Ok((revisions, changes))
    });
    let (revisions, changes) = match revised {
        Ok(revised) => revised,
        Err(error) => return Outcome::stopped(stderr, &error),
    };
    let addresses = Addresses {
        feed: Some(format!("{base}/{FEED_FILE}")),
        page: Some(page),
        download: FEED_FILE.to_owned(),
    };
    let publication = html::Publication {
        on: stamp,
        changes: &changes,
    };
    let files = match files(&schedule, &events, &addresses, &revisions, publication) {
        Ok(files) => files,
        Err(error) => return Outcome::stopped(stderr, &error),
    };
    if let Err(source) = crate::output::replace_dir(out, &files) {
        let error = Error::WriteSite {
            path: out.to_owned(),
            source,
        };
        return Outcome::stopped(stderr, &error);
    }
    stderr.push_str(&format!(
        "wrote the site of {} to `{}`: index.html, {FEED_FILE} ({}) and {}\n  members subscribe at {base}/{FEED_FILE}, from the page at {base}/\n",
        schedule.calendar.name,
        out.display(),
        plural(events.len(), "event"),
        plural(events.len(), "session file"),
    ));
    Outcome::report(stderr, OK)
}

/// The site: each file's path inside the directory, and its contents. Every calendar file
/// is read back before anything is written.
fn files(
    schedule: &Schedule,
    events: &[Event],
    addresses: &Addresses,
    revisions: &ics::Revisions,
    publication: html::Publication,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    // Events link to their rows of the page this site publishes.
    let page = addresses.page.as_deref();
    let calendar = |events: &[Event],
                    scope: ics::Scope,
                    frames: &ics::Frames,
                    what: &dyn Fn() -> String|
     -> Result<String, Error> {
        let layout = ics::Layout { scope, page };
        ics::render_verified_sharing(schedule, events, revisions, layout, frames)
            .map(ics::Feed::into_string)
            .map_err(|problem| Error::Unverified {
                what: what(),
                problem,
            })
    };
    // Each event read back as it is written, as `build` does.
    let feed = calendar(events, ics::Scope::Feed, &ics::Frames::default(), &|| {
        "the rendered feed".to_owned()
    })?;
    // A session file's event is the feed's, byte for byte: read back there, it is not read
    // again; the calendar around it is, once for each distinct one.
    let frames = ics::Frames::knowing(&feed);
    let mut files = vec![
        (MARKER.to_owned(), MARKER_TEXT.as_bytes().to_vec()),
        // GitHub Pages would otherwise run the site through Jekyll.
        (".nojekyll".to_owned(), Vec::new()),
        (
            "index.html".to_owned(),
            html::render(schedule, events, addresses, publication).into_bytes(),
        ),
        (FEED_FILE.to_owned(), feed.into_bytes()),
    ];
    // The same file as `build --session <id>`, for each event: thousands of small feeds,
    // written on every core; the failure reported is the first in feed order.
    let sessions: Vec<Result<(String, Vec<u8>), Error>> = events
        .par_iter()
        .map(|event| {
            let text = calendar(
                std::slice::from_ref(event),
                ics::Scope::Appointment,
                &frames,
                &|| format!("the calendar file of session `{}`", event.session.id),
            )?;
            Ok((html::session_file(&event.session.id), text.into_bytes()))
        })
        .collect();
    files.reserve(sessions.len());
    for file in sessions {
        files.push(file?);
    }
    Ok(files)
}

/// A public http(s) address from the command line, trimmed.
pub(super) fn public_url(flag: &'static str, text: &str) -> Result<String, Error> {
    let url = text.trim();
    // The same rules as a `url:` in the schedule: the address goes into the page and the feed.
    match crate::check::text::url_problem(url) {
        None => Ok(url.to_owned()),
        // `owner.github.io/meetup` has no scheme to name.
        Some(_) if !url.contains("://") => Err(Error::NotAnAddress {
            flag,
            value: text.to_owned(),
            problem: "it does not start with `https://` or `http://`".to_owned(),
        }),
        Some(problem) => Err(Error::NotAnAddress {
            flag,
            value: text.to_owned(),
            problem,
        }),
    }
}

/// Whether `out` may be replaced: it is new, empty, or a site an earlier run wrote, and
/// the schedule is not inside it.
fn replaceable(out: &Path, schedule: &Path) -> Result<(), Error> {
    let path = out.to_owned();
    if out.file_name().is_none() {
        return Err(Error::SiteUnnamed { path });
    }
    let metadata = match fs::symlink_metadata(out) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(Error::SiteUnreadable { path, source }),
    };
    if metadata.file_type().is_symlink() {
        return Err(Error::SiteIsLink { path });
    }
    if !metadata.is_dir() {
        return Err(Error::SiteIsFile { path });
    }
    if let (Ok(out), Ok(schedule)) = (out.canonicalize(), schedule.canonicalize())
        && schedule.starts_with(&out)
    {
        return Err(Error::ScheduleInSite { path });
    }
    let marked = fs::symlink_metadata(out.join(MARKER)).is_ok_and(|m| m.is_file());
    let empty = fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_none());
    if marked || empty {
        return Ok(());
    }
    Err(Error::SiteNotOurs { path })
}
