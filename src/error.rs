//! The one library error type: a kind per Jinja2 exception class, the message, and where it
//! happened (template name, line, column, source line), attached once by whoever knows it first.

use std::fmt;

/// The Jinja2 exception class (or plain Python exception) an error corresponds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `TemplateSyntaxError`: the source does not parse.
    TemplateSyntaxError,
    /// `TemplateAssertionError`: parses, but cannot compile (unknown filter, bad assignment...).
    TemplateAssertionError,
    /// `UndefinedError`: an undefined value was used in a way that needs a value.
    UndefinedError,
    /// `TemplateNotFound`: a loader has no template of that name.
    TemplateNotFound,
    /// `TemplatesNotFound`: none of several candidate templates exists.
    TemplatesNotFound,
    /// `TemplateRuntimeError`: a generic render-time failure.
    TemplateRuntimeError,
    /// `SecurityError`: the sandbox refused an operation.
    SecurityError,
    /// `FilterArgumentError`: a filter got an argument it cannot use.
    FilterArgumentError,
    /// Python's `TypeError` escaping from an operation.
    TypeError,
    /// Python's `ValueError`.
    ValueError,
    /// Python's `ZeroDivisionError`.
    ZeroDivisionError,
    /// Python's `OverflowError`.
    OverflowError,
    /// Python's `KeyError`.
    KeyError,
    /// Python's `IndexError`.
    IndexError,
    /// Python's `AttributeError`.
    AttributeError,
    /// Python's `RecursionError`.
    RecursionError,
    /// Reading or writing a file failed.
    IoError,
    /// A bucket or serialized program is invalid.
    BadBytecode,
}

impl ErrorKind {
    /// The Python class name, as printed in diagnostics (`error[TemplateSyntaxError]`).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::TemplateSyntaxError => "TemplateSyntaxError",
            ErrorKind::TemplateAssertionError => "TemplateAssertionError",
            ErrorKind::UndefinedError => "UndefinedError",
            ErrorKind::TemplateNotFound => "TemplateNotFound",
            ErrorKind::TemplatesNotFound => "TemplatesNotFound",
            ErrorKind::TemplateRuntimeError => "TemplateRuntimeError",
            ErrorKind::SecurityError => "SecurityError",
            ErrorKind::FilterArgumentError => "FilterArgumentError",
            ErrorKind::TypeError => "TypeError",
            ErrorKind::ValueError => "ValueError",
            ErrorKind::ZeroDivisionError => "ZeroDivisionError",
            ErrorKind::OverflowError => "OverflowError",
            ErrorKind::KeyError => "KeyError",
            ErrorKind::IndexError => "IndexError",
            ErrorKind::AttributeError => "AttributeError",
            ErrorKind::RecursionError => "RecursionError",
            ErrorKind::IoError => "IOError",
            ErrorKind::BadBytecode => "BadBytecode",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone)]
struct Repr {
    kind: ErrorKind,
    detail: String,
    name: Option<String>,
    line: Option<usize>,
    col: Option<usize>,
    source_line: Option<String>,
    trace: Vec<(String, usize)>,
}

