//! The plainest block YAML, read line by line: `key: value` maps, `- ` lists, one-line plain,
//! single- or double-quoted scalars without escapes, comments. This is how schedules are
//! written and generated, and it reads several times faster than a general YAML parser.
//!
//! It gives the events granit-parser gives for the same text, with the same places, and
//! gives up (`None`) on anything else: flow `[...]` and `{...}`, block scalars, anchors,
//! aliases, tags, escapes, a value continued on the next line, tabs, control characters,
//! document markers. The caller then reads the text with granit-parser. Tests compare the
//! two event streams.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::ops::Range;

use granit_parser::{Event, ScalarStyle};

/// An event and its byte range in the text read.
pub(super) type Placed<'a> = (Event<'a>, Range<usize>);

pub(super) struct Lines<'a> {
    text: &'a str,
    /// Where the next line begins.
    next_line: usize,
    /// The maps and lists open, innermost last.
    open: Vec<Block>,
    /// The indentation of the map whose last key waits for its value on later lines.
    pending: Option<usize>,
    queue: VecDeque<Placed<'a>>,
    started: bool,
    ended: bool,
}

#[derive(Clone, Copy)]
struct Block {
    map: bool,
    indent: usize,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Lines {
            text,
            next_line: 0,
            open: Vec::new(),
            pending: None,
            queue: VecDeque::new(),
            started: false,
            ended: false,
        }
    }

    /// The next event, or `None` at the end and wherever the text leaves the plain subset.
    pub(super) fn next_event(&mut self) -> Option<Placed<'a>> {
        loop {
            if let Some(event) = self.queue.pop_front() {
                return Some(event);
            }
            if self.ended {
                return None;
            }
            if self.advance().is_none() {
                // Out of the subset: nothing more, so the reader gives up.
                self.ended = true;
                self.queue.clear();
                return None;
            }
        }
    }

    /// Reads up to the next line with content, queueing its events; at the end of the text,
    /// closes everything.
    fn advance(&mut self) -> Option<()> {
        while self.next_line < self.text.len() {
            let start = self.next_line;
            let end = self.text[start..]
                .find('\n')
                .map_or(self.text.len(), |at| start + at);
            self.next_line = if end < self.text.len() { end + 1 } else { end };
            let line = &self.text[start..end];
            let line = line.strip_suffix('\r').unwrap_or(line);
            if !plain_characters(line) {
                return None;
            }
            let content = line.trim_start_matches(' ');
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let indent = line.len() - content.len();
            return self.line(indent, content, start + indent);
        }
        self.finish()
    }

    fn finish(&mut self) -> Option<()> {
        if !self.started {
            return None;
        }
        if self.pending.take().is_some() {
            self.null(self.text.len());
        }
        while let Some(block) = self.open.pop() {
            self.end(block);
        }
        let at = self.text.len();
        self.queue.push_back((Event::DocumentEnd, at..at));
        self.queue.push_back((Event::StreamEnd, at..at));
        self.ended = true;
        Some(())
    }

    fn line(&mut self, indent: usize, content: &'a str, at: usize) -> Option<()> {
        if !self.started {
            self.started = true;
            self.queue.push_back((Event::StreamStart, 0..0));
            self.queue
                .push_back((Event::DocumentStart(false, None), at..at));
            return self.open_block(indent, content, at);
        }
        if let Some(key_indent) = self.pending.take() {
            if indent > key_indent {
                return self.open_block(indent, content, at);
            }
            if indent == key_indent && is_item(content) {
                // granit-parser places a list written at its key's indentation at its first
                // item's value, not at the dash.
                let value = content[1..].trim_start_matches(' ');
                let place = at + content.len() - value.len();
                return self.open_list(indent, content, at, place);
            }
            self.null(at);
        }
        while let Some(&top) = self.open.last() {
            let closes =
                top.indent > indent || (top.indent == indent && !top.map && !is_item(content));
            if !closes {
                break;
            }
            self.open.pop();
            self.end(top);
        }
        // A second root, or a line indented past its block: a continued value or an error.
        let top = *self.open.last()?;
        if top.indent != indent {
            return None;
        }
        if top.map {
            self.entry(indent, content, at)
        } else {
            self.item(indent, content, at)
        }
    }

    /// A map or list that begins on this line.
    fn open_block(&mut self, indent: usize, content: &'a str, at: usize) -> Option<()> {
        if is_item(content) {
            self.open_list(indent, content, at, at)
        } else if key_length(content).is_some() {
            self.queue.push_back((
                Event::MappingStart(granit_parser::StructureStyle::Block, 0, None),
                at..at,
            ));
            self.open.push(Block { map: true, indent });
            self.entry(indent, content, at)
        } else {
            None
        }
    }

    /// A list whose first item is on this line; its place is `place`.
    fn open_list(
        &mut self,
        indent: usize,
        content: &'a str,
        at: usize,
        place: usize,
    ) -> Option<()> {
        self.queue.push_back((
            Event::SequenceStart(granit_parser::StructureStyle::Block, 0, None),
            place..place,
        ));
        self.open.push(Block { map: false, indent });
        self.item(indent, content, at)
    }

    /// `key: value`, or `key:` with its value on the lines below.
    fn entry(&mut self, indent: usize, content: &'a str, at: usize) -> Option<()> {
        let length = key_length(content)?;
        self.scalar_event(
            Cow::Borrowed(&content[..length]),
            ScalarStyle::Plain,
            at..at + length,
        );
        let rest = &content[length + 1..];
        let value = rest.trim_start_matches(' ');
        if value.is_empty() || value.starts_with('#') {
            self.pending = Some(indent);
            return Some(());
        }
        self.value(value, at + content.len() - value.len())
    }

    /// `- value`, or `- key: value` opening a map.
    fn item(&mut self, indent: usize, content: &'a str, at: usize) -> Option<()> {
        let value = content.strip_prefix('-')?.trim_start_matches(' ');
        if value.is_empty() || value.starts_with('#') || is_item(value) {
            return None;
        }
        let offset = content.len() - value.len();
        if key_length(value).is_some() {
            self.queue.push_back((
                Event::MappingStart(granit_parser::StructureStyle::Block, 0, None),
                at + offset..at + offset,
            ));
            self.open.push(Block {
                map: true,
                indent: indent + offset,
            });
            return self.entry(indent + offset, value, at + offset);
        }
        self.value(value, at + offset)
    }

    /// A scalar that runs to the end of the line, less a comment.
    fn value(&mut self, text: &'a str, at: usize) -> Option<()> {
        let (value, style, length) = match text.as_bytes()[0] {
            b'"' => {
                let close = text[1..].find('"')? + 1;
                let inner = &text[1..close];
                if inner.contains('\\') {
                    return None;
                }
                (Cow::Borrowed(inner), ScalarStyle::DoubleQuoted, close + 1)
            }
            b'\'' => {
                let (value, length) = single_quoted(text)?;
                (value, ScalarStyle::SingleQuoted, length)
            }
            first if is_plain_start(first) => {
                let end = text.find(" #").unwrap_or(text.len());
                let plain = text[..end].trim_end_matches(' ');
                if plain.contains(": ") || plain.ends_with(':') {
                    return None;
                }
                (Cow::Borrowed(plain), ScalarStyle::Plain, plain.len())
            }
            _ => return None,
        };
        let after = text[length..].trim_start_matches(' ');
        let spaced = after.len() < text.len() - length;
        if !(after.is_empty() || (spaced && after.starts_with('#'))) {
            return None;
        }
        self.scalar_event(value, style, at..at + length);
        Some(())
    }

    fn scalar_event(&mut self, text: Cow<'a, str>, style: ScalarStyle, span: Range<usize>) {
        self.queue
            .push_back((Event::Scalar(text, style, 0, None), span));
    }

    /// The value of a key written with nothing after it.
    fn null(&mut self, at: usize) {
        self.scalar_event(Cow::Borrowed("~"), ScalarStyle::Plain, at..at);
    }

    fn end(&mut self, block: Block) {
        let at = self.next_line;
        let event = if block.map {
            Event::MappingEnd
        } else {
            Event::SequenceEnd
        };
        self.queue.push_back((event, at..at));
    }
}

