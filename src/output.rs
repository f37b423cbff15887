//! Output: the only code that writes under the output folder. A build is
//! written into a fresh folder beside the output and swapped in only when
//! every file is written, so a failed build leaves the previous site as it
//! was. An existing output folder is replaced only if verbatim made it.

use crate::diagnostic::Diagnostic;
use crate::render::{Page, THEME_ASSETS};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file that marks an output folder as verbatim's to replace.
pub const MARKER: &str = ".verbatim-output";

/// The folder copied into the output as it is, relative to the site root.
pub const STATIC_DIR: &str = "static";

/// What a write produced.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub pages: usize,
    pub static_files: usize,
}

/// Writes `pages` and the site's `static/` files to `output`, replacing the
/// previous build there.
pub fn write(root: &Path, output: &Path, pages: &[Page]) -> Result<Written, Diagnostic> {
    let output = absolute(output).map_err(|e| out_error(output, "cannot resolve the path", e))?;
    let root = absolute(root).map_err(|e| out_error(root, "cannot resolve the site root", e))?;
    check_output_location(&root, &output)?;
    check_owned(&output)?;

    let parent = output.parent().ok_or_else(|| {
        Diagnostic::error(show(&output), "the output folder has no parent folder")
    })?;
    fs::create_dir_all(parent).map_err(|e| out_error(parent, "cannot create the folder", e))?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string());
    let staging = parent.join(format!(".{name}.verbatim-new-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| out_error(&staging, "cannot clear", e))?;
    }

    let result = fill(&root, &staging, pages).and_then(|written| {
        swap_in(&staging, &output, parent, &name)?;
        Ok(written)
    });
    if result.is_err() && staging.exists() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Writes everything into the staging folder.
fn fill(root: &Path, staging: &Path, pages: &[Page]) -> Result<Written, Diagnostic> {
    fs::create_dir_all(staging).map_err(|e| out_error(staging, "cannot create the folder", e))?;
    for page in pages {
        check_relative(&page.path)?;
    }
    let statics = static_files(root)?;
    let page_paths: HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    let themed: HashSet<&str> = THEME_ASSETS.iter().map(|(n, _)| *n).collect();
    for (rel, _) in &statics {
        if page_paths.contains(rel.as_str()) && !themed.contains(rel.as_str()) {
            return Err(Diagnostic::error(
                format!("{STATIC_DIR}/{rel}"),
                format!("this file would replace the generated page {rel}"),
            )
            .help("rename or move the file in static/"));
        }
    }
    // Folders first (serially, parents before children), then files in parallel.
    let dirs: BTreeSet<PathBuf> = pages
        .iter()
        .map(|p| p.path.as_str())
        .chain(statics.iter().map(|(rel, _)| rel.as_str()))
        .filter_map(|p| Path::new(p).parent().map(Path::to_path_buf))
        .collect();
    for dir in &dirs {
        let d = staging.join(dir);
        fs::create_dir_all(&d).map_err(|e| out_error(&d, "cannot create the folder", e))?;
    }
    pages
        .par_iter()
        .filter(|p| {
            !(themed.contains(p.path.as_str()) && statics.iter().any(|(r, _)| r == &p.path))
        })
        .try_for_each(|p| {
            let path = staging.join(&p.path);
            fs::write(&path, &p.bytes).map_err(|e| out_error(&path, "cannot write", e))
        })?;
    statics.par_iter().try_for_each(|(rel, from)| {
        let to = staging.join(rel);
        fs::copy(from, &to)
            .map(|_| ())
            .map_err(|e| out_error(from, "cannot copy the static file", e))
    })?;
    let marker = staging.join(MARKER);
    fs::write(
        &marker,
        "This folder is written by verbatim and replaced on every build.\n",
    )
    .map_err(|e| out_error(&marker, "cannot write", e))?;
    Ok(Written {
        pages: pages.len(),
        static_files: statics.len(),
    })
}

/// Moves the finished build into place. Dotfiles at the top of the old output
/// (`.git`, `.nojekyll`, ...) belong to the user and move into the new one.
fn swap_in(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), Diagnostic> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(|e| out_error(output, "cannot create", e));
    }
    let entries = fs::read_dir(output).map_err(|e| out_error(output, "cannot read", e))?;
    for entry in entries {
        let entry = entry.map_err(|e| out_error(output, "cannot read", e))?;
        let file_name = entry.file_name();
        let keep = file_name.to_string_lossy().starts_with('.') && file_name != MARKER;
        if keep {
            let to = staging.join(&file_name);
            fs::rename(entry.path(), &to)
                .map_err(|e| out_error(&entry.path(), "cannot keep", e))?;
        }
    }
    let old = parent.join(format!(".{name}.verbatim-old-{}", std::process::id()));
    fs::rename(output, &old)
        .map_err(|e| out_error(output, "cannot move the previous build aside", e))?;
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(&old, output);
        return Err(out_error(output, "cannot move the new build into place", e));
    }
    fs::remove_dir_all(&old).map_err(|e| out_error(&old, "cannot remove the previous build", e))
}

