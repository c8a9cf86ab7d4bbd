//! One table row -> a session as drafted: its time (located halves), topic, readings and
//! links, and warnings for whatever it could not read, which it keeps verbatim in `notes`.
//! Judges no times (see `check::time`) and assigns no ids (see `import`).

use crate::check::text::url_problem;
use crate::diagnostic::Diagnostic;
use crate::import::inline::{self, Entry, Token};
use crate::import::table::{Cell, Column, Row};
use crate::label_map::LabelMap;
use crate::published::Located;
use crate::published::{self, page, visible::Visible};
use crate::schedule::Item;
use crate::source::Span;

/// A session as the row gives it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Draft {
    pub(crate) topic: String,
    pub(crate) time: Option<Time>,
    pub(crate) cancelled: bool,
    pub(crate) presenter: Option<String>,
    pub(crate) prepare: Vec<Item>,
    pub(crate) additional: Vec<Item>,
    pub(crate) reflection: Option<Item>,
    pub(crate) notes: Vec<Item>,
    pub(crate) recording: Option<Item>,
    pub(crate) links: Vec<Item>,
    /// The Zoom link of the time cell, if it has one.
    pub(crate) zoom: Option<String>,
    /// What could not be read; the caller adds the session id.
    pub(crate) warnings: Vec<Diagnostic>,
}

/// A published time: its halves, located in the markdown, and the text to write.
#[derive(Clone, Debug)]
pub(crate) struct Time {
    pub(crate) halves: Vec<Located>,
    pub(crate) text: String,
}

/// A column of the table: what it holds, and its header as written.
#[derive(Clone, Debug)]
pub(crate) struct Heading {
    pub(crate) column: Column,
    pub(crate) name: String,
}

/// The draft of one row. Cells past the header's are kept in `notes`.
pub(crate) fn draft(row: &Row, headings: &[Heading], labels: &LabelMap) -> Draft {
    let mut draft = Draft::default();
    let mut topic = None;
    for (index, cell) in row.cells.iter().enumerate() {
        let Some(heading) = headings.get(index) else {
            if !cell.raw.is_empty() {
                draft.notes.push(Item {
                    title: Some(format!("Column {} (as published)", index + 1)),
                    note: Some(cell.raw.clone()),
                    url: None,
                });
                draft.warnings.push(unread(
                    cell,
                    format!(
                        "this row has {} cells but the header has {}",
                        row.cells.len(),
                        headings.len()
                    ),
                    "the extra cell is kept in the session's `notes`; add a header for it, or move it where it belongs in schedule.yaml",
                ));
            }
            continue;
        };
        match &heading.column {
            Column::Time => time_cell(cell, heading, labels, &mut draft),
            Column::Topic => topic = Some(topic_cell(cell, &mut draft)),
            Column::Presenter => presenter_cell(cell, &mut draft),
            Column::Prepare => draft.prepare = list(cell, heading, &mut draft.warnings),
            Column::Additional => draft.additional = list(cell, heading, &mut draft.warnings),
            Column::Notes => {
                let notes = list(cell, heading, &mut draft.warnings);
                draft.notes.extend(notes);
            }
            Column::Reflection => {
                let mut items = list(cell, heading, &mut draft.warnings).into_iter();
                draft.reflection = items.next();
                draft.links.extend(items);
            }
            Column::Recording => {
                let mut items = list(cell, heading, &mut draft.warnings).into_iter();
                draft.recording = items.next();
                draft.links.extend(items);
            }
            Column::Other(name) => {
                let items = list(cell, heading, &mut draft.warnings);
                draft
                    .notes
                    .extend(items.into_iter().map(|item| under(name, item)));
            }
        }
    }
    draft.topic = match topic.filter(|t| !t.is_empty()) {
        Some(topic) => topic,
        None => {
            draft.warnings.push(
                Diagnostic::warning("uninterpreted-cell", "this row has no topic")
                    .at(Span::new(row.span.start, row.span.end))
                    .label("row without a topic")
                    .help("it is imported with the topic `Untitled`; write the topic in schedule.yaml"),
            );
            "Untitled".to_owned()
        }
    };
    tidy(&mut draft);
    draft
}

