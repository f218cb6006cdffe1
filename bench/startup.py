"""App start with all modules: imports plus create_app, in fresh processes (goal ≤ 1.5 s)."""
from __future__ import annotations

import statistics
import subprocess
import sys
import time

from common import ROOT, report

CHILD = """
import time
start = time.perf_counter()
from intranet import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench"})
print(time.perf_counter() - start, len(app.extensions["intranet"].registry.modules))
"""


def main(runs: int = 7) -> None:
    inside, whole = [], []
    modules = 0
    for _ in range(runs):
        start = time.perf_counter()
        output = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.split()
        whole.append(time.perf_counter() - start)
        inside.append(float(output[0]))
        modules = int(output[1])
    report("startup", [
        f"App start with all {modules} installed modules ({runs} fresh processes):",
        f"  imports + create_app: median {statistics.median(inside):.3f} s, worst {max(inside):.3f} s",
        f"  whole process incl. interpreter: median {statistics.median(whole):.3f} s",
        f"  goal ≤ 1.5 s: {'met' if max(inside) <= 1.5 else 'NOT met'}",
    ])


if __name__ == "__main__":
    main()
