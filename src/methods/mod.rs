//! Python methods on builtin values (`s.upper()`, `d.items()`, `l.append(x)`), as Jinja2
//! exposes them through attribute lookup.

use crate::error::{Error, ErrorKind, Result};
use crate::value::{Args, Object, Value};
use crate::vm::State;

/// Whether `value` has a method called `name`.
pub fn has_method(value: &Value, name: &str) -> bool {
    match value {
        Value::Dict(_) => matches!(name, "items" | "keys" | "values" | "get"),
        _ => false,
    }
}

/// Call method `name` of `value`.
pub fn call_method(_state: &mut State, value: &Value, name: &str, args: Args) -> Result<Value> {
    match (value, name) {
        (Value::Dict(d), "items") => {
            let [] = args.bind("items", [])?;
            Ok(Value::list(d.lock().iter().map(|(k, v)| Value::tuple(vec![k.clone(), v.clone()])).collect()))
        }
        (Value::Dict(d), "keys") => Ok(Value::list(d.lock().keys().cloned().collect())),
        (Value::Dict(d), "values") => Ok(Value::list(d.lock().values().cloned().collect())),
        (Value::Dict(d), "get") => {
            let [key, default] = args.bind("get", ["key", "default"])?;
            let key = key.unwrap_or(Value::None);
            Ok(d.lock().get(&key).cloned().unwrap_or(default.unwrap_or(Value::None)))
        }
        _ => Err(Error::new(
            ErrorKind::AttributeError,
            format!("'{}' object has no attribute '{}'", value.type_name(), name),
        )),
    }
}

/// A method bound to its receiver (`d.items` without the call).
#[derive(Debug)]
pub struct BoundMethod {
    receiver: Value,
    name: String,
}

impl Object for BoundMethod {
    fn type_name(&self) -> &str {
        "builtin_function_or_method"
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, state: &mut State, args: Args) -> Result<Value> {
        call_method(state, &self.receiver, &self.name, args)
    }
    fn repr(&self) -> String {
        format!("<built-in method {} of {} object>", self.name, self.receiver.type_name())
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `value.name` as a callable bound method.
pub fn bound_method(value: &Value, name: &str) -> Value {
    Value::object(BoundMethod { receiver: value.clone(), name: name.to_string() })
}
