//! Several writers and readers on one cache directory at once: two `jinjac compile` processes
//! compiling into it while `jinjac render --cache` processes read from it, and threads of one
//! process sharing an environment with two environments on the same directory. Every run must
//! succeed with correct output, and the directory must verify afterwards.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use jinjac::cache::FileSystemBytecodeCache;
use jinjac::loader::FileSystemLoader;
use jinjac::Environment;

const N: usize = 120;

/// `t{i}.html` includes `part{i % 7}.html`; every template renders to a known string.
fn make_tree(root: &Path) {
    let t = root.join("templates");
    std::fs::create_dir_all(&t).unwrap();
    for p in 0..7 {
        std::fs::write(t.join(format!("part{p}.html")), format!("[part {p}: {{{{ x }}}}]")).unwrap();
    }
    for i in 0..N {
        let body = format!(
            "<h1>{i}</h1>{{% for k in range({}) %}}{{{{ k }}}}{{% endfor %}}{{% include 'part{}.html' %}}\n",
            i % 5,
            i % 7
        );
        std::fs::write(t.join(format!("t{i}.html")), body).unwrap();
    }
}

fn expected(i: usize) -> String {
    let ks: String = (0..i % 5).map(|k| k.to_string()).collect();
    format!("<h1>{i}</h1>{ks}[part {}: &lt;x&gt;]", i % 7)
}

fn jinjac(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jinjac"));
    c.current_dir(dir)
        .args(args)
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

#[test]
fn processes_compile_and_render_one_cache_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    make_tree(root);
    for round in 0..3 {
        let force: &[&str] = if round == 0 { &[] } else { &["--force"] };
        let mut writers = Vec::new();
        for _ in 0..2 {
            let mut args = vec!["compile", "templates", "-o", "cache", "-j", "2"];
            args.extend_from_slice(force);
            writers.push(jinjac(root, &args).spawn().unwrap());
        }
        let mut readers = Vec::new();
        for i in (0..N).step_by(17) {
            let name = format!("t{i}.html");
            let child =
                jinjac(root, &["render", &name, "-t", "templates", "--cache", "cache", "-D", "x=<x>"])
                    .spawn()
                    .unwrap();
            readers.push((i, child));
        }
        for w in writers {
            let o = w.wait_with_output().unwrap();
            assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        }
        for (i, r) in readers {
            let o = r.wait_with_output().unwrap();
            assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
            assert_eq!(String::from_utf8_lossy(&o.stdout), expected(i), "round {round}");
        }
    }
    let o = jinjac(root, &["verify", "cache", "-t", "templates"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    // No temporary files left behind.
    let leftovers: Vec<String> = std::fs::read_dir(root.join("cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn environment(root: &Path) -> Environment {
    let mut env = Environment::new();
    env.autoescape = jinjac::AutoEscape::html_default();
    env.set_loader(FileSystemLoader::new([root.join("templates")]));
    env.set_bytecode_cache(FileSystemBytecodeCache::new(root.join("cache")));
    env
}

#[test]
fn threads_and_environments_share_one_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    make_tree(&root);
    let a = Arc::new(environment(&root));
    let b = Arc::new(environment(&root));
    std::thread::scope(|s| {
        for t in 0..6 {
            let env = if t % 2 == 0 { a.clone() } else { b.clone() };
            s.spawn(move || {
                for round in 0..2 {
                    for i in (t..N).step_by(3) {
                        let out = env
                            .get_template(&format!("t{i}.html"))
                            .and_then(|tpl| tpl.render(serde_json::json!({"x": "<x>"})))
                            .unwrap();
                        assert_eq!(out, expected(i), "thread {t} round {round}");
                    }
                }
            });
        }
    });
    // A third environment starts from a warm cache: every lookup is a hit.
    let c = environment(&root);
    for i in 0..N {
        c.get_template(&format!("t{i}.html")).unwrap();
    }
    let s = c.bytecode_cache().unwrap().stats();
    assert_eq!((s.hits, s.misses), (N as u64, 0));
}
