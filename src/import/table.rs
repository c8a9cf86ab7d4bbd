//! Finds GitHub-flavoured markdown tables in a document (read by pulldown-cmark) and splits
//! them into cells, each with its place in the file and its inline markdown read. Knows what
//! the columns of a schedule are called; knows nothing about what a cell means.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::inline::{self, Token};
use crate::source::Span;

/// A cell as written: the raw markdown, trimmed, where it is, and its inline markdown read.
#[derive(Clone, Debug)]
pub(crate) struct Cell {
    pub(crate) raw: String,
    pub(crate) span: Span,
    /// Where the cell's text ends in the file, before the pipe that closes it.
    end: usize,
    pub(crate) tokens: Vec<Token>,
}

#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub(crate) cells: Vec<Cell>,
    /// The whole line, for problems with the row itself.
    pub(crate) span: Span,
}

#[derive(Clone, Debug)]
pub(crate) struct Table {
    pub(crate) header: Vec<Cell>,
    pub(crate) rows: Vec<Row>,
}

/// What a column holds, by its header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Column {
    Time,
    Topic,
    Prepare,
    Additional,
    Reflection,
    Presenter,
    Notes,
    Recording,
    /// A header the importer does not know: its cells are kept in `notes` under it.
    Other(String),
}

impl Column {
    /// The column a header names, compared without case, punctuation or plural `s`.
    pub(crate) fn named(header: &str) -> Column {
        let words: Vec<String> = header
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                w.strip_suffix('s')
                    .filter(|s| s.len() > 2)
                    .unwrap_or(w)
                    .to_owned()
            })
            .collect();
        let name = words.join(" ");
        match name.as_str() {
            "time" | "time zoom" | "date" | "date time" | "when" | "time and zoom" => Column::Time,
            "topic" | "title" | "subject" | "session" => Column::Topic,
            "prepare reading" | "reading" | "required reading" | "prepare" => Column::Prepare,
            "additional reading" | "further reading" | "optional reading" => Column::Additional,
            "pre meetup reflection" | "reflection" => Column::Reflection,
            "presenter" | "speaker" | "presented by" | "discussion lead" => Column::Presenter,
            "note" | "slide" => Column::Notes,
            "recording" | "video" => Column::Recording,
            _ => Column::Other(header.trim().to_owned()),
        }
    }
}

/// Every table in the text, in order, as pulldown-cmark reads GitHub-flavoured markdown (so
/// tables inside fenced code are not tables). A row with more cells than the header keeps
/// them, although GFM drops them: the importer warns and keeps them in `notes`.
pub(crate) fn tables(text: &str) -> Vec<Table> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut tables = Vec::new();
    let mut table: Option<Table> = None;
    let mut cells: Vec<Cell> = Vec::new();
    let mut cell: Option<(Range<usize>, Vec<Event<'_>>)> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Table(_)) => {
                table = Some(Table {
                    header: Vec::new(),
                    rows: Vec::new(),
                });
            }
            Event::End(TagEnd::Table) => tables.extend(table.take()),
            Event::Start(Tag::TableHead | Tag::TableRow) => cells.clear(),
            Event::End(TagEnd::TableHead) => {
                if let Some(table) = table.as_mut() {
                    table.header = std::mem::take(&mut cells);
                }
            }
            Event::End(TagEnd::TableRow) => {
                let mut row = std::mem::take(&mut cells);
                // The row's own range may start before its line (at the previous line end).
                let line = line(text, row.first().map_or(range.start, |c| c.span.start));
                let end = range.end.min(line.end);
                let after = row.last().map_or(range.start, |c| c.end).min(end);
                row.extend(extra_cells(text, after..end));
                if let Some(table) = table.as_mut() {
                    table.rows.push(Row {
                        cells: row,
                        span: Span::new(line.start, line.end),
                    });
                }
            }
            Event::Start(Tag::TableCell) => cell = Some((range, Vec::new())),
            Event::End(TagEnd::TableCell) => {
                if let Some((range, events)) = cell.take() {
                    cells.push(Cell::new(text, range, inline::tokens(events)));
                }
            }
            event => {
                if let Some((_, events)) = cell.as_mut() {
                    events.push(event);
                }
            }
        }
    }
    tables
}

