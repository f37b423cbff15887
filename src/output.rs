//! Output: the only code that writes under the output folder. A build is
//! written into a fresh folder beside the output and swapped in only when
//! every file is written, so a failed build leaves the previous site as it
//! was. An existing output folder is replaced only if verbatim made it.

use crate::diagnostic::Diagnostic;
use crate::page::Page;
use crate::render::THEME_ASSETS;
use rayon::prelude::*;
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// The file that marks an output folder as verbatim's to replace. It is
/// written last, so a folder that has it holds a complete build.
pub const MARKER: &str = ".verbatim-output";

/// The file that marks a staging folder as an unfinished build of verbatim's:
/// written first and removed just before the swap, so a folder that has it
/// holds nothing but files verbatim wrote and may be deleted.
pub const STAGING_MARKER: &str = ".verbatim-staging";

pub use crate::paths::STATIC_DIR;

/// How the output folder is replaced.
#[derive(Debug, Clone, Copy)]
pub struct OutputOptions {
    /// Move dotfiles at the top of the old output (`.git`, `.nojekyll`, ...)
    /// into the new one (`keep_dotfiles` of site.toml).
    pub keep_dotfiles: bool,
}

impl Default for OutputOptions {
    fn default() -> Self {
        OutputOptions {
            keep_dotfiles: true,
        }
    }
}

/// What a write produced.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub pages: usize,
    pub static_files: usize,
}

/// Writes `pages` and the site's `static/` files to `output`, replacing the
/// previous build there, with the default options.
pub fn write(root: &Path, output: &Path, pages: &[Page]) -> Result<Written, Diagnostic> {
    write_with(root, output, pages, &OutputOptions::default())
}

/// Writes `pages` and the site's `static/` files to `output` in one batch,
/// replacing the previous build there (see [`Staging`]).
pub fn write_with(
    root: &Path,
    output: &Path,
    pages: &[Page],
    options: &OutputOptions,
) -> Result<Written, Diagnostic> {
    let staging = Staging::begin(root, output, options)?;
    staging.write(pages)?;
    staging.finish()
}

/// A build being written: pages go into `.NAME.verbatim-new-PID` beside the
/// output, in as many calls to [`Staging::write`] as the caller likes, so the
/// whole site never has to be in memory at once. Nothing is visible in the
/// output until [`Staging::finish`] copies `static/` and swaps the folder in
/// (atomically where the system can exchange two folders). Dropping an
/// unfinished `Staging` removes its folder, so a build that fails leaves the
/// previous output as it was; one that is killed leaves a folder with the
/// staging marker, which the next build removes. A lock file keeps two builds
/// from writing one output at once for as long as the `Staging` lives.
pub struct Staging {
    staging: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    statics: Vec<(String, PathBuf)>,
    /// Paths of `static/` files, and the folders they need.
    static_paths: HashSet<String>,
    static_dirs: HashSet<String>,
    /// The staging folder, open: pages are created relative to it.
    dir: at::Dir,
    /// Folders made so far (relative, with `/`), so each is created once.
    dirs: Mutex<HashSet<String>>,
    /// The theme's asset names, which a `static/` file may replace.
    themed: HashSet<&'static str>,
    pages: AtomicUsize,
    /// Bytes of pages written so far, for the report of a full disk.
    bytes: AtomicU64,
    /// The first write into the staging folder that failed. The disk is at
    /// fault then (full, over quota, read-only, failing), not a page, and
    /// every later write would fail the same way: they are refused at once
    /// (with [`STOPPED`]), and the build reports this one error (see
    /// [`Staging::errors`]). A full disk once printed one error per file,
    /// 277 lines of "No space left on device".
    failure: OnceLock<Diagnostic>,
    keep_dotfiles: bool,
    finished: bool,
    /// Held until the `Staging` is dropped (after its folder is cleaned up).
    _lock: fs::File,
}

