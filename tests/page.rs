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
    let found = if target.starts_with(HARNESS) {
        harness(target).map(|page| ("text/html; charset=utf-8", page.into_bytes()))
    } else {
        target.strip_prefix('/').and_then(|p| file(site, p))
    };
    let (status, kind, body) = match found {
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
/// loaded; `flags` are Chromium's own, e.g. to prefer a dark color scheme.
fn chromium(url: &str, flags: &[&str]) -> Browser {
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
        .args(flags)
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
    let browser = chromium(&page, &[]);
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
    assert_eq!(page.text("#next-title"), "No sessions ahead");
    assert_eq!(
        page.href("#next .card-topic a"),
        "#s-guest-webassembly",
        "the last session"
    );
    assert_eq!(page.all("#past tbody tr").len(), 21, "folded away");

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
    let copy = page.all("button.copy-address");
    assert_eq!(copy.len(), 2, "in the bar and beside the address");
    for button in copy {
        assert!(
            button.value().attr("hidden").is_none(),
            "the script shows the copy button"
        );
    }
    assert_eq!(
        page.href("#subscribe a[href^='webcal:']"),
        "webcal://owner.github.io/meetup/schedule.ics"
    );
    assert_eq!(
        page.href("#subscribe a[href^='https://calendar.google.com/calendar/r?']"),
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fowner.github.io%2Fmeetup%2Fschedule.ics"
    );
    assert_eq!(
        page.href("#subscribe a[href^='https://outlook.live.com/']"),
        format!(
            "https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fowner.github.io%2Fmeetup%2Fschedule.ics&name={name}"
        )
    );
    assert_eq!(
        page.href("#subscribe a[href^='https://outlook.office.com/']"),
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
    assert_eq!(page.text("#next-title"), "Next session");
    assert_eq!(
        page.text("#next .card-when"),
        "Mon Mar 9, 6:00pm your time (Europe/Berlin)"
    );
    assert_eq!(page.href("#next .card-topic a"), "#s-next-one");

    // The calendar's name is text, not markup.
    assert_eq!(page.text("h1"), "Past & Future <Reading> Group");
    assert!(page.all("reading").is_empty());
}

// The layout: the published page measured in frames of the sizes readers have, by a harness
// page the test server serves beside the site. Each frame loads the real `index.html`, with
// or without scripting (a sandboxed frame), and the harness, on the same origin, reads
// positions and computed styles from it once everything has loaded and writes them into its
// own DOM as JSON for the test to read.

/// The harness's path on the test server: `/__layout?<width>x<height>,...;scripts|noscripts`.
const HARNESS: &str = "/__layout";

/// The harness page for `target`, or `None` for a malformed one.
fn harness(target: &str) -> Option<String> {
    let (sizes, scripting) = target
        .strip_prefix(HARNESS)?
        .strip_prefix('?')?
        .split_once(';')?;
    // A sandbox that allows the same origin but not scripts: the harness can still read it.
    let sandbox = match scripting {
        "scripts" => "",
        "noscripts" => " sandbox=\"allow-same-origin\"",
        _ => return None,
    };
    let mut frames = String::new();
    for size in sizes.split(',') {
        let (width, height) = size.split_once('x')?;
        let (width, height): (u32, u32) = (width.parse().ok()?, height.parse().ok()?);
        frames.push_str(&format!(
            "<iframe src=\"/index.html\" width=\"{width}\" height=\"{height}\"{sandbox}></iframe>\n"
        ));
    }
    Some(format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>iframe{{border:0;display:block}}</style></head>\
         <body>{frames}<pre id=\"results\"></pre><script>{MEASURE}</script></body></html>"
    ))
}

/// The harness's script: what the tests below need of each frame.
const MEASURE: &str = r##"
window.addEventListener("load", function () {
  function box(win, element) {
    if (!element) { return null; }
    var r = element.getBoundingClientRect();
    var style = win.getComputedStyle(element);
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right,
             display: style.display, color: style.color, background: style.backgroundColor,
             text: element.textContent.replace(/\s+/g, " ").trim() };
  }
  var frames = Array.prototype.slice.call(document.querySelectorAll("iframe"));
  var results = frames.map(function (frame) {
    var win = frame.contentWindow, doc = frame.contentDocument;
    var all = function (selector) {
      return Array.prototype.slice.call(doc.querySelectorAll(selector)).map(function (e) {
        return box(win, e);
      });
    };
    var past = doc.getElementById("past");
    return {
      width: win.innerWidth,
      height: win.innerHeight,
      scroll_width: doc.documentElement.scrollWidth,
      dark: win.matchMedia("(prefers-color-scheme: dark)").matches,
      body: box(win, doc.body),
      card: box(win, doc.getElementById("next")),
      card_title: box(win, doc.getElementById("next-title")),
      card_join: box(win, doc.querySelector("#next .card-actions a")),
      bar: box(win, doc.getElementById("subscribe-bar")),
      bar_buttons: all("#subscribe-bar .button, #subscribe-bar button"),
      copy_buttons: all("button.copy-address"),
      links: all("main a[href]:not(.button)").slice(0, 20),
      buttons: all("a.button"),
      add_headers: all("#schedule > table th.add"),
      past_open: past ? past.open : null,
      past_rows: past ? past.querySelectorAll("tbody tr").length : 0,
      upcoming_rows: doc.querySelectorAll("#schedule > table > tbody:not(.undated) tr").length
    };
  });
  document.getElementById("results").textContent = JSON.stringify(results);
});
"##;

