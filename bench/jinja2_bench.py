#!/usr/bin/env python3
"""Python Jinja2's column of the jinjac benchmark table: the same work as bench/benches/compare.rs.

usage: jinja2_bench.py CORPUS_DIR [--out results.json] [--dump DIR] [--quick]

Measures, with the corpus made by gen_corpus.py (CORPUS_DIR/templates, CORPUS_DIR/context.json):
  compile/corpus      Environment.compile(source, name) of every template
  load/corpus         get_template of every template on a fresh Environment whose
                      FileSystemBytecodeCache is warm (source read + checksum + marshal.loads)
  render/*            the big table (100x100 ints), the teams page and every corpus page,
                      autoescape off and on
and writes {bench id: {"ns": mean ns per iteration, ...}} as JSON. With --dump DIR it also writes
Jinja2's output of every corpus page (DIR/ae_on/<name>, DIR/ae_off/<name>) so that jinjac's
output can be compared byte for byte (bench/src/bin/check_corpus.rs).
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

import jinja2

HERE = os.path.dirname(os.path.abspath(__file__))


def read(name):
    with open(os.path.join(HERE, "templates", name), encoding="utf-8") as fh:
        return fh.read()


BIG_TABLE = read("big_table.html")
TEAMS = read("teams.html")


def big_table_context(size):
    """A size x size table of ints, each row 0..size (as in Tera's and askama's benches)."""
    return {"table": [list(range(size)) for _ in range(size)]}


def teams_context():
    return {"year": 2015, "teams": [{"name": "Jiangsu", "score": 43}, {"name": "Beijing", "score": 27},
                                    {"name": "Guangzhou", "score": 22}, {"name": "Shandong", "score": 12}]}


def corpus_templates(root):
    """(name, source) of every template, sorted by name."""
    out = []
    for dirpath, _, files in os.walk(root):
        for f in files:
            path = os.path.join(dirpath, f)
            name = os.path.relpath(path, root).replace(os.sep, "/")
            with open(path, encoding="utf-8") as fh:
                out.append((name, fh.read()))
    out.sort()
    return out


def measure(fn, min_time, rounds=5):
    """Mean ns per call of fn: calibrate a batch to about min_time/rounds, run `rounds` batches,
    report the median batch's per-call time (steadier than the mean on a shared machine)."""
    fn()
    n = 1
    while True:
        t0 = time.perf_counter_ns()
        for _ in range(n):
            fn()
        dt = time.perf_counter_ns() - t0
        if dt >= min_time * 1e9 / rounds or n >= 1 << 20:
            break
        n *= 2
    per = [dt / n]
    for _ in range(rounds - 1):
        t0 = time.perf_counter_ns()
        for _ in range(n):
            fn()
        per.append((time.perf_counter_ns() - t0) / n)
    return statistics.median(per)