impl Staging {
    /// Checks that `output` may be replaced, cleans up after killed builds,
    /// and creates the staging folder with its marker.
    pub fn begin(
        root: &Path,
        output: &Path,
        options: &OutputOptions,
    ) -> Result<Staging, Diagnostic> {
        let output =
            absolute(output).map_err(|e| out_error(output, "cannot resolve the path", e))?;
        let root =
            absolute(root).map_err(|e| out_error(root, "cannot resolve the site root", e))?;
        // Every refusal comes before anything is created: a refused build
        // leaves no lock file, and no folder, beside the folder it refused
        // (`--output /etc` once left `/.etc.verbatim-lock`).
        check_output_location(&root, &output)?;
        let parent = output
            .parent()
            .ok_or_else(|| {
                Diagnostic::error(show(&output), "the output folder has no parent folder")
            })?
            .to_path_buf();
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Diagnostic::error(show(&output), "the output folder has no name"))?;
        // Before the clean-up below, the output may be caught mid-swap by a
        // killed build: then it is missing or a complete build of
        // verbatim's, and neither is refused, so this check refuses only
        // what the one under the lock would refuse too.
        check_owned(&output)?;
        let statics = static_files(&root)?;
        fs::create_dir_all(&parent)
            .map_err(|e| out_error(&parent, "cannot create the folder", e))?;

        let lock = lock(&parent, &name)?;
        recover(&parent, &name, &output, options)?;
        // Again under the lock: another build may have swapped its output
        // in since the first look.
        let ours = check_owned(&output)?;
        let static_paths: HashSet<String> = statics.iter().map(|(r, _)| r.clone()).collect();
        let static_dirs: HashSet<String> = statics.iter().flat_map(|(r, _)| ancestors(r)).collect();

