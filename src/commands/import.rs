//! `syllabus-ics import`: writes the schedule.yaml that `import` reads from a markdown
//! table, or prints it, and reports every problem found in the table on stderr.

use std::path::Path;

use super::{Context, INVALID, OK, Outcome, plural, read};
use crate::diagnostic::Tally;
use crate::error::Error;
pub use crate::import::Options;
use crate::import::{Stop, import};
use crate::label_map::LabelMap;
use crate::{output, report};

/// `syllabus-ics import`: writes schedule.yaml (or prints it) and reports, on stderr, every
/// problem found in the table. Exit 0 when written without errors, 1 when written but the
/// table has errors that `check` will report too (a stale half), 2 when nothing was written.
pub fn run(options: &Options, context: &Context) -> Outcome {
    let target = options.output.as_deref().filter(|p| *p != Path::new("-"));
    if let Some(target) = target
        && !options.force
        && target.exists()
    {
        return Error::OutputExists {
            path: target.to_owned(),
        }
        .into();
    }
    let source = match read(&options.table, context) {
        Ok(source) => source,
        Err(outcome) => return outcome,
    };
    let labels = match LabelMap::new(&options.zones) {
        Ok(labels) => labels,
        Err(error) => return error.into(),
    };
    let written_name =
        target.map_or_else(|| "schedule.yaml".to_owned(), |t| t.display().to_string());
    let imported = match import(&source, options, &labels, &written_name) {
        Ok(imported) => imported,
        Err(Stop::Failed(error)) => return (*error).into(),
        Err(Stop::Diagnosed(diagnostics)) => {
            let stderr = report::human(&diagnostics, &source, context.color);
            let error = Error::NeedsZones {
                name: source.name.clone(),
            };
            return Outcome::stopped(stderr, &error);
        }
    };
    let tally = Tally::of(&imported.diagnostics);
    let mut stderr = report::human(&imported.diagnostics, &source, context.color);
    if !stderr.is_empty() {
        stderr.push('\n');
    }
    stderr.push_str(&format!(
        "{}: {} imported ({} undated, {} cancelled), {}, {}\n",
        source.name,
        plural(imported.sessions, "session"),
        imported.undated,
        imported.cancelled,
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning"),
    ));
    let code = if tally.errors > 0 { INVALID } else { OK };
    let Some(target) = target else {
        return Outcome {
            stdout: imported.yaml.into_bytes(),
            stderr,
            code,
            ..Outcome::default()
        };
    };
    match output::write_atomic(target, imported.yaml.as_bytes()) {
        Ok(()) => {
            stderr.push_str(&format!("wrote `{}`", target.display()));
            if tally.errors > 0 {
                stderr.push_str(&format!(
                    "; fix the errors there (each help line says how), then run `syllabus-ics check {}`",
                    target.display()
                ));
            }
            stderr.push('\n');
            Outcome::report(stderr, code)
        }
        Err(source) => Outcome::stopped(
            stderr,
            &Error::Write {
                path: target.to_owned(),
                source,
            },
        ),
    }
}
