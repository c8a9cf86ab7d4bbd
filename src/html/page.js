
// The page's only script, allowed by its hash. In the reader's browser it shows each
// session in the reader's own time zone, marks past sessions and the next one (the page is
// built without a clock), and makes the copy button work. Without it the page still shows
// every time in the published zones and in UTC.
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

  function all(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
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
  var next = null;
  all("tr[data-start]").forEach(function (row) {
    var start = Date.parse(row.getAttribute("data-start"));
    var end = Date.parse(row.getAttribute("data-end"));
    if (end <= now) {
      row.classList.add("past");
    } else if (!row.classList.contains("cancelled") &&
        (next === null || start < Date.parse(next.getAttribute("data-start")))) {
      next = row;
    }
  });

  var status = document.getElementById("next-session");
  if (next !== null) {
    var started = Date.parse(next.getAttribute("data-start")) <= now;
    next.classList.add("next");
    var badge = document.createElement("strong");
    badge.className = "badge badge-next";
    badge.textContent = started ? "Happening now" : "Next session";
    var header = next.querySelector("th");
    header.insertBefore(document.createTextNode(" "), header.firstChild);
    header.insertBefore(badge, header.firstChild);
    if (status) {
      var link = document.createElement("a");
      link.href = "#" + next.id;
      link.textContent = next.querySelector(".topic").textContent;
      var when = readerTime(new Date(next.getAttribute("data-start")));
      status.textContent = (started ? "Happening now: " : "Next session: ");
      status.appendChild(link);
      status.appendChild(document.createTextNode(", " + when + (zone ? " your time (" + zone + ")" : "")));
    }
  } else if (status && all("tr[data-start]").length > 0) {
    status.textContent = "There are no upcoming sessions.";
  }
  if (status && status.textContent) {
    status.hidden = false;
  }

  var button = document.getElementById("copy-feed");
  var field = document.getElementById("feed-url");
  var said = document.getElementById("copy-status");
  if (button && field && said) {
    var copied = function (ok) {
      said.textContent = ok ? "Copied." : "Select the address and copy it.";
    };
    var fallback = function () {
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
        navigator.clipboard.writeText(field.value).then(function () {
          copied(true);
        }, fallback);
      } else {
        fallback();
      }
    });
  }
})();
