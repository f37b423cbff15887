//! Metadata for machines on every page: OpenGraph properties and schema.org
//! JSON-LD. Values come from content, so the JSON is escaped to be inert
//! inside `<script>` whatever a title contains.

use super::{listings, Job};
use crate::model::{Role, Transcript};
use crate::site::urls::transcript_url;
use crate::site::Site;
use serde::Serialize;
use std::borrow::Cow;

/// What `base.html` puts in `<head>` for machines.
#[derive(Serialize)]
pub struct PageMetadata {
    /// The page's own title, without the site's name (`og:title`).
    pub(super) title: String,
    /// `website`, `article` or `profile` (`og:type`).
    pub(super) og_type: &'static str,
    /// The page's absolute URL (`og:url`); empty for the 404 page.
    pub(super) url: String,
    /// The schema.org description of the page, ready for a `<script>` element.
    pub(super) json_ld: String,
}

/// A schema.org thing as JSON-LD: one type with every property verbatim
/// uses, each left out when `None`. The fields are declared in the byte
/// order of their JSON names, so every page lists its properties sorted
/// (`key_order_is_sorted` checks it).
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Node<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    about: Option<Vec<Node<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alternative_headline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Box<Node<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    headline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    in_language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_based_on: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_part_of: Option<Box<Node<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    main_entity: Option<Box<Node<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mentions: Option<Vec<Node<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Box<Node<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_required: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    word_count: Option<usize>,
}

impl<'a> Node<'a> {
    /// A thing of schema.org type `kind` with a name.
    fn named(kind: &'static str, name: impl Into<Cow<'a, str>>) -> Node<'a> {
        Node {
            kind,
            name: Some(name.into()),
            ..Node::default()
        }
    }

    fn with_url(self, url: impl Into<Cow<'a, str>>) -> Node<'a> {
        Node {
            url: Some(url.into()),
            ..self
        }
    }
}

impl PageMetadata {
    /// The metadata of the page `job` renders at `url` (relative to the root).
    pub(super) fn new(site: &Site, job: &Job, url: &str) -> PageMetadata {
        let base = site.config.base_url.as_str();
        let abs = [base, url].concat();
        let website = || Box::new(website(site));
        let collection = |name: String| Node {
            in_language: Some(&site.config.language),
            is_part_of: Some(website()),
            ..Node::named("CollectionPage", name).with_url(abs.as_str())
        };
        let (title, og_type, mut ld) = match *job {
            Job::Home(page) => {
                let name = if page > 1 {
                    format!("{}, page {page}", site.config.title)
                } else {
                    site.config.title.clone()
                };
                let ld = Node {
                    description: site.config.description.as_deref(),
                    ..collection(name.clone())
                };
                (name, "website", ld)
            }
            Job::Overview(i) | Job::Full(i) | Job::Parallel(i, _) => {
                let t = &site.transcripts[i];
                let words = site.word_count(i);
                (
                    t.title.clone(),
                    "article",
                    article(site, i, &t.title, &abs, words),
                )
            }
            Job::Section(i, s) => {
                let t = &site.transcripts[i];
                let section = &t.sections[s];
                let whole = Node::named("Article", t.title.as_str())
                    .with_url(format!("{base}{}", transcript_url(t)));
                // The section's own words and reading time, not the transcript's.
                let words = site.section_word_count(i, s);
                let ld = Node {
                    is_part_of: Some(Box::new(whole)),
                    ..article(site, i, &section.title, &abs, words)
                };
                (format!("{} · {}", section.title, t.title), "article", ld)
            }
            Job::Speakers => (
                "Speakers".to_string(),
                "website",
                collection("Speakers".into()),
            ),
            Job::Speaker(p) => {
                let person = &site.speakers.people[p];
                let who = Node {
                    job_title: person.title.as_deref(),
                    description: person.bio.as_deref(),
                    ..Node::named("Person", person.name.as_str()).with_url(abs.as_str())
                };
                let ld = Node {
                    main_entity: Some(Box::new(who)),
                    is_part_of: Some(website()),
                    ..Node::named("ProfilePage", person.name.as_str()).with_url(abs.as_str())
                };
                (person.name.clone(), "profile", ld)
            }
            Job::Tags => ("Tags".to_string(), "website", collection("Tags".into())),
            Job::Tag(tag, _) => {
                let name = format!("Tagged “{}”", site.tags[tag].name);
                (name.clone(), "website", collection(name))
            }
            Job::Feed => (site.config.title.clone(), "website", *website()),
            Job::Search => (
                "Search".to_string(),
                "website",
                Node {
                    is_part_of: Some(website()),
                    ..Node::named("SearchResultsPage", "Search").with_url(abs.as_str())
                },
            ),
            Job::Api(_) | Job::Export(..) => unreachable!("a JSON or text file is no HTML page"),
            Job::NotFound => (
                "Page not found".to_string(),
                "website",
                Node {
                    is_part_of: Some(website()),
                    ..Node::named("WebPage", "Page not found")
                },
            ),
        };
        ld.context = Some("https://schema.org");
        let json_ld = script_safe_json(&ld);
        PageMetadata {
            title,
            og_type,
            url: match job {
                Job::NotFound => String::new(),
                _ => abs,
            },
            json_ld,
        }
    }
}

