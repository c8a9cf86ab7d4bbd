//! `syllabus-ics diff` against a feed built from the same schedule: nothing changes, in
//! every format, and the exit code is 0.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn syllabus_ics(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
        .args(args)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1704067200")
        .output()
        .expect("the binary runs")
}

#[test]
fn the_feed_of_the_same_schedule_has_no_changes_in_any_format() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("schedule.ics");
    let feed = feed.to_str().unwrap();
    assert!(
        syllabus_ics(&["build", "schedule.yaml", "-o", feed])
            .status
            .success()
    );
    for (format, wanted) in [
        ("human", format!("no changes for subscribers of `{feed}`\n")),
        (
            "markdown",
            format!("### What subscribers will see\n\nNo changes for subscribers of `{feed}`.\n"),
        ),
    ] {
        let output = syllabus_ics(&["diff", feed, "schedule.yaml", "--format", format]);
        assert_eq!(output.status.code(), Some(0));
        assert_eq!(String::from_utf8(output.stdout).unwrap(), wanted);
        assert_eq!(String::from_utf8(output.stderr).unwrap(), "");
    }
    let output = syllabus_ics(&["diff", feed, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["count"], 0);
    assert_eq!(report["changes"], serde_json::json!([]));
}

#[test]
fn a_schedule_with_errors_is_reported_and_compared_with_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("schedule.ics");
    let feed = feed.to_str().unwrap();
    assert!(
        syllabus_ics(&["build", "schedule.yaml", "-o", feed])
            .status
            .success()
    );
    let broken = root().join("tests/fixtures/broken.yaml");
    let output = syllabus_ics(&["diff", feed, broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("error"));
}
