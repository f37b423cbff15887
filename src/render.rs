//! Render: the [`Site`] in, pages as bytes out, through Tera templates. The
//! default theme is embedded in the binary; a site's own `templates/` folder
//! overrides any template by name. Nothing here touches the output folder.

use crate::diagnostic::Diagnostic;
use crate::links::LinkIndex;
use crate::model::{Anchor, Source, Speaker, Timecode, Transcript};
use crate::site::urls::{section_url, transcript_url};
use crate::site::Site;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::OnceLock;
use tera::{Context, Tera};

mod metadata;
pub mod reader;
mod theme;

use crate::page::Page;

/// The default theme's templates, by the name a site overrides them with.
pub const THEME_TEMPLATES: [(&str, &str); 13] = [
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("index.html", include_str!("../templates/index.html")),
    (
        "transcript.html",
        include_str!("../templates/transcript.html"),
    ),
    ("section.html", include_str!("../templates/section.html")),
    ("full.html", include_str!("../templates/full.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("search.html", include_str!("../templates/search.html")),
    ("speakers.html", include_str!("../templates/speakers.html")),
    ("speaker.html", include_str!("../templates/speaker.html")),
    ("tags.html", include_str!("../templates/tags.html")),
    ("tag.html", include_str!("../templates/tag.html")),
    ("atom.xml", include_str!("../templates/atom.xml")),
];

/// The default theme's assets, written to the output root before the site's
/// own `static/` files (which may replace them).
pub const THEME_ASSETS: [(&str, &str); 3] = [
    ("verbatim.css", include_str!("../static/verbatim.css")),
    ("verbatim.js", include_str!("../static/verbatim.js")),
    (
        "verbatim-search.js",
        include_str!("../static/verbatim-search.js"),
    ),
];

/// The folder of template overrides, relative to the site root.
pub const TEMPLATES_DIR: &str = "templates";

/// Tera loaded with the theme and the site's overrides.
pub struct Renderer {
    tera: Tera,
    /// The templates the site's `templates/` folder overrides or adds.
    overridden: BTreeSet<String>,
    /// Whether pages of the default theme may be written by the compiled
    /// theme (`theme.rs`) instead of Tera; off only to compare the two.
    compiled: bool,
}

impl Renderer {
    /// Loads the embedded theme, then every `*.html` under `root/templates`
    /// over it (same name wins; new names become available to `include` and
    /// `extends`).
    pub fn new(root: &Path) -> Result<Renderer, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, String> = THEME_TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let mut overridden = BTreeSet::new();
        let dir = root.join(TEMPLATES_DIR);
        let mut errors = Vec::new();
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        errors.push(Diagnostic::error(
                            TEMPLATES_DIR,
                            format!("cannot read: {e}"),
                        ));
                        continue;
                    }
                };
                let path = entry.path();
                if !entry.file_type().is_file()
                    || path.extension().and_then(|e| e.to_str()) != Some("html")
                {
                    continue;
                }
                let name = crate::site::display_path(&dir, path);
                match std::fs::read_to_string(path) {
                    Ok(text) => {
                        overridden.insert(name.clone());
                        sources.insert(name, text);
                    }
                    Err(e) => errors.push(Diagnostic::error(
                        format!("{TEMPLATES_DIR}/{name}"),
                        format!("cannot read the template: {e}"),
                    )),
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::escape::escape_html);
        tera.register_filter("seconds", filter_seconds);
        tera.register_filter("clock", filter_clock);
        tera.register_filter("tag_url", filter_tag_url);
        tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .map_err(|e| vec![template_error(&e)])?;
        Ok(Renderer {
            tera,
            overridden,
            compiled: true,
        })
    }

    /// The same renderer with every page going through Tera, the compiled
    /// theme unused: what the byte-for-byte comparison of the two renders
    /// against.
    #[doc(hidden)]
    pub fn interpreted_only(mut self) -> Renderer {
        self.compiled = false;
        self
    }

    /// Whether the compiled theme may write the pages of `template`: only
    /// while the site overrides neither it nor what it builds on.
    fn compiles(&self, template: &str) -> bool {
        self.compiled
            && ![template, "base.html", "macros.html"]
                .iter()
                .any(|name| self.overridden.contains(*name))
    }

    /// Renders every page of the site, in parallel.
    pub fn render(&self, site: &Site) -> Result<Vec<Page>, Vec<Diagnostic>> {
        let mut pages = Vec::new();
        self.render_batches(site, usize::MAX, |batch| {
            pages.extend(batch);
            Ok(())
        })?;
        Ok(pages)
    }

    /// Renders what changes when transcript `slug` changes, `old` being what
    /// it was: its own pages, the machine files and theme assets, and the
    /// listing pages that show it. When the edit leaves its place in the
    /// listings alone (same title, date, tags and speakers: the usual edit
    /// of what someone said), those are the one page of the home listing and
    /// of each of its tags that lists it, the pages of its speakers, the
    /// speaker index (answer counts) and the feed if it is in it; otherwise
    /// every listing page. Other transcripts' pages never change.
    pub fn render_transcript(
        &self,
        site: &Site,
        slug: &str,
        old: Option<&Transcript>,
    ) -> Result<Vec<Page>, Vec<Diagnostic>> {
        let Some(i) = site.transcripts.iter().position(|t| t.slug == slug) else {
            return self.render(site);
        };
        let t = &site.transcripts[i];
        let in_place = old.is_some_and(|o| {
            o.slug == t.slug
                && o.title == t.title
                && o.date == t.date
                && o.tags == t.tags
                && o.speakers == t.speakers
        });
        let per_page = site.config.paginate;
        let page_of = |position: usize| match per_page {
            0 => 1,
            n => position / n + 1,
        };
        let persons: Vec<usize> = t
            .speakers
            .iter()
            .filter_map(|s| site.speakers.person_index(&site.transcripts, i, &s.id))
            .collect();
        let in_feed = site.config.feed_entries == 0 || i < site.config.feed_entries;
        // The sitemap changes only with the set of pages (or a date, which
        // `in_place` covers); the speaker index only with answer counts.
        let same_pages = old.is_some_and(|o| {
            o.sections.len() == t.sections.len()
                && o.sections
                    .iter()
                    .zip(&t.sections)
                    .all(|(a, b)| a.slug == b.slug)
        });
        let answer_counts = |t: &Transcript| -> Vec<usize> {
            t.speakers
                .iter()
                .map(|s| reader::answers_of(t, &s.id).count())
                .collect()
        };
        let same_answers = old.is_some_and(|o| answer_counts(o) == answer_counts(t));
        let jobs: Vec<Job> = page_jobs(site)
            .into_iter()
            .filter(|job| match *job {
                Job::Overview(x) | Job::Full(x) | Job::Section(x, _) | Job::Api(x) => x == i,
                _ if !in_place => true,
                Job::Home(page) => page == page_of(i),
                Job::Tag(tag, page) => site.tags[tag]
                    .transcripts
                    .iter()
                    .position(|&x| x == i)
                    .is_some_and(|at| page == page_of(at)),
                Job::Speaker(p) => persons.contains(&p),
                Job::Speakers => !same_answers,
                Job::Feed => in_feed,
                Job::Tags | Job::Search | Job::NotFound => false,
            })
            .collect();
        let mut pages = Vec::new();
        self.render_jobs(site, &jobs, usize::MAX, to_page, |batch| {
            pages.extend(batch);
            Ok(())
        })?;
        if in_place && same_pages {
            // Only the API index shows what changed (counts of words,
            // sections and exchanges).
            pages.push(crate::api::index_page(site).map_err(|e| vec![e])?);
        } else {
            pages.extend(machine_files(site).map_err(|e| vec![e])?);
        }
        pages.extend(theme_asset_pages());
        Ok(pages)
    }

    /// Renders the site in batches of about `batch_pages` pages (a
    /// transcript's pages stay in one batch) and hands each batch to `sink`
    /// before rendering the next, so only one batch is held in memory. Pages
    /// within a batch are rendered in parallel. The machine files (sitemap,
    /// robots, API) and theme assets come after the last batch. Stops at the
    /// first batch with errors (all of that batch's errors are returned) or
    /// the first error of `sink`.
    pub fn render_batches(
        &self,
        site: &Site,
        batch_pages: usize,
        sink: impl FnMut(Vec<Page>) -> Result<(), Vec<Diagnostic>>,
    ) -> Result<(), Vec<Diagnostic>> {
        self.render_pages(site, &page_jobs(site), batch_pages, sink)
    }

    /// Renders the site like [`Renderer::render_batches`], but hands each
    /// page to `write` (its path and bytes) on the render thread, straight
    /// from the thread's buffer, as soon as it is rendered: no page is kept.
    /// The machine files and theme assets come last.
    pub fn render_each(
        &self,
        site: &Site,
        batch_pages: usize,
        write: impl Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync,
    ) -> Result<(), Vec<Diagnostic>> {
        // The sitemap, robots.txt and the API index come from the model
        // alone, one thread's work: made while the pages are, they fill the
        // pauses between batches instead of leaving a core idle at the end.
        let (rendered, rest) = rayon::join(
            || self.render_jobs(site, &page_jobs(site), batch_pages, &write, |_| Ok(())),
            || machine_files(site),
        );
        rendered?;
        let rest = rest.map_err(|e| vec![e])?;
        for page in rest.iter().chain(&theme_asset_pages()) {
            write(&page.path, &page.bytes).map_err(|e| vec![e])?;
        }
        Ok(())
    }

    /// `jobs` as pages handed to `sink` batch by batch, then the machine
    /// files and theme assets.
    fn render_pages(
        &self,
        site: &Site,
        jobs: &[Job],
        batch_pages: usize,
        mut sink: impl FnMut(Vec<Page>) -> Result<(), Vec<Diagnostic>>,
    ) -> Result<(), Vec<Diagnostic>> {
        self.render_jobs(site, jobs, batch_pages, to_page, &mut sink)?;
        sink(machine_files(site).map_err(|e| vec![e])?)?;
        sink(theme_asset_pages())
    }

    /// Renders `jobs` in batches of about `batch_pages` pages (a
    /// transcript's pages stay in one batch), the pages of a batch in
    /// parallel, each into its thread's buffer, which goes to `emit` with the
    /// page's path. `sink` gets what `emit` made of a batch before the next
    /// one is rendered.
    fn render_jobs<R: Send>(
        &self,
        site: &Site,
        jobs: &[Job],
        batch_pages: usize,
        emit: impl Fn(&str, &[u8]) -> Result<R, Diagnostic> + Sync,
        mut sink: impl FnMut(Vec<R>) -> Result<(), Vec<Diagnostic>>,
    ) -> Result<(), Vec<Diagnostic>> {
        let site_view = SiteView::new(site);
        let links = LinkIndex::new(&site.transcripts);
        // Per-transcript views, built once by whichever page of the
        // transcript needs them first, and dropped after its batch.
        let mut shared: Vec<OnceLock<SharedViews<'_>>> = (0..site.transcripts.len())
            .map(|_| OnceLock::new())
            .collect();
        for batch in batches(jobs, batch_pages) {
            let results: Vec<Result<R, Diagnostic>> = batch
                .par_iter()
                .map(|job| self.render_job(site, &site_view, &links, &shared, job, &emit))
                .collect();
            let mut made = Vec::with_capacity(results.len());
            let mut errors = Vec::new();
            for r in results {
                match r {
                    Ok(r) => made.push(r),
                    Err(e) => errors.push(e),
                }
            }
            if !errors.is_empty() {
                return Err(errors);
            }
            for t in batch.iter().filter_map(Job::transcript) {
                shared[t].take();
            }
            sink(made)?;
        }
        Ok(())
    }

    /// Renders one page into this thread's buffer (no page is allocated and
    /// grown on its own) and hands it to `emit`; returns what `emit` made of
    /// it.
    fn render_job<'a, R>(
        &self,
        site: &'a Site,
        site_view: &SiteView,
        links: &LinkIndex,
        shared: &[OnceLock<SharedViews<'a>>],
        job: &Job,
        emit: &impl Fn(&str, &[u8]) -> Result<R, Diagnostic>,
    ) -> Result<R, Diagnostic> {
        if let Job::Api(i) = *job {
            // Into this thread's reused byte buffer: a transcript's JSON is
            // tens of kilobytes, which a fresh vector would reach by doubling.
            return BYTES.with_borrow_mut(|json| {
                json.clear();
                crate::api::write_transcript(json, &site.transcripts[i])?;
                emit(&job_path(site, job), json)
            });
        }
        let views = |t: usize| shared[t].get_or_init(|| SharedViews::new(site, t));
        PAGE.with_borrow_mut(|html| {
            html.clear();
            let root = match self.render_compiled(site, site_view, views, job, html) {
                Some(root) => root,
                None => self.render_interpreted(site, site_view, views, job, html)?,
            };
            links.rewrite_in_place(html, &root);
            emit(&job_path(site, job), html.as_bytes())
        })
    }

    /// Renders `job` through Tera into `out`; returns the way from the page
    /// to the site root.
    fn render_interpreted<'a: 's, 's>(
        &self,
        site: &'a Site,
        site_view: &SiteView,
        views: impl Fn(usize) -> &'s SharedViews<'a>,
        job: &Job,
        out: &mut String,
    ) -> Result<String, Diagnostic> {
        let template = job.template();
        let (url, mut context) = match *job {
            Job::Home(page) => reader::home(site, page),
            Job::Speakers => reader::speakers(site),
            Job::Speaker(p) => reader::speaker(site, p),
            Job::Tags => reader::tags(site),
            Job::Tag(tag, page) => reader::tag(site, tag, page),
            Job::Feed => ("atom.xml".to_string(), reader::feed(site)),
            Job::Overview(i) => (
                transcript_url(&site.transcripts[i]),
                views(i).context(site, i),
            ),
            Job::Section(i, s) => {
                let toc = &views(i).overview.sections;
                let mut c = views(i).context(site, i);
                c.insert("section", &SectionView::new(site, i, s));
                c.insert("section_index", &(s + 1));
                c.insert("prev", &s.checked_sub(1).map(|p| &toc[p]));
                c.insert("next", &toc.get(s + 1));
                (toc[s].url.clone(), c)
            }
            Job::Full(i) => {
                let mut c = views(i).context(site, i);
                let sections = SectionView::all(site, i);
                c.insert("sections", &sections);
                (format!("{}full/", transcript_url(&site.transcripts[i])), c)
            }
            Job::Search => ("search/".to_string(), Context::new()),
            Job::Api(_) => unreachable!("made above"),
            Job::NotFound => ("404.html".to_string(), Context::new()),
        };
        let root = page_root(site, job, &url);
        context.insert("site", site_view);
        context.insert("meta", &metadata::Meta::new(site, job, &url));
        context.insert("home", if root.is_empty() { "./" } else { &root });
        context.insert("root", &root);
        context.insert(
            "page",
            &PageView {
                url: &url,
                kind: template.trim_end_matches(".html"),
                // A 404 page stands for no address of its own.
                permalink: match job {
                    Job::NotFound => String::new(),
                    _ => format!("{}{url}", site.config.base_url),
                },
            },
        );
        // Tera writes bytes: into this thread's reused byte buffer, checked
        // to be UTF-8 on the way into the page.
        BYTES.with_borrow_mut(|buffer| {
            buffer.clear();
            self.tera
                .render_to(template, &context, &mut *buffer)
                .map_err(|e| template_error(&e))?;
            let html = std::str::from_utf8(buffer)
                .map_err(|e| Diagnostic::error(TEMPLATES_DIR, format!("not UTF-8: {e}")))?;
            out.push_str(html);
            Ok(root)
        })
    }
}

