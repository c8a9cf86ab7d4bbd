//! YAML text -> `Document`: the schedule as written, every value with its place in the file.
//! The only module that names the YAML crate. Judges shape (syntax, types, unknown keys),
//! never meaning: a date that does not exist is `check`'s business.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};

use crate::diagnostic::Diagnostic;
use crate::source::{Position, SourceFile, Span};

/// A value with the place it was written. Spans are byte ranges in the source text.
pub(crate) type Spanned<T> = serde_saphyr::Spanned<T>;

/// The byte range of a spanned value: the scalar itself (quotes included), or, for a
/// mapping or sequence, an empty range where it starts.
pub(crate) fn span<T>(value: &Spanned<T>) -> Span {
    let place = value.referenced.span();
    match (place.byte_offset(), place.byte_len()) {
        (Some(start), Some(len)) => {
            let start = usize::try_from(start).unwrap_or(usize::MAX);
            Span::new(
                start,
                start.saturating_add(usize::try_from(len).unwrap_or(0)),
            )
        }
        _ => Span::new(0, 0),
    }
}

/// `value` with its own place, or `parent`'s when it has none (a bare string item).
pub(crate) fn placed<T>(value: &Spanned<String>, parent: &Spanned<T>) -> Spanned<String> {
    if value.referenced == serde_saphyr::Location::UNKNOWN {
        Spanned::new(value.value.clone(), parent.referenced, parent.defined)
    } else {
        value.clone()
    }
}

/// The whole file, as written. Everything is optional so that `check` can report every
/// missing field at once instead of stopping at the first; the JSON Schema (`schema`) marks
/// as required what `check` requires, so that editors flag it too.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "syllabus-ics schedule",
    description = "A schedule for syllabus-ics: `calendar` settings and the list of `sessions`. Unknown keys are errors."
)]
pub(crate) struct Document {
    /// Settings for the whole calendar: its id, name, time zones and defaults.
    #[schemars(with = "Option<CalendarDoc>", required)]
    pub(crate) calendar: Option<Spanned<CalendarDoc>>,
    /// The sessions, in date order: one entry per session or TBD topic. An empty list is `[]`.
    #[schemars(with = "Option<Vec<SessionDoc>>", required)]
    pub(crate) sessions: Option<Spanned<Vec<Spanned<SessionDoc>>>>,
}

/// The `calendar` section: settings for the whole feed.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CalendarDoc {
    /// A stable slug such as `vcs-meetup-2024`: the right-hand side of every event's UID.
    /// Never change it once the feed is published.
    #[schemars(with = "Option<String>", required)]
    pub(crate) id: Option<Spanned<String>>,
    /// The calendar's name, as calendar apps show it.
    #[schemars(with = "Option<String>", required)]
    pub(crate) name: Option<Spanned<String>>,
    /// What the calendar is about, as calendar apps show it.
    #[schemars(with = "Option<String>")]
    pub(crate) description: Option<Spanned<String>>,
    /// The page where the schedule is published: an `https://` or `http://` link.
    #[schemars(with = "Option<String>")]
    pub(crate) url: Option<Spanned<String>>,
    /// The IANA time zone of the events, e.g. `America/Los_Angeles`.
    #[schemars(with = "Option<String>", required)]
    pub(crate) timezone: Option<Spanned<String>>,
    /// The year of the first session. Dates in `time` are written without a year and follow
    /// on from it, so a schedule that runs from December into January needs no second year.
    #[schemars(with = "Option<i64>", required, range(min = 1900, max = 2200))]
    pub(crate) year: Option<Spanned<i64>>,
    /// How long a session lasts unless it says otherwise: `1h`, `90m` or `1h30m` (at most
    /// 24 hours). Defaults to `1h`.
    #[schemars(with = "Option<String>")]
    pub(crate) duration: Option<Spanned<String>>,
    /// The join link of sessions that name no `location`, e.g. a Zoom link: an `https://`
    /// or `http://` link.
    #[schemars(with = "Option<String>")]
    pub(crate) meeting: Option<Spanned<String>>,
    /// Every zone label used in `time`, as published, with its IANA time zone, e.g.
    /// `BJT: Asia/Shanghai`.
    #[schemars(with = "std::collections::BTreeMap<String, String>", required)]
    pub(crate) zones: Option<Spanned<Pairs>>,
    /// How cancelled sessions appear: `hide` (the default) marks them cancelled, and most
    /// calendar apps then hide them; `show` keeps them visible as free "Cancelled: ..." events.
    #[schemars(with = "Option<String>", extend("enum" = ["hide", "show", null]))]
    pub(crate) cancelled: Option<Spanned<String>>,
    /// How often calendar apps should fetch the feed again, e.g. `12h` (the default) or `1h30m`;
    /// at most four weeks.
    #[schemars(with = "Option<String>")]
    pub(crate) refresh: Option<Spanned<String>>,
}

