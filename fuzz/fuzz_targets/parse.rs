//! `cargo fuzz run parse`: the lexer and parser must never panic or overflow the stack.
//! The first input byte picks the syntax options, the rest is the template.
#![no_main]

use jinjac::syntax::lexer::{normalize_source, tokenize};
use jinjac::syntax::{parse, SyntaxConfig};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let source = String::from_utf8_lossy(rest);
    let mut cfg = SyntaxConfig {
        trim_blocks: flags & 1 != 0,
        lstrip_blocks: flags & 2 != 0,
        keep_trailing_newline: flags & 4 != 0,
        ..SyntaxConfig::default()
    };
    if flags & 8 != 0 {
        cfg.line_statement_prefix = Some("#".into());
        cfg.line_comment_prefix = Some("##".into());
    }
    if flags & 16 != 0 {
        cfg.newline_sequence = "\r\n".into();
    }
    if flags & 32 != 0 {
        cfg.block_start = "<%".into();
        cfg.block_end = "%>".into();
        cfg.variable_start = "<%=".into();
        cfg.variable_end = "%>".into();
        cfg.comment_start = "<%#".into();
        cfg.comment_end = "%>".into();
    }
    if flags & 64 != 0 {
        cfg.extensions = vec!["do".into(), "loopcontrols".into(), "i18n".into(), "debug".into()];
    }
    let _ = parse(&source, "fuzz", &cfg);
    let normalized = normalize_source(&source, cfg.keep_trailing_newline);
    for token in tokenize(&normalized, &cfg) {
        if token.is_err() {
            break;
        }
    }
});
