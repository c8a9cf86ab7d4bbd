//! chrono-tz wrapper: resolves civil times (unique, gap, fold) and finds a zone's transitions.
//! Knows nothing about YAML or iCalendar.

use chrono::{DateTime, LocalResult, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::{GapInfo, OffsetComponents, OffsetName, Tz, TzOffset};

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

/// A change of a zone's UTC offset, daylight saving flag or abbreviation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Transition {
    /// The instant of the change.
    pub(crate) at: DateTime<Utc>,
    /// UTC offsets in seconds before and after the change.
    pub(crate) offset_before: i32,
    pub(crate) offset_after: i32,
    /// Abbreviation in force after the change, e.g. `PDT` (chrono-tz's, may be `+08`).
    pub(crate) name_after: String,
    /// Whether daylight saving time is in force after the change. Where tzdata models a
    /// zone with a *negative* saving (Europe/Dublin's winter, Africa/Casablanca's Ramadan),
    /// the saved offset counts as standard time and the offset around it as daylight time,
    /// as tzdata's "rearguard" format and calendar vendors have it.
    pub(crate) dst_after: bool,
}

/// Resolves a civil time in a zone; gaps and folds are answered, never guessed.
pub(crate) fn resolve(tz: Tz, civil: NaiveDateTime) -> Resolved {
    match tz.from_local_datetime(&civil) {
        LocalResult::Single(instant) => Resolved::Unique(instant),
        LocalResult::Ambiguous(a, b) => {
            let (earlier, later) = if a <= b { (a, b) } else { (b, a) };
            Resolved::Fold(Fold { earlier, later })
        }
        LocalResult::None => Resolved::Gap(gap_around(tz, civil)),
    }
}

/// The gap that swallows `civil`. chrono-tz leaves an end open only at the edges of its
/// data, where no gap can be; the civil time itself then stands in for the missing end.
fn gap_around(tz: Tz, civil: NaiveDateTime) -> Gap {
    let info = GapInfo::new(&civil, &tz);
    let jump_from = info
        .as_ref()
        .and_then(|info| info.begin.as_ref())
        .map_or(civil, |(begin, _)| *begin);
    let jump_to = info
        .as_ref()
        .and_then(|info| info.end.as_ref())
        .map_or(civil, DateTime::naive_local);
    Gap { jump_from, jump_to }
}

/// How far apart `transitions` probes the zone, which makes the search linear in the span.
/// A change that is undone within one step would go unseen, so the step must be shorter
/// than the shortest-lived offset in tzdata. In the data chrono-tz 0.10 ships those last
/// just under 7 days (a week of DST in America/Recife, Noronha and Boa_Vista in October
/// 2000, a week of EST in America/Cambridge_Bay in 2000, and the week of DST Asia/Gaza
/// gets between Ramadan and autumn in some years from 2040 on), so a weekly step is not
/// safe. One day leaves a wide margin for future tzdata and costs one lookup per day of
/// the span; each change found then costs ~17 more lookups to pin it to the second.
const PROBE_STEP_SECONDS: i64 = 24 * 60 * 60;

