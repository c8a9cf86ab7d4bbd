//! The real published page got six dual times wrong. With the page's times (kept in
//! `tests/fixtures/published`) pasted verbatim into the bundled schedule, `check` must find
//! exactly those six, and the fix for each.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The dual times of the page's dated rows, verbatim, e.g.
/// `APR. 15: 5:00pm PST, APR. 2: 8:00am BJT`.
fn published_times() -> Vec<String> {
    let path = root().join("tests/fixtures/published/schedule-page.txt");
    let page = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the published page is needed at {}: {e}", path.display()));
    page.lines()
        .filter(|line| line.contains(" BJT, Zoom"))
        .map(|line| line[..line.find(", Zoom").unwrap()].to_owned())
        .collect()
}

/// schedule.yaml with every dated session's `time:` replaced by the page's, in order.
fn schedule_with_published_times() -> String {
    let shipped = fs::read_to_string(root().join("schedule.yaml")).unwrap();
    let mut published = published_times().into_iter();
    let lines: Vec<String> = shipped
        .lines()
        .map(|line| match line.strip_prefix("    time: \"") {
            Some(_) => format!(
                "    time: \"{}\"",
                published
                    .next()
                    .expect("as many page rows as dated sessions")
            ),
            None => line.to_owned(),
        })
        .collect();
    assert!(
        published.next().is_none(),
        "more page rows than dated sessions"
    );
    lines.join("\n") + "\n"
}

#[test]
fn the_page_has_21_dated_rows() {
    assert_eq!(published_times().len(), 21);
}

#[test]
fn the_six_stale_beijing_halves_of_the_page_are_found_with_their_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schedule.yaml");
    fs::write(&path, schedule_with_published_times()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    let found: Vec<(&str, &str, &str)> = errors
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["session"].as_str().unwrap(),
                d["help"].as_str().unwrap(),
            )
        })
        .collect();
    let fixes = [
        ("containers", "write \"APR. 16: 8:00am BJT\""),
        ("kubernetes-gvisor", "write \"APR. 30: 8:00am BJT\""),
        ("serverless-1", "write \"MAY. 7: 7:00am BJT\""),
        ("serverless-2", "write \"MAY. 21: 8:00am BJT\""),
        ("us-holiday", "write \"MAY. 28: 8:00am BJT\""),
        ("guest-webassembly", "write \"SEP. 10: 8:00am BJT\""),
    ];
    assert_eq!(found.len(), fixes.len(), "{found:#?}");
    for ((code, session, help), (want_session, want_fix)) in found.iter().zip(fixes) {
        assert_eq!(*code, "dual-time-mismatch");
        assert_eq!(*session, want_session);
        assert!(help.ends_with(want_fix), "{session}: {help}");
    }
    assert_eq!(report["errors"], 6);
}

#[test]
fn every_pst_row_after_march_10_gets_a_zone_label_warning_and_no_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schedule.yaml");
    fs::write(&path, schedule_with_published_times()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let warnings: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "warning")
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    // 21 rows, of which the first four (JAN. 22 to MAR. 4) are in standard time.
    assert_eq!(warnings, vec!["zone-label"; 17]);
}

#[test]
fn the_shipped_schedule_passes_with_warnings_denied() {
    let output = Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
        .args(["check", "--deny-warnings", "schedule.yaml"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "schedule.yaml: 21 sessions, 2 undated, 0 errors, 0 warnings\n"
    );
    assert_eq!(output.status.code(), Some(0));
}
