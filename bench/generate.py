#!/usr/bin/env python3
"""Writes synthetic schedules for the benchmark, in syllabus-ics's format and in yaml2ics's.

    bench/generate.py [N ...]     (default: 10 1000 10000 100000)

For each N it writes bench/out/sessions-N.yaml (syllabus-ics) and bench/out/yaml2ics-N.yaml
(the same sessions for yaml2ics). Ten 45-minute sessions a day, every 48 minutes from 09:00
Pacific time, every day from 2024-01-01: 100,000 sessions run to 2051 and cross 55 daylight
saving changes. Each time is published in two zones, Pacific (PST or PDT, whichever is in
force that day) and Beijing (BJT, on the next calendar day), both computed with zoneinfo.
Sessions carry readings with links, notes, a reflection and a recording, and one in 50 is
cancelled. The output is a function of N alone. Standard library only.
"""

import datetime as dt
import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

PACIFIC = ZoneInfo("America/Los_Angeles")
BEIJING = ZoneInfo("Asia/Shanghai")
FIRST_DAY = dt.date(2024, 1, 1)
PER_DAY = 10
FIRST_START = dt.time(9, 0)
STEP = dt.timedelta(minutes=48)
DURATION = dt.timedelta(minutes=45)
MEETING = "https://us06web.zoom.us/j/81234567890?pwd=bench"
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()

TOPICS = [
    "Container Basics",
    "Serverless Computing",
    "Para-Virtualization",
    "KVM and QEMU",
    "Security: Isolation, Side Channels & Sandboxes",
    "LibraryOS",
    "Amazon Firecracker",
    "Virtualizing non-CPU Processors (Accelerators)",
]
PRESENTERS = ["Mossaka", "Alex Crichton", "Dongxu (Ed) Huang", "Zoë Lang", "王小明"]
PAPERS = [
    ("Xen and the Art of Virtualization (SOSP'03)", "https://www.cl.cam.ac.uk/research/srg/netos/papers/2003-xensosp.pdf"),
    ("Firecracker: Lightweight Virtualization for Serverless Applications (NSDI'20)", "https://www.usenix.org/system/files/nsdi20-paper-agache.pdf"),
    ("Unikernels: Library Operating Systems for the Cloud", "http://mort.io/publications/pdf/asplos13-unikernels.pdf"),
    ("kvm: the Linux Virtual Machine Monitor", "https://www.kernel.org/doc/ols/2007/ols2007v1-pages-225-230.pdf"),
    ("Pocket: Elastic Ephemeral Storage for Serverless Analytics", "https://www.usenix.org/system/files/osdi18-klimovic.pdf"),
]


def quoted(text):
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def published(local):
    """`JAN. 2: 1:00am BJT`: a half as schedule tables write it."""
    hour = local.hour % 12 or 12
    meridiem = "am" if local.hour < 12 else "pm"
    label = {"Asia/Shanghai": "BJT"}.get(str(local.tzinfo), local.tzname())
    return f"{MONTHS[local.month - 1]}. {local.day}: {hour}:{local.minute:02d}{meridiem} {label}"


def sessions(count):
    """Every session as a dict of plain values, shared by both writers."""
    for index in range(count):
        day, slot = divmod(index, PER_DAY)
        date = FIRST_DAY + dt.timedelta(days=day)
        start = dt.datetime.combine(date, FIRST_START, PACIFIC) + slot * STEP
        # Wall-clock arithmetic within one day: 09:00-17:00 is never in a gap or fold.
        beijing = start.astimezone(BEIJING)
        number = index + 1
        paper = PAPERS[index % len(PAPERS)]
        other = PAPERS[(index + 2) % len(PAPERS)]
        yield {
            "id": f"s{number:06d}",
            "start": start,
            "time": f"{published(start)}, {published(beijing)}",
            "topic": f"{TOPICS[index % len(TOPICS)]} #{number}",
            "presenter": PRESENTERS[index % len(PRESENTERS)],
            "prepare": [(paper[0], paper[1], "mainly sections 2 to 5" if index % 3 == 0 else None)],
            "additional": [
                (other[0], None, None),
                (f"Reading list {number}", f"https://example.org/readings/{number}?a=1&b=2", None),
            ],
            "reflection": ("Paper Reflection", f"https://docs.google.com/document/d/bench-{number}/edit"),
            "notes": [("Slides", f"https://example.org/slides/{number}")],
            "recording": f"https://youtu.be/bench{number:06d}",
            "cancelled": index % 50 == 7,
        }


