//! HTML escaping, for the page and for the feed's HTML descriptions alike: one function for
//! text, one for attribute values. Every string from the schedule shown in HTML goes through
//! one of them.

/// Escapes text for HTML content; a line break becomes `<br>`. Every string from the
/// schedule shown as text goes through here.
pub(crate) fn escape_text(text: &str) -> String {
    escape(text, "<br>")
}

/// Escapes text for a double-quoted attribute value: never markup, so a line break stays a
/// line break (`&#10;`). Every string from the schedule in an attribute goes through here.
pub(crate) fn escape_attribute(text: &str) -> String {
    escape(text, "&#10;")
}

fn escape(text: &str, newline: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    // Every character replaced is ASCII, so runs between them are copied whole.
    let mut run = 0;
    for (at, byte) in text.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'\n' => newline,
            _ => continue,
        };
        out.push_str(&text[run..at]);
        out.push_str(replacement);
        run = at + 1;
    }
    out.push_str(&text[run..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_quotes_and_line_breaks() {
        assert_eq!(
            escape_text("<a href=\"x\" title='y'>Q&A</a>\nnext"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Q&amp;A&lt;/a&gt;<br>next"
        );
    }

    #[test]
    fn an_attribute_value_keeps_its_line_break_without_markup() {
        assert_eq!(
            escape_attribute("first line\n<second> \"line\""),
            "first line&#10;&lt;second&gt; &quot;line&quot;"
        );
    }
}