        let staging = parent.join(format!(".{name}{NEW_INFIX}{}", std::process::id()));
        fs::create_dir(&staging).map_err(|e| out_error(&staging, "cannot create the folder", e))?;
        let dir = at::Dir::open(&staging);
        let staged = Staging {
            dir: dir.map_err(|e| out_error(&staging, "cannot open the folder", e))?,
            staging,
            output,
            parent,
            name,
            statics,
            static_paths,
            static_dirs,
            dirs: Mutex::new(HashSet::new()),
            themed: THEME_ASSETS.iter().map(|(n, _)| *n).collect(),
            pages: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            failure: OnceLock::new(),
            keep_dotfiles: options.keep_dotfiles || !ours,
            finished: false,
            _lock: lock,
        };
        let marker = staged.staging.join(STAGING_MARKER);
        fs::write(
            &marker,
            "An unfinished build of verbatim; safe to delete.\n",
        )
        .map_err(|e| staged.settle(staged.failed(&marker, "cannot write", e, 0)))?;
        Ok(staged)
    }

    /// Writes these pages into the staging folder, in parallel.
    pub fn write(&self, pages: &[Page]) -> Result<(), Diagnostic> {
        pages
            .par_iter()
            .try_for_each(|p| self.write_page(&p.path, &p.bytes))
            .map_err(|d| self.settle(d))
    }

    /// The errors of a build that wrote here, as they should be reported:
    /// if a write failed, the writes refused after it ([`STOPPED`]) and
    /// copies of it are dropped and it is reported once.
    pub fn errors(&self, errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let Some(failure) = self.failure.get() else {
            return errors;
        };
        let mut errors: Vec<Diagnostic> = errors
            .into_iter()
            .filter(|d| d.message != STOPPED && d.message != failure.message)
            .collect();
        errors.insert(0, failure.clone());
        errors
    }

    /// A write of `path` failed with `e`: the first such failure is kept
    /// (and returned), every later one and every write after it gets
    /// [`STOPPED`].
    fn failed(&self, path: &Path, what: &str, e: io::Error, size: usize) -> Diagnostic {
        let written = (
            self.pages.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        );
        let mut first = false;
        self.failure.get_or_init(|| {
            first = true;
            let shown = match path.strip_prefix(&self.staging) {
                Ok(rel) => show(rel),
                Err(_) => show(path),
            };
            write_failure(&self.output, path, &shown, what, e, size, written)
        });
        if first {
            self.failure
                .get()
                .cloned()
                .unwrap_or_else(|| stopped(&self.output))
        } else {
            stopped(&self.output)
        }
    }

    /// The error to report for `d`: the write failure it stands for, if it
    /// is [`STOPPED`].
    fn settle(&self, d: Diagnostic) -> Diagnostic {
        match self.failure.get() {
            Some(failure) if d.message == STOPPED => failure.clone(),
            _ => d,
        }
    }

    /// Writes one page into the staging folder (`path` relative to the
    /// output, with `/`). Safe to call from many threads at once: the render
    /// threads write each page as soon as it is rendered, from their own
    /// buffers.
    pub fn write_page(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        if self.failure.get().is_some() {
            return Err(stopped(&self.output));
        }
        check_relative(path)?;
        self.check_static_collision(path)?;
        // A theme asset the site's static/ replaces is copied in finish().
        if self.themed.contains(path) && self.static_paths.contains(path) {
            self.pages.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        if let Some((dir, _)) = path.rsplit_once('/') {
            let made = self
                .dirs
                .lock()
                .map_err(|_| Diagnostic::error(show(&self.staging), "a writer thread failed"))?
                .contains(dir);
            if !made {
                // Two threads may both get here for one folder; creating a
                // folder that exists is not an error for create_dir_all.
                self.dir.create_dir_all(dir).map_err(|e| {
                    self.failed(&self.staging.join(dir), "cannot create the folder", e, 0)
                })?;
                if let Ok(mut dirs) = self.dirs.lock() {
                    dirs.insert(dir.to_string());
                }
            }
        }
        self.dir
            .write(path, bytes)
            .map_err(|e| self.failed(&self.staging.join(path), "cannot write", e, bytes.len()))?;
        self.pages.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// A static file may replace a theme asset, but not a generated page, and
    /// a static file cannot stand where a page needs a folder (or the reverse).
    fn check_static_collision(&self, path: &str) -> Result<(), Diagnostic> {
        {
            let themed = &self.themed;
            let clash = if self.static_paths.contains(path) && !themed.contains(path) {
                Some((
                    path.to_string(),
                    format!("this file would replace the generated page {path}"),
                ))
            } else if let Some(dir) = ancestors(path).find(|d| self.static_paths.contains(d)) {
                let message = format!("the generated pages need a folder named {dir}");
                Some((dir, message))
            } else if self.static_dirs.contains(path) {
                let file = self
                    .statics
                    .iter()
                    .map(|(r, _)| r)
                    .find(|r| ancestors(r).any(|d| d == path))
                    .cloned()
                    .unwrap_or_else(|| path.to_string());
                Some((
                    file,
                    format!("this file needs a folder where the page {path} is generated"),
                ))
            } else {
                None
            };
            if let Some((rel, message)) = clash {
                return Err(Diagnostic::error(format!("{STATIC_DIR}/{rel}"), message)
                    .help("rename or move the file in static/"));
            }
        }
        Ok(())
    }

    /// Copies `static/`, marks the folder as a complete output (the marker
    /// goes last) and moves it into place of the previous output.
    pub fn finish(mut self) -> Result<Written, Diagnostic> {
        if let Some(failure) = self.failure.get() {
            return Err(failure.clone());
        }
        let mut dirs = std::mem::take(
            self.dirs
                .get_mut()
                .map_err(|_| Diagnostic::error(show(&self.staging), "a writer thread failed"))?,
        );
        for (rel, _) in &self.statics {
            if let Some((dir, _)) = rel.rsplit_once('/') {
                if dirs.insert(dir.to_string()) {
                    self.dir.create_dir_all(dir).map_err(|e| {
                        self.settle(self.failed(
                            &self.staging.join(dir),
                            "cannot create the folder",
                            e,
                            0,
                        ))
                    })?;
                }
            }
        }
        let staging = &self.staging;
        self.statics
            .par_iter()
            .try_for_each(|(rel, from)| {
                let to = staging.join(rel);
                match fs::copy(from, &to) {
                    Ok(copied) => {
                        self.bytes.fetch_add(copied, Ordering::Relaxed);
                        Ok(())
                    }
                    // The file to copy is at fault (a link to nowhere, say):
                    // the error names it.
                    Err(e) if fs::metadata(from).is_err() || !disk_at_fault(&e) => {
                        Err(out_error(from, "cannot copy the static file", e))
                    }
                    Err(e) => Err(self.failed(&to, "cannot copy a static file to", e, 0)),
                }
            })
            .map_err(|d| self.settle(d))?;
        let marker = staging.join(MARKER);
        fs::write(
            &marker,
            "This folder is written by verbatim and replaced on every build.\n",
        )
        .map_err(|e| self.settle(self.failed(&marker, "cannot write", e, 0)))?;
        swap_in(
            &self.staging,
            &self.output,
            &self.parent,
            &self.name,
            self.keep_dotfiles,
        )?;
        self.finished = true;
        Ok(Written {
            pages: self.pages.load(Ordering::Relaxed),
            static_files: self.statics.len(),
        })
    }
}

impl Drop for Staging {
    /// An unfinished build removes its folder. Only a folder that still has
    /// the staging marker is removed: once the swap has begun, the folder is
    /// a complete output, left for the next build to recover.
    fn drop(&mut self) {
        if !self.finished && self.staging.join(STAGING_MARKER).is_file() {
            let _ = remove_owned(&self.staging, STAGING_MARKER);
        }
    }
}

/// `.public.verbatim-new-PID`: a build being written (or, mid-swap, the
/// previous output on its way out).
const NEW_INFIX: &str = ".verbatim-new-";
/// `.public.verbatim-old-PID`: the previous output, mid-swap.
const OLD_INFIX: &str = ".verbatim-old-";

/// Takes the lock file `.NAME.verbatim-lock` beside the output. The system
/// releases it when the process ends, however it ends, so a killed build
/// never blocks the next one.
fn lock(parent: &Path, name: &str) -> Result<fs::File, Diagnostic> {
    let path = parent.join(format!(".{name}.verbatim-lock"));
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| out_error(&path, "cannot create the lock file", e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(Diagnostic::error(
            show(&parent.join(name)),
            "another verbatim build is writing this output folder right now",
        )
        .help("wait for it to finish and build again")),
        Err(fs::TryLockError::Error(e)) => Err(out_error(&path, "cannot lock", e)),
    }
}

/// Cleans up after builds that were killed, holding the lock (so no build is
/// running). Only folders with verbatim's names and markers are touched:
/// - with the staging marker: an unfinished build, deleted;
/// - with the output marker: a complete output caught mid-swap. It becomes
///   the output again if there is none, else its kept dotfiles move into the
///   output and the rest is deleted.
fn recover(
    parent: &Path,
    name: &str,
    output: &Path,
    options: &OutputOptions,
) -> Result<(), Diagnostic> {
    let prefixes = [format!(".{name}{NEW_INFIX}"), format!(".{name}{OLD_INFIX}")];
    let entries = fs::read_dir(parent).map_err(|e| out_error(parent, "cannot read", e))?;
    let mut leftovers: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            prefixes.iter().any(|p| n.starts_with(p.as_str()))
                && e.file_type().is_ok_and(|t| t.is_dir())
        })
        .map(|e| e.path())
        .collect();
    leftovers.sort();
    for dir in leftovers {
        if dir.join(STAGING_MARKER).is_file() {
            remove_owned(&dir, STAGING_MARKER)
                .map_err(|e| out_error(&dir, "cannot remove an unfinished build", e))?;
        } else if dir.join(MARKER).is_file() {
            if !output.exists() {
                fs::rename(&dir, output)
                    .map_err(|e| out_error(&dir, "cannot restore the previous build", e))?;
            } else {
                if options.keep_dotfiles {
                    move_dotfiles(&dir, output)?;
                }
                remove_owned(&dir, MARKER)
                    .map_err(|e| out_error(&dir, "cannot remove a previous build", e))?;
            }
        } else if only_dotfiles(&dir) {
            // A folder of the user's dotfiles (an output verbatim had not
            // made yet) caught mid-swap: its files go back, nothing is deleted.
            if output.exists() {
                move_dotfiles(&dir, output)?;
                let _ = fs::remove_dir(&dir);
            } else {
                fs::rename(&dir, output)
                    .map_err(|e| out_error(&dir, "cannot restore the output folder", e))?;
            }
        }
        // Anything else has our name but not our marker: not ours, left alone.
    }
    Ok(())
}

