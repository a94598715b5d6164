//! Typed arguments for user filters, tests and functions: `FromValue` converts each argument,
//! `IntoResult` the return value, and `Function` is implemented for plain Rust closures of up to
//! six arguments, so `env.add_filter("double", |x: i64| x * 2)` works.

use std::sync::Arc;

use super::{Map, Value};
use crate::error::{Error, ErrorKind, Result};

fn type_error(want: &str, got: &Value) -> Error {
    Error::new(ErrorKind::TypeError, format!("expected {}, got {}", want, got.type_name()))
}

fn missing() -> Error {
    Error::new(ErrorKind::TypeError, "missing argument")
}

fn defined(v: Option<&Value>) -> Result<&Value> {
    match v {
        None => Err(missing()),
        Some(Value::Undefined(u)) => Err(u.error()),
        Some(v) => Ok(v),
    }
}

/// Conversion of one argument (`None` when the caller did not pass it).
pub trait FromValue: Sized {
    /// Convert, or fail with a TypeError naming the expected type.
    fn from_value(v: Option<&Value>) -> Result<Self>;
}

impl FromValue for Value {
    fn from_value(v: Option<&Value>) -> Result<Self> {
        v.cloned().ok_or_else(missing)
    }
}

impl FromValue for String {
    fn from_value(v: Option<&Value>) -> Result<Self> {
        let v = defined(v)?;
        match v {
            Value::Str(s) | Value::Markup(s) => Ok(s.to_string()),
            other => Ok(other.to_str()),
        }
    }
}

impl FromValue for Arc<str> {
    fn from_value(v: Option<&Value>) -> Result<Self> {
        match defined(v)? {
            Value::Str(s) | Value::Markup(s) => Ok(s.clone()),
            other => Ok(Arc::from(other.to_str().as_str())),
        }
    }
}

impl FromValue for i64 {
    fn from_value(v: Option<&Value>) -> Result<Self> {
        let v = defined(v)?;
        v.as_i64().ok_or_else(|| type_error("an integer", v))
    }
}

impl FromValue for usize {
    fn from_value(v: Option<&Value>) -> Result<Self> {
        let v = defined(v)?;
        v.as_i64()
            .and_then(|i| usize::try_from(i).ok())
            .ok_or_else(|| type_error("a non-negative integer", v))
    }
}

impl FromValue for f64 {
    fn from_value(v: Option<&Value>) -> Result<Self> {
        let v = defined(v)?;
        v.as_f64().ok_or_else(|| type_error("a number", v))
    }
}

impl FromValue for bool {
    fn from_value(v: Option<&Value>) -> Result<Self> {
        defined(v)?.is_true()
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: Option<&Value>) -> Result<Self> {
        match v {
            None | Some(Value::None) | Some(Value::Undefined(_)) => Ok(None),
            Some(v) => T::from_value(Some(v)).map(Some),
        }
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(v: Option<&Value>) -> Result<Self> {
        defined(v)?.try_iter()?.iter().map(|x| T::from_value(Some(x))).collect()
    }
}

/// Conversion of a return value.
pub trait IntoResult {
    /// The value, or the error the function returned.
    fn into_result(self) -> Result<Value>;
}

impl<T: Into<Value>> IntoResult for T {
    fn into_result(self) -> Result<Value> {
        Ok(self.into())
    }
}

impl<T: Into<Value>> IntoResult for Result<T> {
    fn into_result(self) -> Result<Value> {
        self.map(Into::into)
    }
}

impl From<()> for Value {
    fn from(_: ()) -> Value {
        Value::None
    }
}

impl From<Vec<String>> for Value {
    fn from(v: Vec<String>) -> Value {
        Value::list(v.into_iter().map(Value::from).collect())
    }
}

impl From<Option<Value>> for Value {
    fn from(v: Option<Value>) -> Value {
        v.unwrap_or(Value::None)
    }
}

impl From<std::collections::BTreeMap<String, Value>> for Value {
    fn from(m: std::collections::BTreeMap<String, Value>) -> Value {
        let mut map = Map::default();
        for (k, v) in m {
            map.insert(Value::from(k), v);
        }
        Value::dict(map)
    }
}

/// A Rust function callable from templates with positional arguments.
pub trait Function<Args>: Send + Sync + 'static {
    /// Call with the template's positional arguments.
    fn invoke(&self, args: &[Value]) -> Result<Value>;
}

macro_rules! impl_function {
    ($($name:ident),*) => {
        impl<Func, Rv, $($name),*> Function<($($name,)*)> for Func
        where
            Func: Fn($($name),*) -> Rv + Send + Sync + 'static,
            Rv: IntoResult,
            $($name: FromValue),*
        {
            #[allow(non_snake_case, unused_mut, unused_variables)]
            fn invoke(&self, args: &[Value]) -> Result<Value> {
                let mut it = args.iter();
                $(let $name = $name::from_value(it.next())?;)*
                if it.next().is_some() {
                    return Err(Error::new(ErrorKind::TypeError, "too many arguments"));
                }
                (self)($($name),*).into_result()
            }
        }
    };
}

impl_function!();
impl_function!(A);
impl_function!(A, B);
impl_function!(A, B, C);
impl_function!(A, B, C, D);
impl_function!(A, B, C, D, E);
impl_function!(A, B, C, D, E, F);
