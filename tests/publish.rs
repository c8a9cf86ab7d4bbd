//! `syllabus-ics publish` and `syllabus-ics html` end to end: what the site directory holds,
//! that every relative link in it resolves, and that a run replaces the directory whole,
//! never a directory it did not write.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

const BASE_URL: &str = "https://owner.github.io/meetup";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary from the repository root with a fixed SOURCE_DATE_EPOCH.
fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
        .args(args)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1704067200")
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn publish(schedule: &str, out: &Path) -> Output {
    run(&[
        "publish",
        schedule,
        "--out",
        out.to_str().expect("a UTF-8 path"),
        "--base-url",
        BASE_URL,
    ])
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn succeeded(output: &Output) {
    assert!(
        output.status.success(),
        "exit {:?}\n{}",
        output.status.code(),
        stderr(output)
    );
}

/// Every file under `dir`, as paths relative to it.
fn files(dir: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                found.insert(relative.to_str().unwrap().replace('\\', "/"));
            }
        }
    }
    found
}

/// The names in a directory, files and directories alike.
fn names(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn publish_writes_the_page_the_feed_and_one_file_per_dated_session() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let output = publish("schedule.yaml", &out);
    succeeded(&output);
    let written = files(&out);
    assert_eq!(written.len(), 4 + 21, "{written:?}");
    for name in [
        ".nojekyll",
        ".syllabus-ics-site",
        "index.html",
        "schedule.ics",
        "sessions/containers.ics",
        "sessions/guest-mar-19.ics",
        "sessions/guest-webassembly.ics",
    ] {
        assert!(written.contains(name), "no {name} in {written:?}");
    }
    assert!(
        !written.contains("sessions/accelerators.ics"),
        "a TBD topic has no event"
    );
    assert_eq!(names(dir.path()), BTreeSet::from(["public".to_owned()]));
    assert!(
        stderr(&output)
            .contains("members subscribe at https://owner.github.io/meetup/schedule.ics")
    );
}

#[test]
fn every_relative_link_in_the_site_resolves_to_a_file_or_an_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    succeeded(&publish("schedule.yaml", &out));
    let page = Html::parse_document(&fs::read_to_string(out.join("index.html")).unwrap());
    let linked = Selector::parse("[href], [src]").unwrap();
    let (mut files, mut anchors) = (0, 0);
    for element in page.select(&linked) {
        let element = element.value();
        let target = element.attr("href").or(element.attr("src")).unwrap();
        if let Some(id) = target.strip_prefix('#') {
            let selector = Selector::parse(&format!("[id='{id}']")).unwrap();
            assert_eq!(page.select(&selector).count(), 1, "no element #{id}");
            anchors += 1;
        } else if !target.contains("://") && !target.starts_with("//") {
            let path = target.split(['?', '#']).next().unwrap();
            assert!(
                out.join(path).is_file(),
                "`{target}` is not a file in the site"
            );
            files += 1;
        } else {
            assert!(
                ["https://", "http://", "webcal://"]
                    .iter()
                    .any(|scheme| target.starts_with(scheme)),
                "`{target}` is neither relative nor a web address"
            );
        }
    }
    // The feed's download (in the subscribe bar and below the table), and the own file of
    // each of the 18 sessions that take place; the two navigation links and the bar's link
    // to every way to subscribe.
    assert_eq!(files, 2 + 18);
    assert_eq!(anchors, 3);
}

#[test]
fn a_session_file_is_what_build_session_writes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    succeeded(&publish("schedule.yaml", &out));
    // The page `build` links events to is `calendar.url`; `publish` links to the page it
    // writes at the base URL.
    let schedule = dir.path().join("schedule.yaml");
    let text = fs::read_to_string(root().join("schedule.yaml")).unwrap();
    let with_page = text.replace(
        "  timezone: America/Los_Angeles\n",
        &format!("  url: {BASE_URL}/\n  timezone: America/Los_Angeles\n"),
    );
    assert_ne!(text, with_page);
    fs::write(&schedule, with_page).unwrap();
    let schedule = schedule.to_str().unwrap();
    let built = run(&["build", schedule, "--session", "kvm-qemu"]);
    succeeded(&built);
    assert_eq!(
        fs::read(out.join("sessions/kvm-qemu.ics")).unwrap(),
        built.stdout
    );
    // The feed also names its page (`URL`), which the bundled schedule leaves out.
    let feed = run(&["build", schedule]);
    succeeded(&feed);
    let feed = String::from_utf8(feed.stdout)
        .unwrap()
        .replace(&format!("URL;VALUE=URI:{BASE_URL}/\r\n"), "");
    assert_eq!(fs::read_to_string(out.join("schedule.ics")).unwrap(), feed);
}

