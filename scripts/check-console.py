#!/usr/bin/env python3
"""Browser test of alertd's web console (/ui/): Selenium drives headless Chromium through
the console against a live `alertd serve --dev`.

    scripts/check-console.py --alertd .build/debug/alertd --work DIR --screenshots DIR
        [--chromium /usr/bin/chromium] [--chromedriver /usr/bin/chromedriver] [--timeout 20]

Writes two tenants (shop and bank) into DIR/tenants, each routing every alert to its own
path of scripts/demo-receiver.py (started on a free port) with group_wait 0s, short delivery
backoffs and send_resolved, and checks them with `alertd tenants validate`. Starts the
receiver and `alertd serve --dev` (data in DIR/data, log in DIR/alertd.log) on free loopback
ports, mints tokens with `alertd token`, then runs these steps, each made of named checks:

  a  /ui/alerts without a session redirects to the sign-in page; sign in as shop with a token
  b  an alert posted over the API appears in the open alerts list without a page load
  c  the alert's page shows its score and the severity, reliability and history factors
  d  "noise" feedback lowers the alert's score and its source's reliability on /ui/rating
  e  "silence like this": prefilled form, preview, create; the alert shows as silenced
  f  a notification the receiver refuses with 400 is dead; replayed from /ui/deliveries, it
     is delivered
  g  /ui/tenant shows the quotas; /ui/silences lists the silence
  h  a form posted without its CSRF token is refused (403) and changes nothing
  i  a second browser signed in as bank (development sign-in) sees none of shop's data
  j  sign-out ends the session: the old cookie no longer opens a page
  k  keyboard and labels: every form field of the alerts page has a label; Tab reaches a link
  l  phone width (390x844): the alerts and alert pages do not scroll sideways
  m  no JavaScript errors were logged on the pages visited

Prints `ok - ...` or `FAIL - ...` per check and a summary, saves a screenshot of every page
visited as NN-name.png in the screenshots directory, and on failure prints the end of
alertd's log. Exits 0 when every check passed, 1 when one failed, 2 on bad usage. Needs
Python 3.8+ and Selenium 4 (scripts/test.sh browser installs it into a venv); uses the
given Chromium and ChromeDriver and never downloads a browser.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

try:
    from selenium import webdriver
    from selenium.common.exceptions import (
        NoSuchElementException,
        StaleElementReferenceException,
        TimeoutException,
        WebDriverException,
    )
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:  # pragma: no cover - depends on the environment
    sys.exit("check-console: needs Selenium 4 (pip install selenium); `scripts/test.sh browser` installs it into a venv")

REPO = Path(__file__).resolve().parent.parent
SESSION_COOKIE = "alertd_session"
SIGN_IN = "/ui/sign-in"
ADMIN_SCOPES = ["alerts:write", "alerts:read", "alerts:ack", "silences:write", "tenant:admin"]
CSRF_MESSAGE = "CSRF token is missing or does not match"

# The alerts the scenario posts. Each one is a group of its own (group_by alertname, service).
SHOP_ALERT = {
    "labels": {"alertname": "HighErrorRate", "service": "checkout", "severity": "critical"},
    "annotations": {"summary": "checkout answers 5xx to more than 5% of requests"},
    "source": "prometheus",
}
SHOP_DEAD_ALERT = {
    "labels": {"alertname": "QueueBacklog", "service": "orders", "severity": "warning"},
    "annotations": {"summary": "the orders queue is 10 minutes behind"},
    "source": "prometheus",
}
BANK_ALERT = {
    "labels": {"alertname": "LedgerLag", "service": "ledger", "severity": "warning"},
    "annotations": {"summary": "the ledger is 2 minutes behind"},
    "source": "prometheus",
}

TENANT_YAML = """\
# Written by scripts/check-console.py: tenant {id} of the console browser test.
id: {id}
name: "{name}"

# --dev adds and trusts a development key per tenant; these issuer keys sign nothing here.
auth:
  issuer: https://idp.{id}.example
  audience: alertd
  jwks:
    file: jwks.json

# Fixed weights: the score is the weighted mean of its factors, so feedback moves it at once.
rating:
  mode: fixed
  weights:
    severity: 0.5
    reliability: 0.25
    history: 0.25

# Short backoffs: a notification the receiver refuses is retried (or dead) within seconds.
delivery:
  initialBackoff: 1s
  maxBackoff: 2s
  giveUpAfter: 30s

routes:
  receiver: {id}-webhook
  group_by: [alertname, service]
  group_wait: 0s
  group_interval: 1m
  repeat_interval: 4h

receivers:
  - name: {id}-webhook
    webhook:
      url: {receiver_url}/{id}
      secret: env:{secret_env}
      send_resolved: true
