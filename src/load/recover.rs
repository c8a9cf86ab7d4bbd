//! Every shape error in one run. serde stops at the first unknown key or wrong type, so the
//! entry at fault is blanked out (every byte but line breaks turned into a space, so every
//! other value keeps its place) and the text read again, until it reads: what is left, every
//! session that could be read, then gets the full check. Used only when a file fails, so
//! the happy path reads the text once.

use std::ops::Range;

use super::failure::Fault;
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};

/// Shape errors reported at most, like rustc's error limit: past it, the rest of a file
/// generated wrong is more of the same.
const SHAPE_ERRORS: usize = 100;

/// Text read again at most, in bytes, over all rounds (each reads up to its error): a few
/// rounds when the errors are at the end of a file near the size limit, all
/// `SHAPE_ERRORS` for any real schedule.
const REREAD_BYTES: usize = 512 << 20;

/// The diagnostics for `first` and every later shape error, and the document read without
/// the entries at fault with the text it was read from (`None` when they could not all be
/// set aside: the patch broke the YAML, or a limit was reached).
pub(super) fn recover<T>(
    source: &SourceFile,
    first: Diagnostic,
    mut read: impl FnMut(&SourceFile) -> Result<T, Fault>,
) -> (Vec<Diagnostic>, Option<(T, String)>) {
    let mut text = source.text.clone();
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut next = first;
    let mut budget = REREAD_BYTES;
    // The range blanked last: a value it emptied (a list whose only item was set aside) is
    // of the wrong type now, and is set aside in turn without a word.
    let mut blanked: Option<Range<usize>> = None;
    loop {
        let range = match blanked
            .as_ref()
            .and_then(|last| emptied(&text, last, &next))
        {
            Some(range) => range,
            None => {
                // A fault at the place of an earlier one was not set aside by blanking it.
                if problems.iter().any(|seen| seen.span == next.span) {
                    return (problems, None);
                }
                let fault = next.span.and_then(|span| entry(&text, &next, span));
                problems.push(next);
                let Some(fault) = fault else {
                    return (problems, None);
                };
                if problems.len() == SHAPE_ERRORS || budget == 0 {
                    stopped(&mut problems);
                    return (problems, None);
                }
                fault
            }
        };
        blank(&mut text, range.clone());
        let patched = SourceFile::new(source.name.clone(), std::mem::take(&mut text));
        match read(&patched) {
            Ok(document) => return (problems, Some((document, patched.text))),
            Err(Fault::Shape(diagnostic)) => {
                // A round reads up to its error.
                let read_up_to = diagnostic.span.map_or(patched.text.len(), |span| span.end);
                budget = budget.saturating_sub(read_up_to.max(1));
                blanked = Some(range);
                next = *diagnostic;
            }
            Err(Fault::Unparsable(_)) => return (problems, None),
        }
        text = patched.text;
    }
}

/// Says on the last problem that reading stopped there.
fn stopped(problems: &mut [Diagnostic]) {
    let count = problems.len();
    if let Some(last) = problems.last_mut() {
        last.help = Some(format!(
            "{} (reading stopped here, after {count} problems of this kind: fix them and run it again)",
            last.help.take().unwrap_or_default(),
        ));
    }
}

/// The entry to set aside when `next` is about a value that blanking `last` emptied: only
/// blank space lies between them (the reader may place the empty value on the `:` before
/// it), and the value's key owns it.
fn emptied(text: &str, last: &Range<usize>, next: &Diagnostic) -> Option<Range<usize>> {
    let at = next.span?.start.min(text.len());
    if !text.is_char_boundary(at) {
        return None;
    }
    let value = if text[at..].starts_with(':') {
        at + 1
    } else {
        at
    };
    let about = if value >= last.start {
        value <= last.end
    } else {
        text[value..last.start].trim().is_empty()
    };
    if !about {
        return None;
    }
    extent(text, owner_start(text, value)?)
}

/// Every byte of `range` but line breaks becomes a space: offsets, lines and columns of the
/// rest stay as they were.
fn blank(text: &mut String, range: Range<usize>) {
    let blanked: String = text[range.clone()]
        .chars()
        .flat_map(|c| {
            let kept = (c == '\n' || c == '\r').then_some(c);
            std::iter::repeat_n(
                kept.unwrap_or(' '),
                if kept.is_some() { 1 } else { c.len_utf8() },
            )
        })
        .collect();
    text.replace_range(range, &blanked);
}