#[test]
fn publishing_twice_gives_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    succeeded(&publish("schedule.yaml", &first));
    succeeded(&publish("schedule.yaml", &second));
    for name in files(&first) {
        assert_eq!(
            fs::read(first.join(&name)).unwrap(),
            fs::read(second.join(&name)).unwrap(),
            "{name} differs"
        );
    }
}

/// A file that is the same bytes in the site being replaced is reused (hard-linked), not
/// written again; one that changed is a new file, and the old site's copy is gone with it.
#[cfg(unix)]
#[test]
fn a_second_run_reuses_the_files_that_did_not_change() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let schedule = dir.path().join("schedule.yaml");
    let minimal = fs::read_to_string(root().join("tests/fixtures/minimal.yaml")).unwrap();
    fs::write(&schedule, &minimal).unwrap();
    let out = dir.path().join("public");
    succeeded(&publish(schedule.to_str().unwrap(), &out));
    let inode = |name: &str| fs::metadata(out.join(name)).unwrap().ino();
    let before = ["sessions/first.ics", "sessions/second.ics", "schedule.ics"].map(inode);
    let second = fs::read(out.join("sessions/second.ics")).unwrap();
    fs::write(
        &schedule,
        minimal.replace(
            "JAN. 22: 5:00pm PST, JAN. 23: 9:00am BJT",
            "JAN. 22: 6:00pm PST, JAN. 23: 10:00am BJT",
        ),
    )
    .unwrap();
    succeeded(&publish(schedule.to_str().unwrap(), &out));
    let after = ["sessions/first.ics", "sessions/second.ics", "schedule.ics"].map(inode);
    assert_ne!(before[0], after[0], "the moved session's file is new");
    assert_eq!(
        before[1], after[1],
        "the unchanged session's file is reused"
    );
    assert_ne!(before[2], after[2], "the feed changed");
    assert_eq!(fs::read(out.join("sessions/second.ics")).unwrap(), second);
    assert!(
        fs::read_to_string(out.join("sessions/first.ics"))
            .unwrap()
            .contains("DTSTART;TZID=America/Los_Angeles:20240122T180000")
    );
    assert_eq!(
        fs::metadata(out.join("sessions/second.ics"))
            .unwrap()
            .nlink(),
        1,
        "the old site is gone, and no other name shares the file"
    );
}

#[test]
fn a_second_run_replaces_the_site_and_leaves_nothing_stale() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    succeeded(&publish("schedule.yaml", &out));
    fs::write(out.join("sessions/renamed-session.ics"), "stale").unwrap();
    fs::write(out.join("notes.txt"), "stale").unwrap();
    succeeded(&publish("tests/fixtures/minimal.yaml", &out));
    assert_eq!(
        files(&out),
        BTreeSet::from(
            [
                ".nojekyll",
                ".syllabus-ics-site",
                "index.html",
                "schedule.ics",
                "sessions/first.ics",
                "sessions/second.ics",
            ]
            .map(str::to_owned)
        )
    );
    assert_eq!(
        names(dir.path()),
        BTreeSet::from(["public".to_owned()]),
        "no temporary directory is left beside the site"
    );
}

#[test]
fn an_empty_directory_becomes_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    fs::create_dir(&out).unwrap();
    succeeded(&publish("tests/fixtures/minimal.yaml", &out));
    assert!(out.join("index.html").is_file());
}

#[test]
fn a_directory_publish_did_not_write_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("docs");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("guide.md"), "mine").unwrap();
    let output = publish("schedule.yaml", &out);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is not empty and was not written by `syllabus-ics publish`"),
        "{}",
        stderr(&output)
    );
    assert_eq!(files(&out), BTreeSet::from(["guide.md".to_owned()]));
    assert_eq!(fs::read_to_string(out.join("guide.md")).unwrap(), "mine");
    assert_eq!(names(dir.path()), BTreeSet::from(["docs".to_owned()]));
}