impl Renderer {
    /// The page of `job` written by the compiled theme into `out`, when the
    /// job is one of its pages and the site overrides none of the templates
    /// involved; `None` leaves the page to Tera. Returns the way from the
    /// page to the site root.
    fn render_compiled<'a: 's, 's>(
        &self,
        site: &'a Site,
        site_view: &SiteView,
        views: impl Fn(usize) -> &'s SharedViews<'a>,
        job: &Job,
        out: &mut String,
    ) -> Option<String> {
        let compiled = matches!(
            job,
            Job::Overview(_)
                | Job::Section(..)
                | Job::Full(_)
                | Job::Speaker(_)
                | Job::Home(_)
                | Job::Tag(..)
        );
        let template = job.template();
        if !compiled || !self.compiles(template) {
            return None;
        }
        // What the page's blocks give base.html: its URL, language, title
        // and description, and what its `main` block shows.
        let site_title = site_view.title;
        let site_description = site_view.description.unwrap_or("");
        let (url, lang, title, description, main) = match *job {
            Job::Overview(i) => {
                let o = &views(i).overview;
                (
                    o.summary.url.clone(),
                    o.language,
                    [o.summary.title, " · ", site_title].concat(),
                    transcript_description(o),
                    theme::Main::Overview(o),
                )
            }
            Job::Section(i, s) => {
                let o = &views(i).overview;
                let toc = &o.sections;
                (
                    toc[s].url.clone(),
                    o.language,
                    [
                        toc[s].title.as_str(),
                        " · ",
                        o.summary.title,
                        " · ",
                        site_title,
                    ]
                    .concat(),
                    transcript_description(o),
                    theme::Main::Section(theme::SectionPage {
                        transcript: o,
                        section: SectionView::new(site, i, s),
                        index: s + 1,
                        prev: s.checked_sub(1).map(|p| &toc[p]),
                        next: toc.get(s + 1),
                    }),
                )
            }
            Job::Full(i) => {
                let o = &views(i).overview;
                (
                    o.full_url.clone(),
                    o.language,
                    [o.summary.title, " (full transcript) · ", site_title].concat(),
                    transcript_description(o),
                    theme::Main::Full(o, SectionView::all(site, i)),
                )
            }
            Job::Speaker(p) => {
                let (url, speaker, appearances) = reader::speaker_views(site, p);
                let description = match speaker.bio.filter(|b| !b.is_empty()) {
                    Some(bio) => Cow::Borrowed(bio),
                    None => {
                        Cow::Owned(format!("Everything {} says in {site_title}.", speaker.name))
                    }
                };
                (
                    url,
                    site_view.language,
                    format!("{} · Speakers · {site_title}", speaker.name),
                    Some(description),
                    theme::Main::Speaker(speaker, appearances),
                )
            }
            Job::Home(page) => {
                let (url, pagination, transcripts) = reader::home_views(site, page);
                let title = match pagination.current {
                    1 => site_title.to_string(),
                    n => format!("{site_title} · page {n} of {}", pagination.total),
                };
                (
                    url,
                    site_view.language,
                    title,
                    None,
                    theme::Main::Home(pagination, transcripts),
                )
            }
            Job::Tag(tag, page) => {
                let (url, tag, pagination, transcripts) = reader::tag_views(site, tag, page);
                let title = match pagination.current {
                    1 => format!("Tagged “{}” · {site_title}", tag.name),
                    n => format!("Tagged “{}” · page {n} · {site_title}", tag.name),
                };
                let description = format!("Transcripts tagged “{}” in {site_title}.", tag.name);
                (
                    url,
                    site_view.language,
                    title,
                    Some(Cow::Owned(description)),
                    theme::Main::Tag(tag, pagination, transcripts),
                )
            }
            _ => unreachable!("the jobs matched above"),
        };
        let root = page_root(site, job, &url);
        let meta = metadata::Meta::new(site, job, &url);
        let permalink = [site.config.base_url.as_str(), &url].concat();
        let frame = theme::Frame {
            site: site_view,
            lang,
            title: &title,
            description: description.as_deref().unwrap_or(site_description),
            kind: template.trim_end_matches(".html"),
            permalink: &permalink,
            root: &root,
            home: if root.is_empty() { "./" } else { &root },
            meta: &meta,
        };
        theme::page(out, &frame, |out| main.write(out, &frame));
        Some(root)
    }
}