/// One session, or a topic without a date yet (`time: TBD`).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SessionDoc {
    /// A stable slug such as `week-3`: lowercase letters, digits and `-`. It becomes the
    /// event's UID, so never change it once the feed is published.
    #[schemars(with = "Option<String>", required)]
    pub(crate) id: Option<Spanned<String>>,
    /// When the session happens, as published: `APR. 15: 5:00pm PST, APR. 16: 8:00am BJT`,
    /// `TBD`, or a list of `{date, time, zone}`. Left out, the topic is kept without an event.
    #[schemars(with = "Option<TimeDoc>")]
    pub(crate) time: Option<Spanned<TimeDoc>>,
    /// The session's topic: the event's title.
    #[schemars(with = "Option<String>", required)]
    pub(crate) topic: Option<Spanned<String>>,
    /// Who presents the session.
    #[schemars(with = "Option<String>")]
    pub(crate) presenter: Option<Spanned<String>>,
    /// Readings to prepare before the session.
    #[serde(default)]
    #[schemars(with = "Vec<Item>")]
    pub(crate) prepare: Vec<Spanned<Item>>,
    /// Additional readings.
    #[serde(default)]
    #[schemars(with = "Vec<Item>")]
    pub(crate) additional: Vec<Spanned<Item>>,
    /// A reflection to write after the session, e.g. a form to fill in.
    #[schemars(with = "Option<Item>")]
    pub(crate) reflection: Option<Spanned<Item>>,
    /// Notes from the session: slides, meeting notes.
    #[serde(default)]
    #[schemars(with = "Vec<Item>")]
    pub(crate) notes: Vec<Spanned<Item>>,
    /// The session's recording; a bare link is fine.
    #[schemars(with = "Option<Item>")]
    pub(crate) recording: Option<Spanned<Item>>,
    /// Any other links, e.g. a live stream.
    #[serde(default)]
    #[schemars(with = "Vec<Item>")]
    pub(crate) links: Vec<Spanned<Item>>,
    /// `scheduled` (the default) or `cancelled` (also spelled `canceled`).
    #[schemars(
        with = "Option<String>",
        extend("enum" = ["scheduled", "cancelled", "canceled", null])
    )]
    pub(crate) status: Option<Spanned<String>>,
    /// How long this session lasts, instead of `calendar.duration`: `1h`, `90m` or `1h30m`
    /// (at most 24 hours).
    #[schemars(with = "Option<String>")]
    pub(crate) duration: Option<Spanned<String>>,
    /// Where this session happens, instead of `calendar.meeting`: a join link or a place.
    #[schemars(with = "Option<String>")]
    pub(crate) location: Option<Spanned<String>>,
}

