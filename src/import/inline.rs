//! The inline markdown of one table cell as tokens (links, line breaks `<br>`, crossed-out
//! text `~~`, from pulldown-cmark's events), and the readings a cell lists
//! ("1. [A](url); <br> 2. B"). Knows nothing about tables, columns or YAML.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::schedule::Item;

/// A piece of a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    Text(String),
    Link {
        text: String,
        url: String,
    },
    /// `<br>`: a line break, which separates the entries of a list.
    Break,
    /// `~~`: crossed-out text starts or ends here.
    Strike,
}

/// The tokens of a cell, from pulldown-cmark's events for its inline markdown (escapes and
/// entities already decoded). Bare `https://` links, which GFM also links, are found here.
pub(crate) fn tokens(events: Vec<Event<'_>>) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut text = String::new();
    // The tokens around an open link, and its target, while its text is read.
    let mut outer: Vec<(Vec<Token>, String)> = Vec::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                flush(&mut text, &mut tokens);
                outer.push((std::mem::take(&mut tokens), dest_url.into_string()));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                flush(&mut text, &mut tokens);
                if let Some((before, url)) = outer.pop() {
                    let link = Token::Link {
                        text: plain(&tokens),
                        url,
                    };
                    tokens = before;
                    tokens.push(link);
                }
            }
            Event::Start(Tag::Strikethrough) | Event::End(TagEnd::Strikethrough) => {
                flush(&mut text, &mut tokens);
                tokens.push(Token::Strike);
            }
            Event::InlineHtml(html) | Event::Html(html) if is_break(&html) => {
                flush(&mut text, &mut tokens);
                tokens.push(Token::Break);
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    flush(&mut text, &mut tokens);
    tokens
}

/// Text read so far as tokens: bare links apart, control characters as spaces.
fn flush(text: &mut String, tokens: &mut Vec<Token>) {
    let raw = std::mem::take(text);
    let mut words = String::new();
    let mut i = 0;
    while i < raw.len() {
        if let Some(len) = bare_url(&raw, i) {
            if !words.is_empty() {
                tokens.push(Token::Text(std::mem::take(&mut words)));
            }
            let url = raw[i..i + len].to_owned();
            tokens.push(Token::Link {
                text: url.clone(),
                url,
            });
            i += len;
            continue;
        }
        let c = raw[i..].chars().next().unwrap_or(' ');
        words.push(if c.is_control() { ' ' } else { c });
        i += c.len_utf8();
    }
    if !words.is_empty() {
        tokens.push(Token::Text(words));
    }
}

/// Whether an HTML tag is a line break: `<br>`, `<br/>`, `<BR />`.
fn is_break(html: &str) -> bool {
    let inner = html.trim().trim_start_matches('<').trim_end_matches('>');
    let name: String = inner
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    name.eq_ignore_ascii_case("br")
}

/// The length of a bare `https://...` link at `i`, without trailing punctuation.
fn bare_url(raw: &str, i: usize) -> Option<usize> {
    let rest = &raw[i..];
    let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    if i > 0 && raw.as_bytes()[i - 1].is_ascii_alphanumeric() {
        return None;
    }
    let mut len = rest
        .find(|c: char| c.is_whitespace() || c == '<')
        .unwrap_or(rest.len());
    while len > 0 {
        let last = rest[..len].chars().next_back().unwrap_or(' ');
        let unbalanced =
            last == ')' && rest[..len].matches('(').count() < rest[..len].matches(')').count();
        if ".,;:!?'\"".contains(last) || unbalanced {
            len -= last.len_utf8();
        } else {
            break;
        }
    }
    (len > "https://".len()).then_some(len)
}

/// The text a reader sees: links as their text, line breaks as spaces, spaces collapsed.
pub(crate) fn plain(tokens: &[Token]) -> String {
    let mut text = String::new();
    for token in tokens {
        match token {
            Token::Text(t) => text.push_str(t),
            Token::Link { text: t, .. } => text.push_str(t),
            Token::Break => text.push(' '),
            Token::Strike => {}
        }
    }
    collapse(&text)
}