/// The theme's CSS and JavaScript as pages, written after the templated ones.
fn theme_asset_pages() -> Vec<Page> {
    THEME_ASSETS
        .iter()
        .map(|(name, text)| Page {
            path: name.to_string(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect()
}

thread_local! {
    /// Each render thread's page buffer, grown once to the largest page.
    static PAGE: RefCell<String> = const { RefCell::new(String::new()) };
    /// Each render thread's byte buffer: what Tera writes a page into before
    /// it is checked to be UTF-8, and a transcript's JSON.
    static BYTES: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// What every page of one transcript shows of it, worked out once for all of
/// them instead of once per page.
struct SharedViews<'a> {
    overview: Overview<'a>,
    /// The `transcript` and `speakers` template variables, serialized when
    /// the first page of the transcript that Tera renders needs them.
    base: OnceLock<serde_json::Map<String, tera::Value>>,
}

impl<'a> SharedViews<'a> {
    fn new(site: &'a Site, i: usize) -> Self {
        SharedViews {
            overview: Overview::new(site, i),
            base: OnceLock::new(),
        }
    }

    /// A fresh page context holding a copy of the shared variables of
    /// transcript `i`.
    fn context(&self, site: &Site, i: usize) -> Context {
        let base = self.base.get_or_init(|| {
            let mut base = serde_json::Map::new();
            // Both serialize from plain data; failure would be a bug in the views.
            base.insert("transcript".into(), to_value(&self.overview));
            base.insert(
                "speakers".into(),
                to_value(&speaker_map(&site.transcripts[i])),
            );
            base
        });
        Context::from_value(tera::Value::Object(base.clone()))
            .expect("an object is always a valid context")
    }
}

fn to_value(view: &impl Serialize) -> tera::Value {
    serde_json::to_value(view).expect("views serialize to JSON")
}

/// Cuts `jobs` into runs of about `size` pages without splitting a
/// transcript's pages across two runs (pages of no transcript may be cut
/// anywhere).
fn batches(jobs: &[Job], size: usize) -> Vec<&[Job]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=jobs.len() {
        let may_cut = i == jobs.len()
            || jobs[i - 1].transcript().is_none()
            || jobs[i].transcript() != jobs[i - 1].transcript();
        if may_cut && (i - start >= size || i == jobs.len()) {
            out.push(&jobs[start..i]);
            start = i;
        }
    }
    out
}

/// The files for machines that follow from the site's pages: the sitemap
/// (every page of [`page_jobs`], where [`job_path`] puts it: a test holds
/// that to where rendering puts it), robots.txt and the JSON API's index.
fn machine_files(site: &Site) -> Result<Vec<Page>, Diagnostic> {
    let paths: Vec<String> = page_jobs(site).iter().map(|j| job_path(site, j)).collect();
    let dates: HashMap<&str, &str> = site
        .transcripts
        .iter()
        .filter_map(|t| Some((t.slug.as_str(), t.date.as_deref()?)))
        .collect();
    let mut files = Vec::new();
    let sitemap_urls: Vec<crate::sitemap::Url> = paths
        .iter()
        .filter_map(|path| {
            let url = path.strip_suffix("index.html")?;
            let first = url.split('/').next().unwrap_or("");
            Some(crate::sitemap::Url {
                loc: url.to_string(),
                lastmod: dates.get(first).map(|d| d.to_string()),
            })
        })
        .collect();
    // The protocol wants absolute URLs: no sitemap beats an invalid one.
    if crate::url::is_absolute(&site.config.base_url) {
        files.extend(crate::sitemap::sitemaps(
            &site.config.base_url,
            sitemap_urls,
            crate::sitemap::MAX_URLS,
        ));
    }
    files.push(crate::sitemap::robots(&site.config.base_url));
    files.push(crate::api::index_page(site)?);
    Ok(files)
}

/// The path part of the base URL (`https://x.org/a/` -> `/a/`), with every
/// character that has no business in a URL path percent-encoded, so that a
/// strange `base_url` can never carry markup into the 404 page's links.
fn site_path(base_url: &str) -> String {
    const NOT_IN_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'\'')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'#')
        .add(b'?')
        .add(b'\\');
    let path = match base_url.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(i) => &rest[i..],
            None => "/",
        },
        None => base_url,
    };
    percent_encoding::utf8_percent_encode(path, NOT_IN_PATH).to_string()
}

