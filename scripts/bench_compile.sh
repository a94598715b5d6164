#!/usr/bin/env bash
# Compile benchmark: `jinjac compile` on a generated tree of COPIES copies of the example site
# (11 templates each), cold (-j 1 and all cores), warm (nothing changed), --force, and check;
# and, for reference, Python Jinja2's Environment.compile_templates on the same tree with the
# same settings. Prints the best of RUNS wall-clock times for each. Results: BENCHMARKS.md.
#
#   scripts/bench_compile.sh [COPIES] [RUNS]      (defaults: 300 copies = 3300 templates, 3 runs)
#   BENCH_DIR=/dev/shm scripts/bench_compile.sh   (the tree on tmpfs: no file-system cost)
#   GEN=10000 scripts/bench_compile.sh 0 5        (instead of copies: ../shared/bench/gen_corpus.py
#                                                  with GEN pages, 10008 templates, 38 MB)
#   NO_PYTHON=1 ...                               (skip the Python Jinja2 reference)
set -euo pipefail
cd "$(dirname "$0")/.."
COPIES=${1:-300}
RUNS=${2:-3}

cargo build --release --quiet
BIN=$PWD/target/release/jinjac
WORK=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/jinjac-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

if [ -n "${GEN:-}" ]; then
    python3 "${GEN_CORPUS:-../shared/bench/gen_corpus.py}" "$GEN" "$WORK"
else
python3 - "$WORK" "$COPIES" <<'PY'
import shutil, sys
work, copies = sys.argv[1], int(sys.argv[2])
for i in range(copies):
    shutil.copytree("fixtures/site/templates", f"{work}/templates/copy{i:04d}")
shutil.copy("fixtures/site/jinjac.toml", f"{work}/jinjac.toml")
PY
fi
N=$(find "$WORK/templates" -type f | wc -l)
BYTES=$(find "$WORK/templates" -type f -exec cat {} + | wc -c)
echo "tree: $N templates, $BYTES bytes; $(nproc) cores; best of $RUNS"

best() {  # best wall time (and the CPU time of that run) of "$@" over RUNS runs; PREP runs first
    local best="" cpu=""
    for _ in $(seq "$RUNS"); do
        [ -n "${PREP:-}" ] && eval "$PREP"
        local out wall user sys
        out=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>&1 || true; } 2>&1 )
        read -r wall user sys <<<"$out"
        wall=$(awk -v w="$wall" 'BEGIN{printf "%d", w*1000}')
        if [ -z "$best" ] || [ "$wall" -lt "$best" ]; then
            best=$wall
            cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%d", (u+s)*1000}')
        fi
    done
    printf '%8s %8s' "$best" "$cpu"
}

cd "$WORK"
printf '%-44s %8s %8s\n' "case" "wall ms" "cpu ms"
PREP="rm -rf c" ; printf '%-44s %s\n' "jinjac compile, cold, -j 1" "$(best "$BIN" compile templates -o c -j 1)"
PREP="rm -rf c" ; printf '%-44s %s\n' "jinjac compile, cold, all cores" "$(best "$BIN" compile templates -o c)"
PREP=""          ; "$BIN" compile templates -o c -q
printf '%-44s %s\n' "jinjac compile, warm (nothing changed)" "$(best "$BIN" compile templates -o c)"
printf '%-44s %s\n' "jinjac compile --force" "$(best "$BIN" compile templates -o c --force)"
printf '%-44s %s\n' "jinjac check" "$(best "$BIN" check templates)"
printf '%-44s %s\n' "jinjac verify" "$(best "$BIN" verify c -t templates)"
[ -n "${NO_PYTHON:-}" ] || { PREP="rm -rf py" ; printf '%-44s %s\n' "jinja2 compile_templates (Python, 1 core)" "$(best python3 -c '
import jinja2
env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"),
    autoescape=jinja2.select_autoescape(["html", "htm", "xml"]), trim_blocks=True, lstrip_blocks=True,
    extensions=["jinja2.ext.loopcontrols"])
env.compile_templates("py", zip=None, ignore_errors=False)
')"; }
PREP=""
"$BIN" compile templates -o c -q
echo "cache: $(find c -type f -exec cat {} + | wc -c) bytes in $(find c -type f | wc -l) files; sources: $BYTES bytes"