/// `- ...` or a lone `-`.
fn is_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// The length of `key` in `key: ...` or `key:`, for keys of letters, digits and `_`, no
/// longer than granit-parser looks ahead for a key (it refuses longer ones).
fn key_length(content: &str) -> Option<usize> {
    const LONGEST: usize = 1000;
    let length = content
        .bytes()
        .take(LONGEST + 1)
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))?;
    let rest = &content.as_bytes()[length..];
    let key = length > 0 && rest.first() == Some(&b':') && matches!(rest.get(1), None | Some(b' '));
    key.then_some(length)
}

/// Whether a plain scalar may start with this byte: no YAML indicator, no space.
fn is_plain_start(first: u8) -> bool {
    !b"-?:,[]{}#&*!|>'\"%@` ".contains(&first)
}

/// `'it''s'`: the value and the length written, when it closes on this line.
fn single_quoted(text: &str) -> Option<(Cow<'_, str>, usize)> {
    let mut value = String::new();
    let mut from = 1;
    loop {
        let quote = from + text[from..].find('\'')?;
        value.push_str(&text[from..quote]);
        if text.as_bytes().get(quote + 1) == Some(&b'\'') {
            value.push('\'');
            from = quote + 2;
        } else {
            let inner = &text[1..quote];
            let value = if value.len() == inner.len() {
                Cow::Borrowed(inner)
            } else {
                Cow::Owned(value)
            };
            return Some((value, quote + 1));
        }
    }
}

