//! The three properties a client compares to decide whether to update an event it already
//! has (same UID): `SEQUENCE`, `DTSTAMP` and `LAST-MODIFIED`.
//! Holds them per event; deciding them from an earlier feed is `previous`'s job.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

/// One event's revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Revision {
    /// RFC 5545 §3.8.7.4: raised on every significant change (time, status, place, title).
    pub sequence: u32,
    /// `DTSTAMP`: when this version of the event was written.
    pub stamp: DateTime<Utc>,
    /// `LAST-MODIFIED`: when its content last changed; absent until it first does.
    pub last_modified: Option<DateTime<Utc>>,
}

impl Revision {
    /// An event published for the first time: SEQUENCE 0, stamped `stamp`.
    pub fn first(stamp: DateTime<Utc>) -> Self {
        Revision {
            sequence: 0,
            stamp,
            last_modified: None,
        }
    }
}

/// The revision of every event in a feed, by UID. An event not listed is published for the
/// first time, so `Revisions::first(stamp)` gives the feed a build without `--previous` writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revisions {
    stamp: DateTime<Utc>,
    by_uid: HashMap<String, Revision>,
}

impl Revisions {
    /// Every event new, stamped `stamp`.
    pub fn first(stamp: DateTime<Utc>) -> Self {
        Revisions {
            stamp,
            by_uid: HashMap::new(),
        }
    }

    pub(crate) fn insert(&mut self, uid: String, revision: Revision) {
        self.by_uid.insert(uid, revision);
    }

    /// The revision of the event `uid`.
    pub fn of(&self, uid: &str) -> Revision {
        self.by_uid
            .get(uid)
            .copied()
            .unwrap_or_else(|| Revision::first(self.stamp))
    }
}
