//! The page in a real browser: Debian's Chromium, headless, loads a `publish` output from a
//! local HTTP server, in the Europe/Berlin time zone, and the test reads the DOM it dumps
//! after the page's script has run.
//!
//! What the page fetched is read from two places: the local server records every request
//! it gets, and Chromium's NetLog records every request the browser starts, with the site
//! it was made for, which tells the page's requests apart from Chromium's own background
//! traffic. Other hosts do not resolve, so nothing leaves the machine. Chromium's console
//! goes to stderr, so a blocked inline script or style (a Content-Security-Policy hash that
//! does not match), a blocked fetch or a script error fails the test too.
//!
//! Chromium is installed by `scripts/test` (the test command). Without it this test fails;
//! it never skips.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use scraper::{ElementRef, Html, Selector};

const CHROMIUM: &str = "/usr/bin/chromium";
const BASE_URL: &str = "https://owner.github.io/meetup";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `publish` on `schedule` (relative to the repository root) into `dir/site`.
fn publish(schedule: &str, dir: &Path) -> PathBuf {
    let site = dir.join("site");
    let output = Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
        .args(["publish", schedule, "--base-url", BASE_URL, "--out"])
        .arg(&site)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1704067200")
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "publish failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    site
}

/// A static file server on 127.0.0.1 that records the request line of every request.
struct Server {
    address: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(site: PathBuf) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let address = listener.local_addr().expect("the port's address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let site = site.clone();
                let log = Arc::clone(&log);
                thread::spawn(move || answer(stream, &site, &log));
            }
        });
        Server { address, requests }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.address)
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("the request log").clone()
    }
}

fn answer(stream: TcpStream, site: &Path, log: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut request = String::new();
    if reader.read_line(&mut request).unwrap_or(0) == 0 {
        return;
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
    }
    let request = request.trim_end().to_owned();
    log.lock().expect("the request log").push(request.clone());
    let target = request.split(' ').nth(1).unwrap_or("");
    let (status, kind, body) = match target.strip_prefix('/').and_then(|p| file(site, p)) {
        Some((kind, body)) => ("200 OK", kind, body),
        None => ("404 Not Found", "text/plain", b"no such file".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = writer.write_all(head.as_bytes());
    let _ = writer.write_all(&body);
}

/// The file a request path names inside `site`, with its content type.
fn file(site: &Path, path: &str) -> Option<(&'static str, Vec<u8>)> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let path = if path.is_empty() { "index.html" } else { path };
    let relative = Path::new(path);
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let kind = match relative.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("ics") => "text/calendar; charset=utf-8",
        _ => "application/octet-stream",
    };
    std::fs::read(site.join(relative))
        .ok()
        .map(|body| (kind, body))
}

/// What headless Chromium made of a page.
struct Browser {
    dom: Html,
    /// Chromium's stderr, where the page's console messages appear.
    log: String,
    /// Every URL the browser requested on the page's behalf, from the NetLog.
    fetched: Vec<String>,
}

/// Loads `url` in headless Chromium in Europe/Berlin and dumps the DOM once the page has
/// loaded.
fn chromium(url: &str) -> Browser {
    assert!(
        Path::new(CHROMIUM).is_file(),
        "Chromium is not installed at {CHROMIUM}: run `scripts/test` (it installs it)"
    );
    let profile = tempfile::tempdir().expect("a profile directory");
    let net_log = profile.path().join("net-log.json");
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--lang=en-US",
            "--enable-logging=stderr",
            "--v=0",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            // Chromium asks Google about every page with a form field (the feed address);
            // that is the browser's traffic, not the page's.
            "--disable-features=AutofillServerCommunication",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("profile").display()
        ))
        .arg(format!("--log-net-log={}", net_log.display()))
        .arg("--dump-dom")
        .arg(url)
        .env("TZ", "Europe/Berlin")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {CHROMIUM}: {e}"));
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let dom = thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let log = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        match child.try_wait().expect("Chromium can be waited for") {
            Some(status) => break status,
            None if Instant::now() > deadline => {
                let _ = child.kill();
                panic!("Chromium did not finish loading {url} within two minutes");
            }
            None => thread::sleep(Duration::from_millis(100)),
        }
    };
    let dom = dom.join().expect("stdout is read");
    let log = log.join().expect("stderr is read");
    assert!(status.success(), "Chromium failed ({status}):\n{log}");
    assert!(
        dom.contains("</html>"),
        "Chromium dumped no page:\n{dom}\n{log}"
    );
    Browser {
        dom: Html::parse_document(&dom),
        log,
        fetched: fetched_for_the_page(&net_log),
    }
}

