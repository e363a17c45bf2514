#!/usr/bin/env python3
"""Split a `perf` profile of one `analyzer-project --measure ... --windows FILE` process by variant.

Each sample is put in the timed run (variant, round) whose window holds its timestamp, and in one bucket by what it
was doing: DmaSafe's frames (its code and the Roslyn calls it makes), the driver's frames, the compiler's frames,
the runtime (libcoreclr: mostly garbage collection) under each of those, JIT, kernel. Per bucket it prints each
variant's median per round and the paired median difference against EmptyAnalyzer. At 999 Hz a sample is ~1 ms.

Record and split (see docs/PERFORMANCE.md, Analyzers, Session 5):

  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -k mono -F 999 -g -o run.data -- \
      dotnet bench/DmaSafe.Benchmarks/bin/Release/net10.0/DmaSafe.Benchmarks.dll analyzer-project --measure 16 --core --windows windows.tsv
  perf script -i run.data -F comm,tid,time,ip,sym,dso --no-demangle > run.script
  python3 bench/profiling/split_by_variant.py windows.tsv run.script

Without DOTNET_EnableWriteXorExecute=0 the jitted code lives in memfd mappings that perf does not symbolise.
"""
import bisect
import collections
import re
import statistics
import sys

EMPTY = "Compiler + EmptyAnalyzer"


def read_windows(path):
    windows = []
    with open(path) as lines:
        next(lines)  # header
        for line in lines:
            variant, round_, start, end = line.rstrip("\n").split("\t")
            windows.append((float(start), float(end), variant, int(round_)))
    windows.sort()
    return windows


def samples(path):
    """Yields (timestamp, frames leaf first) for each sample of `perf script` output."""
    time, frames = None, None
    with open(path, errors="replace") as lines:
        for line in lines:
            if not line.strip():
                if frames is not None:
                    yield time, frames
                time, frames = None, None
            elif line[0] not in "\t ":
                found = re.search(r"(\d+\.\d+):", line)
                time, frames = (float(found.group(1)) if found else None), []
            elif frames is not None:
                parts = line.strip().split(None, 1)
                frames.append(parts[1] if len(parts) > 1 else "?")
    if frames is not None:
        yield time, frames


def bucket(frames):
    if any("DmaSafe.Analyzers" in f for f in frames):
        return "DmaSafe frames"
    leaf = frames[0]
    driver = any("AnalyzerDriver" in f or "AnalyzerExecutor" in f or "AnalyzerManager" in f for f in frames)
    if "libclrjit" in leaf:
        return "JIT"
    if "libcoreclr" in leaf:
        if driver:
            return "runtime (GC) under driver frames"
        if any("Microsoft.CodeAnalysis" in f for f in frames):
            return "runtime (GC) under compiler frames"
        return "runtime (GC) without managed frames"
    if "kernel" in leaf:
        return "kernel"
    if driver:
        return "driver frames"
    if any("Microsoft.CodeAnalysis" in f for f in frames):
        return "compiler frames"
    return "other"


def main(windows_path, script_path):
    windows = read_windows(windows_path)
    starts = [w[0] for w in windows]
    counts = collections.defaultdict(collections.Counter)
    for time, frames in samples(script_path):
        if time is None or not frames:
            continue
        i = bisect.bisect_right(starts, time) - 1
        if i >= 0 and windows[i][0] <= time <= windows[i][1]:
            counts[(windows[i][2], windows[i][3])][bucket(frames)] += 1

    variants = sorted({w[2] for w in windows})
    rounds = sorted({w[3] for w in windows})
    buckets = sorted({b for c in counts.values() for b in c}) + ["total"]

    def value(variant, round_, name):
        c = counts[(variant, round_)]
        return sum(c.values()) if name == "total" else c[name]

    print("samples per round (median); paired median difference against EmptyAnalyzer in brackets")
    print("bucket".ljust(38) + "".join(v.replace("Compiler + ", "")[:24].rjust(26) for v in variants))
    for name in buckets:
        row = name.ljust(38)
        for variant in variants:
            median = statistics.median(value(variant, r, name) for r in rounds)
            if variant == EMPTY or EMPTY not in variants:
                row += f"{median:26.0f}"
            else:
                paired = statistics.median(value(variant, r, name) - value(EMPTY, r, name) for r in rounds)
                row += f"{median:15.0f} [{paired:+7.0f}]  "
        print(row)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
