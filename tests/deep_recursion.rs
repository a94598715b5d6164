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
