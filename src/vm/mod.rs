//! The renderer: walks a compiled [`Program`](crate::compiler::program::Program) with a context.

mod state;

pub use state::State;
