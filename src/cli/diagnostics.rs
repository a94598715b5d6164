//! Human-readable template errors: the Jinja2 class, the message, `--> file:line:col`, and the
//! source line with a caret.

use std::io::Write;

use crate::error::Error;

/// Print `err` to `w` in the human format of shared/DESIGN.md §1.
pub fn print_error(w: &mut dyn Write, err: &Error) -> std::io::Result<()> {
    writeln!(w, "error[{}]: {}", err.kind(), err.detail())?;
    if let Some(name) = err.name() {
        match (err.line(), err.column()) {
            (Some(l), Some(c)) => writeln!(w, "  --> {}:{}:{}", name, l, c)?,
            (Some(l), None) => writeln!(w, "  --> {}:{}", name, l)?,
            _ => writeln!(w, "  --> {}", name)?,
        }
        if let (Some(src), Some(line)) = (err.source_line(), err.line()) {
            let gutter = line.to_string().len();
            let col = err.column().unwrap_or(1).max(1);
            writeln!(w, "{:gutter$} |", "")?;
            writeln!(w, "{} | {}", line, src)?;
            writeln!(w, "{:gutter$} | {:>col$}", "", "^")?;
        }
    }
    for (name, line) in err.trace() {
        writeln!(w, "  from {}:{}", name, line)?;
    }
    Ok(())
}
