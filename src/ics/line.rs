//! RFC 5545 content lines: TEXT escaping (§3.3.11), parameter quoting (§3.2) and folding
//! at 75 octets (§3.1), never inside a UTF-8 character.

/// Longest physical line in octets, not counting CRLF.
const FOLD_AT: usize = 75;

/// Accumulates a folded, CRLF-terminated iCalendar text.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    out: String,
    /// The content line being built, reused so that writing a line allocates nothing.
    line: String,
}

impl Lines {
    /// Room for `capacity` octets of folded text.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Lines {
            out: String::with_capacity(capacity),
            line: String::new(),
        }
    }

    /// A content line whose value is already in iCalendar syntax (dates, URIs, enums).
    pub(crate) fn raw(&mut self, name: &str, value: &str) {
        self.line.clear();
        self.line.push_str(name);
        self.line.push(':');
        push_without_controls(value, &mut self.line);
        fold_into(&self.line, &mut self.out);
    }

    /// A content line with a TEXT value, escaped so no value can end the line or the component.
    pub(crate) fn text(&mut self, name: &str, value: &str) {
        self.line.clear();
        self.line.push_str(name);
        self.line.push(':');
        push_escaped(value, &mut self.line);
        fold_into(&self.line, &mut self.out);
    }

    /// A content line `NAME` + `params` + `:` + the value `value` appends, which must be in
    /// iCalendar syntax without control characters (dates, numbers): nothing is allocated
    /// to hold it.
    pub(crate) fn computed(&mut self, name: &str, params: &str, value: impl FnOnce(&mut String)) {
        self.line.clear();
        self.line.extend([name, params, ":"]);
        value(&mut self.line);
        fold_into(&self.line, &mut self.out);
    }

    /// An unfolded line produced elsewhere (VTIMEZONE), `NAME[;PARAMS]:VALUE`.
    pub(crate) fn line(&mut self, line: &str) {
        self.line.clear();
        push_without_controls(line, &mut self.line);
        fold_into(&self.line, &mut self.out);
    }

    /// Lines folded elsewhere, appended as they are.
    pub(crate) fn append(&mut self, folded: &str) {
        self.out.push_str(folded);
    }

    /// The text so far.
    pub(crate) fn written(&self) -> &str {
        &self.out
    }

    /// Hands over the text so far and starts anew with room for a little more than that,
    /// so that text of about the same length is not moved as it grows.
    pub(crate) fn take(&mut self) -> String {
        let room = self.out.len() + self.out.len() / 8;
        std::mem::replace(&mut self.out, String::with_capacity(room))
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// Appends `value` escaped as TEXT. RFC 5545 §3.3.11: backslash, semicolon, comma and
/// newline are escaped. Carriage returns and other control characters (never valid in TEXT)
/// are dropped, so a value can never start a new content line; CRLF becomes an escaped
/// newline like LF.
fn push_escaped(value: &str, out: &mut String) {
    push_replacing(value, out, &TEXT);
}

/// Appends `value` without its control characters (tab stays).
fn push_without_controls(value: &str, out: &mut String) {
    push_replacing(value, out, &RAW);
}

/// What to do with a byte: copy it (`KEEP`), drop it, escape it, or look at the next byte.
type Table = [u8; 256];
const KEEP: u8 = 0;
const DROP: u8 = 1;
const ESCAPE: u8 = 2;
/// 0xC2 leads U+0080-U+00BF, of which U+0080-U+009F are (C1) control characters.
const C1_LEAD: u8 = 3;

/// Control characters other than tab, as `char::is_control` has them: U+0000-U+001F,
/// U+007F, and U+0080-U+009F.
const RAW: Table = {
    let mut table = [KEEP; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = DROP;
        byte += 1;
    }
    table[b'\t' as usize] = KEEP;
    table[0x7f] = DROP;
    table[0xc2] = C1_LEAD;
    table
};

const TEXT: Table = {
    let mut table = RAW;
    table[b'\\' as usize] = ESCAPE;
    table[b';' as usize] = ESCAPE;
    table[b',' as usize] = ESCAPE;
    table[b'\n' as usize] = ESCAPE;
    table
};

/// Appends `value` as `table` says. Works on bytes and copies runs of kept text whole:
/// every byte it acts on is ASCII or the lead byte 0xC2, so every cut is on a character
/// boundary.
fn push_replacing(value: &str, out: &mut String, table: &Table) {
    let bytes = value.as_bytes();
    let (mut run, mut at) = (0, 0);
    loop {
        at = next_candidate(bytes, at);
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        let (replacement, width) = match table[usize::from(byte)] {
            KEEP => {
                at += 1;
                continue;
            }
            ESCAPE => match byte {
                b'\n' => ("\\n", 1),
                b'\\' => ("\\\\", 1),
                b';' => ("\\;", 1),
                _ => ("\\,", 1),
            },
            C1_LEAD if !matches!(bytes.get(at + 1), Some(0x80..=0x9f)) => {
                at += 1;
                continue;
            }
            C1_LEAD => ("", 2),
            _ => ("", 1),
        };
        out.push_str(&value[run..at]);
        out.push_str(replacement);
        at += width;
        run = at;
    }
    out.push_str(&value[run..]);
}

/// `0x01` and `0x80` in each byte of a word.
const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// The first byte from `at` on that a table may act on, or the end. Most text needs
/// nothing done, so eight bytes are tested at once for what any table acts on (controls,
/// backslash, `;`, `,`, DEL, 0xC2); the table then decides. The last few bytes are left to
/// it.
fn next_candidate(bytes: &[u8], mut at: usize) -> usize {
    while let Some(word) = bytes
        .get(at..at + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
    {
        let word = u64::from_le_bytes(word);
        let controls = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
        let found = [b'\\', b';', b',', 0x7f, 0xc2]
            .into_iter()
            .fold(controls, |found, byte| {
                found | zero_bytes(word ^ (ONES * u64::from(byte)))
            });
        if found != 0 {
            // The lowest byte flagged is exact; a flag above it may be false.
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at
}

/// The zero bytes of `word`, flagged by their high bit.
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGHS
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

    fn escape_text(value: &str) -> String {
        let mut out = String::new();
        push_escaped(value, &mut out);
        out
    }

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
    fn control_characters_are_dropped_from_any_value_but_tabs_stay() {
        assert_eq!(escape_text("a\tb\u{85}c\u{7f}d\u{0}é\r\nf"), "a\tbcdé\\nf");
        let mut lines = Lines::default();
        lines.raw("URL", "https://x.org/\u{9f}a\tb\nc\u{a0}");
        assert_eq!(lines.finish(), "URL:https://x.org/a\tbc\u{a0}\r\n");
    }

    /// What `push_escaped` and `push_without_controls` must write, character by character.
    fn plainly(value: &str, text: bool) -> String {
        let mut out = String::new();
        for c in value.chars() {
            match c {
                '\\' | ';' | ',' if text => out.extend(['\\', c]),
                '\n' if text => out.push_str("\\n"),
                c if c.is_control() && c != '\t' => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn every_byte_is_treated_wherever_it_falls_in_a_word() {
        let specials = [
            "\\", ";", ",", "\n", "\r", "\t", "\u{7f}", "\u{85}", "\u{9f}", "\u{a0}", "é", "€",
        ];
        for special in specials {
            for at in 0..20 {
                let value = format!("{}{special}{}", "a".repeat(at), "b".repeat(20 - at));
                let (mut text, mut raw) = (String::new(), String::new());
                push_escaped(&value, &mut text);
                push_without_controls(&value, &mut raw);
                assert_eq!(text, plainly(&value, true), "{value:?}");
                assert_eq!(raw, plainly(&value, false), "{value:?}");
            }
        }
    }

    #[test]
    fn parameter_values_with_separators_are_quoted() {
        assert_eq!(param("America/Los_Angeles"), "America/Los_Angeles");
        assert_eq!(param("Zoom: \"main\" room"), "\"Zoom: main room\"");
    }
}