fn only_dotfiles(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .all(|e| e.file_name().to_string_lossy().starts_with('.'))
    })
}

/// Creating folders and files inside one open folder, by paths relative to
/// it (with `/`), so the kernel does not walk the output's whole path again
/// for each of a large site's files (docs/performance.md).
#[cfg(unix)]
mod at {
    use rustix::fs::{mkdirat, openat, Mode, OFlags, CWD};
    use rustix::io::Errno;
    use std::io::{self, Write};
    use std::os::fd::OwnedFd;
    use std::path::Path;

    pub struct Dir(OwnedFd);

    impl Dir {
        pub fn open(path: &Path) -> io::Result<Dir> {
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            Ok(Dir(openat(CWD, path, flags, Mode::empty())?))
        }

        /// Creates the folder `rel` and any missing above it. A folder that
        /// exists is fine (another thread may have made it).
        pub fn create_dir_all(&self, rel: &str) -> io::Result<()> {
            let mode = Mode::from_raw_mode(0o777);
            match mkdirat(&self.0, rel, mode) {
                Ok(()) | Err(Errno::EXIST) => Ok(()),
                Err(Errno::NOENT) => {
                    if let Some((parent, _)) = rel.rsplit_once('/') {
                        self.create_dir_all(parent)?;
                    }
                    match mkdirat(&self.0, rel, mode) {
                        Ok(()) | Err(Errno::EXIST) => Ok(()),
                        Err(e) => Err(e.into()),
                    }
                }
                Err(e) => Err(e.into()),
            }
        }

