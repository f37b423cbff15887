//! Contexts of the reader pages that span transcripts: paginated listings,
//! the speaker and tag indexes, and the Atom feed.

use super::{excerpt, Summary};
use crate::model::{Anchor, Role, Transcript};
use crate::site::speakers::Person;
use crate::site::urls::{section_url, transcript_url};
use crate::site::Site;
use serde::Serialize;
use tera::Context;

/// Reading speed used for reading times, in words per minute.
pub const WORDS_PER_MINUTE: usize = 200;

/// Minutes to read `words` words, at least one.
pub fn reading_minutes(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

/// Words of plain text (see [`crate::model::word_count`]).
pub fn word_count(text: &str) -> usize {
    crate::model::word_count(text)
}

/// How many pages a listing of `items` takes at `per_page` (0: one page).
pub fn page_count(items: usize, per_page: usize) -> usize {
    if per_page == 0 {
        1
    } else {
        items.div_ceil(per_page).max(1)
    }
}

/// `base` for page 1, `base` + `page/n/` after it.
pub fn paged_url(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// Where a page of a listing is and which items it shows.
#[derive(Serialize)]
pub struct Pagination {
    /// 1-based.
    pub(super) current: usize,
    pub(super) total: usize,
    pub(super) prev_url: Option<String>,
    pub(super) next_url: Option<String>,
    /// Every page, for a numbered pager.
    pub(super) pages: Vec<PageLink>,
    /// 1-based position of the first and last item on this page.
    pub(super) first_item: usize,
    pub(super) last_item: usize,
    pub(super) item_count: usize,
}

#[derive(Serialize)]
pub(super) struct PageLink {
    pub(super) number: usize,
    pub(super) url: String,
}

impl Pagination {
    /// Page `page` (1-based) of `items` items listed at `base`.
    pub fn new(base: &str, page: usize, items: usize, per_page: usize) -> Pagination {
        let total = page_count(items, per_page);
        let per = if per_page == 0 {
            items.max(1)
        } else {
            per_page
        };
        Pagination {
            current: page,
            total,
            prev_url: (page > 1).then(|| paged_url(base, page - 1)),
            next_url: (page < total).then(|| paged_url(base, page + 1)),
            pages: (1..=total)
                .map(|n| PageLink {
                    number: n,
                    url: paged_url(base, n),
                })
                .collect(),
            first_item: ((page - 1) * per + 1).min(items),
            last_item: (page * per).min(items),
            item_count: items,
        }
    }

    /// The range of item indexes on this page.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.first_item.saturating_sub(1)..self.last_item
    }
}

/// The home page (1-based `page`): the newest transcripts first.
pub fn home(site: &Site, page: usize) -> (String, Context) {
    let (url, pagination, summaries) = home_views(site, page);
    let mut c = Context::new();
    c.insert("transcripts", &summaries);
    c.insert("pagination", &pagination);
    (url, c)
}

/// What a page of the home listing shows: its URL, where it is among the
/// pages, and its transcripts.
pub(super) fn home_views(site: &Site, page: usize) -> (String, Pagination, Vec<Summary<'_>>) {
    let pagination = Pagination::new("", page, site.transcripts.len(), site.config.paginate);
    let summaries = pagination.range().map(|i| Summary::new(site, i)).collect();
    (paged_url("", page), pagination, summaries)
}

/// `speakers/`: every person, by name.
pub fn speakers(site: &Site) -> (String, Context) {
    let people: Vec<PersonSummary> = site
        .speakers
        .people
        .iter()
        .map(|p| PersonSummary::new(site, p))
        .collect();
    let mut c = Context::new();
    c.insert("speakers", &people);
    ("speakers/".to_string(), c)
}

/// `speakers/<id>/`: where one person speaks and everything they answer.
pub fn speaker(site: &Site, p: usize) -> (String, Context) {
    let (url, summary, appearances) = speaker_views(site, p);
    let mut c = Context::new();
    c.insert("speaker", &summary);
    c.insert("appearances", &appearances);
    (url, c)
}

/// What `speakers/<id>/` shows: its URL, the person and their appearances.
pub(super) fn speaker_views(
    site: &Site,
    p: usize,
) -> (String, PersonSummary<'_>, Vec<AppearanceView<'_>>) {
    let person = &site.speakers.people[p];
    let appearances = person
        .appearances
        .iter()
        .map(|a| AppearanceView::new(site, a))
        .collect();
    (
        person_url(person),
        PersonSummary::new(site, person),
        appearances,
    )
}

/// `speakers/<id>/`.
pub fn person_url(p: &Person) -> String {
    format!("speakers/{}/", p.id)
}

/// `tags/<slug>/`.
pub fn tag_url(slug: &str) -> String {
    format!("tags/{slug}/")
}

/// `tags/`: every tag with its count.
pub fn tags(site: &Site) -> (String, Context) {
    let tags: Vec<TagSummary> = site.tags.iter().map(TagSummary::new).collect();
    let mut c = Context::new();
    c.insert("tags", &tags);
    ("tags/".to_string(), c)
}

/// `tags/<slug>/` (page `page`, 1-based): the transcripts with one tag.
pub fn tag(site: &Site, tag: usize, page: usize) -> (String, Context) {
    let (url, tag, pagination, summaries) = tag_views(site, tag, page);
    let mut c = Context::new();
    c.insert("tag", &tag);
    c.insert("transcripts", &summaries);
    c.insert("pagination", &pagination);
    (url, c)
}

/// What a page of a tag's listing shows: its URL, the tag, where the page
/// is among the tag's pages, and its transcripts.
pub(super) fn tag_views(
    site: &Site,
    tag: usize,
    page: usize,
) -> (String, TagSummary<'_>, Pagination, Vec<Summary<'_>>) {
    let tag = &site.tags[tag];
    let base = tag_url(&tag.slug);
    let pagination = Pagination::new(&base, page, tag.transcripts.len(), site.config.paginate);
    let summaries = tag.transcripts[pagination.range()]
        .iter()
        .map(|&i| Summary::new(site, i))
        .collect();
    (
        paged_url(&base, page),
        TagSummary::new(tag),
        pagination,
        summaries,
    )
}

/// What the speaker index shows of a person.
#[derive(Serialize)]
pub struct PersonSummary<'a> {
    pub(super) id: &'a str,
    pub(super) name: &'a str,
    pub(super) title: Option<&'a str>,
    pub(super) bio: Option<&'a str>,
    pub(super) url: String,
    /// `interviewer`, `interviewee`, `other`: every role they have had.
    pub(super) roles: Vec<Role>,
    pub(super) transcript_count: usize,
    pub(super) answer_count: usize,
}