/// Control characters (which `check` refuses in text) as spaces, in every text of the draft;
/// a text left blank by that is dropped, and so is an item left with neither title nor link.
fn tidy(draft: &mut Draft) {
    fn text(value: &mut Option<String>) {
        if let Some(text) = value.as_mut()
            && text.contains(char::is_control)
        {
            *text = text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
        }
        if value.as_ref().is_some_and(|t| t.trim().is_empty()) {
            *value = None;
        }
    }
    fn item(item: &mut Item) -> bool {
        text(&mut item.title);
        text(&mut item.note);
        item.title.is_some() || item.url.is_some()
    }
    let mut topic = Some(std::mem::take(&mut draft.topic));
    text(&mut topic);
    draft.topic = topic.unwrap_or_else(|| "Untitled".to_owned());
    text(&mut draft.presenter);
    for list in [
        &mut draft.prepare,
        &mut draft.additional,
        &mut draft.notes,
        &mut draft.links,
    ] {
        list.retain_mut(item);
    }
    for single in [&mut draft.reflection, &mut draft.recording] {
        if single.as_mut().is_some_and(|i| !item(i)) {
            *single = None;
        }
    }
}

/// An item of an unknown column, titled with the column's header.
fn under(header: &str, item: Item) -> Item {
    let title = match item.title {
        Some(title) => format!("{header}: {title}"),
        None => header.to_owned(),
    };
    Item {
        title: Some(title),
        ..item
    }
}

fn unread(cell: &Cell, message: String, help: &str) -> Diagnostic {
    Diagnostic::warning("uninterpreted-cell", message)
        .at(cell.span)
        .label("kept as written")
        .help(help)
}

/// The cell as written, as a note titled with its column.
fn verbatim(cell: &Cell, heading: &Heading) -> Item {
    Item {
        title: Some(format!("{} (as published)", heading.name)),
        url: None,
        note: Some(cell.raw.clone()),
    }
}

fn is_zoom(text: &str, url: &str) -> bool {
    let url = url.to_ascii_lowercase();
    text.to_lowercase().contains("zoom") || url.contains("zoom.us/") || url.contains("zoom.com/")
}

