//! The pages a site has, as jobs: which pages there are (`page_jobs`),
//! where each goes (`job_path`), which page files it shares a folder with
//! (`page_root`), and how they are cut into batches that keep a
//! transcript's pages together.

use super::*;

/// One page to render.
pub(super) enum Job {
    /// A page of the home listing, 1-based.
    Home(usize),
    Overview(usize),
    Section(usize, usize),
    Full(usize),
    /// A transcript beside another language of it (`slug/side-by-side/other/`).
    Parallel(usize, usize),
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
    /// A transcript in a standard format (`slug/transcript.vtt`, ...).
    Export(usize, crate::exports::Export),
}

impl Job {
    /// The template that makes this page (the compiled theme makes some of
    /// them itself, unless a site overrides one it involves).
    pub(super) fn template(&self) -> &'static str {
        match self {
            Job::Home(_) => "index.html",
            Job::Overview(_) => "transcript.html",
            Job::Section(..) => "section.html",
            Job::Full(_) => "full.html",
            Job::Parallel(..) => "parallel.html",
            Job::NotFound => "404.html",
            Job::Speakers => "speakers.html",
            Job::Speaker(_) => "speaker.html",
            Job::Tags => "tags.html",
            Job::Tag(..) => "tag.html",
            Job::Feed => "atom.xml",
            Job::Search => "search.html",
            Job::Api(_) => "(none: a transcript's JSON is serialized)",
            Job::Export(..) => "(none: exports are written by crate::exports)",
        }
    }

    /// The transcript this page belongs to, if any.
    pub(super) fn transcript(&self) -> Option<usize> {
        match *self {
            Job::Overview(t)
            | Job::Section(t, _)
            | Job::Full(t)
            | Job::Parallel(t, _)
            | Job::Api(t)
            | Job::Export(t, _) => Some(t),
            _ => None,
        }
    }
}

pub(super) fn page_jobs(site: &Site) -> Vec<Job> {
    let per_page = site.config.paginate;
    let mut jobs = vec![Job::NotFound, Job::Speakers, Job::Tags, Job::Feed];
    if site.config.search {
        jobs.push(Job::Search);
    }
    jobs.extend((1..=listings::page_count(site.transcripts.len(), per_page)).map(Job::Home));
    jobs.extend((0..site.speakers.people.len()).map(Job::Speaker));
    for (i, tag) in site.tags.iter().enumerate() {
        jobs.extend(
            (1..=listings::page_count(tag.transcripts.len(), per_page)).map(|p| Job::Tag(i, p)),
        );
    }
    for (i, t) in site.transcripts.iter().enumerate() {
        jobs.push(Job::Overview(i));
        jobs.push(Job::Full(i));
        jobs.extend((0..t.sections.len()).map(|s| Job::Section(i, s)));
        let others = site.translations.of(i).iter().filter(|&&o| o != i);
        jobs.extend(others.map(|&o| Job::Parallel(i, o)));
        jobs.push(Job::Api(i));
        jobs.extend(crate::exports::available(t).map(|e| Job::Export(i, e)));
    }
    jobs
}

/// A transcript's description, when it has one, for its pages' `<meta>`.
pub(super) fn transcript_description<'a>(o: &Overview<'a>) -> Option<Cow<'a, str>> {
    o.summary
        .description
        .filter(|d| !d.is_empty())
        .map(Cow::Borrowed)
}

/// The language a page is written in: its transcript's on the transcript's
/// own pages, the site's on every other.
pub(super) fn page_language<'a>(site: &'a Site, job: &Job) -> &'a str {
    match *job {
        Job::Overview(i) | Job::Section(i, _) | Job::Full(i) | Job::Parallel(i, _) => {
            &site.transcripts[i].language
        }
        _ => &site.config.language,
    }
}

/// The way from the page at `url` back to the site root, which its links
/// start from.
pub(super) fn page_root(site: &Site, job: &Job, url: &str) -> String {
    match job {
        // A host serves 404.html at any depth, so its links start from the
        // site's own path instead of being relative.
        Job::NotFound => site_path(&site.config.base_url),
        _ => "../".repeat(url.matches('/').count()),
    }
}

/// Where the page of `job` goes, relative to the output folder; rendering
/// and the sitemap both take it from here.
pub(super) fn job_path(site: &Site, job: &Job) -> String {
    let index = |url: String| url + "index.html";
    match *job {
        Job::Home(page) => index(listings::paged_url("", page)),
        Job::Overview(i) => index(transcript_url(&site.transcripts[i])),
        Job::Section(i, s) => {
            let t = &site.transcripts[i];
            index(section_url(t, &t.sections[s]))
        }
        Job::Full(i) => index(transcript_url(&site.transcripts[i]) + "full/"),
        Job::Parallel(i, o) => index(parallel_url(&site.transcripts[i], &site.transcripts[o])),
        Job::NotFound => "404.html".to_string(),
        Job::Speakers => "speakers/index.html".to_string(),
        Job::Speaker(p) => index(listings::person_url(&site.speakers.people[p])),
        Job::Tags => "tags/index.html".to_string(),
        Job::Tag(tag, page) => index(listings::paged_url(
            &listings::tag_url(&site.tags[tag].slug),
            page,
        )),
        Job::Feed => "atom.xml".to_string(),
        Job::Search => "search/index.html".to_string(),
        Job::Api(i) => crate::api::json_path(&site.transcripts[i]),
        Job::Export(i, e) => e.path(&site.transcripts[i]),
    }
}

/// Cuts `jobs` into runs of about `size` pages without splitting a
/// transcript's pages across two runs (pages of no transcript may be cut
/// anywhere).
pub(super) fn batches(jobs: &[Job], size: usize) -> Vec<&[Job]> {
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