/// No tabs, control characters, byte-order marks or line breaks other than LF (a CRLF's CR
/// is already gone): characters every YAML reader takes the same way.
fn plain_characters(line: &str) -> bool {
    if line.is_ascii() {
        return !line.bytes().any(|b| b < 0x20 || b == 0x7F);
    }
    !line.chars().any(|c| {
        (c as u32) < 0x20
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use granit_parser::Parser;

    /// granit-parser's events for `text`, with byte ranges; comments left out.
    fn granit(text: &str) -> Option<Vec<Placed<'_>>> {
        let mut options = granit_parser::Options::default();
        options.emit_comments = false;
        let mut parser = Parser::new_from_str_with_options(text, options);
        let mut events = Vec::new();
        while let Some(next) = parser.next_event() {
            let (event, span) = next.ok()?;
            let range = span.start.byte_offset()?..span.end.byte_offset()?;
            let done = event == Event::StreamEnd;
            events.push((event, range));
            if done {
                return Some(events);
            }
        }
        Some(events)
    }

    fn lines(text: &str) -> Option<Vec<Placed<'_>>> {
        let mut reader = Lines::new(text);
        let mut events = Vec::new();
        while let Some(event) = reader.next_event() {
            let done = event.0 == Event::StreamEnd;
            events.push(event);
            if done {
                return Some(events);
            }
        }
        None
    }

    /// Where the line reader reads `text`, it reads what granit-parser reads: the same
    /// events, and the same places for everything but the ends of blocks and empty values,
    /// which no diagnostic points at.
    pub(in crate::load) fn agree(text: &str) -> bool {
        let Some(ours) = lines(text) else {
            return false;
        };
        let theirs = granit(text).unwrap_or_else(|| panic!("granit refuses {text:?}"));
        assert_eq!(ours.len(), theirs.len(), "{text:?}\n{ours:?}\n{theirs:?}");
        for (mine, other) in ours.iter().zip(&theirs) {
            assert_eq!(mine.0, other.0, "{text:?}");
            let placed = match &mine.0 {
                Event::Scalar(value, ..) => value != "~" || !mine.1.is_empty(),
                Event::MappingStart(..) | Event::SequenceStart(..) => true,
                _ => false,
            };
            if placed {
                assert_eq!(mine.1, other.1, "{text:?}: {:?}", mine.0);
            }
        }
        true
    }

    #[test]
    fn plain_block_yaml_reads_as_granit_reads_it() {
        let texts = [
            "a: b\n",
            "a: b",
            "a: 'b'\nc: \"d\"\n",
            "a: 'it''s'\n",
            "a:\n  b: c\n  d:\n    - e\n    - f: g\n      h: i\n  j: k\n",
            "a:\n- b\n- c\nd: e\n",
            "# top\na: b # note\n\n  # indented comment\nc:   spaced   \n",
            "a: b#c\n",
            "a: Topic 3 (part 2), [draft] {x}\n",
            "a: https://x.org/a?b=1&c=2#frag\n",
            "a: caf\u{e9} \u{4e2d}\u{6587}\n",
            "  - id: a\n    topic: b\n  - id: c\n",
            "- a\n-   b\n- c: d\n",
            "a:\nb:\n",
            "a:\n  -\n    b: c\n",
            "a: b\r\nc: d\r\n",
            "calendar:\n  zones:\n    PST: America/Los_Angeles\nsessions:\n  - id: s\n    additional:\n      - title: T\n        url: \"https://x\"\n",
        ];
        for text in texts {
            let read = agree(text);
            if !text.contains("-\n") {
                assert!(read, "{text:?} is in the subset");
            }
        }
    }

    #[test]
    fn anything_else_is_left_to_granit() {
        let texts = [
            "a: [b]\n",
            "a: {b: c}\n",
            "a: |\n  b\n",
            "a: >\n  b\n",
            "a: &x b\n",
            "a: *x\n",
            "a: !!str b\n",
            "a: \"b\\n\"\n",
            "a: \"b\n  c\"\n",
            "a: b\n  c\n",
            "a: b: c\n",
            "a:\tb\n",
            "a: b\u{1}\n",
            "a: b\rc: d\n",
            "---\na: b\n",
            "a: b\n...\n",
            "? a\n: b\n",
            "a : b\n",
            "\"a\": b\n",
            "a: -b\n",
            "a: b\n c: d\n",
            "",
            "# only a comment\n",
            "a: 'b\n",
            "a: \"b\" c\n",
            "a: b\n- c\n",
        ];
        for text in texts {
            assert!(lines(text).is_none(), "{text:?} is outside the subset");
        }
    }
}