/// The site as a schema.org WebSite, which every page is part of.
fn website(site: &Site) -> Node<'_> {
    Node::named("WebSite", site.config.title.as_str()).with_url(site.config.base_url.as_str())
}

/// A transcript (or one of its sections) as a schema.org Article of
/// `words` words.
fn article<'a>(
    site: &'a Site,
    i: usize,
    headline: &'a str,
    url: &'a str,
    words: usize,
) -> Node<'a> {
    let t: &Transcript = &site.transcripts[i];
    let base = &site.config.base_url;
    let person = |s: &'a crate::model::Speaker| {
        let page = site.speakers.person_of(&site.transcripts, i, &s.id);
        Node {
            job_title: s.title.as_deref(),
            url: page.map(|p| format!("{base}{}", listings::person_url(p)).into()),
            ..Node::named("Person", s.name.as_str())
        }
    };
    Node {
        about: Some(
            t.speakers
                .iter()
                .filter(|s| s.role == Role::Interviewee)
                .map(person)
                .collect(),
        ),
        alternative_headline: t.subtitle.as_deref(),
        author: t
            .source
            .author
            .as_deref()
            .map(|a| Box::new(Node::named("Person", a))),
        date_published: t.date.as_deref(),
        description: t.description.as_deref(),
        headline: Some(headline),
        in_language: Some(&t.language),
        is_based_on: t.source.url.as_deref(),
        is_part_of: Some(Box::new(website(site))),
        keywords: Some(t.tags.join(", ")),
        mentions: Some(t.speakers.iter().map(person).collect()),
        publisher: t
            .source
            .publisher
            .as_deref()
            .map(|p| Box::new(Node::named("Organization", p))),
        time_required: Some(format!("PT{}M", listings::reading_minutes(words))),
        word_count: Some(words),
        ..Node::named("Article", headline).with_url(url)
    }
}

/// JSON that cannot end its `<script>` element or open a comment: `<`, `>`
/// and `&` appear only inside strings, where `\u003c` means the same thing.
/// Written by sonic-rs, byte for byte what serde_json writes (tested below),
/// in a third of the instructions: every page has this.
pub fn script_safe_json(value: &impl Serialize) -> String {
    let json = sonic_rs::to_string(value).unwrap_or_else(|_| "{}".to_string());
    if memchr::memchr3(b'<', b'>', b'&', json.as_bytes()).is_none() {
        return json;
    }
    let mut safe = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            c => safe.push(c),
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::{json, Value};

    #[test]
    fn json_cannot_close_the_script() {
        let v = json!({ "name": "</script><!-- & -->" });
        let s = script_safe_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn sonic_rs_writes_what_serde_json_writes() {
        let strange = "quote \" back \\ slash / tab \t nl \n cr \r bell \u{7} del \u{7f} \
                       nbsp \u{a0} line-sep \u{2028} emoji \u{1F600} </script>";
        let node = Node {
            context: Some("https://schema.org"),
            about: Some(vec![Node::named("Person", strange)]),
            keywords: Some(strange.to_string()),
            word_count: Some(4_000),
            ..Node::named("Article", strange).with_url(strange)
        };
        assert_eq!(
            sonic_rs::to_string(&node).unwrap(),
            serde_json::to_string(&node).unwrap()
        );
        let ld = script_safe_json(&node);
        assert!(!ld.contains(['<', '>', '&']), "{ld}");
    }

    /// The keys of the outermost object of `json`, in order.
    fn top_level_keys(json: &str) -> Vec<String> {
        let (mut keys, mut depth, mut in_string, mut escaped) = (Vec::new(), 0, false, false);
        let mut current = String::new();
        let mut expecting_key = false;
        for c in json.chars() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => {
                        in_string = false;
                        if depth == 1 && expecting_key {
                            keys.push(std::mem::take(&mut current));
                            expecting_key = false;
                        }
                        continue;
                    }
                    _ => {}
                }
                if depth == 1 && expecting_key {
                    current.push(c);
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '{' | '[' => {
                    depth += 1;
                    expecting_key = depth == 1;
                }
                '}' | ']' => depth -= 1,
                ',' => expecting_key = depth == 1,
                _ => {}
            }
        }
        keys
    }

    #[test]
    fn key_order_is_sorted() {
        let inner = || Some(Box::new(Node::named("Thing", "inner")));
        let every = Node {
            context: Some("https://schema.org"),
            kind: "Thing",
            about: Some(vec![Node::named("Person", "a")]),
            alternative_headline: Some("x"),
            author: inner(),
            date_published: Some("2026-01-01"),
            description: Some("x"),
            headline: Some("x"),
            in_language: Some("en"),
            is_based_on: Some("x"),
            is_part_of: inner(),
            job_title: Some("x"),
            keywords: Some("x".into()),
            main_entity: inner(),
            mentions: Some(vec![]),
            name: Some("x".into()),
            publisher: inner(),
            time_required: Some("PT1M".into()),
            url: Some("x".into()),
            word_count: Some(1),
        };
        let keys = top_level_keys(&serde_json::to_string(&every).unwrap());
        assert_eq!(keys.len(), 20, "{keys:?}");
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }
}
