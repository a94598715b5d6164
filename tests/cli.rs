//! The `jinjac` binary end to end, in temporary copies of `fixtures/site` and
//! `fixtures/broken`: every subcommand, every exit status, both message formats, piped output
//! (no progress bar, one summary line), incremental reruns that write nothing, `--prune`,
//! `verify` catching corruption and stale sources, serving from a cache without sources.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

const SITE_TEMPLATES: usize = 11;

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A hermetic `jinjac` run in `dir`: no CI, no NO_COLOR, pipes for every stream.
fn jinjac(dir: &Path, args: &[&str]) -> Out {
    jinjac_env(dir, args, &[])
}

fn jinjac_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jinjac"));
    cmd.current_dir(dir).args(args).env_remove("CI").env_remove("NO_COLOR").stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        if rel.starts_with(".jinjac-cache") {
            continue;
        }
        let dst = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

/// A fresh copy of a fixture tree.
fn fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(name);
    copy_tree(&fixtures().join(name), &dir);
    (tmp, dir)
}

/// Every file in a directory: name -> bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

fn lines(s: &str) -> Vec<&str> {
    s.lines().collect()
}

fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}"))).collect()
}

fn bucket_count(dir: &Path) -> usize {
    snapshot(dir).keys().filter(|k| k.starts_with("__jinjac_") && k.ends_with(".cache")).count()
}

#[test]
fn compile_site_piped_prints_one_summary_line() {
    let (_t, site) = fixture("site");
    let o = jinjac(&site, &["compile"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "");
    let l = lines(&o.stderr);
    assert_eq!(l.len(), 1, "{:?}", o.stderr);
    assert!(
        l[0].starts_with(&format!(
            "compile: compiled {SITE_TEMPLATES}, up to date 0, failed 0 ({SITE_TEMPLATES} templates); "
        )),
        "{}",
        l[0]
    );
    assert!(!o.stderr.contains('\x1b') && !o.stderr.contains('\r'), "no progress bar or color when piped");
    let cache = site.join(".jinjac-cache");
    assert_eq!(bucket_count(&cache), SITE_TEMPLATES);
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(cache.join("__jinjac_index.json")).unwrap()).unwrap();
    let names: Vec<&str> =
        index["templates"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), SITE_TEMPLATES);
    assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted: {names:?}");
    assert!(names.contains(&"pages/blog/post.html") && names.contains(&"macros/forms.html"));

    // With CI set (even on a terminal) the output is the same single line.
    let o = jinjac_env(&site, &["compile"], &[("CI", "true")]);
    assert_eq!(lines(&o.stderr).len(), 1);
    assert!(o.stderr.contains(&format!("up to date {SITE_TEMPLATES}")));
    // -q: nothing at all.
    let o = jinjac(&site, &["compile", "-q"]);
    assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (0, "", ""));
}

