//! The text of one input file and the mapping from byte offsets to lines and columns.
//! Knows nothing about YAML or schedules.

use std::ops::Range;

/// A byte range in a `SourceFile`'s text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

/// A file as read, with the name it is shown under in diagnostics.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as the user gave it (shown in diagnostics, never made absolute).
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
}

/// A 1-based line and 1-based column counted in characters, as editors show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    /// A leading byte-order mark is dropped: editors on Windows write one, and it is not
    /// part of the first line's columns.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let mut text: String = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// Line and column of a byte offset (clamped to the text, and to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let column = self.text[self.line_starts[line]..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The byte offset of a 1-based line and character column (clamped to the line's end).
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.line_starts.get(position.line.saturating_sub(1)) else {
            return self.text.len();
        };
        let line = self.line_text(position.line);
        let within = line
            .char_indices()
            .nth(position.column.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i);
        start + within
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let file = SourceFile::new("s.yaml", "a: 1\ntopic: \"café ☕\" x\n");
        let x = file.text.find(" x").unwrap() + 1;
        assert_eq!(
            file.position(x),
            Position {
                line: 2,
                column: 17
            }
        );
        assert_eq!(
            file.offset(Position {
                line: 2,
                column: 17
            }),
            x
        );
        assert_eq!(file.line_text(2), "topic: \"café ☕\" x");
    }

    #[test]
    fn an_offset_past_the_end_is_the_last_position() {
        let file = SourceFile::new("s.yaml", "ab\r\ncd");
        assert_eq!(file.position(99), Position { line: 2, column: 3 });
        assert_eq!(file.line_text(1), "ab");
        assert_eq!(file.line_text(7), "");
    }
}
