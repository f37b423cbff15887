//! Render: the [`Site`] in, pages as bytes out, through Tera templates. The
//! default theme is embedded in the binary; a site's own `templates/` folder
//! overrides any template by name. Nothing here touches the output folder.

use crate::diagnostic::Diagnostic;
use crate::links::LinkIndex;
use crate::model::{Anchor, Source, Speaker, Timecode, Transcript};
use crate::site::urls::{parallel_url, section_url, transcript_url};
use crate::site::Site;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use tera::{Context, Tera};

mod filters;
mod jobs;
mod languages;
pub mod listings;
mod machine;
mod metadata;
mod theme;
mod views;
/// The theme's words and the locale's ways (`src/words.rs`, `src/locale.rs`)
/// live below ingest, which writes placeholders in a transcript's language.
pub use crate::{locale, words};

use filters::{filter_clock, filter_seconds, filter_tag_url};
use jobs::*;
use machine::*;
use views::*;

use crate::page::Page;

/// The default theme's templates, by the name a site overrides them with.
pub const THEME_TEMPLATES: [(&str, &str); 14] = [
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("index.html", include_str!("../templates/index.html")),
    (
        "transcript.html",
        include_str!("../templates/transcript.html"),
    ),
    ("section.html", include_str!("../templates/section.html")),
    ("full.html", include_str!("../templates/full.html")),
    ("parallel.html", include_str!("../templates/parallel.html")),
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

/// A theme asset as a build writes it: the scripts without their comments
/// and indentation (`verbatim.js` and `verbatim-search.js` 55 KB as
/// written, 34 KB so, which a search pays on a host that does not
/// compress), the style sheet as written. `None` for a name that is not one of
/// [`THEME_ASSETS`]. A site's own `static/` files are copied as they are.
pub fn theme_asset(name: &str) -> Option<Vec<u8>> {
    let (_, text) = THEME_ASSETS.iter().find(|(n, _)| *n == name)?;
    Some(if name.ends_with(".js") {
        minifier::js::minify(text).to_string().into_bytes()
    } else {
        text.as_bytes().to_vec()
    })
}

/// The folder of template overrides, relative to the site root.
pub const TEMPLATES_DIR: &str = "templates";

/// Tera loaded with the theme and the site's overrides.
pub struct Renderer {
    tera: Tera,
    /// The theme's words in every language, with the site's over them.
    words: Arc<words::Words>,
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
        let words = Arc::new(words::Words::load(root)?);
        let mut tera = Tera::default();
        tera.register_function("tr", tr_function);
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::escape::escape_html);
        tera.register_filter("seconds", filter_seconds);
        tera.register_filter("clock", filter_clock);
        tera.register_filter("tag_url", filter_tag_url);
        tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .map_err(|e| vec![template_error(&e)])?;
        Ok(Renderer {
            tera,
            words,
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
                .map(|s| listings::answers_of(t, &s.id).count())
                .collect()
        };
        let same_answers = old.is_some_and(|o| answer_counts(o) == answer_counts(t));
        let jobs: Vec<Job> = page_jobs(site)
            .into_iter()
            .filter(|job| match *job {
                Job::Overview(x)
                | Job::Full(x)
                | Job::Section(x, _)
                | Job::Parallel(x, _)
                | Job::Api(x)
                | Job::Export(x, _) => x == i || site.translations.of(i).contains(&x),
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
        pages.extend(self.assets(site));
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
        for page in rest.iter().chain(&self.assets(site)) {
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
        sink(self.assets(site))
    }

    /// The theme's assets and the script's words in each language of the
    /// site's pages.
    fn assets(&self, site: &Site) -> Vec<Page> {
        let mut languages = vec![site.config.language.as_str()];
        languages.extend(site.transcripts.iter().map(|t| t.language.as_str()));
        let mut pages = theme_asset_pages();
        pages.extend(self.words.scripts(&languages));
        pages
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
        if let Job::Export(i, export) = *job {
            return PAGE.with_borrow_mut(|text| {
                text.clear();
                export.write(&site.transcripts[i], text);
                emit(&job_path(site, job), text.as_bytes())
            });
        }
        let views = |t: usize| shared[t].get_or_init(|| SharedViews::new(site, t));
        self.words.set_page(page_language(site, job));
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
            Job::Home(page) => listings::home(site, page),
            Job::Speakers => listings::speakers(site),
            Job::Speaker(p) => listings::speaker(site, p),
            Job::Tags => listings::tags(site),
            Job::Tag(tag, page) => listings::tag(site, tag, page),
            Job::Feed => ("atom.xml".to_string(), listings::feed(site)),
            Job::Overview(i) => {
                let mut c = views(i).context(site, i);
                c.insert("citation", &CitationView::of(site, &site.transcripts[i]));
                (transcript_url(&site.transcripts[i]), c)
            }
            Job::Section(i, s) => {
                let toc = &views(i).overview.sections;
                let mut c = views(i).context(site, i);
                c.insert("section", &SectionView::new(site, i, s));
                c.insert("section_index", &(s + 1));
                c.insert("prev", &s.checked_sub(1).map(|p| &toc[p]));
                c.insert("next", &toc.get(s + 1));
                c.insert(
                    "citation",
                    &CitationView::of_section(site, &site.transcripts[i], s),
                );
                (toc[s].url.clone(), c)
            }
            Job::Full(i) => {
                let mut c = views(i).context(site, i);
                let sections = SectionView::all(site, i);
                c.insert("sections", &sections);
                c.insert("citation", &CitationView::of(site, &site.transcripts[i]));
                (format!("{}full/", transcript_url(&site.transcripts[i])), c)
            }
            Job::Parallel(i, o) => {
                let mut c = views(i).context(site, i);
                c.insert(
                    "beside",
                    &languages::ParallelView::new(site, &self.words, i, o),
                );
                let t = &site.transcripts[i];
                (parallel_url(t, &site.transcripts[o]), c)
            }
            Job::Search => ("search/".to_string(), Context::new()),
            Job::Api(_) | Job::Export(..) => unreachable!("made above"),
            Job::NotFound => ("404.html".to_string(), Context::new()),
        };
        let root = page_root(site, job, &url);
        context.insert(
            "languages",
            &languages::language_links(site, &self.words, job),
        );
        context.insert("site", site_view);
        context.insert("meta", &metadata::PageMetadata::new(site, job, &url));
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
                lang: page_language(site, job),
                dir: words::dir(),
                words: words::script_name(page_language(site, job)),
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
        // A recording's player and time links are the templates' alone.
        let recorded = job
            .transcript()
            .is_some_and(|i| !site.transcripts[i].media.is_empty());
        if !compiled || recorded || !self.compiles(template) {
            return None;
        }
        // What the page's blocks give base.html: its URL, language, title
        // and description, and what its `main` block shows.
        let site_title = site_view.title;
        let site_description = site_view.description.unwrap_or("");
        let (url, title, description, main) = match *job {
            Job::Overview(i) => {
                let o = &views(i).overview;
                (
                    o.summary.url.clone(),
                    [o.summary.title, " · ", site_title].concat(),
                    transcript_description(o),
                    theme::Main::Overview(o, CitationView::of(site, &site.transcripts[i])),
                )
            }
            Job::Section(i, s) => {
                let o = &views(i).overview;
                let toc = &o.sections;
                (
                    toc[s].url.clone(),
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
                        citation: CitationView::of_section(site, &site.transcripts[i], s),
                    }),
                )
            }
            Job::Full(i) => {
                let o = &views(i).overview;
                (
                    o.full_url.clone(),
                    [
                        &words::fill("full_title", None, &[("title", o.summary.title)]),
                        " · ",
                        site_title,
                    ]
                    .concat(),
                    transcript_description(o),
                    theme::Main::Full(
                        o,
                        SectionView::all(site, i),
                        CitationView::of(site, &site.transcripts[i]),
                    ),
                )
            }
            Job::Speaker(p) => {
                let (url, speaker, appearances) = listings::speaker_views(site, p);
                let description = match speaker.bio.filter(|b| !b.is_empty()) {
                    Some(bio) => Cow::Borrowed(bio),
                    None => Cow::Owned(words::fill(
                        "speaker_description",
                        None,
                        &[("name", speaker.name), ("site", site_title)],
                    )),
                };
                (
                    url,
                    format!(
                        "{} · {} · {site_title}",
                        speaker.name,
                        words::tr("speakers")
                    ),
                    Some(description),
                    theme::Main::Speaker(speaker, appearances),
                )
            }
            Job::Home(page) => {
                let (url, pagination, transcripts) = listings::home_views(site, page);
                let title = match pagination.current {
                    1 => site_title.to_string(),
                    n => format!(
                        "{site_title} · {}",
                        words::fill(
                            "page_of",
                            Some(n),
                            &[("total", &words::num(pagination.total))]
                        )
                    ),
                };
                (url, title, None, theme::Main::Home(pagination, transcripts))
            }
            Job::Tag(tag, page) => {
                let (url, tag, pagination, transcripts) = listings::tag_views(site, tag, page);
                let tagged = words::fill("tagged", None, &[("tag", tag.name)]);
                let title = match pagination.current {
                    1 => format!("{tagged} · {site_title}"),
                    n => format!("{tagged} · {} · {site_title}", words::count("page_n", n)),
                };
                let description = words::fill(
                    "tag_description",
                    None,
                    &[("tag", tag.name), ("site", site_title)],
                );
                (
                    url,
                    title,
                    Some(Cow::Owned(description)),
                    theme::Main::Tag(tag, pagination, transcripts),
                )
            }
            _ => unreachable!("the jobs matched above"),
        };
        let root = page_root(site, job, &url);
        let meta = metadata::PageMetadata::new(site, job, &url);
        let permalink = [site.config.base_url.as_str(), &url].concat();
        let languages = languages::language_links(site, &self.words, job);
        let frame = theme::Frame {
            site: site_view,
            lang: page_language(site, job),
            title: &title,
            description: description.as_deref().unwrap_or(site_description),
            kind: template.trim_end_matches(".html"),
            permalink: &permalink,
            root: &root,
            home: if root.is_empty() { "./" } else { &root },
            meta: &meta,
            languages: &languages,
        };
        theme::page(out, &frame, |out| main.write(out, &frame));
        Some(root)
    }
}