/// A session's time as published: pasted text, or one map per published zone.
#[derive(Debug, schemars::JsonSchema)]
#[schemars(untagged)]
pub(crate) enum TimeDoc {
    /// The time as published, halves separated by commas, e.g.
    /// `APR. 15: 5:00pm PST, APR. 16: 8:00am BJT`. The first half is the authoritative one;
    /// every other half must name the same instant. `TBD` keeps the topic without an event.
    Text(String),
    /// One entry per published zone, each naming the same instant; the first is the
    /// authoritative one.
    Halves(#[schemars(with = "Vec<HalfDoc>", length(min = 1))] Vec<Spanned<HalfDoc>>),
}

/// One zone's half of a session's time, in the list form of `time`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct HalfDoc {
    /// The date in this zone: `2024-04-15`, or as published: `APR. 15`, `Apr 15`, `April 15`.
    #[schemars(with = "String")]
    pub(crate) date: Spanned<String>,
    /// The clock time in this zone: `"17:00"`, `5pm` or `5:00pm`.
    #[schemars(with = "String")]
    pub(crate) time: Spanned<String>,
    /// A zone label from `calendar.zones`, e.g. `PST`.
    #[schemars(with = "String")]
    pub(crate) zone: Spanned<String>,
}

/// A reading, note or link: a bare title or URL, or a map.
#[derive(Debug, Default, schemars::JsonSchema)]
#[schemars(
    deny_unknown_fields,
    extend("anyOf" = [{"required": ["title"]}, {"required": ["url"]}]),
    transform = crate::schema::or_text
)]
pub(crate) struct Item {
    /// The title, e.g. of a paper or a page.
    #[schemars(with = "Option<String>")]
    pub(crate) title: Option<Spanned<String>>,
    /// The link: `https://` or `http://`.
    #[schemars(with = "Option<String>")]
    pub(crate) url: Option<Spanned<String>>,
    /// A short note shown after the title, e.g. `mainly Ch 2 to Ch 5`.
    #[schemars(with = "Option<String>")]
    pub(crate) note: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemMap {
    title: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
    note: Option<Spanned<String>>,
}

/// A mapping kept in file order, keys with their places (e.g. zone labels).
#[derive(Debug, Default)]
pub(crate) struct Pairs(pub(crate) Vec<(Spanned<String>, Spanned<String>)>);

pub(crate) fn is_url(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = Item;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a title, a URL, or a map with `title`, `url` and `note`")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Item, E> {
                // The place is filled in from the enclosing `Spanned<Item>` by `Item::text`.
                let value = Spanned::new(
                    text.to_owned(),
                    serde_saphyr::Location::UNKNOWN,
                    serde_saphyr::Location::UNKNOWN,
                );
                Ok(if is_url(text) {
                    Item {
                        url: Some(value),
                        ..Item::default()
                    }
                } else {
                    Item {
                        title: Some(value),
                        ..Item::default()
                    }
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Item, A::Error> {
                let fields = ItemMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Item {
                    title: fields.title,
                    url: fields.url,
                    note: fields.note,
                })
            }
        }
        deserializer.deserialize_any(ItemVisitor)
    }
}

impl<'de> Deserialize<'de> for TimeDoc {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimeVisitor;
        impl<'de> Visitor<'de> for TimeVisitor {
            type Value = TimeDoc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a published time such as \"APR. 15: 5:00pm PDT, APR. 16: 8:00am BJT\", TBD, or a list of {date, time, zone}")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<TimeDoc, E> {
                Ok(TimeDoc::Text(text.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TimeDoc, A::Error> {
                let mut halves = Vec::new();
                while let Some(half) = seq.next_element()? {
                    halves.push(half);
                }
                Ok(TimeDoc::Halves(halves))
            }
        }
        deserializer.deserialize_any(TimeVisitor)
    }
}

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairsVisitor(PhantomData<Pairs>);
        impl<'de> Visitor<'de> for PairsVisitor {
            type Value = Pairs;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of zone labels to IANA zones, e.g. `BJT: Asia/Shanghai`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(Pairs(pairs))
            }
        }
        deserializer.deserialize_map(PairsVisitor(PhantomData))
    }
}

/// Why a file could not be turned into a `Document`.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Not YAML, or beyond the parser's limits: nothing can be checked (exit 2).
    Unparsable(Box<Diagnostic>),
    /// YAML of the wrong shape: a schedule error (exit 1).
    Invalid(Box<Diagnostic>),
}