/// One element as the harness saw it.
#[derive(Debug, serde::Deserialize)]
struct Seen {
    top: f64,
    bottom: f64,
    right: f64,
    display: String,
    color: String,
    background: String,
    text: String,
}

/// One frame as the harness measured it.
#[derive(Debug, serde::Deserialize)]
struct Frame {
    width: f64,
    height: f64,
    scroll_width: f64,
    dark: bool,
    body: Seen,
    card: Seen,
    card_title: Seen,
    card_join: Option<Seen>,
    bar: Seen,
    bar_buttons: Vec<Seen>,
    copy_buttons: Vec<Seen>,
    links: Vec<Seen>,
    buttons: Vec<Seen>,
    add_headers: Vec<Seen>,
    past_open: Option<bool>,
    past_rows: usize,
    upcoming_rows: usize,
}

impl Frame {
    fn size(&self) -> String {
        format!("{}x{}", self.width, self.height)
    }

    /// Whether `seen` is drawn and wholly within the first screen.
    fn on_first_screen(&self, seen: &Seen) -> bool {
        seen.display != "none" && seen.top >= 0.0 && seen.bottom <= self.height
    }
}

/// Publishes `schedule`, serves it, and measures it in frames of `sizes`.
fn measure(schedule: &Path, sizes: &[(u32, u32)], scripts: bool, dark: bool) -> Vec<Frame> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let site = publish(schedule.to_str().expect("a UTF-8 path"), dir.path());
    let server = Server::start(site);
    let sizes: Vec<String> = sizes.iter().map(|(w, h)| format!("{w}x{h}")).collect();
    let url = server.url(&format!(
        "{}?{};{}",
        &HARNESS[1..],
        sizes.join(","),
        if scripts { "scripts" } else { "noscripts" }
    ));
    let flags: &[&str] = if dark {
        &["--blink-settings=preferredColorScheme=0"]
    } else {
        &["--blink-settings=preferredColorScheme=1"]
    };
    let browser = chromium(&url, flags);
    // A frame without scripting says that it blocked the page's script; nothing else may.
    let console: Vec<&str> = browser
        .console()
        .into_iter()
        .filter(|line| scripts || !line.contains("the document's frame is sandboxed"))
        .collect();
    assert_eq!(console, Vec::<&str>::new(), "the console has messages");
    let results = browser.text("#results");
    let frames: Vec<Frame> = serde_json::from_str(&results)
        .unwrap_or_else(|e| panic!("the harness wrote no measurements ({e}): {results}"));
    assert_eq!(frames.len(), sizes.len());
    frames
}

const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (390, 844);

