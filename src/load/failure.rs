//! serde-saphyr's errors -> our diagnostics. Matches on the error's kind and place only,
//! never on its message text, so that a new release of the YAML crate cannot change what
//! the user reads; every message here is ours.

use serde_saphyr::Error as E;
use serde_saphyr::budget::BudgetBreach as B;
use serde_saphyr::granit_parser::ErrorKind as K;
use serde_saphyr::localizer::ExternalMessageSource;

use crate::diagnostic::Diagnostic;
use crate::limits;
use crate::source::{Position, SourceFile, Span};

/// One error of the YAML reader, in our words.
pub(super) enum Fault {
    /// Not YAML, or beyond the parser's limits: nothing more can be read.
    Unparsable(Box<Diagnostic>),
    /// YAML of the wrong shape at one place: the rest may still be read.
    Shape(Box<Diagnostic>),
}

pub(super) fn failure(source: &SourceFile, error: &E) -> Fault {
    let error = error.without_snippet();
    let span = place(source, error);
    let locate = |diagnostic: Diagnostic| match span {
        Some(span) => diagnostic.at(span),
        None => diagnostic,
    };
    if let Some(what) = beyond_limits(error) {
        return Fault::Unparsable(Box::new(locate(
            Diagnostic::error("yaml-limit", format!("the file {what}"))
                .label("the limit is reached here")
                .help("a schedule needs far less; if this file is generated, check the generator, and see \"Limits and guarantees\" in the README"),
        )));
    }
    if let Some(what) = not_yaml(error) {
        if what == Syntax::Tab
            && let Some(at) = tab_near(source, span)
        {
            return Fault::Unparsable(Box::new(
                Diagnostic::error("yaml-syntax", format!("the file is not valid YAML: {what}"))
                    .at(Span::new(at, at + 1))
                    .label("a tab")
                    .help("YAML indents with spaces only: replace the tab with spaces"),
            ));
        }
        return Fault::Unparsable(Box::new(locate(
            Diagnostic::error("yaml-syntax", format!("the file is not valid YAML: {what}"))
                .label("here")
                .help(
                    "fix the YAML at this place; `syllabus-ics check` then looks at the schedule",
                ),
        )));
    }
    let diagnostic = match error {
        E::Message { msg, .. } if msg == super::TOO_MANY_SESSIONS => Diagnostic::error(
            "too-many-sessions",
            format!("the schedule has more than {} sessions", limits::SESSIONS),
        )
        .label("this list")
        .help("split the schedule into several files, e.g. one per term, each with its own feed"),
        E::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("a key");
            Diagnostic::error(
                "duplicate-key",
                format!("`{key}` is written twice in the same map"),
            )
            .label("written again here")
            .help("keep one of the two: a later one would silently replace the earlier")
        }
        E::SerdeUnknownField {
            field, expected, ..
        } => unknown_field(field, expected),
        // Only a half of a session's `time` has fields that must be there.
        E::SerdeMissingField { field, .. } => Diagnostic::error(
            "missing-field",
            format!("this half of `time` has no `{field}`"),
        )
        .label("in this half")
        .help("write each half as `{date: ..., time: ..., zone: ...}`"),
        _ => wrong_type(source, span),
    };
    Fault::Shape(Box::new(locate(diagnostic)))
}

/// The byte range serde-saphyr gives for the error, or the start of its line and column.
fn place(source: &SourceFile, error: &E) -> Option<Span> {
    let place = error.location()?;
    let line = usize::try_from(place.line()).ok()?;
    let column = usize::try_from(place.column()).ok()?;
    let len = place
        .span()
        .byte_len()
        .and_then(|len| usize::try_from(len).ok())
        .unwrap_or(0);
    let start = match place.span().byte_offset() {
        Some(offset) => usize::try_from(offset).ok()?,
        None => source.offset(Position { line, column }),
    };
    let start = start.min(source.text.len());
    let mut end = start.saturating_add(len).min(source.text.len());
    while !source.text.is_char_boundary(end) {
        end -= 1;
    }
    let mut start = start.min(end);
    while !source.text.is_char_boundary(start) {
        start -= 1;
    }
    Some(Span::new(start, end))
}

/// The scanner places a tab error where the token began, often the line before the tab;
/// the tab itself, if it is on that line or the next.
fn tab_near(source: &SourceFile, span: Option<Span>) -> Option<usize> {
    let from = span.map_or(0, |span| span.start).min(source.text.len());
    source.text[from..]
        .find('\t')
        .map(|at| from + at)
        .filter(|at| source.position(*at).line <= source.position(from).line + 1)
}