        /// Creates (or truncates) the file `rel` and writes `bytes` to it.
        pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
            let fd = openat(&self.0, rel, flags, Mode::from_raw_mode(0o666))?;
            std::fs::File::from(fd).write_all(bytes)
        }
    }
}

/// Elsewhere, the same by whole paths.
#[cfg(not(unix))]
mod at {
    use std::io;
    use std::path::{Path, PathBuf};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn open(path: &Path) -> io::Result<Dir> {
            Ok(Dir(path.to_path_buf()))
        }

        pub fn create_dir_all(&self, rel: &str) -> io::Result<()> {
            std::fs::create_dir_all(self.0.join(rel))
        }

        pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
            std::fs::write(self.0.join(rel), bytes)
        }
    }
}

/// `a/b/c.html` -> `a`, `a/b`.
fn ancestors(path: &str) -> impl Iterator<Item = String> + '_ {
    path.match_indices('/')
        .map(move |(i, _)| path[..i].to_string())
}

/// Moves the finished build into place. The staging marker goes first: from
/// then on the folder is a complete output. Dotfiles at the top of the old
/// output (`.git`, `.nojekyll`, ...) belong to the user and move into the new
/// one when `keep_dotfiles`; then the old output is deleted.
fn swap_in(
    staging: &Path,
    output: &Path,
    parent: &Path,
    name: &str,
    keep_dotfiles: bool,
) -> Result<(), Diagnostic> {
    let marker = staging.join(STAGING_MARKER);
    fs::remove_file(&marker).map_err(|e| out_error(&marker, "cannot remove", e))?;
    if !output.exists() {
        return fs::rename(staging, output).map_err(|e| out_error(output, "cannot create", e));
    }
    // Where the system can, exchange the two folders in one step, so the
    // output is never missing; the old output is then at the staging path.
    let old = if exchange(staging, output) {
        staging.to_path_buf()
    } else {
        let old = parent.join(format!(".{name}{OLD_INFIX}{}", std::process::id()));
        fs::rename(output, &old)
            .map_err(|e| out_error(output, "cannot move the previous build aside", e))?;
        if let Err(e) = fs::rename(staging, output) {
            let _ = fs::rename(&old, output);
            return Err(out_error(output, "cannot move the new build into place", e));
        }
        old
    };
    if keep_dotfiles {
        move_dotfiles(&old, output)?;
    }
    // The old output may be one the user made (only dotfiles, no marker):
    // then nothing of it is left to delete but the folder.
    if old.join(MARKER).is_file() {
        remove_owned(&old, MARKER)
    } else {
        fs::remove_dir(&old)
    }
    .map_err(|e| out_error(&old, "cannot remove the previous build", e))
}

