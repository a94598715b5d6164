#!/usr/bin/env bash
# One command for the whole comparison (project issue #6): generates the corpus if needed, runs
# Python Jinja2's measurements (dumping its output of every page), checks that jinjac renders
# every page identically, runs the criterion benches (jinjac, minijinja, Tera), then measures
# each target's ratio again from paired neighbouring batches (paired.py), and prints the
# markdown tables (also written to bench/results/table.md).
#
# usage: bench/run.sh            (N=1000 corpus pages; QUICK=1 for shorter Python measurements;
#                                 SKIP_PYTHON=1 reuses results/jinja2.json from an earlier run)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
N="${N:-1000}"
GEN="${GEN_CORPUS:-$here/../../shared/bench/gen_corpus.py}"
export JINJAC_BENCH_CORPUS="$here/corpus"

if [ ! -f corpus/context.json ]; then
  python3 "$GEN" "$N" corpus
fi
mkdir -p results

if [ -z "${SKIP_PYTHON:-}" ] || [ ! -f results/jinja2.json ]; then
  echo "== Python Jinja2" >&2
  rm -rf results/jinja2_out
  python3 jinja2_bench.py corpus --out results/jinja2.json --dump results/jinja2_out ${QUICK:+--quick}
fi

echo "== output check against Jinja2" >&2
cargo run --release --quiet --bin check_corpus -- corpus results/jinja2_out | tee results/check.txt

echo "== criterion (jinjac, minijinja, Tera)" >&2
cargo bench --bench compare -- --noplot 2>&1 | tee results/criterion.txt >&2

echo "== paired batches (jinjac beside each peer, batch by batch)" >&2
cargo build --release --quiet --bin paired
python3 paired.py corpus --out results/paired.json > results/paired.md

{
  echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; $(rustc --version); $(python3 -c 'import sys, jinja2; print("Python", sys.version.split()[0], "Jinja2", jinja2.__version__)')"
  echo
  python3 table.py ../target/criterion results/jinja2.json
  echo
  sed 's/^/    /' results/check.txt
  echo
  cat results/paired.md
} | tee results/table.md