/// The URLs of the requests in a NetLog that were made for a page on 127.0.0.1: those whose
/// network isolation key is that site. Chromium's own requests (updates, time, accounts)
/// are keyed to no site, or to Google's.
fn fetched_for_the_page(net_log: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(net_log)
        .unwrap_or_else(|e| panic!("Chromium wrote no NetLog at {}: {e}", net_log.display()));
    let log: serde_json::Value = serde_json::from_str(&text).expect("the NetLog is JSON");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        .as_i64()
        .expect("the NetLog names its event types");
    log["events"]
        .as_array()
        .expect("the NetLog has events")
        .iter()
        .filter(|event| event["type"].as_i64() == Some(start_job))
        .filter(|event| {
            event["params"]["network_isolation_key"]
                .as_str()
                .is_some_and(|key| key.contains("http://127.0.0.1"))
        })
        .filter_map(|event| event["params"]["url"].as_str().map(str::to_owned))
        .collect()
}

impl Browser {
    fn all(&self, selector: &str) -> Vec<ElementRef<'_>> {
        let parsed = Selector::parse(selector).expect("a valid selector");
        self.dom.select(&parsed).collect()
    }

    fn one(&self, selector: &str) -> ElementRef<'_> {
        let found = self.all(selector);
        assert_eq!(
            found.len(),
            1,
            "`{selector}` matches {} elements",
            found.len()
        );
        found[0]
    }

    fn text(&self, selector: &str) -> String {
        text(self.one(selector))
    }

    fn href(&self, selector: &str) -> String {
        self.one(selector)
            .value()
            .attr("href")
            .unwrap_or_else(|| panic!("`{selector}` has no href"))
            .to_owned()
    }

    /// The page's console messages: CSP violations, script errors, anything logged.
    fn console(&self) -> Vec<&str> {
        self.log
            .lines()
            .filter(|line| line.contains(":CONSOLE"))
            .collect()
    }
}