/// Swaps two folders atomically (Linux `renameat2(RENAME_EXCHANGE)`); false
/// where that is not possible, and nothing was changed.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) = (
        CString::new(a.as_os_str().as_bytes()),
        CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Moves the top-level dotfiles of `from` (but not verbatim's markers) into
/// `to`, unless `to` already has one of that name (a dotfile of `static/`).
fn move_dotfiles(from: &Path, to: &Path) -> Result<(), Diagnostic> {
    let entries = fs::read_dir(from).map_err(|e| out_error(from, "cannot read", e))?;
    for entry in entries {
        let entry = entry.map_err(|e| out_error(from, "cannot read", e))?;
        let file_name = entry.file_name();
        let is_dotfile = file_name.to_string_lossy().starts_with('.');
        if !is_dotfile || file_name == MARKER || file_name == STAGING_MARKER {
            continue;
        }
        let target = to.join(&file_name);
        if fs::symlink_metadata(&target).is_err() {
            fs::rename(entry.path(), &target)
                .map_err(|e| out_error(&entry.path(), "cannot keep", e))?;
        }
    }
    Ok(())
}

/// Deletes a folder verbatim made, its `marker` last: if this is interrupted,
/// the marker still says whose folder it is and the next build finishes the
/// job. Symbolic links inside are removed, never followed.
fn remove_owned(dir: &Path, marker: &str) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == marker {
            continue;
        }
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    fs::remove_file(dir.join(marker))?;
    fs::remove_dir(dir)
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

/// An existing output folder must carry verbatim's marker, or hold nothing
/// but dotfiles (a fresh clone of a publishing branch, say). True when it
/// carries the marker: then it is verbatim's to replace.
fn check_owned(output: &Path) -> Result<bool, Diagnostic> {
    let Ok(meta) = fs::symlink_metadata(output) else {
        return Ok(true);
    };
    if !meta.is_dir() {
        return Err(
            Diagnostic::error(show(output), "the output path exists and is not a folder")
                .help("remove the file or choose another --output"),
        );
    }
    if output.join(MARKER).is_file() {
        return Ok(true);
    }
    let entries = fs::read_dir(output).map_err(|e| out_error(output, "cannot read", e))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| out_error(output, "cannot read", e))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    if let Some(other) = names.iter().find(|n| !n.starts_with('.')) {
        return Err(Diagnostic::error(
            show(output),
            format!("the output folder holds files that verbatim did not write (such as {other:?}); it will not replace them"),
        )
        .help(format!(
            "choose another output folder, or empty this one yourself (verbatim marks its own output with {MARKER})"
        )));
    }
    // Not verbatim's folder: its dotfiles are kept whatever keep_dotfiles says.
    Ok(false)
}

/// Page paths are made by the site stage from slugs; this is the last guard
/// that none of them leaves the output folder.
fn check_relative(path: &str) -> Result<(), Diagnostic> {
    let normal = Path::new(path)
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    match crate::paths::relative_path_problem(path) {
        None if normal => Ok(()),
        why => Err(Diagnostic::error(
            path,
            format!(
                "a page path is not safe to write: {}",
                why.unwrap_or_else(|| "it would leave the output folder".to_string())
            ),
        )
        .help("this is a bug in verbatim or in a template override: please report it")),
    }
}

