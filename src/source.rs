//! The text of one input file, read within the size limit, and the mapping from byte
//! offsets to lines and columns. Knows nothing about YAML or schedules.

use std::fs;
use std::io::Read;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::Error;
use crate::limits::FILE_BYTES;

/// Reads an input file as text, within `limits::FILE_BYTES`. Errors here mean the tool
/// cannot run at all (exit 2).
pub fn read(path: &Path) -> Result<SourceFile, Error> {
    let owned = || path.to_owned();
    let metadata = fs::metadata(path).map_err(|source| Error::Missing {
        path: owned(),
        source,
        command: None,
    })?;
    if metadata.is_dir() {
        return Err(Error::Directory {
            path: owned(),
            command: None,
        });
    }
    if metadata.len() > FILE_BYTES {
        return Err(Error::TooLarge {
            path: owned(),
            size: metadata.len(),
        });
    }
    // Read at most one byte past the limit: a device or pipe (`/dev/zero`) reports no size.
    // Sized from the metadata, so a large file is read without growing the buffer.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0) + 1);
    fs::File::open(path)
        .and_then(|file| file.take(FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|source| Error::Unreadable {
            path: owned(),
            source,
        })?;
    if bytes.len() as u64 > FILE_BYTES {
        return Err(Error::Endless { path: owned() });
    }
    let name = path.display().to_string();
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let place = SourceFile::new(name, before).position(valid);
            Err(Error::NotUtf8 {
                path: owned(),
                line: place.line,
                column: place.column,
            })
        }
    }
}

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
    /// Built when a position is first asked for: a file without diagnostics never needs it,
    /// and a large timetable has millions of lines.
    index: OnceLock<Index>,
}

#[derive(Clone, Debug)]
struct Index {
    line_starts: Vec<usize>,
    /// Characters before every `STRIDE`-th byte, so that a column on a long line is found
    /// without counting from the start of the line: a file whose one line holds thousands
    /// of diagnostics must not cost time quadratic in the line's length. Empty for ASCII
    /// text, where bytes are characters.
    chars_before_stride: Vec<usize>,
}

impl Index {
    fn of(text: &str) -> Self {
        // A line ends at LF, CRLF or a lone CR (YAML reads all three as line breaks).
        let bytes = text.as_bytes();
        let line_starts = if bytes.contains(&b'\r') {
            std::iter::once(0)
                .chain(text.match_indices(['\n', '\r']).filter_map(|(i, end)| {
                    let ends = end == "\n" || bytes.get(i + 1) != Some(&b'\n');
                    ends.then_some(i + 1)
                }))
                .collect()
        } else {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        };
        let mut chars_before_stride = Vec::new();
        if !text.is_ascii() {
            chars_before_stride.push(0);
            for block in bytes.chunks(STRIDE) {
                let before = chars_before_stride.last().copied().unwrap_or(0);
                chars_before_stride
                    .push(before + block.iter().filter(|b| starts_char(**b)).count());
            }
        }
        Index {
            line_starts,
            chars_before_stride,
        }
    }
}

/// Bytes between the character counts kept in `Index::chars_before_stride`.
const STRIDE: usize = 256;

/// Whether a byte starts a UTF-8 character (is not a continuation byte).
fn starts_char(byte: u8) -> bool {
    byte & 0xC0 != 0x80
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
        SourceFile {
            name: name.into(),
            text,
            index: OnceLock::new(),
        }
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::of(&self.text))
    }

    /// Characters that start before byte `offset` (at most `text.len()`).
    fn chars_before(&self, offset: usize) -> usize {
        if self.index().chars_before_stride.is_empty() {
            return offset;
        }
        let block = offset / STRIDE;
        let counted = self.text.as_bytes()[block * STRIDE..offset]
            .iter()
            .filter(|b| starts_char(**b))
            .count();
        self.index().chars_before_stride[block] + counted
    }

    /// Line and column of a byte offset (clamped to the text, and to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .index()
            .line_starts
            .partition_point(|&start| start <= offset)
            - 1;
        let column =
            self.chars_before(offset) - self.chars_before(self.index().line_starts[line]) + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The byte offset of a 1-based line and character column (clamped to the line's end).
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self
            .index()
            .line_starts
            .get(position.line.saturating_sub(1))
        else {
            return self.text.len();
        };
        let end = start + self.line_text(position.line).len();
        let first = self.chars_before(start);
        let wanted = first + position.column.saturating_sub(1);
        if wanted >= self.chars_before(end) {
            return end;
        }
        if self.index().chars_before_stride.is_empty() {
            return wanted;
        }
        // From the last count kept at or before the wanted character, walk to it.
        let block = self
            .index()
            .chars_before_stride
            .partition_point(|&before| before <= wanted)
            - 1;
        let from = (block * STRIDE).max(start);
        let mut seen = self.chars_before(from);
        for (index, byte) in self.text.as_bytes()[from..end].iter().enumerate() {
            if starts_char(*byte) {
                if seen == wanted {
                    return from + index;
                }
                seen += 1;
            }
        }
        end
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.index().line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .index()
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
    fn a_lone_carriage_return_ends_a_line_as_yaml_reads_it() {
        let file = SourceFile::new("s.yaml", "a: 1\rb: 2\r\nc: 3");
        assert_eq!(file.position(5), Position { line: 2, column: 1 });
        assert_eq!(file.position(11), Position { line: 3, column: 1 });
        assert_eq!(file.line_text(2), "b: 2");
    }

    #[test]
    fn columns_on_a_long_line_count_characters_across_the_kept_counts() {
        let line = "é".repeat(10_000) + "x";
        let file = SourceFile::new("s.yaml", format!("a\n{line}\n"));
        let x = file.text.find('x').unwrap();
        let place = file.position(x);
        assert_eq!(
            place,
            Position {
                line: 2,
                column: 10_001
            }
        );
        assert_eq!(file.offset(place), x);
        assert_eq!(
            file.offset(Position {
                line: 2,
                column: 99_999
            }),
            x + 1
        );
    }

    #[test]
    fn an_offset_past_the_end_is_the_last_position() {
        let file = SourceFile::new("s.yaml", "ab\r\ncd");
        assert_eq!(file.position(99), Position { line: 2, column: 3 });
        assert_eq!(file.line_text(1), "ab");
        assert_eq!(file.line_text(7), "");
    }
}
