//! The ways to get the schedule into a calendar: the bar on the first screen (one button per
//! client, the address to copy, the file) and the section below the table that says how
//! each client subscribes and how often it looks for changes.

use super::{Addresses, escape_attribute, links};
use crate::schedule::Schedule;

/// The subscribe bar, under the page's title. Without the feed's public address there is
/// nothing to subscribe to, only the file to import.
pub(super) fn bar(html: &mut String, schedule: &Schedule, addresses: &Addresses) {
    let name = &schedule.calendar.name;
    html.push_str(
        "<section id=\"subscribe-bar\" class=\"bar\" aria-labelledby=\"subscribe-bar-title\">\n\
         <h2 id=\"subscribe-bar-title\">Get every session in your calendar</h2>\n",
    );
    let download = escape_attribute(&addresses.download);
    let Some(feed) = addresses.feed.as_deref() else {
        html.push_str(&format!(
            "<p><a class=\"button\" href=\"{download}\">Download the schedule (.ics)</a> \
             <a href=\"#subscribe\">Why there is no subscription yet</a></p>\n</section>\n"
        ));
        return;
    };
    html.push_str(&format!(
        "<ul class=\"buttons\">\
         <li><a class=\"button\" href=\"{}\">Google Calendar</a></li>\
         <li><a class=\"button\" href=\"{}\">Apple Calendar</a></li>\
         <li><a class=\"button\" href=\"{}\">Outlook.com</a></li>\
         <li><a class=\"button\" href=\"{}\">Outlook for work or school</a></li>\
         <li><button type=\"button\" class=\"copy-address\" hidden>Copy address</button></li>\
         <li><a href=\"{download}\">Download (.ics)</a></li></ul>\n\
         <p class=\"hint\">Google adds a calendar by its address on a computer only, not in \
         its phone app: subscribe once on calendar.google.com and it shows on your phone too. \
         <a href=\"#subscribe\">Every way to subscribe</a></p>\n\
         <p class=\"copy-status\" role=\"status\"></p>\n",
        escape_attribute(&links::google_subscribe(feed)),
        escape_attribute(&links::webcal(feed)),
        escape_attribute(&links::outlook_subscribe("outlook.live.com", feed, name)),
        escape_attribute(&links::outlook_subscribe("outlook.office.com", feed, name)),
    ));
    html.push_str("</section>\n");
}

/// The section under the table: each client's subscription, by button and by hand.
pub(super) fn section(html: &mut String, schedule: &Schedule, addresses: &Addresses) {
    let name = &schedule.calendar.name;
    html.push_str("<section id=\"subscribe\" aria-labelledby=\"subscribe-title\">\n");
    html.push_str("<h2 id=\"subscribe-title\">Subscribe to the calendar</h2>\n");
    let Some(feed) = addresses.feed.as_deref() else {
        html.push_str(&format!(
            "<p>Subscribing needs the calendar\u{2019}s public address, and this page was built \
             without one, so there are no subscribe links yet. Until then, \
             <a href=\"{}\">download the whole schedule (.ics)</a> to import it once; \
             imported events do not update when the schedule changes.</p>\n\
             <p class=\"organizer\">For organizers: build the page with \
             <code>--feed-url</code> set to the address the feed is served from, or use \
             <code>syllabus-ics publish --base-url</code>.</p>\n</section>\n",
            escape_attribute(&addresses.download)
        ));
        return;
    };
    let feed_attr = escape_attribute(feed);
    html.push_str(
        "<p>Subscribe once, and every change to the schedule \u{2014} a moved session, a \
         cancellation, a new reading \u{2014} reaches your calendar by itself.</p>\n",
    );
    html.push_str(&format!(
        "<div class=\"feed\"><label for=\"feed-url\">Calendar address</label>\
         <div class=\"copy\"><input id=\"feed-url\" type=\"url\" readonly value=\"{feed_attr}\">\
         <button type=\"button\" class=\"copy-address\" hidden>Copy address</button></div>\
         <p class=\"copy-status\" role=\"status\"></p></div>\n"
    ));
    html.push_str(&format!(
        "<h3>Google Calendar</h3>\n\
         <p><a class=\"button\" href=\"{}\">Subscribe in Google Calendar</a></p>\n\
         <p>Google Calendar adds a calendar by its address on a computer only: its phone app \
         cannot. Subscribe once on calendar.google.com, and the calendar shows in the phone \
         app too. By hand:</p>\n\
         <ol><li>Next to \u{201c}Other calendars\u{201d}, select <b>+</b>, then <b>From URL</b>.</li>\
         <li>Paste the calendar address above.</li><li>Select <b>Add calendar</b>.</li></ol>\n\
         <p class=\"refresh\">Google picks up changes every few hours, sometimes only after a day.</p>\n",
        escape_attribute(&links::google_subscribe(feed))
    ));
    html.push_str(&format!(
        "<h3>Apple Calendar, and Outlook on the desktop</h3>\n\
         <p><a class=\"button\" href=\"{}\">Subscribe in Apple Calendar or desktop Outlook</a></p>\n\
         <p>On a Mac you can also choose File \u{2192} New Calendar Subscription and paste the \
         address; on an iPhone, Settings \u{2192} Calendar \u{2192} Accounts \u{2192} Add Account \
         \u{2192} Other \u{2192} Add Subscribed Calendar.</p>\n\
         <p class=\"refresh\">Apple Calendar checks as often as the subscription is set to: \
         choose Auto-refresh every hour.</p>\n",
        escape_attribute(&links::webcal(feed))
    ));
    html.push_str(&format!(
        "<h3>Outlook on the web</h3>\n\
         <p><a class=\"button\" href=\"{}\">Subscribe in Outlook.com</a> \
         <a class=\"button\" href=\"{}\">Subscribe in Outlook for work or school (Microsoft 365)</a></p>\n\
         <p>Or by hand: Add calendar \u{2192} Subscribe from web \u{2192} paste the address.</p>\n\
         <p class=\"refresh\">Outlook picks up changes every few hours.</p>\n",
        escape_attribute(&links::outlook_subscribe("outlook.live.com", feed, name)),
        escape_attribute(&links::outlook_subscribe("outlook.office.com", feed, name)),
    ));
    html.push_str(&format!(
        "<h3>Just the file</h3>\n\
         <p><a href=\"{}\">Download the whole schedule (.ics)</a> to import it once. Imported \
         events do not update when the schedule changes; each session\u{2019}s own file is in \
         the table\u{2019}s \u{201c}Add to calendar\u{201d} column.</p>\n</section>\n",
        escape_attribute(&addresses.download)
    ));
}
