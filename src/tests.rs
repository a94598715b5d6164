//! Builtin tests (`is defined`, `is odd`...): the registry Jinja2 users expect, by name.

use crate::environment::TestFn;
use crate::error::Result;
use crate::value::{Args, Value};
use crate::vm::State;
use std::sync::Arc;

fn defined(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("defined", [])?;
    Ok(!v.is_undefined())
}

/// Every builtin test with its name.
pub fn builtins() -> Vec<(&'static str, TestFn)> {
    vec![("defined", Arc::new(defined) as TestFn)]
}