/// The markdown of tokens, for keeping what could not be read.
pub(crate) fn markdown(tokens: &[Token]) -> String {
    let mut text = String::new();
    for token in tokens {
        match token {
            Token::Text(t) => text.push_str(t),
            Token::Link { text: t, url } if t == url => text.push_str(url),
            Token::Link { text: t, url } => text.push_str(&format!("[{t}]({url})")),
            Token::Break => text.push(' '),
            Token::Strike => text.push_str("~~"),
        }
    }
    collapse(&text)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a cell's text says there is nothing: `N/A`, `-`, `none`.
pub(crate) fn is_nothing(text: &str) -> bool {
    let text = text.trim().trim_end_matches(['.', ';', ',']);
    text.is_empty()
        || [
            "n/a", "na", "-", "--", "\u{2013}", "\u{2014}", "none", "nil",
        ]
        .contains(&text.to_lowercase().as_str())
}

/// One entry of a list in a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Entry {
    Item(Item),
    /// Text the importer cannot turn into an item (two links with words between them),
    /// as markdown.
    Unread(String),
}

/// The entries a cell lists: one per line (`<br>`), and in a numbered list one per `;`;
/// several links separated only by `,` or `and` are one entry each.
pub(crate) fn entries(tokens: &[Token]) -> Vec<Entry> {
    let lines: Vec<Vec<Token>> = tokens
        .split(|t| *t == Token::Break)
        .map(<[Token]>::to_vec)
        .collect();
    let numbered = lines
        .iter()
        .find(|line| !plain(line).is_empty())
        .is_some_and(|line| numbering(&plain(line)).is_some());
    let pieces: Vec<Vec<Token>> = if numbered {
        lines
            .into_iter()
            .flat_map(|line| split_semicolons(&line))
            .collect()
    } else {
        lines
    };
    pieces
        .into_iter()
        .filter_map(|piece| entry(clean(piece)))
        .flatten()
        .collect()
}

/// The length of a list number such as `1. ` or `2)` at the start of `text`.
fn numbering(text: &str) -> Option<usize> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let mark = text.as_bytes().get(digits)?;
    if *mark != b'.' && *mark != b')' {
        return None;
    }
    match text.as_bytes().get(digits + 1) {
        Some(next) if next.is_ascii_digit() => None,
        _ => Some(digits + 1),
    }
}

/// Splits a line at `;` outside parentheses: `1. A; 2. B (x; y)` is two entries.
fn split_semicolons(line: &[Token]) -> Vec<Vec<Token>> {
    let mut pieces = vec![Vec::new()];
    let mut depth = 0i32;
    for token in line {
        let Token::Text(text) = token else {
            if let Some(piece) = pieces.last_mut() {
                piece.push(token.clone());
            }
            continue;
        };
        let mut current = String::new();
        for c in text.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            if c == ';' && depth <= 0 {
                if let Some(piece) = pieces.last_mut() {
                    piece.push(Token::Text(std::mem::take(&mut current)));
                }
                pieces.push(Vec::new());
            } else {
                current.push(c);
            }
        }
        if let Some(piece) = pieces.last_mut() {
            piece.push(Token::Text(current));
        }
    }
    pieces
}

/// An entry without its list number, crossing-out, or trailing `;` and `,`.
fn clean(piece: Vec<Token>) -> Vec<Token> {
    let mut piece: Vec<Token> = piece
        .into_iter()
        .filter(|t| *t != Token::Strike && *t != Token::Break)
        .collect();
    if let Some(Token::Text(first)) = piece.first_mut() {
        let trimmed = first.trim_start();
        let skip = numbering(trimmed).unwrap_or(0);
        *first = trimmed[skip..].trim_start().to_owned();
    }
    if let Some(Token::Text(last)) = piece.last_mut() {
        *last = last.trim_end().trim_end_matches([';', ',']).to_owned();
    }
    piece.retain(|t| !matches!(t, Token::Text(text) if text.trim().is_empty()));
    piece
}

