//! RFC 5545 content lines: TEXT escaping (§3.3.11), parameter quoting (§3.2) and folding
//! at 75 octets (§3.1), never inside a UTF-8 character.

/// Longest physical line in octets, not counting CRLF.
const FOLD_AT: usize = 75;

/// Accumulates a folded, CRLF-terminated iCalendar text.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    out: String,
}

impl Lines {
    /// A content line whose value is already in iCalendar syntax (dates, URIs, enums).
    pub(crate) fn raw(&mut self, name: &str, value: &str) {
        let mut line = String::with_capacity(name.len() + 1 + value.len());
        line.push_str(name);
        line.push(':');
        line.push_str(&strip_controls(value));
        fold_into(&line, &mut self.out);
    }

    /// A content line with a TEXT value, escaped so no value can end the line or the component.
    pub(crate) fn text(&mut self, name: &str, value: &str) {
        self.raw_escaped(name, &escape_text(value));
    }

    fn raw_escaped(&mut self, name: &str, escaped: &str) {
        let mut line = String::with_capacity(name.len() + 1 + escaped.len());
        line.push_str(name);
        line.push(':');
        line.push_str(escaped);
        fold_into(&line, &mut self.out);
    }

    /// An unfolded line produced elsewhere (VTIMEZONE), `NAME[;PARAMS]:VALUE`.
    pub(crate) fn line(&mut self, line: &str) {
        fold_into(&strip_controls(line), &mut self.out);
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// RFC 5545 §3.3.11: backslash, semicolon, comma and newline are escaped. Carriage returns
/// and other control characters (never valid in TEXT) are dropped, so a value can never
/// start a new content line.
pub(crate) fn escape_text(value: &str) -> String {
    let normalized = value.replace("\r\n", "\n");
    let mut out = String::with_capacity(normalized.len() + 8);
    for c in normalized.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (§3.2): quoted when it holds `:`, `;` or `,`; DQUOTE and controls,
/// which a parameter value cannot hold, are dropped.
pub(crate) fn param(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

fn strip_controls(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .collect()
}

/// Appends `line` folded to at most 75 octets per physical line, each ending in CRLF.
/// Continuation lines start with one space, which unfolding removes.
fn fold_into(line: &str, out: &mut String) {
    let mut rest = line;
    let mut limit = FOLD_AT;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // The leading space counts toward the next line's 75 octets.
        limit = FOLD_AT - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reverses folding and TEXT escaping: the project's own round-trip check.
    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "").replace("\r\n\t", "")
    }

    fn unescape_text(value: &str) -> String {
        let mut out = String::with_capacity(value.len());
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        }
        out
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut lines = Lines::default();
        let value = "Virtualisierung für alle – 虚拟化 ☁️ ".repeat(8);
        lines.text("SUMMARY", &value);
        let text = lines.finish();
        for physical in text.split_terminator("\r\n") {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical}",
                physical.len()
            );
        }
        let unfolded = unfold(&text);
        let value_part = unfolded
            .strip_suffix("\r\n")
            .unwrap()
            .strip_prefix("SUMMARY:")
            .unwrap();
        assert_eq!(unescape_text(value_part), value);
    }

    #[test]
    fn a_line_of_exactly_75_octets_is_not_folded() {
        let mut lines = Lines::default();
        lines.raw("X", &"a".repeat(73));
        assert_eq!(lines.finish(), format!("X:{}\r\n", "a".repeat(73)));
    }

    #[test]
    fn text_cannot_inject_a_new_content_line() {
        let hostile = "Topic\r\nEND:VEVENT\nBEGIN:VEVENT;x,y\\";
        let escaped = escape_text(hostile);
        assert_eq!(escaped, "Topic\\nEND:VEVENT\\nBEGIN:VEVENT\\;x\\,y\\\\");
        assert!(!escaped.contains(['\r', '\n']));
        assert_eq!(unescape_text(&escaped), hostile.replace("\r\n", "\n"));
    }

    #[test]
    fn parameter_values_with_separators_are_quoted() {
        assert_eq!(param("America/Los_Angeles"), "America/Los_Angeles");
        assert_eq!(param("Zoom: \"main\" room"), "\"Zoom: main room\"");
    }
}