/// Every transition of `tz` in `[from, to)`, in order. chrono-tz has no transition
/// iterator, so this finds them by search.
///
/// A transition is reported when the total UTC offset, the daylight saving flag or the
/// abbreviation changes: those are what a calendar can show. A change that only moves
/// the split between base offset and saving (Asia/Tbilisi in 1997) is invisible and
/// skipped.
pub(crate) fn transitions(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Transition> {
    let mut found = Vec::new();
    let (first, last) = (from.timestamp(), to.timestamp() - 1);
    if first > last {
        return found;
    }
    // A transition at exactly `from` counts, so the search starts one second earlier.
    let mut known = first - 1;
    let mut state = offset_at(tz, known);
    let mut dst = positive_saving(&state);
    while known < last {
        let probe = known.saturating_add(PROBE_STEP_SECONDS).min(last);
        if offset_at(tz, probe) == state {
            known = probe;
            continue;
        }
        // `state` holds at `known` and not at `probe`: bisect to the first second it fails.
        let (mut holds, mut fails) = (known, probe);
        while fails - holds > 1 {
            let middle = holds + (fails - holds) / 2;
            if offset_at(tz, middle) == state {
                holds = middle;
            } else {
                fails = middle;
            }
        }
        let after = offset_at(tz, fails);
        let dst_after = daylight(&after, &state);
        let name_after = name(&after);
        if after.fix() != state.fix() || dst_after != dst || name_after != name(&state) {
            found.push(Transition {
                at: instant(fails),
                offset_before: seconds(&state),
                offset_after: seconds(&after),
                name_after,
                dst_after,
            });
        }
        known = fails;
        state = after;
        dst = dst_after;
    }
    found
}

/// The abbreviation in force at an instant, e.g. `PDT`.
pub(crate) fn abbreviation(at: &DateTime<Tz>) -> String {
    name(at.offset())
}

/// The abbreviation of an offset, or its numeric form (`+0530`, `-03`) where tzdata has no
/// letters for it, as `date +%Z` prints it.
fn name(offset: &TzOffset) -> String {
    match offset.abbreviation() {
        Some(letters) => letters.to_owned(),
        None => numeric_name(seconds(offset)),
    }
}

fn numeric_name(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.unsigned_abs();
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (minutes, seconds) {
        (0, 0) => format!("{sign}{hours:02}"),
        (_, 0) => format!("{sign}{hours:02}{minutes:02}"),
        _ => format!("{sign}{hours:02}{minutes:02}{seconds:02}"),
    }
}

/// Whether `offset`, entered from `before`, is daylight (summer) time. A positive saving
/// is; a negative one is the winter of a zone that tzdata models backwards, so the
/// unsaved offset that follows it is that zone's summer.
fn daylight(offset: &TzOffset, before: &TzOffset) -> bool {
    let saving = offset.dst_offset().num_seconds();
    saving > 0
        || saving == 0
            && before.dst_offset().num_seconds() < 0
            && before.base_utc_offset() == offset.base_utc_offset()
}

/// Daylight time judged from the offset alone, for the state the search starts in.
fn positive_saving(offset: &TzOffset) -> bool {
    offset.dst_offset() > TimeDelta::zero()
}

fn offset_at(tz: Tz, timestamp: i64) -> TzOffset {
    tz.offset_from_utc_datetime(&instant(timestamp).naive_utc())
}

fn seconds(offset: &TzOffset) -> i32 {
    offset.fix().local_minus_utc()
}

/// Timestamps here lie between two valid `DateTime<Utc>`s, so the clamp never bites.
fn instant(timestamp: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(timestamp, 0).unwrap_or(if timestamp < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use chrono_tz::America::Los_Angeles;

    fn civil(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|date| date.and_hms_opt(h, min, 0))
            .expect("test dates are valid")
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        civil(y, m, d, h, min).and_utc()
    }

    #[test]
    fn a_time_in_the_spring_forward_gap_reports_the_jump() {
        assert_eq!(
            resolve(Los_Angeles, civil(2024, 3, 10, 2, 30)),
            Resolved::Gap(Gap {
                jump_from: civil(2024, 3, 10, 2, 0),
                jump_to: civil(2024, 3, 10, 3, 0),
            })
        );
    }

    #[test]
    fn a_time_in_the_fall_back_fold_has_an_earlier_pdt_and_a_later_pst_instant() {
        let Resolved::Fold(fold) = resolve(Los_Angeles, civil(2024, 11, 3, 1, 30)) else {
            panic!("01:30 on 2024-11-03 happens twice in Los Angeles");
        };
        assert_eq!(fold.earlier.naive_utc(), civil(2024, 11, 3, 8, 30));
        assert_eq!(fold.later.naive_utc(), civil(2024, 11, 3, 9, 30));
        assert_eq!(abbreviation(&fold.earlier), "PDT");
        assert_eq!(abbreviation(&fold.later), "PST");
    }

    #[test]
    fn an_ordinary_time_resolves_to_one_instant() {
        let Resolved::Unique(instant) = resolve(Los_Angeles, civil(2024, 3, 10, 3, 0)) else {
            panic!("03:00 on 2024-03-10 happens once in Los Angeles");
        };
        assert_eq!(instant.naive_utc(), civil(2024, 3, 10, 10, 0));
        assert!(matches!(
            resolve(Los_Angeles, civil(2024, 7, 1, 9, 0)),
            Resolved::Unique(_)
        ));
    }

    #[test]
    fn abbreviations_are_tzdata_letters_or_numeric() {
        let at = |tz: Tz, y, m, d| abbreviation(&utc(y, m, d, 12, 0).with_timezone(&tz));
        assert_eq!(at(Los_Angeles, 2024, 7, 1), "PDT");
        assert_eq!(at(Los_Angeles, 2024, 1, 1), "PST");
        assert_eq!(at(chrono_tz::Asia::Shanghai, 2024, 7, 1), "CST");
        assert_eq!(at(chrono_tz::Asia::Singapore, 2024, 7, 1), "+08");
        assert_eq!(at(chrono_tz::Asia::Kathmandu, 2024, 7, 1), "+0545");
        assert_eq!(at(chrono_tz::America::Sao_Paulo, 2024, 7, 1), "-03");
    }

    #[test]
    fn los_angeles_changes_twice_in_2024_to_the_second() {
        let found = transitions(Los_Angeles, utc(2024, 1, 1, 0, 0), utc(2025, 1, 1, 0, 0));
        let expected = vec![
            Transition {
                at: utc(2024, 3, 10, 10, 0),
                offset_before: -8 * 3600,
                offset_after: -7 * 3600,
                name_after: "PDT".to_owned(),
                dst_after: true,
            },
            Transition {
                at: utc(2024, 11, 3, 9, 0),
                offset_before: -7 * 3600,
                offset_after: -8 * 3600,
                name_after: "PST".to_owned(),
                dst_after: false,
            },
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn the_range_includes_its_start_and_excludes_its_end() {
        let change = utc(2024, 3, 10, 10, 0);
        assert_eq!(transitions(Los_Angeles, change, change).len(), 0);
        assert_eq!(
            transitions(Los_Angeles, change, change + TimeDelta::seconds(1)).len(),
            1
        );
        assert_eq!(
            transitions(Los_Angeles, utc(2024, 1, 1, 0, 0), change).len(),
            0
        );
    }

    #[test]
    fn a_zone_without_daylight_saving_has_no_transitions_in_2024() {
        for tz in [chrono_tz::Asia::Shanghai, chrono_tz::Asia::Kolkata] {
            assert_eq!(
                transitions(tz, utc(2024, 1, 1, 0, 0), utc(2025, 1, 1, 0, 0)),
                []
            );
        }
    }

    #[test]
    fn a_week_of_daylight_saving_between_ramadan_and_autumn_is_found() {
        // Asia/Gaza returns to EEST for under 7 days after Ramadan in October 2040, the
        // shortest-lived offset in the data; a weekly probe would step over it.
        let found = transitions(
            chrono_tz::Asia::Gaza,
            utc(2040, 10, 1, 0, 0),
            utc(2040, 11, 30, 0, 0),
        );
        let shape: Vec<_> = found
            .iter()
            .map(|t| (t.at, t.name_after.as_str()))
            .collect();
        assert_eq!(
            shape,
            [
                (utc(2040, 10, 20, 0, 0), "EEST"),
                (utc(2040, 10, 26, 23, 0), "EET")
            ]
        );
    }

    #[test]
    fn dublin_winter_time_is_standard_and_summer_time_is_daylight() {
        let found = transitions(
            chrono_tz::Europe::Dublin,
            utc(2024, 1, 1, 0, 0),
            utc(2025, 1, 1, 0, 0),
        );
        let shape: Vec<_> = found
            .iter()
            .map(|t| (t.name_after.as_str(), t.dst_after))
            .collect();
        assert_eq!(shape, [("IST", true), ("GMT", false)]);
    }

    #[test]
    fn transitions_match_every_offset_change_of_every_zone_in_2024() {
        let (from, to) = (utc(2024, 1, 1, 0, 0), utc(2025, 1, 1, 0, 0));
        for tz in chrono_tz::TZ_VARIANTS {
            let found = transitions(tz, from, to);
            let mut previous = tz.offset_from_utc_datetime(&from.naive_utc()).fix();
            let mut at = from;
            let mut changes = found.iter().peekable();
            // Every offset change seen at 6-hour samples must be one `transitions` reported.
            while at < to {
                let offset = tz.offset_from_utc_datetime(&at.naive_utc()).fix();
                if offset != previous {
                    let change = changes
                        .find(|t| t.offset_after != t.offset_before)
                        .unwrap_or_else(|| panic!("{tz}: change before {at} not reported"));
                    assert!(
                        change.at <= at && at - change.at < TimeDelta::hours(6),
                        "{tz}"
                    );
                    assert_eq!(change.offset_after, offset.local_minus_utc(), "{tz}");
                    previous = offset;
                }
                at += TimeDelta::hours(6);
            }
        }
    }
}