impl<'a> PersonSummary<'a> {
    fn new(site: &Site, p: &'a Person) -> Self {
        let mut roles: Vec<Role> = Vec::new();
        for a in &p.appearances {
            if !roles.contains(&a.role) {
                roles.push(a.role);
            }
        }
        let mut transcripts: Vec<usize> = p.appearances.iter().map(|a| a.transcript).collect();
        transcripts.dedup();
        PersonSummary {
            id: &p.id,
            name: &p.name,
            title: p.title.as_deref(),
            bio: p.bio.as_deref(),
            url: person_url(p),
            roles,
            transcript_count: transcripts.len(),
            answer_count: p
                .appearances
                .iter()
                .map(|a| answers_of(&site.transcripts[a.transcript], &a.speaker).count())
                .sum(),
        }
    }
}

/// One transcript on a speaker's page.
#[derive(Serialize)]
pub(super) struct AppearanceView<'a> {
    pub(super) transcript: Summary<'a>,
    /// The name this transcript gives them.
    pub(super) name: &'a str,
    pub(super) role: Role,
    pub(super) answers: Vec<AnswerView<'a>>,
    pub(super) question_count: usize,
}

/// One answer on a speaker's page: an excerpt and where to read it whole.
#[derive(Serialize)]
pub(super) struct AnswerView<'a> {
    pub(super) id: Anchor,
    /// `slug/section/#t12`, relative to the site root.
    pub(super) url: String,
    pub(super) section_title: &'a str,
    pub(super) section_url: String,
    /// The question it answers, shortened.
    pub(super) question: Option<String>,
    pub(super) excerpt: String,
    pub(super) word_count: WordsOf<'a>,
    pub(super) start: Option<String>,
}

