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
use std::sync::OnceLock;
use walkdir::WalkDir;

pub mod media;
pub mod speakers;
pub mod tags;
pub mod translations;
pub mod urls;

/// The folder of content files, relative to the site root.
pub const CONTENT_DIR: &str = "content";

/// URL segments the site itself uses; a transcript cannot take them.
pub const RESERVED_SLUGS: [&str; 7] = [
    "speakers", "tags", "search", "api", "pagefind", "static", "page",
];

/// Everything the render stage needs.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Newest first; undated transcripts last, then by title.
    pub transcripts: Vec<Transcript>,
    /// Every person who speaks, across transcripts.
    pub speakers: speakers::SpeakerIndex,
    /// Every tag, with its transcripts.
    pub tags: Vec<tags::Tag>,
    /// The interviews read in several languages.
    pub translations: translations::Translations,
    /// The word count of each transcript's sections: every page of a
    /// transcript and every listing that shows it wants them. Counted as
    /// each file is read, or when first asked for after `serve` reread one.
    word_counts: Vec<OnceLock<Vec<usize>>>,
}

/// A loaded site and the warnings found while loading it.
pub struct Loaded {
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
}

/// Reads and normalizes every transcript under `root/content`. All errors of
/// all files are returned together.
pub fn load(root: &Path, config: Config, drafts: bool) -> Result<Loaded, Vec<Diagnostic>> {
    load_with(root, config, drafts, true)
}

/// [`load`], with `redact: false` keeping every withheld part and every
/// transcript under embargo (what `verbatim leaks` looks for).
pub fn load_with(
    root: &Path,
    config: Config,
    drafts: bool,
    redact: bool,
) -> Result<Loaded, Vec<Diagnostic>> {
    let options = IngestOptions {
        allow_html: config.allow_html,
        default_language: config.language.clone(),
        today: config.today.clone(),
        redact,
        words: site_words(root),
    };
    let (files, mut errors) = content_files(root, &config);
    let results: Vec<_> = files
        .par_iter()
        .map(|path| {
            let display = display_path(root, path);
            // Every transcript is held until the last page is written, so
            // the spare capacity of its strings counts toward peak memory.
            ingest::load(path, &display, &options).map(|(mut t, mut w)| {
                w.extend(media::resolve(root, &config, &mut t));
                t.shrink_to_fit();
                // Counted here, on both threads and while the text is still
                // in the cache, rather than when a listing first asks for
                // every transcript's count on one thread.
                let words = section_words(&t);
                (t, OnceLock::from(words), w)
            })
        })
        .collect();

    let mut warnings = Vec::new();
    let mut transcripts = Vec::with_capacity(results.len());
    let mut word_counts = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok((t, words, w)) => {
                warnings.extend(w);
                if redact && under_embargo(&t, &config) {
                    warnings.push(embargo_note(&t));
                    if !t.list_while_embargoed {
                        continue;
                    }
                }
                if drafts || config.drafts || !t.draft {
                    transcripts.push(t);
                    word_counts.push(words);
                }
            }
            Err(e) => errors.extend(e),
        }
    }
    let mut site = Site {
        config,
        speakers: speakers::SpeakerIndex::new(&[]),
        tags: Vec::new(),
        translations: Default::default(),
        word_counts,
        transcripts,
    };
    let (problems, more_warnings): (Vec<_>, Vec<_>) =
        site.problems().into_iter().partition(Diagnostic::is_error);
    errors.extend(problems);
    warnings.extend(more_warnings);
    if !errors.is_empty() {
        // Warnings go along, so one report shows everything found.
        errors.extend(warnings);
        return Err(errors);
    }
    site.sort();
    warnings.extend(base_url_warning(&site.config));
    Ok(Loaded { site, warnings })
}

impl Site {
    /// The footer of `site.toml` as HTML (a line of Markdown, sanitized).
    pub fn footer_html(&self) -> Option<String> {
        self.config
            .footer
            .as_deref()
            .map(crate::ingest::formats::markdown::inline_html)
    }

    /// Problems between transcripts: two on one URL, a reserved URL, links
    /// that lead nowhere, translations of nothing (errors, and warnings
    /// such as a translation in its original's language).
    pub fn problems(&self) -> Vec<Diagnostic> {
        let mut found = slug_collisions(&self.transcripts);
        found.extend(crate::links::check(&self.transcripts));
        found.extend(translations::check(&self.transcripts));
        found
    }