#[cfg(unix)]
#[test]
fn incremental_rerun_rewrites_nothing() {
    use std::os::unix::fs::MetadataExt;
    let (_t, site) = fixture("site");
    assert_eq!(jinjac(&site, &["compile"]).code, 0);
    let cache = site.join(".jinjac-cache");
    // Age every file so that any rewrite would show in its mtime; remember inodes too
    // (an atomic rewrite makes a new inode).
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let mut before = BTreeMap::new();
    for (name, bytes) in snapshot(&cache) {
        let p = cache.join(&name);
        std::fs::File::options().write(true).open(&p).unwrap().set_modified(old).unwrap();
        before.insert(name, (bytes, std::fs::metadata(&p).unwrap().ino()));
    }
    let o = jinjac(&site, &["compile"]);
    assert_eq!(o.code, 0);
    assert!(o.stderr.contains(&format!("compiled 0, up to date {SITE_TEMPLATES}, failed 0")), "{}", o.stderr);
    for (name, (bytes, ino)) in &before {
        let p = cache.join(name);
        let m = std::fs::metadata(&p).unwrap();
        assert_eq!(m.modified().unwrap(), old, "{name} was rewritten");
        assert_eq!(m.ino(), *ino, "{name} was replaced");
        assert_eq!(&std::fs::read(&p).unwrap(), bytes);
    }
    assert_eq!(snapshot(&cache).len(), before.len(), "no new files");

    // One template changed: only its bucket (and the index, whose checksum changed) move.
    std::fs::write(site.join("templates/robots.txt"), "User-agent: *\n").unwrap();
    let o = jinjac(&site, &["compile"]);
    assert!(o.stderr.contains(&format!("compiled 1, up to date {}", SITE_TEMPLATES - 1)), "{}", o.stderr);
    let changed: Vec<&String> = before
        .keys()
        .filter(|n| std::fs::metadata(cache.join(n)).unwrap().modified().unwrap() != old)
        .collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(changed.iter().any(|n| *n == "__jinjac_index.json"));

    // --force rewrites everything.
    let o = jinjac(&site, &["compile", "--force"]);
    assert!(o.stderr.contains(&format!("compiled {SITE_TEMPLATES}, up to date 0")), "{}", o.stderr);
    // Other settings: every bucket is out of date.
    let o = jinjac(&site, &["compile", "--keep-trailing-newline"]);
    assert!(o.stderr.contains(&format!("compiled {SITE_TEMPLATES}, up to date 0")), "{}", o.stderr);
}

#[test]
fn two_compiles_are_byte_identical() {
    let (_t, site) = fixture("site");
    assert_eq!(jinjac(&site, &["compile", "-o", "one", "-j", "1"]).code, 0);
    assert_eq!(jinjac(&site, &["compile", "-o", "two", "-j", "2"]).code, 0);
    let (a, b) = (snapshot(&site.join("one")), snapshot(&site.join("two")));
    assert_eq!(a.len(), SITE_TEMPLATES + 1);
    assert!(a == b, "cache directories differ");
}

#[test]
fn prune_removes_buckets_of_deleted_templates() {
    let (_t, site) = fixture("site");
    assert_eq!(jinjac(&site, &["compile"]).code, 0);
    std::fs::remove_file(site.join("templates/robots.txt")).unwrap();
    let cache = site.join(".jinjac-cache");
    let o = jinjac(&site, &["compile"]);
    assert_eq!(o.code, 0);
    assert_eq!(bucket_count(&cache), SITE_TEMPLATES, "kept without --prune");
    let o = jinjac(&site, &["compile", "--prune"]);
    assert_eq!(o.code, 0);
    assert!(o.stderr.contains("pruned 1"), "{}", o.stderr);
    assert_eq!(bucket_count(&cache), SITE_TEMPLATES - 1);
    let index = std::fs::read_to_string(cache.join("__jinjac_index.json")).unwrap();
    assert!(!index.contains("robots.txt"));
    assert!(jinjac(&site, &["compile", "--prune"]).stderr.contains("pruned 0"));
}