/// Tera's `tr(key="…")`: the page's word (see [`words`]). `n=3` picks the
/// plural form and fills `{n}`; any other argument fills its `{name}`
/// (`tr(key="section_of", n=2, total=5)`), numbers in the page language's
/// digits.
fn tr_function(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let key = args
        .get("key")
        .and_then(tera::Value::as_str)
        .ok_or("tr needs key=\"...\", a word of the theme's i18n/en.toml")?;
    let n = match args.get("n") {
        Some(n) => Some(
            n.as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or("tr's n must be a whole number")?,
        ),
        None => None,
    };
    let vars: Vec<(&str, String)> = args
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "key" | "n"))
        .map(|(k, v)| {
            let text = match v {
                tera::Value::String(s) => s.clone(),
                tera::Value::Number(n) => match n.as_u64().and_then(|n| usize::try_from(n).ok()) {
                    Some(n) => words::num(n),
                    None => n.to_string(),
                },
                other => other.to_string(),
            };
            (k.as_str(), text)
        })
        .collect();
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Ok(tera::Value::String(words::fill(key, n, &vars)))
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

/// A rendered page as a [`Page`] of its own (a copy of the render buffer).
fn to_page(path: &str, bytes: &[u8]) -> Result<Page, Diagnostic> {
    Ok(Page {
        path: path.to_string(),
        bytes: bytes.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_like_dates() {
        assert_eq!(human_date("2026-06-22", "en-GB"), "22 June 2026");
        assert_eq!(human_date("2026-13-01", "en"), "2026-13-01");
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
        let (Some(i), false) = (
            job.transcript(),
            matches!(job, Job::Api(_) | Job::Export(..)),
        ) else {
            return page;
        };
        let t = &site.transcripts[i];
        let mut c = Context::new();
        c.insert("transcript", &Overview::new(site, i));
        c.insert("speakers", &speaker_map(t));
        let (template, url) = match *job {
            Job::Overview(_) => {
                c.insert("citation", &CitationView::of(site, t));
                ("transcript.html", transcript_url(t))
            }
            Job::Section(_, s) => {
                let toc = section_links(site, i);
                c.insert("section", &SectionView::new(site, i, s));
                c.insert("section_index", &(s + 1));
                c.insert("prev", &s.checked_sub(1).map(|p| &toc[p]));
                c.insert("next", &toc.get(s + 1));
                c.insert("citation", &CitationView::of_section(site, t, s));
                ("section.html", section_url(t, &t.sections[s]))
            }
            Job::Full(_) => {
                let sections = SectionView::all(site, i);
                c.insert("sections", &sections);
                c.insert("citation", &CitationView::of(site, t));
                ("full.html", format!("{}full/", transcript_url(t)))
            }
            _ => unreachable!(),
        };
        let root = "../".repeat(url.matches('/').count());
        c.insert("languages", &languages::language_links(site, &r.words, job));
        c.insert("site", &SiteView::new(site));
        c.insert("meta", &metadata::PageMetadata::new(site, job, &url));
        c.insert("home", &root);
        c.insert("root", &root);
        c.insert(
            "page",
            &PageView {
                url: &url,
                kind: template.trim_end_matches(".html"),
                permalink: format!("{}{url}", site.config.base_url),
                lang: page_language(site, job),
                dir: words::dir(),
                words: words::script_name(page_language(site, job)),
            },
        );
        r.words.set_page(page_language(site, job));
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
        // JSON) + 21 sections, and 9 * 5 exports (the turns are timed).
        let transcript_pages = jobs.iter().filter(|j| j.transcript().is_some()).count();
        assert_eq!(transcript_pages, 48 + 45);
        let machine = machine_files(&site).unwrap();
        let mut machine_paths: Vec<String> = machine.iter().map(|p| p.path.clone()).collect();
        machine_paths.extend(renderer.assets(&site).into_iter().map(|p| p.path));
        assert!(machine.iter().any(|p| p.path == "sitemap.xml"));
        expected.extend(machine.into_iter().map(|p| (p.path, p.bytes)));
        expected.extend(
            renderer
                .assets(&site)
                .into_iter()
                .map(|p| (p.path, p.bytes)),
        );
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
    const TURN_HEAD_BY_LOOKUP: &str = r#"<div class="turn turn-{{ kind }}{% if speakers[turn.speaker] %} role-{{ speakers[turn.speaker].role }}{% endif %}" id="{{ turn.id }}"{% if turn.span %} data-span="{{ turn.span }}"{% endif %}>
<p class="turn-head"><span class="speaker">{{ self::speaker_name(id=turn.speaker, speakers=speakers) }}</span>
{%- if turn.start %}
{%- if turn.play %}
{{ self::play_link(file=media[turn.play.file], play=turn.play, seconds=turn.start | seconds, text=turn.start | clock, root=root) }}
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