    /// Orders the collection newest first; undated transcripts last, then by title.
    pub fn sort(&mut self) {
        // Each transcript keeps its word counts: after one file changed,
        // `serve` renders pages that show the counts of every transcript.
        self.word_counts
            .resize_with(self.transcripts.len(), OnceLock::new);
        // The order is found on indexes and the transcripts are moved only
        // if it changed: after one file changed in `serve` it nearly never
        // has, and moving every transcript was most of the sort's time.
        let ts = &self.transcripts;
        let mut order: Vec<usize> = (0..ts.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&ts[a], &ts[b]);
            b.date
                .is_some()
                .cmp(&a.date.is_some())
                .then_with(|| b.date.cmp(&a.date))
                .then_with(|| a.title.cmp(&b.title))
                .then_with(|| a.slug.cmp(&b.slug))
        });
        permute(&mut self.transcripts, &order);
        permute(&mut self.word_counts, &order);
        self.reindex();
    }

    /// Rebuilds the cross-transcript indexes (speakers, tags) from the
    /// transcripts, after the collection changed.
    fn reindex(&mut self) {
        self.speakers = speakers::SpeakerIndex::new(&self.transcripts);
        self.tags = tags::index(&self.transcripts);
        self.translations = translations::Translations::new(&self.transcripts);
        self.word_counts
            .resize_with(self.transcripts.len(), OnceLock::new);
    }

    /// The words of transcript `i` ([`Transcript::word_count`]), counted once.
    pub fn word_count(&self, i: usize) -> usize {
        self.with_section_words(i, |words| words.iter().sum())
    }

    /// The words of section `s` of transcript `i`, counted once.
    pub fn section_word_count(&self, i: usize, s: usize) -> usize {
        self.with_section_words(i, |words| words[s])
    }

    fn with_section_words<T>(&self, i: usize, f: impl FnOnce(&[usize]) -> T) -> T {
        let count = || section_words(&self.transcripts[i]);
        match self.word_counts.get(i) {
            Some(cell) => f(cell.get_or_init(count)),
            None => f(&count()),
        }
    }

    /// Puts `transcript` in the place of the one read from the same file (or
    /// adds it) and keeps the order; returns the one it replaced. With
    /// [`load_file`], this rebuilds the site after one file changed.
    pub fn replace(&mut self, transcript: Transcript) -> Option<Transcript> {
        let old = match self
            .transcripts
            .iter()
            .position(|t| t.source_path == transcript.source_path)
        {
            Some(i) => {
                if let Some(count) = self.word_counts.get_mut(i) {
                    *count = OnceLock::new();
                }
                Some(std::mem::replace(&mut self.transcripts[i], transcript))
            }
            None => {
                self.transcripts.push(transcript);
                None
            }
        };
        self.sort();
        old
    }

    /// Removes the transcript read from `source_path`, if there is one.
    pub fn remove(&mut self, source_path: &str) -> Option<Transcript> {
        let i = self
            .transcripts
            .iter()
            .position(|t| t.source_path == source_path)?;
        let removed = self.transcripts.remove(i);
        if i < self.word_counts.len() {
            self.word_counts.remove(i);
        }
        self.reindex();
        Some(removed)
    }
}

/// Reorders `items` so that the item at `i` is the one that was at
/// `order[i]` (`order` is a permutation of the indexes), by swaps along each
/// cycle of the permutation: nothing moves where the order is unchanged.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len().min(order.len()) {
        let mut i = start;
        while !placed[i] {
            placed[i] = true;
            // The item that belongs at `i` is at `order[i]`, untouched so far
            // in this cycle; the one it displaces travels on to its place.
            match order.get(i) {
                Some(&from) if from != start && from < items.len() => {
                    items.swap(i, from);
                    i = from;
                }
                _ => break,
            }
        }
    }
}

/// Reads one content file as [`load`] reads each: `Ok(None)` for a draft
/// that this build leaves out.
pub fn load_file(
    root: &Path,
    path: &Path,
    config: &Config,
    drafts: bool,
) -> Result<Option<ingest::normalize::Normalized>, Vec<Diagnostic>> {
    let options = IngestOptions {
        allow_html: false,
        default_language: config.language.clone(),
        today: config.today.clone(),
        redact: true,
        words: site_words(root),
    };
    let (mut t, mut warnings) = ingest::load(path, &display_path(root, path), &options)?;
    if under_embargo(&t, config) && !t.list_while_embargoed {
        return Ok(None);
    }
    warnings.extend(media::resolve(root, config, &mut t));
    Ok((drafts || config.drafts || !t.draft).then_some((t, warnings)))
}

/// The words of each section of `t`.
fn section_words(t: &Transcript) -> Vec<usize> {
    t.sections
        .iter()
        .map(crate::model::Section::word_count)
        .collect()
}

