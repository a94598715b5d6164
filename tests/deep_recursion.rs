//! Deep recursion in templates ends in a RecursionError, not a stack overflow, even on a thread
//! with a small (2 MiB) stack such as a worker pool's.

use jinjac::{Environment, ErrorKind};

fn render_on_small_stack(src: &'static str) -> jinjac::Result<String> {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let env = Environment::new();
            env.from_string(src).and_then(|t| t.render(serde_json::json!({"y": [1]})))
        })
        .expect("spawn")
        .join()
        .expect("no stack overflow")
}

#[test]
fn recursive_macro_is_a_recursion_error() {
    let r = render_on_small_stack("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}");
    assert_eq!(r.map_err(|e| e.kind()), Err(ErrorKind::RecursionError));
}

#[test]
fn recursive_loop_is_a_recursion_error() {
    let r = render_on_small_stack("{% for x in y recursive %}{{ loop([x]) }}{% endfor %}");
    assert_eq!(r.map_err(|e| e.kind()), Err(ErrorKind::RecursionError));
}

#[test]
fn deeply_nested_statements_and_expressions_render() {
    let ifs: &'static str =
        Box::leak(format!("{}x{}", "{% if true %}".repeat(200), "{% endif %}".repeat(200)).into_boxed_str());
    assert_eq!(render_on_small_stack(ifs).ok().as_deref(), Some("x"));
    // The deepest brackets Jinja2 parses (one more is a RecursionError in its parser).
    let parens: &'static str =
        Box::leak(format!("{{{{ {}1{} }}}}", "(".repeat(69), ")".repeat(69)).into_boxed_str());
    assert_eq!(render_on_small_stack(parens).ok().as_deref(), Some("1"));
    let lists: &'static str =
        Box::leak(format!("{{{{ {}1{} }}}}", "[".repeat(74), "]".repeat(74)).into_boxed_str());
    assert_eq!(
        render_on_small_stack(lists).map_err(|e| e.to_string()),
        Ok(format!("{}1{}", "[".repeat(74), "]".repeat(74)))
    );
}

#[test]
fn brackets_past_jinja2s_recursion_limit_are_a_recursion_error() {
    let parens: &'static str =
        Box::leak(format!("{{{{ {}1{} }}}}", "(".repeat(120), ")".repeat(120)).into_boxed_str());
    let r = render_on_small_stack(parens);
    assert_eq!(r.as_ref().map_err(|e| e.kind()), Err(ErrorKind::RecursionError));
    // Located where the parse gave up, with the template's name.
    let msg = r.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("maximum recursion depth exceeded") && msg.contains(":1:"), "{msg}");
}

#[test]
fn recursive_call_block_is_a_recursion_error() {
    let r = render_on_small_stack(
        "{% macro m(n) %}{{ caller() }}{% call m(n + 1) %}x{% endcall %}{% endmacro %}{% call m(0) %}y{% endcall %}",
    );
    assert_eq!(r.map_err(|e| e.kind()), Err(ErrorKind::RecursionError));
}

/// Run `f` on a thread with a `stack`-byte stack; `None` if it panicked.
fn on_stack<T: Send + 'static>(stack: usize, f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    std::thread::Builder::new().stack_size(stack).spawn(f).ok()?.join().ok()
}

/// Chains the parser builds by iterating, not by recursing: `(head, link)`, `n` links.
/// (`~` and comparison chains are flat lists in the tree, as in Jinja2's: not here.)
const CHAINS: [(&str, &str); 12] = [
    ("1", " + 1"),
    ("y", " - y"),
    ("y", " * y"),
    ("y", " and y"),
    ("y", " or y"),
    ("y", ".a"),
    ("y", "[0]"),
    ("y", "[:]"),
    ("y", "()"),
    ("y", "|string"),
    ("y", " is defined"),
    ("y", " if y"),
];

fn chain(head: &str, link: &str, n: usize) -> String {
    format!("{{{{ {head}{} }}}}", link.repeat(n))
}

/// Far past any budget, every deep tree is an error (a RecursionError where it is not a
/// syntax error of its own) on a thread with a small stack, never a stack overflow: checked
/// where the tree is built, before anything recurses over it.
#[test]
fn deep_trees_are_errors_on_a_small_stack() {
    let mut sources: Vec<String> = CHAINS.iter().map(|(h, l)| chain(h, l, 100_000)).collect();
    sources.push(format!("{{% set v | {} %}}x{{% endset %}}", ["string"; 100_000].join("|")));
    sources.push(format!("{{% filter {} %}}x{{% endfilter %}}", ["string"; 100_000].join("|")));
    sources.push(format!("{{{{ {}1 }}}}", "-".repeat(100_000)));
    sources.push(format!("{{{{ {}y }}}}", "y if y else ".repeat(100_000)));
    sources.push(format!("{{{{ {}1{} }}}}", "[".repeat(100_000), "]".repeat(100_000)));
    sources.push(format!("{}x{}", "{% for x in y %}".repeat(100_000), "{% endfor %}".repeat(100_000)));
    for src in sources {
        let head: String = src.chars().take(40).collect();
        let r = on_stack(256 << 10, move || {
            let env = Environment::new();
            env.from_string(&src).and_then(|t| t.render(serde_json::json!({"y": [1]}))).map_err(|e| e.kind())
        });
        let Some(Err(kind)) = r else { panic!("{head}: {:?}", r.map(|r| r.map(|s| s.len()))) };
        assert!(
            matches!(kind, ErrorKind::RecursionError | ErrorKind::TemplateSyntaxError),
            "{head}: {kind:?}"
        );
    }
    // The chains that are not syntax errors are RecursionErrors, as in Jinja2.
    for (h, l) in CHAINS.iter().filter(|(_, l)| !l.contains("is")) {
        let src = chain(h, l, 100_000);
        let r = on_stack(256 << 10, move || {
            Environment::new().from_string(&src).map(|_| ()).map_err(|e| e.kind())
        });
        assert_eq!(r, Some(Err(ErrorKind::RecursionError)), "{l}");
    }
}

/// As tall as the budget allows (as tall as Jinja2 3.1.6 renders a constant sum), every chain
/// compiles and renders on a thread with the default 2 MiB stack of a spawned thread.
#[test]
fn trees_as_tall_as_the_budget_render_on_a_2_mib_stack() {
    use jinjac::syntax::parser::MAX_EXPR_HEIGHT;
    for (h, l) in CHAINS.iter().filter(|(_, l)| !l.contains("is")) {
        let src = chain(h, l, MAX_EXPR_HEIGHT - 1);
        let r = on_stack(2 << 20, move || {
            let env = Environment::new();
            match env.from_string(&src) {
                Ok(t) => t.render(serde_json::json!({"y": [1]})).map(|_| ()).map_err(|e| e.kind()),
                Err(e) => Err(e.kind()),
            }
        });
        // Rendering may fail (`[1] - [1]`), but not for being too deep, and never crash.
        assert!(
            matches!(r, Some(Ok(())) | Some(Err(ErrorKind::TypeError | ErrorKind::UndefinedError))),
            "{l}: {r:?}"
        );
    }
    let sum = chain("1", " + 1", MAX_EXPR_HEIGHT - 1);
    let r = on_stack(2 << 20, move || Environment::new().from_string(&sum).and_then(|t| t.render(())).ok());
    assert_eq!(r.flatten().as_deref(), Some("491"));
}
