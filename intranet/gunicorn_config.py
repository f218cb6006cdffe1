"""Gunicorn settings shipped with the intranet (docs/deployment.md):

    gunicorn -c python:intranet.gunicorn_config --workers 4 ... "intranet:create_app()"

Only the start-up check lives here; workers, address and proxy trust stay on the
command line, where the systemd unit shows them.
"""
from __future__ import annotations

from intranet.config import read, unshared_rate_limits


def when_ready(server) -> None:
    """Warn once, in the master, when several workers would each count sign-in attempts alone."""
    problem = unshared_rate_limits(server.cfg.workers, read())
    if problem:
        server.log.warning(problem)
