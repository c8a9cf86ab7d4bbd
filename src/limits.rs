//! Every bound on the size of a schedule, in one place, so that the README's "Limits and
//! guarantees" table and the code agree. Each is generous for a university timetable of
//! 100,000 sessions and stops hostile input (alias bombs, deep nesting, huge files) with a
//! clear error long before it could exhaust memory or time.
//! Owns the numbers only; `source::read`, `load` and `check` enforce them.

/// Largest input file read, in bytes: a schedule, a table, a page or a previous feed.
pub const FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Deepest nesting of YAML mappings and sequences. A schedule needs 5 (the file, `sessions`,
/// a session, `prepare`, an item).
pub const DEPTH: usize = 32;

/// Most YAML values (mappings, sequences and scalars, aliases counted as often as they are
/// used) in one file. A session with readings, notes, a reflection and a recording takes
/// about 40, so 100,000 of them take 4 million; the rest is margin. It bounds the memory a
/// file can claim while it is read: at most about 450 bytes a value.
pub const YAML_VALUES: usize = 6_000_000;

/// Most bytes of scalar text in one file, aliases counted as often as they are used: an alias
/// cannot turn a small file into more text than the largest file could hold.
pub const YAML_TEXT_BYTES: usize = FILE_BYTES as usize;

/// Most values held under anchors in one file, all anchors together: what the parser keeps
/// in memory to replay aliases.
pub const YAML_ANCHORED_VALUES: usize = 1_000_000;

/// Most sessions (dated or TBD) in one schedule.
pub const SESSIONS: usize = 200_000;

/// Most labels in `calendar.zones`. Every event shows its time in each published zone, so
/// this also bounds how much text one event adds to the feed.
pub const ZONE_LABELS: usize = 50;

/// Most problems one check lists; past it they are counted, and one more diagnostic
/// (`too-many-problems`) says how many were left out.
pub const DIAGNOSTICS: usize = 10_000;

/// Largest feed `build` writes, in bytes. The events of 100,000 sessions with readings take
/// about 214 MB, and `ics::largest_feed` allows about 245 MB for them, so 200,000 such
/// sessions fit. Checked before the feed is rendered, so an oversized feed costs no memory.
pub const FEED_BYTES: usize = 512 * 1024 * 1024;