/// `"00:01:02.500"` -> `62.5`: a turn's start for `#t=` media fragments.
fn filter_seconds(
    value: &tera::Value,
    _: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let tc = parse_timecode_value(value, "seconds")?;
    Ok(tera::Value::from(tc.seconds()))
}

/// `"00:01:02.500"` -> `"00:01:02"`: a turn's start as readers see it.
fn filter_clock(
    value: &tera::Value,
    _: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let tc = parse_timecode_value(value, "clock")?;
    Ok(tera::Value::from(Timecode(tc.0 / 1000 * 1000).to_string()))
}

fn parse_timecode_value(value: &tera::Value, filter: &str) -> tera::Result<Timecode> {
    value.as_str().and_then(Timecode::parse).ok_or_else(|| {
        tera::Error::msg(format!(
            "the `{filter}` filter takes a time code like \"00:01:02\", not {value}"
        ))
    })
}

/// `"Open Source"` -> `"tags/open-source/"`: a tag's page, relative to the root.
fn filter_tag_url(
    value: &tera::Value,
    _: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let name = value.as_str().ok_or_else(|| {
        tera::Error::msg(format!("the `tag_url` filter takes a tag, not {value}"))
    })?;
    Ok(tera::Value::from(reader::tag_url(
        &crate::site::tags::tag_slug(name),
    )))
}

/// A Tera error with its whole chain of causes (the line is in the causes).
fn template_error(e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Diagnostic::error(TEMPLATES_DIR, message)
        .help("see docs/templates.md for the variables each template receives")
}

/// One page to render.
enum Job {
    /// A page of the home listing, 1-based.
    Home(usize),
    Overview(usize),
    Section(usize, usize),
    Full(usize),
    NotFound,
    Speakers,
    Speaker(usize),
    Tags,
    /// A tag and a page of its listing, 1-based.
    Tag(usize, usize),
    Feed,
    Search,
    /// A transcript's JSON file (`api/<slug>.json`).
    Api(usize),
}

impl Job {
    /// The template that makes this page (the compiled theme makes some of
    /// them itself, unless a site overrides one it involves).
    fn template(&self) -> &'static str {
        match self {
            Job::Home(_) => "index.html",
            Job::Overview(_) => "transcript.html",
            Job::Section(..) => "section.html",
            Job::Full(_) => "full.html",
            Job::NotFound => "404.html",
            Job::Speakers => "speakers.html",
            Job::Speaker(_) => "speaker.html",
            Job::Tags => "tags.html",
            Job::Tag(..) => "tag.html",
            Job::Feed => "atom.xml",
            Job::Search => "search.html",
            Job::Api(_) => "(none: a transcript's JSON is serialized)",
        }
    }

    /// The transcript this page belongs to, if any.
    fn transcript(&self) -> Option<usize> {
        match *self {
            Job::Overview(t) | Job::Section(t, _) | Job::Full(t) | Job::Api(t) => Some(t),
            _ => None,
        }
    }
}

