//! Checks the `calendar` section: names, the primary zone, zone labels, defaults.

use chrono::TimeDelta;
use chrono_tz::Tz;

use super::text::{self, line, paragraph};
use super::{Findings, at};
use crate::diagnostic::Diagnostic;
use crate::load::{CalendarDoc, Spanned};
use crate::schedule::{Calendar, CancelledAs, ZoneLabel};

/// Years the tool accepts: the range chrono-tz's rules describe well.
pub(crate) const YEARS: std::ops::RangeInclusive<i64> = 1900..=2200;

pub(crate) fn calendar(doc: &Spanned<CalendarDoc>, findings: &mut Findings) -> Option<Calendar> {
    let fields = &doc.value;
    let missing = |findings: &mut Findings, field: &str, example: &str| {
        findings.push(
            Diagnostic::error("missing-field", format!("`calendar` has no `{field}`"))
                .at(at(doc))
                .label("the `calendar` section starts here")
                .help(format!("add `{field}: {example}`")),
        );
    };
    let id = match &fields.id {
        Some(id) => text::id(id, findings),
        None => {
            missing(findings, "id", "my-seminar-2024");
            None
        }
    };
    let name = match &fields.name {
        Some(name) => line(name, "name", None, findings),
        None => {
            missing(findings, "name", "My Seminar 2024");
            None
        }
    };
    let description = fields
        .description
        .as_ref()
        .and_then(|d| paragraph(d, "description", None, findings));
    let url = fields
        .url
        .as_ref()
        .and_then(|u| text::url(u, "url", None, findings));
    let meeting = fields
        .meeting
        .as_ref()
        .and_then(|u| text::url(u, "meeting", None, findings));
    let timezone = match &fields.timezone {
        Some(zone) => iana(zone, findings),
        None => {
            missing(findings, "timezone", "America/Los_Angeles");
            None
        }
    };
    let year = match &fields.year {
        Some(year) if YEARS.contains(&year.value) => i32::try_from(year.value).ok(),
        Some(year) => {
            findings.push(
                Diagnostic::error(
                    "invalid-year",
                    format!("year `{}` is out of range", year.value),
                )
                .at(at(year))
                .label("not a year this tool can schedule")
                .help(format!(
                    "use a year from {} to {}",
                    YEARS.start(),
                    YEARS.end()
                )),
            );
            None
        }
        None => {
            missing(findings, "year", "2024");
            None
        }
    };
    let day = TimeDelta::hours(24);
    let duration = match &fields.duration {
        Some(d) => text::duration(d, "duration", day, None, findings),
        None => Some(TimeDelta::hours(1)),
    };
    let refresh = match &fields.refresh {
        Some(r) => text::duration(r, "refresh", TimeDelta::days(7) * 4, None, findings),
        None => Some(TimeDelta::hours(1)),
    };
    let cancelled = match &fields.cancelled {
        None => Some(CancelledAs::Hide),
        Some(value) => match value.value.trim() {
            "hide" => Some(CancelledAs::Hide),
            "show" => Some(CancelledAs::Show),
            other => {
                findings.push(
                    Diagnostic::error("invalid-value", format!("`cancelled` cannot be `{other}`"))
                        .at(at(value))
                        .label("expected hide or show")
                        .help("`hide` marks cancelled events STATUS:CANCELLED (most clients hide them); `show` keeps them visible as free \"Cancelled: ...\" events"),
                );
                None
            }
        },
    };
    let zones = match &fields.zones {
        Some(zones) => labels(zones, findings),
        None => {
            missing(findings, "zones", "{ PST: America/Los_Angeles }");
            None
        }
    };
    Some(Calendar {
        id: id?,
        name: name?,
        description,
        url,
        timezone: timezone?,
        year: year?,
        duration: duration?,
        meeting,
        zones: zones?,
        cancelled: cancelled?,
        refresh: refresh?,
    })
}

/// An IANA zone name such as `Asia/Shanghai`.
pub(crate) fn iana(value: &Spanned<String>, findings: &mut Findings) -> Option<Tz> {
    let name = value.value.trim();
    if let Ok(zone) = name.parse::<Tz>() {
        return Some(zone);
    }
    // IANA names are at most 32 characters; a longer one is no typo of one, and comparing
    // it with every zone would cost time in its length squared.
    let lower = name.to_lowercase();
    let closest = chrono_tz::TZ_VARIANTS
        .iter()
        .filter(|_| lower.len() <= 64)
        .map(|z| {
            (
                strsim::normalized_levenshtein(&lower, &z.name().to_lowercase()),
                z,
            )
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score > 0.75);
    let help = match closest {
        Some((_, zone)) => format!("did you mean `{}`?", zone.name()),
        None => "use an IANA zone name such as `America/Los_Angeles` or `Asia/Shanghai`".to_owned(),
    };
    findings.push(
        Diagnostic::error("unknown-zone", format!("`{name}` is not an IANA time zone"))
            .at(at(value))
            .label("unknown zone")
            .help(help),
    );
    None
}

fn labels(zones: &Spanned<crate::load::Pairs>, findings: &mut Findings) -> Option<Vec<ZoneLabel>> {
    let limit = crate::limits::ZONE_LABELS;
    if zones.value.0.len() > limit {
        findings.push(
            Diagnostic::error(
                "too-many-zones",
                format!(
                    "`zones` has {} labels; the limit is {limit}",
                    zones.value.0.len()
                ),
            )
            .at(at(zones))
            .label("this map")
            .help("map only the labels the published times use; each event shows its time in every zone"),
        );
        return None;
    }
    let mut labels = Vec::new();
    let mut ok = true;
    for (label, zone) in &zones.value.0 {
        let text = label.value.trim();
        if !crate::published::is_label(text) {
            findings.push(
                Diagnostic::error(
                    "invalid-zone-label",
                    format!("`{text}` cannot be a zone label"),
                )
                .at(at(label))
                .label("labels are written after the time, e.g. `5:00pm PST`")
                .help("use letters and digits only, e.g. `PST`, `BJT`, `CET`"),
            );
            ok = false;
            continue;
        }
        match iana(zone, findings) {
            Some(zone) => labels.push(ZoneLabel {
                label: text.to_owned(),
                zone,
            }),
            None => ok = false,
        }
    }
    if labels.is_empty() && ok {
        findings.push(
            Diagnostic::error("missing-field", "`zones` names no zone label")
                .at(at(zones))
                .help("map each label of the published times to its zone, e.g. `PST: America/Los_Angeles`"),
        );
        return None;
    }
    ok.then_some(labels)
}
