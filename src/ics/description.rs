//! The two descriptions of an event: plain text (DESCRIPTION) and HTML with clickable links
//! for Outlook (X-ALT-DESC). Built from the event's data; escaping is the page's own.

use crate::event::Event;
use crate::markup::{escape_attribute, escape_text};

/// The plain-text description: every URL on its own line, so Google and Apple make it
/// clickable.
pub fn text(event: &Event) -> String {
    let mut text = String::with_capacity(1024);
    push_text(event, &mut text);
    text
}

/// Appends the plain-text description of `event` to `text`.
pub(crate) fn push_text(event: &Event, text: &mut String) {
    let start = text.len();
    if event.cancelled.is_some() {
        text.push_str("This session is cancelled.\n\n");
    }
    text.push_str(&event.times);
    text.push('\n');
    if let Some(location) = event.location {
        let lead = if event.join_url().is_some() {
            "\nJoin:\n"
        } else {
            "\nWhere: "
        };
        text.extend([lead, location, "\n"]);
    }
    if let Some(presenter) = &event.session.presenter {
        text.extend(["\nPresenter: ", presenter, "\n"]);
    }
    for section in &event.sections {
        text.extend(["\n", section.heading, ":\n"]);
        for item in section.items {
            text.push_str("- ");
            text.push_str(
                item.title
                    .as_deref()
                    .unwrap_or(item.url.as_deref().unwrap_or("")),
            );
            if let Some(note) = &item.note {
                text.extend([" (", note, ")"]);
            }
            text.push('\n');
            if let (Some(url), Some(_)) = (&item.url, &item.title) {
                text.push_str(url);
                text.push('\n');
            }
        }
    }
    let kept = text[start..].trim_end().len();
    text.truncate(start + kept);
}

/// The same description as HTML with clickable links, for Outlook (X-ALT-DESC).
pub fn html(event: &Event) -> String {
    let mut html = String::with_capacity(2048);
    push_html(event, &mut html);
    html
}

/// Appends the HTML description of `event` to `html`.
pub(crate) fn push_html(event: &Event, html: &mut String) {
    html.push_str("<html><body>");
    if event.cancelled.is_some() {
        html.push_str("<p><b>This session is cancelled.</b></p>");
    }
    html.extend(["<p>", &escape_text(&event.times), "</p>"]);
    if let Some(location) = event.location {
        match event.join_url() {
            Some(url) => {
                html.push_str("<p>Join: ");
                push_link(html, url, url);
                html.push_str("</p>");
            }
            None => html.extend(["<p>Where: ", &escape_text(location), "</p>"]),
        }
    }
    if let Some(presenter) = &event.session.presenter {
        html.extend(["<p>Presenter: ", &escape_text(presenter), "</p>"]);
    }
    for section in &event.sections {
        html.extend(["<p><b>", section.heading, "</b></p><ul>"]);
        for item in section.items {
            let title = item.title.as_deref().or(item.url.as_deref()).unwrap_or("");
            html.push_str("<li>");
            match &item.url {
                Some(url) => push_link(html, url, title),
                None => html.push_str(&escape_text(title)),
            }
            if let Some(note) = &item.note {
                html.extend([" (", &escape_text(note), ")"]);
            }
            html.push_str("</li>");
        }
        html.push_str("</ul>");
    }
    html.push_str("</body></html>");
}

/// Both descriptions of an event, built once and shared by the feed's writer and its
/// read-back check. The buffers are reused from event to event.
#[derive(Debug, Default)]
pub(crate) struct Descriptions {
    pub(crate) text: String,
    pub(crate) html: String,
}

impl Descriptions {
    /// Replaces the texts with those of `event`.
    pub(crate) fn of(&mut self, event: &Event) {
        self.text.clear();
        push_text(event, &mut self.text);
        self.html.clear();
        push_html(event, &mut self.html);
    }
}

/// `<a href="url">text</a>`, both escaped.
fn push_link(html: &mut String, url: &str, text: &str) {
    html.extend([
        "<a href=\"",
        &escape_attribute(url),
        "\">",
        &escape_text(text),
        "</a>",
    ]);
}
