//! The common schedule, read fast: the `Document` serde-saphyr would build, read straight
//! from parser events (the line reader's, `lines`, or else granit-parser's, the parser
//! serde-saphyr itself uses), and a large file's `sessions` list split into contiguous
//! shares read on every core.
//!
//! It reads only what it is sure of. Anchors, aliases, tags, a null or a number where text
//! is expected, a key it does not know or sees twice, a syntax error, anything near a limit:
//! it answers `None` and the file is read by serde-saphyr, whose diagnostics users see.
//! The tests compare both readers on every fixture and on generated files.

use std::borrow::Cow;
use std::ops::Range;

use granit_parser::{Event, Parser, ScalarStyle, StrInput};

use super::lines::{Lines, Placed};

use super::{
    CalendarDoc, Document, HalfDoc, Item, Pairs, SessionDoc, Sessions, Spanned, TimeDoc, UNPLACED,
};
use crate::limits;
use crate::source::Span;

/// Files smaller than this are read on one thread: starting threads would cost more.
const SHARE_BYTES: usize = 1 << 20;

/// The document, or `None` when serde-saphyr must read it.
pub(super) fn document(text: &str) -> Option<Document> {
    read(text, crate::parallel::threads(text.len(), SHARE_BYTES))
}

/// The document, the sessions list read in `shares` parts when it can be split.
pub(super) fn read(text: &str, shares: usize) -> Option<Document> {
    if shares > 1
        && let Some(layout) = layout(text)
    {
        return document_split(text, &layout, shares);
    }
    either(text, 0, Reader::document).map(|(document, _)| document)
}

/// granit-parser, set as serde-saphyr sets it from the budget (`load::options`), so that both
/// accept the same files.
fn yaml(text: &str) -> Parser<'_, StrInput<'_>> {
    let mut options = granit_parser::Options::default();
    options.flow_nesting_limit = limits::DEPTH;
    options.block_nesting_limit = options.block_nesting_limit.max(limits::DEPTH + 1);
    options.emit_comments = false;
    Parser::new_from_str_with_options(text, options)
}

/// Reads `text` (at `base` in the file) with `read`: line by line, else, should that give
/// up, with granit-parser.
fn either<'a, T>(
    text: &'a str,
    base: usize,
    read: impl Fn(&mut Reader<'a>) -> Option<T>,
) -> Option<(T, Budget)> {
    [true, false].into_iter().find_map(|plain| {
        let mut reader = Reader::new(text, base, plain);
        let value = read(&mut reader)?;
        reader.finish()?;
        Some((value, reader.budget))
    })
}

/// Where a block `sessions:` list that runs to the end of the file has its items.
struct Layout {
    /// The text before the first item: the calendar and the `sessions:` key.
    head: usize,
    /// Where each item begins (`  - `), at the list's indentation.
    items: Vec<usize>,
}

/// Finds the items of a `sessions:` block list that is the file's last key, from lines alone.
/// Every line that starts with the list's indentation and `- ` begins an item, unless it sits
/// inside a quoted or flow value spread over lines; then the share before it does not parse
/// and the whole file is read on one thread. A line indented less ends the list early, and
/// the file is read on one thread too.
fn layout(text: &str) -> Option<Layout> {
    // Lines are cut at LF below; a lone CR, or a break YAML 1.1 knew, would hide a line.
    let other_breaks = text
        .split('\r')
        .skip(1)
        .any(|after| !after.starts_with('\n'))
        || text.contains(['\u{85}', '\u{2028}', '\u{2029}']);
    if other_breaks {
        return None;
    }
    let mut offset = 0;
    let mut head = None;
    let mut indent = 0;
    let mut items = Vec::new();
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let spaces = content.len() - content.trim_start_matches(' ').len();
        let rest = &content[spaces..];
        if head.is_none() {
            if spaces == 0 && is_sessions_key(rest) {
                head = Some(offset);
            }
            continue;
        }
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        let item = rest == "-" || rest.starts_with("- ");
        if items.is_empty() {
            if !item || spaces == 0 {
                return None;
            }
            indent = spaces;
        }
        if spaces < indent {
            return None;
        }
        if spaces == indent && item {
            items.push(start);
        }
    }
    let head = *items.first()?;
    Some(Layout { head, items })
}

/// `sessions:`, alone on its line but for a comment.
fn is_sessions_key(line: &str) -> bool {
    line.strip_prefix("sessions:")
        .map(|rest| rest.trim_start())
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('#'))
}

