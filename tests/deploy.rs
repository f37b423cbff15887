//! The publishing recipes of docs/deploy.md, as far as a test can run them:
//! a build with a project-subpath base URL placed under that subpath with
//! every link followed, an rsync copy, and the example workflow and netlify
//! files read and their build commands run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn verbatim(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the verbatim binary runs")
}

/// A site from `init` plus a second transcript that links to the first.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert!(verbatim(dir.path(), &["init", "site"]).status.success());
    std::fs::write(
        dir.path().join("site/content/second.md"),
        "+++\ntitle = \"Second\"\ndate = 2026-02-01\n+++\n\n## Part\n\nQ: Linked?\n\nA: See [this](@/welcome#q2).\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("site/static/logo.svg"), "<svg/>").unwrap();
    dir
}

/// Every `href` and `src` of a page, as written.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// Resolves `reference` from the page at URL path `page` (`/sub/a/index.html`)
/// to a URL path, as a browser does; `None` for other hosts and fragments.
fn resolve(page: &str, reference: &str) -> Option<String> {
    let reference = reference.split('#').next().unwrap();
    if reference.is_empty()
        || reference.contains("://")
        || reference.starts_with("mailto:")
        || reference.starts_with("data:")
    {
        return None;
    }
    let mut parts: Vec<&str> = if reference.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = page.split('/').filter(|s| !s.is_empty()).collect();
        p.pop();
        p
    };
    for seg in reference.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut path = format!("/{}", parts.join("/"));
    if reference.ends_with('/') && path != "/" {
        path.push('/');
    }
    Some(path)
}

/// The file a static host serves for a URL path under `www`.
fn served(www: &Path, url: &str) -> PathBuf {
    let rel = url.trim_start_matches('/');
    let path = www.join(rel);
    if url.ends_with('/') || path.is_dir() {
        path.join("index.html")
    } else {
        path
    }
}

#[test]
fn a_project_subpath_build_works_under_its_subpath() {
    let dir = site();
    let root = dir.path().join("site");
    // As the GitHub Pages workflow builds: base URL of a project site.
    let www = dir.path().join("www");
    let out = verbatim(
        &root,
        &[
            "build",
            "--base-url",
            "https://ann.github.io/interviews/",
            "--output",
            www.join("interviews").to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut pages: Vec<String> = walkdir::WalkDir::new(&www)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            format!(
                "/{}",
                e.path().strip_prefix(&www).unwrap().to_string_lossy()
            )
        })
        .collect();
    pages.sort();
    assert!(pages.contains(&"/interviews/second/part/index.html".to_string()));
    let mut followed = BTreeSet::new();
    for page in &pages {
        let html = std::fs::read_to_string(www.join(&page[1..])).unwrap();
        for reference in references(&html) {
            if let Some(canonical) = reference.strip_prefix("https://ann.github.io") {
                assert!(canonical.starts_with("/interviews/"), "{page}: {reference}");
                continue;
            }
            let Some(url) = resolve(page, &reference) else {
                continue;
            };
            assert!(
                url.starts_with("/interviews/"),
                "{page}: {reference} leaves the subpath"
            );
            let file = served(&www, &url);
            assert!(
                file.is_file(),
                "{page}: {reference} -> {} is missing",
                file.display()
            );
            followed.insert(url);
        }
    }
    // The cross-transcript link and the site's own files were among them.
    assert!(
        followed.contains("/interviews/welcome/getting-started/"),
        "{followed:?}"
    );
    assert!(
        followed.contains("/interviews/verbatim.css"),
        "{followed:?}"
    );
}

#[test]
#[ignore = "needs rsync (apt-get install rsync): run with `cargo test -- --include-ignored`"]
fn rsync_copies_a_build_to_a_folder_host() {
    assert!(
        Command::new("rsync").arg("--version").output().is_ok(),
        "this test needs `rsync`: install it with `apt-get install rsync` (.ci/run does)"
    );
    let dir = site();
    let root = dir.path().join("site");
    assert!(verbatim(
        &root,
        &[
            "build",
            "--quiet",
            "--base-url",
            "https://example.org/interviews/"
        ]
    )
    .status
    .success());
    let host = dir.path().join("host/interviews");
    std::fs::create_dir_all(&host).unwrap();
    std::fs::write(host.join("old-page.html"), "gone").unwrap();
    let out = Command::new("rsync")
        .args(["-a", "--delete"])
        .arg(format!("{}/", root.join("public").display()))
        .arg(format!("{}/", host.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(host.join("index.html").is_file());
    assert!(host.join("welcome/full/index.html").is_file());
    assert!(host.join("logo.svg").is_file());
    assert!(!host.join("old-page.html").exists());
}

#[test]
fn the_example_files_build_with_verbatim() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
    let workflow = std::fs::read_to_string(docs.join("github-pages.yml")).unwrap();
    assert!(workflow.contains("verbatim check"));
    assert!(workflow.contains("verbatim build --base-url"));
    assert!(workflow.contains("path: public"));

    let netlify: toml::Table =
        toml::from_str(&std::fs::read_to_string(docs.join("netlify.toml")).unwrap()).unwrap();
    let build = netlify["build"].as_table().unwrap();
    assert_eq!(build["publish"].as_str(), Some("public"));
    let command = build["command"].as_str().unwrap();
    // Run the verbatim part of Netlify's command as Netlify would, with $URL set.
    let verbatim_part = &command[command.find("verbatim check").unwrap()..];
    let dir = site();
    let out = Command::new("sh")
        .arg("-c")
        .arg(verbatim_part)
        .env("URL", "https://interviews.netlify.app")
        .env(
            "PATH",
            format!(
                "{}:{}",
                Path::new(env!("CARGO_BIN_EXE_verbatim"))
                    .parent()
                    .unwrap()
                    .display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .current_dir(dir.path().join("site"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = std::fs::read_to_string(dir.path().join("site/public/index.html")).unwrap();
    assert!(home.contains("https://interviews.netlify.app/"), "{home}");
}
