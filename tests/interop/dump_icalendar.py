"""Parse an iCalendar feed with the Python `icalendar` package and print what it sees as JSON.

    python tests/interop/dump_icalendar.py FEED.ics > dump.json

Output: {"parser": "icalendar", "calendar": {...}, "events": [{uid, summary, status,
start_utc, end_utc, description, location, url, transp, tzid}]}.

Every local time is converted to UTC through the VTIMEZONE components of the feed itself:
each VTIMEZONE becomes a tzinfo with `Timezone.to_tz(lookup_tzid=False)` (built from the
component's observances, never looked up in a time zone database), and the wall-clock
DTSTART/DTEND of an event is localized with the one its TZID names. An event whose TZID has
no VTIMEZONE in the file is an error (exit status 1).
"""

import json
import sys
from datetime import date, datetime, timezone, tzinfo

import icalendar


def fail(message: str) -> None:
    sys.exit(f"dump_icalendar: {message}")


def feed_timezones(calendar: icalendar.Calendar) -> dict[str, tzinfo]:
    """TZID -> tzinfo built from the feed's own VTIMEZONE definition."""
    zones = {}
    for component in calendar.walk("VTIMEZONE"):
        tzid = str(component.get("TZID", "")).strip()
        if not tzid:
            fail("a VTIMEZONE has no TZID")
        zones[tzid] = component.to_tz(lookup_tzid=False)
    return zones


def utc_string(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def instant(event, name: str, zones: dict[str, tzinfo], uid) -> str | None:
    """The UTC instant of DTSTART/DTEND, resolved through the feed's VTIMEZONEs."""
    prop = event.get(name)
    if prop is None:
        return None
    what = f"event {uid}: {name}"
    value = prop.dt
    if not isinstance(value, datetime):
        kind = "date" if isinstance(value, date) else type(value).__name__
        fail(f"{what} is a {kind}, not a date-time")
    tzid = prop.params.get("TZID")
    if tzid is not None:
        zone = zones.get(str(tzid))
        if zone is None:
            fail(f"{what} has TZID={tzid} but the feed has no VTIMEZONE with that TZID")
        # The parser may already have attached a tzinfo of its own choosing; keep only the
        # wall-clock time written in the file and place it with the feed's definition.
        return utc_string(value.replace(tzinfo=None).replace(tzinfo=zone))
    if value.tzinfo is None or value.utcoffset() is None:
        fail(f"{what} is a floating time (neither UTC nor TZID): it names no instant")
    if value.utcoffset().total_seconds() != 0:
        fail(f"{what} has an offset but no TZID")
    return utc_string(value)


def text(component, name: str) -> str | None:
    value = component.get(name)
    if value is None:
        return None
    if isinstance(value, list):
        fail(f"{name} appears {len(value)} times in one component")
    return str(value) if isinstance(value, str) else value.to_ical().decode("utf-8")


def calendar_property(calendar, *names: str) -> str | None:
    for name in names:
        value = text(calendar, name)
        if value is not None:
            return value
    return None


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        fail("usage: dump_icalendar.py FEED.ics")
    path = argv[1]
    try:
        with open(path, "rb") as f:
            calendar = icalendar.Calendar.from_ical(f.read())
    except (OSError, ValueError) as error:
        fail(f"{path}: {error}")
    if calendar.name != "VCALENDAR":
        fail(f"{path}: the top-level component is {calendar.name}, not VCALENDAR")
    if calendar.errors:
        fail(f"{path}: parse errors: {calendar.errors}")

    zones = feed_timezones(calendar)
    events = []
    for event in calendar.walk("VEVENT"):
        if event.errors:
            fail(f"{path}: parse errors in an event: {event.errors}")
        uid = text(event, "UID")
        start = event.get("DTSTART")
        tzid = start.params.get("TZID") if start is not None else None
        events.append(
            {
                "uid": uid,
                "summary": text(event, "SUMMARY"),
                "status": text(event, "STATUS"),
                "start_utc": instant(event, "DTSTART", zones, uid),
                "end_utc": instant(event, "DTEND", zones, uid),
                "tzid": None if tzid is None else str(tzid),
                "description": text(event, "DESCRIPTION"),
                "location": text(event, "LOCATION"),
                "url": text(event, "URL"),
                "transp": text(event, "TRANSP"),
            }
        )

    dump = {
        "parser": "icalendar",
        "calendar": {
            "prodid": calendar_property(calendar, "PRODID"),
            "version": calendar_property(calendar, "VERSION"),
            "method": calendar_property(calendar, "METHOD"),
            "name": calendar_property(calendar, "NAME", "X-WR-CALNAME"),
            "x_wr_calname": calendar_property(calendar, "X-WR-CALNAME"),
            "description": calendar_property(calendar, "DESCRIPTION", "X-WR-CALDESC"),
            "url": calendar_property(calendar, "URL"),
            "source": calendar_property(calendar, "SOURCE"),
            "refresh_interval": calendar_property(calendar, "REFRESH-INTERVAL"),
            "x_published_ttl": calendar_property(calendar, "X-PUBLISHED-TTL"),
            "x_wr_timezone": calendar_property(calendar, "X-WR-TIMEZONE"),
            "timezones": list(zones),
        },
        "events": events,
    }
    json.dump(dump, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