/// Transcript files under `content/`, sorted, skipping hidden entries and
/// files of other kinds (images, notes). Unreadable folders are errors, and
/// so is a symbolic link to a transcript, sidecar or folder outside the site
/// root unless `follow_links_outside` allows it: `content/x.md` linked to
/// `/etc/passwd` would publish the file.
fn content_files(root: &Path, config: &Config) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let links_outside = config.follow_links_outside;
    let dir = root.join(CONTENT_DIR);
    let mut files = Vec::new();
    let mut others = Vec::new();
    let mut errors = Vec::new();
    if !dir.is_dir() {
        errors.push(
            Diagnostic::error(CONTENT_DIR, "there is no content folder")
                .help("create content/ and put transcripts in it, or pass --root DIR"),
        );
        return (files, errors);
    }
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut walker = WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        match entry {
            Ok(e) if e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.') => {
                if e.file_type().is_dir() {
                    walker.skip_current_dir();
                }
            }
            Ok(e) => {
                let is_dir = e.file_type().is_dir();
                let read = is_dir
                    || (e.file_type().is_file()
                        && (Format::of(e.path()).is_some()
                            || e.path().extension().is_some_and(|x| x == "toml")));
                if read && e.path_is_symlink() && !links_outside {
                    if let Some(target) = outside(e.path(), &real_root) {
                        errors.push(
                            Diagnostic::error(
                                display_path(root, e.path()),
                                format!(
                                    "a symbolic link to {}, outside the site: it is not read",
                                    target.display()
                                ),
                            )
                            .help(
                                "copy the file into content/, or set follow_links_outside = true in \
                                 site.toml to publish what links outside the site point to (docs/security.md)",
                            ),
                        );
                        if is_dir {
                            walker.skip_current_dir();
                        }
                        continue;
                    }
                }
                if e.file_type().is_file() {
                    if Format::of(e.path()).is_some() {
                        files.push(e.into_path());
                    } else {
                        others.push(e.into_path());
                    }
                }
            }
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
    errors.extend(unread_files(root, &dir, &files, others, &config.ignore));
    (files, errors)
}

/// An error for each file in `content/` that is neither a transcript, nor
/// the sidecar of one, nor named by an `ignore` pattern of site.toml,
/// saying what it looks like and what to do: a `.sbv` file skipped without
/// a word once built "0 transcripts" with exit 0.
fn unread_files(
    root: &Path,
    content: &Path,
    transcripts: &[PathBuf],
    others: Vec<PathBuf>,
    ignore: &[String],
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut patterns = globset::GlobSetBuilder::new();
    for pattern in ignore {
        // A pattern without a `/` matches a file's name in any folder, as in .gitignore.
        let pattern = if pattern.contains('/') {
            pattern.trim_start_matches('/').to_string()
        } else {
            format!("**/{pattern}")
        };
        match globset::Glob::new(&pattern) {
            Ok(glob) => {
                patterns.add(glob);
            }
            Err(e) => errors.push(
                Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    format!("the ignore pattern {pattern:?} cannot be read: {e}"),
                )
                .help("write patterns such as \"*.jpg\", \"notes/**\" or \"drafts/*.docx\""),
            ),
        }
    }
    let patterns = patterns
        .build()
        .unwrap_or_else(|_| globset::GlobSet::empty());
    for path in others {
        let relative = path.strip_prefix(content).unwrap_or(&path);
        if patterns.is_match(relative) {
            continue;
        }
        let is_toml = path.extension().is_some_and(|e| e == "toml");
        if is_toml && ingest::unread::is_sidecar(&path, transcripts) {
            continue;
        }
        let beside_markdown = is_toml
            && transcripts
                .iter()
                .any(|t| t.with_extension("") == path.with_extension(""));
        let (what, help) = if beside_markdown {
            (
                "a sidecar beside a Markdown transcript, which takes its metadata from its front matter".to_string(),
                "move its fields into the transcript's +++ front matter, or name it in `ignore` in site.toml".to_string(),
            )
        } else if is_toml {
            (
                "a sidecar with no transcript of the same name beside it".to_string(),
                "give it the name of the .vtt, .srt, .txt ... file it describes, or name it in `ignore` in site.toml".to_string(),
            )
        } else {
            ingest::unread::describe(&path)
        };
        errors.push(
            Diagnostic::error(
                display_path(root, &path),
                format!("not read: this looks like {what}"),
            )
            .help(help),
        );
    }
    errors
}

/// Where the link at `path` leads when that is outside `real_root` (the
/// site root with its own links resolved); `None` inside it.
fn outside(path: &Path, real_root: &Path) -> Option<PathBuf> {
    match path.canonicalize() {
        Ok(target) if target.starts_with(real_root) => None,
        Ok(target) => Some(target),
        // A link that points nowhere is reported when it is read.
        Err(_) => None,
    }
}

/// The path as the user knows it: relative to the site root, with `/`.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

