//! A schedule table in markdown (a Hugo or GitHub page) -> schedule.yaml; the command is
//! `commands::import`.
//! Drafts one session per row of the first schedule table, judges every dual time with the
//! judge `check` uses (so diagnostics point into the markdown), writes the YAML text, and reads
//! it back with `check` before anything is written. Never guesses a zone: labels come from a
//! small built-in map or `--zone`. Reads no clock or environment; `main` passes them in.

mod inline;
mod row;
mod table;
mod yaml;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use crate::check::Findings;
use crate::check::time::{self, Context};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::label_map::{self, LabelMap};
use crate::published::page;
use crate::source::SourceFile;

use row::{Draft, Heading};
use table::Column;

/// What `import` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The markdown file holding the table.
    pub table: PathBuf,
    /// Where to write schedule.yaml; `None` or `-` is stdout.
    pub output: Option<PathBuf>,
    /// Replace an existing output file.
    pub force: bool,
    /// The year of the first session; else a date in the file.
    pub year: Option<i32>,
    /// `calendar.id`; else a slug of the name.
    pub id: Option<String>,
    /// `calendar.name`; else the page's title, else the file's name.
    pub name: Option<String>,
    /// `calendar.timezone` (IANA); else the zone of the first published time.
    pub timezone: Option<String>,
    /// `LABEL=IANA` for labels the built-in map does not know, or means otherwise.
    pub zones: Vec<String>,
}

/// Why an import stopped before writing anything.
pub(crate) enum Stop {
    /// What went wrong, with the way out.
    Failed(Box<Error>),
    /// Problems located in the table (unknown zone labels).
    Diagnosed(Vec<Diagnostic>),
}

impl From<Error> for Stop {
    fn from(error: Error) -> Self {
        Stop::Failed(Box::new(error))
    }
}

/// The schedule an import gives: the YAML text and what was found on the way.
pub(crate) struct Imported {
    pub(crate) yaml: String,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) sessions: usize,
    pub(crate) undated: usize,
    pub(crate) cancelled: usize,
}

