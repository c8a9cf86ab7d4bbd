//! The validated schedule: typed, resolved to instants, free of spans and raw strings.
//! Everything here has passed `check`; renderers may rely on it.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::zone;

#[derive(Clone, Debug)]
pub struct Schedule {
    pub calendar: Calendar,
    /// Every session in file order, dated or not.
    pub sessions: Vec<Session>,
}

#[derive(Clone, Debug)]
pub struct Calendar {
    /// Stable slug; the right-hand side of every UID.
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub url: Option<String>,
    /// The zone events are written in (DTSTART;TZID=...).
    pub timezone: Tz,
    pub year: i32,
    pub duration: TimeDelta,
    pub meeting: Option<String>,
    /// Labels as published, in file order, e.g. `PST` -> America/Los_Angeles.
    pub zones: Vec<ZoneLabel>,
    pub cancelled: CancelledAs,
    pub refresh: TimeDelta,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneLabel {
    pub label: String,
    pub zone: Tz,
}

/// How cancelled sessions appear in subscribers' calendars.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelledAs {
    /// STATUS:CANCELLED: Google and Outlook hide the event, Apple strikes it through.
    Hide,
    /// A free (TRANSP:TRANSPARENT) event titled "Cancelled: ...", visible everywhere.
    Show,
}

#[derive(Clone, Debug)]
pub struct Session {
    pub id: String,
    pub topic: String,
    pub presenter: Option<String>,
    pub prepare: Vec<Item>,
    pub additional: Vec<Item>,
    pub reflection: Option<Item>,
    pub notes: Vec<Item>,
    pub recording: Option<Item>,
    pub links: Vec<Item>,
    pub cancelled: bool,
    /// `None` for a topic that is not scheduled yet (TBD).
    pub when: Option<When>,
    /// Overrides the calendar's meeting link.
    pub location: Option<String>,
}

#[derive(Clone, Debug)]
pub struct When {
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
}

impl When {
    pub fn start_utc(&self) -> DateTime<Utc> {
        self.start.with_timezone(&Utc)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Item {
    pub title: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
}

impl Calendar {
    /// The label to show for `zone` at `instant`: the configured label that matches the
    /// abbreviation in force (PDT in summer), else the first label configured for the zone
    /// (BJT, which tzdata calls CST), else tzdata's abbreviation.
    pub fn label_at(&self, instant: &DateTime<Tz>) -> String {
        let zone = instant.timezone();
        let abbreviation = zone::abbreviation(instant);
        let mut labels = self.zones.iter().filter(|z| z.zone == zone);
        let first = labels.clone().next();
        labels
            .find(|z| z.label == abbreviation)
            .or(first)
            .map_or(abbreviation, |z| z.label.clone())
    }

    /// Every zone the schedule is published in, primary first, each once.
    pub fn published_zones(&self) -> Vec<Tz> {
        let mut zones = vec![self.timezone];
        for z in &self.zones {
            if !zones.contains(&z.zone) {
                zones.push(z.zone);
            }
        }
        zones
    }
}

impl Session {
    pub fn is_dated(&self) -> bool {
        self.when.is_some()
    }
}
