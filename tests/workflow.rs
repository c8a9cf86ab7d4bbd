//! `examples/github-pages.yml`, the workflow the README tells organizers to copy: actionlint
//! finds nothing in it, its jobs run in the documented order with the permissions they need
//! and no more, every shell script in it is valid bash and does what its step says (run here
//! with the real `syllabus-ics`, a local HTTP server and a stand-in `gh`), and every
//! `syllabus-ics` command in it is one the command line accepts.
//!
//! actionlint and the stand-in `gh`'s jq come from tests/interop/.venv, which `scripts/test`
//! installs; without it these tests fail and say so.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;

use clap::Parser;
use serde_json::{Value, json};
use syllabus_ics::cli::Cli;

const ON_MAIN: &str = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn workflow() -> Value {
    let text = std::fs::read_to_string(root().join("examples/github-pages.yml"))
        .expect("the example workflow exists");
    serde_saphyr::from_str(&text).expect("the example workflow is YAML")
}

fn steps<'a>(workflow: &'a Value, job: &str) -> &'a [Value] {
    workflow["jobs"][job]["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("job `{job}` has steps"))
}

fn step<'a>(workflow: &'a Value, job: &str, name: &str) -> &'a Value {
    steps(workflow, job)
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("job `{job}` has no step `{name}`"))
}

