//! `verbatim init`: a new site that builds at once. It writes settings with
//! comments, one short example transcript, and folders for template and
//! asset overrides; it never replaces a file that is already there.

use crate::diagnostic::Diagnostic;
use std::fs;
use std::path::{Path, PathBuf};

/// What `init` did: files written and files left as they were.
#[derive(Debug, Default)]
pub struct Created {
    /// Paths relative to the site folder, in the order written.
    pub written: Vec<String>,
    /// Files that already existed (only with `force`) and were kept.
    pub kept: Vec<String>,
}

/// The files of a new site, relative to its folder.
const FILES: [(&str, &str); 4] = [
    ("site.toml", SITE_TOML),
    ("content/welcome.md", EXAMPLE_TRANSCRIPT),
    ("templates/README.md", TEMPLATES_NOTE),
    (".gitignore", "/public/\n"),
];

/// Creates a site in `dir` (made if missing). A folder that holds anything
/// but dotfiles is refused unless `force`; existing files are never replaced.
pub fn init(dir: &Path, force: bool) -> Result<Created, Diagnostic> {
    let shown = dir.to_string_lossy().into_owned();
    if dir.exists() && !dir.is_dir() {
        return Err(
            Diagnostic::error(&shown, "this path exists and is not a folder")
                .help("choose a folder name for the new site"),
        );
    }
    if !force {
        let visible = visible_entries(dir).map_err(|e| io_error(&shown, "cannot read", e))?;
        if !visible.is_empty() {
            return Err(Diagnostic::error(
                &shown,
                format!(
                    "the folder is not empty (it holds {}); verbatim init will not mix a new site into it",
                    list(&visible)
                ),
            )
            .help("choose an empty or new folder, or pass --force to add only the files that are missing"));
        }
    }
    let mut created = Created::default();
    for folder in ["content", "templates", "static"] {
        let path = dir.join(folder);
        fs::create_dir_all(&path).map_err(|e| io_error(&show(&path), "cannot create", e))?;
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        match write_new(&path, text) {
            Ok(true) => created.written.push(rel.to_string()),
            Ok(false) => created.kept.push(rel.to_string()),
            Err(e) => return Err(io_error(&show(&path), "cannot write", e)),
        }
    }
    Ok(created)
}

/// Writes `text` to a file that must not exist yet. `Ok(false)` when it does:
/// opening with `create_new` makes "exists" and "create" one step, so a file
/// made in between is never clobbered.
pub fn write_new(path: &Path, text: &str) -> std::io::Result<bool> {
    use std::io::Write;
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut f) => {
            f.write_all(text.as_bytes())?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Entries of `dir` that are not dotfiles (`.git` does not make a folder full).
fn visible_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

fn list(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths
        .iter()
        .take(3)
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    match paths.len() {
        n if n > 3 => format!("{} and {} more", names.join(", "), n - 3),
        _ => names.join(", "),
    }
}

fn show(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn io_error(path: &str, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(path, format!("{what}: {e}"))
}

const SITE_TOML: &str = r#"# The settings of this site. Only `title` is required.

# Shown in every page's header and in the browser's title bar.
title = "Interviews"
# One line under the title, and the description search engines show.
description = "Conversations, word for word."

# The address the site is published at. Links between pages are relative, so
# the site also works under a subpath (https://example.org/interviews/) and
# opened from disk; this is used only where a standard needs an absolute URL
# (canonical links, feeds, the sitemap). `verbatim build --base-url URL`
# replaces it for one build.
base_url = "https://example.org/"

# The language of the interface, and of transcripts that do not name theirs.
language = "en"

# author = "Your name"

# Where `verbatim build` writes the site, relative to this folder.
output_dir = "public"

# Build transcripts marked `draft = true` too (or pass --drafts).
drafts = false

# A line of Markdown for every page's footer: a licence, a credit.
# footer = "Published with the interviewees' consent."
"#;

const EXAMPLE_TRANSCRIPT: &str = r#"+++
# The front matter: TOML between the +++ lines. See docs/content-format.md.
title = "Welcome to your transcript site"
date = 2026-01-15
description = "An example interview: how a transcript is written for verbatim."
tags = ["example"]

# Each speaker's labels (the id, the name and the aliases) introduce turns.
[[speakers]]
id = "editor"
name = "The Editor"
role = "interviewer"
aliases = ["Q"]

[[speakers]]
id = "verbatim"
name = "Verbatim"
role = "interviewee"
aliases = ["A"]
+++

Text before the first heading is the introduction, shown on the
transcript's overview page.

## 01. Getting started

Q: What is this file?

A: An interview as verbatim reads it. Every `## ` heading starts a section,
and every paragraph that begins with a speaker label such as `Q:` starts a
turn.

A paragraph without a label continues the turn before it.

[00:01:30] Q: And the time in brackets?

A: It records when the question was asked, for transcripts made from a
recording.

## 02. Next steps

Q: What do I do now?

**Verbatim:** Run `verbatim serve`, open the address it prints, and edit
this file: the page reloads when you save. Add an interview with
`verbatim new "Its title"`, and run `verbatim check` before you publish.
"#;

const TEMPLATES_NOTE: &str = r#"# Overriding the theme

verbatim's default theme is built into the program, so this folder and
`static/` can stay empty.

- `templates/`: a file here replaces the built-in template of the same name
  (`base.html`, `index.html`, `transcript.html`, `section.html`, `full.html`,
  `404.html`, `macros.html`). Start from a copy of the one you want to change
  (they are in the `templates/` folder of verbatim's source); docs/templates.md
  lists the variables each template receives. Only `*.html` files are read, so
  this note is ignored.
- `static/`: every file is copied as it is to the root of the built site.
  `static/verbatim.css` or `static/verbatim.js` replace the theme's style sheet
  or script; any other file (images, a favicon) is published beside the pages.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_folder_with_files_but_not_one_with_dotfiles() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(".git")).unwrap();
        assert!(init(dir.path(), false).is_ok());

        let other = tempfile::tempdir().unwrap();
        fs::write(other.path().join("notes.txt"), "mine").unwrap();
        let e = init(other.path(), false).unwrap_err();
        assert!(e.message.contains("notes.txt"), "{}", e.message);
        assert!(!other.path().join("site.toml").exists());
    }

    #[test]
    fn force_keeps_existing_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("site.toml"), "title = \"Mine\"\n").unwrap();
        let created = init(dir.path(), true).unwrap();
        assert_eq!(created.kept, ["site.toml"]);
        assert_eq!(
            fs::read_to_string(dir.path().join("site.toml")).unwrap(),
            "title = \"Mine\"\n"
        );
        assert!(dir.path().join("content/welcome.md").is_file());
    }
}
