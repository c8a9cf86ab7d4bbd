// Parse an iCalendar feed with ical.js and print what it sees as JSON.
//
//   node tests/interop/dump_ical_js.mjs FEED.ics > dump.json
//
// Output: {"parser": "ical.js", "calendar": {...}, "events": [{uid, summary, status,
// start_utc, end_utc, description, location, url, transp, tzid}]}.
//
// Every local time is converted to UTC through the VTIMEZONE components of the feed
// itself (ical.js ships no time zone database); an event whose TZID has no VTIMEZONE
// in the file is an error (exit status 1).

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function fail(message) {
  process.stderr.write(`dump_ical_js: ${message}\n`);
  process.exit(1);
}

// "2024-04-16T00:00:00Z" (seconds precision) for an ICAL.Time, through its zone.
function utcString(time, what) {
  const utc = time.convertToZone(ICAL.Timezone.utcTimezone);
  const viaUnix = new Date(time.toUnixTime() * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const viaZone = utc.toString();
  if (viaUnix !== viaZone) {
    fail(`${what}: toUnixTime() gives ${viaUnix} but convertToZone(UTC) gives ${viaZone}`);
  }
  return viaZone;
}

// The UTC instant of a DTSTART/DTEND property, resolved through the feed's VTIMEZONEs.
function instant(event, name, zones, uid) {
  const prop = event.getFirstProperty(name);
  if (!prop) {
    return null;
  }
  const what = `event ${uid}: ${name.toUpperCase()}`;
  if (prop.type !== "date-time") {
    fail(`${what} is a ${prop.type}, not a date-time`);
  }
  const time = prop.getFirstValue();
  const tzid = prop.getParameter("tzid");
  if (tzid) {
    const zone = zones.get(tzid);
    if (!zone) {
      fail(`${what} has TZID=${tzid} but the feed has no VTIMEZONE with that TZID`);
    }
    // Make sure the value is bound to the feed's own definition, not to anything else.
    if (time.zone !== zone && !(time.zone && time.zone.component === zone.component)) {
      fail(`${what} is not bound to the feed's VTIMEZONE ${tzid}`);
    }
    return utcString(time, what);
  }
  if (time.zone !== ICAL.Timezone.utcTimezone) {
    fail(`${what} is a floating time (neither UTC nor TZID): it names no instant`);
  }
  return utcString(time, what);
}

function text(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null || value === undefined ? null : String(value);
}

// A calendar property's value as a string (TEXT unescaped), or null.
function calendarProperty(calendar, ...names) {
  for (const name of names) {
    const prop = calendar.getFirstProperty(name);
    if (prop) {
      return String(prop.getFirstValue());
    }
  }
  return null;
}

function main() {
  const path = process.argv[2];
  if (!path || process.argv.length !== 3) {
    fail("usage: node dump_ical_js.mjs FEED.ics");
  }
  let calendar;
  try {
    calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  } catch (error) {
    fail(`${path}: ${error.message}`);
  }
  if (calendar.name !== "vcalendar") {
    fail(`${path}: the top-level component is ${calendar.name}, not VCALENDAR`);
  }

  // Register every VTIMEZONE of the feed before any event time is read.
  const zones = new Map();
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    const zone = new ICAL.Timezone(vtimezone);
    if (!zone.tzid) {
      fail(`${path}: a VTIMEZONE has no TZID`);
    }
    ICAL.TimezoneService.register(zone);
    zones.set(zone.tzid, zone);
  }

  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const uid = text(vevent, "uid");
    const start = vevent.getFirstProperty("dtstart");
    return {
      uid,
      summary: text(vevent, "summary"),
      status: text(vevent, "status"),
      start_utc: instant(vevent, "dtstart", zones, uid),
      end_utc: instant(vevent, "dtend", zones, uid),
      tzid: start ? start.getParameter("tzid") ?? null : null,
      description: text(vevent, "description"),
      location: text(vevent, "location"),
      url: text(vevent, "url"),
      transp: text(vevent, "transp"),
    };
  });

  const dump = {
    parser: `ical.js`,
    calendar: {
      prodid: calendarProperty(calendar, "prodid"),
      version: calendarProperty(calendar, "version"),
      method: calendarProperty(calendar, "method"),
      name: calendarProperty(calendar, "name", "x-wr-calname"),
      x_wr_calname: calendarProperty(calendar, "x-wr-calname"),
      description: calendarProperty(calendar, "description", "x-wr-caldesc"),
      url: calendarProperty(calendar, "url"),
      source: calendarProperty(calendar, "source"),
      refresh_interval: calendarProperty(calendar, "refresh-interval"),
      x_published_ttl: calendarProperty(calendar, "x-published-ttl"),
      x_wr_timezone: calendarProperty(calendar, "x-wr-timezone"),
      timezones: [...zones.keys()],
    },
    events,
  };
  process.stdout.write(JSON.stringify(dump, null, 2) + "\n");
}

main();
