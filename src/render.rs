//! Render: the [`Site`] in, pages as bytes out, through Tera templates. The
//! default theme is embedded in the binary; a site's own `templates/` folder
//! overrides any template by name. Nothing here touches the output folder.

use crate::diagnostic::Diagnostic;
use crate::model::{Section, Source, Speaker, Timecode, Transcript};
use crate::site::Site;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use tera::{Context, Tera};

/// A file of the output: its path relative to the output folder (with `/`)
/// and its bytes.
#[derive(Debug, Clone)]
pub struct Page {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The default theme's templates, by the name a site overrides them with.
pub const THEME_TEMPLATES: [(&str, &str); 7] = [
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
];

/// The default theme's assets, written to the output root before the site's
/// own `static/` files (which may replace them).
pub const THEME_ASSETS: [(&str, &str); 2] = [
    ("verbatim.css", include_str!("../static/verbatim.css")),
    ("verbatim.js", include_str!("../static/verbatim.js")),
];

/// The folder of template overrides, relative to the site root.
pub const TEMPLATES_DIR: &str = "templates";

/// Tera loaded with the theme and the site's overrides.
pub struct Renderer {
    tera: Tera,
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
        tera.register_filter("seconds", filter_seconds);
        tera.register_filter("clock", filter_clock);
        tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .map_err(|e| vec![template_error(&e)])?;
        Ok(Renderer { tera })
    }

    /// Renders every page of the site, in parallel.
    pub fn render(&self, site: &Site) -> Result<Vec<Page>, Vec<Diagnostic>> {
        let site_view = SiteView::new(site);
        let jobs = page_jobs(site);
        let results: Vec<Result<Page, Diagnostic>> = jobs
            .par_iter()
            .map(|job| self.render_job(site, &site_view, job))
            .collect();
        let mut pages = Vec::with_capacity(results.len() + THEME_ASSETS.len());
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(p) => pages.push(p),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        pages.extend(THEME_ASSETS.iter().map(|(name, text)| Page {
            path: name.to_string(),
            bytes: text.as_bytes().to_vec(),
        }));
        Ok(pages)
    }

    fn render_job(&self, site: &Site, site_view: &SiteView, job: &Job) -> Result<Page, Diagnostic> {
        let (template, path, url, mut context) = match *job {
            Job::Home => {
                let summaries: Vec<Summary> = site.transcripts.iter().map(Summary::new).collect();
                let mut c = Context::new();
                c.insert("transcripts", &summaries);
                ("index.html", "index.html".to_string(), String::new(), c)
            }
            Job::Overview(t) => {
                let t = &site.transcripts[t];
                let mut c = Context::new();
                c.insert("transcript", &Overview::new(t));
                c.insert("speakers", &speaker_map(t));
                let url = transcript_url(t);
                ("transcript.html", format!("{url}index.html"), url, c)
            }
            Job::Section(t, s) => {
                let t = &site.transcripts[t];
                let links = section_links(t);
                let mut c = Context::new();
                c.insert("transcript", &Overview::new(t));
                c.insert("speakers", &speaker_map(t));
                c.insert("section", &t.sections[s]);
                c.insert("section_index", &(s + 1));
                c.insert("prev", &s.checked_sub(1).map(|p| &links[p]));
                c.insert("next", &links.get(s + 1));
                let url = links[s].url.clone();
                ("section.html", format!("{url}index.html"), url, c)
            }
            Job::Full(t) => {
                let t = &site.transcripts[t];
                let mut c = Context::new();
                c.insert("transcript", &Overview::new(t));
                c.insert("speakers", &speaker_map(t));
                c.insert("sections", &t.sections);
                let url = format!("{}full/", transcript_url(t));
                ("full.html", format!("{url}index.html"), url, c)
            }
            Job::NotFound => (
                "404.html",
                "404.html".to_string(),
                "404.html".to_string(),
                Context::new(),
            ),
        };
        let root = match job {
            // A host serves 404.html at any depth, so its links start from the
            // site's own path instead of being relative.
            Job::NotFound => site_path(&site.config.base_url),
            _ => "../".repeat(url.matches('/').count()),
        };
        context.insert("site", site_view);
        context.insert("home", if root.is_empty() { "./" } else { &root });
        context.insert("root", &root);
        context.insert(
            "page",
            &PageView {
                url: &url,
                kind: template.trim_end_matches(".html"),
                permalink: format!("{}{url}", site.config.base_url),
            },
        );
        let html = self
            .tera
            .render(template, &context)
            .map_err(|e| template_error(&e))?;
        Ok(Page {
            path,
            bytes: html.into_bytes(),
        })
    }
}

