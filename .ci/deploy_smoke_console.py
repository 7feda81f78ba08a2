"""The deploy smoke's browser: sign in to the console behind a (pretended) TLS proxy, run a flow.

``python deploy_smoke_console.py BASE_URL USERNAME PASSWORD FLOW_ID``; exits non-zero with the
reason when a step fails. Every request carries ``X-Forwarded-Proto: https`` as the reverse proxy
of docs/deploy.md adds it, and the form posts carry the browser's ``Origin``. Production cookies
are ``Secure``; an HTTP client library would not send them back over the plain loopback link, so
they are kept and sent by hand.
"""

import re
import sys
import time
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import requests

FINISHED_OK = ("succeeded", "partial")


class Console:
    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")
        self.origin = "https://" + urlsplit(self.base_url).netloc
        self.cookies = {}

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data):
        headers = {"Origin": self.origin, "Referer": self.origin + path}
        return self.request("POST", path, data=data, headers=headers)

    def request(self, method, path, headers=None, proxied=True, **kwargs):
        headers = dict(headers or {})
        if proxied:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = requests.request(
            method, self.base_url + path, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )
        for line in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return response


def expect(condition, message):
    if not condition:
        sys.exit(f"deploy smoke: {message}")


def csrf_token(page):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    expect(found, "no CSRF token on the page")
    return found.group(1)


def sign_in(console, username, password):
    plain = console.get("/admin/login/", proxied=False)
    expect(
        plain.status_code == 301 and plain.headers["Location"].startswith("https://"), "no redirect to https"
    )
    login = console.get("/admin/login/")
    expect(login.status_code == 200, f"login page answered {login.status_code}")
    data = {
        "username": username,
        "password": password,
        "next": "/admin/",
        "csrfmiddlewaretoken": csrf_token(login),
    }
    signed_in = console.post("/admin/login/?next=/admin/", data)
    expect(signed_in.status_code == 302, f"sign-in answered {signed_in.status_code}: {signed_in.text[:300]}")
    expect("sessionid" in console.cookies, "no session cookie after signing in")


def check_static_files(console):
    home = console.get("/admin/")
    expect(home.status_code == 200, f"the console's home answered {home.status_code}")
    stylesheet = re.search(r'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', home.text)
    expect(stylesheet, "the home page links no hashed stylesheet (static manifest)")
    served = console.get(stylesheet.group(1))
    expect(served.status_code == 200, f"the stylesheet answered {served.status_code}")


def run_flow(console, flow_id):
    changelist = console.get("/admin/syncjobs/syncflow/")
    expect(changelist.status_code == 200, f"the flows page answered {changelist.status_code}")
    data = {
        "action": "run_flows_now",
        "_selected_action": flow_id,
        "index": "0",
        "select_across": "0",
        "csrfmiddlewaretoken": csrf_token(changelist),
    }
    queued = console.post("/admin/syncjobs/syncflow/", data)
    found = re.search(r"/admin/syncjobs/syncrun/(\d+)/change/", queued.headers.get("Location", ""))
    expect(queued.status_code == 302 and found, f"'Run now' answered {queued.status_code}")
    return found.group(1)


def wait_for_run(console, run_id, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        progress = console.get(f"/admin/operations/progress/?runs={run_id}").json()["runs"][run_id]
        if progress["finished"]:
            return progress
        time.sleep(1)
    sys.exit(f"deploy smoke: run {run_id} did not finish within {seconds} s (is the worker running?)")


def main(base_url, username, password, flow_id):
    console = Console(base_url)
    sign_in(console, username, password)
    check_static_files(console)
    run_id = run_flow(console, flow_id)
    progress = wait_for_run(console, run_id)
    print(f"run {run_id}: {progress['status']}, read {progress['read']}, failed {progress['failed']}")
    expect(progress["status"] in FINISHED_OK, f"the run ended {progress['status']}: {progress['message']}")
    expect(progress["read"] > progress["failed"], "no record of the run synced")
    page = console.get(f"/admin/syncjobs/syncrun/{run_id}/change/")
    expect(page.status_code == 200, f"the run's page answered {page.status_code}")


if __name__ == "__main__":
    main(*sys.argv[1:])
