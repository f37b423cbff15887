//! Helpers shared by the integration tests: fixture sites in temporary
//! folders, builds, and reading pages back the way a reader sees them.

#![allow(dead_code)]

mod safety;
mod site_fixture;
pub mod speech;
#[allow(unused_imports)]
pub use safety::*;
#[allow(unused_imports)]
pub use site_fixture::*;

use scraper::{Html, Selector};
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use verbatim::{build, BuildOptions, BuildReport, Diagnostics};

/// A site in a temporary folder: site.toml plus the files given.
pub struct Fixture {
    pub dir: TempDir,
}

impl Fixture {
    /// A site with a default site.toml and these `(path, text)` files.
    pub fn new(files: &[(&str, &str)]) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let f = Fixture { dir };
        f.write(
            "site.toml",
            "title = \"Test site\"\nbase_url = \"https://example.org/sub/\"\n",
        );
        std::fs::create_dir_all(f.root().join("content")).unwrap();
        for (path, text) in files {
            f.write(path, text);
        }
        f
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            ..BuildOptions::default()
        }
    }

    pub fn build(&self) -> Result<BuildReport, Diagnostics> {
        build(&self.options())
    }

    /// Builds and panics with the diagnostics if the build fails.
    pub fn built(&self) -> BuildReport {
        match self.build() {
            Ok(r) => r,
            Err(d) => panic!("build failed:\n{d}"),
        }
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// A built page, parsed.
    pub fn page(&self, path: &str) -> Page {
        let full = self.public().join(path);
        let text = std::fs::read_to_string(&full)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()));
        Page {
            html: Html::parse_document(&text),
            source: text,
        }
    }
}

/// A rendered page.
pub struct Page {
    pub html: Html,
    pub source: String,
}

impl Page {
    /// The whitespace-normalized text of every element matching `selector`.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = Selector::parse(selector).expect("selector");
        self.html
            .select(&sel)
            .map(|e| normalize_space(&e.text().collect::<String>()))
            .collect()
    }

    /// The value of `attr` on every element matching `selector`.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(selector).expect("selector");
        self.html
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    /// (speaker name, turn text) of every turn on the page, in order.
    pub fn turns(&self) -> Vec<(String, String)> {
        let turn = Selector::parse(".turn").unwrap();
        let speaker = Selector::parse(".turn-head .speaker").unwrap();
        let body = Selector::parse(".turn-body").unwrap();
        self.html
            .select(&turn)
            .map(|t| {
                let name = t
                    .select(&speaker)
                    .next()
                    .map(|s| s.text().collect::<String>());
                let text = t.select(&body).next().map(|b| b.text().collect::<String>());
                (
                    normalize_space(&name.unwrap_or_default()),
                    normalize_space(&text.unwrap_or_default()),
                )
            })
            .collect()
    }
}

/// Collapses runs of white space to one space and trims.
pub fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// This repository's own site, built into `public/` of a temporary folder.
pub fn build_repository_site() -> TempDir {
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        output: Some(out.path().join("public")),
        ..BuildOptions::default()
    };
    if let Err(d) = build(&options) {
        panic!("the repository site does not build:\n{d}");
    }
    out
}

/// The shared folder beside the repository (corpus, seeds, bench).
pub fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// Every real file of `../shared/corpus/` and `../shared/corpus-next/`
/// (not their SOURCES.md and expected.json) and the seed, sorted.
pub fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["corpus", "corpus-next"] {
        let root = shared().join(dir);
        assert!(
            root.is_dir(),
            "{} is missing (the tests need ../shared)",
            root.display()
        );
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_file() && name != "SOURCES.md" && name != "expected.json" {
                files.push(entry.into_path());
            }
        }
    }
    files.push(shared().join("seeds/000_e70763a947846167.txt"));
    files
}
