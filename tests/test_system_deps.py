""".ci/system-deps, which `make test` runs: it waits while another installation holds
the package lock, within a bound, and fails at once on any other error.

A fake ``apt-get`` (and ``sudo``) first on PATH fails with apt's lock message a given
number of times, then succeeds, and logs every call.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "system-deps"
LOCKED = "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)"
FAKE_APT_GET = """#!/bin/sh
echo "$*" >> "$FAKE_APT_LOG"
calls=$(wc -l < "$FAKE_APT_LOG")
if [ "$calls" -le "$FAKE_APT_FAILURES" ]; then
  echo "$FAKE_APT_ERROR" >&2
  exit 100
fi
"""


def run(tmp_path, failures: int, error: str = LOCKED, timeout: int = 30, packages=("chromium", "zbar-tools")):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in (("apt-get", FAKE_APT_GET), ("sudo", '#!/bin/sh\nexec "$@"\n')):
        (bin_dir / name).write_text(body)
        (bin_dir / name).chmod(0o755)
    log = tmp_path / "apt.log"
    log.write_text("")
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "FAKE_APT_LOG": str(log),
           "FAKE_APT_FAILURES": str(failures), "FAKE_APT_ERROR": error, "APT_LOCK_TIMEOUT": str(timeout),
           "APT_LOCK_RETRY_SECONDS": "0.1"}
    result = subprocess.run([str(SCRIPT), *packages], env=env, capture_output=True, text=True, timeout=120)
    return result, log.read_text().splitlines()


def test_a_held_package_lock_is_waited_for_then_the_packages_install(tmp_path):
    result, calls = run(tmp_path, failures=3)
    assert result.returncode == 0, result.stderr
    assert len(calls) == 5  # update refused three times, then update and install
    assert all(" update " in f" {c} " for c in calls[:4]) and calls[4].endswith("install -y -qq chromium zbar-tools")
    assert "DPkg::Lock::Timeout=" in calls[4]  # dpkg's own lock: apt waits for it itself
    assert result.stderr.count("Another installation holds the package lock") == 3


def test_the_wait_is_bounded(tmp_path):
    result, calls = run(tmp_path, failures=10_000, timeout=1)
    assert result.returncode == 100
    assert "still held after 1s" in result.stderr
    assert calls and all("update" in c for c in calls)  # never went on to install


def test_other_errors_fail_at_once(tmp_path):
    result, calls = run(tmp_path, failures=1, error="E: Unable to locate package chromium")
    assert result.returncode == 100 and "Unable to locate package" in result.stderr
    assert len(calls) == 1

