//! `examples/github-pages.yml`, the workflow the README tells organizers to copy: it parses
//! as YAML, its jobs run in the documented order with the permissions Pages needs, every
//! shell script in it is valid bash, and every `syllabus-ics` command in it is one the
//! command line accepts.

use std::path::Path;
use std::process::Command;

use clap::Parser;
use serde_json::Value;
use syllabus_ics::cli::Cli;

fn workflow() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/github-pages.yml");
    let text = std::fs::read_to_string(&path).expect("the example workflow exists");
    serde_saphyr::from_str(&text).expect("the example workflow is YAML")
}

fn steps<'a>(workflow: &'a Value, job: &str) -> &'a [Value] {
    workflow["jobs"][job]["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("job `{job}` has steps"))
}

/// What each step does: `uses: <action>` or `run: <first line of the script>`.
fn outline(steps: &[Value]) -> Vec<String> {
    steps
        .iter()
        .map(|step| match (step["uses"].as_str(), step["run"].as_str()) {
            (Some(action), _) => format!("uses: {action}"),
            (None, Some(script)) => {
                let first = script.lines().find(|l| !l.trim().starts_with('#'));
                format!("run: {}", first.unwrap_or("").trim())
            }
            (None, None) => panic!("a step that neither uses nor runs: {step}"),
        })
        .collect()
}