fn page_jobs(site: &Site) -> Vec<Job> {
    let per_page = site.config.paginate;
    let mut jobs = vec![Job::NotFound, Job::Speakers, Job::Tags, Job::Feed];
    if site.config.search {
        jobs.push(Job::Search);
    }
    jobs.extend((1..=reader::page_count(site.transcripts.len(), per_page)).map(Job::Home));
    jobs.extend((0..site.speakers.people.len()).map(Job::Speaker));
    for (i, tag) in site.tags.iter().enumerate() {
        jobs.extend(
            (1..=reader::page_count(tag.transcripts.len(), per_page)).map(|p| Job::Tag(i, p)),
        );
    }
    for (i, t) in site.transcripts.iter().enumerate() {
        jobs.push(Job::Overview(i));
        jobs.push(Job::Full(i));
        jobs.extend((0..t.sections.len()).map(|s| Job::Section(i, s)));
        jobs.push(Job::Api(i));
    }
    jobs
}

/// A transcript's description, when it has one, for its pages' `<meta>`.
fn transcript_description<'a>(o: &Overview<'a>) -> Option<Cow<'a, str>> {
    o.summary
        .description
        .filter(|d| !d.is_empty())
        .map(Cow::Borrowed)
}

/// The way from the page at `url` back to the site root, which its links
/// start from.
fn page_root(site: &Site, job: &Job, url: &str) -> String {
    match job {
        // A host serves 404.html at any depth, so its links start from the
        // site's own path instead of being relative.
        Job::NotFound => site_path(&site.config.base_url),
        _ => "../".repeat(url.matches('/').count()),
    }
}

/// Where the page of `job` goes, relative to the output folder; rendering
/// and the sitemap both take it from here.
fn job_path(site: &Site, job: &Job) -> String {
    let index = |url: String| url + "index.html";
    match *job {
        Job::Home(page) => index(reader::paged_url("", page)),
        Job::Overview(i) => index(transcript_url(&site.transcripts[i])),
        Job::Section(i, s) => {
            let t = &site.transcripts[i];
            index(section_url(t, &t.sections[s]))
        }
        Job::Full(i) => index(transcript_url(&site.transcripts[i]) + "full/"),
        Job::NotFound => "404.html".to_string(),
        Job::Speakers => "speakers/index.html".to_string(),
        Job::Speaker(p) => index(reader::person_url(&site.speakers.people[p])),
        Job::Tags => "tags/index.html".to_string(),
        Job::Tag(tag, page) => index(reader::paged_url(
            &reader::tag_url(&site.tags[tag].slug),
            page,
        )),
        Job::Feed => "atom.xml".to_string(),
        Job::Search => "search/index.html".to_string(),
        Job::Api(i) => crate::api::json_path(&site.transcripts[i]),
    }
}

/// A rendered page as a [`Page`] of its own (a copy of the render buffer).
fn to_page(path: &str, bytes: &[u8]) -> Result<Page, Diagnostic> {
    Ok(Page {
        path: path.to_string(),
        bytes: bytes.to_vec(),
    })
}

#[derive(Serialize)]
struct PageView<'a> {
    url: &'a str,
    kind: &'a str,
    permalink: String,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    base_url: &'a str,
    language: &'a str,
    author: Option<&'a str>,
    footer: Option<String>,
    transcript_count: usize,
    /// Whether the site has a search page (site.toml `search`).
    search: bool,
}

impl<'a> SiteView<'a> {
    fn new(site: &'a Site) -> Self {
        let c = &site.config;
        SiteView {
            title: &c.title,
            description: c.description.as_deref(),
            base_url: &c.base_url,
            language: &c.language,
            author: c.author.as_deref(),
            footer: c.footer.as_deref().map(inline_markdown),
            transcript_count: site.transcripts.len(),
            search: c.search,
        }
    }
}

/// A line of Markdown as HTML without the surrounding paragraph.
fn inline_markdown(text: &str) -> String {
    let mut html = String::new();
    let options = crate::ingest::IngestOptions::default();
    let parser =
        pulldown_cmark::Parser::new(text).map(|e| crate::ingest::markdown::sanitize(e, &options));
    pulldown_cmark::html::push_html(&mut html, parser);
    let trimmed = html.trim();
    trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_string()
}

/// What a listing shows of a transcript.
#[derive(Serialize)]
struct Summary<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    subtitle: Option<&'a str>,
    date: Option<&'a str>,
    date_display: Option<String>,
    description: Option<&'a str>,
    tags: &'a [String],
    speakers: Vec<SpeakerView<'a>>,
    section_count: usize,
    exchange_count: usize,
    word_count: usize,
    /// Minutes to read the whole transcript.
    reading_minutes: usize,
}

/// A transcript's speaker with the URL of their page on the site.
#[derive(Serialize)]
struct SpeakerView<'a> {
    #[serde(flatten)]
    speaker: &'a Speaker,
    /// `speakers/<id>/`, relative to the site root.
    url: Option<String>,
}

impl<'a> Summary<'a> {
    fn new(site: &'a Site, i: usize) -> Self {
        let t = &site.transcripts[i];
        let word_count = site.word_count(i);
        Summary {
            slug: &t.slug,
            url: transcript_url(t),
            title: &t.title,
            subtitle: t.subtitle.as_deref(),
            date: t.date.as_deref(),
            date_display: t.date.as_deref().map(human_date),
            description: t.description.as_deref(),
            tags: &t.tags,
            speakers: t
                .speakers
                .iter()
                .map(|s| SpeakerView {
                    speaker: s,
                    url: site
                        .speakers
                        .person_of(&site.transcripts, i, &s.id)
                        .map(reader::person_url),
                })
                .collect(),
            section_count: t.sections.len(),
            exchange_count: t.sections.iter().map(|s| s.exchanges.len()).sum(),
            word_count,
            reading_minutes: reader::reading_minutes(word_count),
        }
    }
}

/// What the overview, section and full pages know of their transcript.
#[derive(Serialize)]
struct Overview<'a> {
    #[serde(flatten)]
    summary: Summary<'a>,
    intro: &'a str,
    language: &'a str,
    source: &'a Source,
    has_source: bool,
    media: Option<&'a crate::model::Media>,
    full_url: String,
    sections: Vec<SectionLink>,
}

impl<'a> Overview<'a> {
    fn new(site: &'a Site, i: usize) -> Self {
        let t = &site.transcripts[i];
        Overview {
            summary: Summary::new(site, i),
            intro: &t.intro,
            language: &t.language,
            source: &t.source,
            has_source: !t.source.is_empty(),
            media: t.media.as_ref(),
            full_url: transcript_url(t) + "full/",
            sections: section_links(site, i),
        }
    }
}

