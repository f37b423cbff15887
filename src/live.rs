//! The site as `verbatim serve` holds it: built in memory, rebuilt after each
//! change to its sources, as little as the change needs. One edited
//! transcript re-reads that file and re-renders its pages and the pages that
//! list it; templates or settings rebuild everything. A failed rebuild keeps
//! the last good pages and records the problems until a rebuild succeeds.

use crate::config::{Config, CONFIG_FILE};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::STATIC_DIR;
use crate::page::Page;
use crate::render::{Renderer, TEMPLATES_DIR};
use crate::site::{self, Site, CONTENT_DIR};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What the server answers from: rendered pages by path (`slug/index.html`)
/// and the site's static files by path (served from disk).
#[derive(Debug, Default, Clone)]
pub struct Pages {
    pub pages: HashMap<String, axum::body::Bytes>,
    pub statics: HashMap<String, PathBuf>,
}

/// The outcome of one rebuild, for the terminal and the browser.
#[derive(Debug)]
pub enum Rebuilt {
    /// Pages changed; `pages` were rendered, `scope` says what was rebuilt.
    Ok {
        scope: String,
        pages: usize,
        took: Duration,
        warnings: Vec<Diagnostic>,
    },
    /// Nothing that the site is made from changed.
    Unchanged,
    /// The sources have errors; the last good pages stay.
    Failed(Diagnostics),
}

/// Changed transcripts rebuilt one by one, each with the listings, rather
/// than the whole site at once; beyond this many, the whole site.
const MAX_ONE_BY_ONE: usize = 8;

/// The site in memory and what it was built from.
pub struct LiveSite {
    root: PathBuf,
    drafts: bool,
    base_url: Option<String>,
    /// The last good build, if there was one.
    built: Option<(Site, Renderer)>,
    /// Problems of the last rebuild; while any remain, every change rebuilds all.
    failing: bool,
    /// The search index was left behind the pages by a rebuild of one
    /// transcript (see [`LiveSite::refresh_index`]).
    index_stale: bool,
}

impl LiveSite {
    /// A site to be built from `root`; `base_url` replaces the configured one.
    pub fn new(root: &Path, drafts: bool, base_url: Option<String>) -> Self {
        LiveSite {
            root: root.to_path_buf(),
            drafts,
            base_url,
            built: None,
            failing: false,
            index_stale: false,
        }
    }

    /// The folders and file whose changes rebuild the site.
    pub fn watched(&self) -> Vec<PathBuf> {
        [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, CONFIG_FILE]
            .iter()
            .map(|p| self.root.join(p))
            .collect()
    }

    /// Builds everything, replacing `pages` only on success.
    pub fn build_all(&mut self, pages: &mut Pages) -> Rebuilt {
        let started = Instant::now();
        match self.load_all() {
            Ok((site, renderer, rendered, statics, warnings)) => {
                let count = rendered.len();
                pages.pages = into_map(rendered);
                pages.statics = statics;
                self.built = Some((site, renderer));
                self.failing = false;
                self.index_stale = false;
                Rebuilt::Ok {
                    scope: "the whole site".to_string(),
                    pages: count,
                    took: started.elapsed(),
                    warnings,
                }
            }
            Err(problems) => self.fail(problems),
        }
    }

    #[allow(clippy::type_complexity)]
    fn load_all(
        &self,
    ) -> Result<
        (
            Site,
            Renderer,
            Vec<Page>,
            HashMap<String, PathBuf>,
            Vec<Diagnostic>,
        ),
        Vec<Diagnostic>,
    > {
        let mut config = Config::load(&self.root).map_err(|d| vec![d])?;
        if let Some(url) = &self.base_url {
            config = config.with_base_url(url);
        }
        let renderer = Renderer::new(&self.root)?;
        let loaded = site::load(&self.root, config, self.drafts)?;
        let mut rendered = renderer.render(&loaded.site)?;
        if loaded.site.config.search {
            rendered.extend(crate::search::index(&loaded.site));
        }
        let statics = crate::output::static_files(&self.root)
            .map_err(|d| vec![d])?
            .into_iter()
            .collect();
        Ok((loaded.site, renderer, rendered, statics, loaded.warnings))
    }

    fn fail(&mut self, problems: Vec<Diagnostic>) -> Rebuilt {
        self.failing = true;
        Rebuilt::Failed(Diagnostics(problems).sorted())
    }

