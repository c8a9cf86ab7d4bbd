//! RFC 5545 text: content lines, escaping, folding, and the feed itself.

pub(crate) mod vtimezone;
