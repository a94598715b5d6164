#!/usr/bin/env python3
"""Write fixtures/conformance/bench_corpus.jsonl: a sample of the benchmark corpus's pages as
conformance cases (every shared template plus the page, the corpus context, Jinja2 3.1.6's
output), so that `cargo test` keeps jinjac's output of real-looking pages identical to Jinja2's
between benchmark runs (bench/run.sh checks every page).

usage: make_fixture.py CORPUS_DIR [OUT]   (CORPUS_DIR from gen_corpus.py 1000)"""
import json
import os
import sys

import jinja2


def main():
    corpus = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "fixtures", "conformance", "bench_corpus.jsonl")
    tdir = os.path.join(corpus, "templates")
    templates = {}
    for dirpath, _, files in os.walk(tdir):
        for f in files:
            path = os.path.join(dirpath, f)
            with open(path, encoding="utf-8") as fh:
                templates[os.path.relpath(path, tdir).replace(os.sep, "/")] = fh.read()
    with open(os.path.join(corpus, "context.json"), encoding="utf-8") as fh:
        ctx = json.load(fh)
    shared = {n: s for n, s in templates.items() if not n.startswith("pages/")}
    pages = sorted(n for n in templates if n.startswith("pages/"))
    sample = pages[::max(1, len(pages) // 12)][:12]
    lines = []
    for i, page in enumerate(sample):
        autoescape = i % 3 != 2
        env = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=autoescape)
        case = {
            "id": f"bench-corpus/{page}" + ("" if autoescape else "#noescape"),
            "area": "bench-corpus",
            "templates": dict(shared, **{page: templates[page]}),
            "entry": page,
            "context": ctx,
            "options": {"autoescape": autoescape, "trim_blocks": False, "lstrip_blocks": False,
                        "keep_trailing_newline": False, "undefined": "default"},
            "expect": {"output": env.get_template(page).render(ctx)},
        }
        lines.append(json.dumps(case, sort_keys=True, ensure_ascii=False))
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"{len(lines)} cases -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
