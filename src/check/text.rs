//! Checks of single values: text fields, links, durations, ids.

use chrono::TimeDelta;

use super::{Findings, at};
use crate::diagnostic::Diagnostic;
use crate::load::Spanned;

/// Longest text a field may hold, in characters: room for an abstract, not for a book.
pub(crate) const MAX_TEXT: usize = 10_000;

/// Adds the session id to a diagnostic when there is one.
pub(crate) fn in_session(diagnostic: Diagnostic, session: Option<&str>) -> Diagnostic {
    match session {
        Some(id) => diagnostic.session(id),
        None => diagnostic,
    }
}

/// A one-line text (topic, name, title): trimmed, no line breaks or control characters.
pub(crate) fn line(
    value: &Spanned<String>,
    field: &str,
    session: Option<&str>,
    findings: &mut Findings,
) -> Option<String> {
    text(value, field, false, session, findings)
}

/// A text that may span lines (description, note).
pub(crate) fn paragraph(
    value: &Spanned<String>,
    field: &str,
    session: Option<&str>,
    findings: &mut Findings,
) -> Option<String> {
    text(value, field, true, session, findings)
}

fn text(
    value: &Spanned<String>,
    field: &str,
    multiline: bool,
    session: Option<&str>,
    findings: &mut Findings,
) -> Option<String> {
    let trimmed = value.value.trim();
    let allowed = |c: char| !c.is_control() || (multiline && (c == '\n' || c == '\t'));
    let problem = if trimmed.is_empty() {
        Some(
            Diagnostic::error(
                if field == "topic" {
                    "empty-topic"
                } else {
                    "empty-text"
                },
                format!("`{field}` is empty"),
            )
            .label("nothing here")
            .help(format!("write the {field}, or remove it")),
        )
    } else if let Some(bad) = trimmed.chars().find(|&c| !allowed(c)) {
        let what = match bad {
            '\n' | '\r' => "a line break".to_owned(),
            other => format!("the control character U+{:04X}", u32::from(other)),
        };
        Some(
            Diagnostic::error("invalid-text", format!("`{field}` contains {what}"))
                .label("in this value")
                .help(if multiline {
                    "remove the control character".to_owned()
                } else {
                    format!("`{field}` is one line: remove the line break or control character")
                }),
        )
    } else if trimmed.chars().count() > MAX_TEXT {
        Some(
            Diagnostic::error(
                "text-too-long",
                format!("`{field}` is longer than {MAX_TEXT} characters"),
            )
            .label("this value")
            .help("shorten it, or link to a page that holds the full text"),
        )
    } else {
        None
    };
    match problem {
        Some(diagnostic) => {
            findings.push(in_session(diagnostic.at(at(value)), session));
            None
        }
        None => Some(trimmed.to_owned()),
    }
}

/// An http(s) link. Anything else (`javascript:`, `file:`, spaces) would be unsafe or broken
/// in a calendar client.
pub(crate) fn url(
    value: &Spanned<String>,
    field: &str,
    session: Option<&str>,
    findings: &mut Findings,
) -> Option<String> {
    let link = value.value.trim();
    match url_problem(link) {
        None => Some(link.to_owned()),
        Some(problem) => {
            findings.push(in_session(
                Diagnostic::error(
                    "invalid-url",
                    format!("`{field}` is not a web link: {problem}"),
                )
                .at(at(value))
                .label("this link")
                .help(
                    "links must start with https:// or http://, and spaces must be written as %20",
                ),
                session,
            ));
            None
        }
    }
}

/// Why `link` is not an http(s) URL, if it is not.
pub(crate) fn url_problem(link: &str) -> Option<String> {
    let has_prefix = |prefix: &str| {
        link.get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    };
    let rest = if has_prefix("https://") {
        &link["https://".len()..]
    } else if has_prefix("http://") {
        &link["http://".len()..]
    } else {
        let scheme = link.split_once(':').map_or(link, |(scheme, _)| scheme);
        return Some(format!("`{scheme}` links are not allowed"));
    };
    // A character is at least one byte, so only a long link needs counting.
    if link.len() > MAX_TEXT && link.chars().count() > MAX_TEXT {
        return Some(format!("it is longer than {MAX_TEXT} characters"));
    }
    // ASCII whitespace and controls are the bytes up to the space, and DEL.
    let unsafe_char = |c: char| match c {
        '\0'..=' ' | '\x7f' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' => true,
        c if c.is_ascii() => false,
        c => c.is_whitespace() || c.is_control(),
    };
    if let Some(bad) = link.chars().find(|&c| unsafe_char(c)) {
        return Some(if bad.is_whitespace() {
            "it contains a space".to_owned()
        } else {
            let shown = if bad.is_control() {
                bad.escape_default().to_string()
            } else {
                bad.to_string()
            };
            format!("it contains `{shown}`")
        });
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() {
        return Some("it has no host".to_owned());
    }
    None
}

/// `1h`, `90m`, `1h30m`: positive and at most a day (`limit`).
pub(crate) fn duration(
    value: &Spanned<String>,
    field: &str,
    limit: TimeDelta,
    session: Option<&str>,
    findings: &mut Findings,
) -> Option<TimeDelta> {
    match parse_duration(&value.value).filter(|d| *d > TimeDelta::zero() && *d <= limit) {
        Some(duration) => Some(duration),
        None => {
            findings.push(in_session(
                Diagnostic::error(
                    "invalid-duration",
                    format!("`{}` is not a duration for `{field}`", value.value.trim()),
                )
                .at(at(value))
                .label("expected hours and minutes")
                .help(format!(
                    "write it like 1h, 90m or 1h30m (more than zero, at most {} hours)",
                    limit.num_hours()
                )),
                session,
            ));
            None
        }
    }
}

/// Parses `1h30m`, `90m`, `2h`, `45 min`.
pub(crate) fn parse_duration(text: &str) -> Option<TimeDelta> {
    let compact: String = text
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let compact = compact.replace("min", "m");
    let mut total = TimeDelta::zero();
    let mut number = String::new();
    let mut any = false;
    for c in compact.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().ok().filter(|n| *n <= 100_000)?;
        number.clear();
        total += match c {
            'h' => TimeDelta::hours(n),
            'm' => TimeDelta::minutes(n),
            _ => return None,
        };
        any = true;
    }
    (number.is_empty() && any).then_some(total)
}

