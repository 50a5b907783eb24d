#!/usr/bin/env python3
"""Opens the operator's HTML report in headless Chromium (through chromedriver's WebDriver
protocol, standard library only), checks it renders with no console errors and fetches
nothing, that its key elements are present and its tables sort, and saves a screenshot.

Usage: report_browser_test.py LIGHTPATH EXAMPLES_DIR SCREENSHOT.png
Exits 77 (CTest's skip) when chromium or chromedriver is not installed."""
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SKIP = 77
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,2200"]


def find(*names):
    for name in names:
        path = shutil.which(name) or (name if os.path.exists(name) else None)
        if path:
            return path
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read() or b"{}").get("value")
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path}: {e.code} {e.read()[:500]!r}")

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def script(self, source, *args):
        return self.s("POST", "/execute/sync", {"script": source, "args": list(args)})


def main():
    lightpath, examples, screenshot = sys.argv[1:4]
    chromium = find("chromium", "chromium-browser", "/usr/lib/chromium/chromium")
    chromedriver = find("chromedriver", "/usr/lib/chromium/chromedriver")
    if not chromium or not chromedriver:
        print("SKIP: chromium and chromium-driver are not installed (scripts/setup.sh installs them)")
        return SKIP

    work = tempfile.mkdtemp(prefix="lp-report-")
    try:
        proposal = os.path.join(work, "proposal.json")
        report = os.path.join(work, "report.html")
        subprocess.run([lightpath, "ocs", "plan", "--fabric", f"{examples}/fabric-8.json",
                        "--traffic", f"{examples}/traffic-8.json", "--current", f"{examples}/mesh-8.json",
                        "-o", proposal], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([lightpath, "ocs", "report", proposal, "-o", report], check=True, stdout=subprocess.DEVNULL)

        port = free_port()
        server = subprocess.Popen([chromedriver, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            driver = Driver(port)
            for _ in range(100):
                try:
                    if driver.call("GET", "/status").get("ready"):
                        break
                except (urllib.error.URLError, ConnectionError, RuntimeError):
                    pass
                time.sleep(0.1)
            caps = {"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {"binary": chromium,
                                       "args": FLAGS + [f"--user-data-dir={os.path.join(work, 'profile')}"]},
                "goog:loggingPrefs": {"browser": "ALL"}}}}
            driver.session = driver.call("POST", "/session", caps)["sessionId"]
            try:
                return check(driver, report, screenshot)
            finally:
                driver.s("DELETE", "")
        finally:
            server.terminate()
            server.wait(timeout=10)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check(driver, report, screenshot):
    failures = []
    driver.s("POST", "/url", {"url": "file://" + report})
    for _ in range(100):
        if driver.script("return document.readyState;") == "complete":
            break
        time.sleep(0.05)

    found = driver.script("""
        const ids = ['metrics', 'warnings', 'settings', 'heatmap', 'graph-before', 'graph-after',
                     'pairs', 'pair-changes', 'stages', 'changes'];
        const out = {};
        for (const id of ids) out[id] = document.getElementById(id) !== null;
        out.metric_rows = document.querySelectorAll('#metrics tbody tr').length;
        out.heat_cells = document.querySelectorAll('#heatmap rect').length;
        out.lines_after = document.querySelectorAll('#graph-after line').length;
        out.change_rows = document.querySelectorAll('#changes tbody tr').length;
        out.fetched = performance.getEntriesByType('resource').map(e => e.name);
        const box = document.getElementById('heatmap').getBoundingClientRect();
        out.heat_size = [box.width, box.height];
        return out;""")
    for key in ["metrics", "warnings", "settings", "heatmap", "graph-before", "graph-after", "pairs",
                "pair-changes", "stages", "changes"]:
        if not found[key]:
            failures.append(f"element #{key} missing")
    if found["metric_rows"] != 3:
        failures.append(f"metrics table has {found['metric_rows']} rows, expected before, after, bound")
    if found["heat_cells"] != 64:
        failures.append(f"heatmap has {found['heat_cells']} cells, expected 8 x 8")
    if found["lines_after"] == 0 or found["change_rows"] == 0:
        failures.append("block graph or change list is empty")
    if found["fetched"]:
        failures.append(f"the page fetched {found['fetched']}")
    if found["heat_size"][0] < 100 or found["heat_size"][1] < 100:
        failures.append(f"heatmap rendered at {found['heat_size']}")

    # Clicking a header sorts the table: the port column ascending, then descending.
    ports = driver.script("""
        const th = document.querySelectorAll('#changes th')[3];
        const col = () => Array.from(document.querySelectorAll('#changes tbody tr')).map(r => Number(r.cells[3].textContent));
        th.click(); const up = col(); th.click(); const down = col();
        return [up, down];""")
    up, down = ports
    if up != sorted(up) or down != sorted(down, reverse=True):
        failures.append("the change list does not sort by the clicked column")

    try:
        logs = driver.s("POST", "/se/log", {"type": "browser"})
    except RuntimeError as e:
        logs = None
        failures.append(f"could not read the console: {e}")
    for entry in logs or []:
        if entry.get("level") in ("SEVERE", "ERROR"):
            failures.append(f"console error: {entry.get('message')}")

    png = base64.b64decode(driver.s("GET", "/screenshot"))
    with open(screenshot, "wb") as f:
        f.write(png)
    if not png.startswith(b"\x89PNG") or len(png) < 10000:
        failures.append(f"screenshot is {len(png)} bytes")

    for f in failures:
        print("FAIL:", f)
    if failures:
        return 1
    print(f"report renders in chromium: {found['change_rows']} changes, {found['heat_cells']} heatmap cells, "
          f"no console errors, nothing fetched; screenshot {screenshot} ({len(png)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