/// The number of words of a text, counted only when it is serialized: the
/// compiled theme shows no answer's count, and a site's speaker pages hold
/// every answer of every transcript, so only a template that reads
/// `word_count` pays for it.
pub(super) struct WordsOf<'a>(&'a str);

impl Serialize for WordsOf<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(word_count(self.0) as u64)
    }
}

impl<'a> AppearanceView<'a> {
    fn new(site: &'a Site, a: &'a crate::site::speakers::Appearance) -> Self {
        let t = &site.transcripts[a.transcript];
        let mut answers = Vec::new();
        let mut question_count = 0;
        for s in &t.sections {
            let here = section_url(t, s);
            for e in &s.exchanges {
                if e.question
                    .as_ref()
                    .is_some_and(|q| *q.speaker == *a.speaker)
                {
                    question_count += 1;
                }
                for turn in e.answers.iter().filter(|turn| *turn.speaker == *a.speaker) {
                    answers.push(AnswerView {
                        id: turn.id,
                        url: [here.as_str(), "#", &turn.id.text()].concat(),
                        section_title: &s.title,
                        section_url: here.clone(),
                        question: e.question.as_ref().map(|q| excerpt(&q.text, 140)),
                        excerpt: excerpt(&turn.text, 280),
                        word_count: WordsOf(&turn.text),
                        start: turn.start.map(|tc| tc.to_string()),
                    });
                }
            }
        }
        AppearanceView {
            transcript: Summary::new(site, a.transcript),
            name: t
                .speaker(&a.speaker)
                .map(|s| s.name.as_str())
                .unwrap_or(&a.speaker),
            role: a.role,
            answers,
            question_count,
        }
    }
}

/// The answer turns of speaker `id` in reading order.
pub(super) fn answers_of<'a>(
    t: &'a Transcript,
    id: &'a str,
) -> impl Iterator<Item = &'a crate::model::Turn> + 'a {
    t.sections
        .iter()
        .flat_map(|s| s.exchanges.iter())
        .flat_map(|e| e.answers.iter())
        .filter(move |turn| &*turn.speaker == id)
}

/// A tag as the index and its page show it.
#[derive(Serialize)]
pub(super) struct TagSummary<'a> {
    pub(super) name: &'a str,
    pub(super) slug: &'a str,
    pub(super) url: String,
    pub(super) transcript_count: usize,
}

impl<'a> TagSummary<'a> {
    fn new(tag: &'a crate::site::tags::Tag) -> Self {
        TagSummary {
            name: &tag.name,
            slug: &tag.slug,
            url: tag_url(&tag.slug),
            transcript_count: tag.transcripts.len(),
        }
    }
}

/// `atom.xml`: the newest transcripts, with absolute URLs.
pub fn feed(site: &Site) -> Context {
    let base = &site.config.base_url;
    let limit = match site.config.feed_entries {
        0 => site.transcripts.len(),
        n => n.min(site.transcripts.len()),
    };
    let entries: Vec<FeedEntry> = site.transcripts[..limit]
        .iter()
        .map(|t| FeedEntry::new(site, t))
        .collect();
    // The feed changes when its newest entry does; no clock, so builds repeat.
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| atom_date(None));
    let mut c = Context::new();
    c.insert(
        "feed",
        &FeedView {
            id: base.clone(),
            self_url: format!("{base}atom.xml"),
            home_url: base.clone(),
            updated,
            author: site
                .config
                .author
                .clone()
                .unwrap_or_else(|| site.config.title.clone()),
        },
    );
    c.insert("entries", &entries);
    c
}