#[test]
fn a_schedule_with_errors_publishes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    succeeded(&publish("tests/fixtures/minimal.yaml", &out));
    let before = fs::read(out.join("index.html")).unwrap();
    let output = publish("tests/fixtures/broken.yaml", &out);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("error[dual-time-mismatch]"));
    assert!(stderr(&output).contains("has 1 error; nothing was written"));
    assert_eq!(fs::read(out.join("index.html")).unwrap(), before);
    assert_eq!(names(dir.path()), BTreeSet::from(["public".to_owned()]));
}

#[test]
fn a_base_url_that_is_not_a_web_address_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let output = run(&[
        "publish",
        "schedule.yaml",
        "--out",
        out.to_str().unwrap(),
        "--base-url",
        "owner.github.io/meetup",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: `--base-url` is `owner.github.io/meetup`, not a web address: it does not start \
         with `https://` or `http://`\n  = help: pass the public http or https address, with \
         spaces written as %20, e.g. `https://owner.github.io/meetup`\n"
    );
    assert!(!out.exists());
}

#[test]
fn the_current_directory_is_never_replaced() {
    let output = run(&[
        "publish",
        "schedule.yaml",
        "--out",
        ".",
        "--base-url",
        BASE_URL,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`.` is not a directory that can be replaced"));
}

#[test]
fn html_without_a_feed_url_says_what_subscribing_needs() {
    let output = run(&["html", "tests/fixtures/minimal.yaml"]);
    succeeded(&output);
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.contains("Subscribing needs the calendar\u{2019}s public address"));
    assert!(page.contains("<a href=\"schedule.ics\">download the whole schedule (.ics)</a>"));
    assert!(!page.contains("webcal:"));
    assert!(!page.contains("addfromweb"));
}

#[test]
fn html_with_a_feed_url_links_every_client_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("page.html");
    let output = run(&[
        "html",
        "tests/fixtures/minimal.yaml",
        "--feed-url",
        "https://example.org/feeds/reading.ics",
        "-o",
        target.to_str().unwrap(),
    ]);
    succeeded(&output);
    assert!(output.stdout.is_empty());
    let page = fs::read_to_string(&target).unwrap();
    for link in [
        "href=\"webcal://example.org/feeds/reading.ics\"",
        "href=\"https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fexample.org%2Ffeeds%2Freading.ics\"",
        "href=\"https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fexample.org%2Ffeeds%2Freading.ics&amp;name=Reading%20Group\"",
        "href=\"https://outlook.office.com/calendar/0/addfromweb?url=https%3A%2F%2Fexample.org%2Ffeeds%2Freading.ics&amp;name=Reading%20Group\"",
        "<a href=\"https://example.org/feeds/reading.ics\">Download the whole schedule (.ics)</a>",
    ] {
        assert!(page.contains(link), "no {link}");
    }
    assert_eq!(names(dir.path()), BTreeSet::from(["page.html".to_owned()]));
}

#[test]
fn the_page_is_the_same_bytes_every_time() {
    let first = run(&[
        "html",
        "schedule.yaml",
        "--feed-url",
        "https://example.org/s.ics",
    ]);
    let second = run(&[
        "html",
        "schedule.yaml",
        "--feed-url",
        "https://example.org/s.ics",
    ]);
    succeeded(&first);
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn hostile_text_on_the_page_stays_text() {
    let output = run(&["html", "tests/fixtures/page/hostile.yaml"]);
    succeeded(&output);
    let page = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        page.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(!page.contains("<img"));
    assert!(!page.contains("onerror=\""));
    assert!(page.contains(
        "<span class=\"topic\">&lt;/th&gt;&lt;script&gt;alert(&quot;topic&quot;)&lt;/script&gt;</span>"
    ));
    assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("href=\"https://example.org/?q=1&amp;x=&#39;y&#39;\""));
    assert!(page.contains("<title>&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot; group</title>"));
    assert!(page.contains("<span class=\"topic\">&lt;!-- comment --&gt;</span>"));
    assert!(page.contains("(line one<br>&lt;/ul&gt;line two)"));
}

