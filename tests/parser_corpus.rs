//! Every template of a conformance case (`../shared/conformance/visible.jsonl`) that Jinja2
//! renders must parse, and every template Jinja2 rejects while parsing must be rejected with the
//! same error class, message and line. (A case may carry broken templates it never loads:
//! beyond its entry template and the one Jinja2 reported, failures are only counted.) Skips when
//! the corpus is absent.

use jinjac::syntax::{parse, SyntaxConfig};
use jinjac::ErrorKind;

/// Assertion errors Jinja2 raises while parsing (or first thing when compiling): the parser
/// reports these; every other `TemplateAssertionError` belongs to later stages.
fn is_parse_time_assertion(message: &str) -> bool {
    message.contains("defined twice") || message.contains("can not be imported")
}

#[test]
fn corpus_templates_parse_like_jinja2() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/conformance/visible.jsonl");
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("conformance corpus not found at {path}; skipping");
        return;
    };
    let (mut parsed, mut rejected, mut unchecked, mut failures) = (0, 0, 0, Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("bad corpus line: {e}"));
                continue;
            }
        };
        let id = case["id"].as_str().unwrap_or("?");
        let opt = |k: &str| case["options"][k].as_bool().unwrap_or(false);
        let cfg = SyntaxConfig {
            trim_blocks: opt("trim_blocks"),
            lstrip_blocks: opt("lstrip_blocks"),
            keep_trailing_newline: opt("keep_trailing_newline"),
            ..SyntaxConfig::default()
        };
        let expect = &case["expect"];
        let error = expect["error"].as_str();
        let message = expect["message"].as_str().unwrap_or("");
        let parse_error = match error {
            Some("TemplateSyntaxError") => Some(ErrorKind::TemplateSyntaxError),
            Some("TemplateAssertionError") if is_parse_time_assertion(message) => {
                Some(ErrorKind::TemplateAssertionError)
            }
            _ => None,
        };
        let failing_template = expect["template"].as_str();
        let Some(templates) = case["templates"].as_object() else { continue };
        for (name, source) in templates {
            let source = source.as_str().unwrap_or("");
            let result = parse(source, name, &cfg);
            let must_fail = parse_error.is_some() && failing_template == Some(name.as_str());
            match (must_fail, result) {
                (false, Ok(_)) => parsed += 1,
                (false, Err(_)) if error.is_some() || case["entry"].as_str() != Some(name) => unchecked += 1,
                (false, Err(e)) => failures.push(format!("{id} [{name}]: unexpected error {e}")),
                (true, Ok(_)) => failures.push(format!("{id} [{name}]: parsed, expected {message:?}")),
                (true, Err(e)) => {
                    rejected += 1;
                    let line = expect["lineno"].as_u64().map(|l| l as usize);
                    // jinjac keeps Jinja2's message and may append a suggestion after it.
                    let same_message = e.detail() == message
                        || e.detail()
                            .strip_prefix(message)
                            .is_some_and(|rest| rest.starts_with(" Did you mean '"));
                    if Some(e.kind()) != parse_error || !same_message || e.line() != line {
                        failures.push(format!(
                            "{id} [{name}]: got {:?} {:?} at line {:?}, expected {error:?} {message:?} at line {line:?}",
                            e.kind(),
                            e.detail(),
                            e.line()
                        ));
                    }
                }
            }
        }
    }
    eprintln!(
        "corpus: {parsed} templates parsed, {rejected} rejected as expected, {unchecked} broken \
         templates not loaded by their case"
    );
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