/// What one entry says: a title, a link, or a link with a note around it.
fn entry(piece: Vec<Token>) -> Option<Vec<Entry>> {
    let links: Vec<(&String, &String)> = piece
        .iter()
        .filter_map(|t| match t {
            Token::Link { text, url } => Some((text, url)),
            _ => None,
        })
        .collect();
    let text = plain(&piece);
    if is_nothing(&text) {
        return None;
    }
    match links.len() {
        0 => Some(vec![Entry::Item(Item {
            title: Some(text),
            ..Item::default()
        })]),
        1 => {
            let at = piece
                .iter()
                .position(|t| matches!(t, Token::Link { .. }))
                .unwrap_or(0);
            let before = plain(&piece[..at]);
            let after = plain(&piece[at + 1..]);
            let note = [lead_note(&before), trail_note(&after)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; ");
            let (title, url) = links[0];
            Some(vec![Entry::Item(Item {
                title: link_title(title, url),
                url: Some(url.clone()),
                note: Some(note).filter(|n| !n.is_empty()),
            })])
        }
        _ => {
            let only_separators = piece.iter().all(|t| match t {
                Token::Text(text) => text
                    .split(|c: char| c.is_whitespace() || ",;/&+|".contains(c))
                    .all(|w| {
                        w.is_empty()
                            || w.eq_ignore_ascii_case("and")
                            || w.eq_ignore_ascii_case("or")
                    }),
                _ => true,
            });
            if only_separators {
                Some(
                    links
                        .into_iter()
                        .map(|(title, url)| {
                            Entry::Item(Item {
                                title: link_title(title, url),
                                url: Some(url.clone()),
                                note: None,
                            })
                        })
                        .collect(),
                )
            } else {
                Some(vec![Entry::Unread(markdown(&piece))])
            }
        }
    }
}

/// A link's text as its title; none when it is empty or the link itself.
fn link_title(text: &str, url: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty() && text != url).then(|| text.to_owned())
}

/// "The first three pages of [X](...)" -> "first three pages".
fn lead_note(before: &str) -> Option<String> {
    let mut text = before.trim().trim_end_matches([':', ',', '-']).trim_end();
    for word in [" of", " about", " from", " in"] {
        let cut = text.len().saturating_sub(word.len());
        if cut > 0
            && text
                .get(cut..)
                .is_some_and(|end| end.eq_ignore_ascii_case(word))
        {
            text = text[..cut].trim_end();
            break;
        }
    }
    for word in ["the ", "The "] {
        if let Some(rest) = text.strip_prefix(word) {
            text = rest;
        }
    }
    let mut chars = text.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    // Lowercase a capitalised first word ("Briefly"), not an acronym ("ACM").
    let first = if rest.starts_with(|c: char| c.is_lowercase()) || rest.is_empty() {
        first.to_lowercase().collect::<String>()
    } else {
        first.to_string()
    };
    Some(format!("{first}{rest}"))
}