/// The entry at fault: an unknown or repeated key with its value, the `key: value` (or
/// list item) whose value is of the wrong kind, or the whole map that misses a field (a half
/// of `time`). `None` when there is nothing to blank there.
fn entry(text: &str, diagnostic: &Diagnostic, span: Span) -> Option<Range<usize>> {
    let at = span.start.min(text.len());
    if !text.is_char_boundary(at) {
        return None;
    }
    let start = match diagnostic.code {
        "unknown-field" | "duplicate-key" => at,
        "missing-field" => return map_around(text, at),
        _ => owner_start(text, at)?,
    };
    extent(text, start)
}

/// The entry that starts at `start`, inside a flow collection or in block style; `None`
/// when it is only blank space.
fn extent(text: &str, start: usize) -> Option<Range<usize>> {
    let end = if in_flow(text, start) {
        flow_end(text, start)
    } else {
        block_end(text, start)
    };
    let range = start..end;
    text[range.clone()]
        .contains(|c: char| !c.is_whitespace())
        .then_some(range)
}

/// The map that holds the place `at` as a list item: `{...}` with the `,` after it, or the
/// block item from its `- ` on.
fn map_around(text: &str, at: usize) -> Option<Range<usize>> {
    let from = line_start(text, at);
    // A flow map: the `{` still open at `at` (or at `at` itself).
    let mut depth = 0i32;
    let open = text[from..=at.min(text.len() - 1)]
        .char_indices()
        .rev()
        .find(|&(i, c)| match c {
            '}' if from + i < at => {
                depth += 1;
                false
            }
            '{' if depth == 0 => true,
            '{' => {
                depth -= 1;
                false
            }
            _ => false,
        })
        .map(|(i, _)| from + i);
    if let Some(open) = open {
        let mut end = closing(text, open + 1).map_or(text.len(), |close| close + 1);
        let rest = &text[end..];
        let after = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        if rest[after..].starts_with(',') {
            end += after + 1;
        }
        return Some(open..end);
    }
    // A block map: its first key follows the `- ` at two columns left of its keys.
    let column = at - from;
    let mut line = from;
    loop {
        let text_of = &text[line..line_end(text, line)];
        let content = text_of.trim_start();
        let indent = text_of.len() - content.len();
        if !(content.is_empty() || content.starts_with('#')) {
            if column >= 2 && text_of.get(column - 2..column) == Some("- ") {
                let dash = line + column - 2;
                return Some(dash..block_end(text, dash));
            }
            if indent < column {
                return None;
            }
        }
        if line == 0 {
            return None;
        }
        line = line_start(text, line - 1);
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i)
}

/// Where the entry that owns the value at `at` starts: its key on the same line (`key: `
/// or `{a: b, key: `), the `-` of a list item, or the key on a line above that the value's
/// lines are indented under.
fn owner_start(text: &str, at: usize) -> Option<usize> {
    let from = line_start(text, at);
    let before = &text[from..at];
    let trimmed = before.trim_end();
    if let Some(head) = trimmed.strip_suffix(':') {
        let key = head
            .rfind(|c: char| c.is_whitespace() || matches!(c, '{' | ',' | '-' | '['))
            .map_or(0, |i| i + 1);
        return Some(from + key);
    }
    if trimmed.ends_with('-') {
        return Some(from + trimmed.len() - 1);
    }
    if !trimmed.is_empty() {
        return Some(at);
    }
    // The value starts a line of its own, under its key.
    key_above(text, from, before.len())
}

/// Where the key of the nearest line above the line starting at `from` indented less than
/// `indent` (or as much, for a list written at its key's indentation) starts: the key a
/// value on lines of its own belongs to.
pub(super) fn key_above(text: &str, from: usize, indent: usize) -> Option<usize> {
    let mut line = from;
    while line > 0 {
        line = line_start(text, line - 1);
        let above = &text[line..line_end(text, line)];
        let content = above.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let column = above.len() - content.len();
        if column > indent {
            continue;
        }
        let key = content.trim_start_matches("- ");
        return Some(line + above.len() - key.len());
    }
    None
}

/// The end of a block entry starting at `start`: its line, and the lines after it that are
/// blank, comments, or indented deeper than it.
fn block_end(text: &str, start: usize) -> usize {
    let column = start - line_start(text, start);
    let mut end = line_end(text, start);
    while end < text.len() {
        let next = end + 1;
        let line = &text[next..line_end(text, next)];
        let content = line.trim_start();
        let deeper = line.len() - content.len() > column;
        if !(content.is_empty() || content.starts_with('#') || deeper) {
            break;
        }
        end = line_end(text, next);
    }
    end
}

