"""Run the benchmarks: `make bench` (quick ones) or `python bench/run.py approvals --db postgresql`.

Results are printed and written to bench/results/; docs/benchmarks.md records a run.
"""
from __future__ import annotations

import argparse

import approvals
import crm_sales
import dashboard
import pdf
import startup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("which", nargs="?", default="quick",
                        choices=("quick", "startup", "pdf", "dashboard", "approvals", "crm_sales"),
                        help="quick = startup, pdf and dashboard (the approvals one takes long)")
    parser.add_argument("--db", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--requests", type=int, default=1_000_000, help="approval requests to generate")
    args = parser.parse_args()
    if args.which in ("quick", "startup"):
        startup.main()
    if args.which in ("quick", "pdf"):
        pdf.main(args.db)
    if args.which in ("quick", "dashboard"):
        dashboard.main(args.db)
    if args.which == "approvals":
        approvals.main(args.db, str(args.requests))
    if args.which == "crm_sales":
        crm_sales.main(args.db)


if __name__ == "__main__":
    main()
