//! The default theme's busiest templates compiled to Rust: `transcript.html`,
//! `section.html`, `full.html` and `speaker.html` inside `base.html`, with the
//! macros of `macros.html` they call. They make nine in ten pages of a site,
//! and Tera spends most of its time interpreting the `turn` and `exchange`
//! macros (a fresh value per argument, a path lookup per variable); this code
//! writes the same bytes straight into the page buffer.
//!
//! It is used only while the site overrides neither the page's template nor
//! `base.html` or `macros.html` (see [`super::Renderer`]), and not for the
//! pages of a transcript with a recording: the player, time links and timed
//! index are written by the templates alone, in one place. Otherwise Tera
//! renders the site's templates as always. Keeping the two in step is the job
//! of the test `compiled_theme_matches_the_templates` (and of
//! `tests/compiled_theme.rs`), which renders fixture sites both ways and
//! compares every byte: a change to a template that is not made here too
//! fails it.
//!
//! Escaping is [`crate::escape::esc`], the function Tera is given too, so the
//! output is byte for byte what the templates give.

use super::languages::LanguageLink;
use super::listings::{AppearanceView, Pagination, PersonSummary, TagSummary};
use super::metadata::PageMetadata;
use super::words::{num as locale_num, write as w, write_count as wc, write_fill as wf};
use super::{ExchangeView, Overview, SectionLink, SectionView, SiteView, Summary, TurnView};
use crate::escape::esc;
use crate::model::{Role, Speaker, Timecode};
use std::fmt::Write;

/// What `base.html` needs besides the page's own content.
pub(super) struct Frame<'a> {
    pub site: &'a SiteView<'a>,
    /// `page.lang`, which gives `page.dir`.
    pub lang: &'a str,
    /// The `title` block, unescaped.
    pub title: &'a str,
    /// The `description` the `meta` block leaves.
    pub description: &'a str,
    /// `page.kind`.
    pub kind: &'a str,
    /// `page.permalink`.
    pub permalink: &'a str,
    pub root: &'a str,
    pub home: &'a str,
    pub meta: &'a PageMetadata,
    /// The page in the interview's other languages (the `languages` macro).
    pub languages: &'a [LanguageLink],
}

/// What the `main` block of a compiled page shows.
pub(super) enum Main<'v> {
    /// `transcript.html`, with the transcript's citation.
    Overview(&'v Overview<'v>, super::views::CitationView),
    /// `section.html`.
    Section(SectionPage<'v>),
    /// `full.html`: the transcript and every section, with the
    /// transcript's citation.
    Full(
        &'v Overview<'v>,
        Vec<SectionView<'v>>,
        super::views::CitationView,
    ),
    /// `speaker.html`.
    Speaker(PersonSummary<'v>, Vec<AppearanceView<'v>>),
    /// `index.html`.
    Home(Pagination, Vec<Summary<'v>>),
    /// `tag.html`.
    Tag(TagSummary<'v>, Pagination, Vec<Summary<'v>>),
}

impl Main<'_> {
    /// Writes the `main` block of the page `f` frames.
    pub(super) fn write(&self, out: &mut String, f: &Frame) {
        let (root, home) = (f.root, f.home);
        match self {
            Main::Overview(t, citation) => overview(out, t, citation, f),
            Main::Section(page) => section(out, page, f),
            Main::Full(t, sections, cite) => full(out, t, sections, cite, f),
            Main::Speaker(person, appearances) => speaker(out, person, appearances, root, home),
            Main::Home(pagination, transcripts) => {
                self::home(out, f.site, pagination, transcripts, root)
            }
            Main::Tag(t, pagination, transcripts) => {
                tag(out, t, pagination, transcripts, root, home)
            }
        }
    }
}