/// Reads the head on this thread and the items in `shares` contiguous shares, one thread
/// each, then joins them in file order.
fn document_split(text: &str, layout: &Layout, shares: usize) -> Option<Document> {
    let (mut document, mut budget) = either(&text[..layout.head], 0, |reader| {
        reader.open_list_at_end = true;
        reader.document()
    })?;
    let ranges = share_ranges(text.len(), &layout.items, shares);
    let parts: Vec<Option<Share>> = std::thread::scope(|scope| {
        let workers: Vec<_> = ranges
            .iter()
            .map(|range| {
                let expected = layout.items.iter().filter(|at| range.contains(at)).count();
                scope.spawn(move || Share::read(text, range.clone(), expected))
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().ok().flatten())
            .collect()
    });
    let mut list: Option<Spanned<Sessions>> = None;
    for part in parts {
        let share = part?;
        budget.add(&share.budget)?;
        match &mut list {
            None => {
                list = Some(Spanned {
                    value: Sessions(share.sessions),
                    span: share.list,
                });
            }
            Some(all) => {
                all.value
                    .0
                    .reserve_exact(layout.items.len().saturating_sub(all.value.len()));
                all.value.0.extend(share.sessions);
            }
        }
    }
    if list.as_ref()?.value.len() > limits::SESSIONS {
        return None;
    }
    document.sessions = list;
    Some(document)
}

/// The sessions of one share of a split list.
struct Share {
    /// The list's place, from the share that holds its first item.
    list: Span,
    sessions: Vec<Spanned<SessionDoc>>,
    budget: Budget,
}

impl Share {
    fn read(text: &str, range: Range<usize>, expected: usize) -> Option<Share> {
        let ((list, sessions), budget) = either(&text[range.clone()], range.start, |reader| {
            reader.session_list(expected)
        })?;
        Some(Share {
            list,
            sessions,
            budget,
        })
    }
}

/// Splits the items into `shares` contiguous byte ranges of about equal size.
fn share_ranges(len: usize, items: &[usize], shares: usize) -> Vec<Range<usize>> {
    let first = items[0];
    let per_share = (len - first).div_ceil(shares);
    let mut ranges = Vec::with_capacity(shares);
    let mut start = first;
    for &item in items {
        if item >= start + per_share && ranges.len() + 1 < shares {
            ranges.push(start..item);
            start = item;
        }
    }
    ranges.push(start..len);
    ranges
}

/// What a read used of the parser's limits: values, and bytes of scalar text.
#[derive(Clone, Copy, Default)]
struct Budget {
    values: usize,
    text: usize,
}

impl Budget {
    /// Nine tenths of serde-saphyr's budget (which counts the same scalars, maps and lists):
    /// a file near a limit is read by serde-saphyr, which reports the limit.
    const VALUES: usize = limits::YAML_VALUES / 10 * 9;
    const TEXT: usize = limits::YAML_TEXT_BYTES / 10 * 9;

    fn add(&mut self, other: &Budget) -> Option<()> {
        self.values += other.values;
        self.text += other.text;
        self.within().then_some(())
    }

    fn within(&self) -> bool {
        self.values <= Self::VALUES && self.text <= Self::TEXT
    }
}

/// A scalar as read: its text, whether it was plain (unquoted), and its place.
struct Scalar<'a> {
    text: Cow<'a, str>,
    plain: bool,
    span: Span,
}

impl Scalar<'_> {
    /// A plain `~`, `null` or nothing: what serde-saphyr reads as no value.
    fn is_null(&self) -> bool {
        self.plain && matches!(self.text.as_ref(), "" | "~" | "null" | "Null" | "NULL")
    }

    /// A plain scalar that serde-saphyr could read as a boolean or a number where a title
    /// or a time may also be a map or a list (`Item`, `TimeDoc`): left to serde-saphyr.
    fn may_be_typed(&self) -> bool {
        let text = self.text.as_ref();
        self.plain
            && (self.is_null()
                || text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
                || ["y", "n", "yes", "no", "on", "off", "true", "false"]
                    .iter()
                    .any(|word| text.eq_ignore_ascii_case(word)))
    }

    fn owned(self) -> Spanned<String> {
        Spanned {
            value: self.text.into_owned(),
            span: self.span,
        }
    }
}

