//! The text a reader of a page sees (tags dropped, entities decoded, crossed-out text kept,
//! since readers still see it), and where each piece of it is in the file. Knows nothing
//! about times; `page` finds them in this text.

use std::ops::Range;

use crate::source::Span;

/// The text a reader sees, and where each piece of it is in the file.
#[derive(Debug)]
pub(crate) struct Visible {
    pub(crate) text: String,
    pieces: Vec<Piece>,
    /// The file offset where the read text ends.
    end: usize,
}

/// A run of visible text: copied from the file (`literal`), or standing for a tag or entity.
#[derive(Clone, Copy, Debug)]
struct Piece {
    visible: usize,
    len: usize,
    source: usize,
    source_len: usize,
    literal: bool,
}

impl Visible {
    /// The visible text of `text`, which starts at file offset `base`. Tags (`<br>`) become a
    /// space, entities (`&nbsp;`) their character, and markdown's `*` and `~` disappear; with
    /// `html`, comments, scripts and styles are dropped and line breaks are spaces.
    pub(crate) fn of(text: &str, base: usize, html: bool) -> Self {
        let mut visible = Visible {
            text: String::with_capacity(text.len()),
            pieces: Vec::new(),
            end: base + text.len(),
        };
        let bytes = text.as_bytes();
        let mut literal_start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let replaced: Option<(usize, &str)> = match bytes[i] {
                b'<' => tag_end(text, i, html).map(|end| (end, " ")),
                b'&' => entity(text, i),
                b'*' | b'~' => Some((i + 1, "")),
                b'\n' | b'\r' | b'\t' if html => Some((i + 1, " ")),
                b'\t' => Some((i + 1, " ")),
                byte if byte >= 0x80 && text.is_char_boundary(i) => text[i..]
                    .chars()
                    .next()
                    .filter(|c| c.is_whitespace())
                    .map(|c| (i + c.len_utf8(), " ")),
                _ => None,
            };
            let Some((end, with)) = replaced else {
                i += 1;
                continue;
            };
            visible.copy(text, base, literal_start..i);
            visible.replace(with, base + i..base + end);
            i = end;
            literal_start = end;
        }
        visible.copy(text, base, literal_start..bytes.len());
        visible
    }

    fn copy(&mut self, text: &str, base: usize, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            visible: self.text.len(),
            len: range.len(),
            source: base + range.start,
            source_len: range.len(),
            literal: true,
        });
        self.text.push_str(&text[range]);
    }

    fn replace(&mut self, with: &str, source: Range<usize>) {
        if with.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            visible: self.text.len(),
            len: with.len(),
            source: source.start,
            source_len: source.len(),
            literal: false,
        });
        self.text.push_str(with);
    }

    /// The file span of a range of the visible text.
    pub(crate) fn span(&self, range: Range<usize>) -> Span {
        let start = self.source_start(range.start);
        let end = if range.end > range.start {
            self.source_end(range.end)
        } else {
            start
        };
        Span::new(start, end.max(start))
    }

    fn piece(&self, at: usize) -> Option<&Piece> {
        let index = self.pieces.partition_point(|p| p.visible <= at);
        index.checked_sub(1).map(|i| &self.pieces[i])
    }

    fn source_start(&self, at: usize) -> usize {
        match self.piece(at) {
            Some(p) if at < p.visible + p.len => {
                if p.literal {
                    p.source + (at - p.visible)
                } else {
                    p.source
                }
            }
            _ => self.end,
        }
    }

    fn source_end(&self, at: usize) -> usize {
        match self.piece(at - 1) {
            Some(p) if p.literal => p.source + (at - p.visible).min(p.len),
            Some(p) => p.source + p.source_len,
            None => self.end,
        }
    }
}

/// Where a tag that starts at `i` ends, if it is one. Outside HTML a tag stays on one line.
fn tag_end(text: &str, i: usize, html: bool) -> Option<usize> {
    let rest = &text[i..];
    let next = rest.as_bytes().get(1).copied()?;
    if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!') {
        return None;
    }
    if html {
        if rest.starts_with("<!--") {
            return Some(rest.find("-->").map_or(text.len(), |e| i + e + 3));
        }
        let lower: String = rest
            .chars()
            .take(8)
            .collect::<String>()
            .to_ascii_lowercase();
        for element in ["script", "style"] {
            let open = format!("<{element}");
            let after = lower.as_bytes().get(open.len()).copied();
            if lower.starts_with(&open) && !after.is_some_and(|b| b.is_ascii_alphanumeric()) {
                let close = format!("</{element}");
                let end = find_ignoring_case(rest, &close)
                    .and_then(|c| rest[c..].find('>').map(|g| i + c + g + 1));
                return Some(end.unwrap_or(text.len()));
            }
        }
    }
    for (offset, c) in rest.char_indices().skip(1) {
        match c {
            '>' => return Some(i + offset + 1),
            '<' => return None,
            '\n' if !html => return None,
            _ => {}
        }
    }
    None
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.char_indices().map(|(i, _)| i).find(|&i| {
        haystack
            .get(i..i + needle.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
    })
}

/// The character an entity that starts at `i` stands for, and where the entity ends.
pub(crate) fn entity(text: &str, i: usize) -> Option<(usize, &'static str)> {
    let rest = &text[i + 1..];
    let semicolon = rest.find(';').filter(|&s| (1..=10).contains(&s))?;
    let name = &rest[..semicolon];
    let end = i + 1 + semicolon + 1;
    let named = match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" | "#39" | "#x27" => "'",
        "nbsp" | "ensp" | "emsp" | "thinsp" | "#160" | "#xA0" | "#xa0" => " ",
        "ndash" => "\u{2013}",
        "mdash" => "\u{2014}",
        "lsquo" => "\u{2018}",
        "rsquo" => "\u{2019}",
        "ldquo" => "\u{201c}",
        "rdquo" => "\u{201d}",
        "hellip" => "\u{2026}",
        "#124" | "#x7C" | "#x7c" | "vert" => "|",
        "#58" | "colon" => ":",
        _ => return None,
    };
    Some((end, named))
}