/// `base.html` around `main`, the `main` block.
pub(super) fn page(out: &mut String, f: &Frame, main: impl FnOnce(&mut String)) {
    let site = f.site;
    out.push_str("<!doctype html>\n<html lang=\"");
    esc(out, f.lang);
    out.push_str("\" dir=\"");
    // The page's words were set for `f.lang`, with its direction.
    out.push_str(super::words::dir());
    out.push_str(
        "\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n<title>",
    );
    esc(out, f.title);
    out.push_str("</title>\n<meta name=\"description\" content=\"");
    esc(out, f.description);
    out.push_str("\">");
    tag_if_set(out, "\n<link rel=\"canonical\" href=\"", f.permalink);
    for l in f.languages.iter().filter(|l| !l.current) {
        out.push_str("\n<link rel=\"alternate\" hreflang=\"");
        esc(out, &l.lang);
        out.push_str("\" href=\"");
        esc(out, f.root);
        esc(out, &l.url);
        out.push_str("\">");
    }
    out.push_str(
        "\n<link rel=\"icon\" href=\"data:,\">\n\
         <link rel=\"alternate\" type=\"application/atom+xml\" title=\"",
    );
    esc(out, site.title);
    out.push_str("\" href=\"");
    esc(out, f.root);
    out.push_str("atom.xml\">\n<meta property=\"og:type\" content=\"");
    esc(out, f.meta.og_type);
    out.push_str("\">\n<meta property=\"og:title\" content=\"");
    esc(out, &f.meta.title);
    out.push_str("\">\n<meta property=\"og:site_name\" content=\"");
    esc(out, site.title);
    out.push_str("\">");
    tag_if_set(
        out,
        "\n<meta property=\"og:description\" content=\"",
        f.description,
    );
    tag_if_set(out, "\n<meta property=\"og:url\" content=\"", &f.meta.url);
    out.push_str("\n<script type=\"application/ld+json\">");
    out.push_str(&f.meta.json_ld);
    out.push_str("</script>\n<link rel=\"stylesheet\" href=\"");
    esc(out, f.root);
    out.push_str("verbatim.css\">\n<script src=\"");
    esc(out, f.root);
    esc(out, &super::words::script_name(f.lang));
    out.push_str("\" defer></script>\n<script src=\"");
    esc(out, f.root);
    out.push_str("verbatim.js\" defer></script>\n</head>\n<body class=\"kind-");
    esc(out, f.kind);
    out.push_str("\">\n<a class=\"skip-link\" href=\"#main\">");
    w(out, "skip_link");
    out.push_str(
        "</a>\n<header class=\"site-header\">\n  <div class=\"wrap\">\n    <a class=\"site-title\" href=\"",
    );
    esc(out, f.home);
    out.push_str("\">");
    esc(out, site.title);
    out.push_str("</a>");
    if let Some(d) = truthy(site.description) {
        out.push_str("<span class=\"site-tagline\">");
        esc(out, d);
        out.push_str("</span>");
    }
    out.push_str("\n    <nav class=\"site-nav\" aria-label=\"");
    w(out, "nav_label");
    out.push_str("\">\n      <a href=\"");
    esc(out, f.home);
    out.push('"');
    current_if(out, f.kind == "index");
    out.push('>');
    w(out, "transcripts");
    out.push_str("</a>\n      <a href=\"");
    esc(out, f.root);
    out.push_str("speakers/\"");
    current_if(out, f.kind == "speakers");
    out.push('>');
    w(out, "speakers");
    out.push_str("</a>\n      <a href=\"");
    esc(out, f.root);
    out.push_str("tags/\"");
    current_if(out, f.kind == "tags");
    out.push('>');
    w(out, "tags");
    out.push_str("</a>\n    </nav>");
    if site.search && f.kind != "search" {
        out.push_str("\n    <form class=\"site-search\" role=\"search\" action=\"");
        esc(out, f.root);
        out.push_str("search/\">\n      <label class=\"visually-hidden\" for=\"site-search-q\">");
        w(out, "search_label");
        out.push_str(
            "</label>\n      <input id=\"site-search-q\" type=\"search\" name=\"q\" placeholder=\"",
        );
        w(out, "search_placeholder");
        out.push_str("\">\n      <button type=\"submit\">");
        w(out, "search_button");
        out.push_str("</button>\n    </form>");
    }
    out.push_str("\n  </div>\n</header>\n<main id=\"main\" class=\"wrap\">\n");
    main(out);
    out.push_str("\n</main>\n<footer class=\"site-footer\">\n  <div class=\"wrap\">");
    if let Some(footer) = site.footer.as_deref().filter(|f| !f.is_empty()) {
        out.push_str("<p class=\"rights\">");
        out.push_str(footer);
        out.push_str("</p>");
    }
    if !f.permalink.is_empty() {
        out.push_str("<p class=\"print-only\">");
        esc(out, f.permalink);
        out.push_str("</p>");
    }
    out.push_str("\n    <p class=\"made-with\">");
    w(out, "made_with");
    out.push_str("</p>\n  </div>\n</footer>\n</body>\n</html>\n");
}

/// `open`, the escaped value and `">`, when there is a value: a `<head>`
/// tag whose one attribute would otherwise be empty.
fn tag_if_set(out: &mut String, open: &str, value: &str) {
    if !value.is_empty() {
        out.push_str(open);
        esc(out, value);
        out.push_str("\">");
    }
}

fn current_if(out: &mut String, current: bool) {
    if current {
        out.push_str(" aria-current=\"page\"");
    }
}

