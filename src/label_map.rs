//! Zone labels as pages publish them (`PST`, `BJT`) for the commands that read pages rather
//! than schedule.yaml (`import`, `check-times`): a small built-in map of labels that mean one
//! zone wherever they appear, and `--zone LABEL=IANA` to add or override. `check` reads its
//! labels from `calendar.zones` instead. Knows nothing about files or formats.

use chrono_tz::Tz;

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::published;
use crate::schedule::ZoneLabel;
use crate::source::Span;

/// Labels that mean the same zone on any page. CST is not here: it is Central, China or Cuba
/// Standard Time, so it needs `--zone`.
const BUILT_IN: [(&str, Tz); 10] = [
    ("PST", Tz::America__Los_Angeles),
    ("PDT", Tz::America__Los_Angeles),
    ("BJT", Tz::Asia__Shanghai),
    ("ET", Tz::America__New_York),
    ("EST", Tz::America__New_York),
    ("EDT", Tz::America__New_York),
    ("CET", Tz::Europe__Berlin),
    ("CEST", Tz::Europe__Berlin),
    ("UTC", Tz::UTC),
    ("GMT", Tz::UTC),
];

/// More labels that mean one zone on any page: generic ones (`PT`, the zone's wall clock
/// whatever the season) and abbreviations no other zone uses. Read like `BUILT_IN`, but not
/// added to an imported calendar unless the page uses them.
const MORE: [(&str, Tz); 25] = [
    ("PT", Tz::America__Los_Angeles),
    ("CT", Tz::America__Chicago),
    ("CDT", Tz::America__Chicago),
    ("MT", Tz::America__Denver),
    ("MST", Tz::America__Denver),
    ("MDT", Tz::America__Denver),
    ("AKST", Tz::America__Anchorage),
    ("AKDT", Tz::America__Anchorage),
    ("HST", Tz::Pacific__Honolulu),
    ("EET", Tz::Europe__Athens),
    ("EEST", Tz::Europe__Athens),
    ("WET", Tz::Europe__Lisbon),
    ("WEST", Tz::Europe__Lisbon),
    ("SAST", Tz::Africa__Johannesburg),
    ("JST", Tz::Asia__Tokyo),
    ("KST", Tz::Asia__Seoul),
    ("HKT", Tz::Asia__Hong_Kong),
    ("SGT", Tz::Asia__Singapore),
    ("AEST", Tz::Australia__Sydney),
    ("AEDT", Tz::Australia__Sydney),
    ("ACST", Tz::Australia__Adelaide),
    ("AWST", Tz::Australia__Perth),
    ("NZST", Tz::Pacific__Auckland),
    ("NZDT", Tz::Pacific__Auckland),
    ("Z", Tz::UTC),
];

/// Labels that name several zones, and the zones they may mean.
const AMBIGUOUS: [(&str, &str); 5] = [
    ("IST", "`Asia/Kolkata`, `Asia/Jerusalem` or `Europe/Dublin`"),
    (
        "CST",
        "`America/Chicago`, `Asia/Shanghai` or `America/Havana`",
    ),
    ("BST", "`Europe/London` or `Asia/Dhaka`"),
    ("AST", "`America/Halifax` or `Asia/Riyadh`"),
    ("MSK", "`Europe/Moscow`"),
];

/// A numeric offset written as a label (`UTC+8`, `GMT-7`, `+0530`) as a zone with that
/// offset all year. Whole hours are the `Etc/GMT` zones (whose signs are inverted, by POSIX);
/// `+0530` is India's offset, kept by `Asia/Kolkata` since 1945.
fn offset(label: &str) -> Option<Tz> {
    let upper = label.to_ascii_uppercase();
    let rest = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
        .unwrap_or(&upper);
    let (sign, digits) = match rest.split_at_checked(1)? {
        ("+", d) => (1, d),
        ("-", d) => (-1, d),
        _ => return None,
    };
    let digits = digits.replace(':', "");
    let (hours, minutes) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    match (sign * hours, minutes) {
        (5, 30) => Some(Tz::Asia__Kolkata),
        (h, 0) if (-12..=14).contains(&h) => {
            let name = match h {
                0 => "Etc/GMT".to_owned(),
                h if h > 0 => format!("Etc/GMT-{h}"),
                h => format!("Etc/GMT+{}", -h),
            };
            name.parse().ok()
        }
        _ => None,
    }
}

/// The labels a command may read: those given with `--zone` first, then the built-in ones.
#[derive(Clone, Debug)]
pub(crate) struct LabelMap {
    given: Vec<ZoneLabel>,
    all: Vec<ZoneLabel>,
}