/// "[X](...) (mainly Ch 2 to Ch 5)" -> "mainly Ch 2 to Ch 5".
fn trail_note(after: &str) -> Option<String> {
    let text = after.trim();
    let text = match text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        Some(inner) => inner.trim(),
        None => text
            .trim_start_matches([',', ';', ':', '-', '\u{2013}', '\u{2014}'])
            .trim(),
    };
    let text = text.trim_end_matches([',', ';']).trim();
    (!text.is_empty() && text != ".").then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens of `raw` as the only cell of a table.
    fn tokens(raw: &str) -> Vec<Token> {
        let table = format!("| x |\n| - |\n| {raw} |\n");
        let mut tables = crate::import::table::tables(&table);
        tables.remove(0).rows.remove(0).cells.remove(0).tokens
    }

    fn item(title: &str, url: Option<&str>, note: Option<&str>) -> Entry {
        Entry::Item(Item {
            title: Some(title.to_owned()),
            url: url.map(str::to_owned),
            note: note.map(str::to_owned),
        })
    }

    #[test]
    fn links_breaks_and_strikes_are_tokens() {
        let tokens = tokens("~~JAN. 5~~, <br> [Zoom](https://z.us/j/1?a=b) <https://x.org>");
        assert_eq!(
            tokens,
            [
                Token::Strike,
                Token::Text("JAN. 5".into()),
                Token::Strike,
                Token::Text(", ".into()),
                Token::Break,
                Token::Text(" ".into()),
                Token::Link {
                    text: "Zoom".into(),
                    url: "https://z.us/j/1?a=b".into()
                },
                Token::Text(" ".into()),
                Token::Link {
                    text: "https://x.org".into(),
                    url: "https://x.org".into()
                },
            ]
        );
    }

    #[test]
    fn escapes_entities_and_emphasis_read_as_text() {
        assert_eq!(plain(&tokens(r"A \| B &amp; **C** `d`")), "A | B & C d");
    }

    #[test]
    fn a_numbered_list_gives_one_item_per_entry() {
        let cell = "1. Formal Requirements (Comm ACM 1974); <br> 2. Disco: Running (TOCS'97); <br> 3. [Scale](https://d.org/s.pdf)";
        assert_eq!(
            entries(&tokens(cell)),
            [
                item("Formal Requirements (Comm ACM 1974)", None, None),
                item("Disco: Running (TOCS'97)", None, None),
                item("Scale", Some("https://d.org/s.pdf"), None),
            ]
        );
    }

    #[test]
    fn words_around_a_link_become_its_note() {
        let cell = "1. The first three pages of [EPT](https://v.com/e.pdf); <br> 2. Briefly about [Wild](https://u.org/w) <br> 3.[QEMU](https://q.org) (It's OK to skim)";
        assert_eq!(
            entries(&tokens(cell)),
            [
                item(
                    "EPT",
                    Some("https://v.com/e.pdf"),
                    Some("first three pages")
                ),
                item("Wild", Some("https://u.org/w"), Some("briefly")),
                item("QEMU", Some("https://q.org"), Some("It's OK to skim")),
            ]
        );
        let cell = "[Containers](https://n.com/c.pdf) (mainly Ch 2 to Ch 5; skip the rest.)";
        assert_eq!(
            entries(&tokens(cell)),
            [item(
                "Containers",
                Some("https://n.com/c.pdf"),
                Some("mainly Ch 2 to Ch 5; skip the rest.")
            )]
        );
    }

    #[test]
    fn links_joined_by_and_or_commas_are_separate_items() {
        let cell = "[Kubernetes](https://k.io) and [gVisor](https://g.dev), [Note](https://n.so)";
        assert_eq!(entries(&tokens(cell)).len(), 3);
    }

    #[test]
    fn links_with_words_between_are_kept_as_written() {
        let cell = "Read [A](https://a.org) before [B](https://b.org)";
        assert_eq!(
            entries(&tokens(cell)),
            [Entry::Unread(
                "Read [A](https://a.org) before [B](https://b.org)".into()
            )]
        );
    }

    #[test]
    fn nothing_is_nothing() {
        assert!(entries(&tokens("N/A")).is_empty());
        assert!(entries(&tokens(" ")).is_empty());
        assert!(entries(&tokens("~~N/A~~")).is_empty());
    }

    #[test]
    fn bare_links_lose_trailing_punctuation() {
        assert_eq!(
            entries(&tokens("see https://youtu.be/x.")),
            [Entry::Item(Item {
                title: None,
                url: Some("https://youtu.be/x".into()),
                note: Some("see".into())
            })]
        );
    }
}