/// A session or calendar id: it becomes part of UIDs and file names, so it stays plain.
pub(crate) fn id(value: &Spanned<String>, findings: &mut Findings) -> Option<String> {
    let id = value.value.trim();
    let plain = !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
    if plain && id.len() <= MAX_ID {
        return Some(id.to_owned());
    }
    if plain {
        findings.push(
            Diagnostic::error(
                "invalid-id",
                format!(
                    "`{id}` is {} characters; an id is at most {MAX_ID}",
                    id.len()
                ),
            )
            .at(at(value))
            .label("ids become part of calendar UIDs and file names")
            .help(format!("shorten it, e.g. `{}`", shortened(id))),
        );
        return None;
    }
    let suggestion: String = id
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let suggestion = if suggestion.len() > MAX_ID {
        shortened(&suggestion)
    } else {
        suggestion
    };
    let help = if suggestion.is_empty() {
        "use lowercase letters, digits and `-`, e.g. `week-1`".to_owned()
    } else {
        format!("use lowercase letters, digits and `-`, e.g. `{suggestion}`")
    };
    findings.push(
        Diagnostic::error("invalid-id", format!("`{id}` is not a valid id"))
            .at(at(value))
            .label("ids become part of calendar UIDs")
            .help(help),
    );
    None
}

/// Longest id, in bytes (ids are ASCII): it becomes part of UIDs and file names.
pub(crate) const MAX_ID: usize = 100;

/// An over-long plain id cut to fit: at a `-` (or `_`, `.`) boundary where there is one,
/// with a short hash of the whole id so that two long ids sharing a beginning, or a short id
/// equal to that beginning, still get different suggestions.
fn shortened(id: &str) -> String {
    // FNV-1a: stable across runs and platforms, unlike the standard library's hasher.
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let tag = format!("-{:06x}", hash & 0xff_ffff);
    let room = MAX_ID - tag.len();
    let head = &id[..room.min(id.len())];
    let head = match head.rfind(['-', '_', '.']) {
        Some(cut) if cut > room / 2 => &head[..cut],
        _ => head,
    };
    head.trim_end_matches(['-', '_', '.']).to_owned() + &tag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_hours_and_minutes() {
        assert_eq!(parse_duration("1h30m"), Some(TimeDelta::minutes(90)));
        assert_eq!(parse_duration("90m"), Some(TimeDelta::minutes(90)));
        assert_eq!(parse_duration("2 h"), Some(TimeDelta::hours(2)));
        assert_eq!(parse_duration("45 min"), Some(TimeDelta::minutes(45)));
        assert_eq!(parse_duration("1.5h"), None);
        assert_eq!(parse_duration("90"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn only_plain_web_links_pass() {
        assert_eq!(url_problem("https://youtu.be/9VDgRDV79wc"), None);
        assert!(
            url_problem("javascript:alert(1)")
                .unwrap()
                .contains("`javascript`")
        );
        assert!(url_problem("https://x.org/a b").unwrap().contains("space"));
        assert!(url_problem("https:///path").unwrap().contains("no host"));
    }

    #[test]
    fn an_over_long_id_is_shortened_at_a_dash_and_stays_distinct() {
        let long = "week-".repeat(30) + "one";
        let other = "week-".repeat(30) + "two";
        let short = shortened(&long);
        assert!(short.len() <= MAX_ID, "{short}");
        assert!(short.starts_with("week-week-"), "{short}");
        assert!(!short.contains("--"), "{short}");
        assert_ne!(short, shortened(&other));
        assert_eq!(short, shortened(&long));
        let one_word = "w".repeat(150);
        assert_eq!(shortened(&one_word).len(), MAX_ID);
    }
}
