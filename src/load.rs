//! YAML text -> `Document`: the schedule as written, every value with its place in the file.
//! The only module that names the YAML crate, serde-saphyr (`failure` turns its errors into
//! diagnostics). Judges shape (syntax, types, unknown keys), never meaning: a date that does
//! not exist is `check`'s business.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};

mod failure;
mod recover;
mod spanned;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

use failure::{Fault, failure};
use recover::recover;
use spanned::UNPLACED;
pub(crate) use spanned::{Spanned, placed, span};

/// The whole file, as written. Everything is optional so that `check` can report every
/// missing field at once instead of stopping at the first; the JSON Schema (`schema`) marks
/// as required what `check` requires, so that editors flag it too.
#[derive(Debug, Default, PartialEq, Deserialize, schemars::JsonSchema)]
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
    pub(crate) sessions: Option<Spanned<Sessions>>,
}

/// The `calendar` section: settings for the whole feed.
#[derive(Debug, Default, PartialEq, Deserialize, schemars::JsonSchema)]
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
    #[schemars(with = "Option<i64>", required, range(min = 1970, max = 2099))]
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
#[derive(Debug, Default, PartialEq, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, PartialEq, schemars::JsonSchema)]
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
#[derive(Debug, PartialEq, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Default, PartialEq, schemars::JsonSchema)]
#[schemars(
    deny_unknown_fields,
    extend("anyOf" = [{"required": ["title"]}, {"required": ["url"]}]),
    transform = item_or_text
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

/// For the JSON Schema (`schema`): an item is written as a bare string (a title, or a URL
/// when it starts with `http://` or `https://`) or as a map; the derived schema describes
/// only the map.
fn item_or_text(schema: &mut schemars::Schema) {
    let description = schema.remove("description");
    let map = std::mem::replace(schema, schemars::json_schema!({}));
    *schema = schemars::json_schema!({
        "anyOf": [
            {
                "type": "string",
                "description": "A title, or a link when it starts with `https://` or `http://`."
            },
            map
        ]
    });
    if let Some(description) = description {
        schema.insert("description".into(), description);
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemMap {
    title: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
    note: Option<Spanned<String>>,
}

/// A mapping kept in file order, keys with their places (e.g. zone labels).
#[derive(Debug, Default, PartialEq)]
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
                let value = Spanned {
                    value: text.to_owned(),
                    span: UNPLACED,
                };
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

/// The payload of the error that stops reading past `limits::SESSIONS` sessions: our own
/// text, which `failure` recognises; serde gives a custom error no other kind.
const TOO_MANY_SESSIONS: &str = "more sessions than the limit";

/// The `sessions` list, refused while it is read once it holds more than `limits::SESSIONS`:
/// an empty session takes three bytes of YAML but a kilobyte of memory, so the list is
/// bounded before it is built, not after.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Sessions(pub(crate) Vec<Spanned<SessionDoc>>);

impl std::ops::Deref for Sessions {
    type Target = Vec<Spanned<SessionDoc>>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Sessions {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SessionsVisitor;
        impl<'de> Visitor<'de> for SessionsVisitor {
            type Value = Sessions;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of sessions")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Sessions, A::Error> {
                let mut sessions = Vec::new();
                while let Some(session) = seq.next_element()? {
                    if sessions.len() == crate::limits::SESSIONS {
                        return Err(de::Error::custom(TOO_MANY_SESSIONS));
                    }
                    sessions.push(session);
                }
                Ok(Sessions(sessions))
            }
        }
        deserializer.deserialize_seq(SessionsVisitor)
    }
}

/// Why a file could not be turned into a `Document`.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Not YAML, or beyond the parser's limits: nothing can be checked (exit 2).
    Unparsable(Box<Diagnostic>),
    /// YAML of the wrong shape: a schedule error (exit 1) for every unknown key, wrong type
    /// and missing field, in file order, and the document read without the entries at
    /// fault, when they could all be set aside, so that the rest is still checked.
    Invalid {
        problems: Vec<Diagnostic>,
        rest: Option<Box<Rest>>,
    },
}

/// What could be read of a file with entries of the wrong shape.
#[derive(Debug)]
pub(crate) struct Rest {
    pub(crate) document: Document,
    /// Where each session's list item starts (its `-`, or its first key): a place from one
    /// start to the next is in that session, a place before the first is in `calendar`.
    pub(crate) sessions: Vec<usize>,
}

/// Parses the schedule with serde-saphyr. Aliases, nesting and size are bounded by its
/// budget, set from `limits`: hostile input (alias bombs, deep nesting) fails with a located `yaml-limit`
/// error instead of hanging. Values replayed through aliases count against the same budget
/// as values written out, so an alias cannot claim more memory than the largest plain file.
pub(crate) fn document(source: &SourceFile) -> Result<Document, Failure> {
    use crate::limits;
    parse(
        source,
        options(limits::YAML_VALUES, limits::YAML_TEXT_BYTES, limits::DEPTH),
    )
}