/// An element's text, with runs of whitespace as one space.
fn text(element: ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn classes(element: ElementRef<'_>) -> Vec<&str> {
    element.value().classes().collect()
}

/// Loads a published schedule in Chromium and checks that the page fetched nothing but
/// itself and logged nothing.
fn load(schedule: &str) -> Browser {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let site = publish(schedule, dir.path());
    let server = Server::start(site);
    let page = server.url("index.html");
    let browser = chromium(&page);
    assert_eq!(
        server.requests(),
        ["GET /index.html HTTP/1.1"],
        "the local server got other requests"
    );
    assert_eq!(
        browser.fetched,
        [page],
        "the browser requested something else for the page"
    );
    assert_eq!(
        browser.console(),
        Vec::<&str>::new(),
        "the console has messages"
    );
    browser
}

#[test]
fn chromium_in_berlin_shows_every_session_at_its_berlin_time() {
    let page = load("schedule.yaml");

    let rows = page.all("tbody tr[id^='s-']");
    assert_eq!(rows.len(), 23, "21 dated sessions and 2 TBD topics");
    assert_eq!(page.all("tr[data-start]").len(), 21);
    let undated: Vec<&str> = rows[21..].iter().map(|r| r.value().id().unwrap()).collect();
    assert_eq!(undated, ["s-accelerators", "s-cloud-infrastructure"]);
    for row in &rows[21..] {
        assert!(text(*row).starts_with("Date to be announced"));
    }

    assert_eq!(page.text("#reader-zone"), "Your time (Europe/Berlin)");
    for (session, berlin, pacific, beijing) in [
        // Winter: Berlin is UTC+1, Los Angeles UTC-8.
        (
            "administrative",
            "Tue Jan 23, 2:00am",
            "Mon Jan 22, 5:00pm PST",
            "Tue Jan 23, 9:00am BJT",
        ),
        // The U.S. has sprung forward (March 10), Europe not yet (March 31).
        (
            "io",
            "Tue Mar 12, 1:00am",
            "Mon Mar 11, 5:00pm PDT",
            "Tue Mar 12, 8:00am BJT",
        ),
        // Both on summer time.
        (
            "containers",
            "Tue Apr 16, 2:00am",
            "Mon Apr 15, 5:00pm PDT",
            "Tue Apr 16, 8:00am BJT",
        ),
        (
            "guest-brendan-burns",
            "Tue Apr 23, 1:00am",
            "Mon Apr 22, 4:00pm PDT",
            "Tue Apr 23, 7:00am BJT",
        ),
    ] {
        let row = format!("#s-{session}");
        assert_eq!(page.text(&format!("{row} td.reader")), berlin, "{session}");
        let times: Vec<String> = page
            .all(&format!("{row} td.time:not(.reader)"))
            .into_iter()
            .map(text)
            .collect();
        assert_eq!(times, [pacific, beijing], "{session}");
    }

    // Every 2024 session is over, whenever this runs.
    assert_eq!(page.all("tr.past").len(), 21);
    assert!(page.all("tr.next").is_empty());
    assert_eq!(
        page.text("#next-session"),
        "There are no upcoming sessions."
    );

    let cancelled = page.all("tr.cancelled");
    assert_eq!(cancelled.len(), 3);
    for row in cancelled {
        assert!(text(row).contains("Cancelled"), "{}", text(row));
        assert!(row.select(&Selector::parse("s").unwrap()).next().is_some());
        assert!(
            row.select(&Selector::parse("td.add a").unwrap())
                .next()
                .is_none()
        );
    }
    assert_eq!(page.text("#s-guest-mar-19 th"), "Guest Talk: TBD Cancelled");

    assert_eq!(
        page.href("#s-containers td.add a[href$='.ics']"),
        "sessions/containers.ics"
    );
    assert_eq!(
        page.href("#s-containers td.add a[href*='calendar.google.com']"),
        format!(
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text=Container%20Basics\
             &dates=20240416T000000Z/20240416T010000Z\
             &details=Mon%20Apr%2015%2C%205%3A00pm%20PDT%20%2F%20Tue%20Apr%2016%2C%208%3A00am%20BJT\
             %0A%0AJoin%3A%20https%3A%2F%2Fus06web.zoom.us%2Fj%2F87491153577%3Fpwd%3DwwALFzPt4YLqs3V7TyUaHON6apmKoI.1\
             %0A%0APresenter%3A%20Mossaka\
             %0A%0AReadings%2C%20notes%20and%20recordings%3A%20https%3A%2F%2Fowner.github.io%2Fmeetup%2F%23s-containers\
             &location=https%3A%2F%2Fus06web.zoom.us%2Fj%2F87491153577%3Fpwd%3DwwALFzPt4YLqs3V7TyUaHON6apmKoI.1"
        )
    );
    assert_eq!(
        page.text("#s-containers td.notes a[href='https://youtu.be/xI-FOc-kalk']"),
        "Recording of Container Basics"
    );
}

#[test]
fn chromium_gets_subscribe_links_to_the_published_feed() {
    let page = load("schedule.yaml");
    let feed = "https://owner.github.io/meetup/schedule.ics";
    let name = "Virtualization%20%26%20Cloud%20Systems%20Meetup%202024";
    assert_eq!(
        page.one("#feed-url").value().attr("value"),
        Some(feed),
        "the address to copy"
    );
    assert!(
        page.one("#copy-feed").value().attr("hidden").is_none(),
        "the script shows the copy button"
    );
    assert_eq!(
        page.href("a[href^='webcal:']"),
        "webcal://owner.github.io/meetup/schedule.ics"
    );
    assert_eq!(
        page.href("a[href^='https://calendar.google.com/calendar/r?']"),
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fowner.github.io%2Fmeetup%2Fschedule.ics"
    );
    assert_eq!(
        page.href("a[href^='https://outlook.live.com/']"),
        format!(
            "https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fowner.github.io%2Fmeetup%2Fschedule.ics&name={name}"
        )
    );
    assert_eq!(
        page.href("a[href^='https://outlook.office.com/']"),
        format!(
            "https://outlook.office.com/calendar/0/addfromweb?url=https%3A%2F%2Fowner.github.io%2Fmeetup%2Fschedule.ics&name={name}"
        )
    );
    assert_eq!(
        page.href("#subscribe a[href='schedule.ics']"),
        "schedule.ics"
    );
    let refresh: Vec<String> = page
        .all("#subscribe .refresh")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        refresh,
        [
            "Google picks up changes every few hours, sometimes only after a day.",
            "Apple Calendar checks as often as the subscription is set to: choose Auto-refresh every hour.",
            "Outlook picks up changes every few hours.",
        ]
    );
}

#[test]
fn chromium_marks_past_sessions_and_highlights_the_next_that_takes_place() {
    let page = load("tests/fixtures/page/past-and-future.yaml");
    let state = |id: &str| classes(page.one(&format!("#s-{id}"))).join(" ");
    assert_eq!(state("first"), "past");
    assert_eq!(state("second"), "past");
    assert_eq!(
        state("called-off"),
        "cancelled",
        "a cancelled session is never next"
    );
    assert_eq!(state("next-one"), "next");
    assert_eq!(state("after-that"), "");
    assert_eq!(page.all(".badge-next").len(), 1);
    assert_eq!(page.text("#s-next-one th"), "Next session The next one");
    assert_eq!(
        page.text("#next-session"),
        "Next session: The next one, Mon Mar 9, 6:00pm your time (Europe/Berlin)"
    );
    assert_eq!(page.href("#next-session a"), "#s-next-one");
    // The calendar's name is text, not markup.
    assert_eq!(page.text("h1"), "Past & Future <Reading> Group");
    assert!(page.all("reading").is_empty());
}