/// A schedule with one session that is on now, one that is over and one ahead, written
/// for the day the test runs.
fn happening_now(dir: &Path) -> PathBuf {
    let now = chrono::Utc::now();
    let start = now - chrono::TimeDelta::minutes(30);
    let at = |time: chrono::DateTime<chrono::Utc>| {
        format!(
            "{{ date: {}, time: \"{}\", zone: UTC }}",
            time.format("%Y-%m-%d"),
            time.format("%H:%M")
        )
    };
    let yaml = format!(
        "calendar:\n  id: now\n  name: Now Group\n  timezone: Etc/UTC\n  year: {}\n  \
         duration: 2h\n  meeting: https://example.org/join\n  zones:\n    UTC: Etc/UTC\n\
         sessions:\n  - id: over\n    time:\n      - {}\n    topic: Over\n\
         \x20 - id: on-now\n    time:\n      - {}\n    topic: On now\n    presenter: Ada\n\
         \x20 - id: ahead\n    time:\n      - {}\n    topic: Ahead\n",
        (now - chrono::TimeDelta::days(3)).format("%Y"),
        at(now - chrono::TimeDelta::days(3)),
        at(start),
        at(now + chrono::TimeDelta::days(3)),
    );
    let path = dir.join("now.yaml");
    std::fs::write(&path, yaml).expect("the schedule is written");
    path
}

#[test]
fn the_next_session_and_the_subscribe_bar_are_on_the_first_screen() {
    let schedule = root().join("tests/fixtures/page/past-and-future.yaml");
    for frame in measure(&schedule, &[DESKTOP, PHONE], true, false) {
        let size = frame.size();
        assert!(
            frame.on_first_screen(&frame.card),
            "{size}: {:?}",
            frame.card
        );
        assert_eq!(frame.card_title.text, "Next session", "{size}");
        for wanted in [
            "The next one",
            "Mon Mar 9, 6:00pm your time (Europe/Berlin)",
            "Mon Mar 9, 6:00pm CET / Mon Mar 9, 10:30pm IST",
            "Add to calendar (.ics)",
        ] {
            assert!(
                frame.card.text.contains(wanted),
                "{size}: {wanted} in {}",
                frame.card.text
            );
        }
        assert!(frame.on_first_screen(&frame.bar), "{size}: {:?}", frame.bar);
        assert_eq!(frame.bar_buttons.len(), 5, "{size}");
        for button in &frame.bar_buttons {
            assert!(frame.on_first_screen(button), "{size}: {button:?}");
        }
        assert!(frame.bar.text.contains("not in its phone app"), "{size}");
        // The two sessions that are over fold away, one click from their recordings.
        assert_eq!(frame.past_open, Some(false), "{size}");
        assert_eq!(frame.past_rows, 2, "{size}");
        assert_eq!(frame.upcoming_rows, 3, "{size}: one of them cancelled");
    }
}

#[test]
fn a_session_that_runs_now_says_so_with_a_join_button() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let schedule = happening_now(dir.path());
    for frame in measure(&schedule, &[DESKTOP, PHONE], true, false) {
        let size = frame.size();
        assert_eq!(frame.card_title.text, "Happening now", "{size}");
        assert!(
            frame.card.text.contains("On now"),
            "{size}: {}",
            frame.card.text
        );
        assert!(frame.card.text.contains("Presented by Ada"), "{size}");
        let join = frame.card_join.as_ref().expect("a Join button");
        assert_eq!(join.text, "Join", "{size}");
        assert!(frame.on_first_screen(join), "{size}: {join:?}");
        assert_eq!(frame.past_rows, 1, "{size}");
    }
}

