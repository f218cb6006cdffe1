"""What docs/deployment.md promises: instance/config.py is read, and gunicorn started with
the shipped configuration warns when its workers would each keep their own sign-in limits."""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from intranet import create_app
from intranet.config import read
from tests.conftest import make_config

GUNICORN = str(Path(sys.executable).parent / "gunicorn")
WARNING = "workers keep sign-in rate limits in their own memory"


@pytest.fixture
def instance(tmp_path, monkeypatch):
    monkeypatch.setenv("INTRANET_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("INTRANET_RATELIMIT_STORAGE_URI", raising=False)
    return tmp_path


def test_instance_config_file_is_read(instance):
    (instance / "config.py").write_text('RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/3"\n')
    assert read()["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    app = create_app(make_config(f"sqlite:///{instance / 'test.db'}"))
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"


def start_gunicorn(*args: str) -> list[str]:
    """Start gunicorn with the shipped configuration; its log up to the first worker's boot."""
    process = subprocess.Popen(
        [GUNICORN, "-c", "python:intranet.gunicorn_config", "--bind", "127.0.0.1:0", "--no-control-socket",
         *args, "intranet:create_app()"], stderr=subprocess.PIPE, text=True)
    timer = threading.Timer(60, process.kill)  # never hang the suite
    timer.start()
    lines = []
    try:
        for line in process.stderr:
            lines.append(line)
            if "Booting worker" in line:
                break
    finally:
        timer.cancel()
        process.terminate()
        process.wait(timeout=30)
    assert any("Booting worker" in line for line in lines), "".join(lines)
    return lines


def test_several_workers_with_the_memory_store_are_warned_about_at_start(instance):
    warnings = [line for line in start_gunicorn("--workers", "3") if WARNING in line]
    assert len(warnings) == 1 and "[WARNING]" in warnings[0] and "3 workers" in warnings[0]
    assert "INTRANET_RATELIMIT_STORAGE_URI=redis://" in warnings[0]


@pytest.mark.parametrize("setting", ["workers", "redis"])
def test_one_worker_or_a_shared_store_starts_without_the_warning(instance, monkeypatch, setting):
    if setting == "redis":
        monkeypatch.setenv("INTRANET_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    lines = start_gunicorn("--workers", "1" if setting == "workers" else "3")
    assert not [line for line in lines if WARNING in line]
