"""How an open preview page learns about a new build: a stream of server-sent events, and the page's script.

``/v1/preview/events`` sends one event per change of the current snapshot (``{"build", "state", "shell"}``, state
``checking``, ``checked`` or ``failed``), the current one as soon as a page connects (so a page that lost the
connection catches up), and a comment every ``KEEPALIVE_SECONDS``. The page's script (``PAGE_SCRIPT``) then:
- for a new build, marks the findings as being checked; when the server has the part of a big spec that this build
  changed (``preview/focus.json``, see ``focus.py``), renders that first, with a note naming the operations; then
  fetches the page's copy of the new spec (``preview/spec.json``) and renders it with Redoc in place (no reload:
  the scroll position stays);
- once that build is checked, fetches its findings (``preview/status.json``) and shows them; findings of any other
  build than the one rendered are never shown as current;
- reloads the page when what lies outside the spec changed (the file names, the Redoc options: ``shell``) or the
  build failed (the server then answers with the findings; that page's own script reloads once fixed).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from generators.artefacts.docs.options import docs_config
from generators.artefacts.docs.page import REDOC_VERSION, Live
from generators.core.settings import Settings

EVENTS = "/v1/preview/events"
STATUS = "/v1/preview/status.json"
KEEPALIVE_SECONDS = 15.0

PAGE_SCRIPT = """(function () {
  "use strict";
  var live = JSON.parse(document.getElementById("atlas-live").textContent);
  var options = JSON.parse(document.getElementById("atlas-redoc-options").textContent);
  var root = document.documentElement;
  var shown = live.build, latest = null, busy = false;
  function banner(summary, findings, more, open, checking) {
    var box = document.getElementById("atlas-findings");
    while (box.firstChild) { box.removeChild(box.firstChild); }
    box.className = "atlas-findings" + (checking ? " atlas-checking" : "");
    box.hidden = !summary;
    if (!summary) { return; }
    var details = document.createElement("details"), head = document.createElement("summary");
    details.open = open;
    head.textContent = summary;
    details.appendChild(head);
    findings.forEach(function (text) {
      var pre = document.createElement("pre");
      pre.className = "finding";
      pre.textContent = text;
      details.appendChild(pre);
    });
    if (more) {
      var rest = document.createElement("p");
      rest.textContent = "\\u2026 and " + more + " more: atlas-spec lint lists them all.";
      details.appendChild(rest);
    }
    box.appendChild(details);
  }
  function checking() {
    var old = Array.prototype.map.call(document.querySelectorAll("#atlas-findings pre.finding"), function (e) {
      return e.textContent;
    });
    banner("Checking this version: validate and lint are running" +
      (old.length ? " (the findings below are those of the version before)" : ""), old, 0, false, true);
    root.removeAttribute("data-atlas-checked");
  }
  function get(url) {
    return fetch(url, {cache: "no-store"}).then(function (response) {
      if (!response.ok) { throw new Error(url + ": " + response.status); }
      return response;
    });
  }
  function overlay() {
    // the first view lies over the whole reference, which stays as it is under it: tearing that down to render a
    // few operations in its place costs Redoc more than rendering them (DigitalOcean: 0.26 s against 0.09 s)
    var box = document.getElementById("atlas-focus");
    if (!box) {
      box = document.createElement("section");
      box.id = "atlas-focus";
      box.setAttribute("aria-label", "What this save changed");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#fff";
      var note = document.createElement("p");
      note.setAttribute("role", "status");
      note.style.cssText = "margin:0;padding:0.6rem 1.25rem;border-bottom:1px solid #bfdbfe;background:#eff6ff;" +
        "font:14px/1.4 system-ui,sans-serif;color:#1e3a8a";
      box.appendChild(note);
      box.appendChild(document.createElement("div"));
      document.body.appendChild(box);
    }
    return box;
  }
  function focus() {
    return fetch(live.focus, {cache: "no-store"}).then(function (response) {
      if (!response.ok) { return null; }
      var build = Number(response.headers.get("X-Atlas-Build"));
      return response.json().then(function (shown) {
        return new Promise(function (done) {
          var box = overlay();
          Redoc.init(shown.spec, options, box.lastChild, function () {
            var names = shown.changed.map(function (op) { return op.join(" "); }).join(", ") || "the introduction";
            box.firstChild.textContent = "This save changed " + names +
              (shown.more ? " and " + shown.more + " more operations" : "") +
              ": shown first, the whole reference follows in a moment.";
            box.hidden = false;
            box.scrollTop = 0;
            root.setAttribute("data-atlas-focus", String(build));
            performance.mark("atlas-focus-" + build);
            window.setTimeout(done, 50);  // painted before the whole reference keeps the page busy
          });
        });
      });
    }).catch(function () { return null; });
  }
  function render() {
    // the scroll position is read before anything changes (reading it after would lay the whole page out again),
    // and the banner changes after the first view is painted, for the same reason
    var y = window.scrollY;
    var first = live.focus ? focus() : Promise.resolve();
    return first.then(function () {
      checking();
      return get(live.spec);
    }).then(function (response) {
      var build = Number(response.headers.get("X-Atlas-Build"));
      return response.json().then(function (spec) {
        return new Promise(function (done) {
          Redoc.init(spec, options, document.getElementById("redoc"), function () {
            var box = document.getElementById("atlas-focus");
            if (box) { box.hidden = true; }
            window.scrollTo(0, y);
            done();
          });
        }).then(function () {
          var info = spec.info || {};
          var title = (typeof info.title === "string" && info.title.trim()) || "API reference";
          var name = document.querySelector(".atlas-links strong");
          document.title = title;
          if (name) { name.textContent = title; }
          shown = build;
          root.setAttribute("data-atlas-build", String(build));
          performance.mark("atlas-build-" + build);
        });
      });
    });
  }
  function findings() {
    return get(live.status).then(function (response) { return response.json(); }).then(function (status) {
      if (status.build !== shown || status.state !== "checked") { return; }
      banner(status.summary, status.findings, status.more, status.open, false);
      root.setAttribute("data-atlas-checked", String(status.build));
    });
  }
  function step(event) {
    if (event.shell !== live.shell || event.state === "failed") {
      location.reload();
      return new Promise(function () {});
    }
    return (event.build !== shown ? render() : Promise.resolve()).then(findings);
  }
  function pump() {
    if (busy || latest === null) { return; }
    var event = latest;
    latest = null;
    busy = true;
    step(event).then(function () {
      busy = false;
      pump();
    }, function () {
      busy = false;
      latest = latest || event;
      window.setTimeout(pump, 1000);
    });
  }
  root.setAttribute("data-atlas-build", String(shown));
  if (live.state === "checked") { root.setAttribute("data-atlas-checked", String(shown)); }
  new EventSource(live.events).onmessage = function (message) {
    latest = JSON.parse(message.data);
    performance.mark("atlas-event-" + latest.build + "-" + latest.state);
    pump();
  };
})();
"""

# The error page (a build that failed) reloads once a build succeeds.
ERROR_SCRIPT = (
    "(function () {\n"
    '  "use strict";\n'
    f'  new EventSource("{EVENTS}").onmessage = function (message) {{\n'
    '    if (JSON.parse(message.data).state !== "failed") { location.reload(); }\n'
    "  };\n"
    "})();\n"
)


def shell(settings: Settings, name: str) -> str:
    """What the page holds besides the spec and the findings (file names, Redoc and its options), as a token."""
    config = docs_config(settings)
    text = json.dumps([name, config.redoc_options, str(config.redoc_js), REDOC_VERSION], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def live_for(settings: Settings, name: str) -> Callable[[int, str], Live]:
    """The page's script and state for build ``build`` of ``name`` in ``state`` (checking or checked)."""
    token = shell(settings, name)

    def live(build: int, state: str) -> Live:
        urls = {
            "events": "preview/events",
            "spec": "preview/spec.json",
            "status": "preview/status.json",
            "focus": "preview/focus.json",
        }
        return Live(PAGE_SCRIPT, {"build": build, "state": state, "shell": token, **urls})

    return live


def event(build: int, state: str, token: str) -> bytes:
    """One server-sent event."""
    return b"data: " + json.dumps({"build": build, "state": state, "shell": token}).encode("ascii") + b"\n\n"
