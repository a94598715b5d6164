#!/usr/bin/env python3
"""Probe jinjac (and Jinja2) with deeply nested templates: never a crash.

Generates each deep construct (binary operator chains of every level, postfix chains,
conditionals, unary chains, nested literals, nested statements of every kind) at several
depths, runs `jinjac render`, `jinjac check` and `jinjac compile` + `render --cache` on it
and reports the outcome: exit 0 (rendered) or 1 (an error) is fine, a signal (stack
overflow: 134 / -6, -11) is a failure. With --jinja2 it also says what Jinja2 does.

usage: scripts/probe_deep.py [--jinja2] [--depths 100,1000,10000,100000] [--only NAME,...]
                             [JINJAC]
Exit status 1 when any run ended with a signal.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def chain(op, term="x"):
    return lambda n: "{{ " + (" %s " % op).join([term] * n) + " }}"


def wrap(open_, close, inner="1"):
    return lambda n: "{{ " + open_ * n + inner + close * n + " }}"


def stmt(open_, close, inner="x"):
    return lambda n: open_ * n + inner + close * n


CONSTRUCTS = {
    "add_const": chain("+", "1"),
    "add": chain("+"),
    "sub": chain("-"),
    "mul": chain("*"),
    "div": chain("/"),
    "floordiv": chain("//"),
    "mod": chain("%"),
    "pow": chain("**"),
    "concat": chain("~"),
    "and": chain("and"),
    "or": chain("or"),
    "compare": chain("<"),
    "in": chain("in"),
    "not_in": chain("not in"),
    "attr": lambda n: "{{ x" + ".a" * n + " }}",
    "item": lambda n: "{{ x" + "[0]" * n + " }}",
    "slice": lambda n: "{{ x" + "[:]" * n + " }}",
    "call": lambda n: "{{ x" + "()" * n + " }}",
    "filter": lambda n: "{{ x" + "|string" * n + " }}",
    "test": lambda n: "{{ x" + " is defined" * n + " }}",
    "cond_then": lambda n: "{{ x" + " if x" * n + " }}",
    "cond_else": lambda n: "{{ " + "x if x else " * n + "x }}",
    "neg": wrap("-", ""),
    "not": wrap("not ", ""),
    "parens": wrap("(", ")"),
    "list": wrap("[", "]"),
    "tuple": wrap("(", ",)"),
    "dict": wrap("{'a': ", "}"),
    "set_filters": lambda n: "{% set v | " + "|".join(["string"] * n) + " %}x{% endset %}{{ v }}",
    "filter_block_chain": lambda n: "{% filter " + "|".join(["string"] * n) + " %}x{% endfilter %}",
    "if": stmt("{% if x %}", "{% endif %}"),
    "elif": lambda n: "{% if x %}" + "{% elif x %}" * n + "{% endif %}",
    "for": stmt("{% for i in x %}", "{% endfor %}"),
    "with": stmt("{% with %}", "{% endwith %}"),
    "macro": stmt("{% macro m() %}", "{% endmacro %}"),
    "call_block": stmt("{% call x() %}", "{% endcall %}"),
    "filter_block": stmt("{% filter string %}", "{% endfilter %}"),
    "set_block": stmt("{% set v %}", "{% endset %}"),
    "autoescape": stmt("{% autoescape true %}", "{% endautoescape %}"),
    "block": lambda n: "".join("{%% block b%d %%}" % i for i in range(n)) + "x" + "{% endblock %}" * n,
}

CONTEXT = '{"x": [1]}'


def jinja2_outcome(src, timeout):
    code = r"""
import sys, jinja2, json
src = sys.stdin.read()
env = jinja2.Environment(loader=jinja2.DictLoader({"t": src}))
try:
    env.get_template("t").render(x=[1])
    print("ok")
except Exception as e:
    print(type(e).__name__ + ": " + str(e).splitlines()[0][:60] if str(e) else type(e).__name__)
"""
    try:
        p = subprocess.run([sys.executable, "-c", code], input=src, capture_output=True, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    if p.returncode != 0:
        return "CRASH rc=%d" % p.returncode
    return p.stdout.strip()


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    err = p.stderr.strip().splitlines()
    first = next((l for l in err if "error" in l.lower()), err[0] if err else "")
    return p.returncode, first[:90]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jinjac", nargs="?", default="target/release/jinjac")
    ap.add_argument("--jinja2", action="store_true")
    ap.add_argument("--depths", default="100,1000,10000,100000")
    ap.add_argument("--only", default="")
    ap.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    jinjac = os.path.abspath(a.jinjac)
    only = set(filter(None, a.only.split(",")))
    depths = [int(d) for d in a.depths.split(",")]
    bad = 0
    for name, gen in CONSTRUCTS.items():
        if only and name not in only:
            continue
        for n in depths:
            src = gen(n)
            with tempfile.TemporaryDirectory() as d:
                tdir, cache = os.path.join(d, "t"), os.path.join(d, "cache")
                os.mkdir(tdir)
                with open(os.path.join(tdir, "t.html"), "w") as f:
                    f.write(src)
                ctx = ["-D", "x=[1]"]
                outcomes = []
                for label, cmd in [
                    ("render", [jinjac, "--color", "never", "render", "-t", tdir, *ctx, "t.html"]),
                    ("check", [jinjac, "--color", "never", "check", tdir]),
                    ("compile", [jinjac, "--color", "never", "compile", "-o", cache, tdir]),
                    ("cached", [jinjac, "--color", "never", "render", "--cache", cache, *ctx, "t.html"]),
                ]:
                    rc, msg = run(cmd, a.timeout)
                    ok = rc in (0, 1)
                    bad += not ok
                    outcomes.append((label, rc, msg, ok))
            line = "%-18s %7d " % (name, n)
            line += " ".join("%s=%s%s" % (l, rc, "" if ok else "!!CRASH") for l, rc, _, ok in outcomes)
            msgs = {m for _, rc, m, _ in outcomes if rc not in (0,)}
            if msgs:
                line += "  | " + " / ".join(sorted(msgs))[:110]
            if a.jinja2:
                line += "  | jinja2: " + jinja2_outcome(src, a.timeout)
            print(line, flush=True)
    print("crashes: %d" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