/// The words placeholders are written in: the theme's with the site's
/// over them. A mistake in a site's table is reported by the renderer,
/// which reads them too; here the theme's stand in.
fn site_words(root: &Path) -> std::sync::Arc<crate::words::Words> {
    std::sync::Arc::new(
        crate::words::Words::load(root).unwrap_or_else(|_| crate::words::Words::theme()),
    )
}

/// Whether `t` is under an embargo that has not lifted on the build's date.
fn under_embargo(t: &Transcript, config: &Config) -> bool {
    t.embargo
        .as_deref()
        .is_some_and(|e| e > config.today.as_str())
}

/// Says that a transcript under embargo is left out or listed with its
/// metadata alone, and until when (what `check` lists).
fn embargo_note(t: &Transcript) -> Diagnostic {
    let until = t.embargo.as_deref().unwrap_or_default();
    let done = if t.list_while_embargoed {
        "listed with its metadata alone"
    } else {
        "left out of this build"
    };
    Diagnostic::note(
        &t.source_path,
        format!("under embargo until {until}: {done}, published by the first build on or after that date"),
    )
    .help("builds publish as of today (UTC); --today YYYY-MM-DD or today = in site.toml sets another date")
}

/// Feeds, the sitemap and OpenGraph need absolute URLs; a relative base URL
/// still builds a browsable site, so it is a warning.
fn base_url_warning(config: &Config) -> Option<Diagnostic> {
    if crate::url::is_absolute(&config.base_url) {
        return None;
    }
    Some(
        Diagnostic::warning(
            crate::config::CONFIG_FILE,
            format!(
                "base_url {:?} is not an absolute URL: sitemap.xml is left out, and \
                 atom.xml and canonical links will not work for readers elsewhere",
                config.base_url
            ),
        )
        .help("set base_url = \"https://your.host/path/\" in site.toml, or pass --base-url"),
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_puts_each_item_where_the_order_says() {
        // Every permutation of five, and some longer ones with many cycles.
        let mut orders: Vec<Vec<usize>> = Vec::new();
        let mut stack = vec![Vec::new()];
        while let Some(prefix) = stack.pop() {
            if prefix.len() == 5 {
                orders.push(prefix);
                continue;
            }
            for i in 0..5 {
                if !prefix.contains(&i) {
                    let mut next = prefix.clone();
                    next.push(i);
                    stack.push(next);
                }
            }
        }
        assert_eq!(orders.len(), 120);
        orders.push((0..100).rev().collect());
        orders.push((0..100).map(|i| (i * 37) % 100).collect());
        orders.push(Vec::new());
        for order in orders {
            let mut items: Vec<String> = (0..order.len()).map(|i| format!("item {i}")).collect();
            let want: Vec<String> = order.iter().map(|&i| items[i].clone()).collect();
            permute(&mut items, &order);
            assert_eq!(items, want, "{order:?}");
        }
    }

    /// A site of three transcripts whose words are counted, then one of them
    /// replaced (with a new date, so the order changes) and one removed.
    #[test]
    fn word_counts_follow_their_transcripts_through_replace_sort_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("site.toml"), "title = \"T\"\n").unwrap();
        let file = |date: &str, words: usize| {
            format!(
                "+++\ntitle = \"T{date}\"\ndate = {date}\n+++\n\nQ: Why?\n\nA: {}\n",
                "word ".repeat(words)
            )
        };
        for (name, date, words) in [
            ("a", "2020-01-01", 10),
            ("b", "2021-01-01", 20),
            ("c", "2022-01-01", 30),
        ] {
            std::fs::write(root.join(format!("content/{name}.md")), file(date, words)).unwrap();
        }
        let config = Config::load(root).unwrap();
        let mut site = load(root, config.clone(), false).unwrap().site;
        let counts = |site: &Site| -> Vec<(String, usize)> {
            (0..site.transcripts.len())
                .map(|i| (site.transcripts[i].slug.clone(), site.word_count(i)))
                .collect()
        };
        let fresh = |site: &Site| -> Vec<(String, usize)> {
            site.transcripts
                .iter()
                .map(|t| (t.slug.clone(), t.word_count()))
                .collect()
        };
        assert_eq!(counts(&site), fresh(&site));
        // "a" becomes the newest and longest.
        std::fs::write(root.join("content/a.md"), file("2023-01-01", 40)).unwrap();
        let (changed, _) = load_file(root, &root.join("content/a.md"), &config, false)
            .unwrap()
            .unwrap();
        site.replace(changed);
        assert_eq!(site.transcripts[0].slug, "a");
        assert_eq!(counts(&site), fresh(&site));
        site.remove("content/b.md");
        assert_eq!(counts(&site), fresh(&site));
        assert_eq!(site.transcripts.len(), 2);
    }
}