/// The path made absolute and free of `.`/`..`, without requiring it to
/// exist. `..` is applied to the text first (so `public/../content` is
/// `content` even when `public` does not exist), then symbolic links in the
/// part that exists are resolved, so comparisons see real folders. Every
/// check and every write uses this one path.
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut lexical = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while fs::symlink_metadata(&existing).is_err() {
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
        out.push(part);
    }
    Ok(out)
}

/// What a write refused after an earlier one failed says (see
/// [`Staging::errors`], which drops it from a build's report).
pub const STOPPED: &str = "the build stopped: an earlier write of the output failed";

fn stopped(output: &Path) -> Diagnostic {
    Diagnostic::error(show(output), STOPPED)
}

/// Errors of the disk rather than of the file being written: every later
/// write would fail the same way.
fn disk_at_fault(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge
    )
}

/// The one error of a build whose write of `path` (`shown`: as the output
/// will have it) failed, having written `written` (files, bytes) before. A full disk or quota names the output
/// folder, says how much was written and how much the previous output
/// takes (the new build is written beside it, so both must fit for a
/// moment), and how to fix it; any other failure names the file.
fn write_failure(
    output: &Path,
    path: &Path,
    shown: &str,
    what: &str,
    e: io::Error,
    size: usize,
    written: (usize, u64),
) -> Diagnostic {
    if !disk_at_fault(&e) {
        return out_error(path, what, e);
    }
    let why = match e.kind() {
        io::ErrorKind::QuotaExceeded => "the disk quota is exceeded",
        io::ErrorKind::FileTooLarge => "the disk does not take a file this large",
        _ => "the disk is full",
    };
    let (files, bytes) = written;
    let mut message = format!(
        "{why}: the build stopped after writing {} in {files} file{}",
        human_size(bytes),
        if files == 1 { "" } else { "s" }
    );
    if size > 0 {
        message.push_str(&format!(", at {shown} ({})", human_size(size as u64)));
    }
    let previous = tree_size(output);
    if previous > 0 {
        message.push_str(&format!(
            "; the previous output takes {}, and a build needs about as much again beside it",
            human_size(previous)
        ));
    }
    let disk = output.parent().unwrap_or(output);
    Diagnostic::error(show(output), message).help(format!(
        "free space on the disk of {}, or choose another output folder (--output or output_dir in site.toml)",
        show(disk)
    ))
}

