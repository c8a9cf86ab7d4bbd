//! `syllabus-ics schema`: the JSON Schema of the schedule format, for editors.

use super::Outcome;

/// The schema on stdout.
pub fn schema() -> Outcome {
    Outcome {
        stdout: crate::schema::json().into_bytes(),
        ..Outcome::default()
    }
}
