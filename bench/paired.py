#!/usr/bin/env python3
"""Paired ratios: each target of the benchmark table measured as pairs of neighbouring batches.

usage: paired.py CORPUS_DIR [--rounds N] [--batch SECONDS] [--worker PATH] [--out results.json]

The criterion run (benches/compare.rs) measures each engine for several seconds, one after the
other, and Python Jinja2's column is measured minutes before it. On a shared machine whose speed
drifts by half over minutes, a ratio of two such figures can move by as much. Here every ratio
is taken from two batches run back to back (the peer's, then jinjac's, the order swapped each
round), repeated for several rounds; the table gives the median ratio and the range over the
rounds. Python Jinja2 runs in this process, the Rust engines in `paired` (src/bin/paired.rs),
which this script starts and drives over a pipe. The work is the same as in jinja2_bench.py and
benches/compare.rs.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import jinja2

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import jinja2_bench as jb  # noqa: E402

# (label, peer workload, jinjac workload, target ratio (1: "faster"), what is compared)
PAIRS = [(f"render corpus, autoescape {ae}", f"python:corpus_{ae}", f"jinjac:corpus_{ae}", 10.0, "Jinja2 / jinjac")
         for ae in ("off", "on")]
for work, label, targets in (("big_table", "big table", {"tera": 3.0, "minijinja": 6.0}),
                             ("teams", "teams", {"tera": 1.0, "minijinja": 1.0})):
    for ae in ("off", "on"):
        for peer, shown in (("tera", "Tera"), ("minijinja", "minijinja")):
            PAIRS.append((f"render {label}, autoescape {ae}", f"{peer}:{work}_{ae}", f"jinjac:{work}_{ae}",
                          targets[peer], f"{shown} / jinjac"))
PAIRS += [
    ("compile corpus", "minijinja:compile", "jinjac:compile", 1.5, "minijinja / jinjac"),
    ("load corpus from buckets", "jinjac:compile", "jinjac:decode", 10.0, "jinjac compile / bucket decode"),
]


class Worker:
    """The Rust engines, in bench/src/bin/paired.rs."""

    def __init__(self, path):
        self.p = subprocess.Popen([path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def run(self, workload, n):
        self.p.stdin.write(f"{workload} {n}\n")
        self.p.stdin.flush()
        line = self.p.stdout.readline().strip()
        if not line.isdigit():
            raise SystemExit(f"paired worker: {workload}: {line or 'no answer'}")
        return int(line)

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def python_workloads(corpus):
    """Jinja2's side, as in jinja2_bench.py: name -> function doing one iteration."""
    tdir = os.path.join(corpus, "templates")
    with open(os.path.join(corpus, "context.json"), encoding="utf-8") as fh:
        ctx = json.load(fh)
    pages = [n for n, _ in jb.corpus_templates(tdir) if n.startswith("pages/")]
    out = {}
    for ae in (False, True):
        tag = "on" if ae else "off"
        loaded = [jb.env_for(tdir, ae).get_template(n) for n in pages]
        out[f"corpus_{tag}"] = lambda loaded=loaded: [t.render(ctx) for t in loaded]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--batch", type=float, default=0.4, help="seconds per batch (at least one iteration)")
    ap.add_argument("--worker", default=os.path.join(HERE, "..", "target", "release", "paired"))
    ap.add_argument("--out")
    a = ap.parse_args()
    os.environ.setdefault("JINJAC_BENCH_CORPUS", os.path.abspath(a.corpus))
    py = python_workloads(a.corpus)
    worker = Worker(a.worker)

    def batch(workload, n):
        """Nanoseconds for n iterations of workload."""
        engine, work = workload.split(":", 1)
        if engine != "python":
            return worker.run(workload, n)
        fn = py[work]
        t0 = time.perf_counter_ns()
        for _ in range(n):
            fn()
        return time.perf_counter_ns() - t0

    # Iterations per batch: enough for --batch seconds, from one warm-up iteration.
    iters = {}
    for w in sorted({w for _, p, j, _, _ in PAIRS for w in (p, j)}):
        batch(w, 1)
        one = max(batch(w, 1), 1)
        iters[w] = max(1, int(a.batch * 1e9 / one))
        print(f"{w}: {one / 1e6:.3f} ms per iteration, {iters[w]} per batch", file=sys.stderr)

    per = {i: {"peer": [], "jinjac": [], "ratio": []} for i in range(len(PAIRS))}
    for r in range(a.rounds):
        for i, (_, peer, jinjac, _, _) in enumerate(PAIRS):
            order = [(peer, "peer"), (jinjac, "jinjac")]
            if r % 2:
                order.reverse()
            t = {}
            for w, side in order:
                t[side] = batch(w, iters[w]) / iters[w]
            per[i]["peer"].append(t["peer"])
            per[i]["jinjac"].append(t["jinjac"])
            per[i]["ratio"].append(t["peer"] / t["jinjac"])
        print(f"round {r + 1}/{a.rounds} done", file=sys.stderr)
    worker.close()

    rows = []
    print(f"Paired batches: {a.rounds} rounds, about {a.batch:g} s per batch; ratio = peer time / jinjac time "
          "(> 1: jinjac is faster), median over the rounds, [lowest, highest].")
    print()
    print("| workload | compared | jinjac | peer | ratio (median) | range | target | met |")
    print("|---|---|---|---|---|---|---|---|")
    for i, (label, peer, jinjac, target, what) in enumerate(PAIRS):
        d = per[i]
        ratio = statistics.median(d["ratio"])
        lo, hi = min(d["ratio"]), max(d["ratio"])
        met = ratio >= target if target > 1 else ratio > 1
        tgt = f"≥ {target:g}×" if target > 1 else "> 1×"
        print(f"| {label} | {what} | {fmt(statistics.median(d['jinjac']))} | {fmt(statistics.median(d['peer']))} "
              f"| **{ratio:.1f}×** | {lo:.1f}–{hi:.1f}× | {tgt} | {'yes' if met else 'no'} |")
        rows.append({"label": label, "peer": peer, "jinjac": jinjac, "target": target, "ratio": ratio,
                     "low": lo, "high": hi, "jinjac_ns": d["jinjac"], "peer_ns": d["peer"]})
    if a.out:
        with open(a.out, "w", encoding="utf-8") as fh:
            json.dump({"rounds": a.rounds, "batch_s": a.batch, "pairs": rows}, fh, indent=1)
            fh.write("\n")


def fmt(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


if __name__ == "__main__":
    main()
