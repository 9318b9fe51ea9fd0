"""Draw the latency percentiles of a benchmark result (`latest.json`) as a PNG."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def plot(results_json: Path, png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = json.loads(results_json.read_text())["results"]
    names = [r["scenario"] for r in results]
    positions = range(len(results))
    width = 0.27
    figure, axis = plt.subplots(figsize=(11, 5))
    for offset, label in enumerate(("p50", "p95", "p99")):
        values = [r[f"{label}_ms"] for r in results]
        axis.bar([p + (offset - 1) * width for p in positions], values, width, label=label)
    axis.set_xticks(list(positions), names, rotation=20, ha="right")
    axis.set_ylabel("latency (ms, log scale)")
    axis.set_yscale("log")
    axis.set_title("todo-api latency per scenario (best of runs, 2 workers, 32 connections)")
    axis.legend()
    figure.tight_layout()
    figure.savefig(png, dpi=110)


if __name__ == "__main__":
    plot(Path(sys.argv[1]), Path(sys.argv[2]))
