//! From syntax tree to [`Program`]: [`lower`] checks what Jinja2 checks at compile time
//! (unknown filters and tests, duplicate parameters, assignments to `loop`, blocks defined
//! twice) while it turns the tree into the flat program the renderer walks and buckets
//! store ([`program`], its byte layout in [`codec`]), versioned by [`BYTECODE_VERSION`]. See
//! ARCHITECTURE.md for the design.

pub mod codec;
pub mod disasm;
pub mod lower;
pub mod program;
mod scopes;
pub mod strings;

use crate::environment::Environment;
use crate::error::Result;
use crate::syntax::ast::Target;

pub use program::{BlockDef, Program};

/// Bump on any change to the serialized shape of [`Program`] or its codec: a bucket of another
/// layout under the same version would decode into a different program.
pub const BYTECODE_VERSION: u32 = 23;

/// Compile a parsed template: lowering to a [`Program`], with Jinja2's compile-time checks
/// made on the way (one walk of the tree; the checks come in the order Jinja2's code generator
/// makes them, so the first failing one is reported).
pub fn compile(tree: crate::syntax::ast::Template, name: &str, env: &Environment) -> Result<Program> {
    lower::lower(tree, name, env)
}

/// Whether an assignment target binds `loop` (Jinja2 forbids it in a for-loop target).
pub(crate) fn target_binds_loop(ex: &crate::syntax::ast::Exprs, t: &Target) -> bool {
    match t {
        Target::Name(n) => &**ex.text(*n) == "loop",
        Target::Tuple(items) => ex.targets(*items).iter().any(|t| target_binds_loop(ex, t)),
        Target::Attr(..) => false,
    }
}