/// The bytes of the files under `dir`, links not followed (0 if it is missing).
fn tree_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// `812 bytes`, `40 KB`, `1.9 MB`, `2.3 GB` (powers of 1,024).
fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    match bytes {
        b if b < KB => format!("{b} bytes"),
        b if b < KB * KB => format!("{} KB", b.div_ceil(KB)),
        b if b < KB * KB * KB => format!("{:.1} MB", b as f64 / (KB * KB) as f64),
        b => format!("{:.1} GB", b as f64 / (KB * KB * KB) as f64),
    }
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

        let staging = Staging::begin(site.path(), &out, &OutputOptions::default()).unwrap();
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

        let staging = Staging::begin(site.path(), &out, &OutputOptions::default()).unwrap();
        staging.write(&[page("index.html", "new")]).unwrap();
        // A later batch fails (here: a page path that would leave the folder).
        assert!(staging.write(&[page("../escape.html", "x")]).is_err());
        drop(staging);

        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
        // Only the output and the lock file are left beside it.
        let mut names: Vec<String> = fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".public.verbatim-lock", "public"]);
    }

    #[test]
    fn a_second_build_of_one_output_is_refused_while_the_first_writes() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let first = Staging::begin(site.path(), &out, &OutputOptions::default()).unwrap();
        let second = Staging::begin(site.path(), &out, &OutputOptions::default());
        let message = second.err().expect("refused").message;
        assert!(message.contains("another verbatim build"), "{message}");
        drop(first);
        // The lock goes with the first build; the output was never touched.
        assert!(!out.exists());
        Staging::begin(site.path(), &out, &OutputOptions::default()).unwrap();
    }

    /// A full disk is one error naming the output folder, however many
    /// writes fail: the first failure stops every write after it. (The real
    /// disk is `tests/full_disk.rs`; here the failures are injected.)
    #[test]
    fn a_full_disk_is_reported_once_and_stops_the_build() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        write(site.path(), &out, &[page("index.html", "previous")]).unwrap();
        let before = listing(&out);

        let staging = Staging::begin(site.path(), &out, &OutputOptions::default()).unwrap();
        staging.write(&[page("a/index.html", "A")]).unwrap();
        // 277 writes fail the way they do on a full disk, from two threads.
        let errors: Vec<Diagnostic> = (0..277)
            .into_par_iter()
            .map(|i| {
                let path = staging.staging.join(format!("p{i}/index.html"));
                staging.failed(
                    &path,
                    "cannot write",
                    io::ErrorKind::StorageFull.into(),
                    4096,
                )
            })
            .collect();
        // Every write after the first failure is refused without trying.
        let later = staging.write_page("b/index.html", b"B").unwrap_err();
        assert_eq!(later.message, STOPPED);
        assert!(!staging.staging.join("b").exists());

        let reported = staging.errors(errors.into_iter().chain([later]).collect());
        assert_eq!(reported.len(), 1, "{reported:?}");
        let e = &reported[0];
        assert_eq!(e.path, show(&staging.output));
        assert!(e.message.starts_with("the disk is full"), "{}", e.message);
        assert!(
            e.message.contains("after writing 1 bytes in 1 file"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("/index.html (4 KB)") && !e.message.contains(NEW_INFIX),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("the previous output takes"),
            "{}",
            e.message
        );
        let help = e.help.as_deref().unwrap();
        assert!(
            help.contains(&format!(
                "free space on the disk of {}",
                show(&staging.parent)
            )),
            "{help}"
        );
        assert!(help.contains("choose another output folder"), "{help}");
        // A batch write and finish() report the same one error.
        assert_eq!(
            staging
                .write(&[page("c/index.html", "C")])
                .unwrap_err()
                .message,
            e.message
        );
        let staging_dir = staging.staging.clone();
        assert_eq!(staging.finish().unwrap_err().message, e.message);
        // The staging folder is gone, the previous output untouched.
        assert!(!staging_dir.exists());
        assert_eq!(listing(&out), before);
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
    }

    /// Any other failed write (a read-only or failing disk) is reported
    /// once too, naming the file and the system's words.
    #[test]
    fn another_failed_write_is_reported_once_naming_the_file() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let staging = Staging::begin(site.path(), &out, &OutputOptions::default()).unwrap();
        let errors: Vec<Diagnostic> = (0..20)
            .map(|i| {
                let path = staging.staging.join(format!("p{i}.html"));
                let e = io::Error::from_raw_os_error(libc::EROFS);
                staging.failed(&path, "cannot write", e, 10)
            })
            .collect();
        let reported = staging.errors(errors);
        assert_eq!(reported.len(), 1, "{reported:?}");
        assert!(reported[0].path.ends_with("p0.html"), "{:?}", reported[0]);
        assert!(
            reported[0].message.starts_with("cannot write: "),
            "{:?}",
            reported[0]
        );
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(812), "812 bytes");
        assert_eq!(human_size(40 * 1024 - 100), "40 KB");
        assert_eq!(human_size(2_000_000), "1.9 MB");
        assert_eq!(human_size(5 << 30), "5.0 GB");
    }

    #[test]
    fn a_static_file_clashing_with_a_later_batch_fails_the_build() {
        let site = tempfile::tempdir().unwrap();
        fs::create_dir_all(site.path().join("static")).unwrap();
        fs::write(site.path().join("static/talks"), "a file").unwrap();
        let out = site.path().join("public");
        write(site.path(), &out, &[page("index.html", "previous")]).unwrap();

        let staging = Staging::begin(site.path(), &out, &OutputOptions::default()).unwrap();
        staging.write(&[page("index.html", "new")]).unwrap();
        let e = staging
            .write(&[page("talks/index.html", "talks")])
            .expect_err("a clash");
        assert_eq!(e.path, "static/talks");
        assert!(
            e.message.contains("need a folder named talks"),
            "{}",
            e.message
        );
        drop(staging);
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
    }
}