def ours(count, out):
    out.write(
        "calendar:\n"
        "  id: bench\n"
        f"  name: {quoted(f'Benchmark schedule, {count} sessions')}\n"
        "  description: Synthetic sessions for the benchmark.\n"
        "  timezone: America/Los_Angeles\n"
        f"  year: {FIRST_DAY.year}\n"
        "  duration: 45m\n"
        f"  meeting: {quoted(MEETING)}\n"
        "  zones:\n"
        "    PST: America/Los_Angeles\n"
        "    PDT: America/Los_Angeles\n"
        "    BJT: Asia/Shanghai\n"
        "\n"
        "sessions:\n"
    )
    for s in sessions(count):
        lines = [
            f"  - id: {s['id']}",
            f"    time: {quoted(s['time'])}",
            f"    topic: {quoted(s['topic'])}",
            f"    presenter: {quoted(s['presenter'])}",
            "    prepare:",
        ]
        for title, url, note in s["prepare"]:
            lines.append(f"      - title: {quoted(title)}")
            lines.append(f"        url: {quoted(url)}")
            if note:
                lines.append(f"        note: {quoted(note)}")
        lines.append("    additional:")
        for title, url, _ in s["additional"]:
            if url:
                lines.append(f"      - title: {quoted(title)}")
                lines.append(f"        url: {quoted(url)}")
            else:
                lines.append(f"      - {quoted(title)}")
        title, url = s["reflection"]
        lines += ["    reflection:", f"      title: {quoted(title)}", f"      url: {quoted(url)}"]
        lines.append("    notes:")
        for title, url in s["notes"]:
            lines += [f"      - title: {quoted(title)}", f"        url: {quoted(url)}"]
        lines.append(f"    recording: {quoted(s['recording'])}")
        if s["cancelled"]:
            lines.append("    status: cancelled")
        out.write("\n".join(lines) + "\n")


def description(s):
    """Roughly the text syllabus-ics writes, so both tools carry the same payload."""
    times = " / ".join(
        f"{t:%a %b} {t.day}, {t.hour % 12 or 12}:{t.minute:02d}{'am' if t.hour < 12 else 'pm'} {label}"
        for t, label in ((s["start"], s["start"].tzname()), (s["start"].astimezone(BEIJING), "BJT"))
    )
    parts = [times, f"Join:\n{MEETING}", f"Presenter: {s['presenter']}"]
    sections = [
        ("Prepare", s["prepare"]),
        ("Additional reading", s["additional"]),
        ("Pre-meetup reflection", [(*s["reflection"], None)]),
        ("Notes", [(t, u, None) for t, u in s["notes"]]),
        ("Recording", [(s["recording"], None, None)]),
    ]
    for heading, items in sections:
        lines = [f"{heading}:"]
        for title, url, note in items:
            lines.append(f"- {title}" + (f" ({note})" if note else ""))
            if url:
                lines.append(url)
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def theirs(count, out):
    out.write(
        f"name: {quoted(f'Benchmark schedule, {count} sessions')}\n"
        "timezone: America/Los_Angeles\n"
        "\n"
        "events:\n"
    )
    for s in sessions(count):
        summary = f"Cancelled: {s['topic']}" if s["cancelled"] else s["topic"]
        lines = [
            f"  - summary: {quoted(summary)}",
            f"    uid: {s['id']}@bench",
            f"    begin: {s['start'].strftime('%Y-%m-%d %H:%M:%S')}",
            f"    duration: {{minutes: {DURATION.seconds // 60}}}",
            f"    location: {quoted(MEETING)}",
            f"    url: {quoted(MEETING)}",
            f"    description: {quoted(description(s))}",
        ]
        if s["cancelled"]:
            lines.append("    status: CANCELLED")
        out.write("\n".join(lines) + "\n")


def main(argv):
    counts = [int(arg) for arg in argv] or [10, 1_000, 10_000, 100_000]
    directory = Path(__file__).resolve().parent / "out"
    directory.mkdir(exist_ok=True)
    for count in counts:
        for name, write in (("sessions", ours), ("yaml2ics", theirs)):
            path = directory / f"{name}-{count}.yaml"
            with open(path, "w", encoding="utf-8", newline="\n") as out:
                write(count, out)
            print(f"wrote {path.relative_to(directory.parent.parent)}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
