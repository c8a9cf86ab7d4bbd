//! VTIMEZONE components generated from chrono-tz's data.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The unfolded content lines (no line ends) of a VTIMEZONE for `tz` that is correct for
/// every instant in `[from, to]`, from `BEGIN:VTIMEZONE` to `END:VTIMEZONE`.
pub(crate) fn lines(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<String> {
    let _ = (tz, from, to);
    unimplemented!("vtimezone::lines")
}