/// One node's first event, as the readers below need it.
enum Node<'a> {
    Scalar(Scalar<'a>),
    Map(Span),
    List(Span),
    /// The end of the enclosing map or list.
    End,
}

/// Where events come from: the line reader for the plain subset, else granit-parser.
enum Events<'a> {
    Lines(Lines<'a>),
    Yaml(Box<Parser<'a, StrInput<'a>>>),
}

impl<'a> Events<'a> {
    fn next(&mut self) -> Option<Placed<'a>> {
        match self {
            Events::Lines(lines) => lines.next_event(),
            Events::Yaml(parser) => {
                let (event, span) = parser.next_event()?.ok()?;
                Some((event, span.start.byte_offset()?..span.end.byte_offset()?))
            }
        }
    }
}

struct Reader<'a> {
    events: Events<'a>,
    /// Where the text read begins in the file.
    base: usize,
    budget: Budget,
    /// Reading the head of a split file: `sessions:` has no value here, its items come
    /// from the shares.
    open_list_at_end: bool,
}

impl<'a> Reader<'a> {
    /// A reader of `text`, which begins at `base` in the file: line by line when `plain`.
    fn new(text: &'a str, base: usize, plain: bool) -> Self {
        let events = if plain {
            Events::Lines(Lines::new(text))
        } else {
            Events::Yaml(Box::new(yaml(text)))
        };
        Reader {
            events,
            base,
            budget: Budget::default(),
            open_list_at_end: false,
        }
    }