/// The path part of the base URL (`https://x.org/a/` -> `/a/`).
fn site_path(base_url: &str) -> String {
    match base_url.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(i) => rest[i..].to_string(),
            None => "/".to_string(),
        },
        None => base_url.to_string(),
    }
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
    Home,
    Overview(usize),
    Section(usize, usize),
    Full(usize),
    NotFound,
}

fn page_jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Home, Job::NotFound];
    for (i, t) in site.transcripts.iter().enumerate() {
        jobs.push(Job::Overview(i));
        jobs.push(Job::Full(i));
        jobs.extend((0..t.sections.len()).map(|s| Job::Section(i, s)));
    }
    jobs
}

/// `slug/`: the transcript's URL relative to the site root.
pub fn transcript_url(t: &Transcript) -> String {
    format!("{}/", t.slug)
}

/// `slug/section/`: a section page's URL relative to the site root.
pub fn section_url(t: &Transcript, s: &Section) -> String {
    format!("{}/{}/", t.slug, s.slug)
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
        }
    }
}

/// A line of Markdown as HTML without the surrounding paragraph.
fn inline_markdown(text: &str) -> String {
    let mut html = String::new();
    let parser = pulldown_cmark::Parser::new(text).map(|e| match e {
        pulldown_cmark::Event::Html(h) | pulldown_cmark::Event::InlineHtml(h) => {
            pulldown_cmark::Event::Text(h)
        }
        pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if crate::ingest::markdown::is_script_url(&dest_url) => {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link {
                link_type,
                dest_url: "#".into(),
                title,
                id,
            })
        }
        e => e,
    });
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
    speakers: &'a [Speaker],
    section_count: usize,
    exchange_count: usize,
    word_count: usize,
}

impl<'a> Summary<'a> {
    fn new(t: &'a Transcript) -> Self {
        Summary {
            slug: &t.slug,
            url: transcript_url(t),
            title: &t.title,
            subtitle: t.subtitle.as_deref(),
            date: t.date.as_deref(),
            date_display: t.date.as_deref().map(human_date),
            description: t.description.as_deref(),
            tags: &t.tags,
            speakers: &t.speakers,
            section_count: t.sections.len(),
            exchange_count: t.sections.iter().map(|s| s.exchanges.len()).sum(),
            word_count: t
                .turns()
                .map(|turn| turn.text.split_whitespace().count())
                .sum(),
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
    fn new(t: &'a Transcript) -> Self {
        Overview {
            summary: Summary::new(t),
            intro: &t.intro,
            language: &t.language,
            source: &t.source,
            has_source: !t.source.is_empty(),
            media: t.media.as_ref(),
            full_url: format!("{}full/", transcript_url(t)),
            sections: section_links(t),
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
}

fn section_links(t: &Transcript) -> Vec<SectionLink> {
    t.sections
        .iter()
        .map(|s| SectionLink {
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
        })
        .collect()
}

fn speaker_map(t: &Transcript) -> HashMap<&str, &Speaker> {
    t.speakers.iter().map(|s| (s.id.as_str(), s)).collect()
}

/// The first `max` characters of `text`, cut at a word, with an ellipsis.
pub fn excerpt(text: &str, max: usize) -> String {
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
    }

    #[test]
    fn site_path_of_base_urls() {
        assert_eq!(site_path("https://x.org/a/b/"), "/a/b/");
        assert_eq!(site_path("https://x.org"), "/");
        assert_eq!(site_path("/"), "/");
    }
}
