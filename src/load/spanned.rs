//! `Spanned`: a value read from the schedule with the byte range it was written at.

use serde::Deserialize;
use serde::de;

use crate::source::Span;

/// A value with the place it was written: the scalar itself (quotes included), or, for a
/// mapping or sequence, an empty range where it starts. Two words instead of serde-saphyr's
/// two `Location` records, since a large timetable holds millions of them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

/// The place of a bare title or URL item until `placed` gives it its item's.
pub(super) const UNPLACED: Span = Span {
    start: usize::MAX,
    end: usize::MAX,
};

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let place = spanned.referenced.span();
        let span = match (place.byte_offset(), place.byte_len()) {
            (Some(start), Some(len)) => {
                let start = usize::try_from(start).unwrap_or(usize::MAX);
                Span::new(
                    start,
                    start.saturating_add(usize::try_from(len).unwrap_or(0)),
                )
            }
            _ => UNPLACED,
        };
        Ok(Spanned {
            value: spanned.value,
            span,
        })
    }
}

/// The byte range of a spanned value, as `Spanned` describes it.
pub(crate) fn span<T>(value: &Spanned<T>) -> Span {
    if value.span == UNPLACED {
        Span::new(0, 0)
    } else {
        value.span
    }
}

/// `value` with its own place, or `parent`'s when it has none (a bare string item).
pub(crate) fn placed<T>(value: &Spanned<String>, parent: &Spanned<T>) -> Spanned<String> {
    Spanned {
        value: value.value.clone(),
        span: if value.span == UNPLACED {
            parent.span
        } else {
            value.span
        },
    }
}