    /// Rebuilds after the files at `changed` changed (absolute paths).
    pub fn rebuild(&mut self, changed: &[PathBuf], pages: &mut Pages) -> Rebuilt {
        let relevant: Vec<&PathBuf> = changed.iter().filter(|p| self.matters(p)).collect();
        if relevant.is_empty() {
            return Rebuilt::Unchanged;
        }
        let only_static = relevant
            .iter()
            .all(|p| p.starts_with(self.root.join(STATIC_DIR)));
        if only_static && !self.failing && self.built.is_some() {
            let started = Instant::now();
            return match crate::output::static_files(&self.root) {
                Ok(statics) => {
                    pages.statics = statics.into_iter().collect();
                    Rebuilt::Ok {
                        scope: "static files".to_string(),
                        pages: 0,
                        took: started.elapsed(),
                        warnings: Vec::new(),
                    }
                }
                Err(d) => self.fail(vec![d]),
            };
        }
        let content = self.root.join(CONTENT_DIR);
        let transcripts_only = relevant
            .iter()
            .all(|p| p.starts_with(&content) && p.is_file());
        if !self.failing && transcripts_only && relevant.len() <= MAX_ONE_BY_ONE {
            if let Some(result) = self.rebuild_transcripts(&relevant, pages) {
                return result;
            }
        }
        self.build_all(pages)
    }

    /// Rebuilds these edited transcripts one after the other (saves that
    /// came together, or while the search index was being made); `None`
    /// when one of them needs the whole site rebuilt.
    fn rebuild_transcripts(&mut self, paths: &[&PathBuf], pages: &mut Pages) -> Option<Rebuilt> {
        let started = Instant::now();
        let (mut scopes, mut count, mut all_warnings) = (Vec::new(), 0, Vec::new());
        for path in paths {
            match self.rebuild_transcript(path, pages)? {
                Rebuilt::Ok {
                    scope,
                    pages,
                    warnings,
                    ..
                } => {
                    scopes.push(scope);
                    count += pages;
                    all_warnings.extend(warnings);
                }
                other => return Some(other),
            }
        }
        Some(Rebuilt::Ok {
            scope: scopes.join(", "),
            pages: count,
            took: started.elapsed(),
            warnings: all_warnings,
        })
    }

    /// Whether the search index lags behind the pages, after a rebuild of
    /// some transcripts.
    pub fn index_stale(&self) -> bool {
        self.index_stale
    }

