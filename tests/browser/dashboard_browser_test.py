#!/usr/bin/python3
"""The dashboard in a real browser (issue 15, item 6): Debian's headless
Chromium, driven over the DevTools protocol (a small CDP client on
python3-websocket), signs in with tokens made by assessctl, loads every
page of a sample cycle, reads the rendered DOM and checks its figures
(cases per state and unit, tiers per unit, a case's total) against the
admin API as the gateway serves it (/v1/), and saves 1280x800
screenshots. An employee's browser that could read another person's case
fails the test.

usage: dashboard_browser_test.py BUILD_DIR ARTIFACT_DIR
(BUILD_DIR holds engine/, workers/ and tools/; screenshots go to ARTIFACT_DIR)."""
import base64
import itertools
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # Debian's python3-websocket (websocket-client)

build = pathlib.Path(sys.argv[1])
artifacts = pathlib.Path(sys.argv[2])
artifacts.mkdir(parents=True, exist_ok=True)
root = pathlib.Path(tempfile.mkdtemp(prefix="assessflow-browser-"))
data = root / "data"
children = []
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def start(args, log):
    p = subprocess.Popen([str(a) for a in args], stdout=subprocess.DEVNULL,
                         stderr=open(root / log, "wb"))
    children.append(p)
    return p


def step(what):
    print("...  " + what, flush=True)


def run(args):
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True).stdout


