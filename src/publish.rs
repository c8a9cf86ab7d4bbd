//! The `html` and `publish` commands: the schedule page on its own, and the whole static
//! site (page, feed, one calendar file per dated session) put in place in one step.
//! Rendering belongs to `html` and `ics`; this module owns checking first, the list of the
//! site's files, and replacing the site directory. Never reads the clock: the stamp comes
//! in the `Context`.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::commands::{self, Context, FAILED, INVALID, OK, Outcome, io_reason, plural};
use crate::diagnostic::Tally;
use crate::event::{self, Event};
use crate::html::{self, Addresses, FEED_FILE};
use crate::schedule::Schedule;
use crate::source::SourceFile;
use crate::{ics, report};

/// The file that marks a directory as a site `publish` wrote, and may therefore replace.
pub(crate) const MARKER: &str = ".syllabus-ics-site";
const MARKER_TEXT: &str =
    "This directory was written by `syllabus-ics publish`, which replaces it whole on every run.\n";

/// `syllabus-ics html`: checks the schedule, then writes its page (atomically, or to
/// stdout). With `feed_url` the page offers every way to subscribe to the feed.
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
        Err(outcome) => return outcome,
    };
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
    let text = html::render(&schedule, &events, &addresses);
    let Some(target) = output.filter(|p| *p != Path::new("-")) else {
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
    commands::deliver(target, text.as_bytes(), &done, stderr)
}

/// `syllabus-ics publish`: checks the schedule, renders the site, then replaces `out` with
/// it whole. `out` must be new, empty, or a site an earlier run wrote. With `previous` (the
/// feed subscribers have now), events keep or raise their SEQUENCE and stamps, in the feed
/// and in each session's file alike.
pub fn site(
    path: &Path,
    out: &Path,
    base_url: &str,
    previous: Option<&Path>,
    context: &Context,
) -> Outcome {
    let base = match public_url("--base-url", base_url) {
        Ok(base) if base.contains(['?', '#']) => {
            return failed(
                format!(
                    "`--base-url` `{}` has a query or a fragment",
                    base.escape_debug()
                ),
                "pass the address the directory is served from, e.g. `https://owner.github.io/meetup`",
            );
        }
        Ok(base) => base.trim_end_matches('/').to_owned(),
        Err(outcome) => return outcome,
    };
    if let Err(outcome) = replaceable(out, path) {
        return outcome;
    }
    let (source, schedule, mut stderr) = match checked(path, context) {
        Ok(checked) => checked,
        Err(outcome) => return outcome,
    };
    let events = event::events(&schedule);
    let stamp = context
        .stamp
        .unwrap_or_else(|| commands::default_stamp(schedule.calendar.year));
    let revisions = match commands::revisions(
        previous,
        &schedule,
        &events,
        stamp,
        &source,
        context,
        &mut stderr,
    ) {
        Ok(revisions) => revisions,
        Err(code) => {
            return Outcome::report(stderr, code);
        }
    };
    let addresses = Addresses {
        feed: Some(format!("{base}/{FEED_FILE}")),
        page: Some(format!("{base}/")),
        download: FEED_FILE.to_owned(),
    };
    let files = match files(&schedule, &events, &addresses, &revisions) {
        Ok(files) => files,
        Err(problem) => {
            stderr.push_str(&format!(
                "error: {problem}; nothing was written\n  = help: this is a bug in syllabus-ics; please report it with the schedule that caused it\n"
            ));
            return Outcome::report(stderr, FAILED);
        }
    };
    match replace(out, &files) {
        Ok(()) => {
            stderr.push_str(&format!(
                "wrote the site of {} to `{}`: index.html, {FEED_FILE} ({}) and {}\n  members subscribe at {base}/{FEED_FILE}, from the page at {base}/\n",
                schedule.calendar.name,
                out.display(),
                plural(events.len(), "event"),
                plural(events.len(), "session file"),
            ));
            Outcome::report(stderr, OK)
        }
        Err(error) => {
            stderr.push_str(&format!(
                "error: could not write the site to `{}`: {}; the previous site, if any, is unchanged\n  = help: check that the directory beside it is writable, and that the disk has space\n",
                out.display(),
                io_reason(&error)
            ));
            Outcome::report(stderr, FAILED)
        }
    }
}

/// The site: each file's path inside the directory, and its contents. Every calendar file
/// is read back before anything is written.
fn files(
    schedule: &Schedule,
    events: &[Event],
    addresses: &Addresses,
    revisions: &ics::Revisions,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    // Each event read back as it is written, as `build` does.
    let calendar = |events: &[Event]| {
        ics::render_verified(schedule, events, revisions).map(ics::Feed::into_string)
    };
    let feed = calendar(events)
        .map_err(|problem| format!("the rendered feed did not read back correctly: {problem}"))?;
    let mut files = vec![
        (MARKER.to_owned(), MARKER_TEXT.as_bytes().to_vec()),
        // GitHub Pages would otherwise run the site through Jekyll.
        (".nojekyll".to_owned(), Vec::new()),
        (
            "index.html".to_owned(),
            html::render(schedule, events, addresses).into_bytes(),
        ),
        (FEED_FILE.to_owned(), feed.into_bytes()),
    ];
    for event in events {
        // The same file as `build --session <id>`.
        let text = calendar(std::slice::from_ref(event)).map_err(|problem| {
            format!(
                "the calendar file of session `{}` did not read back correctly: {problem}",
                event.session.id
            )
        })?;
        files.push((html::session_file(&event.session.id), text.into_bytes()));
    }
    Ok(files)
}