    /// Makes the search index again from the site as last built and puts its
    /// files in `pages`, if a rebuild left it behind; returns how long that
    /// took. The server calls this after it has sent the reload of the
    /// rebuilt pages, so an edit shows in the browser without waiting for
    /// the index of the whole site. It is given up as soon as `stop` says so
    /// (the server's: another change has come, and is rebuilt first); then
    /// `pages` keep the index they had, which stays stale, and the result is
    /// `None`.
    pub fn refresh_index(
        &mut self,
        pages: &mut Pages,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Duration> {
        let (site, _) = self.built.as_ref().filter(|_| self.index_stale)?;
        let started = Instant::now();
        let index = crate::search::index_unless(site, stop)?;
        let data = format!("{}/", crate::search::DATA_DIR);
        pages.pages.retain(|p, _| !p.starts_with(&data));
        pages.pages.extend(into_map(index));
        self.index_stale = false;
        Some(started.elapsed())
    }

    /// Whether a changed path is part of the site's sources: transcripts,
    /// templates, static files, settings; not editors' swap and backup files.
    fn matters(&self, path: &Path) -> bool {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if name.starts_with('.') || name.ends_with('~') {
            return false;
        }
        if *path == self.root.join(CONFIG_FILE) {
            return true;
        }
        let content = self.root.join(CONTENT_DIR);
        if path.starts_with(&content) {
            // A transcript, or a folder that is or was one of transcripts; not
            // notes, images, or the scratch files editors write while saving
            // (vim's `4913`), which would turn each save into a full rebuild.
            return *path == content
                || crate::ingest::Format::of(path).is_some()
                || path.is_dir()
                || self.held_transcripts_in(path);
        }
        let templates = self.root.join(TEMPLATES_DIR);
        if path.starts_with(&templates) {
            return *path == templates
                || path.extension().and_then(|e| e.to_str()) == Some("html")
                || path.extension().is_none();
        }
        path.starts_with(self.root.join(STATIC_DIR))
    }

    /// Whether the last good build read transcripts from inside `folder`.
    fn held_transcripts_in(&self, folder: &Path) -> bool {
        let prefix = format!("{}/", site::display_path(&self.root, folder));
        self.built.as_ref().is_some_and(|(site, _)| {
            site.transcripts
                .iter()
                .any(|t| t.source_path.starts_with(&prefix))
        })
    }

    /// Re-reads one transcript and re-renders its pages and the listings.
    /// `None` when the change needs a full rebuild (a draft left out, a
    /// changed URL or anchors that other transcripts may link to).
    fn rebuild_transcript(&mut self, path: &Path, pages: &mut Pages) -> Option<Rebuilt> {
        let started = Instant::now();
        let (site, renderer) = self.built.as_mut()?;
        let result = match site::load_file(&self.root, path, &site.config, self.drafts) {
            Ok(Some((transcript, mut warnings))) => {
                let slug = transcript.slug.clone();
                let new_anchors = anchors(&transcript);
                // Another translation_of or align changes other transcripts'
                // pages (their language switch), as a changed URL does.
                let languages = (transcript.translation_of.clone(), transcript.align.clone());
                let same_languages = |o: &crate::model::Transcript| {
                    (&o.translation_of, &o.align) == (&languages.0, &languages.1)
                };
                let old = site.replace(transcript);
                let same_url = old
                    .as_ref()
                    .is_some_and(|o| o.slug == slug && same_languages(o));
                let linked = site.transcripts.iter().any(|t| {
                    t.slug != slug
                        && t.links
                            .iter()
                            .any(|l| crate::links::target_slug(&l.target) == Some(slug.as_str()))
                });
                if !same_url || (linked && old.as_ref().map(anchors) != Some(new_anchors)) {
                    // New pages, or links from other transcripts may resolve
                    // differently now: rebuild everything.
                    restore(site, old, &slug);
                    return None;
                }
                let (problems, more_warnings): (Vec<_>, Vec<_>) =
                    site.problems().into_iter().partition(Diagnostic::is_error);
                warnings.extend(more_warnings);
                let rendered = if problems.is_empty() {
                    renderer.render_transcript(site, &slug, old.as_ref())
                } else {
                    Err(problems)
                };
                match rendered {
                    Ok(rendered) => {
                        let prefix = format!("{slug}/");
                        pages.pages.retain(|p, _| !p.starts_with(&prefix));
                        let count = rendered.len();
                        pages.pages.extend(into_map(rendered));
                        // The index covers every transcript and is made
                        // again whole, which takes seconds on a large site:
                        // it is left for refresh_index, after the reload.
                        self.index_stale |= site.config.search;
                        Ok(Rebuilt::Ok {
                            scope: site::display_path(&self.root, path),
                            pages: count,
                            took: started.elapsed(),
                            warnings,
                        })
                    }
                    Err(problems) => {
                        restore(site, old, &slug);
                        Err(problems)
                    }
                }
            }
            Ok(None) => return None,
            Err(problems) => Err(problems),
        };
        Some(result.unwrap_or_else(|problems| self.fail(problems)))
    }
}

/// Puts back the transcript that [`Site::replace`] replaced.
fn restore(site: &mut Site, old: Option<crate::model::Transcript>, slug: &str) {
    match old {
        Some(old) => {
            site.replace(old);
        }
        None => {
            if let Some(t) = site.transcripts.iter().find(|t| t.slug == slug) {
                let path = t.source_path.clone();
                site.remove(&path);
            }
        }
    }
}

/// What other transcripts can link to: section slugs and the section of
/// every exchange and turn id.
fn anchors(t: &crate::model::Transcript) -> Vec<(String, Vec<crate::model::Anchor>)> {
    t.sections
        .iter()
        .map(|s| {
            let ids = s
                .exchanges
                .iter()
                .flat_map(|e| std::iter::once(e.id).chain(e.turns().map(|t| t.id)))
                .collect();
            (s.slug.clone(), ids)
        })
        .collect()
}

fn into_map(pages: Vec<Page>) -> HashMap<String, axum::body::Bytes> {
    pages
        .into_iter()
        .map(|p| (p.path, axum::body::Bytes::from(p.bytes)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str =
        "+++\ntitle = \"A\"\ndate = 2026-01-02\n+++\n\n## One\n\nQ: First?\n\nA: Yes.\n";
    const B: &str = "+++\ntitle = \"B\"\ndate = 2026-01-01\n+++\n\n## Two\n\nQ: Second?\n\nA: See [a](@/a#q1).\n";

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("site.toml"), "title = \"Live\"\n").unwrap();
        std::fs::write(dir.path().join("content/a.md"), A).unwrap();
        std::fs::write(dir.path().join("content/b.md"), B).unwrap();
        dir
    }

    /// The two-transcript site, built whole.
    fn built() -> (tempfile::TempDir, LiveSite, Pages) {
        let dir = site();
        let mut live = LiveSite::new(dir.path(), false, None);
        let mut pages = Pages::default();
        live.build_all(&mut pages);
        (dir, live, pages)
    }

    fn scope(outcome: &Rebuilt) -> String {
        match outcome {
            Rebuilt::Ok { scope, .. } => scope.clone(),
            other => panic!("expected a rebuild, got {other:?}"),
        }
    }

    /// The scope of a rebuild that rendered fewer pages than the site has.
    fn partial_scope(outcome: &Rebuilt, pages: &Pages) -> String {
        let total = pages.pages.len();
        assert!(
            matches!(outcome, Rebuilt::Ok { pages, .. } if *pages < total),
            "{outcome:?} of {total}"
        );
        scope(outcome)
    }

    fn text(pages: &Pages, path: &str) -> String {
        String::from_utf8_lossy(&pages.pages[path]).into_owned()
    }

    #[test]
    fn one_edited_transcript_rebuilds_its_pages_and_the_listings_only() {
        let dir = site();
        let mut live = LiveSite::new(dir.path(), false, None);
        let mut pages = Pages::default();
        assert_eq!(scope(&live.build_all(&mut pages)), "the whole site");
        let b_before = pages.pages["b/index.html"].clone();

        let a = dir.path().join("content/a.md");
        std::fs::write(&a, A.replace("Yes.", "Yes, edited.")).unwrap();
        // As vim saves: a scratch file made and removed, a backup, the file.
        let scratch = dir.path().join("content/4913");
        let backup = dir.path().join("content/a.md~");
        let outcome = live.rebuild(&[scratch, backup, a.clone()], &mut pages);
        // a's overview, full and section pages and the site-wide pages (home,
        // speakers, tags, feeds, API): fewer than the whole site.
        assert_eq!(partial_scope(&outcome, &pages), "content/a.md");
        let section = text(&pages, "a/one/index.html");
        assert!(section.contains("Yes, edited."), "{section}");
        // b's pages are the very same bytes: not rendered again.
        assert_eq!(pages.pages["b/index.html"].as_ptr(), b_before.as_ptr());
    }

    #[test]
    fn transcripts_saved_together_are_rebuilt_one_by_one() {
        let (dir, mut live, mut pages) = built();
        let (a, b) = (
            dir.path().join("content/a.md"),
            dir.path().join("content/b.md"),
        );
        std::fs::write(&a, A.replace("Yes.", "Yes, edited.")).unwrap();
        std::fs::write(&b, format!("{B}\nQ: Another?\n\nA: No, edited.\n")).unwrap();
        let outcome = live.rebuild(&[a, b], &mut pages);
        assert_eq!(
            partial_scope(&outcome, &pages),
            "content/a.md, content/b.md"
        );
        let a_page = text(&pages, "a/one/index.html");
        assert!(a_page.contains("Yes, edited."), "{a_page}");
        let b_page = text(&pages, "b/full/index.html");
        assert!(b_page.contains("No, edited."), "{b_page}");
    }

    /// How many exchanges the served search index holds.
    fn indexed(pages: &Pages) -> u64 {
        use std::io::Read;
        let meta = &pages.pages[&format!("{}/meta.bin", crate::search::DATA_DIR)];
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(&meta[..])
            .read_to_end(&mut json)
            .unwrap();
        let meta: serde_json::Value = serde_json::from_slice(&json).unwrap();
        meta["docs"].as_u64().unwrap()
    }

    #[test]
    fn the_served_search_index_follows_edits() {
        let (dir, mut live, mut pages) = built();
        assert!(pages.pages.contains_key("search/index.html"));
        assert_eq!(indexed(&pages), 2);

        // b: no other transcript links to it, so only its pages are rebuilt.
        let b = dir.path().join("content/b.md");
        std::fs::write(&b, format!("{B}\nQ: Another?\n\nA: No.\n")).unwrap();
        let outcome = live.rebuild(std::slice::from_ref(&b), &mut pages);
        assert_eq!(scope(&outcome), "content/b.md");
        // The pages first; the index follows when asked.
        assert!(live.index_stale());
        assert_eq!(indexed(&pages), 2, "the index is made after the pages");
        // Given up at once (another edit came): nothing changes, and the
        // index is still to be made.
        assert!(live.refresh_index(&mut pages, &|| true).is_none());
        assert!(live.index_stale());
        assert_eq!(indexed(&pages), 2, "a given-up index leaves the old one");
        // Given up after the postings, at the first file.
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let late = || asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed) > 0;
        assert!(live.refresh_index(&mut pages, &late).is_none());
        assert!(live.index_stale());
        assert_eq!(indexed(&pages), 2);
        assert!(live.refresh_index(&mut pages, &|| false).is_some());
        assert!(!live.index_stale());
        assert_eq!(indexed(&pages), 3, "the new exchange is searchable");
        assert!(
            live.refresh_index(&mut pages, &|| false).is_none(),
            "nothing left to do"
        );
    }