fn parse(source: &SourceFile, options: serde_saphyr::Options) -> Result<Document, Failure> {
    let first = match read(source, &options) {
        Ok(document) => return Ok(document),
        Err(Fault::Unparsable(diagnostic)) => {
            return Err(Failure::Unparsable(diagnostic));
        }
        Err(Fault::Shape(diagnostic)) => *diagnostic,
    };
    // serde stops at the first unknown key before the parser has seen the rest of the
    // file: a file that is not YAML further down (`a: [`) is a syntax error, not a typo.
    if let Err(error) =
        serde_saphyr::from_str_with_options::<de::IgnoredAny>(&source.text, options.clone())
        && let Fault::Unparsable(diagnostic) = failure(source, &error)
    {
        return Err(Failure::Unparsable(diagnostic));
    }
    if first.code == "too-many-sessions" {
        return Err(Failure::Invalid {
            problems: vec![first],
            rest: None,
        });
    }
    let (problems, rest) = recover(source, first, |patched| read(patched, &options));
    let rest = rest.map(|(document, text)| {
        let sessions = document
            .sessions
            .iter()
            .flat_map(|sessions| sessions.value.iter())
            .map(|session| item_start(&text, span(session).start))
            .collect();
        Box::new(Rest { document, sessions })
    });
    Err(Failure::Invalid { problems, rest })
}

/// The `-` that opens the list item whose map starts at `start`: the item's first key may
/// have been set aside, and the map then starts lines further down.
fn item_start(text: &str, start: usize) -> usize {
    let before = text[..start].trim_end();
    if before.ends_with('-') {
        before.len() - 1
    } else {
        start
    }
}

fn read(source: &SourceFile, options: &serde_saphyr::Options) -> Result<Document, Fault> {
    serde_saphyr::from_str_with_options::<Document>(&source.text, options.clone())
        .map_err(|error| failure(source, &error))
}

