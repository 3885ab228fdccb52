//! The core's layers, checked on its source: every module uses only its own layer and the
//! layers below it, by their full paths (`crate::domain::text`, never a shortcut); the
//! domain and the file formats touch neither the database, the file system nor the clock;
//! SQL is written in storage only (the use cases name no rusqlite and no SQL).
//! (ARCHITECTURE.md says what each layer is for.)

use std::path::{Path, PathBuf};

/// The layers, lowest first.
const LAYERS: &[&str] = &["error", "domain", "format", "store", "app"];

/// What a layer's code may not name at all.
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "domain",
        &[
            "rusqlite",
            "std::fs",
            "File::",
            "Utc::now",
            "Local::now",
            "SystemTime",
            "Instant::now",
            "new_v4",
            "std::env",
            "std::net",
            "SELECT ",
            "INSERT ",
            "UPDATE ",
        ],
    ),
    (
        "format",
        &[
            "rusqlite",
            "Utc::now",
            "Local::now",
            "SystemTime",
            "new_v4",
            "std::env",
            "SELECT ",
            "INSERT ",
        ],
    ),
    ("error", &["Utc::now", "std::fs", "SELECT ", "rusqlite"]),
    // Storage is the only place with SQL: the use cases call its functions.
    (
        "app",
        &[
            "rusqlite",
            "params!",
            "query_row",
            "query_map",
            ".prepare(",
            ".prepare_cached(",
            ".execute(",
            "execute_batch",
            "SELECT ",
            "INSERT ",
            "UPDATE ",
            "DELETE FROM",
            "Utc::now",
            "Local::now",
        ],
    ),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The layer a source file belongs to: its folder under `src/`, or its name for a file at
/// the top (`error.rs`); None for `lib.rs`, which only declares and re-exports.
fn layer_of(path: &Path) -> Option<&'static str> {
    let rel = path.strip_prefix(src()).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    if name == "lib" {
        return None;
    }
    Some(
        LAYERS
            .iter()
            .find(|l| **l == name)
            .unwrap_or_else(|| panic!("{} is in no layer: put it under one of {LAYERS:?}", rel.display())),
    )
}

/// Code without comments (a doc comment may name a layer above).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::x` a file names, with its line.
fn crate_refs(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + 7..];
            let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if name.is_empty() {
                // `crate::{a, b}`: every name in the braces.
                if let Some(inner) = after.strip_prefix('{') {
                    let inner = inner.split('}').next().unwrap_or("");
                    for part in inner.split(',') {
                        let head: String = part
                            .trim()
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if !head.is_empty() {
                            out.push((n + 1, head));
                        }
                    }
                }
            } else {
                out.push((n + 1, name));
            }
            rest = after;
        }
    }
    out
}

#[test]
fn every_module_uses_only_its_layer_and_those_below() {
    let mut all = Vec::new();
    files(&src(), &mut all);
    let mut faults = Vec::new();
    for f in &all {
        let Some(layer) = layer_of(f) else { continue };
        let level = LAYERS.iter().position(|l| *l == layer).unwrap();
        let text = code(&std::fs::read_to_string(f).unwrap());
        let rel = f.strip_prefix(src()).unwrap().display().to_string();
        for (line, name) in crate_refs(&text) {
            match LAYERS.iter().position(|l| *l == name) {
                None => faults.push(format!(
                    "{rel}:{line}: crate::{name} is no layer (write the full path, e.g. crate::domain::{name})"
                )),
                Some(l) if l > level => {
                    faults.push(format!("{rel}:{line}: {layer} uses crate::{name}, a layer above it"))
                }
                _ => {}
            }
        }
        for (l, words) in FORBIDDEN {
            if *l != layer {
                continue;
            }
            for w in *words {
                if let Some(i) = text.find(w) {
                    let line = text[..i].lines().count();
                    faults.push(format!("{rel}:{line}: the {layer} layer names «{w}»"));
                }
            }
        }
    }
    assert!(faults.is_empty(), "layer faults:\n{}", faults.join("\n"));
}

#[test]
fn the_check_sees_a_reference_upwards() {
    // The checker itself: a domain line naming the store is caught, a comment is not.
    let text = code("use crate::store::W; // crate::app::rules\nlet x = crate::{domain::text, app::plan};");
    let names: Vec<String> = crate_refs(&text).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["store", "domain", "app"]);
}
