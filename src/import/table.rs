//! Finds GitHub-flavoured markdown tables in a document and splits them into cells, each with
//! its place in the file. Knows what the columns of a schedule are called; knows nothing
//! about what a cell means.

use crate::source::Span;

/// A cell as written: the raw markdown, trimmed, and where it is.
#[derive(Clone, Debug)]
pub(crate) struct Cell {
    pub(crate) raw: String,
    pub(crate) span: Span,
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

/// Every table in the text, in order. Tables inside fenced code blocks are not tables.
pub(crate) fn tables(text: &str) -> Vec<Table> {
    let lines = lines(text);
    let mut tables = Vec::new();
    let mut fenced = false;
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            i += 1;
            continue;
        }
        let delimiter = lines.get(i + 1).map(|(s, l)| cells(l, *s));
        match delimiter {
            Some(delimiter)
                if !fenced
                    && has_pipe(line)
                    && is_delimiter(&delimiter)
                    && cells(line, start).len() == delimiter.len() =>
            {
                let header = cells(line, start);
                let mut rows = Vec::new();
                i += 2;
                while let Some(&(start, line)) = lines.get(i) {
                    if line.trim().is_empty() || !has_pipe(line) {
                        break;
                    }
                    rows.push(Row {
                        cells: cells(line, start),
                        span: Span::new(start, start + line.len()),
                    });
                    i += 1;
                }
                tables.push(Table { header, rows });
            }
            _ => i += 1,
        }
    }
    tables
}

/// Each line with its offset, without its line ending.
fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n')
        .map(|line| {
            let start = offset;
            offset += line.len();
            (start, line.trim_end_matches(['\n', '\r']))
        })
        .collect()
}

fn has_pipe(line: &str) -> bool {
    pipes(line).next().is_some()
}

/// Offsets of the pipes that separate cells: not escaped (`\|`).
fn pipes(line: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = line.as_bytes();
    let mut escaped = false;
    (0..bytes.len()).filter(move |&i| {
        let byte = bytes[i];
        let pipe = byte == b'|' && !escaped;
        escaped = byte == b'\\' && !escaped;
        pipe
    })
}

/// The cells of a row at file offset `start`. Leading and trailing pipes are optional.
fn cells(line: &str, start: usize) -> Vec<Cell> {
    let content_start = line.len() - line.trim_start().len();
    let content_end = line.trim_end().len();
    if content_start >= content_end {
        return Vec::new();
    }
    let mut bounds: Vec<usize> = pipes(line).collect();
    let mut from = content_start;
    let mut to = content_end;
    if bounds.first() == Some(&content_start) {
        from += 1;
        bounds.remove(0);
    }
    if bounds.last() == Some(&(content_end - 1)) {
        to -= 1;
        bounds.pop();
    }
    let mut pieces = Vec::with_capacity(bounds.len() + 1);
    for bound in bounds {
        pieces.push(from..bound);
        from = bound + 1;
    }
    pieces.push(from..to.max(from));
    pieces
        .into_iter()
        .map(|range| {
            let raw = &line[range.clone()];
            let lead = raw.len() - raw.trim_start().len();
            let text = raw.trim();
            let at = start + range.start + lead;
            Cell {
                raw: text.to_owned(),
                span: Span::new(at, at + text.len()),
            }
        })
        .collect()
}

fn is_delimiter(cells: &[Cell]) -> bool {
    !cells.is_empty()
        && cells.iter().all(|cell| {
            let inner = cell.raw.trim_start_matches(':').trim_end_matches(':');
            !inner.is_empty() && inner.chars().all(|c| c == '-')
        })
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
    fn headers_are_matched_by_name() {
        assert_eq!(Column::named("Time/Zoom"), Column::Time);
        assert_eq!(Column::named("PREPARE READINGS"), Column::Prepare);
        assert_eq!(Column::named("Pre-Meetup Reflection"), Column::Reflection);
        assert_eq!(Column::named("Notes"), Column::Notes);
        assert_eq!(Column::named("Room"), Column::Other("Room".into()));
    }
}
