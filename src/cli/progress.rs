//! The progress bar of `jinjac compile`: shown on a terminal only (never piped, never with `CI`
//! set, never with `-q` or JSON output), cleared before the summary line prints.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar, or nothing.
pub(crate) struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar over `len` templates when `enabled`.
    pub(crate) fn new(enabled: bool, len: usize, verb: &str) -> Progress {
        if !enabled {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
        let style =
            ProgressStyle::with_template(&format!("{:>10} [{{bar:30}}] {{pos}}/{{len}} {{wide_msg}}", verb))
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
        bar.set_style(style);
        Progress(Some(bar))
    }

    /// One template done.
    pub(crate) fn inc(&self, name: &str) {
        if let Some(b) = &self.0 {
            b.set_message(name.to_string());
            b.inc(1);
        }
    }

    /// Remove the bar from the screen.
    pub(crate) fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}