/// What a size or nesting limit (`limits`) stopped, worded for the user; `None` for errors
/// that are not about limits.
fn beyond_limits(error: &E) -> Option<String> {
    // A limit reached while replaying an alias comes wrapped with the alias's places.
    if let E::AliasError { error, .. } = error {
        return beyond_limits(error.without_snippet());
    }
    let depth = || {
        format!(
            "nests lists and maps more than {} levels deep",
            limits::DEPTH
        )
    };
    let values = || {
        format!(
            "holds more than {} YAML values (aliases count each time they are used)",
            grouped(limits::YAML_VALUES)
        )
    };
    Some(match error {
        E::ExternalMessage { source, .. } => match source.as_ref() {
            ExternalMessageSource::Parser(scan) if *scan.kind() == K::RecursionLimitExceeded => {
                depth()
            }
            _ => return None,
        },
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => depth(),
            B::Nodes { .. } | B::Events { .. } | B::Aliases { .. } | B::Anchors { .. } => values(),
            B::ScalarBytes { .. } => format!(
                "holds more than {} MiB of text (aliases count each time they are used)",
                limits::YAML_TEXT_BYTES >> 20
            ),
            B::RecordedAnchorEvents { .. } | B::RecordedAnchorBytes { .. } => format!(
                "holds more than {} values under anchors (`&name`)",
                grouped(limits::YAML_ANCHORED_VALUES)
            ),
            B::Documents { .. } => "holds too many YAML documents".to_owned(),
            B::MergeKeys { .. } => "uses too many merge keys (`<<`)".to_owned(),
            _ => "is larger than a schedule can be".to_owned(),
        },
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => values(),
        E::AliasReplayStackDepthExceeded { .. } => {
            "nests aliases inside aliases too deeply".to_owned()
        }
        _ => return None,
    })
}

/// `6000000` as `6,000,000`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

/// Why the text is not YAML, in our words.
#[derive(Debug, PartialEq)]
enum Syntax {
    Tab,
    Other(String),
}

impl std::fmt::Display for Syntax {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Syntax::Tab => f.write_str("a tab where YAML allows only spaces"),
            Syntax::Other(what) => f.write_str(what),
        }
    }
}

/// `Some` when the text is not YAML at all (a schedule of any shape could not be read).
fn not_yaml(error: &E) -> Option<Syntax> {
    let other = |what: &str| Some(Syntax::Other(what.to_owned()));
    match error {
        E::ExternalMessage { source, .. } => match source.as_ref() {
            ExternalMessageSource::Parser(scan) => Some(scan_error(scan.kind())),
            _ => other("the YAML reader refused it"),
        },
        E::Eof { .. } => other("the file ends in the middle of a value"),
        E::MultipleDocuments { .. } => {
            other("a second YAML document starts here, and a schedule is one document")
        }
        E::InvalidUtf8Input => other("the file is not UTF-8 text"),
        E::UnknownAnchor { .. } => other("the alias (`*name`) names no anchor (`&name`) before it"),
        E::IndentationError { .. } => other("this line is not indented as the lines around it"),
        E::FoldedBlockScalarMustIndentContent { .. } => {
            other("the text after `>` or `|` must be indented more than its key")
        }
        E::ContainerEndMismatch { .. } => other("a list or map ends where none is open"),
        _ => None,
    }
}

/// The parser's error kinds, in our words.
fn scan_error(kind: &K) -> Syntax {
    let what = match kind {
        K::TabNotAllowed
        | K::TabInBlockIndentation
        | K::TabInIndentation
        | K::TabInPlainScalar
        | K::TabAtBlockScalarStart => return Syntax::Tab,
        K::UnclosedQuotedScalar => "unclosed quote".to_owned(),
        K::UnclosedFlowCollection { open } => format!("unclosed bracket `{open}`"),
        K::MismatchedFlowCollectionEnd { open, close } => {
            format!("the bracket `{open}` is closed by `{close}`")
        }
        K::MisplacedFlowCollectionEnd => "a closing bracket without its opening one".to_owned(),
        K::ExpectedFlowSequenceSeparator => "a `,` or `]` is missing in this list".to_owned(),
        K::ExpectedFlowMappingSeparator => "a `,` or `}` is missing in this map".to_owned(),
        K::MappingValueNotAllowed | K::InvalidColonPlacement | K::MappingKeyNotAllowed => {
            "a `key: value` where none can start, often a line indented too deep".to_owned()
        }
        K::InvalidMappingValueWhitespace => {
            "a `:` after a key must be followed by a space".to_owned()
        }
        K::SimpleKeyExpected | K::InvalidSimpleKey => {
            "a key without its `:` on the same line, or longer than 1024 characters".to_owned()
        }
        K::UnexpectedCharacter { character } => {
            format!(
                "the character `{}` is not allowed here",
                character.escape_debug()
            )
        }
        K::UnknownQuotedScalarEscape
        | K::InvalidQuotedScalarHexEscape
        | K::InvalidLowSurrogateHexEscape
        | K::InvalidLowSurrogate
        | K::MissingLowSurrogate
        | K::UnpairedLowSurrogate
        | K::InvalidUnicodeEscape => "an invalid `\\` escape in quoted text".to_owned(),
        K::UnexpectedEofFlowSequence
        | K::UnexpectedEofFlowMapping
        | K::UnexpectedEofImplicitFlowMapping
        | K::UnexpectedEofBlockSequence
        | K::UnexpectedEofBlockMapping
        | K::UnexpectedEof => "the file ends in the middle of a list or map".to_owned(),
        K::InvalidIndentation
        | K::ExpectedBlockMappingKey
        | K::ExpectedBlockSequenceEntry
        | K::InvalidBlockScalarIndent
        | K::InvalidQuotedScalarIndent
        | K::InvalidFlowScalarIndent => {
            "this line is not indented as the lines around it".to_owned()
        }
        K::UnknownAnchor => "the alias (`*name`) names no anchor (`&name`) before it".to_owned(),
        K::BomInsideDocument => "a byte order mark inside the text".to_owned(),
        K::CommentNotSeparated => "a `#` comment must follow a space".to_owned(),
        K::DocumentIndicatorInQuotedScalar => "a `---` or `...` line inside quoted text".to_owned(),
        _ => "it breaks the YAML syntax here".to_owned(),
    };
    Syntax::Other(what)
}

