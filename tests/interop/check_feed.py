"""Check what independent iCalendar parsers saw in the feed against the published schedule.

    python tests/interop/check_feed.py --feed FEED.ics --schedule schedule.yaml \
        --page tests/fixtures/published/schedule-page.txt --dump ical.js.json --dump icalendar.json

Each --dump is the JSON printed by dump_ical_js.mjs or dump_icalendar.py for FEED. For every
dump, and for each of the 21 dated sessions of the published page:

- the event (UID `<session id>@<calendar.id>`) is in the dump, and the dump has no other event;
- its start, as the parser computed it through the feed's own VTIMEZONE, is the instant that
  the page's Pacific time names (computed here, independently, with zoneinfo);
- it is STATUS:CANCELLED exactly when it is one of the three cancelled sessions;
- every URL of the session's items (readings, reflection, notes, recording, links) is in its
  description.

Prints a summary line per parser and exits non-zero listing every failure.
"""

import argparse
import json
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

YEAR = 2024
PACIFIC = ZoneInfo("America/Los_Angeles")
DATED_ROWS = 21
# The page rows of the sessions that did not take place ("Guest Talk: TBD", the U.S.
# holiday, "CANCELLED"): (month, day) in Pacific time.
CANCELLED_ROWS = {(3, 19), (5, 27), (6, 17)}
ITEM_FIELDS = ("prepare", "additional", "reflection", "notes", "recording", "links")
MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}

# A dated row of the page starts with its Pacific half, e.g. "APR. 15: 5:00pm PST, ...".
# "PST" on the page means Pacific wall-clock time all year (also in summer).
PAGE_ROW = re.compile(
    r"^(?P<month>[A-Z]{3})\.?\s+(?P<day>\d{1,2}):\s*"
    r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>am|pm)\s+(?P<zone>PST|PDT)\b",
    re.IGNORECASE,
)
# The month and day of the first half of a schedule.yaml time string ("APR. 15: ...").
YAML_HALF = re.compile(r"^\s*(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2})\s*:")


@dataclass
class PageRow:
    line: int
    text: str
    month: int
    day: int
    start_utc: str  # ISO 8601, seconds, Z


@dataclass
class Session:
    id: str
    uid: str
    month: int
    day: int
    cancelled: bool
    urls: list[str]
    duration: timedelta


def month_number(name: str) -> int:
    number = MONTHS.get(name[:3].lower())
    if number is None:
        raise ValueError(f"unknown month {name!r}")
    return number