impl LabelMap {
    /// The map with each `LABEL=IANA` argument added; a bad argument is an error message.
    pub(crate) fn new(arguments: &[String]) -> Result<Self, Error> {
        let mut given: Vec<ZoneLabel> = Vec::new();
        for argument in arguments {
            let entry = parse(argument)?;
            given.retain(|z| !z.label.eq_ignore_ascii_case(&entry.label));
            given.push(entry);
        }
        let built_in = BUILT_IN
            .iter()
            .chain(MORE.iter())
            .filter(|(label, _)| !given.iter().any(|z| z.label.eq_ignore_ascii_case(label)))
            .map(|(label, zone)| ZoneLabel {
                label: (*label).to_owned(),
                zone: *zone,
            });
        let all = given.iter().cloned().chain(built_in).collect();
        Ok(LabelMap { given, all })
    }

    /// The map with the zones of the numeric offsets (`UTC+8`) among `labels` added.
    pub(crate) fn with_offsets<'a>(mut self, labels: impl IntoIterator<Item = &'a str>) -> Self {
        for label in labels {
            if !self.all.iter().any(|z| z.label.eq_ignore_ascii_case(label))
                && let Some(zone) = offset(label)
            {
                self.all.push(ZoneLabel {
                    label: label.to_owned(),
                    zone,
                });
            }
        }
        self
    }

    /// Every label known, `--zone` ones first: what the dual-time judge looks labels up in.
    pub(crate) fn all(&self) -> &[ZoneLabel] {
        &self.all
    }

    /// The zone of a label, read as the judge reads it: exact first, then ignoring case.
    pub(crate) fn zone(&self, label: &str) -> Option<Tz> {
        self.all
            .iter()
            .find(|z| z.label == label)
            .or_else(|| {
                self.all
                    .iter()
                    .find(|z| z.label.eq_ignore_ascii_case(label))
            })
            .map(|z| z.zone)
            .or_else(|| offset(label))
    }

    /// The `calendar.zones` of an imported schedule: the labels the table uses, in the order
    /// it first uses them, then every `--zone` label, then the built-in labels of the zones
    /// already there (`PDT` beside `PST`), so that correcting a label needs no new mapping.
    /// Labels without a zone are left out; the caller reports them.
    pub(crate) fn for_calendar(&self, used: &[String]) -> Vec<ZoneLabel> {
        fn add(zones: &mut Vec<ZoneLabel>, label: &str, zone: Tz) {
            if !zones.iter().any(|z| z.label.eq_ignore_ascii_case(label)) {
                zones.push(ZoneLabel {
                    label: label.to_owned(),
                    zone,
                });
            }
        }
        let mut zones: Vec<ZoneLabel> = Vec::new();
        for label in used {
            if let Some(zone) = self.zone(label) {
                add(&mut zones, label, zone);
            }
        }
        for z in &self.given {
            add(&mut zones, &z.label, z.zone);
        }
        let present: Vec<Tz> = zones.iter().map(|z| z.zone).collect();
        for (label, zone) in BUILT_IN {
            if present.contains(&zone)
                && !self
                    .given
                    .iter()
                    .any(|z| z.label.eq_ignore_ascii_case(label))
            {
                add(&mut zones, label, zone);
            }
        }
        zones
    }
}

/// `CST=America/Chicago` as a label and its zone.
fn parse(argument: &str) -> Result<ZoneLabel, Error> {
    let example = "pass each label with its IANA zone, e.g. `--zone CST=America/Chicago`";
    let Some((label, name)) = argument.split_once('=') else {
        return Err(failure(
            &format!("`--zone {argument}` is not `LABEL=IANA`"),
            example,
        ));
    };
    let (label, name) = (label.trim(), name.trim());
    if !published::is_label(label) {
        return Err(failure(
            &format!("`{label}` cannot be a zone label"),
            "use letters and digits only, as written after the time, e.g. `--zone CST=America/Chicago`",
        ));
    }
    match name.parse::<Tz>() {
        Ok(zone) => Ok(ZoneLabel {
            label: label.to_owned(),
            zone,
        }),
        Err(_) => Err(failure(
            &format!("`{name}` is not an IANA time zone"),
            &match closest_zone(name) {
                Some(zone) => format!("did you mean `{zone}`?"),
                None => {
                    "use an IANA zone name such as `America/Chicago` or `Asia/Shanghai`".to_owned()
                }
            },
        )),
    }
}