/// A section as a table of contents or previous/next link shows it.
#[derive(Serialize, Clone)]
struct SectionLink {
    number: Option<String>,
    title: String,
    slug: String,
    url: String,
    /// The first question, shortened, so a reader can tell sections apart.
    first_question: Option<String>,
    exchange_count: usize,
    word_count: usize,
    reading_minutes: usize,
}

/// A section with its length, for the section and full pages.
#[derive(Serialize)]
struct SectionView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<&'a str>,
    title: &'a str,
    slug: &'a str,
    intro: &'a str,
    exchanges: Vec<ExchangeView<'a>>,
    word_count: usize,
    reading_minutes: usize,
}

impl<'a> SectionView<'a> {
    /// Section `s` of transcript `i`.
    fn new(site: &'a Site, i: usize, s: usize) -> Self {
        let t = &site.transcripts[i];
        let section = &t.sections[s];
        let word_count = site.section_word_count(i, s);
        SectionView {
            number: section.number.as_deref(),
            title: &section.title,
            slug: &section.slug,
            intro: &section.intro,
            exchanges: section
                .exchanges
                .iter()
                .map(|e| ExchangeView {
                    id: e.id,
                    question: e.question.as_ref().map(|q| TurnView::new(t, q)),
                    answers: e.answers.iter().map(|a| TurnView::new(t, a)).collect(),
                })
                .collect(),
            word_count,
            reading_minutes: reader::reading_minutes(word_count),
        }
    }
}

/// An exchange as the section and full pages show it.
#[derive(Serialize)]
struct ExchangeView<'a> {
    id: Anchor,
    question: Option<TurnView<'a>>,
    answers: Vec<TurnView<'a>>,
}

/// A turn with what its heading shows worked out in advance, so the `turn`
/// macro looks values up instead of calling filters and the speaker map for
/// each of the thousands of turns a site has.
#[derive(Serialize)]
struct TurnView<'a> {
    id: Anchor,
    speaker: &'a str,
    paragraphs: crate::model::BlocksList<'a>,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<Timecode>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    /// The speaker's name, or the id when the transcript lists no such speaker.
    speaker_name: &'a str,
    /// The speaker's role, when the transcript lists the speaker.
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<crate::model::Role>,
    /// `start` as the `clock` filter gives it (`00:12:30`).
    #[serde(skip_serializing_if = "Option::is_none")]
    clock: Option<String>,
    /// `start` as the `seconds` filter gives it (`750.5`).
    #[serde(skip_serializing_if = "Option::is_none")]
    seconds: Option<f64>,
}

impl<'a> TurnView<'a> {
    fn new(t: &'a Transcript, turn: &'a crate::model::Turn) -> Self {
        let speaker = t.speakers.iter().find(|s| *s.id == *turn.speaker);
        TurnView {
            id: turn.id,
            speaker: &turn.speaker,
            paragraphs: turn.blocks_list(),
            text: &turn.text,
            start: turn.start,
            tags: &turn.tags,
            speaker_name: speaker.map_or(&*turn.speaker, |s| s.name.as_str()),
            role: speaker.map(|s| s.role),
            clock: turn
                .start
                .map(|tc| Timecode(tc.0 / 1000 * 1000).to_string()),
            seconds: turn.start.map(Timecode::seconds),
        }
    }
}

impl<'a> SectionView<'a> {
    /// Every section of transcript `i`, for the full page.
    fn all(site: &'a Site, i: usize) -> Vec<Self> {
        (0..site.transcripts[i].sections.len())
            .map(|s| SectionView::new(site, i, s))
            .collect()
    }
}

fn section_links(site: &Site, i: usize) -> Vec<SectionLink> {
    let t = &site.transcripts[i];
    t.sections
        .iter()
        .enumerate()
        .map(|(n, s)| (s, site.section_word_count(i, n)))
        .map(|(s, words)| SectionLink {
            number: s.number.clone(),
            title: s.title.clone(),
            slug: s.slug.clone(),
            url: section_url(t, s),
            first_question: s
                .exchanges
                .iter()
                .find_map(|e| e.question.as_ref())
                .map(|q| excerpt(&q.text, 160)),
            exchange_count: s.exchanges.len(),
            word_count: words,
            reading_minutes: reader::reading_minutes(words),
        })
        .collect()
}

fn speaker_map(t: &Transcript) -> HashMap<&str, &Speaker> {
    t.speakers.iter().map(|s| (s.id.as_str(), s)).collect()
}

/// The first `max` characters of `text`, cut at a word, with an ellipsis.
/// Whitespace runs count as one space. Only the words that can show are
/// read: speaker pages take an excerpt of every answer of a site.
pub fn excerpt(text: &str, max: usize) -> String {
    // Most text starts as it would be joined: ASCII, one space between
    // words. When its first `max + 1` bytes are so and the last of them is
    // inside a word, the text is longer than `max` and is cut where it stands.
    // Text as short as `max` that is so is its own excerpt: most questions,
    // and the short answers, on speaker pages.
    let space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
    // Byte against next byte, with no early exit, so it vectorizes.
    let joined_already = |s: &[u8]| {
        s.is_ascii()
            && s.first().is_none_or(|&b| !space(b))
            && s.iter()
                .zip(s.get(1..).unwrap_or_default())
                .fold(true, |ok, (&a, &b)| {
                    ok & (!space(a) | (a == b' ') & !space(b))
                })
    };
    match text.as_bytes().get(..=max) {
        Some(head) if !space(head[max]) && joined_already(head) => {
            return cut_at_word(&text[..max], max);
        }
        None if text.as_bytes().last().is_none_or(|&b| !space(b))
            && joined_already(text.as_bytes()) =>
        {
            return text.to_string();
        }
        _ => {}
    }
    // The text with single spaces, up to the first character past `max`.
    let mut joined = String::with_capacity(max.min(text.len()) + 8);
    let mut chars = 0;
    let (mut ascii, mut other);
    let words: &mut dyn Iterator<Item = &str> = if text.is_ascii() {
        ascii = ascii_words(text);
        &mut ascii
    } else {
        other = text.split_whitespace();
        &mut other
    };
    for word in words {
        if !joined.is_empty() {
            joined.push(' ');
            chars += 1;
        }
        joined.push_str(word);
        // In ASCII, the common case, a byte is a character.
        chars += if word.is_ascii() {
            word.len()
        } else {
            word.chars().count()
        };
        if chars > max {
            break;
        }
    }
    if chars <= max {
        return joined;
    }
    let end = joined
        .char_indices()
        .nth(max)
        .map_or(joined.len(), |(i, _)| i);
    cut_at_word(&joined[..end], max)
}