/// Files under `static/`, as (path relative to it with `/`, full path).
pub fn static_files(root: &Path) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
    let dir = root.join(STATIC_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry =
            entry.map_err(|e| Diagnostic::error(STATIC_DIR, format!("cannot read: {e}")))?;
        if entry.file_type().is_file() {
            let rel = crate::site::display_path(&dir, entry.path());
            files.push((rel, entry.into_path()));
        }
    }
    Ok(files)
}

/// The output may not be, or hold, the site's own sources or the home folder:
/// replacing it would delete them.
fn check_output_location(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let refuse = |what: &str| {
        Err(Diagnostic::error(
            show(output),
            format!("refusing to write the site here: the output folder {what}"),
        )
        .help("choose an output folder of its own, such as public/ (--output or output_dir in site.toml)"))
    };
    if output.parent().is_none() {
        return refuse("is the file system root");
    }
    if root.starts_with(output) {
        return refuse("is or contains the site root");
    }
    for source in ["content", "templates", STATIC_DIR] {
        if root.join(source).starts_with(output) || output.starts_with(root.join(source)) {
            return refuse(&format!("overlaps {source}/"));
        }
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if home.starts_with(output) {
            return refuse("is or contains the home folder");
        }
    }
    Ok(())
}

/// An existing, non-empty output folder must carry verbatim's marker.
fn check_owned(output: &Path) -> Result<(), Diagnostic> {
    if !output.exists() {
        return Ok(());
    }
    if !output.is_dir() {
        return Err(
            Diagnostic::error(show(output), "the output path exists and is not a folder")
                .help("remove the file or choose another --output"),
        );
    }
    if output.join(MARKER).is_file() {
        return Ok(());
    }
    let mut entries = fs::read_dir(output).map_err(|e| out_error(output, "cannot read", e))?;
    let only_dotfiles = entries.all(|e| {
        e.map(|e| e.file_name().to_string_lossy().starts_with('.'))
            .unwrap_or(false)
    });
    if only_dotfiles {
        return Ok(());
    }
    Err(Diagnostic::error(
        show(output),
        "the output folder holds files that verbatim did not write; it will not replace them",
    )
    .help(format!(
        "choose another output folder, or empty this one yourself (verbatim marks its own output with {MARKER})"
    )))
}

/// Page paths are made by the site stage from slugs; this is the last guard
/// that none of them leaves the output folder.
fn check_relative(path: &str) -> Result<(), Diagnostic> {
    let ok = !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(Diagnostic::error(
            path,
            "a page path would leave the output folder",
        ))
    }
}

/// The path made absolute and free of `.`/`..`, without requiring it to exist.
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    // Resolve symlinks for the part that exists, so comparisons see real folders.
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        match Path::new(&part).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => out.push(part),
        }
    }
    Ok(out)
}

fn show(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn out_error(path: &Path, what: &str, e: io::Error) -> Diagnostic {
    Diagnostic::error(show(path), format!("{what}: {e}"))
}