/// The `main` block of `transcript.html`.
fn overview(out: &mut String, t: &Overview, cite: &super::views::CitationView, f: &Frame) {
    let (root, home) = (f.root, f.home);
    let s = &t.summary;
    out.push_str("\n<nav class=\"breadcrumbs\" aria-label=\"");
    w(out, "breadcrumbs");
    out.push_str("\"><a href=\"");
    esc(out, home);
    out.push_str("\">");
    w(out, "all_transcripts");
    out.push_str(
        "</a></nav>\n<article class=\"overview\">\n  <header>\n    <h1 class=\"page-title\">",
    );
    transcript_header(out, t, f);
    out.push(' ');
    wc(out, "in_sections", s.section_count);
    out.push_str("</p>\n  </header>\n  ");
    if !t.intro.is_empty() {
        out.push_str("\n  <div class=\"intro\">\n");
        out.push_str(t.intro);
        out.push_str("\n  </div>");
    } else if let Some(d) = truthy(s.description) {
        out.push_str("\n  <p class=\"lede\">");
        esc(out, d);
        out.push_str("</p>");
    }
    if !s.speakers.is_empty() {
        out.push_str("\n  <h2>");
        w(out, "speakers");
        out.push_str("</h2>\n  <ul class=\"speaker-list\">");
        for v in &s.speakers {
            speaker_item(out, v.speaker, v.url.as_deref(), root);
        }
        out.push_str("\n</ul>");
    }
    out.push_str("\n  <h2>");
    w(out, "sections_heading");
    out.push_str("</h2>\n  <ol class=\"toc\">");
    for l in &t.sections {
        out.push_str("\n    <li>\n      <a class=\"toc-title\" href=\"");
        esc(out, root);
        esc(out, &l.url);
        out.push_str("\">");
        numbered_title(out, l.number.as_deref(), &l.title);
        out.push_str("</a>");
        if let Some(q) = truthy(l.first_question.as_deref()) {
            out.push_str("<p class=\"first-question\">");
            esc(out, q);
            out.push_str("</p>");
        }
        out.push_str("\n      <p class=\"toc-count\">");
        wc(out, "exchanges", l.exchange_count);
        out.push_str(" · ");
        wc(out, "min_read", l.reading_minutes);
        out.push_str("</p>\n    </li>");
    }
    out.push_str("\n  </ol>\n  <p class=\"read-all\"><a href=\"");
    esc(out, root);
    esc(out, &t.full_url);
    out.push_str("\">");
    w(out, "read_whole");
    out.push_str("</a></p>");
    downloads(out, &t.exports, root);
    citation(out, cite);
    out.push_str("\n  ");
    tag_list(out, s.tags, root);
    out.push_str("\n</article>\n");
}

/// What the `main` block of `section.html` shows.
pub(super) struct SectionPage<'a> {
    pub transcript: &'a Overview<'a>,
    pub section: SectionView<'a>,
    /// 1-based.
    pub index: usize,
    pub prev: Option<&'a SectionLink>,
    pub next: Option<&'a SectionLink>,
    pub citation: super::views::CitationView,
}

fn section(out: &mut String, p: &SectionPage, f: &Frame) {
    let (root, home) = (f.root, f.home);
    let t = p.transcript;
    let section = &p.section;
    breadcrumbs_to_transcript(out, t, root, home);
    out.push_str("\n<article class=\"section-page\">\n  <header>\n    <p class=\"eyebrow\">");
    wf(
        out,
        "section_of",
        Some(p.index),
        &[("total", &locale_num(t.sections.len()))],
    );
    out.push_str(" · <span class=\"reading-time\">");
    wc(out, "min_read", section.reading_minutes);
    out.push_str("</span></p>\n    <h1 class=\"page-title\">");
    esc(out, section.title);
    out.push_str("</h1>\n    ");
    transcript_meta(out, t);
    languages(out, f.languages, root);
    out.push_str("\n  </header>\n  ");
    intro(out, section.intro);
    for e in &section.exchanges {
        out.push_str("\n  ");
        exchange(out, e, root);
    }
    citation(out, &p.citation);
    out.push_str("\n</article>\n<nav class=\"pager\" aria-label=\"");
    w(out, "sections_heading");
    out.push_str("\">");
    match p.prev {
        Some(prev) => {
            out.push_str("<a class=\"prev\" rel=\"prev\" href=\"");
            esc(out, root);
            esc(out, &prev.url);
            out.push_str("\"><span class=\"pager-label\">");
            w(out, "previous");
            out.push_str("</span> ");
            esc(out, &prev.title);
            out.push_str("</a>");
        }
        None => out.push_str("<span></span>"),
    }
    if let Some(next) = p.next {
        out.push_str("<a class=\"next\" rel=\"next\" href=\"");
        esc(out, root);
        esc(out, &next.url);
        out.push_str("\"><span class=\"pager-label\">");
        w(out, "next");
        out.push_str("</span> ");
        esc(out, &next.title);
        out.push_str("</a>");
    }
    out.push_str("\n</nav>\n<nav class=\"all-sections\" aria-label=\"");
    w(out, "all_sections");
    out.push_str("\">\n  <h2><a href=\"");
    esc(out, root);
    esc(out, &t.summary.url);
    out.push_str("\">");
    esc(out, t.summary.title);
    out.push_str("</a></h2>\n  <ol class=\"section-nav\">");
    for l in &t.sections {
        out.push_str("\n  <li");
        current_if(out, l.slug == section.slug);
        out.push_str("><a href=\"");
        esc(out, root);
        esc(out, &l.url);
        out.push_str("\">");
        numbered_title(out, l.number.as_deref(), &l.title);
        out.push_str("</a></li>");
    }
    out.push_str("\n</ol>\n  <p><a href=\"");
    esc(out, root);
    esc(out, &t.full_url);
    out.push_str("\">");
    w(out, "whole_on_one_page");
    out.push_str("</a></p>\n</nav>\n");
}