def env_for(templates_dir, autoescape, bcc=None):
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=autoescape,
        bytecode_cache=bcc,
        cache_size=-1,
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--out")
    ap.add_argument("--dump")
    ap.add_argument("--quick", action="store_true", help="shorter measurements")
    a = ap.parse_args()
    min_time = 1.0 if a.quick else 3.0
    tdir = os.path.join(a.corpus, "templates")
    with open(os.path.join(a.corpus, "context.json"), encoding="utf-8") as fh:
        ctx = json.load(fh)
    templates = corpus_templates(tdir)
    pages = [n for n, _ in templates if n.startswith("pages/")]
    total_bytes = sum(len(s.encode("utf-8")) for _, s in templates)
    results = {"_meta": {"jinja2": jinja2.__version__, "python": sys.version.split()[0],
                         "markupsafe_speedups": markupsafe_speedups()}}

    # compile: Jinja2's full pipeline (lex, parse, generate Python, compile() to a code object)
    env = jinja2.Environment(autoescape=True)

    def compile_all():
        for name, src in templates:
            env.compile(src, name, name)

    ns = measure(compile_all, min_time, rounds=3)
    results["compile/corpus"] = {"ns": ns, "bytes": total_bytes, "templates": len(templates)}
    print(f"compile/corpus: {ns / 1e6:.1f} ms", file=sys.stderr)

    # load: fresh environment, warm FileSystemBytecodeCache
    with tempfile.TemporaryDirectory() as cache_dir:
        bcc = jinja2.FileSystemBytecodeCache(cache_dir)
        warm = env_for(tdir, True, bcc)
        for name, _ in templates:
            warm.get_template(name)

        def load_all():
            e = env_for(tdir, True, bcc)
            for name, _ in templates:
                e.get_template(name)

        def compile_from_source_all():
            e = env_for(tdir, True, None)
            for name, _ in templates:
                e.get_template(name)

        ns = measure(load_all, min_time, rounds=3)
        results["load/corpus_bytecode_cache"] = {"ns": ns, "bytes": total_bytes, "templates": len(templates)}
        print(f"load/corpus (bytecode cache): {ns / 1e6:.1f} ms", file=sys.stderr)
        def cold_start():
            e = env_for(tdir, True, bcc)
            for name in pages:
                e.get_template(name).render(ctx)

        ns = measure(cold_start, min_time, rounds=3)
        results["load/corpus_cold_start"] = {"ns": ns, "pages": len(pages)}
        print(f"load/corpus (cold start, render every page): {ns / 1e6:.1f} ms", file=sys.stderr)
        ns = measure(compile_from_source_all, min_time, rounds=3)
        results["load/corpus_from_source"] = {"ns": ns, "bytes": total_bytes, "templates": len(templates)}
        print(f"load/corpus (from source): {ns / 1e6:.1f} ms", file=sys.stderr)

    # load: deploy the compiled templates instead of the sources (compile_templates + ModuleLoader).
    # Python caches each module's code object in __pycache__ on the first import, as a deployed
    # application does (this machine's environment sets PYTHONDONTWRITEBYTECODE; without the
    # cache every load would compile the generated Python again); measure() warms it.
    dont_write = sys.dont_write_bytecode
    sys.dont_write_bytecode = False
    with tempfile.TemporaryDirectory() as mod_dir:
        env_for(tdir, True).compile_templates(mod_dir, zip=None)

        def load_modules():
            e = jinja2.Environment(loader=jinja2.ModuleLoader(mod_dir), autoescape=True, cache_size=-1)
            for name, _ in templates:
                e.get_template(name)

        ns = measure(load_modules, min_time, rounds=3)
        results["load/corpus_precompiled"] = {"ns": ns, "bytes": total_bytes, "templates": len(templates)}
        print(f"load/corpus (ModuleLoader over compile_templates): {ns / 1e6:.1f} ms", file=sys.stderr)
    sys.dont_write_bytecode = dont_write

    for ae in (False, True):
        tag = "on" if ae else "off"
        plain = jinja2.Environment(autoescape=ae)
        big = plain.from_string(BIG_TABLE)
        big_ctx = big_table_context(100)
        ns = measure(lambda: big.render(big_ctx), min_time)
        results[f"render/big_table_ae_{tag}"] = {"ns": ns}
        print(f"render/big_table ae={tag}: {ns / 1e3:.1f} us", file=sys.stderr)

        teams = plain.from_string(TEAMS)
        teams_ctx = teams_context()
        ns = measure(lambda: teams.render(teams_ctx), min_time)
        results[f"render/teams_ae_{tag}"] = {"ns": ns}
        print(f"render/teams ae={tag}: {ns / 1e3:.2f} us", file=sys.stderr)

        cenv = env_for(tdir, ae)
        loaded = [cenv.get_template(n) for n in pages]

        def render_corpus():
            for t in loaded:
                t.render(ctx)

        ns = measure(render_corpus, min_time, rounds=3)
        results[f"render/corpus_ae_{tag}"] = {"ns": ns, "pages": len(pages)}
        print(f"render/corpus ae={tag}: {ns / 1e6:.1f} ms", file=sys.stderr)

        if a.dump:
            for n, out in (("_small/big_table.html", big.render(big_ctx)), ("_small/teams.html", teams.render(teams_ctx))):
                path = os.path.join(a.dump, f"ae_{tag}", n)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8", newline="") as fh:
                    fh.write(out)
            for n, t in zip(pages, loaded):
                path = os.path.join(a.dump, f"ae_{tag}", n)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8", newline="") as fh:
                    fh.write(t.render(ctx))

    text = json.dumps(results, indent=1, sort_keys=True)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        print(text)


def markupsafe_speedups():
    try:
        import markupsafe._speedups  # noqa: F401
        return True
    except ImportError:
        return False


if __name__ == "__main__":
    main()
