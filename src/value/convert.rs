//! Conversions between values and serde: contexts come from any `Serialize` (through
//! serde_json's value, which keeps key order), and `tojson` goes the other way.

use std::sync::Arc;

use num_bigint::BigInt;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::{Map, Value};
use crate::error::{Error, ErrorKind, Result};

/// A value from a JSON value (objects keep their key order).
pub fn from_json(j: serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else if let Some(u) = n.as_u64() {
                Value::from_bigint(BigInt::from(u))
            } else {
                let text = n.to_string();
                let digits = text.strip_prefix('-').unwrap_or(&text);
                match (digits.bytes().all(|b| b.is_ascii_digit()), text.parse::<BigInt>()) {
                    (true, Ok(b)) => Value::from_bigint(b),
                    _ => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
                }
            }
        }
        serde_json::Value::String(s) => Value::Str(Arc::from(s)),
        serde_json::Value::Array(a) => Value::list(a.into_iter().map(from_json).collect()),
        serde_json::Value::Object(o) => {
            let mut m = Map::with_capacity_and_hasher(o.len(), Default::default());
            for (k, v) in o {
                m.insert(Value::Str(Arc::from(k)), from_json(v));
            }
            Value::dict(m)
        }
    }
}

/// A JSON value from a value, for `tojson`; fails on values JSON cannot hold.
pub fn to_json(v: &Value) -> Result<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| Error::new(ErrorKind::TypeError, e.to_string()))
}

impl Value {
    /// Convert anything serializable into a value (structs and maps become dicts).
    pub fn from_serialize<T: Serialize + ?Sized>(t: &T) -> Result<Value> {
        serde_json::to_value(t)
            .map(from_json)
            .map_err(|e| Error::new(ErrorKind::TypeError, format!("cannot convert context: {}", e)))
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        match self {
            Value::Undefined(_) | Value::None => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::BigInt(b) => match i128::try_from(b.as_ref()) {
                Ok(i) => s.serialize_i128(i),
                Err(_) => Err(S::Error::custom("integer too large for JSON")),
            },
            Value::Float(f) => s.serialize_f64(*f),
            Value::Str(x) | Value::Markup(x) => s.serialize_str(x),
            Value::List(l) => {
                let items = l.lock().clone();
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in &items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Tuple(t) => {
                let mut seq = s.serialize_seq(Some(t.len()))?;
                for item in t.iter() {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Dict(d) => {
                let items: Vec<(Value, Value)> =
                    d.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                let mut map = s.serialize_map(Some(items.len()))?;
                for (k, v) in &items {
                    let key = match k {
                        Value::Str(x) | Value::Markup(x) => x.to_string(),
                        Value::None => "null".to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Int(_) | Value::BigInt(_) | Value::Float(_) => k.to_str(),
                        _ => {
                            return Err(S::Error::custom(format!(
                                "keys must be str, int, float, bool or None, not {}",
                                k.type_name()
                            )))
                        }
                    };
                    map.serialize_entry(&key, v)?;
                }
                map.end()
            }
            Value::Object(o) => {
                Err(S::Error::custom(format!("Object of type {} is not JSON serializable", o.type_name())))
            }
        }
    }
}
