"""Requests per second of the dashboard against a bare Flask page of the same size,
both under gunicorn, measured side by side with wrk (goal: dashboard ≥ 50%)."""
from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import ROOT, database_url, drop, report

PYTHON_BIN = Path(sys.executable).parent
WORKERS = os.environ.get("BENCH_WORKERS", "2")
#: Sent by the sign-in and by wrk alike, as one browser would: Flask-Login's session
#: protection marks the session not fresh, and so rewrites its cookie on every request,
#: when the User-Agent differs from the one that signed in.
USER_AGENT = "intranet-bench"


def _wait(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def _serve(app_spec: str, port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen([str(PYTHON_BIN / "gunicorn"), "--workers", WORKERS, "--bind", f"127.0.0.1:{port}",
                             "--log-level", "warning", app_spec], cwd=ROOT, env={**os.environ, **env})


def _wrk(url: str, cookie: str = "") -> float:
    args = ["wrk", "-t", "1", "-c", "8", "-d", os.environ.get("BENCH_SECONDS", "8"),
            "-H", f"User-Agent: {USER_AGENT}", url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _session_cookie(base: str, username: str) -> tuple[str, int]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    data = urllib.parse.urlencode({"login": username, "password": "demo1234"}).encode()
    opener.open(f"{base}/auth/login", data=data)
    body = opener.open(f"{base}/").read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, len(body)


def main(kind: str = "sqlite", username: str = "chenhao") -> None:
    import shutil

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    name = "bench_dashboard"
    drop(kind, name)
    url = database_url(kind, name)
    env = {"DATABASE_URL": url, "INTRANET_SECRET_KEY": "bench", "INTRANET_WTF_CSRF_ENABLED": "false",
           "INTRANET_RATELIMIT_ENABLED": "false"}
    flask = [str(PYTHON_BIN / "flask"), "--app", "intranet"]
    for command in (["db", "upgrade", "heads"], ["init"], ["demo"]):
        subprocess.run(flask + command, cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True)
    intranet = _serve("intranet:create_app()", 8101, env)
    try:
        _wait("http://127.0.0.1:8101/healthz")
        cookie, size = _session_cookie("http://127.0.0.1:8101", username)
        bare = _serve("bench.bare_app:app", 8102, {"BARE_PAGE_BYTES": str(size)})
        try:
            _wait("http://127.0.0.1:8102/")
            bare_size = len(urllib.request.urlopen("http://127.0.0.1:8102/").read())
            dashboard_rps, bare_rps = [], []
            for _ in range(2):  # interleaved, so both see the same machine
                bare_rps.append(_wrk("http://127.0.0.1:8102/"))
                dashboard_rps.append(_wrk("http://127.0.0.1:8101/", cookie))
        finally:
            bare.send_signal(signal.SIGTERM)
            bare.wait()
    finally:
        intranet.send_signal(signal.SIGTERM)
        intranet.wait()
    ratio = max(dashboard_rps) / max(bare_rps)
    report(f"dashboard-{kind}", [
        f"Dashboard of {username} ({size} bytes) vs a bare Flask page ({bare_size} bytes), gunicorn "
        f"{WORKERS} workers, wrk 8 connections, {kind}:",
        f"  dashboard: {', '.join(f'{r:.0f}' for r in dashboard_rps)} requests/s",
        f"  bare page: {', '.join(f'{r:.0f}' for r in bare_rps)} requests/s",
        f"  ratio {ratio:.0%} (goal ≥ 50%: {'met' if ratio >= 0.5 else 'NOT met'})",
    ])


if __name__ == "__main__":
    main(*sys.argv[1:])