/// Parses the schedule. Aliases, nesting and size are bounded by serde-saphyr's budget, so
/// hostile input (alias bombs, deep nesting) fails with a located error instead of hanging.
pub(crate) fn document(source: &SourceFile) -> Result<Document, Failure> {
    serde_saphyr::from_str::<Document>(&source.text).map_err(|error| failure(source, &error))
}

fn failure(source: &SourceFile, error: &serde_saphyr::Error) -> Failure {
    let rendered = error.without_snippet().to_string();
    // serde-saphyr appends " at line L, column C"; the place goes into the span instead.
    let message = match rendered.rfind(" at line ") {
        Some(cut) => rendered[..cut].to_owned(),
        None => rendered,
    };
    let span = error.location().and_then(|place| {
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
        Some(Span::new(start, (start + len).min(source.text.len())))
    });
    let locate = |diagnostic: Diagnostic| match span {
        Some(span) => diagnostic.at(span),
        None => diagnostic,
    };
    use serde_saphyr::Error as E;
    match error.without_snippet() {
        E::ExternalMessage { .. }
        | E::Eof { .. }
        | E::MultipleDocuments { .. }
        | E::InvalidUtf8Input
        | E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::UnknownAnchor { .. }
        | E::Budget { .. }
        | E::IndentationError { .. }
        | E::FoldedBlockScalarMustIndentContent { .. }
        | E::ContainerEndMismatch { .. } => Failure::Unparsable(Box::new(locate(
            Diagnostic::error(
                "yaml-syntax",
                format!("the file is not valid YAML: {message}"),
            )
            .label("here")
            .help("fix the YAML at this place; `syllabus-ics check` then looks at the schedule"),
        ))),
        _ => Failure::Invalid(Box::new(locate(shape_diagnostic(&message)))),
    }
}

/// Turns serde's wording into ours: unknown keys get a "did you mean".
fn shape_diagnostic(message: &str) -> Diagnostic {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split(", ")
            .map(|name| name.trim_matches('`'))
            .filter(|name| !name.is_empty())
            .collect();
        let closest = known
            .iter()
            .map(|name| (strsim::jaro_winkler(field, name), *name))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let diagnostic = Diagnostic::error("unknown-field", format!("unknown field `{field}`"))
            .label("not a field here");
        return match closest {
            Some((_, name)) => diagnostic.help(format!("did you mean `{name}`?")),
            None => diagnostic.help(format!("the fields here are {}", quoted_list(&known))),
        };
    }
    Diagnostic::error("wrong-type", message.to_owned())
        .label("wrong kind of value")
        .help("see the YAML reference in the README for what this field takes")
}

fn quoted_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    quoted.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Document, Failure> {
        document(&SourceFile::new("schedule.yaml", text))
    }

    #[test]
    fn a_misspelled_field_suggests_the_right_one() {
        let Err(Failure::Invalid(d)) = load("sessions:\n  - id: a\n    topc: x\n") else {
            panic!("expected a shape error");
        };
        assert_eq!(d.code, "unknown-field");
        assert_eq!(d.help.as_deref(), Some("did you mean `topic`?"));
        assert_eq!(d.span, Some(Span::new(24, 28)));
    }

    #[test]
    fn items_are_titles_urls_or_maps() {
        let doc = load(
            "sessions:\n  - additional:\n    - Disco\n    - https://x.org/a\n    - {title: T, url: 'https://y.org', note: n}\n",
        )
        .unwrap();
        let session = &doc.sessions.unwrap().value[0].value;
        let items = &session.additional;
        assert_eq!(items[0].value.title.as_ref().unwrap().value, "Disco");
        assert_eq!(
            items[1].value.url.as_ref().unwrap().value,
            "https://x.org/a"
        );
        let url = items[2].value.url.as_ref().unwrap();
        assert_eq!(span(url), Span::new(82, 97)); // quotes included
    }

    #[test]
    fn an_unclosed_quote_is_unparsable() {
        let Err(Failure::Unparsable(d)) = load("calendar:\n  name: \"x\n") else {
            panic!("expected a syntax error");
        };
        assert_eq!(d.code, "yaml-syntax");
    }
}