/// Reads the table of `source` into schedule.yaml text, judging every dual time.
pub(crate) fn import(
    source: &SourceFile,
    options: &Options,
    labels: &LabelMap,
    written_name: &str,
) -> Result<Imported, Stop> {
    let tables = table::tables(&source.text);
    let headers = |table: &table::Table| -> Vec<Heading> {
        let mut seen: Vec<Column> = Vec::new();
        table
            .header
            .iter()
            .map(|cell| {
                let name = inline::plain(&cell.tokens);
                let mut column = Column::named(&name);
                // A known column written twice: the second is kept like an unknown one.
                if seen.contains(&column) {
                    column = Column::Other(name.clone());
                }
                seen.push(column.clone());
                Heading { column, name }
            })
            .collect()
    };
    let Some((index, table)) = tables
        .iter()
        .enumerate()
        .find(|(_, t)| headers(t).iter().any(|h| h.column == Column::Topic))
    else {
        return Err(match tables.first() {
            None => Error::NoTable {
                name: source.name.clone(),
            },
            Some(first) => Error::NoColumn {
                name: source.name.clone(),
                column: "Topic",
                headers: names(&headers(first)),
            },
        }
        .into());
    };
    let headings = headers(table);
    if !headings.iter().any(|h| h.column == Column::Time) {
        return Err(Error::NoColumn {
            name: source.name.clone(),
            column: "Time",
            headers: names(&headings),
        }
        .into());
    }
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for (cell, heading) in table.header.iter().zip(&headings) {
        if let Column::Other(name) = &heading.column {
            diagnostics.push(
                Diagnostic::warning("unknown-column", format!("column `{name}` is not a schedule column"))
                    .at(cell.span)
                    .label("not imported as a field")
                    .help("its cells are kept in each session's `notes`; known columns are Time, Topic, Prepare Reading, Additional Reading, Pre-Meetup Reflection, Presenter, Notes and Recording"),
            );
        }
    }
    for (other, extra) in tables.iter().enumerate().filter(|(i, _)| *i != index) {
        if let Some(first) = extra.header.first() {
            diagnostics.push(
                Diagnostic::warning(
                    "uninterpreted-table",
                    format!("table {} of `{}` is not imported", other + 1, source.name),
                )
                .at(first.span)
                .label("only one table is imported")
                .help("import imports the first table with a `Topic` column; copy this one into its own file to import it"),
            );
        }
    }
    let drafts: Vec<Draft> = table
        .rows
        .iter()
        .filter(|row| row.cells.iter().any(|c| !c.raw.is_empty()))
        .map(|row| row::draft(row, &headings, labels))
        .collect();

    let used: Vec<String> = drafts
        .iter()
        .flat_map(|d| d.time.iter().flat_map(|t| &t.halves))
        .map(|h| h.half.label.clone())
        .fold(Vec::new(), |mut used, label| {
            if !used.contains(&label) {
                used.push(label);
            }
            used
        });
    let unknown: Vec<Diagnostic> = drafts
        .iter()
        .flat_map(|d| d.time.iter().flat_map(|t| &t.halves))
        .filter(|h| labels.zone(&h.half.label).is_none())
        .map(|h| label_map::unknown(&h.half.label, h.label_span, labels))
        .collect();
    if !unknown.is_empty() {
        return Err(Stop::Diagnosed(unknown));
    }

    let Some(year) = page::given_or_named_year(options.year, &source.text)? else {
        return Err(Error::NoYear {
            name: source.name.clone(),
            fits: Vec::new(),
        }
        .into());
    };
    let zones = labels.for_calendar(&used);
    if zones.is_empty() {
        return Err(Error::NoZone.into());
    }
    let timezone = match &options.timezone {
        Some(name) => name
            .trim()
            .parse::<Tz>()
            .map_err(|_| Error::NotATimezone { name: name.clone() })?,
        None => drafts
            .iter()
            .find_map(|d| d.time.as_ref()?.halves.first())
            .and_then(|h| labels.zone(&h.half.label))
            .unwrap_or(zones[0].zone),
    };
    let name = options
        .name
        .clone()
        .or_else(|| page::title(&source.text))
        .or_else(|| file_stem(&options.table))
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Schedule".to_owned());
    let id = match &options.id {
        Some(id) => {
            let slugged = slug(id);
            if slugged != *id {
                return Err(Error::InvalidId {
                    id: id.clone(),
                    instead: or_default(&slugged),
                }
                .into());
            }
            slugged
        }
        None => or_default(&slug(&name)),
    };

    let meeting = drafts.iter().find_map(|d| d.zoom.clone());
    let ids = session_ids(&drafts);
    let mut findings = Findings::new(source);
    let mut previous = None;
    let mut sessions = Vec::with_capacity(drafts.len());
    for (draft, id) in drafts.iter().zip(&ids) {
        let mut comments = Vec::new();
        if let Some(time) = &draft.time {
            let before = findings.diagnostics.len();
            let context = Context {
                labels: &zones,
                year,
                previous,
                session: Some(id),
            };
            if let Some(instant) = time::judge(&time.halves, &context, &mut findings) {
                previous = Some(instant.date);
            }
            for diagnostic in findings.diagnostics[before..]
                .iter()
                .filter(|d| d.is_error())
            {
                let line = source.position(diagnostic.span.map_or(0, |s| s.start)).line;
                comments.push(format!(
                    "{}: {} ({}, line {line})",
                    diagnostic.code, diagnostic.message, source.name
                ));
                if let Some(help) = &diagnostic.help {
                    comments.push(format!("  {help}"));
                }
            }
        }
        diagnostics.extend(draft.warnings.iter().map(|w| w.clone().session(id.clone())));
        sessions.push(yaml::Session {
            id: id.clone(),
            comments,
            time: draft.time.as_ref().map(|t| t.text.clone()),
            topic: draft.topic.clone(),
            presenter: draft.presenter.clone(),
            prepare: draft.prepare.clone(),
            additional: draft.additional.clone(),
            reflection: draft.reflection.clone(),
            notes: draft.notes.clone(),
            recording: draft.recording.clone(),
            links: draft.links.clone(),
            cancelled: draft.cancelled,
            location: draft.zoom.clone().filter(|z| Some(z) != meeting.as_ref()),
        });
    }
    diagnostics.extend(findings.into_diagnostics());
    diagnostics.sort_by_key(|d| (d.span.map_or(usize::MAX, |s| s.start), d.code));

    let calendar = yaml::Calendar {
        id,
        name,
        timezone,
        year,
        meeting,
        zones,
    };
    let header = [
        format!(
            "Imported from `{}` by `syllabus-ics import`: one session per row, in table order.",
            source.name
        ),
        "Check it with `syllabus-ics check`. Session ids are stable: never change one once the feed is published.".to_owned(),
    ];
    let text = yaml::render(&header, &calendar, &sessions);
    read_back(&text, written_name, &diagnostics, sessions.len())?;
    Ok(Imported {
        yaml: text,
        sessions: sessions.len(),
        undated: sessions.iter().filter(|s| s.time.is_none()).count(),
        cancelled: sessions.iter().filter(|s| s.cancelled).count(),
        diagnostics,
    })
}

