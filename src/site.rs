//! The whole site as data: every transcript read from `content/` (in
//! parallel), drafts dropped, URLs assigned and checked for collisions, and
//! the collection sorted newest first.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::ingest::{self, Format, IngestOptions};
use crate::model::Transcript;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The folder of content files, relative to the site root.
pub const CONTENT_DIR: &str = "content";

/// URL segments the site itself uses; a transcript cannot take them.
pub const RESERVED_SLUGS: [&str; 6] = ["speakers", "tags", "search", "api", "pagefind", "static"];

/// Everything the render stage needs.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Newest first; undated transcripts last, then by title.
    pub transcripts: Vec<Transcript>,
}

/// A loaded site and the warnings found while loading it.
pub struct Loaded {
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
}

/// Reads and normalizes every transcript under `root/content`. All errors of
/// all files are returned together.
pub fn load(root: &Path, config: Config, drafts: bool) -> Result<Loaded, Vec<Diagnostic>> {
    let options = IngestOptions {
        allow_html: config.allow_html,
        default_language: config.language.clone(),
    };
    let (files, mut errors) = content_files(root);
    let results: Vec<_> = files
        .par_iter()
        .map(|path| {
            let display = display_path(root, path);
            ingest::load(path, &display, &options)
        })
        .collect();

    let mut warnings = Vec::new();
    let mut transcripts = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok((t, w)) => {
                warnings.extend(w);
                if drafts || config.drafts || !t.draft {
                    transcripts.push(t);
                }
            }
            Err(e) => errors.extend(e),
        }
    }
    errors.extend(slug_collisions(&transcripts));
    if !errors.is_empty() {
        return Err(errors);
    }
    transcripts.sort_by(|a, b| {
        b.date
            .is_some()
            .cmp(&a.date.is_some())
            .then_with(|| b.date.cmp(&a.date))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    Ok(Loaded {
        site: Site {
            config,
            transcripts,
        },
        warnings,
    })
}

/// Transcript files under `content/`, sorted, skipping hidden entries and
/// files of other kinds (images, notes). Unreadable folders are errors.
fn content_files(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let dir = root.join(CONTENT_DIR);
    let mut files = Vec::new();
    let mut errors = Vec::new();
    if !dir.is_dir() {
        errors.push(
            Diagnostic::error(CONTENT_DIR, "there is no content folder")
                .help("create content/ and put transcripts in it, or pass --root DIR"),
        );
        return (files, errors);
    }
    let walker = WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && Format::of(e.path()).is_some() => {
                files.push(e.into_path())
            }
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| CONTENT_DIR.to_string());
                let why = if e.loop_ancestor().is_some() {
                    "a symbolic link here loops back to a folder above it".to_string()
                } else {
                    e.to_string()
                };
                errors.push(Diagnostic::error(path, format!("cannot read: {why}")));
            }
        }
    }
    (files, errors)
}

/// The path as the user knows it: relative to the site root, with `/`.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

/// Two transcripts with one URL, or a transcript on a URL the site uses.
fn slug_collisions(transcripts: &[Transcript]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for t in transcripts {
        if RESERVED_SLUGS.contains(&t.slug.as_str()) {
            errors.push(
                Diagnostic::error(
                    &t.source_path,
                    format!("the URL /{}/ is reserved for the site's own pages", t.slug),
                )
                .help("set another `slug` in the front matter or rename the file"),
            );
        }
        if let Some(first) = seen.insert(&t.slug, &t.source_path) {
            errors.push(
                Diagnostic::error(
                    &t.source_path,
                    format!("{first} and {} both map to /{}/", t.source_path, t.slug),
                )
                .help("give one of them another `slug` in its front matter, or rename it"),
            );
        }
    }
    errors
}