def utc_string(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def page_rows(path: Path) -> list[PageRow]:
    """The dated rows of the published page with the instant each names."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = PAGE_ROW.match(line.strip())
        if not m:
            continue
        hour = int(m["hour"]) % 12 + (12 if m["ampm"].lower() == "pm" else 0)
        month, day = month_number(m["month"]), int(m["day"])
        local = datetime(YEAR, month, day, hour, int(m["minute"] or 0), tzinfo=PACIFIC)
        rows.append(PageRow(number, line.strip()[:60], month, day, utc_string(local)))
    return rows


def item_urls(value) -> list[str]:
    """The URLs of one item field: a single item or a list of items."""
    items = value if isinstance(value, list) else [value]
    urls = []
    for item in items:
        if isinstance(item, str):
            if item.startswith(("http://", "https://")):
                urls.append(item)
        elif isinstance(item, dict):
            if item.get("url"):
                urls.append(str(item["url"]))
        elif item is not None:
            raise ValueError(f"unexpected item {item!r}")
    return urls


def parse_duration(text) -> timedelta:
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?", str(text).strip())
    if not m or not any(m.groups()):
        raise ValueError(f"unknown duration {text!r}")
    return timedelta(hours=int(m[1] or 0), minutes=int(m[2] or 0))


def first_half_date(time) -> tuple[int, int]:
    """(month, day) of the first (authoritative) half of a session's time."""
    if isinstance(time, list):
        first = time[0]["date"]
        if isinstance(first, str):
            first = date.fromisoformat(first)
        return first.month, first.day
    m = YAML_HALF.match(str(time).split(",")[0])
    if not m:
        raise ValueError(f"cannot read the date of time {time!r}")
    return month_number(m["month"]), int(m["day"])


def is_dated(session: dict) -> bool:
    time = session.get("time")
    return time is not None and not (isinstance(time, str) and time.strip().upper() == "TBD")


def dated_sessions(path: Path) -> tuple[dict, list[Session]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    calendar = document["calendar"]
    default_duration = parse_duration(calendar.get("duration", "1h"))
    sessions = []
    for session in document["sessions"]:
        if not is_dated(session):
            continue
        month, day = first_half_date(session["time"])
        urls = []
        for field in ITEM_FIELDS:
            if session.get(field) is not None:
                urls.extend(item_urls(session[field]))
        duration = session.get("duration")
        sessions.append(
            Session(
                id=session["id"],
                uid=f"{session['id']}@{calendar['id']}",
                month=month,
                day=day,
                cancelled=session.get("status", "scheduled") == "cancelled",
                urls=urls,
                duration=default_duration if duration is None else parse_duration(duration),
            )
        )
    return calendar, sessions


def pair_up(rows: list[PageRow], sessions: list[Session]) -> list[str]:
    """Failures of the page/schedule pairing itself (the ground truth must be sound)."""
    failures = []
    if len(rows) != DATED_ROWS:
        failures.append(f"the page has {len(rows)} dated rows, expected {DATED_ROWS}")
    if len(sessions) != len(rows):
        failures.append(
            f"schedule.yaml has {len(sessions)} dated sessions but the page has {len(rows)} dated rows"
        )
    for row, session in zip(rows, sessions):
        if (row.month, row.day) != (session.month, session.day):
            failures.append(
                f"session {session.id} is on {session.month}/{session.day} but the page row "
                f"it pairs with (line {row.line}) is on {row.month}/{row.day}: {row.text!r}"
            )
    cancelled = {(row.month, row.day) for row, s in zip(rows, sessions) if s.cancelled}
    if cancelled != CANCELLED_ROWS:
        failures.append(
            f"schedule.yaml cancels the sessions of {sorted(cancelled)} (month, day); "
            f"the page's cancelled rows are {sorted(CANCELLED_ROWS)}"
        )
    return failures


def count_raw_events(feed: Path) -> int:
    text = feed.read_bytes().decode("utf-8")
    return sum(1 for line in re.split(r"\r\n|\n", text) if line.rstrip() == "BEGIN:VEVENT")


def check_dump(
    dump: dict, calendar: dict, rows: list[PageRow], sessions: list[Session]
) -> tuple[list[str], str]:
    """(failures, summary line) of one parser's view of the feed."""
    parser = dump.get("parser", "?")
    failures = []

    def fail(message: str) -> None:
        failures.append(f"{parser}: {message}")

    events = dump["events"]
    by_uid = {}
    for event in events:
        if event["uid"] in by_uid:
            fail(f"UID {event['uid']} appears more than once")
        by_uid[event["uid"]] = event
    if len(events) != DATED_ROWS:
        fail(f"the feed has {len(events)} events, expected {DATED_ROWS}")
    expected_uids = {s.uid for s in sessions}
    for uid in sorted(set(by_uid) - expected_uids):
        fail(f"unexpected event {uid}")

    name = dump["calendar"].get("name")
    if name != calendar["name"]:
        fail(f"calendar name is {name!r}, expected {calendar['name']!r}")

    starts = cancelled = urls_found = 0
    for row, session in zip(rows, sessions):
        event = by_uid.get(session.uid)
        if event is None:
            fail(f"no event {session.uid} (page row {row.month}/{row.day})")
            continue
        if event["tzid"] != calendar["timezone"]:
            fail(
                f"{session.uid}: DTSTART has TZID {event['tzid']!r}, expected "
                f"{calendar['timezone']!r} (times must go through the feed's VTIMEZONE)"
            )
        if event["start_utc"] == row.start_utc:
            starts += 1
        else:
            fail(
                f"{session.uid}: starts at {event['start_utc']}, but the page says "
                f"{row.text.split(',')[0]!r} = {row.start_utc}"
            )
        if event["end_utc"] is not None and event["start_utc"] is not None:
            start = datetime.fromisoformat(event["start_utc"].replace("Z", "+00:00"))
            end = utc_string(start + session.duration)
            if event["end_utc"] != end:
                fail(f"{session.uid}: ends at {event['end_utc']}, expected {end}")
        status = (event["status"] or "").upper()
        if session.cancelled:
            if status == "CANCELLED":
                cancelled += 1
            else:
                fail(f"{session.uid}: cancelled on the page but STATUS is {event['status']!r}")
        elif status == "CANCELLED":
            fail(f"{session.uid}: STATUS:CANCELLED but the session takes place")
        description = event["description"] or ""
        for url in session.urls:
            if url in description:
                urls_found += 1
            else:
                fail(f"{session.uid}: URL {url} is not in the description")

    summary = (
        f"{parser}: {len(events)} events, {starts} starts match, "
        f"{cancelled} cancelled, {urls_found} urls found"
    )
    return failures, summary


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--feed", type=Path, required=True, help="the .ics feed the dumps were made from")
    args.add_argument("--schedule", type=Path, required=True, help="schedule.yaml the feed was built from")
    args.add_argument("--page", type=Path, required=True, help="the published schedule page (text)")
    args.add_argument("--dump", type=Path, action="append", required=True, help="a parser's JSON dump")
    options = args.parse_args()

    rows = page_rows(options.page)
    calendar, sessions = dated_sessions(options.schedule)
    failures = pair_up(rows, sessions)

    raw_events = count_raw_events(options.feed)
    if raw_events != DATED_ROWS:
        failures.append(f"{options.feed} has {raw_events} BEGIN:VEVENT lines, expected {DATED_ROWS}")

    total_urls = sum(len(s.urls) for s in sessions)
    print(
        f"page: {len(rows)} dated rows; schedule: {len(sessions)} dated sessions, "
        f"{sum(s.cancelled for s in sessions)} cancelled, {total_urls} urls"
    )
    for path in options.dump:
        dump = json.loads(path.read_text(encoding="utf-8"))
        dump_failures, summary = check_dump(dump, calendar, rows, sessions)
        print(summary)
        failures.extend(dump_failures)

    if failures:
        print(f"\n{len(failures)} failure(s):", file=sys.stderr)
        for failure in failures:
            print(f"  - {failure}", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
