//! `syllabus-ics check-times`: finds every dual time in a published page (text, markdown or
//! HTML) and judges each with the judge `check` uses, so a website can check its own page in
//! CI. Reports with the same codes and formats as `check`; reads no clock or environment.

use std::path::{Path, PathBuf};

use crate::check::Findings;
use crate::check::time::{self, Context};
use crate::commands::{self, Format, Outcome};
use crate::diagnostic::{Diagnostic, Tally};
use crate::error::Error;
use crate::label_map::{self, LabelMap};
use crate::published::page;
use crate::published::visible::Visible;
use crate::report;
use crate::source::SourceFile;

/// What `check-times` is asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    pub file: PathBuf,
    /// The year of the first dual time; else a date in the file.
    pub year: Option<i32>,
    /// `LABEL=IANA` for labels the built-in map does not know, or means otherwise.
    pub zones: Vec<String>,
    pub format: Format,
    /// Fail (exit 1) on warnings too, as `check --deny-warnings` does.
    pub deny_warnings: bool,
}

/// What was found in a page.
struct Judged {
    diagnostics: Vec<Diagnostic>,
    /// Dual times judged.
    checked: usize,
    /// Some dual times could not be judged: a label needs `--zone`.
    unjudged: bool,
}

/// Exit 0 when every dual time agrees (warnings allowed), 1 when some do not, 2 when the page
/// cannot be read or a label needs `--zone`.
pub fn run(options: &Options, context: &commands::Context) -> Outcome {
    let source = match crate::source::read(&options.file).map_err(|e| e.in_command(context.command))
    {
        Ok(source) => source,
        Err(error) => return Outcome::fatal(&error, options.format, &options.file),
    };
    let labels = match LabelMap::new(&options.zones) {
        Ok(labels) => labels,
        Err(error) => return Outcome::fatal(&error, options.format, &options.file),
    };
    let judged = match judge(
        &source,
        is_html(&options.file, &source.text),
        options.year,
        &labels,
    ) {
        Ok(judged) => judged,
        Err(error) => return Outcome::fatal(&error, options.format, &options.file),
    };
    let mut judged = judged;
    if judged.checked == 0 && !judged.unjudged {
        judged.diagnostics.push(
            Diagnostic::warning(
                "no-dual-times",
                format!("no dual time could be read in `{}`", source.name),
            )
            .help(SHAPES_READ),
        );
    }
    let tally = Tally::of(&judged.diagnostics);
    let summary = format!(
        "{}: {} checked, {}, {}\n",
        source.name,
        commands::plural(judged.checked, "dual time"),
        commands::plural(tally.errors, "error"),
        commands::plural(tally.warnings, "warning"),
    );
    let stdout = match options.format {
        Format::Human => {
            let mut text = report::human(&judged.diagnostics, &source, context.color);
            if !text.is_empty() {
                text.push('\n');
            }
            text + &summary
        }
        Format::Json => with_checked(&report::json(&judged.diagnostics, &source), judged.checked),
        Format::Github => report::github(&judged.diagnostics, &source) + &summary,
    };
    let mut stderr = String::new();
    if judged.unjudged {
        stderr.push_str(&report::fatal(&Error::Unjudged {
            name: source.name.clone(),
        }));
    }
    let code = if judged.unjudged {
        commands::FAILED
    } else if tally.errors > 0 || (options.deny_warnings && tally.warnings > 0) {
        commands::INVALID
    } else {
        commands::OK
    };
    Outcome {
        stdout: stdout.into_bytes(),
        stderr,
        code,
        ..Outcome::default()
    }
}

/// The shapes a page's dual times are read in, for a page in which none was read.
const SHAPES_READ: &str = "write each dual time on one line, as `APR. 15: 5:00pm PST, APR. 16: 8:00am BJT`, `Tuesday Jun 16: 2pm PT / 5pm ET`, `Sep 3 at 7pm PT / 3am UTC (+1d)` or `Jun 16: 1-2pm PT | 4-5pm ET`; labels PT, ET, CT, MT, UTC, `UTC+8` and common abbreviations are known, others need `--zone LABEL=IANA`";