    #[test]
    fn anchors_others_link_to_or_a_new_url_rebuild_everything() {
        let (dir, mut live, mut pages) = built();
        let a = dir.path().join("content/a.md");
        // b links to a#q1: a new first exchange moves it.
        std::fs::write(
            &a,
            A.replace("## One\n\n", "## Zero\n\nQ: New?\n\nA: Yes.\n\n## One\n\n"),
        )
        .unwrap();
        assert_eq!(
            scope(&live.rebuild(std::slice::from_ref(&a), &mut pages)),
            "the whole site"
        );
        let b = text(&pages, "b/two/index.html");
        assert!(b.contains(r#"href="../../a/zero/#q1""#), "{b}");

        std::fs::write(
            &a,
            A.replace("title = \"A\"", "title = \"A\"\nslug = \"a2\""),
        )
        .unwrap();
        let outcome = live.rebuild(std::slice::from_ref(&a), &mut pages);
        // b's link to @/a is broken now: the last good pages stay.
        assert!(matches!(outcome, Rebuilt::Failed(_)), "{outcome:?}");
        assert!(pages.pages.contains_key("a/index.html"));
    }

    #[test]
    fn errors_keep_the_last_good_pages_until_fixed() {
        let (dir, mut live, pages) = built();
        let a = dir.path().join("content/a.md");
        std::fs::write(&a, "+++\ntitle = \n+++\n").unwrap();
        let mut kept = pages.clone();
        match live.rebuild(std::slice::from_ref(&a), &mut kept) {
            Rebuilt::Failed(problems) => assert_eq!(problems.0[0].path, "content/a.md"),
            other => panic!("{other:?}"),
        }
        assert_eq!(kept.pages.len(), pages.pages.len());
        std::fs::write(&a, A).unwrap();
        assert_eq!(
            scope(&live.rebuild(std::slice::from_ref(&a), &mut kept)),
            "the whole site"
        );
        // Swap files and notes are not sources.
        let swap = dir.path().join("content/.a.md.swp");
        std::fs::write(&swap, "x").unwrap();
        assert!(matches!(
            live.rebuild(&[swap], &mut kept),
            Rebuilt::Unchanged
        ));
        // A folder of transcripts, added or removed, is a change.
        let old = dir.path().join("content/old");
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join("c.md"), "Q: c?\n\nA: c.\n").unwrap();
        assert_eq!(
            scope(&live.rebuild(std::slice::from_ref(&old), &mut kept)),
            "the whole site"
        );
        assert!(kept.pages.contains_key("c/index.html"));
        std::fs::remove_dir_all(&old).unwrap();
        assert_eq!(
            scope(&live.rebuild(std::slice::from_ref(&old), &mut kept)),
            "the whole site"
        );
        assert!(!kept.pages.contains_key("c/index.html"));
    }
}