/// The line around `at`, without its line ending.
fn line(text: &str, at: usize) -> Range<usize> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let end = if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    start..end
}

/// The cells written after the last one GFM reads in a row: the text between pipes that are
/// not escaped (`\|`), without the row's closing pipe.
fn extra_cells(text: &str, range: Range<usize>) -> Vec<Cell> {
    let rest = &text[range.clone()];
    let bytes = rest.as_bytes();
    let mut escaped = false;
    let pipes: Vec<usize> = (0..bytes.len())
        .filter(|&i| {
            let pipe = bytes[i] == b'|' && !escaped;
            escaped = bytes[i] == b'\\' && !escaped;
            pipe
        })
        .collect();
    let mut found = Vec::new();
    for pair in pipes.windows(2) {
        let cell = range.start + pair[0] + 1..range.start + pair[1];
        found.push(cell);
    }
    if let Some(&last) = pipes.last()
        && !rest[last + 1..].trim().is_empty()
    {
        found.push(range.start + last + 1..range.end);
    }
    found
        .into_iter()
        .map(|cell| {
            // Kept as written in `notes`, so their markdown is not read.
            Cell::new(text, cell, Vec::new())
        })
        .collect()
}

impl Cell {
    /// The cell at `range` of `text`, trimmed, with its inline markdown read as `tokens`.
    fn new(text: &str, range: Range<usize>, tokens: Vec<Token>) -> Cell {
        let raw = &text[range.clone()];
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        let at = range.start + lead;
        Cell {
            raw: trimmed.to_owned(),
            span: Span::new(at, at + trimmed.len()),
            end: range.end,
            tokens,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(cells: &[Cell]) -> Vec<&str> {
        cells.iter().map(|c| c.raw.as_str()).collect()
    }

    #[test]
    fn a_table_splits_into_header_and_rows_with_places() {
        let text = "intro\n\n| Time | Topic |\n| --- | :-: |\n| TBD | Containers |\n\nafter | x\n";
        let tables = tables(text);
        assert_eq!(tables.len(), 1);
        assert_eq!(raw(&tables[0].header), ["Time", "Topic"]);
        assert_eq!(tables[0].rows.len(), 1);
        let cell = &tables[0].rows[0].cells[1];
        assert_eq!(&text[cell.span.range()], "Containers");
    }

    #[test]
    fn escaped_pipes_stay_in_their_cell() {
        let text = "Time | Topic\n---|---\nTBD | A \\| B\n";
        let tables = tables(text);
        assert_eq!(raw(&tables[0].rows[0].cells), ["TBD", "A \\| B"]);
    }

    #[test]
    fn empty_cells_are_kept_and_tables_in_code_are_not_tables() {
        let text = "```\n| a | b |\n|---|---|\n```\n| a | b | c |\n|---|---|---|\n| x |  | z |\n";
        let tables = tables(text);
        assert_eq!(tables.len(), 1);
        assert_eq!(raw(&tables[0].rows[0].cells), ["x", "", "z"]);
    }

    #[test]
    fn cells_past_the_header_are_kept_with_their_places() {
        let text = "| Time | Topic |\n|---|---|\n| TBD | A | extra \\| one | two |\n";
        let tables = tables(text);
        let cells = &tables[0].rows[0].cells;
        assert_eq!(raw(cells), ["TBD", "A", "extra \\| one", "two"]);
        assert_eq!(&text[cells[3].span.range()], "two");
        assert_eq!(
            &text[tables[0].rows[0].span.range()],
            text.lines().nth(2).unwrap()
        );
    }

    #[test]
    fn headers_are_matched_by_name() {
        assert_eq!(Column::named("Time/Zoom"), Column::Time);
        assert_eq!(Column::named("PREPARE READINGS"), Column::Prepare);
        assert_eq!(Column::named("Pre-Meetup Reflection"), Column::Reflection);
        assert_eq!(Column::named("Notes"), Column::Notes);
        assert_eq!(Column::named("Room"), Column::Other("Room".into()));
    }
}