/// The first `max` characters of a longer single-spaced text, shortened to
/// the last whole word when one ends past the middle, with an ellipsis.
fn cut_at_word(cut: &str, max: usize) -> String {
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut,
    };
    [cut.trim_end_matches([',', ';', ':', '.', ' ']), "…"].concat()
}

/// The words of ASCII text, as `split_whitespace` finds them, found byte by
/// byte rather than character by character.
fn ascii_words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let space = |i: usize| matches!(bytes[i], b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && space(i) {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !space(i) {
            i += 1;
        }
        (i > start).then(|| &text[start..i])
    })
}

/// `2026-06-22` -> `22 June 2026`; other text is returned as it is.
pub fn human_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = iso.split('-').collect();
    if let [y, m, d] = parts[..] {
        if let (Ok(m), Ok(d)) = (m.parse::<usize>(), d.parse::<u32>()) {
            if (1..=12).contains(&m) {
                return format!("{d} {} {y}", MONTHS[m - 1]);
            }
        }
    }
    iso.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_like_dates() {
        assert_eq!(human_date("2026-06-22"), "22 June 2026");
        assert_eq!(human_date("2026-13-01"), "2026-13-01");
    }

    #[test]
    fn excerpts_cut_at_words() {
        assert_eq!(excerpt("short", 10), "short");
        assert_eq!(excerpt("one two three four five", 12), "one two…");
        assert_eq!(excerpt("  one \n two  ", 7), "one two");
        assert_eq!(excerpt("one two, three", 9), "one two…");
        assert_eq!(excerpt("", 5), "");
    }

    /// The excerpt as it was first written: join every word, then cut.
    fn excerpt_of_whole_text(text: &str, max: usize) -> String {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.chars().count() <= max {
            return text;
        }
        let cut: String = text.chars().take(max).collect();
        let cut = match cut.rfind(' ') {
            Some(i) if i > max / 2 => &cut[..i],
            _ => &cut[..],
        };
        format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
    }

    #[test]
    fn excerpts_read_only_what_they_show_and_say_the_same() {
        let texts = [
            "Grüße aus Köln, sagte sie. Und dann: nichts mehr.",
            "a  b\tc\n\nd e f g h i j k l m n o p",
            "unbrokenwordthatislongerthanthelimitofanexcerpt and more",
            "short",
            "   ",
            "trailing comma, here, there, everywhere,   ",
            "日本語 の テキスト も 数える",
            "vertical\x0btab\x0cand, form; feed: then. more words after it",
            "Plain ASCII text with commas, semicolons; colons: and full stops. Again.",
            " leading space, then words",
            "ends in a space ",
            "ends in a newline\n",
            "one two three",
            "",
        ];
        for text in texts {
            for max in 0..60 {
                assert_eq!(
                    excerpt(text, max),
                    excerpt_of_whole_text(text, max),
                    "{text:?} at {max}"
                );
            }
        }
    }

    /// A transcript file with speakers, time codes, media and `n` sections.
    fn transcript_file(i: usize, sections: usize) -> String {
        let mut text = format!(
            "+++\ntitle = \"Interview {i}\"\ndate = 2024-01-{:02}\ntags = [\"t{}\", \"all\"]\n\
             [media]\nurl = \"https://example.org/{i}.mp3\"\nkind = \"audio\"\n\n\
             [[speakers]]\nid = \"host\"\nname = \"Host {i}\"\nrole = \"interviewer\"\naliases = [\"Q\"]\n\n\
             [[speakers]]\nid = \"guest\"\nname = \"Guest {i}\"\nrole = \"interviewee\"\n+++\n\n\
             Intro of interview {i}.\n",
            i % 28 + 1,
            i % 3
        );
        for s in 0..sections {
            text.push_str(&format!(
                "\n## {:02}. Part {s} of {i}\n\n[00:0{s}:10.{s}50] **Q:** Question {s} of {i}?\n\n\
                 **Guest {i}:** Answer {s} of {i}, with *emphasis* & <angle> text.\n",
                s + 1
            ));
        }
        text
    }

    fn fixture_site(dir: &Path) -> Site {
        std::fs::create_dir_all(dir.join("content")).unwrap();
        std::fs::write(
            dir.join("site.toml"),
            "title = \"Fixture\"\nbase_url = \"https://example.org/sub/\"\nfooter = \"By *us*\"\n",
        )
        .unwrap();
        for i in 0..9 {
            std::fs::write(
                dir.join(format!("content/interview-{i}.md")),
                transcript_file(i, 1 + i % 4),
            )
            .unwrap();
        }
        let config = crate::config::Config::load(dir).unwrap();
        let loaded = crate::site::load(dir, config, false).unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        loaded.site
    }

    /// One page rendered the plain way, as before views were shared between
    /// pages and buffers reused: every variable serialized for this page
    /// alone, then `Tera::render`.
    fn render_from_scratch(r: &Renderer, site: &Site, job: &Job) -> Page {
        let links = LinkIndex::new(&site.transcripts);
        // Pages not about one transcript go through render_job unchanged;
        // their contexts share nothing.
        let fresh: Vec<OnceLock<SharedViews<'_>>> =
            site.transcripts.iter().map(|_| OnceLock::new()).collect();
        let page = r
            .render_job(site, &SiteView::new(site), &links, &fresh, job, &to_page)
            .unwrap();
        let (Some(i), false) = (job.transcript(), matches!(job, Job::Api(_))) else {
            return page;
        };
        let t = &site.transcripts[i];
        let mut c = Context::new();
        c.insert("transcript", &Overview::new(site, i));
        c.insert("speakers", &speaker_map(t));
        let (template, url) = match *job {
            Job::Overview(_) => ("transcript.html", transcript_url(t)),
            Job::Section(_, s) => {
                let toc = section_links(site, i);
                c.insert("section", &SectionView::new(site, i, s));
                c.insert("section_index", &(s + 1));
                c.insert("prev", &s.checked_sub(1).map(|p| &toc[p]));
                c.insert("next", &toc.get(s + 1));
                ("section.html", section_url(t, &t.sections[s]))
            }
            Job::Full(_) => {
                let sections = SectionView::all(site, i);
                c.insert("sections", &sections);
                ("full.html", format!("{}full/", transcript_url(t)))
            }
            _ => unreachable!(),
        };
        let root = "../".repeat(url.matches('/').count());
        c.insert("site", &SiteView::new(site));
        c.insert("meta", &metadata::Meta::new(site, job, &url));
        c.insert("home", &root);
        c.insert("root", &root);
        c.insert(
            "page",
            &PageView {
                url: &url,
                kind: template.trim_end_matches(".html"),
                permalink: format!("{}{url}", site.config.base_url),
            },
        );
        let html = links.rewrite(r.tera.render(template, &c).unwrap(), &root);
        assert_eq!(page.path, format!("{url}index.html"));
        Page {
            path: page.path,
            bytes: html.into_bytes(),
        }
    }

    #[test]
    fn batched_rendering_gives_the_same_bytes_as_rendering_each_page_alone() {
        let dir = tempfile::tempdir().unwrap();
        let site = fixture_site(dir.path());
        let renderer = Renderer::new(dir.path()).unwrap();
        let jobs = page_jobs(&site);
        let mut expected: BTreeMap<String, Vec<u8>> = jobs
            .iter()
            .map(|job| render_from_scratch(&renderer, &site, job))
            .map(|p| (p.path, p.bytes))
            .collect();
        // 9 transcripts of 1 to 4 sections: 9 * 3 (overview, full page,
        // JSON) + 21 sections.
        let transcript_pages = jobs.iter().filter(|j| j.transcript().is_some()).count();
        assert_eq!(transcript_pages, 48);
        let machine = machine_files(&site).unwrap();
        let mut machine_paths: Vec<String> = machine.iter().map(|p| p.path.clone()).collect();
        machine_paths.extend(THEME_ASSETS.iter().map(|(n, _)| n.to_string()));
        assert!(machine.iter().any(|p| p.path == "sitemap.xml"));
        expected.extend(machine.into_iter().map(|p| (p.path, p.bytes)));
        expected.extend(theme_asset_pages().into_iter().map(|p| (p.path, p.bytes)));
        for batch_pages in [1, 5, usize::MAX] {
            let mut got = BTreeMap::new();
            let mut batches = 0;
            renderer
                .render_batches(&site, batch_pages, |pages| {
                    batches += 1;
                    for p in pages {
                        assert!(got.insert(p.path.clone(), p.bytes).is_none(), "{}", p.path);
                    }
                    Ok(())
                })
                .unwrap();
            assert_eq!(
                got.keys().collect::<Vec<_>>(),
                expected.keys().collect::<Vec<_>>()
            );
            for (path, bytes) in &expected {
                assert!(
                    &got[path] == bytes,
                    "{path} differs with batches of {batch_pages} pages"
                );
            }
            // One batch per page of no transcript, one per transcript, then
            // the machine files and the theme assets.
            if batch_pages == 1 {
                assert_eq!(batches, jobs.len() - transcript_pages + 9 + 2);
            }
        }
        // Every page goes where job_path says (the sitemap of serve's
        // rebuilds relies on it).
        let job_paths: std::collections::BTreeSet<String> =
            jobs.iter().map(|j| job_path(&site, j)).collect();
        let rendered: std::collections::BTreeSet<String> = expected
            .keys()
            .filter(|p| !machine_paths.contains(p))
            .cloned()
            .collect();
        assert_eq!(job_paths, rendered);
        // render() is the same site in one call.
        let all: BTreeMap<String, Vec<u8>> = renderer
            .render(&site)
            .unwrap()
            .into_iter()
            .map(|p| (p.path, p.bytes))
            .collect();
        assert_eq!(all, expected);
    }

    /// The `turn` macro as it was before turns carried their speaker's name,
    /// role and clock time: it looks them up in `speakers` and calls the
    /// filters, as a site's own copy of macros.html may still do.
    const TURN_HEAD_BY_LOOKUP: &str = r#"<div class="turn turn-{{ kind }}{% if speakers[turn.speaker] %} role-{{ speakers[turn.speaker].role }}{% endif %}" id="{{ turn.id }}">