/// The `main` block of `full.html`.
fn full(
    out: &mut String,
    t: &Overview,
    sections: &[SectionView],
    cite: &super::views::CitationView,
    f: &Frame,
) {
    let (root, home) = (f.root, f.home);
    breadcrumbs_to_transcript(out, t, root, home);
    out.push_str(
        "\n<article class=\"full-transcript\">\n  <header>\n    <h1 class=\"page-title\">",
    );
    transcript_header(out, t, f);
    out.push_str("</p>\n  </header>\n  ");
    intro(out, t.intro);
    out.push_str("\n  <nav aria-label=\"");
    w(out, "sections_heading");
    out.push_str("\">\n  <ol class=\"section-nav\">");
    for l in &t.sections {
        out.push_str("\n    <li><a href=\"#");
        esc(out, &l.slug);
        out.push_str("\">");
        numbered_title(out, l.number.as_deref(), &l.title);
        out.push_str("</a></li>");
    }
    out.push_str("\n  </ol>\n  </nav>");
    for section in sections {
        out.push_str("\n  <section class=\"transcript-section\" id=\"");
        esc(out, section.slug);
        out.push_str("\">\n    <h2>");
        numbered_title(out, section.number, section.title);
        out.push_str("</h2>");
        intro(out, section.intro);
        for e in &section.exchanges {
            out.push_str("\n    ");
            exchange(out, e, root);
        }
        out.push_str("\n  </section>");
    }
    citation(out, cite);
    out.push_str("\n</article>\n");
}

/// The `main` block of `speaker.html`.
fn speaker(
    out: &mut String,
    speaker: &PersonSummary,
    appearances: &[AppearanceView],
    root: &str,
    home: &str,
) {
    out.push_str("\n<nav class=\"breadcrumbs\" aria-label=\"");
    w(out, "breadcrumbs");
    out.push_str("\"><a href=\"");
    esc(out, home);
    out.push_str("\">");
    w(out, "all_transcripts");
    out.push_str("</a> <span aria-hidden=\"true\">›</span> <a href=\"");
    esc(out, root);
    out.push_str("speakers/\">");
    w(out, "speakers");
    out.push_str(
        "</a></nav>\n<article class=\"speaker-page\">\n  <header>\n    <h1 class=\"page-title\">",
    );
    esc(out, speaker.name);
    out.push_str("</h1>");
    subtitle(out, speaker.title);
    out.push_str("\n    <p class=\"transcript-meta\"><span>");
    wc(out, "transcripts_count", speaker.transcript_count);
    out.push_str("</span>");
    if speaker.answer_count > 0 {
        out.push_str("<span>");
        wc(out, "answers", speaker.answer_count);
        out.push_str("</span>");
    }
    out.push_str("</p>");
    if let Some(bio) = truthy(speaker.bio) {
        out.push_str("<p class=\"lede\">");
        esc(out, bio);
        out.push_str("</p>");
    }
    out.push_str("\n  </header>");
    for a in appearances {
        let t = &a.transcript;
        out.push_str("\n  <section class=\"appearance\" aria-labelledby=\"in-");
        esc(out, t.slug);
        out.push_str("\">\n    <h2 id=\"in-");
        esc(out, t.slug);
        out.push_str("\"><a href=\"");
        esc(out, root);
        esc(out, &t.url);
        out.push_str("\">");
        esc(out, t.title);
        out.push_str("</a></h2>\n    <p class=\"transcript-meta\">");
        date(out, t.date, t.date_display.as_deref());
        out.push_str("\n      <span>");
        if a.name != speaker.name {
            wf(out, "as_name", None, &[("name", a.name)]);
            out.push_str(", ");
        }
        w(out, role_key(a.role));
        out.push_str("</span>");
        if !a.answers.is_empty() {
            out.push_str("<span>");
            wc(out, "answers", a.answers.len());
            out.push_str("</span>");
        }
        if a.question_count > 0 {
            out.push_str("<span>");
            wc(out, "questions", a.question_count);
            out.push_str("</span>");
        }
        out.push_str("\n    </p>");
        if !a.answers.is_empty() {
            out.push_str("\n    <ol class=\"answer-list\">");
            for ans in &a.answers {
                out.push_str("\n<li class=\"answer-item\">");
                if let Some(q) = truthy(ans.question.as_deref()) {
                    out.push_str("<p class=\"answer-question\">");
                    esc(out, q);
                    out.push_str("</p>");
                }
                out.push_str("\n<blockquote class=\"answer-excerpt\"><p>");
                esc(out, &ans.excerpt);
                out.push_str("</p></blockquote>\n<p class=\"answer-source\"><a href=\"");
                esc(out, root);
                esc(out, &ans.url);
                out.push_str("\">");
                w(out, "read_answer");
                out.push_str("</a> ");
                w(out, "answer_in");
                out.push_str(" <a href=\"");
                esc(out, root);
                esc(out, &ans.section_url);
                out.push_str("\">");
                esc(out, ans.section_title);
                out.push_str("</a>");
                if let Some(start) = truthy(ans.start.as_deref()) {
                    // The `clock` filter: the time code without its milliseconds.
                    out.push_str(" <span class=\"time\">");
                    match Timecode::parse(start) {
                        Some(tc) => esc(out, &tc.clock()),
                        None => esc(out, start),
                    }
                    out.push_str("</span>");
                }
                out.push_str("</p></li>");
            }
            out.push_str("\n    </ol>");
        }
        out.push_str("\n  </section>");
    }
    out.push_str("\n</article>\n");
}