/// Reads the written text back with `check`: it must hold every session, and have no kind of
/// error but those already found in the table (a stale half stays as published, and stays an
/// error). Kinds, not counts, are compared: both lists stop growing at the same limit.
fn read_back(text: &str, name: &str, found: &[Diagnostic], sessions: usize) -> Result<(), Stop> {
    let checked = crate::check(&SourceFile::new(name, text));
    let unexpected = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .find(|d| !found.iter().any(|f| f.is_error() && f.code == d.code));
    let problem = match unexpected {
        Some(d) => format!("does not pass `check`: {}: {}", d.code, d.message),
        None if checked.unparsable || checked.sessions + checked.undated != sessions => {
            "does not read back as written".to_owned()
        }
        None => return Ok(()),
    };
    Err(Error::ImportUnchecked { problem }.into())
}

fn names(headings: &[Heading]) -> String {
    headings
        .iter()
        .map(|h| format!("`{}`", h.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn file_stem(path: &Path) -> Option<String> {
    path.file_stem().map(|s| s.to_string_lossy().into_owned())
}

fn or_default(slug: &str) -> String {
    if slug.is_empty() {
        "schedule".to_owned()
    } else {
        slug.to_owned()
    }
}

/// The longest id made from a topic, in bytes; longer topics are cut at a word.
const MAX_SLUG: usize = 60;

/// `GUEST SPEAKER: Brendan Burns` -> `guest-speaker-brendan-burns`.
pub(crate) fn slug(text: &str) -> String {
    let words: Vec<String> = text
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let mut slug = String::new();
    for word in words {
        let extra = if slug.is_empty() { 0 } else { 1 } + word.len();
        if slug.len() + extra > MAX_SLUG {
            if slug.is_empty() {
                slug = word[..MAX_SLUG.min(word.len())].to_owned();
            }
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    slug
}

/// One id per session, from its topic, made unique in table order with `-2`, `-3`.
fn session_ids(drafts: &[Draft]) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    // The next number to try for each topic's slug, so that many equal topics stay linear.
    let mut next: HashMap<String, usize> = HashMap::new();
    drafts
        .iter()
        .map(|draft| {
            let base = match slug(&draft.topic) {
                s if s.is_empty() => "session".to_owned(),
                s => s,
            };
            let mut id = base.clone();
            let n = next.entry(base.clone()).or_insert(2);
            while used.contains(&id) {
                id = format!("{base}-{n}");
                *n += 1;
            }
            used.insert(id.clone());
            id
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(
            slug("GUEST SPEAKER: Brendan Burns"),
            "guest-speaker-brendan-burns"
        );
        assert_eq!(slug("Virtualization I/O"), "virtualization-i-o");
        assert_eq!(slug("(U.S. Holiday)"), "u-s-holiday");
        assert_eq!(slug("☕"), "");
        let long = slug("GUEST SPEAKER SESSION: Next frontier of virtualization - WebAssembly");
        assert_eq!(
            long,
            "guest-speaker-session-next-frontier-of-virtualization"
        );
        assert!(long.len() <= MAX_SLUG);
    }

    #[test]
    fn repeated_topics_get_numbered_ids() {
        let draft = |topic: &str| Draft {
            topic: topic.into(),
            ..Draft::default()
        };
        let ids = session_ids(&[
            draft("Guest: TBD"),
            draft("Guest TBD"),
            draft("☕"),
            draft("Guest: TBD"),
        ]);
        assert_eq!(ids, ["guest-tbd", "guest-tbd-2", "session", "guest-tbd-3"]);
    }
}
