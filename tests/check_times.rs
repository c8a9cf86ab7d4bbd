//! `syllabus-ics check-times` on the published page (its dual times, dates and topics, kept in
//! `tests/fixtures/published`) and on small pages in text, markdown and HTML: every dual time
//! is found and judged, with the codes, help lines and formats of `check`, and the exit code
//! says whether any disagree.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/check-times")
}

/// The directory of the published page: its dual times (six with a stale Beijing half),
/// dates and topics, one row a line, in the page's order.
fn published() -> PathBuf {
    root().join("tests/fixtures/published")
}

fn check_times(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
        .arg("check-times")
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn the_published_page_has_exactly_the_six_known_mismatches() {
    let output = check_times(
        &published(),
        &["schedule-page.txt", "--year", "2024", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let errors: Vec<(u64, &str, &str)> = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap(),
                d["help"].as_str().unwrap(),
            )
        })
        .collect();
    let expected = [
        (10, "write \"APR. 16: 8:00am BJT\""),
        (12, "write \"APR. 30: 8:00am BJT\""),
        (13, "write \"MAY. 7: 7:00am BJT\""),
        (15, "write \"MAY. 21: 8:00am BJT\""),
        (16, "write \"MAY. 28: 8:00am BJT\""),
        (23, "write \"SEP. 10: 8:00am BJT\""),
    ];
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
    for ((line, code, help), (want_line, want_fix)) in errors.iter().zip(expected) {
        assert_eq!((*line, *code), (want_line, "dual-time-mismatch"));
        assert!(help.ends_with(want_fix), "line {line}: {help}");
    }
    let warnings: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d["severity"] == "warning")
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    // The page writes PST all year; from MAR. 11 on, Pacific time is PDT.
    assert_eq!(warnings, vec!["zone-label"; 17]);
}