/// The `main` block of `index.html`: a page of the home listing.
fn home(
    out: &mut String,
    site: &SiteView,
    pagination: &Pagination,
    transcripts: &[Summary],
    root: &str,
) {
    out.push_str("\n<h1 class=\"page-title\">");
    esc(out, site.title);
    out.push_str("</h1>");
    if let Some(d) = truthy(site.description) {
        out.push_str("<p class=\"lede\">");
        esc(out, d);
        out.push_str("</p>");
    }
    if pagination.total > 1 {
        out.push_str("<p class=\"eyebrow\">");
        wf(
            out,
            "transcripts_range",
            None,
            &[
                ("first", &locale_num(pagination.first_item)),
                ("last", &locale_num(pagination.last_item)),
                ("total", &locale_num(pagination.item_count)),
            ],
        );
        out.push_str("</p>");
    }
    if transcripts.is_empty() {
        out.push_str("\n<p>");
        w(out, "no_transcripts");
        out.push_str("</p>");
    }
    cards(out, transcripts, root);
    pager(out, pagination, root, "pages_of_transcripts");
    out.push('\n');
}

/// The `main` block of `tag.html`: a page of a tag's listing.
fn tag(
    out: &mut String,
    tag: &TagSummary,
    pagination: &Pagination,
    transcripts: &[Summary],
    root: &str,
    home: &str,
) {
    out.push_str("\n<nav class=\"breadcrumbs\" aria-label=\"");
    w(out, "breadcrumbs");
    out.push_str("\"><a href=\"");
    esc(out, home);
    out.push_str("\">");
    w(out, "all_transcripts");
    out.push_str("</a> <span aria-hidden=\"true\">›</span> <a href=\"");
    esc(out, root);
    out.push_str("tags/\">");
    w(out, "tags");
    out.push_str("</a></nav>\n<h1 class=\"page-title\">");
    wf(out, "tagged", None, &[("tag", tag.name)]);
    out.push_str("</h1>\n<p class=\"lede\">");
    wc(out, "transcripts_count", tag.transcript_count);
    if pagination.total > 1 {
        out.push_str(", ");
        wf(
            out,
            "on_this_page",
            None,
            &[
                ("first", &locale_num(pagination.first_item)),
                ("last", &locale_num(pagination.last_item)),
            ],
        );
    }
    out.push_str(".</p>");
    cards(out, transcripts, root);
    pager(out, pagination, root, "pages_of_tag");
    out.push('\n');
}

/// The list of `transcript_card`s of a listing.
fn cards(out: &mut String, transcripts: &[Summary], root: &str) {
    out.push_str("\n<ol class=\"transcript-list\">");
    for t in transcripts {
        out.push_str("\n  ");
        card(out, t, root);
    }
    out.push_str("\n</ol>\n");
}

/// The `transcript_card` macro.
fn card(out: &mut String, t: &Summary, root: &str) {
    out.push_str("<li class=\"transcript-card\"");
    if let Some(lang) = t.lang {
        out.push_str(" lang=\"");
        esc(out, lang);
        out.push_str("\" dir=\"");
        out.push_str(t.dir);
        out.push('"');
    }
    out.push_str(">\n  <h2><a href=\"");
    esc(out, root);
    esc(out, &t.url);
    out.push_str("\">");
    esc(out, t.title);
    out.push_str("</a></h2>");
    subtitle(out, t.subtitle);
    out.push_str("\n  <p class=\"transcript-meta\">");
    date(out, t.date, t.date_display.as_deref());
    out.push_str("<span>");
    wc(out, "sections", t.section_count);
    out.push_str("</span><span class=\"reading-time\">");
    wc(out, "min_read", t.reading_minutes);
    out.push_str("</span>");
    let mut voices = t
        .speakers
        .iter()
        .filter(|s| s.speaker.role == Role::Interviewee)
        .peekable();
    if voices.peek().is_some() {
        out.push_str("<span>");
        while let Some(v) = voices.next() {
            match truthy(v.url.as_deref()) {
                Some(url) => {
                    out.push_str("<a href=\"");
                    esc(out, root);
                    esc(out, url);
                    out.push_str("\">");
                    esc(out, &v.speaker.name);
                    out.push_str("</a>");
                }
                None => esc(out, &v.speaker.name),
            }
            if voices.peek().is_some() {
                out.push_str(", ");
            }
        }
        out.push_str("</span>");
    }
    out.push_str("\n  </p>");
    if let Some(d) = truthy(t.description) {
        out.push_str("<p class=\"description\">");
        esc(out, d);
        out.push_str("</p>");
    }
    out.push_str("\n  ");
    tag_list(out, t.tags, root);
    out.push_str("\n</li>");
}