"""

TENANTS = {"shop": "Shop", "bank": "Bank"}


def secret_env(tenant):
    return f"CHECK_CONSOLE_{tenant.upper()}_WEBHOOK_SECRET"


# ------------------------------------------------------------------------------ results


class StepFailed(Exception):
    """Ends the current step; the message says why. `recorded`: the failed check that raised
    it is already counted."""

    def __init__(self, message, recorded=False, precondition=False):
        super().__init__(message)
        self.recorded = recorded
        self.precondition = precondition  # an earlier step did not provide what this one needs


class Results:
    """The named checks of the run, printed as they happen."""

    def __init__(self, on_failure=None):
        self.passed = 0
        self.failed = []  # "step: what"
        self.step = "setup"
        self.on_failure = on_failure  # called after each failure, e.g. to take screenshots

    def ok(self, what):
        self.passed += 1
        print(f"ok - {self.step}: {what}", flush=True)

    def fail(self, what, detail="", screenshots=True):
        self.failed.append(f"{self.step}: {what}")
        print(f"FAIL - {self.step}: {what}" + (f"\n       {detail}" if detail else ""), flush=True)
        if screenshots and self.on_failure is not None:
            self.on_failure()

    def check(self, condition, what, detail="", fatal=True):
        """Records a check. A failed one ends the step unless it is not fatal: a detail the
        rest of the step does not depend on."""
        if condition:
            self.ok(what)
            return True
        self.fail(what, detail)
        if fatal:
            raise StepFailed(what, recorded=True)
        return False


# ------------------------------------------------------------------------------ HTTP


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    @property
    def content_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    @property
    def location_path(self):
        return urllib.parse.urlsplit(self.headers.get("Location") or "").path

    def json(self):
        return json.loads(self.text)

    def describe(self):
        location = f" -> {self.headers.get('Location')}" if 300 <= self.status < 400 else ""
        return f"HTTP {self.status}{location} {self.content_type}: {self.text[:300]}"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def http(method, url, token=None, json_body=None, form=None, cookie=None, accept="application/json", timeout=15):
    """One request, redirects not followed; status 0 when no answer came."""
    headers = {"Accept": accept}
    data = None
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if cookie is not None:
        headers["Cookie"] = f"{SESSION_COOKIE}={cookie}"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with OPENER.open(request, timeout=timeout) as answer:
            return Response(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())
    except (urllib.error.URLError, OSError) as error:
        return Response(0, {}, f"request failed: {error}".encode())


def poll(fetch, what, timeout, interval=0.25):
    """Calls fetch() until it returns something truthy, and returns that; fails the step at
    the deadline."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = fetch()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise StepFailed(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(interval)


def says_live(text):
    """Whether #live's text says the page is connected ("live", not "not live" or "offline")."""
    text = (text or "").lower()
    return bool(re.search(r"(?<![\w-])live\b", text)) and "not live" not in text


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def number(text, what):
    """The first number in text (a trailing % divides it by 100)."""
    match = re.search(r"-?\d+(?:\.\d+)?(%?)", text or "")
    if not match:
        raise StepFailed(f"{what} is not a number: {text!r}")
    value = float(match.group(0).rstrip("%"))
    return value / 100 if match.group(1) else value


# ------------------------------------------------------------------------------ processes


class Process:
    """A child process with its output in a log file."""

    def __init__(self, name, argv, log, env=None):
        self.name = name
        self.log = Path(log)
        self.handle = self.log.open("wb")
        self.popen = subprocess.Popen(argv, stdout=self.handle, stderr=subprocess.STDOUT, env=env,
                                      stdin=subprocess.DEVNULL)

    def alive(self):
        return self.popen.poll() is None

    def stop(self, grace=15):
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.handle.close()

    def tail(self, lines=60):
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return f"(cannot read {self.log})"
        return "\n".join(text[-lines:]) if text else f"({self.log} is empty)"


def wait_for_http(process, url, timeout):
    """Polls url until it answers 2xx; fails when the process exits first."""
    def answered():
        if not process.alive():
            raise StepFailed(f"{process.name} exited with status {process.popen.returncode} before {url} answered")
        return 200 <= http("GET", url, timeout=2).status < 300
    poll(answered, f"{url} to answer", timeout, interval=0.2)


# ------------------------------------------------------------------------------ the browser


