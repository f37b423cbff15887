//! The crate's shape, read from its sources: the modules under `src/` import
//! one another in one direction (no cycles), and only the command line
//! (`src/cli/`, `src/main.rs`) prints. A change that adds a cycle or a print
//! elsewhere fails here, naming it (docs/architecture.md says where code goes).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    assert!(files.len() > 30, "only {} source files found", files.len());
    files
}

/// The top-level module a source file belongs to (`ingest` for
/// `src/ingest/formats/webvtt.rs`), `None` for the crate roots.
fn module_of(path: &Path) -> Option<String> {
    let rel = path
        .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
        .unwrap();
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    let name = first.trim_end_matches(".rs").to_string();
    (name != "lib" && name != "main").then_some(name)
}

/// The code of a file without its comments and its `#[cfg(test)]` tail.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    text.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string (a URL) is rare in imports; cutting
            // there only ever drops text, never adds an import.
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::name` a file uses, `crate::{a, b}` included.
fn uses(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for part in group.split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

#[test]
fn modules_import_one_another_in_one_direction() {
    let files = sources();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in &files {
        if let Some(m) = module_of(path) {
            graph.entry(m).or_default();
        }
    }
    for path in &files {
        let Some(m) = module_of(path) else { continue };
        for used in uses(&code(path)) {
            if used != m && graph.contains_key(&used) {
                graph.get_mut(&m).unwrap().insert(used);
            }
        }
    }
    assert!(graph.len() > 15, "{graph:?}");
    // A module is in a cycle when it reaches itself.
    let mut cycles = Vec::new();
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(&String, Vec<&String>)> = vec![(start, vec![start])];
        while let Some((at, path)) = stack.pop() {
            for next in &graph[at] {
                if next == start {
                    let names: Vec<&str> = path.iter().map(|s| s.as_str()).collect();
                    cycles.push(format!("{} -> {start}", names.join(" -> ")));
                } else if seen.insert(next) {
                    let mut p = path.clone();
                    p.push(next);
                    stack.push((next, p));
                }
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "modules import one another in a cycle (move what both need into a module below them):\n{}",
        cycles.join("\n")
    );
}

#[test]
fn only_the_command_line_prints() {
    let mut printing = Vec::new();
    for path in sources() {
        let rel = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .to_string_lossy()
            .to_string();
        if rel.starts_with("src/cli/") || rel == "src/main.rs" {
            continue;
        }
        for (n, line) in code(&path).lines().enumerate() {
            if ["println!", "eprintln!", "print!(", "eprint!("]
                .iter()
                .any(|m| line.contains(m))
            {
                printing.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        printing.is_empty(),
        "only src/cli/ prints; report through a value the command line prints instead:\n{}",
        printing.join("\n")
    );
}