fn scripts(workflow: &Value) -> Vec<String> {
    workflow["jobs"]
        .as_object()
        .expect("jobs is a map")
        .values()
        .flat_map(|job| job["steps"].as_array().cloned().unwrap_or_default())
        .filter_map(|step| step["run"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn pull_requests_and_pushes_to_main_trigger_it() {
    let workflow = workflow();
    let on = &workflow["on"];
    assert!(on.get("pull_request").is_some(), "{on}");
    assert_eq!(on["push"]["branches"], serde_json::json!(["main"]));
    assert_eq!(
        workflow["permissions"],
        serde_json::json!({"contents": "read"})
    );
}

#[test]
fn the_check_job_only_checks() {
    let workflow = workflow();
    let check = &workflow["jobs"]["check"];
    assert!(check.get("if").is_none(), "it runs on every event");
    assert!(
        check.get("permissions").is_none(),
        "it needs no more than `contents: read`"
    );
    assert_eq!(
        outline(steps(&workflow, "check")),
        [
            "uses: actions/checkout@v4",
            "uses: actions/cache@v4",
            "run: rustup toolchain install stable --profile minimal",
            "run: syllabus-ics check --format github \"$SCHEDULE\"",
        ]
    );
}

#[test]
fn the_publish_job_runs_on_main_after_the_check_with_pages_permissions() {
    let workflow = workflow();
    let publish = &workflow["jobs"]["publish"];
    assert_eq!(publish["needs"], "check");
    assert_eq!(
        publish["if"],
        "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    );
    assert_eq!(
        publish["permissions"],
        serde_json::json!({"contents": "read", "pages": "write", "id-token": "write"})
    );
    assert_eq!(publish["environment"]["name"], "github-pages");
    assert_eq!(
        publish["concurrency"],
        serde_json::json!({"group": "pages", "cancel-in-progress": false})
    );
    assert_eq!(
        outline(steps(&workflow, "publish")),
        [
            "uses: actions/checkout@v4",
            "uses: actions/cache@v4",
            "run: rustup toolchain install stable --profile minimal",
            "uses: actions/configure-pages@v5",
            "run: echo \"BASE_URL=$BASE_URL\" >> \"$GITHUB_ENV\"",
            "run: export SOURCE_DATE_EPOCH=\"$(git log -1 --format=%ct)\"",
            "uses: actions/upload-pages-artifact@v3",
            "uses: actions/deploy-pages@v4",
            "run: url=\"$FEED_URL?run=$GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT\"",
        ]
    );
}

#[test]
fn the_site_is_built_against_the_fetched_feed_and_the_deployed_feed_is_compared() {
    let workflow = workflow();
    let steps = steps(&workflow, "publish");
    let script = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .and_then(|s| s["run"].as_str())
            .unwrap_or_else(|| panic!("no step `{name}`"))
            .to_owned()
    };
    let fetch = script("Fetch the feed subscribers have now");
    assert!(fetch.contains("--output previous.ics"), "{fetch}");
    assert!(fetch.contains("404) rm -f previous.ics"), "{fetch}");
    let build = script("Build the site");
    assert!(
        build.contains("if [ -s previous.ics ]; then previous=(--previous previous.ics); fi"),
        "{build}"
    );
    let upload = steps
        .iter()
        .find(|s| s["uses"] == "actions/upload-pages-artifact@v3")
        .unwrap();
    assert_eq!(upload["with"]["path"], "site");
    let smoke = script("Smoke test the deployed feed");
    for needed in [
        "cmp site/schedule.ics deployed.ics",
        "text/calendar*",
        "\"$status\" != 200",
    ] {
        assert!(smoke.contains(needed), "missing `{needed}` in\n{smoke}");
    }
}

#[test]
fn every_script_is_valid_bash() {
    for script in scripts(&workflow()) {
        let output = Command::new("bash")
            .args(["-n", "-c", &script])
            .output()
            .expect("bash runs");
        assert!(
            output.status.success(),
            "{}\n{script}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Every `syllabus-ics ...` line, its variables given the values the workflow gives them,
/// and `"${previous[@]}"` both empty (the first publication) and set.
fn command_lines(workflow: &Value) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    for script in scripts(workflow) {
        for line in script.lines().map(str::trim) {
            let Some(arguments) = line.strip_prefix("syllabus-ics ") else {
                continue;
            };
            let expanded = arguments
                .replace("\"$SCHEDULE\"", "schedule.yaml")
                .replace("\"$BASE_URL\"", "https://owner.github.io/meetup");
            for previous in ["", "--previous previous.ics"] {
                let line = expanded.replace("\"${previous[@]}\"", previous);
                assert!(!line.contains(['$', '"', '\'']), "unexpanded: {line}");
                let words = std::iter::once("syllabus-ics")
                    .chain(line.split_whitespace())
                    .map(str::to_owned)
                    .collect();
                commands.push(words);
            }
        }
    }
    commands
}

#[test]
fn every_syllabus_ics_command_is_accepted_by_the_command_line() {
    let commands = command_lines(&workflow());
    assert_eq!(
        commands
            .iter()
            .map(|words| words[1].as_str())
            .collect::<Vec<_>>(),
        ["check", "check", "publish", "publish"]
    );
    for words in commands {
        if let Err(error) = Cli::try_parse_from(&words) {
            panic!("`{}` is refused:\n{error}", words.join(" "));
        }
    }
}

/// A one-route HTTP server on localhost that answers every request with `status`,
/// `content_type` and `body`; returns its base URL.
fn serve(status: &'static str, content_type: &'static str, body: &'static str) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let _ = write!(
                &stream,
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

/// Runs the publish job's step `name` in `dir` with `env`; its exit code and output.
fn run_step(name: &str, dir: &Path, env: &[(&str, &str)]) -> (Option<i32>, String) {
    let workflow = workflow();
    let script = steps(&workflow, "publish")
        .iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no step `{name}`"))
        .to_owned();
    // GitHub runs `run:` scripts with `bash -e -o pipefail`.
    let output = Command::new("bash")
        .args([
            "--noprofile",
            "--norc",
            "-e",
            "-o",
            "pipefail",
            "-c",
            &script,
        ])
        .current_dir(dir)
        .envs(env.iter().copied())
        .env("GITHUB_ENV", dir.join("github-env"))
        .output()
        .expect("bash runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
}

const FEED: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";

#[test]
fn the_fetch_keeps_a_published_feed() {
    let dir = tempfile::tempdir().unwrap();
    let base = serve("200 OK", "text/calendar; charset=utf-8", FEED);
    let (code, output) = run_step(
        "Fetch the feed subscribers have now",
        dir.path(),
        &[("BASE_URL", &base)],
    );
    assert_eq!(code, Some(0), "{output}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("previous.ics")).unwrap(),
        FEED
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("github-env")).unwrap(),
        format!("BASE_URL={base}\nFEED_URL={base}/schedule.ics\n")
    );
}

#[test]
fn the_fetch_of_a_feed_not_yet_published_is_the_first_publication() {
    let dir = tempfile::tempdir().unwrap();
    let base = serve("404 Not Found", "text/html", "<h1>404</h1>");
    let (code, output) = run_step(
        "Fetch the feed subscribers have now",
        dir.path(),
        &[("BASE_URL", &base)],
    );
    assert_eq!(code, Some(0), "{output}");
    assert_eq!(
        output,
        "no feed is published yet: this is the first publication\n"
    );
    assert!(!dir.path().join("previous.ics").exists());
}

#[test]
fn a_failed_fetch_stops_the_publication() {
    let dir = tempfile::tempdir().unwrap();
    let base = serve("403 Forbidden", "text/html", "no");
    let (code, output) = run_step(
        "Fetch the feed subscribers have now",
        dir.path(),
        &[("BASE_URL", &base)],
    );
    assert_eq!(code, Some(1), "{output}");
    assert_eq!(
        output,
        format!("::error::could not fetch {base}/schedule.ics (HTTP 403); nothing was published\n")
    );
}

#[test]
fn the_smoke_test_passes_on_the_feed_just_built_served_as_text_calendar() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("site")).unwrap();
    std::fs::write(dir.path().join("site/schedule.ics"), FEED).unwrap();
    let base = serve("200 OK", "text/calendar; charset=utf-8", FEED);
    let feed_url = format!("{base}/schedule.ics");
    let env = [
        ("FEED_URL", feed_url.as_str()),
        ("GITHUB_RUN_ID", "1"),
        ("GITHUB_RUN_ATTEMPT", "1"),
    ];
    let (code, output) = run_step("Smoke test the deployed feed", dir.path(), &env);
    assert_eq!(code, Some(0), "{output}");
    assert_eq!(
        output,
        format!("{feed_url}: HTTP 200, text/calendar; charset=utf-8, 0 events\n")
    );
}

#[test]
fn the_smoke_test_fails_on_a_feed_served_as_another_type() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("site")).unwrap();
    std::fs::write(dir.path().join("site/schedule.ics"), FEED).unwrap();
    let base = serve("200 OK", "application/octet-stream", FEED);
    let feed_url = format!("{base}/schedule.ics");
    let env = [
        ("FEED_URL", feed_url.as_str()),
        ("GITHUB_RUN_ID", "1"),
        ("GITHUB_RUN_ATTEMPT", "1"),
    ];
    let (code, output) = run_step("Smoke test the deployed feed", dir.path(), &env);
    assert_eq!(code, Some(1), "{output}");
    assert_eq!(
        output,
        format!("::error::{feed_url} is served as 'application/octet-stream', not text/calendar\n")
    );
}

/// A git repository whose one commit was made at 2024-04-01T19:33:20Z, and a stand-in
/// `syllabus-ics` on PATH that prints its arguments and SOURCE_DATE_EPOCH.
#[cfg(unix)]
fn checkout() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_COMMITTER_DATE", "1712000000 +0000")
            .env("GIT_AUTHOR_DATE", "1712000000 +0000")
            .output()
            .expect("git runs");
        assert!(output.status.success(), "{output:?}");
    };
    git(&["init", "--quiet"]);
    git(&[
        "-c",
        "user.name=Organizer",
        "-c",
        "user.email=organizer@example.org",
        "commit",
        "--quiet",
        "--allow-empty",
        "--message",
        "schedule",
    ]);
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let stand_in = bin.join("syllabus-ics");
    std::fs::write(
        &stand_in,
        "#!/bin/sh\necho \"SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH syllabus-ics $*\"\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&stand_in, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (dir, path)
}

#[test]
#[cfg(unix)]
fn the_build_passes_the_fetched_feed_as_previous_and_stamps_with_the_commit_time() {
    let (dir, path) = checkout();
    std::fs::write(dir.path().join("previous.ics"), FEED).unwrap();
    let env = [
        ("PATH", path.as_str()),
        ("SCHEDULE", "schedule.yaml"),
        ("BASE_URL", "https://owner.github.io/meetup"),
    ];
    let (code, output) = run_step("Build the site", dir.path(), &env);
    assert_eq!(code, Some(0), "{output}");
    assert_eq!(
        output,
        "SOURCE_DATE_EPOCH=1712000000 syllabus-ics publish schedule.yaml --out site --base-url https://owner.github.io/meetup --previous previous.ics\n"
    );
}

#[test]
#[cfg(unix)]
fn the_first_build_has_no_previous_feed() {
    let (dir, path) = checkout();
    let env = [
        ("PATH", path.as_str()),
        ("SCHEDULE", "schedule.yaml"),
        ("BASE_URL", "https://owner.github.io/meetup"),
    ];
    let (code, output) = run_step("Build the site", dir.path(), &env);
    assert_eq!(code, Some(0), "{output}");
    assert_eq!(
        output,
        "SOURCE_DATE_EPOCH=1712000000 syllabus-ics publish schedule.yaml --out site --base-url https://owner.github.io/meetup\n"
    );
}

#[test]
fn the_readme_and_the_publishing_guide_link_to_the_example_workflow() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(root.join("examples/github-pages.yml").is_file());
    for (doc, link) in [
        ("README.md", "](examples/github-pages.yml)"),
        ("docs/publishing.md", "](../examples/github-pages.yml)"),
    ] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        assert!(text.contains(link), "{doc} links to the example workflow");
        assert!(
            !text.contains("\njobs:\n"),
            "{doc} links to the workflow instead of showing a copy of it"
        );
    }
}