    /// The next event that is not about comments, or `None` for an error, an anchor, an
    /// alias or a tag.
    fn event(&mut self) -> Option<(Event<'a>, Span)> {
        let (event, range) = self.events.next()?;
        let span = Span::new(self.base + range.start, self.base + range.end);
        let plain = match &event {
            Event::Scalar(text, _, anchor, tag) => {
                self.budget.text += text.len();
                *anchor == 0 && tag.is_none()
            }
            Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag) => {
                *anchor == 0 && tag.is_none()
            }
            Event::Alias(_) | Event::Anchor(..) | Event::UnresolvedAlias(_) => false,
            _ => true,
        };
        if matches!(
            event,
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..)
        ) {
            self.budget.values += 1;
        }
        (plain && self.budget.within()).then_some((event, span))
    }

    fn node(&mut self) -> Option<Node<'a>> {
        let (event, span) = self.event()?;
        Some(match event {
            Event::Scalar(text, style, ..) => Node::Scalar(Scalar {
                text,
                plain: style == ScalarStyle::Plain,
                span,
            }),
            Event::MappingStart(..) => Node::Map(span),
            Event::SequenceStart(..) => Node::List(span),
            Event::MappingEnd | Event::SequenceEnd => Node::End,
            _ => return None,
        })
    }

    /// The next key of a map, or `None` inside `Some` at its end. Only plain or quoted text
    /// keys are read.
    fn key(&mut self) -> Option<Option<Cow<'a, str>>> {
        match self.node()? {
            Node::End => Some(None),
            Node::Scalar(key) if !key.is_null() => Some(Some(key.text)),
            _ => None,
        }
    }

    /// After the document: the end of the stream, with no second document.
    fn finish(&mut self) -> Option<()> {
        loop {
            match self.event()?.0 {
                Event::DocumentEnd => {}
                Event::StreamEnd => return Some(()),
                _ => return None,
            }
        }
    }

    fn document(&mut self) -> Option<Document> {
        let (Event::StreamStart, _) = self.event()? else {
            return None;
        };
        let (Event::DocumentStart(..), _) = self.event()? else {
            return None;
        };
        let Node::Map(_) = self.node()? else {
            return None;
        };
        let mut document = Document::default();
        let mut seen = Seen::default();
        while let Some(key) = self.key()? {
            match key.as_ref() {
                "calendar" => {
                    seen.first(&key)?;
                    document.calendar = match self.node()? {
                        Node::Scalar(null) if null.is_null() => None,
                        Node::Map(span) => Some(self.calendar(span)?),
                        _ => return None,
                    };
                }
                "sessions" => {
                    seen.first(&key)?;
                    document.sessions = match self.node()? {
                        Node::Scalar(null) if null.is_null() => None,
                        Node::List(span) if !self.open_list_at_end => Some(Spanned {
                            value: Sessions(self.sessions(0)?),
                            span,
                        }),
                        _ => return None,
                    };
                }
                _ => return None,
            }
        }
        // The split head ends with `sessions:`; its list comes from the shares.
        if self.open_list_at_end && !seen.has("sessions") {
            return None;
        }
        Some(document)
    }

    /// A share of the sessions list: the list's place and its items.
    fn session_list(&mut self, expected: usize) -> Option<(Span, Vec<Spanned<SessionDoc>>)> {
        let (Event::StreamStart, _) = self.event()? else {
            return None;
        };
        let (Event::DocumentStart(..), _) = self.event()? else {
            return None;
        };
        let Node::List(span) = self.node()? else {
            return None;
        };
        Some((span, self.sessions(expected)?))
    }

    /// The items of a sessions list; `expected` of them, as far as `layout` can tell, so
    /// that a large list is allocated once.
    fn sessions(&mut self, expected: usize) -> Option<Vec<Spanned<SessionDoc>>> {
        let mut sessions = Vec::with_capacity(expected.min(limits::SESSIONS));
        loop {
            match self.node()? {
                Node::End => return Some(sessions),
                Node::Map(span) if sessions.len() < limits::SESSIONS => {
                    sessions.push(self.session(span)?);
                }
                _ => return None,
            }
        }
    }

    fn calendar(&mut self, span: Span) -> Option<Spanned<CalendarDoc>> {
        let mut calendar = CalendarDoc::default();
        let mut seen = Seen::default();
        while let Some(key) = self.key()? {
            seen.first(&key)?;
            match key.as_ref() {
                "id" => calendar.id = self.text()?,
                "name" => calendar.name = self.text()?,
                "description" => calendar.description = self.text()?,
                "url" => calendar.url = self.text()?,
                "timezone" => calendar.timezone = self.text()?,
                "duration" => calendar.duration = self.text()?,
                "meeting" => calendar.meeting = self.text()?,
                "cancelled" => calendar.cancelled = self.text()?,
                "refresh" => calendar.refresh = self.text()?,
                "year" => calendar.year = self.year()?,
                "zones" => calendar.zones = self.pairs()?,
                _ => return None,
            }
        }
        Some(Spanned {
            value: calendar,
            span,
        })
    }

    fn session(&mut self, span: Span) -> Option<Spanned<SessionDoc>> {
        let mut session = SessionDoc::default();
        let mut seen = Seen::default();
        while let Some(key) = self.key()? {
            seen.first(&key)?;
            match key.as_ref() {
                "id" => session.id = self.text()?,
                "topic" => session.topic = self.text()?,
                "presenter" => session.presenter = self.text()?,
                "status" => session.status = self.text()?,
                "duration" => session.duration = self.text()?,
                "location" => session.location = self.text()?,
                "time" => session.time = self.time()?,
                "prepare" => session.prepare = self.items()?,
                "additional" => session.additional = self.items()?,
                "notes" => session.notes = self.items()?,
                "links" => session.links = self.items()?,
                "reflection" => session.reflection = self.optional_item()?,
                "recording" => session.recording = self.optional_item()?,
                _ => return None,
            }
        }
        Some(Spanned {
            value: session,
            span,
        })
    }

    /// An optional text field: `None` inside `Some` for a null.
    fn text(&mut self) -> Option<Option<Spanned<String>>> {
        match self.node()? {
            Node::Scalar(scalar) if scalar.is_null() => Some(None),
            Node::Scalar(scalar) => Some(Some(scalar.owned())),
            _ => None,
        }
    }

    /// A text field that must be there.
    fn required_text(&mut self) -> Option<Spanned<String>> {
        self.text()?
    }

    /// `year`: plain decimal digits only; anything else is serde-saphyr's to judge.
    fn year(&mut self) -> Option<Option<Spanned<i64>>> {
        let Node::Scalar(scalar) = self.node()? else {
            return None;
        };
        if scalar.is_null() {
            return Some(None);
        }
        let digits = scalar.text.as_ref();
        let decimal = scalar.plain
            && (1..=9).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        if !decimal {
            return None;
        }
        Some(Some(Spanned {
            value: digits.parse().ok()?,
            span: scalar.span,
        }))
    }

    fn pairs(&mut self) -> Option<Option<Spanned<Pairs>>> {
        let span = match self.node()? {
            Node::Scalar(null) if null.is_null() => return Some(None),
            Node::Map(span) => span,
            _ => return None,
        };
        let mut pairs: Vec<(Spanned<String>, Spanned<String>)> = Vec::new();
        loop {
            let key = match self.node()? {
                Node::End => break,
                Node::Scalar(key) if !key.is_null() => key.owned(),
                _ => return None,
            };
            if pairs.iter().any(|(seen, _)| seen.value == key.value) {
                return None;
            }
            let value = self.required_text()?;
            pairs.push((key, value));
        }
        Some(Some(Spanned {
            value: Pairs(pairs),
            span,
        }))
    }

    fn time(&mut self) -> Option<Option<Spanned<TimeDoc>>> {
        match self.node()? {
            Node::Scalar(scalar) if scalar.is_null() => Some(None),
            Node::Scalar(scalar) if !scalar.may_be_typed() => {
                let Spanned { value, span } = scalar.owned();
                Some(Some(Spanned {
                    value: TimeDoc::Text(value),
                    span,
                }))
            }
            Node::List(span) => {
                let mut halves = Vec::new();
                loop {
                    match self.node()? {
                        Node::End => break,
                        Node::Map(span) => halves.push(self.half(span)?),
                        _ => return None,
                    }
                }
                Some(Some(Spanned {
                    value: TimeDoc::Halves(halves),
                    span,
                }))
            }
            _ => None,
        }
    }

    fn half(&mut self, span: Span) -> Option<Spanned<HalfDoc>> {
        let (mut date, mut time, mut zone) = (None, None, None);
        while let Some(key) = self.key()? {
            let slot = match key.as_ref() {
                "date" => &mut date,
                "time" => &mut time,
                "zone" => &mut zone,
                _ => return None,
            };
            if slot.is_some() {
                // serde-saphyr refuses a key written twice.
                return None;
            }
            *slot = Some(self.required_text()?);
        }
        Some(Spanned {
            value: HalfDoc {
                date: date?,
                time: time?,
                zone: zone?,
            },
            span,
        })
    }

    fn items(&mut self) -> Option<Vec<Spanned<Item>>> {
        let Node::List(_) = self.node()? else {
            return None;
        };
        let mut items = Vec::new();
        loop {
            match self.node()? {
                Node::End => {
                    // Most lists hold one or two items; a vector grows to four.
                    items.shrink_to_fit();
                    return Some(items);
                }
                node => items.push(self.item(node)?),
            }
        }
    }

    fn optional_item(&mut self) -> Option<Option<Spanned<Item>>> {
        match self.node()? {
            Node::Scalar(null) if null.is_null() => Some(None),
            node => Some(Some(self.item(node)?)),
        }
    }

    /// A bare title or URL (its own place is its item's, as `Item`'s deserializer leaves
    /// it), or a map of `title`, `url` and `note`.
    fn item(&mut self, node: Node<'a>) -> Option<Spanned<Item>> {
        match node {
            Node::Scalar(scalar) if !scalar.may_be_typed() => {
                let text = Spanned {
                    value: scalar.text.into_owned(),
                    span: UNPLACED,
                };
                let item = if super::is_url(&text.value) {
                    Item {
                        url: Some(text),
                        ..Item::default()
                    }
                } else {
                    Item {
                        title: Some(text),
                        ..Item::default()
                    }
                };
                Some(Spanned {
                    value: item,
                    span: scalar.span,
                })
            }
            Node::Map(span) => {
                let mut item = Item::default();
                let mut seen = Seen::default();
                while let Some(key) = self.key()? {
                    seen.first(&key)?;
                    let slot = match key.as_ref() {
                        "title" => &mut item.title,
                        "url" => &mut item.url,
                        "note" => &mut item.note,
                        _ => return None,
                    };
                    *slot = self.text()?;
                }
                Some(Spanned { value: item, span })
            }
            _ => None,
        }
    }
}