#[test]
fn when_nothing_is_ahead_the_last_session_and_the_recordings_stay_in_view() {
    for frame in measure(
        &root().join("schedule.yaml"),
        &[DESKTOP, PHONE],
        true,
        false,
    ) {
        let size = frame.size();
        assert_eq!(frame.card_title.text, "No sessions ahead", "{size}");
        assert!(frame.on_first_screen(&frame.card_title), "{size}");
        assert!(
            frame.card.text.contains("The last session was:")
                && frame
                    .card
                    .text
                    .contains("Next frontier of virtualization - WebAssembly")
                && frame
                    .card
                    .text
                    .contains("Recording of GUEST SPEAKER SESSION"),
            "{size}: {}",
            frame.card.text
        );
        assert!(frame.on_first_screen(&frame.bar), "{size}: {:?}", frame.bar);
        assert_eq!(frame.past_open, Some(true), "{size}");
        assert_eq!(frame.past_rows, 21, "{size}");
    }
}

#[test]
fn no_width_scrolls_sideways_or_hides_the_add_to_calendar_column() {
    // The table gives way to one card per session at 70rem (1,120 px); just above it the
    // table must fit whole.
    let sizes: Vec<(u32, u32)> = [
        320, 390, 768, 1024, 1100, 1121, 1140, 1160, 1180, 1210, 1280, 1440,
    ]
    .into_iter()
    .map(|width| (width, 900))
    .collect();
    for scripts in [true, false] {
        for frame in measure(&root().join("schedule.yaml"), &sizes, scripts, false) {
            let size = frame.size();
            assert!(
                frame.scroll_width <= frame.width,
                "{size}, scripts {scripts}: the page is {} px wide",
                frame.scroll_width
            );
            for header in &frame.add_headers {
                if header.display != "none" && frame.width > 1120.0 {
                    assert!(header.right <= frame.width, "{size}: {header:?}");
                }
            }
        }
    }
}

#[test]
fn without_scripting_the_copy_buttons_stay_hidden_and_the_subscribe_bar_shows() {
    for frame in measure(
        &root().join("schedule.yaml"),
        &[DESKTOP, PHONE],
        false,
        false,
    ) {
        let size = frame.size();
        assert_eq!(frame.copy_buttons.len(), 2, "{size}");
        for button in &frame.copy_buttons {
            assert_eq!(
                button.display, "none",
                "{size}: a copy button that cannot copy"
            );
        }
        assert_eq!(
            frame.card.display, "none",
            "{size}: no card without a clock"
        );
        assert!(frame.on_first_screen(&frame.bar), "{size}: {:?}", frame.bar);
        assert_eq!(
            frame.past_open, None,
            "{size}: every session stays in one table"
        );
        assert_eq!(frame.upcoming_rows, 21, "{size}");
    }
}

/// The contrast ratio of two CSS `rgb()`/`rgba()` colours (WCAG 2).
fn contrast(a: &str, b: &str) -> f64 {
    fn luminance(color: &str) -> f64 {
        let inner = color
            .trim_start_matches("rgba(")
            .trim_start_matches("rgb(")
            .trim_end_matches(')');
        let channels: Vec<f64> = inner
            .split(',')
            .take(3)
            .map(|c| c.trim().parse::<f64>().expect("a channel") / 255.0)
            .map(|c| {
                if c <= 0.03928 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            })
            .collect();
        0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    }
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn light_and_dark_schemes_keep_text_links_and_buttons_readable() {
    let schedule = root().join("tests/fixtures/page/past-and-future.yaml");
    for dark in [false, true] {
        for frame in measure(&schedule, &[DESKTOP, PHONE], true, dark) {
            let size = frame.size();
            assert_eq!(frame.dark, dark, "{size}");
            let background = &frame.body.background;
            let luminous =
                contrast(background, "rgb(0, 0, 0)") > contrast(background, "rgb(255, 255, 255)");
            assert_eq!(
                luminous, !dark,
                "{size}, dark {dark}: background {background}"
            );
            assert!(
                contrast(&frame.body.color, background) >= 7.0,
                "{size}, dark {dark}"
            );
            for link in &frame.links {
                assert!(
                    contrast(&link.color, background) >= 4.5,
                    "{size}, dark {dark}: {link:?}"
                );
            }
            for button in &frame.buttons {
                if button.background != "rgba(0, 0, 0, 0)" {
                    assert!(
                        contrast(&button.color, &button.background) >= 4.5,
                        "{size}, dark {dark}: {button:?}"
                    );
                }
            }
        }
    }
}
