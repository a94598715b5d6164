//! tmp
#![allow(missing_docs)]
use crate::error::Result; use crate::value::Value;
pub fn percent_format(s: &str, _a: &Value) -> Result<String> { Ok(s.to_string()) }
pub fn markup_percent_format(s: &Value, _a: &Value) -> Result<Value> { Ok(s.clone()) }