fn closest_zone(name: &str) -> Option<&'static str> {
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &z.name().to_lowercase()),
                z.name(),
            )
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score > 0.85)
        .map(|(_, name)| name)
}

/// The text of a bad `--zone` argument, as `commands::read` writes a failure.
fn failure(what: &str, help: &str) -> Error {
    Error::ZoneArgument {
        problem: what.to_owned(),
        help: help.to_owned(),
    }
}

/// A label the map does not know, at the place it is written.
pub(crate) fn unknown(label: &str, span: Span, map: &LabelMap) -> Diagnostic {
    let mut known: Vec<&str> = map.all.iter().map(|z| z.label.as_str()).collect();
    known.dedup();
    if let Some((_, zones)) = AMBIGUOUS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(label))
    {
        return Diagnostic::error(
            "unknown-zone-label",
            format!("zone label `{label}` is not known"),
        )
        .at(span)
        .label("unknown label")
        .help(format!(
            "pass its IANA zone with `--zone {label}=Area/City`: `{label}` may mean {zones}"
        ));
    }
    Diagnostic::error("unknown-zone-label", format!("zone label `{label}` is not known"))
        .at(span)
        .label("unknown label")
        .help(format!(
            "pass its IANA zone with `--zone {label}=Area/City`, e.g. `--zone CST=America/Chicago` (abbreviations are ambiguous, so only {} are known without `--zone`)",
            known.join(", ")
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_labels_are_known_and_cst_is_not() {
        let map = LabelMap::new(&[]).unwrap();
        assert_eq!(map.zone("PST"), Some(Tz::America__Los_Angeles));
        assert_eq!(map.zone("bjt"), Some(Tz::Asia__Shanghai));
        assert_eq!(map.zone("CST"), None);
    }

    #[test]
    fn generic_labels_and_numeric_offsets_are_known() {
        let map = LabelMap::new(&[]).unwrap();
        assert_eq!(map.zone("PT"), Some(Tz::America__Los_Angeles));
        assert_eq!(map.zone("SAST"), Some(Tz::Africa__Johannesburg));
        assert_eq!(map.zone("Z"), Some(Tz::UTC));
        assert_eq!(map.zone("UTC+8"), Some(Tz::Etc__GMTMinus8));
        assert_eq!(map.zone("GMT-7"), Some(Tz::Etc__GMTPlus7));
        assert_eq!(map.zone("+0530"), Some(Tz::Asia__Kolkata));
        assert_eq!(map.zone("UTC+0545"), None);
    }

    #[test]
    fn an_ambiguous_label_lists_the_zones_it_may_mean() {
        let map = LabelMap::new(&[]).unwrap();
        assert_eq!(map.zone("IST"), None);
        let help = unknown("IST", Span::new(0, 3), &map).help.unwrap();
        assert_eq!(
            help,
            "pass its IANA zone with `--zone IST=Area/City`: `IST` may mean `Asia/Kolkata`, `Asia/Jerusalem` or `Europe/Dublin`"
        );
    }

    #[test]
    fn a_zone_argument_adds_or_overrides_a_label() {
        let map =
            LabelMap::new(&["CST=America/Chicago".into(), "ET=America/Toronto".into()]).unwrap();
        assert_eq!(map.zone("CST"), Some(Tz::America__Chicago));
        assert_eq!(map.zone("ET"), Some(Tz::America__Toronto));
        assert_eq!(map.zone("EST"), Some(Tz::America__New_York));
    }

    #[test]
    fn bad_zone_arguments_say_how_to_write_them() {
        assert!(
            LabelMap::new(&["CST".into()])
                .unwrap_err()
                .to_string()
                .contains("LABEL=IANA")
        );
        assert!(
            LabelMap::new(&["C T=America/Chicago".into()])
                .unwrap_err()
                .to_string()
                .contains("cannot be a zone label")
        );
        assert!(
            LabelMap::new(&["CST=America/Chicag".into()])
                .unwrap_err()
                .to_string()
                .contains("is not an IANA time zone")
        );
        assert_eq!(
            LabelMap::new(&["CST=America/Chicag".into()])
                .unwrap_err()
                .help()
                .as_deref(),
            Some("did you mean `America/Chicago`?")
        );
    }

    #[test]
    fn a_calendar_gets_the_used_labels_then_their_siblings() {
        let map = LabelMap::new(&[]).unwrap();
        let labels: Vec<String> = map
            .for_calendar(&["PST".into(), "BJT".into()])
            .into_iter()
            .map(|z| z.label)
            .collect();
        assert_eq!(labels, ["PST", "BJT", "PDT"]);
    }
}
