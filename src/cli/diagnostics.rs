//! Template errors for people and for tools: the human block (the Jinja2 class, the message,
//! `--> file:line:col`, the source line with a caret; colored on request) and the JSON object
//! of `--message-format json` (shared/DESIGN.md §1).

use std::io::Write;

use super::style::Style;
use crate::error::Error;

/// Print `err` to `w` in the human format of shared/DESIGN.md §1.
pub fn print_error(w: &mut dyn Write, err: &Error) -> std::io::Result<()> {
    print_error_styled(w, err, Style { color: false })
}

/// [`print_error`] with colors when `style` says so.
pub(crate) fn print_error_styled(w: &mut dyn Write, err: &Error, style: Style) -> std::io::Result<()> {
    let label = style.error(&format!("error[{}]", err.kind()));
    writeln!(w, "{}: {}", label, style.bold(err.detail()))?;
    if let Some(name) = err.name() {
        let arrow = style.paint_blue("-->");
        match (err.line(), err.column()) {
            (Some(l), Some(c)) => writeln!(w, "  {} {}:{}:{}", arrow, name, l, c)?,
            (Some(l), None) => writeln!(w, "  {} {}:{}", arrow, name, l)?,
            _ => writeln!(w, "  {} {}", arrow, name)?,
        }
        if let (Some(src), Some(line)) = (err.source_line(), err.line()) {
            let gutter = line.to_string().len();
            let col = err.column().unwrap_or(1).max(1);
            let bar = style.paint_blue("|");
            let (src, indent) = crate::error::snippet(src, col);
            writeln!(w, "{:gutter$} {}", "", bar)?;
            writeln!(w, "{} {} {}", style.paint_blue(&line.to_string()), bar, src)?;
            writeln!(w, "{:gutter$} {} {}{}", "", bar, indent, style.error("^"))?;
        }
    }
    for (name, line) in err.trace() {
        writeln!(w, "  from {}:{}", name, line)?;
    }
    Ok(())
}

/// A problem that is not a template error (unreadable file, unwritable bucket), in the same
/// human shape: `error[IOError]: message` and `  --> name`.
pub(crate) fn print_problem(
    w: &mut dyn Write,
    kind: &str,
    name: Option<&str>,
    message: &str,
    style: Style,
) -> std::io::Result<()> {
    writeln!(w, "{}: {}", style.error(&format!("error[{}]", kind)), style.bold(message))?;
    if let Some(n) = name {
        writeln!(w, "  {} {}", style.paint_blue("-->"), n)?;
    }
    Ok(())
}

/// The JSON object of one template error.
pub(crate) fn error_json(
    err: &Error,
    template: Option<&str>,
    path: Option<&std::path::Path>,
) -> serde_json::Value {
    serde_json::json!({
        "type": "error",
        "kind": err.kind().name(),
        "template": err.name().or(template),
        "path": path.map(|p| p.display().to_string()),
        "line": err.line(),
        "column": err.column(),
        "message": err.detail(),
    })
}

/// The JSON object of a problem that is not a template error.
pub(crate) fn problem_json(
    kind: &str,
    template: Option<&str>,
    path: Option<&std::path::Path>,
    message: &str,
) -> serde_json::Value {
    serde_json::json!({
        "type": "error",
        "kind": kind,
        "template": template,
        "path": path.map(|p| p.display().to_string()),
        "line": null,
        "column": null,
        "message": message,
    })
}

impl Style {
    fn paint_blue(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1;34m{}\x1b[0m", text)
        } else {
            text.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn human_block() {
        let mut e = Error::syntax("unexpected end of template, expected 'endfor'", 2, 5);
        e.attach("pages/index.html", 2, 5, Some("a\n    {% for x in y %}\n"));
        let mut out = Vec::new();
        print_error(&mut out, &e).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "error[TemplateSyntaxError]: unexpected end of template, expected 'endfor'\n  --> pages/index.html:2:5\n  |\n2 |     {% for x in y %}\n  |     ^\n"
        );
        let j = error_json(&e, None, None);
        assert_eq!(j["kind"], "TemplateSyntaxError");
        assert_eq!(j["line"], 2);
        let p = problem_json(ErrorKind::IoError.name(), Some("a"), None, "m");
        assert_eq!(p["type"], "error");
    }

    /// The caret stands under its character however the line before it is displayed: tabs
    /// kept, wide characters as two columns, a combining mark as none.
    #[test]
    fn caret_under_tabs_and_wide_characters() {
        let cases = [
            ("\t\t{{ x.y( }}", 11, "\t\t        "),
            ("héllo {{ x( }}", 13, "            "),
            ("名前 {{ x( }}", 10, "           "),
            ("e\u{301}e {{ x }}", 4, "  "),
            ("ab", 5, "    "),
        ];
        assert_eq!(crate::error::caret_indent("", 1), "");
        // A long line (minified HTML) is shown around the column, cut with `...`.
        let long = format!("{}{{{{ x( }}}}{}", "é".repeat(500), "a".repeat(500));
        let (line, indent) = crate::error::snippet(&long, 508);
        assert_eq!(line.chars().count(), 126);
        assert!(line.starts_with("...é") && line.ends_with("a..."), "{line}");
        assert_eq!(line.chars().nth(indent.len()), Some('}'), "{line}");
        let (line, indent) = crate::error::snippet(&long, 3);
        assert!(line.starts_with("éé") && line.ends_with("é...") && indent == "  ", "{line}");
        let (line, indent) = crate::error::snippet(&long, 1011);
        assert!(line.starts_with("...") && line.ends_with('a') && indent.len() == 123, "{line}");
        let (line, _) = crate::error::snippet(&long, usize::MAX);
        assert!(line.starts_with("...") && line.ends_with('a'), "{line}");
        for (line, col, indent) in cases {
            assert_eq!(crate::error::caret_indent(line, col), indent, "{line:?} at {col}");
            let mut e = Error::syntax("m", 1, col);
            e.attach("t", 1, col, Some(line));
            let mut out = Vec::new();
            print_error(&mut out, &e).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(text.ends_with(&format!("\n  | {indent}^\n")), "{text:?}");
        }
    }
}
