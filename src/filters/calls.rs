//! Replays `fixtures/conformance/calls/calls.jsonl` (direct filter, test and method calls
//! recorded from Jinja2 3.1.6) against the Rust builtins, without templates or a VM.

use std::sync::Arc;

use serde_json::Value as J;

use crate::value::{Args, Map, UndefinedKind, Value};
use crate::vm::State;
use crate::Environment;

/// Cases whose Jinja2 behaviour is knowingly not reproduced, with the reason.
const KNOWN: &[(&str, &str)] = &[];

fn dec(j: &J, kind: UndefinedKind) -> Value {
    match j {
        J::Array(a) => Value::list(a.iter().map(|x| dec(x, kind)).collect()),
        J::Object(o) => {
            if let Some(t) = o.get("$t") {
                return Value::tuple(
                    t.as_array().map(|a| a.iter().map(|x| dec(x, kind)).collect()).unwrap_or_default(),
                );
            }
            if let Some(J::String(m)) = o.get("$m") {
                return Value::markup(m.as_str());
            }
            if let Some(J::String(u)) = o.get("$u") {
                return Value::undefined(kind, u);
            }
            if let Some(J::String(f)) = o.get("$f") {
                return Value::Float(match f.as_str() {
                    "nan" => f64::NAN,
                    "inf" => f64::INFINITY,
                    _ => f64::NEG_INFINITY,
                });
            }
            if let Some(J::String(b)) = o.get("$big") {
                return b.parse::<num_bigint::BigInt>().map(Value::from_bigint).unwrap_or(Value::None);
            }
            if let Some(J::Array(pairs)) = o.get("$d") {
                let mut m = Map::default();
                for p in pairs {
                    if let Some([k, v]) = p.as_array().map(Vec::as_slice) {
                        m.insert(dec(k, kind), dec(v, kind));
                    }
                }
                return Value::dict(m);
            }
            let mut m = Map::default();
            for (k, v) in o {
                m.insert(Value::from(k.as_str()), dec(v, kind));
            }
            Value::dict(m)
        }
        J::Number(n) if n.is_f64() => Value::Float(n.as_f64().unwrap_or(0.0)),
        other => crate::value::from_json(other.clone()),
    }
}

/// The type and repr the generator script records; iterators are listed (`list(r)`), so an
/// error a generator raises while iterated is the call's error, as in the script.
fn describe(v: &Value) -> crate::Result<(String, String)> {
    let t = v.type_name().to_string();
    if t == "generator" || t.ends_with("iterator") || t == "reversed" {
        let items = v.try_iter()?;
        return Ok((t, Value::list(items).repr()));
    }
    Ok((t, v.repr()))
}

fn run_case(case: &J) -> Result<(), String> {
    let kind = UndefinedKind::parse(case["undefined"].as_str().unwrap_or("default")).unwrap_or_default();
    let mut env = Environment::new();
    env.undefined = kind;
    let mut state = State::new(&env);
    state.set_autoescape(case["autoescape"].as_bool().unwrap_or(false));
    let value = dec(&case["value"], kind);
    let args: Vec<Value> =
        case["args"].as_array().map(|a| a.iter().map(|x| dec(x, kind)).collect()).unwrap_or_default();
    let kwargs: Vec<(Arc<str>, Value)> = case["kwargs"]
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (Arc::from(k.as_str()), dec(v, kind))).collect())
        .unwrap_or_default();
    let args = Args { args: args.into(), kwargs };
    let name = case["name"].as_str().unwrap_or("");
    let result: crate::Result<Value> = match case["kind"].as_str() {
        Some("filter") => match env.get_filter(name).cloned() {
            Some(f) => f(&mut state, value.clone(), args),
            None => return Err(format!("no filter {}", name)),
        },
        Some("test") => match env.get_test(name).cloned() {
            Some(t) => t(&mut state, value.clone(), args).map(Value::Bool),
            None => return Err(format!("no test {}", name)),
        },
        _ => crate::methods::call_method(&mut state, &value, name, args).map(|r| {
            if case["show_receiver"].as_bool().unwrap_or(false) {
                value.clone()
            } else {
                r
            }
        }),
    };
    let exp = &case["expect"];
    match (result.and_then(|v| describe(&v)), exp.get("error")) {
        (Ok((t, r)), None) => {
            let (et, er) = (exp["type"].as_str().unwrap_or(""), exp["repr"].as_str().unwrap_or(""));
            if t == et && r == er {
                Ok(())
            } else {
                Err(format!("expected {} {:?}, got {} {:?}", et, er, t, r))
            }
        }
        (Ok((_, r)), Some(e)) => Err(format!("expected error {} {:?}, got {:?}", e, exp["message"], r)),
        (Err(err), Some(e)) => {
            let msg = exp["message"].as_str().unwrap_or("");
            if err.kind().name() == e.as_str().unwrap_or("") && err.detail() == msg {
                Ok(())
            } else {
                Err(format!("expected {} {:?}, got {} {:?}", e, msg, err.kind().name(), err.detail()))
            }
        }
        (Err(err), None) => Err(format!("expected {:?}, got error {}", exp["repr"], err)),
    }
}

#[test]
fn calls_match_jinja2() {
    let text = include_str!("../../fixtures/conformance/calls/calls.jsonl");
    let mut failures = Vec::new();
    let mut total = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(case) = serde_json::from_str::<J>(line) else { continue };
        total += 1;
        let id = case["id"].as_str().unwrap_or("?").to_string();
        if let Err(e) = run_case(&case) {
            if !KNOWN.iter().any(|(k, _)| *k == id) {
                failures.push(format!("{} {}: {}", id, case["value"], e));
            }
        }
    }
    for f in &failures {
        eprintln!("{}", f);
    }
    eprintln!("{} passed, {} failed", total - failures.len(), failures.len());
    assert!(failures.is_empty());
}