<p class="turn-head"><span class="speaker">{{ self::speaker_name(id=turn.speaker, speakers=speakers) }}</span>
{%- if turn.start %}
{%- if media %}
<a class="time" href="{{ media.url }}#t={{ turn.start | seconds }}" data-seek="{{ turn.start | seconds }}" title="Play from {{ turn.start }}">{{ turn.start | clock }}</a>
{%- else %}
<span class="time">{{ turn.start | clock }}</span>"#;

    #[test]
    fn turns_read_the_same_from_precomputed_values_as_from_lookups() {
        let theme = THEME_TEMPLATES
            .iter()
            .find(|(n, _)| *n == "macros.html")
            .unwrap()
            .1;
        let start = theme.find("<div class=\"turn turn-").unwrap();
        let end = start + theme[start..].find("\n{%- endif %}\n{%- endif %}").unwrap();
        let old = format!(
            "{}{}{}",
            &theme[..start],
            TURN_HEAD_BY_LOOKUP,
            &theme[end..]
        );
        assert_ne!(old, theme);
        let dir = tempfile::tempdir().unwrap();
        let site = fixture_site(dir.path());
        let ours = Renderer::new(dir.path()).unwrap().render(&site).unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/macros.html"), old).unwrap();
        let theirs = Renderer::new(dir.path()).unwrap().render(&site).unwrap();
        assert_eq!(ours.len(), theirs.len());
        let mut timed = 0;
        for (a, b) in ours.iter().zip(&theirs) {
            assert_eq!(a.path, b.path);
            assert!(a.bytes == b.bytes, "{} differs", a.path);
            timed += String::from_utf8_lossy(&a.bytes)
                .matches("data-seek=")
                .count();
        }
        // The fixture's questions are timed and its transcripts have media.
        assert!(timed > 20, "{timed}");
    }

    #[test]
    fn batches_keep_a_transcripts_pages_together() {
        let jobs = vec![
            Job::Home(1),
            Job::NotFound,
            Job::Overview(0),
            Job::Full(0),
            Job::Section(0, 0),
            Job::Section(0, 1),
            Job::Overview(1),
            Job::Full(1),
            Job::Overview(2),
        ];
        for size in 1..=jobs.len() + 1 {
            let cut = batches(&jobs, size);
            assert_eq!(cut.iter().map(|b| b.len()).sum::<usize>(), jobs.len());
            let mut seen = std::collections::HashSet::new();
            for (n, batch) in cut.iter().enumerate() {
                let ts: std::collections::HashSet<usize> =
                    batch.iter().filter_map(Job::transcript).collect();
                assert!(ts.is_disjoint(&seen), "size {size}: a transcript split");
                seen.extend(ts);
                // Only the last batch may be smaller than asked for.
                assert!(batch.len() >= size || n == cut.len() - 1, "size {size}");
            }
        }
        let sizes = |size| {
            batches(&jobs, size)
                .iter()
                .map(|b| b.len())
                .collect::<Vec<_>>()
        };
        assert_eq!(sizes(1), [1, 1, 4, 2, 1]);
        assert_eq!(sizes(3), [6, 3]);
        assert_eq!(sizes(usize::MAX), [9]);
    }

    #[test]
    fn site_path_of_base_urls() {
        assert_eq!(site_path("https://x.org/a/b/"), "/a/b/");
        assert_eq!(site_path("https://x.org"), "/");
        assert_eq!(site_path("/"), "/");
        assert_eq!(site_path("https://x.org/a\"><b>/"), "/a%22%3E%3Cb%3E/");
    }
}
