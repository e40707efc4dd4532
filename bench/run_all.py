"""`make bench`: every benchmark in bench/, one after another; exit 1 if any misses its bar."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = (
    "bench_store.py",
    "bench_chart_cli.py",
    "bench_charts.py",
    "bench_tui.py",
    "crash_bench.py",
    "bench_flat_cost.py",  # reports issue 10's bars; always exits 0
)


def main() -> int:
    failed = []
    for script in SCRIPTS:
        print(f"\n## {script}", flush=True)
        if subprocess.run([sys.executable, str(HERE / script)]).returncode != 0:
            failed.append(script)
    if failed:
        print(f"\nover budget or failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