/// The JSON report with the number of dual times checked beside its diagnostics.
fn with_checked(json: &str, checked: usize) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Object(mut map)) => {
            map.insert("checked".into(), checked.into());
            serde_json::to_string(&serde_json::Value::Object(map))
                .map_or_else(|_| json.to_owned(), |text| text + "\n")
        }
        _ => json.to_owned(),
    }
}

/// Whether to read the file as HTML: by its name, or by how it starts.
fn is_html(path: &Path, text: &str) -> bool {
    let by_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["html", "htm", "xhtml"].contains(&e.to_ascii_lowercase().as_str()));
    let start: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    by_name || start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// Every dual time of the page, judged in page order: a DEC -> JAN step moves to the next
/// year, as in a schedule. A time written alone (one zone) is not a dual time.
fn judge(
    source: &SourceFile,
    html: bool,
    year: Option<i32>,
    labels: &LabelMap,
) -> Result<Judged, Error> {
    let visible = Visible::of(&source.text, 0, html);
    let key = |label: &str| {
        labels
            .zone(label)
            .map_or_else(|| label.to_ascii_uppercase(), |z| z.name().to_owned())
    };
    let found = page::halves(&visible.text, |label| labels.zone(label).is_some());
    let groups = page::group(found, &visible.text, key);
    let mut findings = Findings::new(source);
    for found in groups.iter().flatten() {
        if let Err(problem) = &found.half {
            findings.push(
                Diagnostic::error(problem.code, problem.message.clone())
                    .at(visible.span(found.range.clone()))
                    .label("cannot read this")
                    .help(problem.help.clone()),
            );
        }
    }
    let pairs: Vec<Vec<time::Located>> = groups
        .iter()
        .filter(|g| g.len() > 1)
        .map(|g| g.iter().filter_map(|f| f.located(&visible)).collect())
        .collect();
    let needs_year = pairs
        .iter()
        .any(|p| p.first().is_some_and(|h| h.half.year.is_none()));
    let year = match page::given_or_named_year(year, &source.text)? {
        Some(year) => year,
        None if needs_year => {
            let dates: Vec<_> = pairs
                .iter()
                .flatten()
                .filter(|h| h.half.mark != crate::published::Mark::Weekday)
                .filter_map(|h| Some((h.half.month, h.half.day, h.half.weekday?)))
                .collect();
            match page::years_of_weekdays(&dates).as_slice() {
                [year] => *year,
                [] => {
                    return Err(Error::NoYear {
                        name: source.name.clone(),
                        fits: Vec::new(),
                    });
                }
                years => {
                    return Err(Error::NoYear {
                        name: source.name.clone(),
                        fits: years
                            .iter()
                            .copied()
                            .filter(|y| *y >= 2000)
                            .take(4)
                            .collect(),
                    });
                }
            }
        }
        None => page::YEARS.start().to_owned(),
    };
    let labels = &labels
        .clone()
        .with_offsets(pairs.iter().flatten().map(|h| h.half.label.as_str()));
    let mut checked = 0;
    let mut unjudged = false;
    let mut previous = None;
    for pair in &pairs {
        let unknown: Vec<&time::Located> = pair
            .iter()
            .filter(|h| labels.zone(&h.half.label).is_none())
            .collect();
        if !unknown.is_empty() {
            for half in unknown {
                findings.push(label_map::unknown(
                    &half.half.label,
                    half.label_span,
                    labels,
                ));
            }
            unjudged = true;
            continue;
        }
        let context = Context {
            labels: labels.all(),
            year,
            previous,
            session: None,
        };
        if let Some(instant) = time::judge(pair, &context, &mut findings) {
            previous = Some(instant.date);
        }
        checked += 1;
    }
    let diagnostics = findings.into_diagnostics();
    Ok(Judged {
        diagnostics,
        checked,
        unjudged,
    })
}
