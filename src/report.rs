//! Renders diagnostics for people (rustc style), for machines (JSON) and for GitHub Actions,
//! and the fatal `Error` that stops a command. Decides nothing about severity or exit codes;
//! never reads the terminal, the clock or files.

use annotate_snippets::{
    Annotation, AnnotationKind, Group, Level, Origin, Renderer, Snippet, normalize_untrusted_str,
};
use serde::Serialize;
use std::borrow::Cow;
use std::ops::Range;

use crate::diagnostic::{Diagnostic, Severity, Tally};
use crate::error::Error;
use crate::source::{Position, SourceFile, Span};

/// Diagnostics as people read them: a header, the underlined source, then help and notes.
/// Diagnostics are separated by a blank line; the text ends in a newline unless it is empty.
pub fn human(diagnostics: &[Diagnostic], source: &SourceFile, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    diagnostics
        .iter()
        .map(|diagnostic| renderer.render(&[group(diagnostic, source)]) + "\n")
        .collect::<Vec<_>>()
        .join("\n")
}

fn group<'a>(diagnostic: &'a Diagnostic, source: &'a SourceFile) -> Group<'a> {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level
        .primary_title(escape_c1(&diagnostic.message))
        .id(diagnostic.code);
    let (group, unshown_label) = match diagnostic.span {
        Some(span) => match excerpt(diagnostic, source, span) {
            Some(snippet) => (title.element(snippet), None),
            None => {
                // Too long to show: the place alone, and the label as a note.
                let place = source.position(snap(source, span).0);
                let origin = Origin::path(source.name.as_str())
                    .line(place.line)
                    .char_column(place.column);
                let label = match &diagnostic.label {
                    Some(label) => format!("{label} (the line is too long to show)"),
                    None => "the line is too long to show".to_owned(),
                };
                (title.element(origin), Some(label))
            }
        },
        None => (title.element(Origin::path(source.name.as_str())), None),
    };
    // Help and notes are printed as given, so they are cleaned of control characters first.
    let help = diagnostic
        .help
        .iter()
        .map(|help| Level::HELP.message(cleaned(help)));
    let note = diagnostic
        .session
        .iter()
        .map(|id| Level::NOTE.message(cleaned(&format!("session `{id}`"))));
    let unshown = unshown_label.map(|label| Level::NOTE.message(cleaned(&label)));
    group.elements(unshown.into_iter().chain(help).chain(note))
}

/// The most source text an excerpt shows, in bytes. A longer excerpt (a generated file on
/// one line) is replaced by its line and column: drawing it for each of many diagnostics
/// would take time quadratic in the line's length.
const MAX_EXCERPT: usize = 4096;

/// The lines a span covers, with the span underlined and the label beside it; `None` when
/// they are longer than `MAX_EXCERPT`.
fn excerpt<'a>(
    diagnostic: &'a Diagnostic,
    source: &'a SourceFile,
    span: Span,
) -> Option<Snippet<'a, Annotation<'a>>> {
    let (start, end) = snap(source, span);
    let first = source.position(start).line;
    let last = end_position(source, span).line;
    let lines_start = source.offset(Position {
        line: first,
        column: 1,
    });
    let lines_end = source.offset(Position {
        line: last,
        column: 1,
    }) + source.line_text(last).len();
    if lines_end - lines_start > MAX_EXCERPT {
        return None;
    }
    let within = start - lines_start..end.min(lines_end) - lines_start;
    let (text, within) = escaped_c1(&source.text[lines_start..lines_end], within);
    let snippet = Snippet::source(text)
        .line_start(first)
        .path(source.name.as_str())
        .annotation(
            AnnotationKind::Primary
                .span(within)
                .label(diagnostic.label.as_deref().map(escape_c1)),
        );
    Some(snippet)
}

