//! Terminal colors for diagnostics: `--color auto|always|never` and `NO_COLOR`
//! (<https://no-color.org>: set and non-empty means no color, unless `--color always`).

use std::io::IsTerminal;

use super::args::ColorChoice;

/// Whether to emit ANSI colors on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Style {
    pub color: bool,
}

impl Style {
    /// Resolve `--color` against the environment and standard error.
    pub(crate) fn resolve(choice: ColorChoice) -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stderr().is_terminal(),
        };
        Style { color }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{}m{}\x1b[0m", code, text)
        } else {
            text.to_string()
        }
    }

    /// Bold red.
    pub(crate) fn error(&self, text: &str) -> String {
        self.paint("1;31", text)
    }

    /// Bold yellow.
    pub(crate) fn warning(&self, text: &str) -> String {
        self.paint("1;33", text)
    }

    /// Bold green.
    pub(crate) fn good(&self, text: &str) -> String {
        self.paint("1;32", text)
    }

    /// Bold.
    pub(crate) fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_choices() {
        assert!(Style::resolve(ColorChoice::Always).color);
        assert!(!Style::resolve(ColorChoice::Never).color);
        assert_eq!(Style { color: false }.error("x"), "x");
        assert_eq!(Style { color: true }.error("x"), "\x1b[1;31mx\x1b[0m");
    }
}
