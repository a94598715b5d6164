//! jinjac: a Jinja2-compatible template engine whose templates compile to an owned, versioned
//! program that can be stored in checksummed bucket files and loaded instead of recompiled.
//!
//! ```
//! use jinjac::{Environment, loader::DictLoader};
//! let mut env = Environment::new();
//! env.set_loader(DictLoader::new([("hello.txt", "Hello {{ name }}!")]));
//! let out = env.get_template("hello.txt").unwrap().render(serde_json::json!({"name": "World"})).unwrap();
//! assert_eq!(out, "Hello World!");
//! ```
#![deny(missing_docs)]

pub mod cache;
pub mod cli;
pub mod compiler;
pub mod config;
pub mod environment;
pub mod error;
pub mod filters;
pub mod loader;
pub mod methods;
pub mod syntax;
pub mod template;
pub mod tests;
pub mod value;
pub mod vm;

pub use environment::{AutoEscape, Environment};
pub use error::{Error, ErrorKind, Result};
pub use template::Template;
pub use value::Value;
pub use vm::State;