/// The `pagination` macro: first, last, and two pages either side of the
/// current one.
fn pager(out: &mut String, p: &Pagination, root: &str, label: &str) {
    if p.total <= 1 {
        return;
    }
    // `{{ root }}{{ url }}`, or `./` when both are empty (the home page).
    let link = |out: &mut String, url: &str| {
        if root.is_empty() && url.is_empty() {
            out.push_str("./");
        } else {
            esc(out, root);
            esc(out, url);
        }
    };
    out.push_str("\n<nav class=\"pagination\" aria-label=\"");
    w(out, label);
    out.push_str("\">");
    if let Some(prev) = &p.prev_url {
        out.push_str("<a class=\"pagination-step\" rel=\"prev\" href=\"");
        link(out, prev);
        out.push_str("\">");
        w(out, "newer");
        out.push_str("</a>");
    }
    out.push_str("\n  <ol>");
    let current = p.current as i64;
    for pg in &p.pages {
        let n = pg.number as i64;
        if n == 1 || pg.number == p.total || (n >= current - 2 && n <= current + 2) {
            out.push_str("\n    <li><a href=\"");
            link(out, &pg.url);
            out.push('"');
            current_if(out, pg.number == p.current);
            out.push_str("><span class=\"visually-hidden\">");
            w(out, "page");
            out.push_str(" </span>");
            num(out, pg.number);
            out.push_str("</a></li>");
        } else if n == current - 3 || n == current + 3 {
            out.push_str("\n    <li class=\"gap\" aria-hidden=\"true\">…</li>");
        }
    }
    out.push_str("\n  </ol>");
    if let Some(next) = truthy(p.next_url.as_deref()) {
        out.push_str("<a class=\"pagination-step\" rel=\"next\" href=\"");
        esc(out, root);
        esc(out, next);
        out.push_str("\">");
        w(out, "older");
        out.push_str("</a>");
    }
    out.push_str("\n</nav>");
}

/// The title of the overview and the full page, from inside `<h1>` to the
/// word count, with the metadata line between.
fn transcript_header(out: &mut String, t: &Overview, f: &Frame) {
    let s = &t.summary;
    esc(out, s.title);
    out.push_str("</h1>");
    subtitle(out, s.subtitle);
    out.push_str("\n    ");
    transcript_meta(out, t);
    languages(out, f.languages, f.root);
    out.push_str("\n    <p class=\"reading-time\">");
    wc(out, "min_read", s.reading_minutes);
    out.push_str(" · ");
    wc(out, "words", s.word_count);
}

/// The breadcrumbs of the section and full pages.
fn breadcrumbs_to_transcript(out: &mut String, t: &Overview, root: &str, home: &str) {
    out.push_str("\n<nav class=\"breadcrumbs\" aria-label=\"");
    w(out, "breadcrumbs");
    out.push_str("\"><a href=\"");
    esc(out, home);
    out.push_str("\">");
    w(out, "all_transcripts");
    out.push_str("</a> <span aria-hidden=\"true\">›</span> <a href=\"");
    esc(out, root);
    esc(out, &t.summary.url);
    out.push_str("\">");
    esc(out, t.summary.title);
    out.push_str("</a></nav>");
}

fn subtitle(out: &mut String, subtitle: Option<&str>) {
    if let Some(s) = truthy(subtitle) {
        out.push_str("<p class=\"subtitle\">");
        esc(out, s);
        out.push_str("</p>");
    }
}

fn intro(out: &mut String, intro: &str) {
    if !intro.is_empty() {
        out.push_str("<div class=\"intro\">");
        out.push_str(intro);
        out.push_str("</div>");
    }
}

/// `<span class="num">01</span> Title`, or the title alone.
fn numbered_title(out: &mut String, number: Option<&str>, title: &str) {
    if let Some(n) = truthy(number) {
        out.push_str("<span class=\"num\">");
        esc(out, n);
        out.push_str("</span> ");
    }
    esc(out, title);
}

fn date(out: &mut String, date: Option<&str>, display: Option<&str>) {
    if let Some(d) = truthy(date) {
        out.push_str("<time datetime=\"");
        esc(out, d);
        out.push_str("\">");
        esc(out, display.unwrap_or(""));
        out.push_str("</time>");
    }
}