/// The C1 control characters (U+0080 to U+009F) of a quoted source line shown as `�`, as
/// the renderer already shows each C0 control as one symbol (`␛`): a terminal would act on
/// U+009B (CSI) as on ESC `[`. One character for one keeps every column where it was; the
/// message names the character. `range` is moved to the same characters in the new text.
fn escaped_c1(text: &str, range: Range<usize>) -> (Cow<'_, str>, Range<usize>) {
    if !text.chars().any(is_c1) {
        return (Cow::Borrowed(text), range);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let (mut start, mut end) = (None, None);
    for (offset, c) in text.char_indices() {
        if offset == range.start {
            start = Some(out.len());
        }
        if offset == range.end {
            end = Some(out.len());
        }
        out.push(if is_c1(c) {
            char::REPLACEMENT_CHARACTER
        } else {
            c
        });
    }
    let start = start.unwrap_or(out.len());
    let end = end.unwrap_or(out.len()).max(start);
    (Cow::Owned(out), start..end)
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// Text printed as given (a message, a help), cleaned of control characters: C0 ones as the
/// renderer shows them, C1 ones as `\u{9b}`.
fn cleaned(text: &str) -> String {
    escape_c1(&normalize_untrusted_str(text))
}

/// `text` with its C1 control characters written as `\u{9b}`.
fn escape_c1(text: &str) -> String {
    text.chars()
        .map(|c| {
            if is_c1(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A span clamped to the text and moved onto character boundaries, never reversed.
fn snap(source: &SourceFile, span: Span) -> (usize, usize) {
    let start = source.offset(source.position(span.start));
    let end = source.offset(source.position(span.end)).max(start);
    (start, end)
}

/// Where a span ends; a span that takes in its line's newline still ends on that line.
fn end_position(source: &SourceFile, span: Span) -> Position {
    let (start, end) = snap(source, span);
    let kept = source.text[start..end].trim_end_matches(['\n', '\r']);
    source.position(start + kept.len())
}

/// The closing line of a check, e.g. `schedule.yaml: 21 sessions, 2 undated, 0 errors, 0 warnings`.
pub fn summary(source: &SourceFile, sessions: usize, undated: usize, tally: Tally) -> String {
    format!(
        "{}: {}, {undated} undated, {}, {}",
        source.name,
        plural(sessions, "session"),
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning"),
    )
}

/// `1 error`, `2 errors`.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// A failure that stops a command, as people read it: a heading and the way out. The
/// failures about an input file's bytes name their code, as diagnostics do.
pub fn fatal(error: &Error) -> String {
    let diagnostic = error.diagnostic();
    let message = cleaned(&diagnostic.message);
    let mut text = if error.shows_code() {
        format!("error[{}]: {message}\n", diagnostic.code)
    } else {
        format!("error: {message}\n")
    };
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!("  = help: {}\n", cleaned(help)));
    }
    text
}

/// A failure that stops a command, as the JSON report of a run: the same document as
/// `json`, with the failure as its one diagnostic, so a CI step always has JSON to read.
/// `input` is the file the command was asked to read, named when the failure is about
/// the command line rather than a file.
pub fn fatal_json(error: &Error, input: &str) -> String {
    let diagnostic = error.diagnostic();
    let file = error.file().unwrap_or_else(|| input.to_owned());
    let place = error.place();
    let report = JsonReport {
        diagnostics: vec![JsonDiagnostic {
            severity: diagnostic.severity.as_str(),
            code: diagnostic.code,
            message: &diagnostic.message,
            file: &file,
            line: place.map(|(line, _)| line),
            column: place.map(|(_, column)| column),
            session: None,
            help: diagnostic.help.as_deref(),
        }],
        errors: 1,
        warnings: 0,
    };
    // Serializing plain strings and numbers into a `String` cannot fail.
    serde_json::to_string(&report).expect("a report serializes") + "\n"
}

/// A failure that stops a command, as a GitHub Actions `::error` command.
pub fn fatal_github(error: &Error, input: &str) -> String {
    let diagnostic = error.diagnostic();
    let file = error.file().unwrap_or_else(|| input.to_owned());
    let mut properties = vec![format!("file={}", escape_property(&file))];
    if let Some((line, column)) = error.place() {
        properties.push(format!("line={line},col={column}"));
    }
    properties.push(format!("title={}", escape_property(diagnostic.code)));
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    format!("::error {}::{}\n", properties.join(","), escape_data(&text))
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    session: Option<&'a str>,
    help: Option<&'a str>,
}

/// Diagnostics as one compact JSON object on one line, ending in a newline.
/// `line` and `column` are 1-based (the column counts characters) and null without a span.
pub fn json(diagnostics: &[Diagnostic], source: &SourceFile) -> String {
    let tally = Tally::of(diagnostics);
    let report = JsonReport {
        diagnostics: diagnostics
            .iter()
            .map(|diagnostic| {
                let start = diagnostic.span.map(|span| source.position(span.start));
                JsonDiagnostic {
                    severity: diagnostic.severity.as_str(),
                    code: diagnostic.code,
                    message: &diagnostic.message,
                    file: &source.name,
                    line: start.map(|p| p.line),
                    column: start.map(|p| p.column),
                    session: diagnostic.session.as_deref(),
                    help: diagnostic.help.as_deref(),
                }
            })
            .collect(),
        errors: tally.errors,
        warnings: tally.warnings,
    };
    // Serializing plain strings and numbers into a `String` cannot fail.
    serde_json::to_string(&report).expect("a report serializes") + "\n"
}

/// Diagnostics as GitHub Actions workflow commands, one per line, so that they show up
/// as annotations on the pull request.
pub fn github(diagnostics: &[Diagnostic], source: &SourceFile) -> String {
    diagnostics
        .iter()
        .map(|diagnostic| workflow_command(diagnostic, source) + "\n")
        .collect()
}

fn workflow_command(diagnostic: &Diagnostic, source: &SourceFile) -> String {
    let mut properties = vec![format!("file={}", escape_property(&source.name))];
    if let Some(span) = diagnostic.span {
        let start = source.position(span.start);
        let end = end_position(source, span);
        properties.push(format!(
            "line={},col={},endLine={},endColumn={}",
            start.line, start.column, end.line, end.column
        ));
    }
    properties.push(format!("title={}", escape_property(diagnostic.code)));
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    format!(
        "::{} {}::{}",
        diagnostic.severity.as_str(),
        properties.join(","),
        escape_data(&text)
    )
}

/// GitHub's escaping for the message of a workflow command.
fn escape_data(text: &str) -> String {
    let escaped = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    // Other control characters (a terminal escape sequence in a value) would reach the log
    // as they are: they are shown as symbols instead.
    cleaned(&escaped)
}

/// GitHub's escaping for a `key=value` property, where `:` and `,` are separators.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEDULE: &str = "\
sessions:
  - id: week-3
    topic: \"Café ☕ hour\"
    time: \"APR. 15: 5:00pm PST, APR. 2: 8:00am BJT\"
";

    fn schedule() -> SourceFile {
        SourceFile::new("schedule.yaml", SCHEDULE)
    }

    fn span_of(source: &SourceFile, needle: &str) -> Span {
        let start = source.text.find(needle).expect("needle is in the text");
        Span::new(start, start + needle.len())
    }

    fn mismatch(source: &SourceFile) -> Diagnostic {
        Diagnostic::error(
            "dual-time-mismatch",
            "`APR. 2: 8:00am BJT` is not the same time as `APR. 15: 5:00pm PST`",
        )
        .at(span_of(source, "APR. 2: 8:00am BJT"))
        .label("this is 11:00pm PDT on Apr 1")
        .session("week-3")
        .help("5:00pm PDT on Mon Apr 15 is 8:00am BJT on Tue Apr 16; write \"APR. 16: 8:00am BJT\"")
    }

    #[test]
    fn an_error_underlines_its_span_and_gives_help() {
        let source = schedule();
        insta::assert_snapshot!(human(&[mismatch(&source)], &source, false));
    }

    #[test]
    fn columns_count_characters_after_a_multibyte_character() {
        let source = schedule();
        let diagnostic = Diagnostic::error("unknown-word", "`hour` is not a word we know")
            .at(span_of(&source, "hour"))
            .label("here");
        insta::assert_snapshot!(human(&[diagnostic], &source, false));
    }

    #[test]
    fn a_warning_is_shown_as_a_warning() {
        let source = schedule();
        let diagnostic = Diagnostic::warning("missing-room", "session `week-3` has no room")
            .at(span_of(&source, "id: week-3"))
            .help("add `room: <where>` to the session");
        insta::assert_snapshot!(human(&[diagnostic], &source, false));
    }

    #[test]
    fn a_diagnostic_without_a_span_names_only_the_file() {
        let source = schedule();
        let diagnostic = Diagnostic::error("no-sessions", "the schedule has no sessions")
            .help("add a session under `sessions:`");
        insta::assert_snapshot!(human(&[diagnostic], &source, false));
    }

    #[test]
    fn a_span_over_several_lines_is_drawn_across_them() {
        let source = schedule();
        let start = source.text.find("- id").unwrap();
        let end = source.text.find("hour\"").unwrap() + "hour\"".len();
        let diagnostic = Diagnostic::error("duplicate-session", "session `week-3` appears twice")
            .at(Span::new(start, end))
            .label("second definition");
        insta::assert_snapshot!(human(&[diagnostic], &source, false));
    }

    #[test]
    fn several_diagnostics_are_separated_by_a_blank_line() {
        let source = schedule();
        let warning = Diagnostic::warning("missing-room", "session `week-3` has no room");
        let out = human(&[mismatch(&source), warning], &source, false);
        assert!(out.contains("\n\nwarning[missing-room]"), "{out}");
        assert!(out.ends_with('\n'));
        assert_eq!(human(&[], &source, false), "");
    }

    #[test]
    fn spans_at_the_end_of_the_file_or_empty_or_out_of_range_do_not_panic() {
        let spans = [
            Span::new(SCHEDULE.len(), SCHEDULE.len()),
            Span::new(3, 3),
            Span::new(SCHEDULE.len() - 5, SCHEDULE.len()),
            Span::new(SCHEDULE.len() + 10, SCHEDULE.len() + 20),
            Span::new(20, 10),
        ];
        for text in [SCHEDULE, SCHEDULE.trim_end(), "", "a\r\nb\r\n"] {
            let source = SourceFile::new("schedule.yaml", text);
            for span in spans {
                let diagnostic = Diagnostic::error("unexpected-end", "the file ends early")
                    .at(span)
                    .label("here");
                let out = human(std::slice::from_ref(&diagnostic), &source, false);
                assert!(out.starts_with("error[unexpected-end]"), "{out}");
                github(std::slice::from_ref(&diagnostic), &source);
                json(&[diagnostic], &source);
            }
        }
    }

    #[test]
    fn color_adds_escape_codes_and_plain_has_none() {
        let source = schedule();
        assert!(human(&[mismatch(&source)], &source, true).contains('\u{1b}'));
        assert!(!human(&[mismatch(&source)], &source, false).contains('\u{1b}'));
    }

    #[test]
    fn the_summary_counts_in_words() {
        let source = schedule();
        let none = Tally::default();
        assert_eq!(
            summary(&source, 21, 2, none),
            "schedule.yaml: 21 sessions, 2 undated, 0 errors, 0 warnings"
        );
        let one = Tally {
            errors: 1,
            warnings: 1,
        };
        assert_eq!(
            summary(&source, 1, 1, one),
            "schedule.yaml: 1 session, 1 undated, 1 error, 1 warning"
        );
    }

    #[test]
    fn json_gives_each_diagnostic_its_place_and_counts_them() {
        let source = schedule();
        let diagnostics = [
            mismatch(&source),
            Diagnostic::warning("no-sessions", "the schedule has no sessions"),
        ];
        let out = json(&diagnostics, &source);
        assert!(out.ends_with("}\n") && out.lines().count() == 1, "{out}");

        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["errors"], 1);
        assert_eq!(value["warnings"], 1);
        let first = &value["diagnostics"][0];
        assert_eq!(first["severity"], "error");
        assert_eq!(first["code"], "dual-time-mismatch");
        assert_eq!(first["message"], diagnostics[0].message);
        assert_eq!(first["file"], "schedule.yaml");
        assert_eq!(first["line"], 4);
        assert_eq!(first["column"], 33);
        assert_eq!(first["session"], "week-3");
        assert_eq!(first["help"], diagnostics[0].help.as_deref().unwrap());
        let second = &value["diagnostics"][1];
        assert_eq!(second["severity"], "warning");
        for field in ["line", "column", "session", "help"] {
            assert!(second[field].is_null(), "{field} is {}", second[field]);
        }
    }

    #[test]
    fn json_keeps_its_field_order() {
        let source = SourceFile::new("s.yaml", "x");
        let diagnostic = Diagnostic::error("bad", "`x` is bad").at(Span::new(0, 1));
        assert_eq!(
            json(&[diagnostic], &source),
            "{\"diagnostics\":[{\"severity\":\"error\",\"code\":\"bad\",\"message\":\"`x` is bad\",\
             \"file\":\"s.yaml\",\"line\":1,\"column\":1,\"session\":null,\"help\":null}],\
             \"errors\":1,\"warnings\":0}\n"
        );
    }

    #[test]
    fn github_commands_locate_the_span_and_escape_what_github_reads_as_syntax() {
        let source = SourceFile::new("week 1, part:2.yaml", "time: \"100% done\"\n");
        let diagnostic = Diagnostic::error("odd-time", "`100% done` is not a time,\nreally")
            .at(span_of(&source, "100% done"))
            .help("write a time: 10:00\r\n");
        assert_eq!(
            github(&[diagnostic], &source),
            "::error file=week 1%2C part%3A2.yaml,line=1,col=8,endLine=1,endColumn=17,\
             title=odd-time::`100%25 done` is not a time,%0Areally%0Ahelp: write a time: 10:00%0D%0A\n"
        );
    }

    #[test]
    fn a_github_command_ends_a_span_before_its_newline() {
        let source = SourceFile::new("s.yaml", "a: 1\r\nb: 2\r\n");
        let diagnostic = Diagnostic::error("x", "`a` and `b` clash").at(Span::new(0, 12));
        assert_eq!(
            github(&[diagnostic], &source),
            "::error file=s.yaml,line=1,col=1,endLine=2,endColumn=5,title=x::`a` and `b` clash\n"
        );
    }

    #[test]
    fn a_github_command_without_a_span_names_only_the_file() {
        let source = schedule();
        let diagnostics = [
            Diagnostic::warning("no-sessions", "the schedule has no sessions"),
            Diagnostic::error("no-title", "the schedule has no title"),
        ];
        assert_eq!(
            github(&diagnostics, &source),
            "::warning file=schedule.yaml,title=no-sessions::the schedule has no sessions\n\
             ::error file=schedule.yaml,title=no-title::the schedule has no title\n"
        );
    }

    #[test]
    fn c1_control_characters_are_shown_escaped_in_every_terminal_format() {
        let source = SourceFile::new("s.yaml", "topic: a\u{9b}31mred\u{85} b\ntopc: x\n");
        let diagnostic = Diagnostic::error("bad", "`a\u{9b}31mred` is \u{85}odd")
            .at(span_of(&source, "b\n"))
            .label("here \u{9b}")
            .help("write \u{9b}it");
        let out = human(std::slice::from_ref(&diagnostic), &source, false);
        assert_eq!(
            out,
            "error[bad]: `a\\u{9b}31mred` is \\u{85}odd\n \
             --> s.yaml:1:18\n  |\n1 | topic: a\u{fffd}31mred\u{fffd} b\n  |                  \
             ^ here \\u{9b}\n  |\n  = help: write \\u{9b}it\n"
        );
        let github = github(std::slice::from_ref(&diagnostic), &source);
        assert!(!github.contains(is_c1), "{github}");
        assert!(github.contains("\\u{9b}"), "{github}");
    }
}
