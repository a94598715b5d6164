//! Source to syntax tree: the lexer (with whitespace control) and the parser.

pub mod ast;
pub mod lexer;
pub mod parser;
pub mod tokens;

pub use parser::parse;

/// Settings that change how a source is tokenized and parsed. All of them are part of the
/// environment fingerprint stored in buckets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct SyntaxConfig {
    /// `{%`
    pub block_start: String,
    /// `%}`
    pub block_end: String,
    /// `{{`
    pub variable_start: String,
    /// `}}`
    pub variable_end: String,
    /// `{#`
    pub comment_start: String,
    /// `#}`
    pub comment_end: String,
    /// Line statement prefix (e.g. `#`), if any.
    pub line_statement_prefix: Option<String>,
    /// Line comment prefix (e.g. `##`), if any.
    pub line_comment_prefix: Option<String>,
    /// Remove the first newline after a block tag.
    pub trim_blocks: bool,
    /// Strip whitespace from the start of a line up to a block tag.
    pub lstrip_blocks: bool,
    /// Keep a single trailing newline at the end of the source.
    pub keep_trailing_newline: bool,
    /// What newlines in template data become.
    pub newline_sequence: String,
    /// Enabled extensions by short name: `do`, `loopcontrols`, `i18n`, `debug`.
    pub extensions: Vec<String>,
}

impl Default for SyntaxConfig {
    fn default() -> Self {
        SyntaxConfig {
            block_start: "{%".into(),
            block_end: "%}".into(),
            variable_start: "{{".into(),
            variable_end: "}}".into(),
            comment_start: "{#".into(),
            comment_end: "#}".into(),
            line_statement_prefix: None,
            line_comment_prefix: None,
            trim_blocks: false,
            lstrip_blocks: false,
            keep_trailing_newline: false,
            newline_sequence: "\n".into(),
            extensions: Vec::new(),
        }
    }
}

impl SyntaxConfig {
    /// Whether an extension is enabled.
    pub fn has_extension(&self, name: &str) -> bool {
        self.extensions.iter().any(|e| e == name)
    }
}
