// The page's only script, allowed by its hash. In the reader's browser it shows each
// session in the reader's own time zone, builds the next-session card from that session's
// row, folds past sessions away (the page is built without a clock), and makes the copy
// buttons work. Without it the page still shows every time in the published zones and in
// UTC, every session in one table, and every way to subscribe.
(function () {
  "use strict";

  var zone = "";
  try {
    zone = new Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    zone = "";
  }
  var options = {
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    hour12: true
  };
  if (zone) {
    options.timeZone = zone;
  }
  var format = new Intl.DateTimeFormat("en-US", options);

  // "Tue Apr 16, 2:00am": the style of the published times, whatever the browser's language.
  function readerTime(date) {
    var part = {};
    format.formatToParts(date).forEach(function (p) {
      part[p.type] = p.value;
    });
    return part.weekday + " " + part.month + " " + part.day + ", " + part.hour + ":" +
      part.minute + String(part.dayPeriod || "").toLowerCase();
  }

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function element(name, className, text) {
    var made = document.createElement(name);
    if (className) {
      made.className = className;
    }
    if (text) {
      made.textContent = text;
    }
    return made;
  }

  var yourTime = zone ? "Your time (" + zone + ")" : "Your time";
  var heading = document.getElementById("reader-zone");
  if (heading) {
    heading.textContent = yourTime;
  }
  all("td.reader").forEach(function (cell) {
    cell.setAttribute("data-label", yourTime);
  });
  all("time.reader").forEach(function (time) {
    var date = new Date(time.getAttribute("datetime"));
    if (!isNaN(date.getTime())) {
      time.textContent = readerTime(date);
    }
  });

  var now = Date.now();
  var start = function (row) {
    return Date.parse(row.getAttribute("data-start"));
  };
  var next = null;
  var last = null;
  var past = [];
  all("tr[data-start]").forEach(function (row) {
    if (Date.parse(row.getAttribute("data-end")) <= now) {
      row.classList.add("past");
      past.push(row);
      if (!row.classList.contains("cancelled") && (last === null || start(row) > start(last))) {
        last = row;
      }
    } else if (!row.classList.contains("cancelled") && (next === null || start(row) < start(next))) {
      next = row;
    }
  });

  // The card: the session's topic, its time for the reader and as published, who presents,
  // what to prepare, and how to join, all taken from its row.
  function card(row, title, lines) {
    var section = document.getElementById("next");
    var body = document.getElementById("next-body");
    if (!section || !body) {
      return;
    }
    document.getElementById("next-title").textContent = title;
    var topic = element("p", "card-topic");
    var link = element("a", "", row.querySelector(".topic").textContent);
    link.href = "#" + row.id;
    topic.appendChild(link);
    body.appendChild(topic);
    var when = element("p", "card-when", readerTime(new Date(start(row))) +
      (zone ? " your time (" + zone + ")" : " your time"));
    body.appendChild(when);
    var published = all("td.time:not(.reader)", row).map(function (cell) {
      return cell.textContent;
    });
    body.appendChild(element("p", "card-published", published.join(" / ")));
    var presenter = row.querySelector("td.presenter");
    if (presenter && presenter.textContent) {
      body.appendChild(element("p", "card-presenter", "Presented by " + presenter.textContent));
    }
    lines.forEach(function (selector) {
      var group = row.querySelector(selector);
      if (group) {
        body.appendChild(group.cloneNode(true));
      }
    });
    section.hidden = false;
    return body;
  }

  function actions(row, body) {
    var bar = element("p", "card-actions");
    // A session with a place of its own is not joined at the calendar's meeting.
    var where = row.querySelector(".where");
    var join = row.querySelector("a.join") || (where ? null : document.getElementById("meeting"));
    if (where) {
      body.appendChild(element("p", "card-where", where.textContent));
    }
    if (join) {
      var button = element("a", "button", "Join");
      button.href = join.href;
      bar.appendChild(button);
    }
    all("td.add a", row).forEach(function (add) {
      var copy = add.cloneNode(true);
      copy.className = "button secondary";
      bar.appendChild(copy);
    });
    body.appendChild(bar);
  }

  if (next !== null) {
    var started = start(next) <= now;
    next.classList.add("next");
    var badge = element("strong", "badge badge-next", started ? "Happening now" : "Next session");
    var header = next.querySelector("th");
    header.insertBefore(document.createTextNode(" "), header.firstChild);
    header.insertBefore(badge, header.firstChild);
    var body = card(next, started ? "Happening now" : "Next session", [".group.prepare"]);
    if (body) {
      actions(next, body);
    }
  } else if (last !== null) {
    var lastBody = card(last, "No sessions ahead", [".group.recording", ".group.notes"]);
    if (lastBody) {
      lastBody.insertBefore(element("p", "card-lead", "The last session was:"), lastBody.firstChild);
    }
  }

  // Past sessions fold into their own table, one click away; open when nothing is ahead.
  var table = document.querySelector("#schedule table");
  if (table && past.length > 0) {
    var details = element("details");
    details.id = "past";
    details.appendChild(element("summary", "", "Past sessions (" + past.length +
      "): notes and recordings"));
    var folded = table.cloneNode(false);
    if (table.tHead) {
      var head = table.tHead.cloneNode(true);
      all("[id]", head).forEach(function (cell) {
        cell.removeAttribute("id");
      });
      folded.appendChild(head);
    }
    var rows = element("tbody");
    rows.setAttribute("role", "rowgroup");
    past.forEach(function (row) {
      rows.appendChild(row);
    });
    folded.appendChild(rows);
    details.appendChild(folded);
    details.open = next === null;
    table.parentNode.insertBefore(details, table);
    if (table.querySelectorAll("tbody tr").length === 0) {
      table.hidden = true;
    }
  }

  // Copy buttons: shown only here, since without a script they could do nothing.
  var field = document.getElementById("feed-url");
  var address = field ? field.value : "";
  all("button.copy-address").forEach(function (button) {
    var said = button.closest("section").querySelector(".copy-status");
    var copied = function (ok) {
      if (said) {
        said.textContent = ok ? "Copied." : "Select the address and copy it: " + address;
      }
    };
    var fallback = function () {
      if (!field) {
        copied(false);
        return;
      }
      field.select();
      try {
        copied(document.execCommand("copy"));
      } catch (error) {
        copied(false);
      }
    };
    button.hidden = false;
    button.addEventListener("click", function () {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(address).then(function () {
          copied(true);
        }, fallback);
      } else {
        fallback();
      }
    });
  });
})();
