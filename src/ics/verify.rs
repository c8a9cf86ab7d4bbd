//! The round-trip check: a rendered feed is read back with an independent parser (the
//! `icalendar` crate's) and every event's text must come back exactly as it went in.
//! `build` runs it before writing, so a feed that would not parse is never published.

use icalendar::parser;

use crate::event::Event;

/// What differs between the events and the feed read back, if anything.
pub fn roundtrip(ics: &str, events: &[Event]) -> Result<(), String> {
    for (number, physical) in ics.split_inclusive("\r\n").enumerate() {
        if !physical.ends_with("\r\n") {
            return Err(format!("line {} does not end in CRLF", number + 1));
        }
        if physical.len() - 2 > 75 {
            return Err(format!(
                "line {} is {} octets long",
                number + 1,
                physical.len() - 2
            ));
        }
    }
    let unfolded = parser::unfold(ics);
    let calendar =
        parser::read_calendar(&unfolded).map_err(|e| format!("the feed does not parse: {e}"))?;
    let parsed: Vec<&parser::Component> = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    if parsed.len() != events.len() {
        return Err(format!(
            "{} events rendered but {} read back",
            events.len(),
            parsed.len()
        ));
    }
    for (event, component) in events.iter().zip(parsed) {
        let text = |name: &str| {
            component
                .find_prop(name)
                .map(|p| p.val.clone().unescape_text().as_str().to_owned())
        };
        let expected = [
            ("UID", Some(event.uid.clone())),
            ("SUMMARY", Some(event.summary.clone())),
            ("DESCRIPTION", Some(event.description())),
            ("X-ALT-DESC", Some(event.description_html())),
            ("LOCATION", event.location.map(str::to_owned)),
        ];
        for (name, want) in expected {
            let want = want.map(|w| clean(&w));
            let got = text(name);
            if got != want {
                return Err(format!(
                    "{name} of `{}` reads back as {got:?}, not {want:?}",
                    event.uid
                ));
            }
        }
    }
    Ok(())
}

/// What the writer keeps of a text: CRLF becomes LF, other control characters go.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}
