//! `syllabus-ics publish`: the whole static site (page, feed, one calendar file per dated
//! session), put in place in one step. Owns the list of the site's files and which
//! directories may be replaced; `output` replaces it, `html` and `ics` render.

use std::fs;
use std::io;
use std::path::Path;

use super::{Context, OK, Outcome, checked, revisions, stamp};
use rayon::prelude::*;

use crate::error::{Error, FeedRole};
use crate::event::{self, Event};
use crate::html::{self, Addresses, FEED_FILE, SESSIONS_DIR};
use crate::ics;
use crate::output::{self, Staging, Unreplaced};
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
    let previous = match previous
        .map(|path| ics::previous::read(path, FeedRole::Previous))
        .transpose()
    {
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
    let written = output::replace_dir(out, &[SESSIONS_DIR], |site| {
        let site = Site { staging: site, out };
        write(
            &site,
            &schedule,
            &events,
            &addresses,
            &revisions,
            publication,
        )
    });
    let error = match written {
        Ok(()) => None,
        Err(Unreplaced::Fill(error)) => Some(error),
        Err(Unreplaced::Io(source)) => Some(Error::WriteSite {
            path: out.to_owned(),
            source,
        }),
    };
    if let Some(error) = error {
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

/// The site being written, and where it will be.
struct Site<'a> {
    staging: &'a Staging<'a>,
    out: &'a Path,
}

/// Renders the site and writes it into `site`, each file as soon as it is rendered. Every
/// calendar file is read back before it is written; a failure leaves the old site whole.
fn write(
    site: &Site,
    schedule: &Schedule,
    events: &[Event],
    addresses: &Addresses,
    revisions: &ics::Revisions,
    publication: html::Publication,
) -> Result<(), Error> {
    let written = |name: &str, contents: &[u8]| {
        site.staging
            .write(name, contents)
            .map_err(|source| Error::WriteSite {
                path: site.out.join(name),
                source,
            })
    };
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
    written(MARKER, MARKER_TEXT.as_bytes())?;
    // GitHub Pages would otherwise run the site through Jekyll.
    written(".nojekyll", b"")?;
    written(
        "index.html",
        html::render(schedule, events, addresses, publication).as_bytes(),
    )?;
    written(FEED_FILE, feed.as_bytes())?;
    // A session file's event is the feed's, byte for byte: read back there, it is not read
    // again; the calendar around it is, once for each distinct one.
    let frames = ics::Frames::knowing(&feed);
    // The same file as `build --session <id>`, for each event: thousands of small feeds,
    // rendered and written on every core; the failure reported is the first in feed order.
    let results: Vec<Result<(), Error>> = events
        .par_iter()
        .map(|event| {
            let text = calendar(
                std::slice::from_ref(event),
                ics::Scope::Appointment,
                &frames,
                &|| format!("the calendar file of session `{}`", event.session.id),
            )?;
            written(&html::session_file(&event.session.id), text.as_bytes())
        })
        .collect();
    results.into_iter().collect()
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