/// What each step does: `uses: <action>` or `run: <its name>`.
fn outline(steps: &[Value]) -> Vec<String> {
    steps
        .iter()
        .map(|step| match (step["uses"].as_str(), step["run"].as_str()) {
            (Some(action), _) => format!("uses: {action}"),
            (None, Some(_)) => format!("run: {}", step["name"].as_str().unwrap_or("(unnamed)")),
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

/// A tool `scripts/test` installs into tests/interop/.venv.
fn venv_tool(name: &str) -> PathBuf {
    let path = root().join("tests/interop/.venv/bin").join(name);
    assert!(
        path.is_file(),
        "{} is missing: run scripts/test, which installs tests/interop/requirements.txt",
        path.display()
    );
    path
}

#[test]
fn every_workflow_passes_actionlint() {
    let mut files = vec![root().join("examples/github-pages.yml")];
    if let Ok(entries) = std::fs::read_dir(root().join(".github/workflows")) {
        files.extend(entries.flatten().map(|e| e.path()));
    }
    let output = Command::new(venv_tool("actionlint"))
        .args(["-no-color"])
        .args(&files)
        .current_dir(root())
        .output()
        .expect("actionlint runs");
    assert!(
        output.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn pull_requests_and_pushes_to_main_trigger_it_and_publications_never_overlap() {
    let workflow = workflow();
    let on = &workflow["on"];
    assert!(on.get("pull_request").is_some(), "{on}");
    assert_eq!(on["push"]["branches"], json!(["main"]));
    assert_eq!(workflow["permissions"], json!({"contents": "read"}));
    assert_eq!(
        workflow["concurrency"],
        json!({
            "group": "${{ github.workflow }}-${{ github.event_name == 'pull_request' && github.ref || 'publish' }}",
            "cancel-in-progress": "${{ github.event_name == 'pull_request' }}",
        })
    );
}

#[test]
fn the_build_job_checks_every_event_and_cannot_deploy() {
    let workflow = workflow();
    let build = &workflow["jobs"]["build"];
    assert!(build.get("if").is_none(), "it runs on every event");
    assert_eq!(
        build["permissions"],
        json!({"contents": "read", "actions": "read", "pages": "read"})
    );
    assert_eq!(
        outline(steps(&workflow, "build")),
        [
            "uses: actions/checkout@v7",
            "uses: actions/cache/restore@v6",
            "run: Install syllabus-ics",
            "uses: actions/cache/save@v6",
            "run: Check",
            "run: Read the feed subscribers have now",
            "run: Show what subscribers will see change",
            "run: Build the site",
            "uses: actions/upload-pages-artifact@v5",
            "uses: actions/upload-artifact@v7",
        ]
    );
    // The tool is cached as soon as it is built, before a check can fail the job.
    assert_eq!(
        step(&workflow, "build", "Save syllabus-ics")["if"],
        "steps.tool.outputs.cache-hit != 'true'"
    );
    // Pull requests check and see the changes; only main builds and uploads a site.
    for name in [
        "Check",
        "Read the feed subscribers have now",
        "Show what subscribers will see change",
    ] {
        assert!(step(&workflow, "build", name).get("if").is_none(), "{name}");
    }
    for name in [
        "Build the site",
        "Upload the site",
        "Keep the feed for the next publication",
    ] {
        assert_eq!(step(&workflow, "build", name)["if"], ON_MAIN, "{name}");
    }
    let kept = step(&workflow, "build", "Keep the feed for the next publication");
    assert_eq!(
        kept["with"],
        json!({
            "name": "${{ env.FEED_ARTIFACT }}",
            "path": "site/schedule.ics",
            "retention-days": 90,
            "if-no-files-found": "error",
        })
    );
    assert_eq!(
        step(&workflow, "build", "Upload the site")["with"]["path"],
        "site"
    );
}

#[test]
fn only_the_deploy_job_may_deploy_and_it_runs_on_main_after_the_build() {
    let workflow = workflow();
    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["if"], ON_MAIN);
    assert_eq!(
        deploy["permissions"],
        json!({"pages": "write", "id-token": "write"})
    );
    assert_eq!(deploy["environment"]["name"], "github-pages");
    assert_eq!(
        outline(steps(&workflow, "deploy")),
        [
            "uses: actions/deploy-pages@v5",
            "uses: actions/download-artifact@v8",
            "run: Smoke test the deployed feed",
        ]
    );
    assert_eq!(
        step(&workflow, "deploy", "Fetch the feed just built")["with"],
        json!({"name": "${{ env.FEED_ARTIFACT }}", "path": "site"})
    );
    assert_eq!(
        step(&workflow, "deploy", "Smoke test the deployed feed")["env"]["FEED_URL"],
        "${{ needs.build.outputs.feed_url }}"
    );
    assert_eq!(
        workflow["jobs"]["build"]["outputs"]["feed_url"],
        "${{ steps.previous.outputs.feed_url }}"
    );
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

/// Every `syllabus-ics ...` line up to its redirections, its variables given the values the
/// workflow gives them, and `"${previous[@]}"` both empty (the first publication) and set.
fn command_lines(workflow: &Value) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    for script in scripts(workflow) {
        for line in script.lines().map(str::trim) {
            let Some(arguments) = line.strip_prefix("syllabus-ics ") else {
                continue;
            };
            let end = [" 2>", " >>", " ||"]
                .iter()
                .filter_map(|cut| arguments.find(cut))
                .min()
                .unwrap_or(arguments.len());
            let expanded = arguments[..end]
                .replace("\"$SCHEDULE\"", "schedule.yaml")
                .replace("\"$BASE_URL\"", "https://owner.github.io/meetup");
            let previous: &[&str] = if expanded.contains("\"${previous[@]}\"") {
                &["", "--previous previous.ics"]
            } else {
                &[""]
            };
            for previous in previous {
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
            .map(|words| words[1..3].join(" "))
            .collect::<Vec<_>>(),
        [
            "check --color",
            "check --format",
            "diff --color",
            "diff --format",
            "publish schedule.yaml",
            "publish schedule.yaml",
        ]
    );
    for words in commands {
        if let Err(error) = Cli::try_parse_from(&words) {
            panic!("`{}` is refused:\n{error}", words.join(" "));
        }
    }
}

/// A one-route HTTP server on localhost that answers every request with `status`,
/// `content_type` and `body`; its base URL, and the request lines it receives.
fn serve(
    status: &'static str,
    content_type: &'static str,
    body: &'static str,
) -> (String, mpsc::Receiver<String>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (requests, received) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_ok() {
                let _ = requests.send(line.trim_end().to_owned());
            }
            line.clear();
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
    (base, received)
}

/// A runner's work space: a checkout whose one commit was made at 2024-04-01T19:33:20Z,
/// with `bin/` first on PATH and the files GitHub gives a step (GITHUB_ENV, GITHUB_OUTPUT,
/// GITHUB_STEP_SUMMARY).
struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
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
        std::fs::create_dir(dir.path().join("bin")).unwrap();
        Runner { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, contents: &str) {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    /// The file's text, or "" when it does not exist.
    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_default()
    }

    #[cfg(unix)]
    fn executable(&self, name: &str, script: &str) {
        use std::os::unix::fs::PermissionsExt;
        let path = self.path(&format!("bin/{name}"));
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// The `syllabus-ics` these tests were built with.
    #[cfg(unix)]
    fn real_syllabus_ics(&self) {
        std::os::unix::fs::symlink(
            env!("CARGO_BIN_EXE_syllabus-ics"),
            self.path("bin/syllabus-ics"),
        )
        .unwrap();
    }

    /// Runs step `name` of `job` as GitHub does (`bash -e -o pipefail`) with `env`; its
    /// exit code and output.
    fn run(&self, job: &str, name: &str, env: &[(&str, &str)]) -> (Option<i32>, String) {
        let workflow = workflow();
        let script = step(&workflow, job, name)["run"]
            .as_str()
            .unwrap_or_else(|| panic!("step `{name}` runs a script"))
            .to_owned();
        let path = format!(
            "{}:{}",
            self.path("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
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
            .current_dir(self.dir.path())
            .env("PATH", path)
            .env("SCHEDULE", "schedule.yaml")
            .env("FEED_ARTIFACT", "published-feed")
            .env("GITHUB_REPOSITORY", "owner/meetup")
            .env("GITHUB_RUN_ID", "7")
            .env("GITHUB_RUN_ATTEMPT", "1")
            .env("GITHUB_ENV", self.path("github-env"))
            .env("GITHUB_OUTPUT", self.path("github-output"))
            .env("GITHUB_STEP_SUMMARY", self.path("summary.md"))
            .envs(env.iter().copied())
            .output()
            .expect("bash runs");
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        (output.status.code(), text)
    }
}

const FEED: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";

/// A schedule of `sessions`: (id, time as published).
fn schedule(sessions: &[(&str, &str)]) -> String {
    let mut text = String::from(
        "calendar:\n  id: reading-group\n  name: Reading Group\n  timezone: America/Los_Angeles\n  year: 2024\n  meeting: https://example.org/join\n  zones:\n    PST: America/Los_Angeles\n    PDT: America/Los_Angeles\n    BJT: Asia/Shanghai\nsessions:\n",
    );
    for (id, time) in sessions {
        text += &format!("  - id: {id}\n    time: \"{time}\"\n    topic: Session {id}\n");
    }
    text
}

#[test]
#[cfg(unix)]
fn the_check_annotates_every_line_and_puts_the_whole_report_in_the_summary() {
    let runner = Runner::new();
    runner.real_syllabus_ics();
    // Twelve stale Beijing halves: more than the 10 error annotations GitHub shows a step.
    let sessions: Vec<(String, String)> = (1..=12)
        .map(|day| {
            (
                format!("s{day}"),
                format!("JAN. {day}: 5:00pm PST, JAN. {}: 8:00am BJT", day + 1),
            )
        })
        .collect();
    let sessions: Vec<(&str, &str)> = sessions
        .iter()
        .map(|(id, time)| (id.as_str(), time.as_str()))
        .collect();
    runner.write("schedule.yaml", &schedule(&sessions));
    let (code, output) = runner.run("build", "Check", &[]);
    assert_eq!(code, Some(1), "{output}");
    assert_eq!(
        output.matches("::error file=schedule.yaml,line=").count(),
        12,
        "{output}"
    );
    let summary = runner.read("summary.md");
    assert!(
        summary.starts_with("### Check of schedule.yaml\n\n````text\n"),
        "{summary}"
    );
    assert!(summary.ends_with("0 warnings\n````\n"), "{summary}");
    assert_eq!(
        summary.matches("error[dual-time-mismatch]").count(),
        12,
        "{summary}"
    );
    assert!(!summary.contains('\u{1b}'), "no colour codes: {summary}");
}

#[test]
#[cfg(unix)]
fn a_clean_check_passes_and_says_so_in_the_summary() {
    let runner = Runner::new();
    runner.real_syllabus_ics();
    runner.write(
        "schedule.yaml",
        &schedule(&[("first", "JAN. 22: 5:00pm PST, JAN. 23: 9:00am BJT")]),
    );
    let (code, output) = runner.run("build", "Check", &[]);
    assert_eq!(code, Some(0), "{output}");
    assert_eq!(
        runner.read("summary.md"),
        "### Check of schedule.yaml\n\n````text\nschedule.yaml: 1 session, 0 undated, 0 errors, 0 warnings\n````\n"
    );
}

#[test]
#[cfg(unix)]
fn the_summary_shows_what_subscribers_will_see_change() {
    let runner = Runner::new();
    runner.real_syllabus_ics();
    runner.write(
        "before.yaml",
        &schedule(&[
            ("first", "JAN. 22: 5:00pm PST, JAN. 23: 9:00am BJT"),
            ("second", "APR. 15: 5:00pm PDT, APR. 16: 8:00am BJT"),
        ]),
    );
    let built = Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
        .args(["build", "before.yaml", "-o", "previous.ics"])
        .current_dir(runner.path(""))
        .output()
        .unwrap();
    assert!(built.status.success(), "{built:?}");
    runner.write(
        "schedule.yaml",
        &schedule(&[
            ("first", "JAN. 22: 5:00pm PST, JAN. 23: 9:00am BJT"),
            ("second", "APR. 15: 6:00pm PDT, APR. 16: 9:00am BJT"),
        ]),
    );
    let (code, output) = runner.run("build", "Show what subscribers will see change", &[]);
    assert_eq!(code, Some(0), "{output}");
    assert!(
        output.starts_with("moved  second: Session second (Mon Apr 15, 5:00pm PDT"),
        "{output}"
    );
    let summary = runner.read("summary.md");
    assert!(
        summary.starts_with("### What subscribers will see\n"),
        "{summary}"
    );
    assert!(summary.contains("| moved | `second` |"), "{summary}");
    assert!(!summary.contains("`first`"), "{summary}");
}

#[test]
#[cfg(unix)]
fn before_the_first_publication_the_summary_says_every_session_is_new() {
    let runner = Runner::new();
    runner.real_syllabus_ics();
    let (code, output) = runner.run("build", "Show what subscribers will see change", &[]);
    assert_eq!(code, Some(0), "{output}");
    assert_eq!(
        runner.read("summary.md"),
        "No feed is published yet: every session is new to subscribers.\n"
    );
}

/// A stand-in `gh`: `gh api` answers from $PAGES_URL and the JSON in $ARTIFACTS and applies
/// `--jq` as gh does (strings raw, other values as JSON); `gh run download RUN --name NAME
/// --dir DIR` copies artifacts/RUN/NAME/ into DIR.
#[cfg(unix)]
fn stand_in_gh(runner: &Runner) {
    runner.write("bin/gh.py", GH);
    // A shell script that runs the venv's Python: a `#!` line holding the venv's path could
    // pass the kernel's length limit in a deep checkout.
    runner.executable(
        "gh",
        &format!(
            "#!/bin/sh\nexec '{}' \"$(dirname \"$0\")/gh.py\" \"$@\"\n",
            venv_tool("python").display()
        ),
    );
}

const GH: &str = r#"import json, os, shutil, sys
import jq

args = sys.argv[1:]
if args[0] == "api":
    route, program = args[1], args[args.index("--jq") + 1]
    if route.endswith("/pages"):
        if "PAGES_URL" not in os.environ:
            sys.exit("gh: Not Found (HTTP 404)")
        answer = {"html_url": os.environ["PAGES_URL"] + "/"}
    elif "/actions/artifacts?" in route:
        answer = json.loads(os.environ["ARTIFACTS"])
    else:
        sys.exit(f"gh: no route {route}")
    for value in jq.compile(program).input_value(answer).all():
        print(value if isinstance(value, str) else json.dumps(value))
elif args[:2] == ["run", "download"]:
    run, name, into = args[2], args[args.index("--name") + 1], args[args.index("--dir") + 1]
    shutil.copytree(os.path.join("artifacts", run, name), into)
else:
    sys.exit(f"gh: unexpected {args}")
"#;

fn artifact(run: u64, created: &str, branch: &str, head_repository: u64, expired: bool) -> Value {
    json!({
        "id": run * 10,
        "name": "published-feed",
        "expired": expired,
        "created_at": created,
        "workflow_run": {
            "id": run,
            "repository_id": 1,
            "head_repository_id": head_repository,
            "head_branch": branch,
        },
    })
}

#[test]
#[cfg(unix)]
fn the_feed_is_read_from_the_newest_artifact_a_publication_from_main_left() {
    let runner = Runner::new();
    stand_in_gh(&runner);
    runner.write("artifacts/333/published-feed/schedule.ics", FEED);
    runner.write("artifacts/111/published-feed/schedule.ics", "older");
    let artifacts = json!({"total_count": 5, "artifacts": [
        artifact(111, "2026-11-01T10:00:00Z", "main", 1, false),
        artifact(555, "2026-11-05T10:00:00Z", "main", 2, false), // a fork's `main`
        artifact(333, "2026-11-03T10:00:00Z", "main", 1, false),
        artifact(444, "2026-11-04T10:00:00Z", "try-colours", 1, false),
        artifact(666, "2026-11-06T10:00:00Z", "main", 1, true),
    ]});
    let (base, requests) = serve("200 OK", "text/calendar", "stale");
    let env = [
        ("PAGES_URL", base.as_str()),
        ("ARTIFACTS", &artifacts.to_string()),
    ];
    let (code, output) = runner.run("build", "Read the feed subscribers have now", &env);
    assert_eq!(code, Some(0), "{output}");
    assert_eq!(
        output,
        "read the feed run 333 deployed: changed events get a higher SEQUENCE\n"
    );
    assert_eq!(runner.read("previous.ics"), FEED);
    assert_eq!(runner.read("github-env"), format!("BASE_URL={base}\n"));
    assert_eq!(
        runner.read("github-output"),
        format!("feed_url={base}/schedule.ics\n")
    );
    assert_eq!(requests.try_iter().count(), 0, "the site is not asked");
}

#[test]
#[cfg(unix)]
fn without_an_artifact_the_feed_is_read_from_the_site_past_its_cache() {
    let runner = Runner::new();
    stand_in_gh(&runner);
    let (base, requests) = serve("200 OK", "text/calendar; charset=utf-8", FEED);
    let env = [
        ("PAGES_URL", base.as_str()),
        ("ARTIFACTS", r#"{"total_count": 0, "artifacts": []}"#),
    ];
    let (code, output) = runner.run("build", "Read the feed subscribers have now", &env);
    assert_eq!(code, Some(0), "{output}");
    assert_eq!(
        output,
        "read the feed the site serves: changed events get a higher SEQUENCE\n"
    );
    assert_eq!(runner.read("previous.ics"), FEED);
    assert_eq!(
        requests.try_iter().collect::<Vec<_>>(),
        ["GET /schedule.ics?run=7 HTTP/1.1"]
    );
}

#[test]
#[cfg(unix)]
fn a_site_without_a_feed_is_the_first_publication() {
    let runner = Runner::new();
    stand_in_gh(&runner);
    let (base, _) = serve("404 Not Found", "text/html", "<h1>404</h1>");
    let env = [
        ("PAGES_URL", base.as_str()),
        ("ARTIFACTS", r#"{"total_count": 0, "artifacts": []}"#),
    ];
    let (code, output) = runner.run("build", "Read the feed subscribers have now", &env);
    assert_eq!(code, Some(0), "{output}");
    assert_eq!(
        output,
        "no feed is published yet: this is the first publication\n"
    );
    assert!(!runner.path("previous.ics").exists());
}

#[test]
#[cfg(unix)]
fn a_feed_that_cannot_be_read_stops_the_publication() {
    let runner = Runner::new();
    stand_in_gh(&runner);
    let (base, _) = serve("403 Forbidden", "text/html", "no");
    let env = [
        ("PAGES_URL", base.as_str()),
        ("ARTIFACTS", r#"{"total_count": 0, "artifacts": []}"#),
    ];
    let (code, output) = runner.run("build", "Read the feed subscribers have now", &env);
    assert_eq!(code, Some(1), "{output}");
    assert_eq!(
        output,
        format!("::error::could not read {base}/schedule.ics (HTTP 403); nothing was published\n")
    );
}

#[test]
#[cfg(unix)]
fn a_repository_without_pages_is_told_how_to_set_it_up() {
    let runner = Runner::new();
    stand_in_gh(&runner);
    let (code, output) = runner.run("build", "Read the feed subscribers have now", &[]);
    assert_eq!(code, Some(1), "{output}");
    assert!(
        output.contains("::error::GitHub Pages is not set up: Settings -> Pages -> Build and deployment -> Source: GitHub Actions\n"),
        "{output}"
    );
    assert!(!runner.path("github-env").exists(), "{output}");
}

#[test]
#[cfg(unix)]
fn the_build_passes_the_feed_read_as_previous_and_stamps_with_the_commit_time() {
    let runner = Runner::new();
    runner.executable(
        "syllabus-ics",
        "#!/bin/sh\necho \"SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH syllabus-ics $*\"\n",
    );
    let env = [("BASE_URL", "https://owner.github.io/meetup")];
    let (code, output) = runner.run("build", "Build the site", &env);
    assert_eq!(code, Some(0), "{output}");
    assert_eq!(
        output,
        "SOURCE_DATE_EPOCH=1712000000 syllabus-ics publish schedule.yaml --out site --base-url https://owner.github.io/meetup\n",
        "the first publication has no previous feed"
    );
    runner.write("previous.ics", FEED);
    let (code, output) = runner.run("build", "Build the site", &env);
    assert_eq!(code, Some(0), "{output}");
    assert_eq!(
        output,
        "SOURCE_DATE_EPOCH=1712000000 syllabus-ics publish schedule.yaml --out site --base-url https://owner.github.io/meetup --previous previous.ics\n"
    );
}

#[test]
#[cfg(unix)]
fn the_smoke_test_passes_on_the_feed_just_built_served_as_text_calendar() {
    let runner = Runner::new();
    runner.write("site/schedule.ics", FEED);
    let (base, requests) = serve("200 OK", "text/calendar; charset=utf-8", FEED);
    let feed_url = format!("{base}/schedule.ics");
    let (code, output) = runner.run(
        "deploy",
        "Smoke test the deployed feed",
        &[("FEED_URL", &feed_url)],
    );
    assert_eq!(code, Some(0), "{output}");
    assert_eq!(
        output,
        format!("{feed_url}: HTTP 200, text/calendar; charset=utf-8, 0 events\n")
    );
    assert_eq!(
        requests.try_iter().collect::<Vec<_>>(),
        ["GET /schedule.ics?run=7-1 HTTP/1.1"]
    );
}

#[test]
#[cfg(unix)]
fn the_smoke_test_fails_on_a_feed_served_as_another_type() {
    let runner = Runner::new();
    runner.write("site/schedule.ics", FEED);
    let (base, _) = serve("200 OK", "application/octet-stream", FEED);
    let feed_url = format!("{base}/schedule.ics");
    let (code, output) = runner.run(
        "deploy",
        "Smoke test the deployed feed",
        &[("FEED_URL", &feed_url)],
    );
    assert_eq!(code, Some(1), "{output}");
    assert_eq!(
        output,
        format!("::error::{feed_url} is served as 'application/octet-stream', not text/calendar\n")
    );
}

#[test]
fn the_readme_and_the_publishing_guide_link_to_the_example_workflow() {
    for (doc, link) in [
        ("README.md", "](examples/github-pages.yml)"),
        ("docs/publishing.md", "](../examples/github-pages.yml)"),
    ] {
        let text = std::fs::read_to_string(root().join(doc)).unwrap();
        assert!(text.contains(link), "{doc} links to the example workflow");
        assert!(
            !text.contains("\njobs:\n"),
            "{doc} links to the workflow instead of showing a copy of it"
        );
    }
}