class Screenshots:
    """NN-name.png files, numbered across every browser session of the run."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        for old in self.directory.glob("[0-9][0-9]-*.png"):
            old.unlink()
        self.count = 0

    def save(self, driver, name):
        self.count += 1
        path = self.directory / f"{self.count:02d}-{re.sub(r'[^a-z0-9-]+', '-', name.lower()).strip('-')}.png"
        try:
            driver.save_screenshot(str(path))
        except Exception as error:  # noqa: BLE001 - a screenshot never fails the run
            print(f"# could not save {path.name}: {error}", flush=True)
        return path


class Console:
    """One browser session against the console: opens pages, waits, reads the DOM."""

    def __init__(self, name, base_url, args, screenshots):
        self.name = name
        self.base_url = base_url
        self.timeout = args.timeout
        self.screenshots = screenshots
        options = Options()
        options.binary_location = args.chromium
        for argument in ("--headless=new", "--window-size=1280,800", "--disable-dev-shm-usage", "--disable-gpu",
                         "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--lang=en-US",
                         f"--user-data-dir={Path(args.work) / 'browser' / name}"):
            options.add_argument(argument)
        if os.geteuid() == 0:
            options.add_argument("--no-sandbox")  # Chromium refuses to run as root with its sandbox
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # An explicit driver path: Selenium Manager is not asked to find or download anything.
        service = Service(executable_path=args.chromedriver, log_output=str(Path(args.work) / f"chromedriver-{name}.log"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(max(30, self.timeout))
        self.browser_log = []
        self.closed = False

    # ---- navigation

    def url(self, path):
        return self.base_url + path

    @property
    def path(self):
        return urllib.parse.urlsplit(self.driver.current_url).path

    @property
    def query(self):
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.driver.current_url).query)

    def open(self, path, shot):
        """Loads path (following redirects), waits for the page and screenshots it (unless
        shot is None)."""
        self.driver.get(self.url(path))
        self.wait_loaded(shot)

    def wait_loaded(self, shot):
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete", "the page to load")
        self.collect_log()
        if shot is not None:
            self.shot(shot)

    def click_and_load(self, css, shot, within=None):
        """Clicks an element that loads another page (a link, a form's button) and waits until
        a new document has loaded: one with another performance.timeOrigin."""
        element = (within or self.driver).find_element(By.CSS_SELECTOR, css)
        origin = self.script("return performance.timeOrigin;")
        element.click()

        def new_document(driver):
            try:
                return driver.execute_script(
                    "return document.readyState === 'complete' && performance.timeOrigin !== arguments[0];", origin)
            except WebDriverException:
                return False  # between two documents
        self.wait(new_document, f"a new page after clicking {css}")
        self.wait_loaded(shot)

    def reload_until(self, condition, what, shot):
        """Reloads the page until condition(driver) holds, for state the server may change in
        the background (muting, deliveries), then screenshots it."""
        def reloaded(driver):
            if condition(driver):
                return True
            driver.refresh()
            return False
        self.wait(reloaded, what, poll=0.5)
        self.collect_log()
        self.shot(shot)

    def shot(self, name):
        return self.screenshots.save(self.driver, f"{self.name}-{name}")

    # ---- waiting and reading

    def wait(self, condition, what, timeout=None, poll=0.1):
        timeout = timeout or self.timeout
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=poll,
                                 ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(condition)
        except TimeoutException:
            raise StepFailed(f"timed out after {timeout:g}s waiting for {what} (at {self.driver.current_url})") from None

    def find(self, css, within=None):
        return (within or self.driver).find_element(By.CSS_SELECTOR, css)

    def finds(self, css, within=None):
        return (within or self.driver).find_elements(By.CSS_SELECTOR, css)

    def has(self, css, within=None):
        return bool(self.finds(css, within))

    def text(self, css, within=None):
        elements = self.finds(css, within)
        return elements[0].text.strip() if elements else None

    def value(self, css):
        return self.find(css).get_property("value")

    def fill(self, css, text):
        field = self.find(css)
        field.clear()
        field.send_keys(text)

    def script(self, source, *args):
        return self.driver.execute_script(source, *args)

    def session_cookie(self):
        return self.driver.get_cookie(SESSION_COOKIE)

    def collect_log(self):
        if self.closed:
            return
        try:
            self.browser_log.extend(self.driver.get_log("browser"))
        except WebDriverException:
            pass

    def javascript_errors(self):
        self.collect_log()
        return [entry["message"] for entry in self.browser_log
                if entry.get("level") == "SEVERE" and entry.get("source") in ("javascript", "console-api")]

    def quit(self):
        if self.closed:
            return
        self.closed = True
        try:
            self.collect_log()
            self.driver.quit()
        except WebDriverException:
            pass


# ------------------------------------------------------------------------------ the run


class Check:
    """The environment (receiver, alertd, tokens) and the steps of the scenario."""

    def __init__(self, args):
        self.args = args
        self.work = Path(args.work).resolve()
        self.results = Results(on_failure=self.failure_screenshots)
        self.screenshots = Screenshots(args.screenshots)
        self.receiver = None
        self.alertd = None
        self.consoles = []
        self.state = {}

    # ---- environment

    def write_tenants(self, receiver_url):
        jwks = (REPO / "tenants" / "acme" / "jwks.json").read_text(encoding="utf-8")
        tenants = self.work / "tenants"
        for tenant, name in TENANTS.items():
            directory = tenants / tenant
            directory.mkdir(parents=True, exist_ok=True)
            (directory / "jwks.json").write_text(jwks, encoding="utf-8")
            (directory / "tenant.yaml").write_text(
                TENANT_YAML.format(id=tenant, name=name, receiver_url=receiver_url, secret_env=secret_env(tenant)),
                encoding="utf-8")
        return tenants

    def alertd_command(self, *argv):
        done = subprocess.run([self.args.alertd, *argv], capture_output=True, text=True, timeout=120, env=self.env)
        if done.returncode != 0:
            raise StepFailed(f"alertd {' '.join(argv[:2])} exited {done.returncode}: {(done.stderr or done.stdout).strip()[:500]}")
        return done.stdout.strip()

    def token(self, tenant, scopes):
        argv = ["token", "--tenant", tenant, "--tenants", str(self.work / "tenants"), "--data-dir",
                str(self.work / "data"), "--ttl", "1h"]
        for scope in scopes:
            argv += ["--scope", scope]
        return self.alertd_command(*argv)

    def start(self):
        self.work.mkdir(parents=True, exist_ok=True)
        for owned in ("data", "tenants", "browser"):  # only what this script writes
            shutil.rmtree(self.work / owned, ignore_errors=True)
        self.env = dict(os.environ)
        for tenant in TENANTS:
            self.env[secret_env(tenant)] = secrets.token_hex(16)

        receiver_port = free_port()
        self.receiver_url = f"http://127.0.0.1:{receiver_port}"
        self.receiver = Process("the demo receiver", [sys.executable, str(REPO / "scripts" / "demo-receiver.py"),
                                                      "--host", "127.0.0.1", "--port", str(receiver_port)],
                                self.work / "receiver.log")
        wait_for_http(self.receiver, f"{self.receiver_url}/-/received", 15)
        self.results.ok(f"the demo receiver answers on {self.receiver_url}")

        tenants = self.write_tenants(self.receiver_url)
        output = self.alertd_command("tenants", "validate", str(tenants))
        self.results.ok(f"alertd tenants validate accepts the test tenants ({output.splitlines()[-1] if output else 'valid'})")

        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        self.alertd = Process("alertd", [self.args.alertd, "serve", "--dev", "--data-dir", str(self.work / "data"),
                                         "--tenants", str(tenants), "--port", str(port), "--host", "127.0.0.1"],
                              self.work / "alertd.log", env=self.env)
        wait_for_http(self.alertd, f"{self.base_url}/healthz", 120)
        wait_for_http(self.alertd, f"{self.base_url}/readyz", 60)
        self.results.ok(f"alertd serve --dev is up on {self.base_url}")

        self.shop_admin = self.token("shop", ADMIN_SCOPES)
        self.shop_writer = self.token("shop", ["alerts:write"])
        self.bank_writer = self.token("bank", ["alerts:write"])
        self.results.ok("alertd token minted tokens for shop and bank")

    def stop(self):
        for console in self.consoles:
            console.quit()
        for process in (self.alertd, self.receiver):
            if process is not None:
                process.stop()

    def new_console(self, name):
        console = Console(name, self.base_url, self.args, self.screenshots)
        self.consoles.append(console)
        return console

    # ---- API helpers

    def api(self, method, path, token, body=None):
        return http(method, self.base_url + path, token=token, json_body=body)

    def post_alert(self, alert, token):
        answer = self.api("POST", "/v1/alerts", token, alert)
        self.results.check(answer.status == 202, f"POST /v1/alerts accepts {alert['labels']['alertname']} (202)",
                           answer.describe())
        return answer.json()["alerts"][0]["fingerprint"]

    def deliveries(self, state, token=None):
        answer = self.api("GET", f"/v1/deliveries?status={state}", token or self.shop_admin)
        return answer.json().get("deliveries", []) if answer.status == 200 else []

    def received(self):
        answer = http("GET", f"{self.receiver_url}/-/received")
        return answer.json() if answer.status == 200 else []

    def need(self, *keys):
        missing = [key for key in keys if key not in self.state]
        if missing:
            raise StepFailed(f"not run: needs {', '.join(missing)} from an earlier step", precondition=True)
        return [self.state[key] for key in keys]

    # ---- the steps

    def sign_in_with_token(self, console, token, shot, tenant="shop"):
        console.open(SIGN_IN, shot)
        self.results.check(console.has("form#sign-in-form textarea#token"), "the sign-in page has form#sign-in-form with textarea#token")
        console.fill("textarea#token", token)
        console.click_and_load("button#sign-in", f"{shot}-done")
        error = console.text("#error")
        self.results.check(console.has("nav#nav") and console.text("#tenant-name") == tenant,
                           f"signing in with the token opens a signed-in page of tenant {tenant} (#tenant-name)",
                           f"at {console.driver.current_url}" + (f"; #error: {error}" if error else ""))

    def step_a_sign_in(self):
        answer = http("GET", self.base_url + "/ui/alerts", accept="text/html")
        self.results.check(answer.status == 303 and answer.location_path == SIGN_IN,
                           "GET /ui/alerts without a session answers 303 to /ui/sign-in",
                           f"{answer.status}, Location {answer.headers.get('Location')}")
        shop = self.new_console("shop")
        shop.open("/ui/alerts", "alerts-signed-out")
        self.results.check(shop.path == SIGN_IN, "the browser lands on /ui/sign-in", shop.driver.current_url)
        self.sign_in_with_token(shop, self.shop_admin, "sign-in")
        cookie = shop.session_cookie()
        self.results.check(cookie is not None, f"the {SESSION_COOKIE} cookie is set")
        self.results.check(cookie.get("httpOnly") and cookie.get("sameSite") == "Strict" and cookie.get("path") == "/ui",
                           f"{SESSION_COOKIE} is HttpOnly, SameSite=Strict, Path=/ui",
                           json.dumps({k: cookie.get(k) for k in ("httpOnly", "sameSite", "path")}), fatal=False)
        self.state["shop"] = shop

    def step_b_live_row(self):
        (shop,) = self.need("shop")
        if shop.path != "/ui/alerts":
            shop.open("/ui/alerts", "alerts")
        self.results.check(shop.has("table#alerts tbody#alert-rows"), "the alerts page has table#alerts > tbody#alert-rows")
        shop.wait(lambda d: says_live(shop.text("#live")), "#live to say live")
        self.results.ok("#live says the page is connected")
        # A page load would drop this marker; the live update (EventSource) keeps it.
        marker = secrets.token_hex(8)
        shop.script("window.__marker = arguments[0];", marker)
        fingerprint = self.post_alert(SHOP_ALERT, self.shop_writer)
        row_css = f'tbody#alert-rows tr.alert-row[data-fingerprint="{fingerprint}"]'
        shop.wait(lambda d: shop.has(row_css), f"the row of {fingerprint} to appear")
        self.results.check(shop.script("return window.__marker;") == marker,
                           "the new alert's row appeared without a page load (window.__marker kept)")
        shop.shot("alerts-live-row")
        row = shop.find(row_css)
        link = shop.find("a.alert-link", row)
        self.results.check(link.text.strip() == "HighErrorRate" and link.get_attribute("href").endswith(f"/ui/alerts/{fingerprint}"),
                           "the row's a.alert-link names HighErrorRate and links to /ui/alerts/FP",
                           f"{link.text!r} -> {link.get_attribute('href')}")
        state, source, priority = shop.text("td.state", row), shop.text("td.source", row), shop.text("td.priority", row)
        score = number(shop.text("td.score", row), "td.score")
        self.results.check("firing" in (state or "") and source == "prometheus" and re.fullmatch(r"P[1-4]", priority or "")
                           and 0 <= score <= 1, "the row shows state firing, source prometheus, a priority and a score",
                           f"state {state!r}, source {source!r}, priority {priority!r}, score {score}", fatal=False)
        self.results.check(shop.has("#alert-count"), "#alert-count is shown", fatal=False)
        self.state["fingerprint"] = fingerprint

    def step_c_alert_page(self):
        shop, fingerprint = self.need("shop", "fingerprint")
        if shop.path != "/ui/alerts":
            shop.open("/ui/alerts", "alerts")
        row = shop.find(f'tr.alert-row[data-fingerprint="{fingerprint}"]')
        shop.click_and_load("a.alert-link", "alert", within=row)
        self.results.check(shop.path == f"/ui/alerts/{fingerprint}", "a.alert-link opens /ui/alerts/FP", shop.driver.current_url)
        self.results.check(shop.text("h1#alert-name") == "HighErrorRate" and "firing" in (shop.text("#alert-state") or ""),
                           "h1#alert-name and #alert-state show the firing alert",
                           f"{shop.text('h1#alert-name')!r}, {shop.text('#alert-state')!r}")
        self.results.check(shop.has('table#labels tr[data-label="service"]'), 'table#labels has tr[data-label="service"]',
                           fatal=False)
        score = number(shop.text("section#rating #score"), "#score")
        self.results.check(0 <= score <= 1, f"#score is a score ({score})")
        for factor in ("severity", "reliability", "history"):
            rows = shop.finds(f'table#factors tr.factor[data-factor="{factor}"]')
            self.results.check(bool(rows), f'table#factors has tr.factor[data-factor="{factor}"]')
            value, weight, contribution = (number(shop.text(f"td.{cell}", rows[0]), f"{factor} td.{cell}")
                                           for cell in ("value", "weight", "contribution"))
            self.results.check(abs(value * weight - contribution) <= 0.011,
                               f"{factor}: value {value} x weight {weight} = contribution {contribution}", fatal=False)
        all_rows = shop.finds("table#factors tr.factor")
        total = sum(number(shop.text("td.contribution", row), "td.contribution") for row in all_rows)
        self.results.check(abs(total - score) <= 0.02, f"the contributions add up to #score ({total:.3f} vs {score})",
                           fatal=False)
        self.state["score"] = score

    def source_reliability(self, console, shot):
        console.open("/ui/rating", shot)
        cell = console.text('table#sources tr.source[data-source="prometheus"] td.reliability')
        if cell is None:
            raise StepFailed('/ui/rating has no table#sources tr.source[data-source="prometheus"] td.reliability')
        return number(cell, "td.reliability")

    def step_d_feedback(self):
        shop, fingerprint, score = self.need("shop", "fingerprint", "score")
        before = self.source_reliability(shop, "rating")
        self.results.ok(f"/ui/rating shows source prometheus with reliability {before}")
        bars = len(shop.finds("#histogram .bar"))
        self.results.check(bars == 10, f"#histogram has 10 .bar ({bars})", fatal=False)
        shop.open(f"/ui/alerts/{fingerprint}", "alert")
        shop.click_and_load("button#feedback-noise", "alert-noise")
        self.results.check(shop.path == f"/ui/alerts/{fingerprint}" and shop.query.get("done") == ["noise"],
                           "#feedback-noise comes back to /ui/alerts/FP?done=noise", shop.driver.current_url)
        flash = shop.text("#flash") or ""
        self.results.check("noise" in flash.lower(), f"#flash says so ({flash!r})", fatal=False)
        self.results.check(shop.finds("#flash") and shop.find("#flash").get_attribute("role") == "status",
                           "#flash has role=status", fatal=False)
        after_score = number(shop.text("#score"), "#score")
        self.results.check(after_score < score, f"#score went down ({score} -> {after_score})")
        after = self.source_reliability(shop, "rating-after-noise")
        self.results.check(after < before, f"the reliability of source prometheus went down ({before} -> {after})")

    def step_e_silence(self):
        shop, fingerprint = self.need("shop", "fingerprint")
        shop.open(f"/ui/alerts/{fingerprint}", "alert")
        shop.click_and_load("a#silence-like-this", "silence-new")
        matchers = shop.value("textarea#matchers")
        self.results.check(shop.path == "/ui/silences/new" and 'alertname="HighErrorRate"' in matchers,
                           'a#silence-like-this opens /ui/silences/new with alertname="HighErrorRate" in textarea#matchers',
                           f"{shop.driver.current_url}; matchers {matchers!r}")
        comment = "check-console: silenced from the alert page"
        shop.fill("textarea#comment", comment)
        shop.click_and_load("button#preview-silence", "silence-preview")
        items = shop.finds("ul#preview li.preview-alert")
        self.results.check(any("HighErrorRate" in item.text or item.find_elements(By.CSS_SELECTOR, f'a[href$="/{fingerprint}"]')
                               for item in items),
                           "button#preview-silence lists the alert in ul#preview",
                           f"{len(items)} li.preview-alert: {[item.text for item in items][:5]}")
        self.results.check(shop.has("#preview-count"), "#preview-count is shown", fatal=False)
        self.results.check('alertname="HighErrorRate"' in shop.value("textarea#matchers"), "the preview keeps the matchers")
        kept = shop.value("textarea#comment")
        if not self.results.check(kept == comment, "the preview keeps the comment as typed", f"comment {kept!r}", fatal=False):
            shop.fill("textarea#comment", comment)
        shop.click_and_load("button#create-silence", "silences-created")
        self.results.check(shop.path == "/ui/silences" and shop.query.get("done") == ["created"] and shop.has("#flash"),
                           "button#create-silence leads to /ui/silences?...done=created with #flash", shop.driver.current_url)
        rows = [row for row in shop.finds("table#silences tr.silence")
                if 'alertname="HighErrorRate"' in (shop.text("td.matchers", row) or "")]
        self.results.check(bool(rows), "table#silences lists the new silence")
        self.state["silence"] = rows[0].get_attribute("data-id")
        shop.open(f"/ui/alerts/{fingerprint}", None)
        shop.reload_until(lambda d: "silenced" in (shop.text("#alert-state") or ""), "#alert-state to say silenced",
                          "alert-silenced")
        state = shop.text("#alert-state")
        self.results.check(f"silenced by {self.state['silence']}" in state, f"#alert-state says {state!r}")
        shop.open("/ui/alerts?muted=any", None)
        row_state = f'tr.alert-row[data-fingerprint="{fingerprint}"] td.state'
        shop.reload_until(lambda d: "silenced" in (shop.text(row_state) or ""), "the alert's td.state to say silenced",
                          "alerts-silenced")
        self.results.ok(f"the alerts list's td.state says {shop.text(row_state)!r}")

    def step_f_dead_letter(self):
        (shop,) = self.need("shop")
        # alertd retries no 4xx but 408, 425 and 429: one 400 makes the notification dead at once.
        answer = http("POST", f"{self.receiver_url}/-/fail", json_body={"status": 400, "count": 1})
        self.results.check(answer.status == 200, "the demo receiver will answer the next notification 400", answer.describe())
        fingerprint = self.post_alert(SHOP_DEAD_ALERT, self.shop_writer)
        dead = poll(lambda: [d for d in self.deliveries("dead") if d.get("fingerprint") == fingerprint],
                    "GET /v1/deliveries?status=dead to list the notification of QueueBacklog", 45)[0]
        delivery = str(dead["id"])
        self.results.ok(f"the notification {delivery} is dead after one 400 ({dead.get('lastError', '').strip()!r})")
        shop.open("/ui/deliveries?state=dead", "deliveries-dead")
        row_css = f'table#deliveries tr.delivery[data-id="{delivery}"]'
        self.results.check(shop.has(row_css), f"/ui/deliveries?state=dead lists tr.delivery[data-id={delivery}]")
        row = shop.find(row_css)
        error, receiver = shop.text("td.last-error", row) or "", shop.text("td.receiver", row)
        self.results.check("400" in error and receiver == "shop-webhook",
                           f"the row shows receiver shop-webhook and td.last-error {error!r}", f"receiver {receiver!r}")
        shop.click_and_load("form.replay-form button.replay", "deliveries-replayed", within=row)
        self.results.check(shop.path == "/ui/deliveries" and shop.query.get("done") == ["replayed"] and shop.has("#flash"),
                           f"button.replay leads to /ui/deliveries?...done=replayed with #flash ({shop.text('#flash')!r})",
                           shop.driver.current_url)

        def delivered_to_receiver():
            return [entry for entry in self.received()
                    if entry.get("answered") == 200 and isinstance(entry.get("body"), dict)
                    and any(alert.get("fingerprint") == fingerprint for alert in entry["body"].get("alerts") or [])]
        entry = poll(delivered_to_receiver, "the demo receiver to take the replayed notification", 45)[0]
        self.results.ok(f"the demo receiver took the replayed notification at {entry['path']}")
        poll(lambda: [d for d in self.deliveries("delivered") if str(d.get("id")) == delivery],
             f"GET /v1/deliveries?status=delivered to list {delivery}", 30)
        self.results.ok(f"GET /v1/deliveries?status=delivered lists {delivery}")
        shop.open("/ui/deliveries?state=delivered", "deliveries-delivered")
        self.results.check(shop.has(row_css), f"/ui/deliveries?state=delivered lists tr.delivery[data-id={delivery}]")
        self.state["dead_fingerprint"] = fingerprint

    def step_g_tenant_and_silences(self):
        shop, silence = self.need("shop", "silence")
        shop.open("/ui/tenant", "tenant")
        quotas = shop.finds("table#quotas tr.quota")
        self.results.check(bool(quotas), f"/ui/tenant shows table#quotas ({len(quotas)} tr.quota)")
        incomplete = [row.get_attribute("data-quota") for row in quotas
                      if not row.get_attribute("data-quota") or not shop.text("td.limit", row) or shop.text("td.used", row) is None]
        self.results.check(not incomplete, "every tr.quota has data-quota, td.limit and td.used", f"incomplete: {incomplete}",
                           fatal=False)
        shop.open("/ui/silences", "silences")
        row = shop.finds(f'table#silences tr.silence[data-id="{silence}"]')
        self.results.check(bool(row), f"/ui/silences lists the silence {silence}")
        state = shop.text("td.state", row[0]) or ""
        self.results.check("active" in state and shop.has("form.expire-form button.expire", row[0]),
                           f"the silence is active ({state!r}) and can be expired (button.expire)")

    def step_h_csrf(self):
        shop, fingerprint = self.need("shop", "fingerprint")
        cookie = shop.session_cookie()
        self.results.check(cookie is not None, f"the shop session has its {SESSION_COOKIE} cookie")
        url = f"{self.base_url}/ui/alerts/{fingerprint}/ack"
        # Each refusal is checked on its own; whether any of the posts went through shows at the end.
        answer = http("POST", url, form={}, cookie=cookie["value"], accept="text/html")
        if self.results.check(answer.status == 403, "POST /ui/alerts/FP/ack without a csrf field answers 403",
                              answer.describe(), fatal=False):
            self.results.check(CSRF_MESSAGE in answer.text and re.search(r"""id=["']?error\b""", answer.text),
                               "the 403 page's #error says the CSRF token is missing or does not match", fatal=False)
        answer = http("POST", url, form={"csrf": "not-the-token"}, cookie=cookie["value"], accept="text/html")
        self.results.check(answer.status == 403, "with a wrong csrf value it answers 403 too", answer.describe(), fatal=False)
        answer = http("POST", url, form={}, cookie=cookie["value"], accept="application/json")
        self.results.check(answer.status == 403 and answer.content_type == "application/problem+json",
                           "a client that accepts only JSON gets 403 as application/problem+json", answer.describe(),
                           fatal=False)
        alert = self.api("GET", f"/v1/alerts/{fingerprint}", self.shop_admin)
        self.results.check(alert.status == 200 and "acknowledgedAt" not in alert.json(),
                           "GET /v1/alerts/FP: the alert is not acknowledged", alert.describe())

    def step_i_isolation(self):
        shop_fingerprint, silence = self.need("fingerprint", "silence")
        shop_fingerprints = [shop_fingerprint] + ([self.state["dead_fingerprint"]] if "dead_fingerprint" in self.state else [])
        bank_fingerprint = self.post_alert(BANK_ALERT, self.bank_writer)
        bank = self.new_console("bank")
        try:
            bank.open(SIGN_IN, "sign-in")
            self.results.check(bank.has("form#dev-sign-in-form select#dev-tenant"),
                               "with --dev the sign-in page has form#dev-sign-in-form with select#dev-tenant")
            tenants = [option.get_attribute("value") for option in bank.finds("select#dev-tenant option")]
            self.results.check(set(TENANTS) <= set(tenants), f"select#dev-tenant offers shop and bank ({tenants})")
            Select(bank.find("select#dev-tenant")).select_by_value("bank")
            bank.click_and_load("button#dev-sign-in", "signed-in")
            self.results.check(bank.text("#tenant-name") == "bank", "button#dev-sign-in signs in as bank (#tenant-name)",
                               f"{bank.text('#tenant-name')!r} at {bank.driver.current_url}")
            bank.open("/ui/alerts?muted=any", None)
            bank.reload_until(lambda d: bank.has(f'tr.alert-row[data-fingerprint="{bank_fingerprint}"]'),
                              "bank's own alert LedgerLag in the list", "alerts")
            leaked = [fp for fp in shop_fingerprints if bank.has(f'tr.alert-row[data-fingerprint="{fp}"]')]
            rows_text = bank.text("tbody#alert-rows") or ""
            self.results.check(not leaked and "HighErrorRate" not in rows_text and "QueueBacklog" not in rows_text,
                               "bank's alerts list shows its own alert and none of shop's", f"leaked: {leaked}")
            bank.open(f"/ui/alerts/{shop_fingerprint}", "shop-alert-by-url")
            main = bank.text("#main") or ""
            self.results.check(not bank.has("h1#alert-name") and bank.has("#error") and "checkout" not in main,
                               "/ui/alerts/<shop's fingerprint> shows an error page, not the alert", f"#main: {main[:200]!r}")
            self.results.check(bank.find("#error").get_attribute("role") == "alert", "#error has role=alert", fatal=False)
            cookie = bank.session_cookie()["value"]
            for path in (f"/ui/alerts/{shop_fingerprint}", f"/ui/alerts/{shop_fingerprint}?done=noise"):
                answer = http("GET", self.base_url + path, cookie=cookie, accept="text/html")
                self.results.check(answer.status == 404, f"GET {path} with bank's session answers 404", answer.describe())
            bank.open("/ui/silences?state=active", "silences")
            self.results.check(not bank.has(f'tr.silence[data-id="{silence}"]')
                               and 'alertname="HighErrorRate"' not in (bank.text("#main") or ""),
                               "bank's /ui/silences does not list shop's silence")
            bank.open("/ui/deliveries?state=delivered", "deliveries")
            text = bank.text("#main") or ""
            self.results.check("HighErrorRate" not in text and "QueueBacklog" not in text and "shop-webhook" not in text,
                               "bank's /ui/deliveries lists none of shop's notifications")
            bank.open("/ui/rating", "rating")
            self.results.check("HighErrorRate" not in (bank.text("#main") or ""),
                               "bank's /ui/rating shows none of shop's groups")
        finally:
            bank.quit()

    def step_j_sign_out(self):
        (shop,) = self.need("shop")
        old = shop.session_cookie()
        self.results.check(old is not None, "the shop session is signed in")
        shop.open("/ui/alerts", "alerts")
        shop.click_and_load("form#sign-out-form button#sign-out", "signed-out")
        self.results.check(shop.path == SIGN_IN, "button#sign-out leads to /ui/sign-in", shop.driver.current_url)
        shop.open("/ui/alerts", "alerts-after-sign-out")
        self.results.check(shop.path == SIGN_IN, "/ui/alerts now redirects to /ui/sign-in", shop.driver.current_url)
        answer = http("GET", self.base_url + "/ui/alerts", cookie=old["value"], accept="text/html")
        self.results.check(answer.status == 303 and answer.location_path == SIGN_IN,
                           "the old session cookie gets 303 to /ui/sign-in, not the page",
                           f"{answer.status}, Location {answer.headers.get('Location')}")

    def signed_in_shop(self, path, shot):
        """The shop session on path, signed in again first when it is signed out (after j)."""
        (shop,) = self.need("shop")
        shop.open(path, None)
        if shop.path == SIGN_IN:
            self.sign_in_with_token(shop, self.shop_admin, "sign-in-again")
            shop.open(path, None)
        self.results.check(shop.path == urllib.parse.urlsplit(path).path, f"the shop session is signed in on {path}",
                           shop.driver.current_url)
        shop.shot(shot)
        return shop

    def step_k_keyboard(self):
        shop = self.signed_in_shop("/ui/alerts", "alerts-keyboard")
        fields = shop.script("""
            const missing = [];
            let count = 0;
            for (const field of document.querySelectorAll('input, select, textarea')) {
                const type = (field.getAttribute('type') || '').toLowerCase();
                if (field.tagName === 'INPUT' && ['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
                count += 1;
                const byFor = field.id && document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
                const wrapping = field.closest('label');
                const aria = (field.getAttribute('aria-label') || '').trim();
                const labelledBy = (field.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
                    .some(id => { const e = document.getElementById(id); return e && e.textContent.trim(); });
                if (!(byFor && byFor.textContent.trim()) && !(wrapping && wrapping.textContent.trim()) && !aria && !labelledBy) {
                    missing.push(field.outerHTML.slice(0, 120));
                }
            }
            return {count, missing};
        """)
        present = [css for css in ("#filter", "#status", "#priority", "#source", "#muted") if shop.has(css)]
        self.results.check(len(present) == 5, f"the alerts page has its filter fields ({fields['count']} fields: {' '.join(present)})")
        self.results.check(not fields["missing"], "every input, select and textarea has a label (label[for] or aria-label)",
                           "; ".join(fields["missing"]))
        # Nothing was focused since the page loaded: the first Tab starts from the top.
        ActionChains(shop.driver).send_keys(Keys.TAB).perform()
        focused = shop.script("""
            const e = document.activeElement;
            if (!e || e === document.body) return null;
            const href = e.getAttribute('href') || '';
            return {tag: e.tagName, href, text: e.textContent.trim().slice(0, 60), inNav: !!e.closest('nav'),
                    target: href.startsWith('#') ? !!document.getElementById(href.slice(1)) : null};
        """)
        shop.shot("alerts-first-tab")
        self.results.check(focused is not None and focused["tag"] == "A" and (focused["inNav"] or focused["href"].startswith("#")),
                           "Tab from the top of the page focuses a link first (a skip link or the navigation)",
                           json.dumps(focused))
        if focused["href"].startswith("#"):
            self.results.check(focused["target"], f"the skip link's target {focused['href']} exists")

    def step_l_phone(self):
        (shop,) = self.need("shop")
        fingerprint = self.state.get("fingerprint")
        shop.driver.set_window_size(390, 844)
        try:
            pages = [("/ui/alerts", "phone-alerts")]
            if fingerprint:
                pages.append((f"/ui/alerts/{fingerprint}", "phone-alert"))
            for path, shot in pages:
                self.signed_in_shop(path, shot)
                width, viewport = shop.script("return [document.documentElement.scrollWidth, window.innerWidth];")
                self.results.check(width <= viewport + 1,
                                   f"{path} at 390px does not scroll sideways (scrollWidth {width}, innerWidth {viewport})")
            if not fingerprint:
                raise StepFailed("the alert page was not checked: needs the alert of step b")
        finally:
            shop.driver.set_window_size(1280, 800)

    def step_m_javascript_errors(self):
        errors = [f"{console.name}: {message}" for console in self.consoles for message in console.javascript_errors()]
        self.results.check(not errors, "no JavaScript errors were logged on the pages visited", "\n       ".join(errors[:10]))

    STEPS = [
        ("a", "sign-in", "step_a_sign_in"),
        ("b", "live alerts list", "step_b_live_row"),
        ("c", "alert page and rating factors", "step_c_alert_page"),
        ("d", "noise feedback", "step_d_feedback"),
        ("e", "silence like this", "step_e_silence"),
        ("f", "dead notification and replay", "step_f_dead_letter"),
        ("g", "tenant quotas and silences", "step_g_tenant_and_silences"),
        ("h", "CSRF", "step_h_csrf"),
        ("i", "tenant isolation", "step_i_isolation"),
        ("j", "sign-out", "step_j_sign_out"),
        ("k", "keyboard and labels", "step_k_keyboard"),
        ("l", "phone width", "step_l_phone"),
        ("m", "browser console", "step_m_javascript_errors"),
    ]

    def failure_screenshots(self):
        """A screenshot of every open browser session, where a check failed."""
        for console in self.consoles:
            if not console.closed:
                console.shot(f"failed-{self.results.step.split('.')[0]}")

    def run_step(self, letter, title, method):
        self.results.step = f"{letter}. {title}"
        print(f"# {letter}. {title}", flush=True)
        try:
            getattr(self, method)()
        except StepFailed as failure:
            if not failure.recorded:  # a wait or a precondition, not a check
                self.results.fail(str(failure), screenshots=not failure.precondition)
        except WebDriverException as error:
            self.results.fail(f"the browser failed: {error.msg or error}".strip())
        except Exception as error:  # noqa: BLE001 - report and go on with the next step
            where = "".join(traceback.format_exception(type(error), error, error.__traceback__, limit=-3, chain=False))
            self.results.fail(f"{type(error).__name__}: {error}", where.strip().replace("\n", "\n       "))

    def run(self):
        print(f"# work directory {self.work}, screenshots in {self.screenshots.directory}", flush=True)
        try:
            try:
                self.start()
            except StepFailed as failure:
                self.results.fail(str(failure))
            except (OSError, subprocess.SubprocessError) as error:
                self.results.fail(f"{type(error).__name__}: {error}")
            else:
                for letter, title, method in self.STEPS:
                    self.run_step(letter, title, method)
        finally:
            self.stop()
        if self.results.failed:
            if self.alertd is not None:
                print(f"\n--- last lines of {self.alertd.log} ---\n{self.alertd.tail()}\n---")
            if self.receiver is not None:
                print(f"--- last lines of {self.receiver.log} ---\n{self.receiver.tail(20)}\n---")
        total = self.results.passed + len(self.results.failed)
        print(f"\ncheck-console: {self.results.passed}/{total} checks passed, {len(self.results.failed)} failed; "
              f"{self.screenshots.count} screenshots in {self.screenshots.directory}")
        for failure in self.results.failed:
            print(f"  failed: {failure}")
        return 1 if self.results.failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alertd", required=True, help="the alertd binary")
    parser.add_argument("--work", required=True, help="scratch directory for tenants, data and logs")
    parser.add_argument("--screenshots", required=True, help="directory for the NN-name.png screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the Chromium binary (default /usr/bin/chromium)")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver", help="ChromeDriver (default /usr/bin/chromedriver)")
    parser.add_argument("--timeout", type=float, default=20, help="seconds to wait for a page to change (default 20)")
    args = parser.parse_args()
    for what, path in (("alertd", args.alertd), ("Chromium", args.chromium), ("ChromeDriver", args.chromedriver)):
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            print(f"check-console: no {what} at {path}", file=sys.stderr)
            return 2
    args.alertd = str(Path(args.alertd).resolve())
    args.work = str(Path(args.work).resolve())

    def on_sigterm(signum, _frame):
        raise SystemExit(128 + signum)  # unwinds through Check.run, which stops alertd and the browsers

    signal.signal(signal.SIGTERM, on_sigterm)
    return Check(args).run()


if __name__ == "__main__":
    sys.exit(main())
