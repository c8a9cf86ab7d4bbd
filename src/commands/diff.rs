//! `syllabus-ics diff FEED [SCHEDULE]`: what subscribers of FEED will see change when the
//! schedule's feed replaces it, one line an event, before anything is published.

use std::fmt::Write as _;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Context, OK, Outcome, checked};
use crate::error::FeedRole;
use crate::event;
use crate::ics::changes::{self, Change};
use crate::ics::previous;
use crate::schedule::Schedule;

/// How `diff` prints the changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DiffFormat {
    #[default]
    Human,
    Json,
    /// A table for a pull request comment or a job summary.
    Markdown,
}

/// The changes from the feed at `feed` to the feed of the schedule at `path`. Exit 0 with
/// or without changes; 1 when the schedule has errors, 2 when a file cannot be read.
pub fn diff(feed: &Path, path: &Path, format: DiffFormat, context: &Context) -> Outcome {
    let (_, schedule, stderr) = match checked(path, context) {
        Ok(checked) => checked,
        Err(outcome) => return outcome,
    };
    let found = previous::read(feed, FeedRole::Compared).and_then(|previous| {
        let events = event::events(&schedule);
        changes::between(
            &previous,
            &schedule,
            &events,
            schedule.calendar.url.as_deref(),
        )
    });
    let changes = match found {
        Ok(changes) => changes,
        Err(error) => return Outcome::stopped(stderr, &error),
    };
    let feed_name = feed.display().to_string();
    let shown: Vec<Shown> = changes.iter().map(|c| Shown::of(c, &schedule)).collect();
    let stdout = match format {
        DiffFormat::Human => human(&shown, &feed_name),
        DiffFormat::Json => json(&shown, &feed_name, &path.display().to_string()),
        DiffFormat::Markdown => markdown(&shown, &feed_name),
    };
    Outcome {
        stdout: stdout.into_bytes(),
        stderr,
        code: OK,
        ..Outcome::default()
    }
}

/// A change as it is printed: kinds as words, times in every published zone.
#[derive(Debug, Serialize)]
struct Shown {
    uid: String,
    /// The session id: the UID up to its `@`.
    session: String,
    changes: Vec<&'static str>,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    old_title: Option<String>,
    before: Option<When>,
    after: Option<When>,
}

#[derive(Debug, Serialize)]
struct When {
    utc: String,
    /// `Mon Apr 15, 5:00pm PDT / Tue Apr 16, 8:00am BJT`
    published: String,
}

impl Shown {
    fn of(change: &Change, schedule: &Schedule) -> Self {
        let when = |at: Option<DateTime<Utc>>| {
            at.map(|at| When {
                utc: at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                published: event::published_times(&schedule.calendar, at),
            })
        };
        Shown {
            uid: change.uid.clone(),
            session: change
                .uid
                .rsplit_once('@')
                .map_or(change.uid.as_str(), |(id, _)| id)
                .to_owned(),
            changes: change.kinds.iter().map(|k| k.name()).collect(),
            title: change.title.clone(),
            old_title: change.old_title.clone(),
            before: when(change.before),
            after: when(change.after),
        }
    }

    fn kinds(&self) -> String {
        self.changes.join(", ")
    }

    /// `Old title -> New title`, or the title.
    fn titles(&self) -> String {
        match &self.old_title {
            Some(old) => format!("{old} -> {}", self.title),
            None => self.title.clone(),
        }
    }

    /// `before -> after` when the time moved, else the one time there is.
    fn times(&self) -> String {
        let text = |when: &Option<When>| {
            when.as_ref()
                .map_or("an unknown time".to_owned(), |w| w.published.clone())
        };
        if self.changes.contains(&"moved") {
            format!("{} -> {}", text(&self.before), text(&self.after))
        } else if self.after.is_some() {
            text(&self.after)
        } else {
            text(&self.before)
        }
    }
}

fn human(shown: &[Shown], feed: &str) -> String {
    let mut text = String::new();
    let width = shown.iter().map(|s| s.kinds().len()).max().unwrap_or(0);
    for change in shown {
        let _ = writeln!(
            text,
            "{:width$}  {}: {} ({})",
            change.kinds(),
            change.session,
            change.titles(),
            change.times(),
        );
    }
    let _ = writeln!(text, "{}", summary(shown.len(), feed));
    text
}

fn summary(count: usize, feed: &str) -> String {
    match count {
        0 => format!("no changes for subscribers of `{feed}`"),
        1 => format!("1 event changes for subscribers of `{feed}`"),
        n => format!("{n} events change for subscribers of `{feed}`"),
    }
}

fn json(shown: &[Shown], feed: &str, schedule: &str) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        feed: &'a str,
        schedule: &'a str,
        count: usize,
        changes: &'a [Shown],
    }
    let report = Report {
        feed,
        schedule,
        count: shown.len(),
        changes: shown,
    };
    // Plain strings and numbers always serialize.
    serde_json::to_string_pretty(&report).expect("a diff serializes") + "\n"
}

fn markdown(shown: &[Shown], feed: &str) -> String {
    let mut text = String::from("### What subscribers will see\n\n");
    if shown.is_empty() {
        let _ = writeln!(text, "No changes for subscribers of `{feed}`.");
        return text;
    }
    text.push_str("| change | session | title | time |\n|---|---|---|---|\n");
    for change in shown {
        let _ = writeln!(
            text,
            "| {} | `{}` | {} | {} |",
            change.kinds(),
            change.session,
            cell(&change.titles()),
            cell(&change.times()),
        );
    }
    let _ = writeln!(text, "\n{}.", summary(shown.len(), feed));
    text
}

/// Text safe inside a table cell: no pipe ends the cell, no line break ends the row, and no
/// markup or HTML from a title is rendered.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}