/// Whether `start` is inside a `{...}` or `[...]` opened earlier on its line.
fn in_flow(text: &str, start: usize) -> bool {
    let mut depth = 0i32;
    for c in text[line_start(text, start)..start].chars() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            _ => {}
        }
    }
    depth > 0
}

/// The bracket that closes the flow collection whose contents start at `start`.
fn closing(text: &str, start: usize) -> Option<usize> {
    stop(text, start, false)
}

/// The end of an entry inside a flow collection: up to and with the `,` that ends it, or
/// up to the bracket that closes its collection.
fn flow_end(text: &str, start: usize) -> usize {
    match stop(text, start, true) {
        Some(at) if text[at..].starts_with(',') => at + 1,
        Some(at) => at,
        None => text.len(),
    }
}

/// Where, from `start` inside a flow collection, its closing bracket (or, with `commas`, a
/// `,` between its entries) is: brackets nested deeper and quoted text are skipped.
fn stop(text: &str, start: usize, commas: bool) -> Option<usize> {
    let mut depth = 0i32;
    let mut quote = None;
    for (i, c) in text[start..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') if depth == 0 => return Some(start + i),
            (None, '}' | ']') => depth -= 1,
            (None, ',') if commas && depth == 0 => return Some(start + i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(text: &str, code: &'static str, at: &str) -> Option<String> {
        let start = text.find(at).expect("the place is in the text");
        let diagnostic = Diagnostic::error(code, "x");
        entry(text, &diagnostic, Span::new(start, start)).map(|range| text[range].to_owned())
    }

    #[test]
    fn an_unknown_key_is_set_aside_with_its_value_and_the_lines_under_it() {
        let text = "  - id: a\n    topc: x\n    prepare:\n      - p\n  - id: b\n";
        assert_eq!(
            fault(text, "unknown-field", "topc").as_deref(),
            Some("topc: x")
        );
        let text = "  - id: a\n    prepar:\n      - p\n\n      - q\n    topic: t\n";
        assert_eq!(
            fault(text, "unknown-field", "prepar").as_deref(),
            Some("prepar:\n      - p\n\n      - q")
        );
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_set_aside_with_its_key() {
        let text = "  - id: a\n    topic: [x, y]\n    time: TBD\n";
        assert_eq!(
            fault(text, "wrong-type", "[x").as_deref(),
            Some("topic: [x, y]")
        );
        let text = "  - id: a\n    topic:\n      - x\n    time: TBD\n";
        assert_eq!(
            fault(text, "wrong-type", "- x").as_deref(),
            Some("topic:\n      - x")
        );
        let text = "    prepare:\n      - [1, 2]\n      - ok\n";
        assert_eq!(fault(text, "wrong-type", "[1").as_deref(), Some("- [1, 2]"));
    }

    #[test]
    fn in_a_flow_map_only_the_entry_is_set_aside() {
        let text = "    time: [{date: x, tiem: y, zone: z}]\n";
        assert_eq!(
            fault(text, "unknown-field", "tiem").as_deref(),
            Some("tiem: y,")
        );
        let text = "    time: [{date: x, zone: z, tiem: 'a, b'}]\n";
        assert_eq!(
            fault(text, "unknown-field", "tiem").as_deref(),
            Some("tiem: 'a, b'")
        );
    }

    #[test]
    fn a_map_that_misses_a_field_is_set_aside_whole() {
        let text = "    time: [{date: x, time: '1, 2'}, {date: y, time: z, zone: Z}]\n";
        assert_eq!(
            fault(text, "missing-field", "time: '1").as_deref(),
            Some("{date: x, time: '1, 2'},")
        );
        let text = "    time: [{date: y, time: z, zone: Z}, {date: x, time: w}]\n";
        assert_eq!(
            fault(text, "missing-field", "time: w").as_deref(),
            Some("{date: x, time: w}")
        );
        let text = "    time:\n      - date: x\n        time: w\n      - date: y\n";
        assert_eq!(
            fault(text, "missing-field", "time: w").as_deref(),
            Some("- date: x\n        time: w")
        );
    }

    #[test]
    fn blanking_keeps_every_offset_and_line() {
        let mut text = "a: 1\nb:\n  - é\nc: 3\n".to_owned();
        let start = text.find("b:").unwrap();
        let end = text.find("c:").unwrap() - 1;
        blank(&mut text, start..end);
        assert_eq!(text, "a: 1\n  \n      \nc: 3\n");
        assert_eq!(text.len(), "a: 1\nb:\n  - é\nc: 3\n".len());
    }
}