/// Reads and checks the schedule: its source, the schedule and the diagnostics so far, or
/// the outcome that stops the command (exit 1 for errors in the schedule).
fn checked(path: &Path, context: &Context) -> Result<(SourceFile, Schedule, String), Outcome> {
    let source = commands::read(path)?;
    let checked = crate::check(&source);
    let tally = Tally::of(&checked.diagnostics);
    let mut stderr = report::human(&checked.diagnostics, &source, context.color);
    match checked.schedule {
        Some(schedule) if tally.errors == 0 => Ok((source, schedule, stderr)),
        _ => {
            stderr.push_str(&format!(
                "error: `{}` has {}; nothing was written\n",
                source.name,
                plural(tally.errors, "error")
            ));
            Err(Outcome::report(
                stderr,
                if checked.unparsable { FAILED } else { INVALID },
            ))
        }
    }
}

/// A public http(s) address from the command line, trimmed.
fn public_url(flag: &str, text: &str) -> Result<String, Outcome> {
    let url = text.trim();
    let host = ["https://", "http://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| {
                url[scheme.len()..]
                    .split(['/', '?', '#'])
                    .next()
                    .unwrap_or("")
            })
    });
    let plain = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    match host {
        Some(host) if !host.is_empty() && plain => Ok(url.to_owned()),
        _ => Err(failed(
            format!(
                "`{flag}` is `{}`, not an http or https address",
                text.escape_debug()
            ),
            "pass the public address, e.g. `https://owner.github.io/meetup`",
        )),
    }
}

/// Whether `out` may be replaced: it is new, empty, or a site an earlier run wrote, and
/// the schedule is not inside it.
fn replaceable(out: &Path, schedule: &Path) -> Result<(), Outcome> {
    let name = out.display();
    if out.file_name().is_none() {
        return Err(failed(
            format!("`{name}` is not a directory that can be replaced"),
            "pass a directory of its own, e.g. `--out public`",
        ));
    }
    let metadata = match fs::symlink_metadata(out) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => {
            return Err(failed(
                format!("could not read `{name}`: {}", io_reason(&error)),
                "check the directory's permissions",
            ));
        }
    };
    if metadata.file_type().is_symlink() {
        return Err(failed(
            format!("`{name}` is a symbolic link"),
            "publish replaces the directory itself; pass the directory the link points to",
        ));
    }
    if !metadata.is_dir() {
        return Err(failed(
            format!("`{name}` is a file, not a directory"),
            "pass a new directory, e.g. `--out public`",
        ));
    }
    if let (Ok(out), Ok(schedule)) = (out.canonicalize(), schedule.canonicalize())
        && schedule.starts_with(&out)
    {
        return Err(failed(
            format!("the schedule is inside `{name}`, which publish replaces whole"),
            "keep the schedule outside the output directory",
        ));
    }
    let marked = fs::symlink_metadata(out.join(MARKER)).is_ok_and(|m| m.is_file());
    let empty = fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_none());
    if marked || empty {
        return Ok(());
    }
    Err(failed(
        format!("`{name}` is not empty and was not written by `syllabus-ics publish`"),
        "publish replaces the whole directory; pass a new or empty one, e.g. `--out public`",
    ))
}

/// Writes `files` into a new directory beside `out`, then swaps it in: the old site is
/// moved aside and removed only once the new one is in place. Nothing outside `out` and
/// the two temporary directories beside it is touched.
fn replace(out: &Path, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    fs::create_dir_all(parent)?;
    let staged = tempfile::Builder::new()
        .prefix(".syllabus-ics-site-")
        .tempdir_in(parent)?;
    for (name, contents) in files {
        let target = staged.path().join(name);
        if let Some(dir) = target.parent()
            && dir != staged.path()
        {
            fs::create_dir_all(dir)?;
            make_public(dir, true)?;
        }
        let mut file = File::create(&target)?;
        file.write_all(contents)?;
        file.sync_all()?;
        make_public(&target, false)?;
    }
    // A temporary directory is private; the site is meant to be served.
    match fs::metadata(out) {
        Ok(existing) => fs::set_permissions(staged.path(), existing.permissions())?,
        Err(_) => make_public(staged.path(), true)?,
    }
    if fs::symlink_metadata(out).is_err() {
        fs::rename(staged.path(), out)?;
        let _kept: PathBuf = staged.keep();
        return Ok(());
    }
    let retired = tempfile::Builder::new()
        .prefix(".syllabus-ics-old-")
        .tempdir_in(parent)?;
    let old = retired.path().join("site");
    fs::rename(out, &old)?;
    if let Err(error) = fs::rename(staged.path(), out) {
        // Put the old site back; `staged` and `retired` are removed when dropped.
        fs::rename(&old, out)?;
        return Err(error);
    }
    let _kept: PathBuf = staged.keep();
    // The new site is in place; failing to remove the old one loses nothing.
    let _ = retired.close();
    Ok(())
}

#[cfg(unix)]
fn make_public(path: &Path, directory: bool) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if directory { 0o755 } else { 0o644 };
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn make_public(_path: &Path, _directory: bool) -> io::Result<()> {
    Ok(())
}

fn failed(what: String, help: &str) -> Outcome {
    Outcome::report(format!("error: {what}\n  = help: {help}\n"), FAILED)
}
