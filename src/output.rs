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
    let mut staging = Staging::begin(root, output)?;
    staging.write(pages)?;
    staging.finish()
}

/// A build being written: pages go into a fresh folder beside the output, in
/// as many calls to [`Staging::write`] as the caller likes, so the whole site
/// never has to be in memory at once. [`Staging::finish`] copies `static/`
/// and swaps the folder in; dropping an unfinished `Staging` removes it and
/// leaves the previous output as it was.
pub struct Staging {
    staging: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    statics: Vec<(String, PathBuf)>,
    /// Folders made so far, so each is created once.
    dirs: HashSet<PathBuf>,
    pages: usize,
    finished: bool,
}

impl Staging {
    /// Checks that `output` may be replaced and creates the staging folder.
    pub fn begin(root: &Path, output: &Path) -> Result<Staging, Diagnostic> {
        let output =
            absolute(output).map_err(|e| out_error(output, "cannot resolve the path", e))?;
        let root =
            absolute(root).map_err(|e| out_error(root, "cannot resolve the site root", e))?;
        check_output_location(&root, &output)?;
        check_owned(&output)?;

        let parent = output
            .parent()
            .ok_or_else(|| {
                Diagnostic::error(show(&output), "the output folder has no parent folder")
            })?
            .to_path_buf();
        fs::create_dir_all(&parent)
            .map_err(|e| out_error(&parent, "cannot create the folder", e))?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        let staging = parent.join(format!(".{name}.verbatim-new-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| out_error(&staging, "cannot clear", e))?;
        }
        let statics = static_files(&root)?;
        fs::create_dir_all(&staging)
            .map_err(|e| out_error(&staging, "cannot create the folder", e))?;
        Ok(Staging {
            staging,
            output,
            parent,
            name,
            statics,
            dirs: HashSet::new(),
            pages: 0,
            finished: false,
        })
    }

    /// Writes these pages into the staging folder, in parallel.
    pub fn write(&mut self, pages: &[Page]) -> Result<(), Diagnostic> {
        for page in pages {
            check_relative(&page.path)?;
        }
        let themed: HashSet<&str> = THEME_ASSETS.iter().map(|(n, _)| *n).collect();
        let statics: HashSet<&str> = self.statics.iter().map(|(r, _)| r.as_str()).collect();
        if let Some(page) = pages
            .iter()
            .find(|p| statics.contains(p.path.as_str()) && !themed.contains(p.path.as_str()))
        {
            let rel = &page.path;
            return Err(Diagnostic::error(
                format!("{STATIC_DIR}/{rel}"),
                format!("this file would replace the generated page {rel}"),
            )
            .help("rename or move the file in static/"));
        }
        // Folders first (serially, parents before children), then files in parallel.
        let dirs: BTreeSet<&Path> = pages
            .iter()
            .filter_map(|p| Path::new(&p.path).parent())
            .collect();
        for dir in dirs {
            if self.dirs.insert(dir.to_path_buf()) {
                let d = self.staging.join(dir);
                fs::create_dir_all(&d).map_err(|e| out_error(&d, "cannot create the folder", e))?;
            }
        }
        let staging = &self.staging;
        pages
            .par_iter()
            // A theme asset the site's static/ replaces is copied in finish().
            .filter(|p| !(themed.contains(p.path.as_str()) && statics.contains(p.path.as_str())))
            .try_for_each(|p| {
                let path = staging.join(&p.path);
                fs::write(&path, &p.bytes).map_err(|e| out_error(&path, "cannot write", e))
            })?;
        self.pages += pages.len();
        Ok(())
    }

    /// Copies `static/`, marks the folder as verbatim's and moves it into
    /// place of the previous output.
    pub fn finish(mut self) -> Result<Written, Diagnostic> {
        for (rel, _) in &self.statics {
            if let Some(dir) = Path::new(rel).parent() {
                if self.dirs.insert(dir.to_path_buf()) {
                    let d = self.staging.join(dir);
                    fs::create_dir_all(&d)
                        .map_err(|e| out_error(&d, "cannot create the folder", e))?;
                }
            }
        }
        let staging = &self.staging;
        self.statics.par_iter().try_for_each(|(rel, from)| {
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
        swap_in(&self.staging, &self.output, &self.parent, &self.name)?;
        self.finished = true;
        Ok(Written {
            pages: self.pages,
            static_files: self.statics.len(),
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished && self.staging.exists() {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Page {
        Page {
            path: path.to_string(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| crate::site::display_path(dir, e.path()))
            .collect();
        files.sort();
        files
    }

    #[test]
    fn pages_written_in_batches_appear_only_when_finished() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        write(site.path(), &out, &[page("old/index.html", "old")]).unwrap();

        let mut staging = Staging::begin(site.path(), &out).unwrap();
        staging.write(&[page("a/index.html", "A")]).unwrap();
        staging
            .write(&[page("a/b/index.html", "B"), page("index.html", "home")])
            .unwrap();
        // Until finish(), the previous build is what the output folder holds.
        assert_eq!(listing(&out), [MARKER, "old/index.html"]);
        let written = staging.finish().unwrap();
        assert_eq!(written.pages, 3);
        assert_eq!(
            listing(&out),
            [MARKER, "a/b/index.html", "a/index.html", "index.html"]
        );
        assert_eq!(fs::read_to_string(out.join("a/b/index.html")).unwrap(), "B");
    }

    #[test]
    fn an_unfinished_build_leaves_the_previous_output_and_no_staging_folder() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        write(site.path(), &out, &[page("index.html", "previous")]).unwrap();

        let mut staging = Staging::begin(site.path(), &out).unwrap();
        staging.write(&[page("index.html", "new")]).unwrap();
        // A later batch fails (here: a page path that would leave the folder).
        assert!(staging.write(&[page("../escape.html", "x")]).is_err());
        drop(staging);

        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
        let names: Vec<String> = fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["public"]);
    }
}
