//! Property test over the whole pipeline: mutated templates go through parse, compile and
//! render with a small context; whatever happens must be an `Ok` or an `Err`, never a panic.
//! Bounded to a few seconds.

use jinjac::loader::DictLoader;
use jinjac::{AutoEscape, Environment};
use proptest::prelude::*;

const SEEDS: &[&str] = &[
    "{% for x in items %}{{ loop.index }}{{ x.name|upper }}{% if loop.last %}!{% endif %}{% else %}-{% endfor %}",
    "{% macro m(a, b=2) %}[{{ a }}{{ b }}{{ caller() if caller }}]{% endmacro %}{{ m(1) }}{% call m(3) %}c{% endcall %}",
    "{% extends 'base' %}{% block b %}<{{ super() }}>{% endblock %}",
    "{% set ns = namespace(t=0) %}{% for i in range(5) %}{% set ns.t = ns.t + i %}{% endfor %}{{ ns.t }}",
    "{{ (items|map(attribute='name')|join(', '))|truncate(9) }} {{ d|dictsort }} {{ 7 // 2 }} {{ 2 ** 10 }}",
    "{% include 'inc' %}{% import 'inc' as i %}{% from 'inc' import v %}{{ v }}",
    "{% with a = [1, 2, 3] %}{{ a[::-1] }}{{ a|sum }}{{ a|batch(2)|list }}{% endwith %}",
    "{{ '%s-%05.1f' % ('x', 3.14159) }}{{ 'abc'.upper() }}{{ d.items()|list }}",
];

fn env_for(src: String) -> Environment {
    let mut env = Environment::new();
    env.autoescape = AutoEscape::Bool(true);
    env.set_loader(DictLoader::new([
        ("main".to_string(), src),
        ("base".to_string(), "{% block b %}B{% endblock %}".to_string()),
        ("inc".to_string(), "{% set v = 1 %}{% macro f() %}F{% endmacro %}inc".to_string()),
    ]));
    env
}

fn context() -> serde_json::Value {
    serde_json::json!({"items": [{"name": "a"}, {"name": "b"}], "d": {"x": 1, "y": [1, 2]}})
}

fn mutate(seed: &str, ops: &[(u8, usize, u8)]) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for (op, pos, b) in ops {
        if bytes.is_empty() {
            break;
        }
        let p = pos % bytes.len();
        match op % 4 {
            0 => bytes[p] = *b,
            1 => {
                bytes.remove(p);
            }
            2 => bytes.insert(p, *b),
            _ => bytes.truncate(p),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, .. ProptestConfig::default() })]

    #[test]
    fn mutated_templates_never_panic(
        seed in 0..SEEDS.len(),
        ops in proptest::collection::vec((any::<u8>(), any::<usize>(), 32u8..127), 0..6),
    ) {
        let src = mutate(SEEDS[seed], &ops);
        let env = env_for(src);
        let _ = env.get_template("main").and_then(|t| t.render(context()));
    }
}

#[test]
fn seeds_render() {
    for (i, seed) in SEEDS.iter().enumerate() {
        let env = env_for(seed.to_string());
        let r = env.get_template("main").and_then(|t| t.render(context()));
        assert!(r.is_ok(), "seed {i}: {r:?}");
    }
}
