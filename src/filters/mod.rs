//! Builtin filters: the registry Jinja2 users expect, by name.

use crate::environment::FilterFn;
use crate::error::Result;
use crate::value::{Args, Value};
use crate::vm::State;
use std::sync::Arc;

fn upper(_: &mut State, v: Value, args: Args) -> Result<Value> {
    let [] = args.bind("upper", [])?;
    Ok(Value::from(v.to_str().to_uppercase()))
}

/// Every builtin filter with its name.
pub fn builtins() -> Vec<(&'static str, FilterFn)> {
    vec![("upper", Arc::new(upper) as FilterFn)]
}
pub mod printf;