#[test]
fn the_published_page_summary_counts_every_dual_time() {
    let output = check_times(&published(), &["schedule-page.txt", "--year", "2024"]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert_eq!(
        out.lines().last(),
        Some("schedule-page.txt: 21 dual times checked, 6 errors, 17 warnings")
    );
    assert_eq!(out.matches("error[dual-time-mismatch]").count(), 6);
    assert!(
        out.contains(" --> schedule-page.txt:10:22\n"),
        "the APR. 15 row points at its Beijing half:\n{out}"
    );
}

#[test]
fn a_page_without_a_year_cannot_be_checked() {
    let output = check_times(&published(), &["schedule-page.txt"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "error: `schedule-page.txt` names no year for its dates\n  = help: pass the year of the first dual time, e.g. `--year 2024`\n"
    );
}

#[test]
fn an_html_page_is_read_as_its_readers_see_it() {
    // Tags and `&nbsp;` inside a time, a crossed-out (`<del>`) row that is still judged, a
    // one-zone time that is not a dual time, and a script and a comment that are not read.
    let output = check_times(&fixtures(), &["page.html", "--year", "2024"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "\
error[dual-time-mismatch]: `APR. 22: 8:00am BJT` is not the same time as `APR. 22: 5:00pm PDT`
  --> page.html:14:35
   |
14 | <tr><td><del>APR. 22: 5:00pm PDT, APR. 22: 8:00am BJT</del></td><td>Cancelled</td></tr>
   |                                   ^^^^^^^^^^^^^^^^^^^ this is 5:00pm PDT on Sun Apr 21
   |
   = help: 5:00pm PDT on Mon Apr 22 is 8:00am BJT on Tue Apr 23; write \"APR. 23: 8:00am BJT\"

page.html: 2 dual times checked, 1 error, 0 warnings
"
    );
}

#[test]
fn crossed_out_markdown_is_judged_and_annotated_for_github() {
    let output = check_times(
        &fixtures(),
        &["crossed-out.md", "--year", "2024", "--format", "github"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "\
::error file=crossed-out.md,line=3,col=31,endLine=3,endColumn=50,title=dual-time-mismatch::`MAY. 21: 8:00am BJT` is not the same time as `MAY. 27: 5:00pm PDT`%0Ahelp: 5:00pm PDT on Mon May 27 is 8:00am BJT on Tue May 28; write \"MAY. 28: 8:00am BJT\"
crossed-out.md: 2 dual times checked, 1 error, 0 warnings
"
    );
}

#[test]
fn a_new_year_between_rows_reads_january_as_the_next_year() {
    let output = check_times(&fixtures(), &["new-year.txt", "--year", "2024"]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    // JAN. 6 is a Monday in 2025 (a Saturday in 2024).
    assert!(
        out.contains("= help: 5:00pm PST on Mon Jan 6 is 9:00am BJT on Tue Jan 7; write \"JAN. 7: 9:00am BJT\""),
        "{out}"
    );
    assert!(out.ends_with("new-year.txt: 2 dual times checked, 1 error, 0 warnings\n"));
}

#[test]
fn an_unknown_label_is_not_guessed_and_zone_maps_it() {
    let output = check_times(&fixtures(), &["email.txt"]);
    assert_eq!(output.status.code(), Some(2));
    let out = stdout(&output);
    assert!(
        out.starts_with(
            "error[unknown-zone-label]: zone label `CST` is not known\n --> email.txt:4:37\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("= help: pass its IANA zone with `--zone CST=Area/City`"),
        "{out}"
    );
    assert!(
        out.ends_with("email.txt: 1 dual time checked, 1 error, 0 warnings\n"),
        "{out}"
    );
    assert_eq!(
        stderr(&output),
        "error: some dual times in `email.txt` were not checked\n  = help: pass each unknown label's zone with `--zone LABEL=IANA`\n"
    );

    let output = check_times(&fixtures(), &["email.txt", "--zone", "CST=America/Chicago"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let out = stdout(&output);
    // The ISO dates name their own year; CST in April is read as Chicago wall-clock time.
    assert!(
        out.starts_with("warning[zone-label]: `CST` is not in effect on Apr 22 2024"),
        "{out}"
    );
    assert!(
        out.ends_with("email.txt: 2 dual times checked, 0 errors, 1 warning\n"),
        "{out}"
    );
}

#[test]
fn labels_are_read_without_regard_to_case() {
    // `pst` in April is the `PST` label out of season; `pdt` says which 1:30am of the night
    // clocks go back is meant (the first), as `PDT` does.
    let output = check_times(&fixtures(), &["lowercase-labels.txt", "--year", "2024"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let out = stdout(&output);
    assert!(
        out.starts_with("warning[zone-label]: `pst` is not in effect on Apr 15 2024"),
        "{out}"
    );
    assert!(
        out.ends_with("lowercase-labels.txt: 2 dual times checked, 0 errors, 1 warning\n"),
        "{out}"
    );
}

#[test]
fn a_bad_zone_argument_or_a_missing_file_cannot_run() {
    let output = check_times(&fixtures(), &["email.txt", "--zone", "CST"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: `--zone CST` is not `LABEL=IANA`\n  = help: pass each label with its IANA zone, e.g. `--zone CST=America/Chicago`\n"
    );
    let output = check_times(&fixtures(), &["no-such-page.html", "--year", "2024"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(
            "error[unreadable-file]: could not read `no-such-page.html`: no such file\n"
        )
    );
}

/// One line of `shapes.txt`: each half as (IANA zone, date, time), and whether the page
/// marks the day of every half that is on another day.
type Line = (
    usize,
    &'static [(&'static str, &'static str, &'static str)],
    bool,
);

#[test]
fn every_shape_is_judged_as_the_tz_database_says() {
    use chrono::{NaiveDateTime, TimeZone};
    // The halves as a reader takes them; the verdicts come from chrono-tz below.
    let lines: [Line; 11] = [
        (
            3,
            &[
                ("America/Los_Angeles", "2026-06-16", "14:00"),
                ("America/New_York", "2026-06-16", "17:00"),
            ],
            true,
        ),
        (
            4,
            &[
                ("America/Los_Angeles", "2026-09-03", "13:00"),
                ("Africa/Johannesburg", "2026-09-03", "22:00"),
            ],
            true,
        ),
        (
            5,
            &[
                ("America/New_York", "2026-06-10", "18:00"),
                ("America/Los_Angeles", "2026-06-10", "15:00"),
                ("America/Chicago", "2026-06-10", "17:00"),
            ],
            true,
        ),
        (
            6,
            &[
                ("America/Los_Angeles", "2026-06-18", "12:00"),
                ("America/Chicago", "2026-06-18", "14:00"),
                ("America/New_York", "2026-06-18", "15:00"),
                ("Asia/Tokyo", "2026-06-19", "00:30"),
            ],
            true,
        ),
        (
            7,
            &[
                ("America/Los_Angeles", "2026-09-05", "19:00"),
                ("UTC", "2026-09-06", "02:00"),
            ],
            true,
        ),
        (
            8,
            &[
                ("America/Los_Angeles", "2026-09-05", "19:00"),
                ("UTC", "2026-09-05", "03:00"),
            ],
            true,
        ),
        (
            11,
            &[
                ("America/Los_Angeles", "2026-06-19", "21:00"),
                ("America/New_York", "2026-06-20", "00:00"),
            ],
            true,
        ),
        (
            14,
            &[
                ("America/Los_Angeles", "2026-09-03", "19:00"),
                ("UTC", "2026-09-04", "02:00"),
            ],
            true,
        ),
        (
            15,
            &[
                ("America/Los_Angeles", "2026-09-03", "20:00"),
                ("UTC", "2026-09-04", "03:00"),
            ],
            true,
        ),
        (
            16,
            &[
                ("America/Los_Angeles", "2026-06-24", "09:00"),
                ("UTC", "2026-06-24", "16:00"),
            ],
            true,
        ),
        (
            13,
            &[
                ("America/Los_Angeles", "2026-06-22", "19:00"),
                ("UTC", "2026-06-23", "02:00"),
            ],
            false,
        ),
    ];
    let output = check_times(&fixtures(), &["shapes.txt", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let on_line = |line: usize, severity: &str| {
        diagnostics
            .iter()
            .filter(|d| d["line"] == line && d["severity"] == severity)
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    for (line, halves, marked) in lines {
        let instants: Vec<_> = halves
            .iter()
            .map(|(zone, date, time)| {
                let zone: chrono_tz::Tz = zone.parse().unwrap();
                let civil =
                    NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M")
                        .unwrap();
                zone.from_local_datetime(&civil)
                    .single()
                    .unwrap()
                    .timestamp()
            })
            .collect();
        let agree = instants.iter().all(|i| *i == instants[0]);
        let errors = on_line(line, "error");
        let warnings = on_line(line, "warning");
        match (agree, marked) {
            (true, true) => assert!(
                errors.is_empty() && warnings.is_empty(),
                "line {line}: {errors:?} {warnings:?}"
            ),
            (true, false) => assert_eq!(
                (errors.len(), warnings),
                (0, vec!["dual-time-day".to_owned()]),
                "line {line}"
            ),
            (false, _) => assert_eq!(errors, ["dual-time-mismatch"], "line {line}"),
        }
    }
    // The range's ends, the weekday beside the date and `noon` are each checked.
    assert_eq!(on_line(9, "error"), Vec::<String>::new());
    assert_eq!(on_line(10, "error"), ["weekday-mismatch"]);
    assert_eq!(on_line(12, "error"), Vec::<String>::new());
    assert_eq!(report["checked"], 14);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_page_without_a_dual_time_is_not_all_clear() {
    let output = check_times(&fixtures(), &["shapes.txt", "--deny-warnings"]);
    assert_eq!(output.status.code(), Some(1));
    let output = check_times(&fixtures(), &["no-dual-time.txt"]);
    assert_eq!(output.status.code(), Some(0));
    let out = stdout(&output);
    assert!(
        out.starts_with("warning[no-dual-times]: no dual time could be read in `no-dual-time.txt`"),
        "{out}"
    );
    assert!(
        out.ends_with("no-dual-time.txt: 0 dual times checked, 0 errors, 1 warning\n"),
        "{out}"
    );
    let output = check_times(&fixtures(), &["no-dual-time.txt", "--deny-warnings"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn without_a_year_the_weekdays_say_which_years_fit() {
    let output = check_times(&fixtures(), &["weekdays-no-year.txt"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: `weekdays-no-year.txt` names no year for its dates\n  = help: pass the year of the first dual time with `--year`; its weekdays fit `2020`, `2048`, `2076`, `2116`, ...\n"
    );
    let output = check_times(&fixtures(), &["weekdays-no-year.txt", "--year", "2020"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).ends_with("2 dual times checked, 0 errors, 0 warnings\n"));
}