/// The keys of one map seen so far: serde-saphyr refuses a key written twice.
#[derive(Default)]
struct Seen(u64);

impl Seen {
    /// One bit for each field name of every map the readers know.
    fn bit(key: &str) -> u64 {
        let index = match key {
            "calendar" => 0,
            "sessions" => 1,
            "id" => 2,
            "name" => 3,
            "description" => 4,
            "url" => 5,
            "timezone" => 6,
            "year" => 7,
            "duration" => 8,
            "meeting" => 9,
            "zones" => 10,
            "cancelled" => 11,
            "refresh" => 12,
            "time" => 13,
            "topic" => 14,
            "presenter" => 15,
            "prepare" => 16,
            "additional" => 17,
            "reflection" => 18,
            "notes" => 19,
            "recording" => 20,
            "links" => 21,
            "status" => 22,
            "location" => 23,
            "title" => 24,
            "note" => 25,
            _ => 63,
        };
        1 << index
    }

    /// `None` when `key` was seen before in this map (an unknown key ends the read anyway).
    fn first(&mut self, key: &str) -> Option<()> {
        let bit = Self::bit(key);
        let new = self.0 & bit == 0;
        self.0 |= bit;
        new.then_some(())
    }

    fn has(&self, key: &str) -> bool {
        self.0 & Self::bit(key) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    /// What serde-saphyr reads, with the budget `load::document` gives it.
    fn slow(text: &str) -> Option<Document> {
        let source = SourceFile::new("schedule.yaml", text);
        let options =
            super::super::options(limits::YAML_VALUES, limits::YAML_TEXT_BYTES, limits::DEPTH);
        super::super::parse(&source, options).ok()
    }

    /// Whatever the fast reader accepts, in one part or several, serde-saphyr reads the same.
    fn agrees(name: &str, text: &str) -> bool {
        // As `commands::read` gives it: without a byte-order mark.
        let text = &SourceFile::new(name, text).text;
        // Where the line reader reads the text, its events are granit-parser's.
        super::super::lines::tests::agree(text);
        let one = read(text, 1);
        if let Some(fast) = &one {
            assert_eq!(
                Some(fast),
                slow(text).as_ref(),
                "{name}: the readers differ"
            );
        }
        for shares in [2, 3, 7] {
            let split = read(text, shares);
            if split.is_some() {
                assert_eq!(split, one, "{name}: read in {shares} parts differs");
            }
        }
        one.is_some()
    }

    fn files(dir: &str) -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut found = Vec::new();
        let mut pending = vec![dir];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).expect("a test directory") {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    found.push((path.display().to_string(), text));
                }
            }
        }
        found
    }

    #[test]
    fn every_fixture_reads_the_same_either_way() {
        let mut fixtures = files("tests");
        fixtures.extend(files("examples"));
        assert!(fixtures.len() > 100, "fixtures found: {}", fixtures.len());
        let fast = fixtures
            .iter()
            .filter(|(name, text)| agrees(name, text))
            .count();
        // Most fixtures are broken on purpose and go to serde-saphyr; the valid ones do not.
        assert!(fast >= 40, "only {fast} fixtures took the fast path");
    }

    #[test]
    fn the_bundled_schedule_takes_the_fast_path_in_parts() {
        let text = include_str!("../../schedule.yaml");
        assert!(agrees("schedule.yaml", text));
        let found = layout(text).expect("its sessions list can be split");
        assert_eq!(found.items.len(), 23);
        assert!(read(text, 2).is_some());
    }

    /// A schedule with `n` sessions written in many of the ways YAML allows.
    fn varied(n: usize) -> String {
        let mut text = String::from(
            "\u{feff}# a schedule\ncalendar:\n  id: \"x\"\n  name: 'Reading group'\n  timezone: America/Los_Angeles\n  year: 2024\n  zones: {PST: America/Los_Angeles, \"BJT\": Asia/Shanghai}\n  description: >\n    folded\n    text\nsessions:\n\n# first term\n",
        );
        for i in 0..n {
            text.push_str(&format!(
                "  - id: s{i}\n    time: \"JAN. {d}: 5:00pm PST, JAN. {e}: 9:00am BJT\"\n    topic: |\n      Topic {i}\n      # not a comment\n    prepare:\n      - Disco\n      - https://x.org/{i}\n      - {{title: T, url: 'https://y.org', note: ~}}\n    additional: []\n    presenter:\n    recording: https://youtu.be/{i} # a comment\n  # between sessions\n",
                d = i % 28 + 1,
                e = i % 28 + 2,
            ));
            if i % 3 == 0 {
                text.push_str(&format!(
                    "  -\n    id: t{i}\n    time:\n      - {{date: JAN. 1, time: 5pm, zone: PST}}\n      - date: JAN. 2\n        time: 9am\n        zone: BJT\n"
                ));
            }
        }
        text
    }

    #[test]
    fn varied_yaml_reads_the_same_in_one_part_or_several() {
        for n in [0, 1, 2, 5, 40] {
            let text = varied(n);
            assert!(agrees(&format!("{n} sessions"), &text), "{n} sessions");
            assert!(
                agrees("CRLF", &text.replace('\n', "\r\n")),
                "{n} sessions, CRLF"
            );
        }
    }

    /// A small deterministic generator (xorshift), so that failures reproduce.
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, sides: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % sides as u64) as usize
        }

        fn pick<'a>(&mut self, choices: &[&'a str]) -> &'a str {
            choices[self.roll(choices.len())]
        }
    }

    /// A value written in one of the plain styles, sometimes with text the style cannot hold
    /// (which sends the file to granit-parser).
    fn scalar(dice: &mut Dice) -> String {
        let usual = [
            "Containers",
            "Xen and the Art",
            "caf\u{e9} \u{4e2d}",
            "it's",
            "say \"hi\"",
            "a#b",
            "https://x.org/a?b=1&c=2#f",
            "50%",
            "Topic 3, part 2",
        ];
        let odd = [
            "a: b",
            "a #b",
            "12",
            "yes",
            "~",
            "",
            " pad ",
            "[draft]",
            "{x}",
            "- x",
            "a:",
            "JAN. 2: 5:00pm PST",
        ];
        let word = if dice.roll(30) == 0 {
            dice.pick(&odd)
        } else {
            dice.pick(&usual)
        };
        match dice.roll(4) {
            0 => format!("'{}'", word.replace('\'', "''")),
            1 if !word.contains(['"', '\\']) => format!("\"{word}\""),
            _ => word.to_owned(),
        }
    }

    fn generated(dice: &mut Dice) -> String {
        let mut text = String::from(
            "calendar:\n  id: g\n  name: Generated\n  year: 2024\n  zones:\n    PST: America/Los_Angeles\n",
        );
        let gap = |dice: &mut Dice| {
            dice.pick(&["", "", "\n", "  # note\n", "# note\n"])
                .to_owned()
        };
        text.push_str("sessions:\n");
        for i in 0..dice.roll(8) {
            text.push_str(&gap(dice));
            let dash = dice.pick(&["- ", "- ", "-   "]);
            let pad = " ".repeat(dash.len());
            text.push_str(&format!("  {dash}id: s{i}\n"));
            for field in ["topic", "presenter", "time", "status"] {
                if dice.roll(3) > 0 {
                    let comment = dice.pick(&["", "", " # c"]);
                    text.push_str(&format!("  {pad}{field}: {}{comment}\n", scalar(dice)));
                }
                text.push_str(&gap(dice));
            }
            for list in ["prepare", "additional"] {
                if dice.roll(2) == 0 {
                    continue;
                }
                let indent = format!("  {pad}{}", dice.pick(&["", "  "]));
                text.push_str(&format!("  {pad}{list}:\n"));
                for _ in 0..dice.roll(3) + 1 {
                    if dice.roll(2) == 0 {
                        text.push_str(&format!("{indent}- {}\n", scalar(dice)));
                    } else {
                        text.push_str(&format!("{indent}- title: {}\n", scalar(dice)));
                        text.push_str(&format!("{indent}  url: {}\n", scalar(dice)));
                    }
                }
            }
        }
        if dice.roll(4) == 0 {
            text = text.replace('\n', "\r\n");
        }
        text
    }

    #[test]
    fn generated_schedules_read_the_same_by_every_reader() {
        let mut dice = Dice(0x5eed);
        let (mut fast, mut by_lines) = (0, 0);
        for round in 0..600 {
            let text = generated(&mut dice);
            by_lines += usize::from(super::super::lines::tests::agree(&text));
            fast += usize::from(agrees(&format!("round {round}"), &text));
        }
        // Some generated files hold a value the plain styles cannot, or a null where text
        // is needed, and go to granit-parser or serde-saphyr; most must not.
        assert!(
            by_lines > 450,
            "{by_lines} of 600 generated files read line by line"
        );
        assert!(fast > 330, "{fast} of 600 generated files read fast");
    }

    #[test]
    fn what_serde_saphyr_may_read_otherwise_goes_to_it() {
        // (YAML, whether the fast reader takes it): where it does, `agrees` checks that
        // serde-saphyr reads the same.
        let session =
            |field: &str| format!("calendar:\n  id: x\nsessions:\n  - id: a\n{field}  - id: b\n");
        let cases = [
            ("    topic: 12\n", true),
            ("    topic: true\n", true),
            ("    topic: yes\n", true),
            ("    topic: 1.5e3\n", true),
            ("    topic: .inf\n", true),
            ("    topic: 0x1F\n", true),
            ("    topic: \"\"\n", true),
            ("    topic: ''\n", true),
            ("    topic: null\n", true),
            ("    topic: ~\n", true),
            ("    topic: !!str 12\n", false),
            ("    topic: &a x\n    presenter: *a\n", false),
            ("    topic: [a]\n", false),
            ("    topic: {a: b}\n", false),
            ("    time: 12\n", false),
            ("    time: yes\n", false),
            ("    time: -1\n", false),
            ("    time: ~\n", true),
            ("    time: []\n", true),
            ("    time: [{date: a, time: b}]\n", false),
            ("    time: [{date: a, time: b, zone: c, zone: d}]\n", false),
            ("    time: [{date: ~, time: b, zone: c}]\n", false),
            ("    additional: [1, on, ~, -x, .5]\n", false),
            ("    additional: ~\n", false),
            ("    additional: x\n", false),
            ("    additional: [[a]]\n", false),
            ("    additional: [{title: a, title: b}]\n", false),
            ("    additional: [{title: a, link: b}]\n", false),
            ("    additional: [{}]\n", true),
            ("    recording: ~\n", true),
            ("    recording: 5\n", false),
            ("    topic: a\n    topic: b\n", false),
            ("    topc: a\n", false),
            ("    <<: {topic: a}\n", false),
            ("    ? [complex]\n    : key\n", false),
            ("    \"topic\": quoted key\n", true),
            ("    'id': again\n", false),
            ("    topic: \"a\n  - id: c\n    b\"\n", true),
            ("    topic: [a,\n  - id: c\n    ]\n", false),
            ("    topic: plain\n      continued\n", true),
            ("\t\n", true),
            ("    topic: a\r- id: c\n", false),
            ("    topic: a\u{85}- id: c\n", false),
        ];
        for (case, fast) in cases {
            assert_eq!(agrees(case, &session(case)), fast, "{case:?}");
        }
        let documents = [
            ("", false),
            ("---\n", false),
            ("calendar:\n  year: 2024\n", true),
            ("calendar:\n  year: '2024'\n", false),
            ("calendar:\n  year: 02024\n", false),
            ("calendar:\n  year: +2024\n", false),
            ("calendar:\n  year: 2_024\n", false),
            ("calendar:\n  year: 99999999999\n", false),
            ("calendar:\n  zones: {A: x, A: y}\n", false),
            ("calendar:\n  zones: {~: x}\n", false),
            ("calendar:\n  zones: {A: ~}\n", false),
            ("calendar:\n  zones: ~\n", true),
            ("calendar: ~\nsessions: ~\n", true),
            ("calendar: x\n", false),
            ("sessions: []\ncalendar: {id: a}\n", true),
            ("sessions:\n  - id: a\ncalendar: {id: a}\n", true),
            ("sessions:\n- id: a\n- id: b\n", true),
            ("sessions:\n  - id: a\n...\n", true),
            ("sessions:\n  - id: a\n---\nsessions: []\n", false),
            ("x: 1\n", false),
            ("- a\n", false),
            ("sessions:\n  - id: a\n # odd comment\n  - id: b\n", true),
            ("sessions:\n  - a\n  - id: b\n", false),
            ("sessions:\n  -\n  - id: b\n", false),
            ("sessions: # the list\n  - id: a\n\n\n  - id: b\n", true),
        ];
        for (document, fast) in documents {
            assert_eq!(agrees(document, document), fast, "{document:?}");
        }
    }

    #[test]
    fn only_item_lines_at_the_list_indentation_split_the_list() {
        let text = "calendar: {id: a}\nsessions:\n  - id: a\n    additional:\n    - x\n  - id: b\n";
        let found = layout(text).expect("a block list at the end");
        assert_eq!(found.head, text.find("  - id: a").unwrap());
        assert_eq!(
            found.items,
            vec![
                text.find("  - id: a").unwrap(),
                text.find("  - id: b").unwrap()
            ]
        );
        assert!(layout("sessions: []\n").is_none());
        assert!(layout("sessions:\n  - id: a\nlater: 1\n").is_none());
        assert!(layout("sessions:\n- id: a\n").is_none());
    }
}