/// The `transcript_meta` macro.
fn transcript_meta(out: &mut String, t: &Overview) {
    let source = t.source;
    out.push_str("<p class=\"transcript-meta\">");
    date(out, t.summary.date, t.summary.date_display.as_deref());
    for part in [&source.event, &source.location] {
        if let Some(p) = truthy(part.as_deref()) {
            out.push_str("<span>");
            esc(out, p);
            out.push_str("</span>");
        }
    }
    let author = truthy(source.author.as_deref());
    if let Some(publisher) = truthy(source.publisher.as_deref()) {
        out.push_str("<span>");
        match truthy(source.url.as_deref()) {
            Some(url) => {
                out.push_str("<a href=\"");
                esc(out, url);
                out.push_str("\">");
                esc(out, publisher);
                out.push_str("</a>");
            }
            None => esc(out, publisher),
        }
        if let Some(a) = author {
            out.push_str(", ");
            wf(out, "by_author", None, &[("name", a)]);
        }
        out.push_str("</span>");
    } else if let Some(a) = author {
        out.push_str("<span>");
        wf(out, "by_author", None, &[("name", a)]);
        out.push_str("</span>");
    }
    if !t.translators.is_empty() {
        out.push_str("<span class=\"translators\">");
        wf(
            out,
            "translated_by",
            None,
            &[("names", &t.translators.join(", "))],
        );
        out.push_str("</span>");
    }
    out.push_str("\n</p>");
}

/// The `languages` macro: the switch between the interview's languages.
fn languages(out: &mut String, links: &[LanguageLink], root: &str) {
    if links.is_empty() {
        return;
    }
    out.push_str("\n<nav class=\"languages\" aria-label=\"");
    w(out, "languages");
    out.push_str("\">\n<ul class=\"language-list\">");
    for l in links {
        out.push_str("\n<li>");
        if l.current {
            out.push_str("<span aria-current=\"true\" lang=\"");
            esc(out, &l.lang);
            out.push_str("\" dir=\"");
            out.push_str(l.dir);
            out.push_str("\">");
            esc(out, &l.name);
            out.push_str("</span>");
        } else {
            out.push_str("<a href=\"");
            esc(out, root);
            esc(out, &l.url);
            out.push_str("\" hreflang=\"");
            esc(out, &l.lang);
            out.push_str("\" lang=\"");
            esc(out, &l.lang);
            out.push_str("\" dir=\"");
            out.push_str(l.dir);
            out.push('"');
            if !l.turns.is_empty() {
                out.push_str(" data-turns=\"");
                esc(out, &l.turns);
                out.push('"');
            }
            out.push('>');
            esc(out, &l.name);
            out.push_str("</a>");
        }
        out.push_str("</li>");
    }
    out.push_str("\n</ul>");
    for l in links.iter().filter(|l| !l.side_by_side.is_empty()) {
        out.push_str("\n<a class=\"side-by-side\" href=\"");
        esc(out, root);
        esc(out, &l.side_by_side);
        out.push_str("\">");
        wf(out, "side_by_side", None, &[("name", &l.name)]);
        out.push_str("</a>");
    }
    out.push_str("\n</nav>");
}

/// The `citation` macro (its texts are HTML already).
fn citation(out: &mut String, c: &super::views::CitationView) {
    out.push_str("\n<section class=\"cite\" id=\"cite\" aria-labelledby=\"cite-title\"");
    if let Some(part) = &c.part {
        out.push_str(" data-url=\"");
        esc(out, &part.url);
        out.push_str("\" data-key=\"");
        esc(out, &part.key);
        out.push('"');
        if let Some(time) = &part.time {
            out.push_str(" data-time=\"");
            esc(out, time);
            out.push('"');
        }
    }
    out.push_str("><h2 id=\"cite-title\">");
    w(
        out,
        if c.part.is_some() {
            "cite_section"
        } else {
            "cite_interview"
        },
    );
    out.push_str("</h2>\n<dl class=\"cite-styles\" lang=\"en\" dir=\"ltr\">");
    for (style, text) in [("Chicago", &c.chicago), ("APA", &c.apa), ("MLA", &c.mla)] {
        out.push_str("<dt>");
        out.push_str(style);
        out.push_str("</dt><dd>");
        out.push_str(text);
        out.push_str("</dd>");
    }
    out.push_str("</dl>\n<details class=\"cite-formats\" dir=\"ltr\"><summary>CSL-JSON, BibTeX, RIS</summary>");
    for (name, class, text) in [
        ("CSL-JSON", "cite-csl", &c.csl),
        ("BibTeX", "cite-bibtex", &c.bibtex),
        ("RIS", "cite-ris", &c.ris),
    ] {
        out.push_str("<h3>");
        out.push_str(name);
        out.push_str("</h3><pre class=\"");
        out.push_str(class);
        out.push_str("\">");
        out.push_str(text);
        out.push_str("</pre>");
    }
    out.push_str("</details>\n</section>");
}