/// The time cell: dual times, the Zoom link, other links; crossed out means cancelled.
fn time_cell(cell: &Cell, heading: &Heading, labels: &LabelMap, draft: &mut Draft) {
    let tokens = cell.tokens.clone();
    for token in &tokens {
        if let Token::Link { text, url } = token {
            if draft.zoom.is_none() && is_zoom(text, url) && url_problem(url).is_none() {
                draft.zoom = Some(url.clone());
            } else {
                draft
                    .links
                    .extend(link_items(cell, heading, text, url, &mut draft.warnings));
            }
        }
    }
    let visible = Visible::of(&cell.raw, cell.span.start, false);
    let key = |label: &str| {
        labels
            .zone(label)
            .map_or_else(|| label.to_ascii_uppercase(), |z| z.name().to_owned())
    };
    let found = page::halves(&visible.text, |label| labels.zone(label).is_some());
    let mut groups = page::group(found, &visible.text, key).into_iter();
    let words: String = tokens
        .iter()
        .filter_map(|t| match t {
            Token::Text(text) => Some(text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ");
    let Some(first) = groups.next() else {
        let text = words.trim_matches(is_separator);
        draft.cancelled |= tokens.contains(&Token::Strike);
        if !(published::is_undated(text) || inline::is_nothing(text)) {
            draft.notes.push(verbatim(cell, heading));
            draft.warnings.push(unread(
                cell,
                format!("`{text}` is not a published time"),
                "the session is imported without a date (TBD) and the cell is kept in its `notes`; write its `time` as `APR. 15: 5:00pm PST, APR. 16: 8:00am BJT`",
            ));
        }
        return;
    };
    let halves: Result<Vec<Located>, published::Problem> = first
        .iter()
        .map(|found| {
            let span = visible.span(found.range.clone());
            found.half.clone().map(|half| Located::in_text(half, span))
        })
        .collect();
    let halves = match halves {
        Ok(halves) => halves,
        Err(problem) => {
            draft.notes.push(verbatim(cell, heading));
            draft.warnings.push(unread(
                cell,
                format!("the time cannot be read: {}", problem.message),
                &format!(
                    "the session is imported without a date (TBD) and the cell is kept in its `notes`; {}",
                    problem.help
                ),
            ));
            return;
        }
    };
    let texts: Vec<&str> = first
        .iter()
        .map(|f| &visible.text[f.range.clone()])
        .collect();
    // A time written in the looser shapes (`Tuesday Jun 16: 2pm PT / 5pm ET`) is kept whole:
    // its date is written once, before the halves.
    let loose = first.iter().any(|f| f.together.is_some());
    let mut rest = words;
    for text in &texts {
        rest = rest.replacen(text, " ", 1);
    }
    if !loose && !rest.trim_matches(is_separator).is_empty() {
        draft.notes.push(verbatim(cell, heading));
        draft.warnings.push(unread(
            cell,
            format!(
                "`{}` in the time cell is not part of the time",
                rest.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .trim_matches(is_separator)
            ),
            "the time is imported, and the whole cell is kept in the session's `notes`",
        ));
    }
    let first_at = halves
        .first()
        .map_or(0, |h| h.span.start.saturating_sub(cell.span.start));
    let strikes_before = cell.raw.get(..first_at).unwrap_or("").matches("~~").count();
    draft.cancelled |= strikes_before % 2 == 1;
    draft.time = Some(Time {
        text: if loose {
            visible
                .text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            texts.join(", ")
        },
        halves,
    });
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || ",;/|()-\u{2013}\u{2014}".contains(c)
}

/// The topic as text; its links go to `links`; crossed out, CANCELLED or a holiday cancels.
fn topic_cell(cell: &Cell, draft: &mut Draft) -> String {
    let tokens = cell.tokens.clone();
    for token in &tokens {
        if let Token::Link { text, url } = token {
            let heading = Heading {
                column: Column::Topic,
                name: "Topic".into(),
            };
            draft
                .links
                .extend(link_items(cell, &heading, text, url, &mut draft.warnings));
        }
    }
    let mut topic = inline::plain(&tokens);
    if let Some(inner) = topic.strip_prefix('(').and_then(|t| t.strip_suffix(')'))
        && !inner.contains(['(', ')'])
    {
        topic = inner.trim().to_owned();
    }
    let lower = topic.to_lowercase();
    let says_cancelled = lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "cancelled" | "canceled" | "holiday" | "holidays"));
    draft.cancelled |= says_cancelled || tokens.contains(&Token::Strike);
    topic
}

fn presenter_cell(cell: &Cell, draft: &mut Draft) {
    let tokens = cell.tokens.clone();
    let text = inline::plain(&tokens);
    if inline::is_nothing(&text) {
        return;
    }
    let heading = Heading {
        column: Column::Presenter,
        name: "Presenter".into(),
    };
    for token in &tokens {
        if let Token::Link { text, url } = token {
            draft
                .links
                .extend(link_items(cell, &heading, text, url, &mut draft.warnings));
        }
    }
    draft.presenter = Some(text);
}

/// The items a cell lists; what it cannot read is kept as a note, with a warning.
fn list(cell: &Cell, heading: &Heading, warnings: &mut Vec<Diagnostic>) -> Vec<Item> {
    let mut items = Vec::new();
    for entry in inline::entries(&cell.tokens) {
        match entry {
            Entry::Item(item) => items.extend(checked_link(cell, heading, item, warnings)),
            Entry::Unread(markdown) => {
                warnings.push(unread(
                    cell,
                    format!(
                        "`{markdown}` in `{}` is not one reading or link",
                        heading.name
                    ),
                    "it is kept as written in the session's `notes`; split it into items in schedule.yaml",
                ));
                items.push(Item {
                    title: Some(format!("{} (as published)", heading.name)),
                    url: None,
                    note: Some(markdown),
                });
            }
        }
    }
    items
}

/// A link as an item (titled with its text unless that is the link itself).
fn link_items(
    cell: &Cell,
    heading: &Heading,
    text: &str,
    url: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Option<Item> {
    let title = Some(text.trim().to_owned()).filter(|t| !t.is_empty() && t != url);
    checked_link(
        cell,
        heading,
        Item {
            title,
            url: Some(url.to_owned()),
            note: None,
        },
        warnings,
    )
}

/// An item whose link `check` would refuse keeps the link in its note instead, with a warning.
fn checked_link(
    cell: &Cell,
    heading: &Heading,
    item: Item,
    warnings: &mut Vec<Diagnostic>,
) -> Option<Item> {
    let Some(url) = item.url.clone() else {
        return Some(item);
    };
    let Some(problem) = url_problem(&url) else {
        return Some(item);
    };
    warnings.push(unread(
        cell,
        format!("`{url}` in `{}` is not a web link: {problem}", heading.name),
        "it is kept in the item's note; write the full https:// link in schedule.yaml",
    ));
    let note = match item.note {
        Some(note) => format!("{note}; link as published: {url}"),
        None => format!("link as published: {url}"),
    };
    Some(Item {
        title: Some(item.title.unwrap_or_else(|| heading.name.clone())),
        url: None,
        note: Some(note),
    })
}