def wait_for(what, predicate, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise RuntimeError("timed out waiting for " + what)


def logged(log, pattern):
    text = (root / log).read_text(errors="replace") if (root / log).exists() else ""
    m = re.search(pattern, text)
    return m.group(1) if m else None


class Browser:
    """One headless Chromium and a CDP connection to it (flat sessions)."""

    def __init__(self):
        self.profile = root / "chromium-profile"
        self.proc = start(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                           "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
                           "--window-size=1280,800", "--no-first-run", "about:blank"],
                          "chromium.log")
        url = wait_for("chromium's DevTools endpoint",
                       lambda: logged("chromium.log", r"DevTools listening on (ws://\S+)"))
        self.ws = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events = []

    def call(self, method, params=None, session=None):
        msg_id = next(self.ids)
        msg = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method, session, seconds=30):
        deadline = time.time() + seconds
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get("method") == method and e.get("sessionId") == session:
                    del self.events[i]
                    return e
            self.ws.settimeout(max(0.1, deadline - time.time()))
            self.events.append(json.loads(self.ws.recv()))
        raise RuntimeError("timed out waiting for " + method)

    def page(self):
        """A tab in a fresh browser context: its own cookies."""
        context = self.call("Target.createBrowserContext")["browserContextId"]
        target = self.call("Target.createTarget",
                           {"url": "about:blank", "browserContextId": context})["targetId"]
        session = self.call("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=session)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
                  session=session)
        return session

    def goto(self, session, url):
        self.events = [e for e in self.events if e.get("sessionId") != session]
        self.call("Page.navigate", {"url": url}, session=session)
        self.wait_event("Page.loadEventFired", session)

    def value(self, session, expression):
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                      session=session)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def submit(self, session, expression):
        """Runs `expression`, which submits a form, and waits for the next page."""
        self.events = [e for e in self.events if e.get("sessionId") != session]
        self.value(session, expression)
        self.wait_event("Page.loadEventFired", session)

    def screenshot(self, session, name):
        png = self.call("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
        (artifacts / name).write_bytes(base64.b64decode(png))
        print(f"     screenshot {artifacts / name}")


def api(port, token, path):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                 headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def sign_in(browser, session, base, token):
    browser.goto(session, base + "/login?lang=en")
    browser.submit(session, "document.querySelector('input[name=token]').value = "
                   + json.dumps(token) + "; document.querySelector('form').submit()")


def main():
    step("a sample organisation, its sales and a cycle driven to final")
    run([build / "tools/assess-sample", "--out", root / "sample", "--managers", "12",
         "--inquiries-per-quarter", "50"])
    start([build / "engine/assess-engine", "--data", data, "--schedule", "off", "--sync",
           "normal"], "engine.log")
    wait_for("the engine", lambda: logged("engine.log", r"(started:)"))
    ctl = [build / "tools/assessctl", "--data", data]
    start([build / "workers/assess-worker-scoring", "--data", data], "scoring.log")
    start([build / "workers/assess-worker-notify", "--data", data], "notify.log")
    run(ctl + ["org", "import", root / "sample/org.csv"])
    run([build / "tools/assess-feed", "--data", data, "--quiet", root / "sample/events.jsonl"])
    done = json.loads(run(ctl + ["--json", "cycle", "start", "--program", "competency50",
                                 "--period", "2026-Q3"]))["cycle"]
    run([build / "tools/assess-drive", "--data", data, "--cycle", done, "--reviews",
         root / "sample/reviews.jsonl", "--hr", "H0001", "--quiet", "--no-print"])
    step("a second cycle, just opened; tokens for HR and E1001; the gateway")
    fresh = json.loads(run(ctl + ["--json", "cycle", "start", "--program", "competency50",
                                  "--period", "2026-Q4"]))["cycle"]
    hr = json.loads(run(ctl + ["--json", "principals", "add", "hr-web", "--person", "H0001",
                               "--token"]))["token"]
    e1001 = json.loads(run(ctl + ["--json", "principals", "add", "e1001-web", "--person",
                                  "E1001", "--token"]))["token"]
    start([build / "tools/assess-gateway", "--data", data, "--listen", "127.0.0.1:0"],
          "gateway.log")
    port = wait_for("the gateway", lambda: logged("gateway.log", r"listening on http://127\.0\.0\.1:(\d+)"))
    base = f"http://127.0.0.1:{port}"

    step("headless Chromium")
    browser = Browser()
    tab = browser.page()
    sign_in(browser, tab, base, hr)
    check(browser.value(tab, "location.pathname") == "/", "HR signs in and lands on the cycles")
    browser.call("Network.enable", session=tab)
    cookies = browser.call("Network.getCookies", {"urls": [base]}, session=tab)["cookies"]
    session_cookie = [c for c in cookies if c["name"] == "af_token"]
    check(len(session_cookie) == 1 and session_cookie[0]["httpOnly"]
          and session_cookie[0]["sameSite"] == "Strict", "the token cookie is HttpOnly, SameSite=Strict")
    check(browser.value(tab, "document.cookie") == "", "page scripts cannot read the token")
    browser.screenshot(tab, "cycles.png")
    for c in api(port, hr, "/v1/cycles")["cycles"]:
        shown = browser.value(tab, f"""[...document.querySelectorAll('tr[data-cycle="{c["id"]}"] td[data-field]')]
            .map(td => td.dataset.field + '=' + td.textContent).join(' ')""")
        check(shown == f"cases={c['cases']} finished={c['finished']}",
              f"cycle {c['id']}: {shown} as the API says")

    for cycle in (done, fresh):
        browser.goto(tab, f"{base}/cycles/{cycle}?lang=en")
        browser.screenshot(tab, f"cycle-{cycle}.png")
        cases = api(port, hr, f"/v1/cases?cycle={cycle}")["cases"]
        expected = {}
        for c in cases:
            key = f"{c['unit']}|{c['state']}"
            expected[key] = expected.get(key, 0) + 1
        shown = browser.value(tab, """Object.fromEntries([...document.querySelectorAll(
            '#by-unit-state td[data-state]')].filter(td => td.textContent !== '0')
            .map(td => [td.dataset.unit + '|' + td.dataset.state, Number(td.textContent)]))""")
        check(shown == expected, f"cycle {cycle}: cases per unit and state as the API lists them")
        check(browser.value(tab, "document.querySelectorAll('#cases tr[data-case]').length")
              == len(cases), f"cycle {cycle}: all {len(cases)} cases listed")
        report = api(port, hr, f"/v1/report?cycle={cycle}")
        want = {f"{u['unit']}|{t.split()[1]}": n for u in report["units"]
                for t, n in u["tiers"].items() if n}
        got = browser.value(tab, """Object.fromEntries([...document.querySelectorAll(
            '#tiers td[data-tier]')].filter(td => td.textContent !== '0')
            .map(td => [td.dataset.unit + '|' + td.dataset.tier, Number(td.textContent)]))""")
        check(got == want, f"cycle {cycle}: tiers per unit as the report says ({sum(want.values())} cases)")

    some = api(port, hr, f"/v1/cases?cycle={done}&limit=1")["cases"][0]["id"]
    shown_case = api(port, hr, f"/v1/cases/{some}")
    browser.goto(tab, f"{base}/cases/{some}?lang=en")
    browser.screenshot(tab, f"case-{some}.png")
    check(browser.value(tab, "document.getElementById('total').textContent")
          == f"{shown_case['total']:.2f}", f"case {some}: total {shown_case['total']:.2f}")
    check(browser.value(tab, "document.querySelectorAll('#radar svg').length") == 1,
          f"case {some}: the radar chart is drawn")
    check(browser.value(tab, "document.querySelectorAll('#items tr[data-item]').length")
          == len(shown_case["items"]), f"case {some}: every item listed")
    browser.goto(tab, f"{base}/cases/{some}")
    browser.screenshot(tab, f"case-{some}-zh.png")
    check(browser.value(tab, "document.documentElement.lang") == "zh-CN", "Chinese by default")

    # An employee: only their own case, in a browser of their own.
    mine = browser.page()
    sign_in(browser, mine, base, e1001)
    own = api(port, e1001, f"/v1/cases?cycle={done}")["cases"]
    check([c["employee_id"] for c in own] == ["E1001"], "the API gives E1001 their case alone")
    browser.goto(mine, f"{base}/cycles/{done}?lang=en")
    browser.screenshot(mine, "employee-cycle.png")
    listed = browser.value(mine, "[...document.querySelectorAll('#cases tr[data-case]')].map(tr => Number(tr.dataset.case))")
    check(listed == [own[0]["id"]], f"the employee's cycle page lists only case {own[0]['id']}")
    check(browser.value(mine, "document.querySelectorAll('#tiers').length") == 0,
          "the employee sees no tier report")
    others = [c for c in api(port, hr, f"/v1/cases?cycle={done}")["cases"] if c["employee_id"] != "E1001"]
    for other in others[:3]:
        browser.goto(mine, f"{base}/cases/{other['id']}?lang=en")
        text = browser.value(mine, "document.body.innerText")
        check(other["employee_id"] not in text and "id=\"items\"" not in text
              and browser.value(mine, "document.querySelectorAll('#items').length") == 0,
              f"case {other['id']} of {other['employee_id']} is not shown to E1001")
    browser.screenshot(mine, "employee-refused.png")


try:
    main()
except Exception as e:  # a step that could not run is a failure, with its reason
    failures.append(f"{type(e).__name__}: {e}")
    print("FAIL " + failures[-1])
finally:
    for p in reversed(children):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in children:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
    if failures:
        print(f"{len(failures)} check(s) failed; logs kept in {root}")
    else:
        shutil.rmtree(root, ignore_errors=True)
sys.exit(1 if failures else 0)