#[derive(Serialize)]
struct FeedView {
    id: String,
    self_url: String,
    home_url: String,
    updated: String,
    author: String,
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    id: String,
    url: String,
    title: &'a str,
    subtitle: Option<&'a str>,
    updated: String,
    published: Option<String>,
    summary: String,
    authors: Vec<&'a str>,
    categories: Vec<&'a str>,
    language: &'a str,
    /// The recording's files, as Atom enclosures.
    enclosures: Vec<Enclosure<'a>>,
}

#[derive(Serialize)]
struct Enclosure<'a> {
    href: &'a str,
    media_type: Option<&'static str>,
}

impl<'a> FeedEntry<'a> {
    fn new(site: &'a Site, t: &'a Transcript) -> Self {
        let url = format!("{}{}", site.config.base_url, transcript_url(t));
        let summary = match &t.description {
            Some(d) => d.clone(),
            None => excerpt(&plain_of_first_answer(t), 400),
        };
        FeedEntry {
            id: url.clone(),
            url,
            title: &t.title,
            subtitle: t.subtitle.as_deref(),
            updated: atom_date(t.date.as_deref()),
            published: t.date.as_deref().map(|d| atom_date(Some(d))),
            summary,
            // Who wrote the transcript up; the feed's author stands in otherwise.
            authors: t.source.author.iter().map(String::as_str).collect(),
            categories: t.tags.iter().map(String::as_str).collect(),
            language: &t.language,
            enclosures: t
                .media
                .iter()
                .map(|m| Enclosure {
                    href: &m.permalink,
                    media_type: crate::url::media_type(&m.url),
                })
                .collect(),
        }
    }
}

/// The first words of a transcript, for entries without a description.
fn plain_of_first_answer(t: &Transcript) -> String {
    t.turns()
        .next()
        .map(|turn| turn.text.to_string())
        .unwrap_or_default()
}

/// `2026-06-22` -> `2026-06-22T00:00:00Z` (RFC 3339, as Atom wants). An
/// undated transcript gets the Unix epoch, the one date that is never news.
fn atom_date(date: Option<&str>) -> String {
    match date {
        Some(d) if d.len() == 10 => format!("{d}T00:00:00Z"),
        _ => "1970-01-01T00:00:00Z".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tnew\nline\r\nvt\x0Bff\x0Cend",
            "caf\u{e9} na\u{ef}ve \u{201c}quoted\u{201d}",
            "no\u{a0}break\u{2003}em\u{3000}ideographic\u{85}next",
            "\u{1F600} emoji\u{1F600}word",
        ] {
            assert_eq!(
                word_count(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn reading_time_rounds_up_and_is_never_zero() {
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(200), 1);
        assert_eq!(reading_minutes(201), 2);
        assert_eq!(reading_minutes(4000), 20);
    }

    #[test]
    fn pages_and_their_urls() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(41, 20), 3);
        assert_eq!(page_count(41, 0), 1);
        let p = Pagination::new("tags/ai/", 3, 41, 20);
        assert_eq!(p.range(), 40..41);
        assert_eq!(p.prev_url.as_deref(), Some("tags/ai/page/2/"));
        assert_eq!(p.next_url, None);
        let first = Pagination::new("", 1, 41, 20);
        assert_eq!(first.range(), 0..20);
        assert_eq!(first.next_url.as_deref(), Some("page/2/"));
        assert_eq!(Pagination::new("", 1, 0, 20).range(), 0..0);
        assert_eq!(Pagination::new("", 1, 5, 0).range(), 0..5);
    }

    #[test]
    fn atom_dates() {
        assert_eq!(atom_date(Some("2026-06-22")), "2026-06-22T00:00:00Z");
        assert_eq!(atom_date(None), "1970-01-01T00:00:00Z");
    }
}
