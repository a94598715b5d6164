//! Templates compiled the way a `build.rs` does it (`write_bundle`) and served from the bundle
//! bytes alone (`EmbeddedLoader`, as with `include_bytes!`): same output as from sources, and
//! a bundle built with other settings or damaged is an error, never a wrong render.

use jinjac::loader::{bundle_dir, EmbeddedLoader, FileSystemLoader};
use jinjac::Environment;
use std::path::Path;

fn site() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/site")
}

fn context() -> serde_json::Value {
    let text = std::fs::read_to_string(site().join("context.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn bundle_renders_like_sources() {
    let env = Environment::from_config(site().join("jinjac.toml")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("templates.bundle");
    jinjac::loader::write_bundle(&env, site().join("templates"), &path).unwrap();
    let bundle: &'static [u8] = Box::leak(std::fs::read(&path).unwrap().into_boxed_slice());

    let mut from_bundle = Environment::from_config(site().join("jinjac.toml")).unwrap();
    from_bundle.set_loader(EmbeddedLoader::new(bundle).unwrap());
    let mut from_source = Environment::from_config(site().join("jinjac.toml")).unwrap();
    from_source.set_loader(FileSystemLoader::new([site().join("templates")]));

    let names = from_bundle.list_templates();
    assert!(names.contains(&"pages/index.html".to_string()), "{names:?}");
    for name in ["pages/index.html", "pages/about.html", "feed.xml"] {
        let a = from_bundle.get_template(name).unwrap().render(context()).unwrap();
        let b = from_source.get_template(name).unwrap().render(context()).unwrap();
        assert_eq!(a, b, "{name}");
    }
    // Same tree, same settings: same bytes.
    assert_eq!(bundle, bundle_dir(&env, site().join("templates")).unwrap().as_slice());
}

#[test]
fn other_settings_or_damage_are_errors() {
    let env = Environment::from_config(site().join("jinjac.toml")).unwrap();
    let bytes = bundle_dir(&env, site().join("templates")).unwrap();
    let bundle: &'static [u8] = Box::leak(bytes.clone().into_boxed_slice());
    let mut other = Environment::new();
    other.set_loader(EmbeddedLoader::new(bundle).unwrap());
    assert!(other.get_template("pages/index.html").is_err());

    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    let flipped: &'static [u8] = Box::leak(flipped.into_boxed_slice());
    let mut env2 = Environment::from_config(site().join("jinjac.toml")).unwrap();
    // A bundle may be refused whole (its index is checked) or load with the bad bucket a miss.
    if let Ok(l) = EmbeddedLoader::new(flipped) {
        env2.set_loader(l);
        let names = env2.list_templates();
        let any_err = names.iter().any(|n| env2.get_template(n).is_err());
        assert!(any_err || names.is_empty());
    }
    for cut in [0, 7, 12, bytes.len() - 1] {
        let t: &'static [u8] = Box::leak(bytes[..cut].to_vec().into_boxed_slice());
        assert!(EmbeddedLoader::new(t).is_err(), "cut at {cut}");
    }
}