#[test]
fn with_previous_a_moved_session_gets_a_new_sequence_in_the_feed_and_its_own_file() {
    let dir = tempfile::tempdir().unwrap();
    let schedule = dir.path().join("schedule.yaml");
    let minimal = fs::read_to_string(root().join("tests/fixtures/minimal.yaml")).unwrap();
    fs::write(&schedule, &minimal).unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    succeeded(&publish(schedule.to_str().unwrap(), &old));
    fs::write(
        &schedule,
        minimal.replace(
            "JAN. 22: 5:00pm PST, JAN. 23: 9:00am BJT",
            "JAN. 22: 6:00pm PST, JAN. 23: 10:00am BJT",
        ),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
        .arg("publish")
        .arg(&schedule)
        .arg("--out")
        .arg(&new)
        .args(["--base-url", BASE_URL, "--previous"])
        .arg(old.join("schedule.ics"))
        .env("SOURCE_DATE_EPOCH", "1717243200")
        .output()
        .unwrap();
    succeeded(&output);
    let moved = fs::read_to_string(new.join("sessions/first.ics")).unwrap();
    assert!(moved.contains("\r\nSEQUENCE:1\r\n"), "{moved}");
    assert!(
        moved.contains("\r\nLAST-MODIFIED:20240601T120000Z\r\n"),
        "{moved}"
    );
    let kept = fs::read_to_string(new.join("sessions/second.ics")).unwrap();
    assert_eq!(
        kept,
        fs::read_to_string(old.join("sessions/second.ics")).unwrap()
    );
    let feed = fs::read_to_string(new.join("schedule.ics")).unwrap();
    assert_eq!(feed.matches("\r\nSEQUENCE:1\r\n").count(), 1);
    assert_eq!(feed.matches("\r\nSEQUENCE:0\r\n").count(), 1);

    // The page says what this publication changed, and nothing about the rest.
    let page = fs::read_to_string(new.join("index.html")).unwrap();
    let start = page
        .find("<section id=\"changes\"")
        .expect("a changes section");
    let end = start + page[start..].find("</section>").unwrap();
    assert_eq!(
        &page[start..end],
        "<section id=\"changes\" aria-labelledby=\"changes-title\">\n\
         <h2 id=\"changes-title\">What changed on Jun 1, 2024</h2>\n\
         <ul><li><strong>Moved:</strong> <a href=\"#s-first\">First meeting</a>, now Mon Jan 22, \
         6:00pm PST / Tue Jan 23, 10:00am BJT (was Mon Jan 22, 5:00pm PST / Tue Jan 23, 9:00am BJT)\
         </li></ul>\n"
    );
    // Published again against the feed it just wrote, nothing changes, and the page says none.
    let again = dir.path().join("again");
    let output = Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
        .arg("publish")
        .arg(&schedule)
        .arg("--out")
        .arg(&again)
        .args(["--base-url", BASE_URL, "--previous"])
        .arg(new.join("schedule.ics"))
        .env("SOURCE_DATE_EPOCH", "1717329600")
        .output()
        .unwrap();
    succeeded(&output);
    let page = fs::read_to_string(again.join("index.html")).unwrap();
    assert!(!page.contains("id=\"changes\""), "{page}");
}

#[test]
fn the_page_gives_link_previews_the_name_and_the_next_session_as_of_publishing() {
    // On 2024-04-01 the next session is the guest talk of April 8 (Pacific).
    let output = Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
        .args([
            "html",
            "schedule.yaml",
            "--feed-url",
            "https://owner.github.io/meetup/schedule.ics",
        ])
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1711929600")
        .output()
        .unwrap();
    succeeded(&output);
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(
        page.contains("<meta property=\"og:title\" content=\"Virtualization &amp; Cloud Systems Meetup 2024\">"),
        "{page}"
    );
    assert!(
        page.contains(
            "<meta property=\"og:description\" content=\"A weekly online reading group on \
             virtualization and cloud systems, where papers are discussed with a presenter, listed \
             in Pacific and Beijing times. Next session: Guest Talk: Network \
             Virtualization, Mon Apr 8, 5:00pm PDT / Tue Apr 9, 8:00am BJT.\">"
        ),
        "{page}"
    );
}

#[test]
fn a_previous_feed_that_cannot_be_read_publishes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let output = run(&[
        "publish",
        "tests/fixtures/minimal.yaml",
        "--out",
        out.to_str().unwrap(),
        "--base-url",
        BASE_URL,
        "--previous",
        "tests/fixtures/no-such-feed.ics",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("nothing was written"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists());
}
