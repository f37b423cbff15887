//! Fixture sites built in temporary folders, and ways to read them back.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A built fixture site; the folder lives as long as this value.
pub struct Built {
    pub root: tempfile::TempDir,
    pub out: PathBuf,
}

const ON_ENGINES: &str = r#"+++
title = "On Engines"
date = 2024-01-02
tags = ["Computing", "History"]
description = "Ada on the engine."

[source]
author = "A. Writer"

[[speakers]]
id = "host"
name = "The Host"
role = "interviewer"
aliases = ["Q"]

[[speakers]]
id = "ada"
name = "Ada Lovelace"
role = "interviewee"
title = "Mathematician"
+++

An intro.

## 01. The Engine {#the-engine}

Q: What do you think?

Ada Lovelace: The engine weaves algebraic patterns.

Q: And poetry?

Ada: Poetical science is what I call it.

## 02. Afterwards {#afterwards}

Q: Anything else?

Ada: Nothing more.
"#;

const HOSTILE: &str = r#"+++
title = "A Hostile </script><!-- \"title\" & 'more'"
slug = "a-hostile"
description = "Ends </script> early? <!-- no -->"
tags = ["Navy"]

[[speakers]]
id = "host"
name = "The Host"
role = "interviewer"
aliases = ["Q"]

[[speakers]]
id = "grace"
name = "Grace Hopper"
role = "interviewee"
+++

## Bugs

Q: Where did the word come from?

Grace Hopper: A moth, in a relay.
"#;

/// The fixture: three transcripts (one undated with a hostile title, Ada
/// Lovelace in two under two ids), plus `extra` lines of site.toml.
pub fn fixture_site(extra: &[&str]) -> Built {
    let long_answer = "word ".repeat(990);
    let revisited = format!(
        r#"+++
title = "Engines Revisited"
date = 2025-03-04
tags = ["computing"]

[[speakers]]
id = "host"
name = "The Host"
role = "interviewer"
aliases = ["Q"]

[[speakers]]
id = "lovelace"
name = "Ada Lovelace"
role = "interviewee"
+++

## Long Answers {{#long-answers}}

Q: Tell us everything.

Lovelace: {long_answer}
"#
    );
    build_site(
        &[
            ("on-engines.md", ON_ENGINES),
            ("engines-revisited.md", &revisited),
            ("a-hostile.md", HOSTILE),
        ],
        extra,
    )
}

/// Builds a site of `files` (name, text) under content/.
pub fn build_site(files: &[(&str, &str)], extra: &[&str]) -> Built {
    let root = tempfile::tempdir().unwrap();
    let mut config = String::from(
        "title = \"Fixture\"\ndescription = \"A test site\"\nbase_url = \"https://example.org/sub/\"\n",
    );
    for line in extra {
        config.push_str(line);
        config.push('\n');
    }
    std::fs::write(root.path().join("site.toml"), config).unwrap();
    std::fs::create_dir(root.path().join("content")).unwrap();
    for (name, text) in files {
        std::fs::write(root.path().join("content").join(name), text).unwrap();
    }
    let out = root.path().join("public");
    verbatim::build(&verbatim::BuildOptions {
        root: root.path().to_path_buf(),
        output: Some(out.clone()),
        base_url: None,
        drafts: false,
        today: None,
    })
    .unwrap_or_else(|e| panic!("the fixture does not build: {e:?}"));
    Built { root, out }
}

/// A file of the output as text.
pub fn read(site: &Built, path: &str) -> String {
    let path = site.out.join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every HTML file of the output, relative, with `/`.
pub fn html_pages(site: &Built) -> Vec<String> {
    let mut pages: Vec<String> = walkdir(&site.out)
        .into_iter()
        .filter(|p| p.ends_with(".html"))
        .collect();
    pages.sort();
    pages
}

/// Every file under `dir`, relative to it.
pub fn walkdir(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(rel);
            }
        }
    }
    out
}

/// The `href` values of a page, entities decoded.
pub fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|rest| decode(&rest[..rest.find('"').unwrap_or(rest.len())]))
        .collect()
}

/// The attribute value that follows `prefix`, decoded.
pub fn attr_after(html: &str, prefix: &str) -> Option<String> {
    let start = html.find(prefix)? + prefix.len();
    let end = html[start..].find('"')? + start;
    Some(decode(&html[start..end]))
}

fn decode(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Follows a relative link from `page` inside the output: the file must
/// exist and the fragment must be an id on it.
pub fn resolve(site: &Built, page: &str, href: &str) -> Result<(), String> {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    if !path.is_empty() {
        for seg in path.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop().ok_or("leads above the site root")?;
                }
                s => parts.push(s),
            }
        }
    }
    let mut target = parts.join("/");
    if path.is_empty() {
        target = page.to_string();
    } else if path.ends_with('/') || path == "." || path == ".." {
        target = if target.is_empty() {
            "index.html".to_string()
        } else {
            format!("{target}/index.html")
        };
    }
    let file = site.out.join(&target);
    let text = std::fs::read_to_string(&file).map_err(|_| format!("no file {target}"))?;
    if let Some(f) = fragment {
        if !f.is_empty() && !text.contains(&format!("id=\"{f}\"")) {
            return Err(format!("{target} has no id {f}"));
        }
    }
    Ok(())
}

/// The text of the page's JSON-LD script.
pub fn json_ld(html: &str) -> Option<String> {
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open)? + open.len();
    let end = html[start..].find("</script>")? + start;
    Some(html[start..end].to_string())
}

/// Fails the test with how to install `tool` when it is missing.
pub fn require(tool: &str, package: &str) {
    let found = Command::new(tool).arg("--version").output().is_ok();
    assert!(
        found,
        "this test needs `{tool}`: install it with `apt-get install {package}` (.ci/run does)"
    );
}

/// The DOM of a page after its scripts ran, from headless Chromium.
pub fn chromium_dom(page: &Path) -> String {
    require("chromium", "chromium");
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs the verbatim binary with `args` and `--root root`: whether it
/// succeeded, and what it printed (stdout, then stderr).
/// The languages fixture (tests/fixtures/languages: a German site with
/// transcripts in seven other languages and a translation) built into a
/// fresh folder: the folder, kept while it is held, and the output in it.
pub fn built_languages_fixture() -> (tempfile::TempDir, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let (ok, said) = verbatim(&["build", "--output", public.to_str().unwrap()], &root);
    assert!(ok, "{said}");
    (out, public)
}

pub fn verbatim(args: &[&str], root: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("the verbatim binary runs");
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), said)
}

/// Runs `tool args...`; panics with its output when it fails.
pub fn run_ok(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{tool} {args:?} failed:\n{text}");
    text
}
