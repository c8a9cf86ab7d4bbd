//! chrono-tz wrapper: resolves civil times (unique, gap, fold) and finds a zone's transitions.
//! Knows nothing about YAML or iCalendar.

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

/// What a civil (wall-clock) time means in a zone.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Resolved {
    Unique(DateTime<Tz>),
    /// The civil time never happens: clocks jump over it.
    Gap(Gap),
    /// The civil time happens twice: clocks are set back over it.
    Fold(Fold),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Gap {
    /// Civil time at which the clocks jump (e.g. 02:00) ...
    pub(crate) jump_from: NaiveDateTime,
    /// ... and the civil time they jump to (e.g. 03:00).
    pub(crate) jump_to: NaiveDateTime,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Fold {
    pub(crate) earlier: DateTime<Tz>,
    pub(crate) later: DateTime<Tz>,
}

/// A change of a zone's UTC offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Transition {
    /// The instant of the change.
    pub(crate) at: DateTime<Utc>,
    /// UTC offsets in seconds before and after the change.
    pub(crate) offset_before: i32,
    pub(crate) offset_after: i32,
    /// Abbreviation in force after the change, e.g. `PDT` (chrono-tz's, may be `+08`).
    pub(crate) name_after: String,
    /// Whether daylight saving time is in force after the change.
    pub(crate) dst_after: bool,
}

/// Resolves a civil time in a zone; gaps and folds are answered, never guessed.
pub(crate) fn resolve(tz: Tz, civil: NaiveDateTime) -> Resolved {
    let _ = (tz, civil);
    unimplemented!("zone::resolve")
}

/// Every transition of `tz` in `[from, to)`, in order. chrono-tz has no transition
/// iterator, so this finds them by search.
pub(crate) fn transitions(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Transition> {
    let _ = (tz, from, to);
    unimplemented!("zone::transitions")
}

/// The abbreviation in force at an instant, e.g. `PDT`.
pub(crate) fn abbreviation(at: &DateTime<Tz>) -> String {
    let _ = at;
    unimplemented!("zone::abbreviation")
}