/// The parser's budget: at most `values` values and `text_bytes` bytes of scalar text, aliases
/// counted at every use, nested at most `depth` deep.
fn options(values: usize, text_bytes: usize, depth: usize) -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_nodes: values,
            // Each value is one event, or two for a map or list (start and end).
            max_events: 2 * values + 16,
            max_total_scalar_bytes: text_bytes,
            max_depth: depth,
            flow_nesting_limit: depth,
            // Every anchor is on a value and every alias replays at least one, so the value
            // budget bounds both; these are not separate limits.
            max_aliases: values,
            max_anchors: values,
            max_recorded_anchor_events: crate::limits::YAML_ANCHORED_VALUES,
            // The absolute limits above bound an alias bomb; the ratio heuristic would also
            // refuse a timetable that reuses one `&room` anchor in a hundred sessions.
            enforce_alias_anchor_ratio: false,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 2 * values + 16,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Position, Span};

    fn load(text: &str) -> Result<Document, Failure> {
        document(&SourceFile::new("schedule.yaml", text))
    }

    #[test]
    fn a_misspelled_field_suggests_the_right_one() {
        let Err(Failure::Invalid { problems, .. }) = load("sessions:\n  - id: a\n    topc: x\n")
        else {
            panic!("expected a shape error");
        };
        let d = &problems[0];
        assert_eq!(d.code, "unknown-field");
        assert_eq!(d.help.as_deref(), Some("did you mean `topic`?"));
        assert_eq!(d.span, Some(Span::new(24, 28)));
    }

    #[test]
    fn a_wrong_kind_of_value_names_what_its_field_takes() {
        let Err(Failure::Invalid { problems, .. }) = load("calendar:\n  year: [2024]\n") else {
            panic!("expected a shape error");
        };
        let d = &problems[0];
        assert_eq!(d.code, "wrong-type");
        assert_eq!(d.message, "`year` takes a whole number here");
    }

    #[test]
    fn a_half_of_a_time_without_its_zone_is_a_missing_field() {
        let text = "sessions:\n  - time:\n      - {date: 2024-04-15, time: \"17:00\"}\n";
        let Err(Failure::Invalid { problems, .. }) = load(text) else {
            panic!("expected a shape error");
        };
        let d = &problems[0];
        assert_eq!(d.code, "missing-field");
        assert_eq!(d.message, "this half of `time` has no `zone`");
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
    fn a_schedule_with_more_nodes_than_the_parser_default_loads() {
        let items = "      - a\n".repeat(300_000);
        let text = format!("sessions:\n  - id: a\n    additional:\n{items}");
        let doc = load(&text).unwrap();
        assert_eq!(
            doc.sessions.unwrap().value[0].value.additional.len(),
            300_000
        );
    }

    #[test]
    fn every_shape_error_is_reported_and_the_rest_read() {
        let text =
            "sessions:\n  - id: a\n    topc: x\n  - id: b\n    topic: [y]\n    presenter: P\n";
        let Err(Failure::Invalid { problems, rest }) = load(text) else {
            panic!("expected shape errors");
        };
        let codes: Vec<&str> = problems.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["unknown-field", "wrong-type"]);
        let rest = rest.expect("the rest reads");
        let sessions = &rest.document.sessions.as_ref().unwrap().value;
        assert_eq!(sessions.len(), 2);
        assert_eq!(sessions[0].value.topic, None);
        assert_eq!(sessions[1].value.topic, None);
        assert_eq!(sessions[1].value.presenter.as_ref().unwrap().value, "P");
        assert_eq!(rest.sessions, [12, 34]);
    }

    #[test]
    fn a_file_that_breaks_after_an_unknown_key_is_unparsable() {
        let Err(Failure::Unparsable(d)) = load("a: [\n") else {
            panic!("expected a syntax error");
        };
        assert_eq!(d.code, "yaml-syntax");
        assert_eq!(
            d.message,
            "the file is not valid YAML: unclosed bracket `[`"
        );
    }

    #[test]
    fn an_unclosed_quote_is_unparsable() {
        let Err(Failure::Unparsable(d)) = load("calendar:\n  name: \"x\n") else {
            panic!("expected a syntax error");
        };
        assert_eq!(d.code, "yaml-syntax");
    }

    /// The smallest value budget `text` loads within.
    fn values_needed(text: &str) -> usize {
        let source = SourceFile::new("schedule.yaml", text);
        (1..1000)
            .find(|&values| parse(&source, options(values, 1 << 20, 32)).is_ok())
            .expect("a small file fits a small budget")
    }

    fn limit_breached(text: &str, values: usize, text_bytes: usize, depth: usize) -> Diagnostic {
        let source = SourceFile::new("schedule.yaml", text);
        match parse(&source, options(values, text_bytes, depth)) {
            Err(Failure::Unparsable(d)) => *d,
            other => panic!("expected a limit to stop {text:?}, got {other:?}"),
        }
    }

    #[test]
    fn values_replayed_by_an_alias_count_against_the_value_budget() {
        let written = "sessions:\n  - id: a\n    additional: &l [a, b, c, d, e]\n  - id: b\n    additional: []\n";
        let aliased = written.replace("additional: []", "additional: *l");
        let budget = values_needed(written);
        let d = limit_breached(&aliased, budget, 1 << 20, 32);
        assert_eq!(d.code, "yaml-limit");
        assert_eq!(
            d.message,
            "the file holds more than 6,000,000 YAML values (aliases count each time they are used)"
        );
        assert_eq!(values_needed(&aliased), budget + 5);
    }

    #[test]
    fn text_replayed_by_an_alias_counts_as_much_as_text_written_out() {
        let written = "sessions:\n  - id: a\n    topic: abcdefghij\n    presenter: abcdefghij\n";
        let aliased = "sessions:\n  - id: a\n    topic: &t abcdefghij\n    presenter: *t\n";
        let needed = |text: &str| {
            let source = SourceFile::new("schedule.yaml", text);
            (1..1000)
                .find(|&bytes| parse(&source, options(1000, bytes, 32)).is_ok())
                .expect("a small file fits a small budget")
        };
        let bytes = needed(written);
        assert_eq!(needed(aliased), bytes);
        let d = limit_breached(aliased, 1000, bytes - 1, 32);
        assert_eq!(d.code, "yaml-limit");
        assert_eq!(
            d.message,
            "the file holds more than 256 MiB of text (aliases count each time they are used)"
        );
    }

    #[test]
    fn nesting_past_the_depth_budget_is_a_yaml_limit() {
        let text = "sessions:\n  - id: a\n    prepare:\n      - title: t\n";
        let source = SourceFile::new("schedule.yaml", text);
        assert!(parse(&source, options(1000, 1 << 20, 5)).is_ok());
        let d = limit_breached(text, 1000, 1 << 20, 4);
        assert_eq!(d.code, "yaml-limit");
        assert_eq!(
            d.span.map(|span| source.position(span.start)),
            Some(Position { line: 4, column: 9 })
        );
    }

    #[test]
    fn the_documents_budget_is_the_one_in_limits() {
        let budget = options(
            crate::limits::YAML_VALUES,
            crate::limits::YAML_TEXT_BYTES,
            crate::limits::DEPTH,
        )
        .budget
        .expect("a budget");
        assert_eq!(budget.max_nodes, 6_000_000);
        assert_eq!(budget.max_total_scalar_bytes, 256 << 20);
        assert_eq!(budget.max_depth, 32);
        assert!(!budget.enforce_alias_anchor_ratio);
    }
}