#[test]
fn errors_are_all_reported_and_good_templates_still_written() {
    let (_t, broken) = fixture("broken");
    let o = jinjac(&broken, &["compile", "-o", "cache"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("error[TemplateSyntaxError]"), "{}", o.stderr);
    assert!(o.stderr.contains("  --> syntax.html:"), "{}", o.stderr);
    assert!(
        o.stderr.contains("error[TemplateAssertionError]: No filter named 'frobnicate'."),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("  --> unknown_filter.html:1:"), "{}", o.stderr);
    // Sorted by name: syntax before unknown_filter, the summary last.
    let syntax = o.stderr.find("syntax.html").unwrap();
    let unknown = o.stderr.find("unknown_filter.html").unwrap();
    assert!(syntax < unknown);
    assert!(lines(&o.stderr)
        .last()
        .unwrap()
        .starts_with("compile: compiled 3, up to date 0, failed 2 (5 templates)"));
    assert_eq!(bucket_count(&broken.join("cache")), 3);
    let index = std::fs::read_to_string(broken.join("cache/__jinjac_index.json")).unwrap();
    assert!(index.contains("ok.html") && !index.contains("syntax.html"));

    // JSON: one object per line on stdout, errors then the summary; nothing on stderr.
    let o = jinjac(&broken, &["check", "--message-format", "json"]);
    assert_eq!(o.code, 1);
    assert_eq!(o.stderr, "");
    let objs = json_lines(&o.stdout);
    assert_eq!(objs.len(), 3);
    assert_eq!(objs[0]["type"], "error");
    assert_eq!(objs[0]["kind"], "TemplateSyntaxError");
    assert_eq!(objs[0]["template"], "syntax.html");
    assert!(objs[0]["line"].as_u64().is_some() && objs[0]["column"].as_u64().is_some());
    assert_eq!(objs[1]["kind"], "TemplateAssertionError");
    assert_eq!(objs[1]["message"], "No filter named 'frobnicate'.");
    assert_eq!(objs[2]["type"], "summary");
    assert_eq!(objs[2]["failed"], 2);
    assert_eq!(objs[2]["ok"], 3);
    // Parallel or not, the same bytes.
    let again = jinjac(&broken, &["check", "--message-format", "json", "-j", "1"]);
    let strip = |s: &str| s.lines().filter(|l| !l.contains("summary")).collect::<Vec<_>>().join("\n");
    assert_eq!(strip(&again.stdout), strip(&o.stdout));
}

#[test]
fn check_writes_nothing() {
    let (_t, site) = fixture("site");
    let o = jinjac(&site, &["check"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o
        .stderr
        .starts_with(&format!("check: {SITE_TEMPLATES} templates, ok {SITE_TEMPLATES}, failed 0")));
    assert!(!site.join(".jinjac-cache").exists());
    let o = jinjac(&site, &["check", "--message-format", "json", "--include", "*.txt"]);
    let objs = json_lines(&o.stdout);
    assert_eq!(objs.len(), 1);
    assert_eq!(objs[0]["templates"], 1);
    let o = jinjac(&site, &["check", "--exclude", "pages/*", "-q"]);
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
}

#[test]
fn usage_config_and_io_errors_exit_2() {
    let (_t, site) = fixture("site");
    let o = jinjac(&site, &["compile", "--bogus"]);
    assert_eq!(o.code, 2);
    assert_eq!(jinjac(&site, &["frobnicate"]).code, 2);
    assert_eq!(jinjac(&site, &["compile", "-j", "0"]).code, 2);
    assert_eq!(jinjac(&site, &["compile", "no/such/dir"]).code, 2);
    // Unknown config key: named, with the file.
    std::fs::write(site.join("bad.toml"), "[environment]\ntrim_blockz = true\n").unwrap();
    let o = jinjac(&site, &["check", "--config", "bad.toml"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("trim_blockz") && o.stderr.contains("bad.toml"), "{}", o.stderr);
    assert_eq!(jinjac(&site, &["check", "--config", "missing.toml"]).code, 2);
    // Cache directory that cannot be created.
    std::fs::write(site.join("afile"), "").unwrap();
    let o = jinjac(&site, &["compile", "-o", "afile/cache"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("not writable"), "{}", o.stderr);
    // --help and --version succeed.
    assert_eq!(jinjac(&site, &["--help"]).code, 0);
    assert!(jinjac(&site, &["--version"]).stdout.starts_with("jinjac "));
    assert!(!jinjac(&site, &["--help"]).stdout.contains("generate-man"));
}

#[test]
fn render_matches_jinja2_and_keeps_its_interface() {
    let (_t, site) = fixture("site");
    let expected = |n: &str| std::fs::read_to_string(site.join("expected").join(n)).unwrap();
    for name in ["pages/index.html", "pages/blog/post.html", "feed.xml", "robots.txt"] {
        let o = jinjac(&site, &["render", name, "-c", "context.json"]);
        assert_eq!(o.code, 0, "{name}: {}", o.stderr);
        assert_eq!(o.stdout, expected(name), "{name}");
    }
    // The conformance script's form: explicit -t and flags, no config file in the way.
    let o = jinjac(
        &site,
        &[
            "render",
            "robots.txt",
            "-t",
            "templates",
            "-c",
            "context.json",
            "--no-autoescape",
            "--trim-blocks",
            "--config",
            "jinjac.toml",
        ],
    );
    assert_eq!(o.stdout, expected("robots.txt"));
    let o = jinjac(
        &site,
        &[
            "render",
            "partials/footer.html",
            "-t",
            "templates",
            "-D",
            "site={\"year\":1,\"name\":\"<x>\"}",
            "-D",
            "posts=[1]",
        ],
    );
    assert_eq!(o.stdout, "<footer>&copy; 1 &lt;X&gt; · 1 posts</footer>");
    // Output file.
    let o = jinjac(&site, &["render", "robots.txt", "-c", "context.json", "-o", "out.txt"]);
    assert_eq!((o.code, o.stdout.as_str()), (0, ""));
    assert_eq!(std::fs::read_to_string(site.join("out.txt")).unwrap(), expected("robots.txt"));
    // Template errors: exit 1 and the Jinja2 class name.
    let o = jinjac(&site, &["render", "nope.html"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("TemplateNotFound"), "{}", o.stderr);
    let (_b, broken) = fixture("broken");
    for (t, class) in [
        ("strict_undefined.html", "UndefinedError"),
        ("missing_include.html", "TemplateNotFound"),
        ("syntax.html", "TemplateSyntaxError"),
        ("unknown_filter.html", "TemplateAssertionError"),
    ] {
        let o = jinjac(&broken, &["render", t]);
        assert_eq!(o.code, 1, "{t}");
        assert!(o.stderr.contains(&format!("error[{class}]")), "{t}: {}", o.stderr);
    }
    assert_eq!(jinjac(&broken, &["render", "ok.html"]).stdout, "<p>fine</p>");
    // Bad context: exit 2.
    assert_eq!(jinjac(&site, &["render", "robots.txt", "-c", "nope.json"]).code, 2);
}

#[test]
fn render_through_the_cache_and_without_sources() {
    let (_t, site) = fixture("site");
    let expected = std::fs::read_to_string(site.join("expected/pages/index.html")).unwrap();
    // render --cache writes the buckets of what it compiled.
    let o = jinjac(&site, &["render", "pages/index.html", "-c", "context.json", "--cache", "rc"]);
    assert_eq!((o.code, o.stdout.as_str()), (0, expected.as_str()), "{}", o.stderr);
    assert_eq!(bucket_count(&site.join("rc")), 5, "base, nav, footer, forms, and the page");
    let o = jinjac(&site, &["render", "pages/index.html", "-c", "context.json", "--cache", "rc"]);
    assert_eq!(o.stdout, expected);

    // Deploy the cache, not the templates.
    assert_eq!(jinjac(&site, &["compile", "-o", "deploy"]).code, 0);
    std::fs::rename(site.join("templates"), site.join("gone")).unwrap();
    let o = jinjac(&site, &["render", "pages/index.html", "-c", "context.json", "--cache", "deploy"]);
    assert_eq!((o.code, o.stdout.as_str()), (0, expected.as_str()), "{}", o.stderr);
    // ...but only under the settings it was compiled with.
    let o = jinjac(
        &site,
        &["render", "pages/index.html", "-c", "context.json", "--cache", "deploy", "--keep-trailing-newline"],
    );
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("fingerprint"), "{}", o.stderr);

    // An unwritable cache still renders, and says so once.
    std::fs::rename(site.join("gone"), site.join("templates")).unwrap();
    std::fs::write(site.join("afile"), "").unwrap();
    let o = jinjac(&site, &["render", "pages/index.html", "-c", "context.json", "--cache", "afile/sub"]);
    assert_eq!((o.code, o.stdout.as_str()), (0, expected.as_str()));
    assert_eq!(o.stderr.matches("warning").count(), 1, "{}", o.stderr);
}

#[test]
fn verify_catches_corruption_and_stale_sources() {
    let (_t, site) = fixture("site");
    assert_eq!(jinjac(&site, &["compile", "-o", "c"]).code, 0);
    let o = jinjac(&site, &["verify", "c", "-t", "templates"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stderr, format!("verify: {SITE_TEMPLATES} buckets, ok {SITE_TEMPLATES}, bad 0, stale 0\n"));

    // A flipped byte.
    let bucket = site.join("c").join(format!("__jinjac_{}.cache", blake3::hash(b"base.html").to_hex()));
    let good = std::fs::read(&bucket).unwrap();
    let mut bad = good.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x40;
    std::fs::write(&bucket, &bad).unwrap();
    let o = jinjac(&site, &["verify", "c"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("bad: ") && o.stderr.contains("digest"), "{}", o.stderr);
    let o = jinjac(&site, &["verify", "c", "--message-format", "json"]);
    let objs = json_lines(&o.stdout);
    assert_eq!(objs.iter().filter(|j| j["status"] == "bad").count(), 1);
    assert_eq!(objs.last().unwrap()["bad"], 1);
    std::fs::write(&bucket, &good).unwrap();

    // A bucket copied over another template's.
    let other = site.join("c").join(format!("__jinjac_{}.cache", blake3::hash(b"robots.txt").to_hex()));
    let saved = std::fs::read(&other).unwrap();
    std::fs::copy(&bucket, &other).unwrap();
    let o = jinjac(&site, &["verify", "c"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("swapped"), "{}", o.stderr);
    std::fs::write(&other, saved).unwrap();

    // A stale source.
    std::fs::write(site.join("templates/base.html"), "changed").unwrap();
    let o = jinjac(&site, &["verify", "c", "-t", "templates"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("stale: base.html") && o.stderr.contains("source changed"), "{}", o.stderr);
    // Integrity alone is still fine.
    assert_eq!(jinjac(&site, &["verify", "c"]).code, 0);
    // Under the settings it was compiled with, and not under others.
    assert_eq!(jinjac(&site, &["verify", "c", "--config", "jinjac.toml"]).code, 0);
    let o = jinjac(&site, &["verify", "c", "--config", "jinjac.toml", "--undefined", "strict"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("other settings than configured"), "{}", o.stderr);
    assert_eq!(jinjac(&site, &["verify", "nowhere"]).code, 2);
}

#[test]
fn ls_and_clean() {
    let (_t, site) = fixture("site");
    assert_eq!(jinjac(&site, &["compile", "-o", "c"]).code, 0);
    let o = jinjac(&site, &["ls", "c"]);
    assert_eq!(o.code, 0);
    let l = lines(&o.stdout);
    assert_eq!(l.len(), SITE_TEMPLATES + 2);
    assert!(l[0].starts_with("NAME"));
    assert!(l[1].starts_with("base.html ") && l[1].ends_with(" ok"), "{}", l[1]);
    assert!(l.last().unwrap().starts_with(&format!("{SITE_TEMPLATES} buckets, ")));
    let objs = json_lines(&jinjac(&site, &["ls", "c", "--message-format", "json"]).stdout);
    assert_eq!(objs.len(), SITE_TEMPLATES + 1);
    assert_eq!(objs[0]["name"], "base.html");
    assert_eq!(objs[0]["indexed"], true);
    assert_eq!(objs.last().unwrap()["buckets"], SITE_TEMPLATES);
    assert_eq!(jinjac(&site, &["ls", "nowhere"]).code, 2);

    std::fs::write(site.join("c/keep.me"), "mine").unwrap();
    std::fs::write(site.join("c/.__jinjac_stale.tmp"), "").unwrap();
    let o = jinjac(&site, &["clean", "c"]);
    assert_eq!(o.code, 0);
    assert_eq!(o.stderr, format!("clean: removed {} files from c\n", SITE_TEMPLATES + 2));
    assert_eq!(snapshot(&site.join("c")).into_keys().collect::<Vec<_>>(), ["keep.me"]);
    assert_eq!(jinjac(&site, &["clean", "c", "-q"]).stderr, "");
}

#[test]
fn color_choices() {
    let (_t, broken) = fixture("broken");
    let o = jinjac(&broken, &["check", "--color", "always"]);
    assert!(o.stderr.contains("\x1b[1;31merror[TemplateSyntaxError]"), "{:?}", o.stderr);
    let o = jinjac(&broken, &["check", "--color", "never"]);
    assert!(!o.stderr.contains('\x1b'));
    let o = jinjac_env(&broken, &["check"], &[("NO_COLOR", "1")]);
    assert!(!o.stderr.contains('\x1b'));
    assert_eq!(jinjac(&broken, &["check", "--color", "sometimes"]).code, 2);
}

/// The CLI and the library read the same jinjac.toml and the same files: every bucket that
/// `jinjac compile` wrote is a hit for `Environment::from_config`.
#[test]
fn library_hits_every_bucket_the_cli_wrote() {
    let (_t, site) = fixture("site");
    assert_eq!(jinjac(&site, &["compile"]).code, 0);
    let env = jinjac::Environment::from_config(site.join("jinjac.toml")).unwrap();
    let names = env.list_templates();
    assert_eq!(names.len(), SITE_TEMPLATES);
    for n in &names {
        env.get_template(n).unwrap();
    }
    let s = env.bytecode_cache().unwrap().stats();
    assert_eq!((s.hits, s.misses, s.writes), (SITE_TEMPLATES as u64, 0, 0));
    let ctx: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("context.json")).unwrap()).unwrap();
    let out = env.get_template("pages/blog/post.html").unwrap().render(&ctx).unwrap();
    assert_eq!(out, std::fs::read_to_string(site.join("expected/pages/blog/post.html")).unwrap());
}

#[test]
fn context_from_stdin_merges_with_files_and_defines() {
    use std::io::Write;
    let (_t, site) = fixture("site");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jinjac"))
        .current_dir(&site)
        .args(["render", "partials/footer.html", "-c", "context.json", "-c", "-", "-D", "posts=[]"])
        .env_remove("CI")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(br#"{"site": {"year": 1999, "name": "piped"}}"#).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "<footer>&copy; 1999 PIPED · 0 posts</footer>");
}

#[cfg(unix)]
#[test]
fn hidden_entries_skipped_and_symlinks_only_with_follow() {
    let (_t, site) = fixture("site");
    let t = site.join("templates");
    std::fs::create_dir_all(t.join(".drafts")).unwrap();
    std::fs::write(t.join(".drafts/wip.html"), "{{ broken").unwrap();
    std::fs::write(t.join(".swp.html"), "{{ broken").unwrap();
    let extra = site.join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    std::fs::write(extra.join("linked.html"), "linked").unwrap();
    std::os::unix::fs::symlink(&extra, t.join("extra")).unwrap();
    let o = jinjac(&site, &["check"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains(&format!("{SITE_TEMPLATES} templates")), "{}", o.stderr);
    let o = jinjac(&site, &["check", "-L"]);
    assert!(o.stderr.contains(&format!("{} templates", SITE_TEMPLATES + 1)), "{}", o.stderr);
}

#[test]
fn disasm_lists_statements_and_blocks_and_fails_like_render() {
    let (_tmp, site) = fixture("site");
    let out = jinjac(&site, &["disasm", "pages/index.html"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("program 'pages/index.html' (bytecode v"), "{}", out.stdout);
    assert!(out.stdout.contains("EXTENDS 'base.html'"), "{}", out.stdout);
    assert!(out.stdout.contains("block content (line "), "{}", out.stdout);
    let (_tmp2, broken) = fixture("broken");
    let bad = jinjac(&broken, &["disasm", "syntax.html", "-t", "templates"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("error[TemplateSyntaxError]"), "{}", bad.stderr);
}