/// A key that is not a field here: the closest field, or all of them.
fn unknown_field(field: &str, known: &[&str]) -> Diagnostic {
    let closest = known
        .iter()
        .map(|name| (strsim::jaro_winkler(field, name), *name))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let diagnostic = Diagnostic::error("unknown-field", format!("unknown field `{field}`"))
        .label("not a field here");
    match closest {
        Some((_, name)) => diagnostic.help(format!("did you mean `{name}`?")),
        None => diagnostic.help(format!("the fields here are {}", quoted_list(known))),
    }
}

fn quoted_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    quoted.join(", ")
}

const MAP: &str = "a map of `key: value` lines";
const LIST: &str = "a list (lines starting with `- `)";
const ITEM: &str = "a title, a URL, or a map with `title`, `url` and `note`";

/// What a field of the schedule takes; every field not named here takes text.
fn field_kind(key: &str) -> &'static str {
    match key {
        "calendar" | "zones" => MAP,
        "sessions" | "prepare" | "additional" | "notes" | "links" => LIST,
        "year" => "a whole number",
        "time" => "text such as `APR. 15: 5:00pm PDT`, or a list of `{date, time, zone}`",
        "reflection" | "recording" => ITEM,
        _ => "text",
    }
}

/// What an item of a list field takes.
fn item_kind(key: &str) -> &'static str {
    match key {
        "sessions" => MAP,
        "time" => "a map of `date`, `time` and `zone`",
        _ => ITEM,
    }
}

/// A value of the wrong kind at `span`, named by the key it belongs to, found in the text:
/// serde-saphyr reports where the value starts, not whose it is.
fn wrong_type(source: &SourceFile, span: Option<Span>) -> Diagnostic {
    let message = match span.map(|span| owner(source, span.start)) {
        Some(Owner::Key(key)) => format!("`{key}` takes {} here", field_kind(&key)),
        Some(Owner::Item(key)) => format!("an item of `{key}` takes {}", item_kind(&key)),
        Some(Owner::File) | None => format!("{MAP} is expected here"),
    };
    Diagnostic::error("wrong-type", message)
        .label("wrong kind of value")
        .help("see \"The schedule file\" in the README, or `syllabus-ics schema`, for what each field takes")
}

/// Whose value starts at a place in the file.
enum Owner {
    /// The value of this key.
    Key(String),
    /// An item of the list under this key.
    Item(String),
    /// The whole file.
    File,
}

fn owner(source: &SourceFile, offset: usize) -> Owner {
    let Position { line, column } = source.position(offset);
    let text = source.line_text(line);
    let before = text.get(..column.saturating_sub(1)).unwrap_or("");
    let before = before.trim_end();
    // `key: ` or `- {a: b, key: ` just before the value.
    if let Some(head) = before.strip_suffix(':') {
        let key = head
            .rsplit(|c: char| c.is_whitespace() || matches!(c, '{' | ',' | '-' | '['))
            .next()
            .unwrap_or("");
        if plain(key) {
            return Owner::Key(key.to_owned());
        }
    }
    // `  - ` (an item), or only indentation (a map or list starting on the line below its key).
    let item = before.ends_with('-');
    let indent = text.len() - text.trim_start().len();
    let Some(key) = enclosing_key(source, line, if item { before.len() } else { indent }) else {
        return Owner::File;
    };
    if item {
        Owner::Item(key)
    } else {
        Owner::Key(key)
    }
}

/// The nearest `key:` above `line` indented less than `indent` (or as much, for a list
/// written at its key's indentation).
fn enclosing_key(source: &SourceFile, line: usize, indent: usize) -> Option<String> {
    let from = source.offset(Position { line, column: 1 });
    let at = super::recover::key_above(&source.text, from, indent)?;
    let text = &source.text[at..];
    let key = text[..text.find('\n').unwrap_or(text.len())].trim_end();
    let key = key.strip_suffix(':')?;
    plain(key).then(|| key.to_owned())
}

fn plain(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
