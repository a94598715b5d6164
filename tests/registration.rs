//! Users' own filters, tests and functions: typed Rust closures, raw ones that see the render
//! state (autoescape, the render context), and errors that name the filter and the template line.

use jinjac::value::Args;
use jinjac::{Environment, ErrorKind, Value};

#[test]
fn typed_closures_convert_arguments() {
    let mut env = Environment::new();
    env.add_filter("double", |x: i64| x * 2);
    env.add_filter("pad", |s: String, width: usize, fill: Option<String>| {
        let fill = fill.unwrap_or_else(|| " ".to_string());
        format!("{}{}", fill.repeat(width.saturating_sub(s.chars().count())), s)
    });
    env.add_test("answer", |x: i64| x == 42);
    env.add_function("greet", |name: String| format!("Hello {}!", name));
    let t = env
        .from_string("{{ 21|double }} [{{ 'ab'|pad(4) }}] [{{ 'ab'|pad(4, '*') }}] {{ 42 is answer }} {{ greet('you') }}")
        .unwrap();
    assert_eq!(t.render(()).unwrap(), "42 [  ab] [**ab] True Hello you!");
}

#[test]
fn wrong_argument_types_name_the_filter_and_line() {
    let mut env = Environment::new();
    env.add_filter("double", |x: i64| x * 2);
    let err = env.from_string("ok\n{{ 'x'|double }}").unwrap().render(()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TypeError);
    assert!(err.detail().contains("filter 'double'"), "{}", err.detail());
    assert_eq!(err.line(), Some(2));
    let err = env.from_string("{{ 1|double(2, 3) }}").unwrap().render(()).unwrap_err();
    assert!(err.detail().contains("too many arguments"), "{}", err.detail());
}

#[test]
fn unknown_filter_is_a_compile_time_assertion() {
    let env = Environment::new();
    let err = env.from_string("{{ x|nope }}").err().unwrap();
    assert_eq!(err.kind(), ErrorKind::TemplateAssertionError);
}

#[test]
fn raw_filters_see_autoescape_and_the_context() {
    let mut env = Environment::new();
    env.add_filter_raw("ctx", |state, value, args: Args| {
        let [key] = args.bind("ctx", ["key"])?;
        let key = key.map(|k| k.to_str()).unwrap_or_default();
        Ok(Value::from(format!("{}:{}:{}", value, state.resolve(&key), state.autoescape())))
    });
    let t = env.from_string("{% set local = 'L' %}{{ 1|ctx('local') }} {{ 2|ctx(key='g') }}").unwrap();
    assert_eq!(t.render(serde_json::json!({"g": "G"})).unwrap(), "1:L:false 2:G:false");
}

#[test]
fn unknown_filters_and_tests_are_reported_outermost_first() {
    // Jinja2's code generator checks a filter's or test's name before it visits the value.
    let env = Environment::new();
    for (src, msg) in [
        ("{{ d|nofilter1|nofilter2 }}", "No filter named 'nofilter2'."),
        ("{{ (x|nofilter) is notest }}", "No test named 'notest'."),
        ("{{ x|upper|nofilter(y|other) }}", "No filter named 'nofilter'."),
    ] {
        let err = match env.from_string(src) {
            Ok(_) => panic!("{} compiled", src),
            Err(e) => e,
        };
        assert_eq!(err.kind(), ErrorKind::TemplateAssertionError, "{}", src);
        assert_eq!(err.detail(), msg, "{}", src);
    }
}

#[test]
fn a_filter_registered_as_default_replaces_the_builtin() {
    // The renderer passes a defined value through the builtin `default` without calling it;
    // a filter registered under that name (or `d`) is called for every value.
    let mut env = Environment::new();
    env.add_filter("default", |s: String, _d: Option<String>| format!("<{}>", s));
    let t = env.from_string("{{ 'a'|default('-') }} {{ 'b'|d('-') }}").unwrap();
    assert_eq!(t.render(()).unwrap(), "<a> b");
    env.add_filter("d", |s: String| format!("[{}]", s));
    let t = env.from_string("{{ 'a'|default }} {{ 'b'|d }}").unwrap();
    assert_eq!(t.render(()).unwrap(), "<a> [b]");
}

#[test]
fn filters_registered_as_e_lower_title_replace_the_builtins_when_printed() {
    // The renderer writes a printed local's builtin `e`/`escape`/`lower`/`title` straight into
    // the output; a filter registered under one of those names is called instead.
    let mut env = Environment::new();
    for name in ["e", "escape", "lower", "title"] {
        env.add_filter(name, move |s: String| format!("{}({})", name, s));
    }
    let t = env
        .from_string(
            "{% set s = 'Ab<' %}{{ s|e }} {{ s|escape }} {{ s|lower }} {{ s|title }}\
             {% for r in rows %} {{ r['k']|lower }} {{ r.k|title }} {{ r[c]|e }}{% endfor %}",
        )
        .unwrap();
    let out = t.render(serde_json::json!({"rows": [{"k": "Xy"}], "c": "k"})).unwrap();
    assert_eq!(out, "e(Ab<) escape(Ab<) lower(Ab<) title(Ab<) lower(Xy) title(Xy) e(Xy)");
}

#[test]
fn a_filter_registered_as_default_is_called_for_table_cells() {
    // `{{ row[c]|default('-') }}` in a loop over columns is written straight from the row when
    // the filter is the builtin; filters registered as `default` and `d` are called instead.
    let mut env = Environment::new();
    env.add_filter("default", |s: String, _d: Option<String>| format!("<{}>", s));
    env.add_filter("d", |s: String, _d: Option<String>| format!("[{}]", s));
    let t = env
        .from_string(
            "{% for row in rows %}{% for c in cols %}{{ row[c]|default('-') }}{{ row[c]|d('-') }}\
             {% endfor %};{% endfor %}",
        )
        .unwrap();
    let out = t.render(serde_json::json!({"rows": [{"a": "x", "b": "y"}], "cols": ["a", "b"]})).unwrap();
    assert_eq!(out, "<x>[x]<y>[y];");
}

#[test]
fn the_builtin_default_checks_what_it_skips() {
    let env = Environment::new();
    let t = env
        .from_string(
            "{{ x|default('-') }} {{ 0|default('-') }} {{ 0|default('-', true) }} {{ ''|d([1]) }} \
             {{ none|d(boolean=true) }}|{{ 1|d(y.z) if false else 2 }} {{ 'v'|d(f()) }}",
        )
        .unwrap();
    assert_eq!(t.render(serde_json::json!({"f": null})).err().map(|e| e.kind()), Some(ErrorKind::TypeError));
    let err = env.from_string("{{ 1|default('a', 'b', 'c') }}").unwrap().render(()).unwrap_err();
    assert!(err.detail().contains("takes 2 positional arguments"), "{}", err.detail());
    let t = env
        .from_string(
            "{{ x|default('-') }} {{ 0|default('-') }} {{ 0|default('-', true) }} {{ ''|d([1]) }} \
             {{ none|d(boolean=true) }}",
        )
        .unwrap();
    assert_eq!(t.render(()).unwrap(), "- 0 -  ");
}
