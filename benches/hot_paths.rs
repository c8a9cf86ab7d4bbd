//! The hot paths of `build`, on the bundled schedule and on a generated 10,000-session one:
//! load and check, VTIMEZONE generation, event derivation and rendering, the read-back
//! check of a whole feed, and rendering with each event read back as it is written (what
//! `build` runs). `cargo bench --bench hot_paths`; `bench/run` times the whole binary
//! instead.
//!
//! The 10,000-session schedule is generated here, in the shape `bench/generate.py` writes:
//! ten 45-minute sessions a day from 2024-01-01, each published in Pacific time (PST or PDT,
//! whichever is in force) and Beijing time, with readings, notes and links, and one in 50
//! cancelled.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::America::Los_Angeles;
use chrono_tz::Asia::Shanghai;
use criterion::{Criterion, criterion_group, criterion_main};
use syllabus_ics::schedule::Schedule;
use syllabus_ics::source::SourceFile;
use syllabus_ics::{event, ics};

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// `JAN. 2: 1:00am BJT`
fn published<Z: TimeZone>(at: &DateTime<Z>, label: &str) -> String
where
    Z::Offset: std::fmt::Display,
{
    use chrono::{Datelike, Timelike};
    let (pm, hour) = at.hour12();
    format!(
        "{}. {}: {hour}:{:02}{} {label}",
        MONTHS[at.month0() as usize],
        at.day(),
        at.minute(),
        if pm { "pm" } else { "am" }
    )
}

/// A schedule of `count` sessions in syllabus-ics's format.
fn generated(count: usize) -> String {
    let mut yaml = String::from(
        "calendar:\n  id: bench\n  name: Benchmark schedule\n  timezone: America/Los_Angeles\n  year: 2024\n  duration: 45m\n  meeting: \"https://us06web.zoom.us/j/81234567890?pwd=bench\"\n  zones:\n    PST: America/Los_Angeles\n    PDT: America/Los_Angeles\n    BJT: Asia/Shanghai\n\nsessions:\n",
    );
    let first = NaiveDate::from_ymd_opt(2024, 1, 1).expect("a valid date");
    for index in 0..count {
        let number = index + 1;
        let day = first + TimeDelta::days((index / 10) as i64);
        let civil =
            day.and_time(NaiveTime::MIN) + TimeDelta::minutes(9 * 60 + 48 * (index % 10) as i64);
        // 09:00 to 16:12 is never in a gap or a fold in Los Angeles.
        let start = Los_Angeles
            .from_local_datetime(&civil)
            .single()
            .expect("daytime in Los Angeles is unambiguous");
        let pacific = published(&start, &start.format("%Z").to_string());
        let beijing = published(&start.with_timezone(&Shanghai), "BJT");
        let _ = write!(
            yaml,
            "  - id: s{number:06}\n    time: \"{pacific}, {beijing}\"\n    topic: \"Virtualization #{number}\"\n    presenter: Mossaka\n    prepare:\n      - title: \"Xen and the Art of Virtualization (SOSP'03)\"\n        url: \"https://www.cl.cam.ac.uk/research/srg/netos/papers/2003-xensosp.pdf\"\n        note: mainly sections 2 to 5\n    additional:\n      - \"Unikernels: Library Operating Systems for the Cloud\"\n      - title: \"Reading list {number}\"\n        url: \"https://example.org/readings/{number}?a=1&b=2\"\n    reflection:\n      title: Paper Reflection\n      url: \"https://docs.google.com/document/d/bench-{number}/edit\"\n    notes:\n      - title: Slides\n        url: \"https://example.org/slides/{number}\"\n    recording: \"https://youtu.be/bench{number:06}\"\n"
        );
        if index % 50 == 7 {
            yaml.push_str("    status: cancelled\n");
        }
    }
    yaml
}

fn checked(source: &SourceFile) -> Schedule {
    let checked = syllabus_ics::check(source);
    assert!(
        checked.diagnostics.is_empty(),
        "{}: {:?}",
        source.name,
        checked.diagnostics
    );
    checked.schedule.expect("the schedule has no errors")
}

fn stamp() -> DateTime<Utc> {
    DateTime::UNIX_EPOCH
}

fn hot_paths(c: &mut Criterion) {
    let bundled = SourceFile::new(
        "schedule.yaml",
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schedule.yaml"))
            .expect("the bundled schedule is readable"),
    );
    let large = SourceFile::new("sessions-10000.yaml", generated(10_000));

    for (name, source, samples) in [("bundled", &bundled, 100), ("10000 sessions", &large, 10)] {
        let mut group = c.benchmark_group(name);
        group.sample_size(samples);
        if samples < 100 {
            group.measurement_time(Duration::from_secs(10));
        }
        group.bench_function("load + check", |b| {
            b.iter(|| syllabus_ics::check(black_box(source)))
        });
        let schedule = checked(source);
        group.bench_function("events + render", |b| {
            b.iter(|| {
                let events = event::events(black_box(&schedule));
                ics::render(&schedule, &events, stamp())
            })
        });
        let events = event::events(&schedule);
        let feed = ics::render(&schedule, &events, stamp());
        group.bench_function("read back", |b| {
            b.iter(|| ics::verify::roundtrip(black_box(&feed), &events))
        });
        let revisions = ics::Revisions::first(stamp());
        group.bench_function("render, reading back as written (build)", |b| {
            b.iter(|| {
                ics::render_verified(
                    black_box(&schedule),
                    &events,
                    &revisions,
                    ics::Layout::feed(&schedule),
                )
            })
        });
        group.finish();
    }

    let mut group = c.benchmark_group("VTIMEZONE");
    let utc = |y, m, d| {
        NaiveDate::from_ymd_opt(y, m, d)
            .expect("a valid date")
            .and_time(NaiveTime::MIN)
            .and_utc()
    };
    for (name, tz, from, to) in [
        (
            "Los_Angeles, 5 months",
            Los_Angeles,
            utc(2024, 4, 15),
            utc(2024, 9, 10),
        ),
        (
            "Los_Angeles, 28 years",
            Los_Angeles,
            utc(2024, 1, 1),
            utc(2051, 5, 19),
        ),
        (
            "Shanghai, 28 years",
            Shanghai,
            utc(2024, 1, 1),
            utc(2051, 5, 19),
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| ics::vtimezone_lines(black_box(tz), from, to))
        });
    }
    group.finish();
}

criterion_group!(benches, hot_paths);
criterion_main!(benches);
