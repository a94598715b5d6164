//! jinjac: a Jinja2-compatible template engine whose templates compile to an owned, versioned
//! program that can be stored in checksummed bucket files and loaded instead of recompiled.
#![deny(missing_docs)]

pub mod environment;
pub mod error;
pub mod filters;
pub mod methods;
pub mod syntax;
pub mod tests;
pub mod value;
pub mod vm;

pub use environment::Environment;
pub use error::{Error, ErrorKind, Result};
pub use value::Value;
pub use vm::State;
