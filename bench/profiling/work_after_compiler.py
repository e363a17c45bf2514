#!/usr/bin/env python3
"""Whose work runs after the compiler's last sample in each timed run of a `perf` profile split by `--windows`.

Tests whether an analyzer's cost sits at the end of a run, where nothing else runs beside it (the trees the driver
still has queued when the compiler finishes, compilation-end actions): then it adds its whole CPU to wall time. Per
variant it prints medians over rounds: the window, when the compiler's frames (method compilation, binding, flow
analysis, outside DmaSafe's frames) were last sampled, the tail after that, and DmaSafe's and the driver's samples
in that tail. At 999 Hz a sample is ~1 ms.

Record with the recipe in split_by_variant.py, then:

  python3 bench/profiling/work_after_compiler.py windows.tsv run.script
"""
import bisect
import collections
import statistics
import sys

# The same windows file and `perf script` output as split_by_variant.py, read by its functions.
from split_by_variant import read_windows, samples

COMPILER_FRAMES = ("MethodCompiler", "CSharp.Binder", "NullableWalker", "FlowAnalysis")
DRIVER_FRAMES = ("Diagnostics.AnalyzerDriver", "AnalyzerExecutor")


def kind_of(frames):
    joined = "\n".join(frames)
    if "DmaSafe.Analyzers" in joined:
        return "dmasafe"
    if any(frame in joined for frame in COMPILER_FRAMES):
        return "compiler"
    if any(frame in joined for frame in DRIVER_FRAMES):
        return "driver"
    return "other"


def main(windows_path, script_path):
    windows = read_windows(windows_path)
    starts = [window[0] for window in windows]
    by_window = collections.defaultdict(list)
    for time, frames in samples(script_path):
        if time is None:
            continue
        index = bisect.bisect_right(starts, time) - 1
        if index >= 0 and time <= windows[index][1]:
            by_window[index].append((time, kind_of(frames)))

    rows = collections.defaultdict(list)
    for index, taken in by_window.items():
        start, end, variant, _ = windows[index]
        compiler = [time for time, kind in taken if kind == "compiler"]
        if not compiler:
            continue
        last = max(compiler)
        rows[variant].append({
            "window": (end - start) * 1000,
            "compiler until": (last - start) * 1000,
            "tail": (end - last) * 1000,
            "DmaSafe in tail": sum(1 for time, kind in taken if kind == "dmasafe" and time > last),
            "DmaSafe in run": sum(1 for _, kind in taken if kind == "dmasafe"),
            "driver in tail": sum(1 for time, kind in taken if kind == "driver" and time > last),
        })

    for variant, runs in rows.items():
        medians = ", ".join(f"{key} {statistics.median(run[key] for run in runs):.0f}" for key in runs[0])
        print(f"{variant} ({len(runs)} rounds, ms or samples): {medians}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