/// A template error: kind, message and (once known) location.
#[derive(Clone)]
pub struct Error(Box<Repr>);

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A new error of `kind` with message `detail` and no location yet.
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> Error {
        Error(Box::new(Repr {
            kind,
            detail: detail.into(),
            name: None,
            line: None,
            col: None,
            source_line: None,
            trace: Vec::new(),
        }))
    }

    /// A syntax error at a line and column.
    pub fn syntax(detail: impl Into<String>, line: usize, col: usize) -> Error {
        let mut e = Error::new(ErrorKind::TemplateSyntaxError, detail);
        e.0.line = Some(line);
        e.0.col = Some(col);
        e
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    /// The message, without location.
    pub fn detail(&self) -> &str {
        &self.0.detail
    }
    /// The template the error happened in, if known.
    pub fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }
    /// 1-based line, if known.
    pub fn line(&self) -> Option<usize> {
        self.0.line
    }
    /// 1-based column, if known.
    pub fn column(&self) -> Option<usize> {
        self.0.col
    }
    /// The source line the error points at, if known.
    pub fn source_line(&self) -> Option<&str> {
        self.0.source_line.as_deref()
    }
    /// The templates (name, line) a render error passed through, innermost first.
    pub fn trace(&self) -> &[(String, usize)] {
        &self.0.trace
    }

    /// Whether a location is attached already.
    pub fn has_location(&self) -> bool {
        self.0.line.is_some() && self.0.name.is_some()
    }

    /// Attach name, line and column unless a location is already known; fills the source line.
    pub fn attach(&mut self, name: &str, line: usize, col: usize, source: Option<&str>) {
        if self.0.name.is_none() {
            self.0.name = Some(name.to_string());
            if self.0.line.is_none() {
                self.0.line = Some(line);
                self.0.col = Some(col);
            }
        }
        if self.0.source_line.is_none() && self.0.name.as_deref() == Some(name) {
            if let (Some(src), Some(l)) = (source, self.0.line) {
                self.0.source_line = src.lines().nth(l.saturating_sub(1)).map(str::to_string);
            }
        }
    }

    /// Record that the error passed through `name` at `line` (include, extends, macro call).
    pub fn push_trace(&mut self, name: &str, line: usize) {
        if self.0.name.as_deref() != Some(name) || self.0.line != Some(line) {
            self.0.trace.push((name.to_string(), line));
        }
    }

    /// Set the template name (used by the parser, which knows line/col already).
    pub fn with_name(mut self, name: &str, source: &str) -> Error {
        let (line, col) = (self.0.line.unwrap_or(1), self.0.col.unwrap_or(1));
        self.attach(name, line, col, Some(source));
        self
    }

    /// Replace the message (keeps kind and location).
    pub fn set_detail(&mut self, detail: String) {
        self.0.detail = detail;
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("detail", &self.0.detail)
            .field("name", &self.0.name)
            .field("line", &self.0.line)
            .field("col", &self.0.col)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.0.kind, self.0.detail)?;
        if let Some(name) = &self.0.name {
            write!(f, " (in {}", name)?;
            if let Some(line) = self.0.line {
                write!(f, ":{}", line)?;
                if let Some(col) = self.0.col {
                    write!(f, ":{}", col)?;
                }
            }
            write!(f, ")")?;
        }
        if f.alternate() {
            if let (Some(src), Some(line)) = (&self.0.source_line, self.0.line) {
                let col = self.0.col.unwrap_or(1);
                let gutter = line.to_string().len();
                let (src, indent) = snippet(src, col);
                write!(f, "\n{:gutter$} |\n{} | {}\n{:gutter$} | {}^", "", line, src, "", indent)?;
            }
            for (name, line) in &self.0.trace {
                write!(f, "\n  from {}:{}", name, line)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Longest source line shown whole under an error, in characters; of a longer one (minified
/// HTML, a generated template) [`snippet`] shows the stretch around the column.
const SNIPPET_CHARS: usize = 120;

/// The source line to show under an error at character `col` (1-based) of `src`, and what goes
/// before the caret under it ([`caret_indent`]): the line itself, or for a line longer than
/// [`SNIPPET_CHARS`] the stretch of that many characters around the column, with `...` where
/// it is cut.
pub(crate) fn snippet(src: &str, col: usize) -> (std::borrow::Cow<'_, str>, String) {
    let n = src.chars().count();
    if n <= SNIPPET_CHARS {
        return (src.into(), caret_indent(src, col));
    }
    let at = col.saturating_sub(1).min(n);
    let first = at.saturating_sub(SNIPPET_CHARS / 2).min(n - SNIPPET_CHARS);
    let last = first + SNIPPET_CHARS;
    let byte = |i: usize| src.char_indices().nth(i).map_or(src.len(), |(b, _)| b);
    let part = src.get(byte(first)..byte(last)).unwrap_or_default();
    let lead = if first > 0 { "..." } else { "" };
    let trail = if last < n { "..." } else { "" };
    let indent = format!("{}{}", " ".repeat(lead.len()), caret_indent(part, at - first + 1));
    (format!("{lead}{part}{trail}").into(), indent)
}

/// What goes before the caret under `src` so that it stands under character `col` (1-based,
/// counted in characters as error columns are) wherever the terminal puts it: each tab before
/// it kept as a tab (expanded as the line's own was), each other character as the columns it
/// takes (two for most CJK, none for a combining mark), and spaces past the line's end.
pub(crate) fn caret_indent(src: &str, col: usize) -> String {
    let before = col.saturating_sub(1);
    let mut out = String::with_capacity(before);
    let mut seen = 0;
    for ch in src.chars().take(before) {
        seen += 1;
        match ch {
            '\t' => out.push('\t'),
            _ => {
                out.extend(std::iter::repeat_n(' ', unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0)))
            }
        }
    }
    out.extend(std::iter::repeat_n(' ', before - seen));
    out
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::new(ErrorKind::IoError, e.to_string())
    }
}