/// The `downloads` macro: the transcript in standard formats.
fn downloads(out: &mut String, exports: &[super::views::ExportLink], root: &str) {
    if exports.is_empty() {
        return;
    }
    out.push_str("\n<nav class=\"downloads\" aria-label=\"");
    w(out, "download_label");
    out.push_str("\"><h2>");
    w(out, "download");
    out.push_str("</h2><ul>");
    for e in exports {
        out.push_str("<li><a href=\"");
        esc(out, root);
        esc(out, &e.url);
        out.push_str("\" type=\"");
        out.push_str(e.media_type);
        out.push_str("\" download>");
        out.push_str(e.label);
        out.push_str("</a></li>");
    }
    out.push_str("</ul></nav>");
}

/// One `<li>` of the `speaker_list` macro.
fn speaker_item(out: &mut String, s: &Speaker, url: Option<&str>, root: &str) {
    out.push_str("\n  <li class=\"role-");
    out.push_str(role(s.role));
    out.push_str("\"><span class=\"speaker\">");
    match truthy(url) {
        Some(url) => {
            out.push_str("<a href=\"");
            esc(out, root);
            esc(out, url);
            out.push_str("\">");
            esc(out, &s.name);
            out.push_str("</a>");
        }
        None => esc(out, &s.name),
    }
    out.push_str("</span>");
    if let Some(title) = truthy(s.title.as_deref()) {
        out.push_str(", <span class=\"speaker-title\">");
        esc(out, title);
        out.push_str("</span>");
    }
    out.push_str(" <span class=\"role\">");
    w(out, role_key(s.role));
    out.push_str("</span>");
    if let Some(bio) = truthy(s.bio.as_deref()) {
        out.push_str("<p class=\"bio\">");
        esc(out, bio);
        out.push_str("</p>");
    }
    out.push_str("</li>");
}

/// The `tag_list` macro.
fn tag_list(out: &mut String, tags: &[String], root: &str) {
    if !tags.is_empty() {
        out.push_str("<ul class=\"tags\" aria-label=\"");
        w(out, "tags");
        out.push_str("\">");
        tag_items(out, tags, root);
        out.push_str("</ul>");
    }
}

fn tag_items(out: &mut String, tags: &[String], root: &str) {
    for tag in tags {
        out.push_str("<li><a class=\"tag\" href=\"");
        esc(out, root);
        esc(
            out,
            &super::listings::tag_url(&crate::site::tags::tag_slug(tag)),
        );
        out.push_str("\">");
        esc(out, tag);
        out.push_str("</a></li>");
    }
}

/// The `exchange` macro.
fn exchange(out: &mut String, e: &ExchangeView, root: &str) {
    out.push_str("<section class=\"exchange\" id=\"");
    out.push_str(&e.id.text());
    out.push_str("\">");
    if let Some(q) = &e.question {
        out.push('\n');
        turn(out, q, "question", root);
    }
    for a in &e.answers {
        out.push('\n');
        turn(out, a, "answer", root);
    }
    out.push_str("\n</section>");
}

/// The `turn` macro.
fn turn(out: &mut String, t: &TurnView, kind: &str, root: &str) {
    out.push_str("<div class=\"turn turn-");
    out.push_str(kind);
    if let Some(r) = t.role {
        out.push_str(" role-");
        out.push_str(role(r));
    }
    out.push_str("\" id=\"");
    out.push_str(&t.id.text());
    out.push_str("\">\n<p class=\"turn-head\"><span class=\"speaker\">");
    esc(out, t.speaker_name);
    out.push_str("</span>");
    // Pages of a transcript with a recording are Tera's (see the module
    // comment), so a time here is never a link to play from.
    if let Some(clock) = &t.clock {
        out.push_str("\n<span class=\"time\">");
        esc(out, clock);
        out.push_str("</span>");
    }
    out.push_str("\n<a class=\"self-link\" href=\"#");
    out.push_str(&t.id.text());
    out.push_str("\" aria-label=\"");
    w(
        out,
        if kind == "question" {
            "link_to_question"
        } else {
            "link_to_answer"
        },
    );
    out.push_str("\">#</a></p>\n<div class=\"turn-body\">");
    t.paragraphs.push_html(out);
    out.push_str("</div>");
    if !t.tags.is_empty() {
        out.push_str("\n<ul class=\"tags turn-tags\" aria-label=\"");
        w(
            out,
            if kind == "question" {
                "tags_of_question"
            } else {
                "tags_of_answer"
            },
        );
        out.push_str("\">");
        tag_items(out, t.tags, root);
        out.push_str("</ul>");
    }
    out.push_str("\n</div>");
}

/// The word for a role (`role_interviewer`), as the templates ask for it.
fn role_key(r: Role) -> &'static str {
    match r {
        Role::Interviewer => "role_interviewer",
        Role::Interviewee => "role_interviewee",
        Role::Other => "role_other",
    }
}

fn role(r: Role) -> &'static str {
    match r {
        Role::Interviewer => "interviewer",
        Role::Interviewee => "interviewee",
        Role::Other => "other",
    }
}

fn num(out: &mut String, n: usize) {
    let _ = write!(out, "{n}");
}

/// A value as Tera's `{% if %}` sees it: absent and empty strings are false.
fn truthy(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}
