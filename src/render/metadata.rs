//! Metadata for machines on every page: OpenGraph properties and schema.org
//! JSON-LD. Values come from content, so the JSON is escaped to be inert
//! inside `<script>` whatever a title contains.

use super::{reader, section_url, transcript_url, Job};
use crate::model::{Role, Transcript};
use crate::site::Site;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// What `base.html` puts in `<head>` for machines.
#[derive(Serialize)]
pub struct Meta {
    /// The page's own title, without the site's name (`og:title`).
    pub(super) title: String,
    /// `website`, `article` or `profile` (`og:type`).
    pub(super) og_type: &'static str,
    /// The page's absolute URL (`og:url`); empty for the 404 page.
    pub(super) url: String,
    /// The schema.org description of the page, ready for a `<script>` element.
    pub(super) json_ld: String,
}

impl Meta {
    /// The metadata of the page `job` renders at `url` (relative to the root).
    pub(super) fn new(site: &Site, job: &Job, url: &str) -> Meta {
        let base = &site.config.base_url;
        let abs = format!("{base}{url}");
        let website = json!({ "@type": "WebSite", "name": site.config.title, "url": base });
        let collection = |name: String| {
            json!({
                "@type": "CollectionPage",
                "name": name,
                "url": abs,
                "inLanguage": site.config.language,
                "isPartOf": website,
            })
        };
        let (title, og_type, mut ld) = match *job {
            Job::Home(page) => {
                let name = if page > 1 {
                    format!("{}, page {page}", site.config.title)
                } else {
                    site.config.title.clone()
                };
                let mut ld = collection(name.clone());
                set(&mut ld, "description", site.config.description.clone());
                (name, "website", ld)
            }
            Job::Overview(i) | Job::Full(i) => {
                let t = &site.transcripts[i];
                let ld = article(site, i, &t.title, &abs);
                (t.title.clone(), "article", ld)
            }
            Job::Section(i, s) => {
                let t = &site.transcripts[i];
                let section = &t.sections[s];
                let mut ld = article(site, i, &section.title, &abs);
                ld["isPartOf"] = json!({
                    "@type": "Article",
                    "name": t.title,
                    "url": format!("{base}{}", transcript_url(t)),
                });
                ld["url"] = json!(format!("{base}{}", section_url(t, section)));
                (format!("{} · {}", section.title, t.title), "article", ld)
            }
            Job::Speakers => (
                "Speakers".to_string(),
                "website",
                collection("Speakers".into()),
            ),
            Job::Speaker(p) => {
                let person = &site.speakers.people[p];
                let mut who = json!({ "@type": "Person", "name": person.name, "url": abs });
                set(&mut who, "jobTitle", person.title.clone());
                set(&mut who, "description", person.bio.clone());
                let ld = json!({
                    "@type": "ProfilePage",
                    "name": person.name,
                    "url": abs,
                    "mainEntity": who,
                    "isPartOf": website,
                });
                (person.name.clone(), "profile", ld)
            }
            Job::Tags => ("Tags".to_string(), "website", collection("Tags".into())),
            Job::Tag(tag, _) => {
                let name = format!("Tagged “{}”", site.tags[tag].name);
                (name.clone(), "website", collection(name))
            }
            Job::Feed => (site.config.title.clone(), "website", website.clone()),
            Job::Search => (
                "Search".to_string(),
                "website",
                json!({ "@type": "SearchResultsPage", "name": "Search", "url": abs, "isPartOf": website }),
            ),
            Job::Api(_) => unreachable!("a JSON file is no HTML page"),
            Job::NotFound => (
                "Page not found".to_string(),
                "website",
                json!({ "@type": "WebPage", "name": "Page not found", "isPartOf": website }),
            ),
        };
        ld["@context"] = json!("https://schema.org");
        Meta {
            title,
            og_type,
            url: match job {
                Job::NotFound => String::new(),
                _ => abs,
            },
            json_ld: script_safe_json(&ld),
        }
    }
}

/// A transcript (or one of its sections) as a schema.org Article.
fn article(site: &Site, i: usize, headline: &str, url: &str) -> Value {
    let t: &Transcript = &site.transcripts[i];
    let base = &site.config.base_url;
    let words = site.word_count(i);
    let people: Vec<Value> = t
        .speakers
        .iter()
        .map(|s| {
            let mut p = json!({ "@type": "Person", "name": s.name });
            set(&mut p, "jobTitle", s.title.clone());
            if let Some(person) = site.speakers.person_of(&site.transcripts, i, &s.id) {
                p["url"] = json!(format!("{base}{}", reader::person_url(person)));
            }
            p
        })
        .collect();
    let interviewees: Vec<Value> = t
        .speakers
        .iter()
        .zip(&people)
        .filter(|(s, _)| s.role == Role::Interviewee)
        .map(|(_, p)| p.clone())
        .collect();
    let mut ld = json!({
        "@type": "Article",
        "headline": headline,
        "name": headline,
        "url": url,
        "inLanguage": t.language,
        "wordCount": words,
        "timeRequired": format!("PT{}M", reader::reading_minutes(words)),
        "about": interviewees,
        "mentions": people,
        "keywords": t.tags.join(", "),
        "isPartOf": { "@type": "WebSite", "name": site.config.title, "url": base },
    });
    set(&mut ld, "alternativeHeadline", t.subtitle.clone());
    set(&mut ld, "description", t.description.clone());
    set(&mut ld, "datePublished", t.date.clone());
    set(&mut ld, "isBasedOn", t.source.url.clone());
    if let Some(author) = &t.source.author {
        ld["author"] = json!({ "@type": "Person", "name": author });
    }
    if let Some(publisher) = &t.source.publisher {
        ld["publisher"] = json!({ "@type": "Organization", "name": publisher });
    }
    ld
}

/// Sets `key` when there is a value, so JSON-LD has no nulls.
fn set(object: &mut Value, key: &str, value: Option<String>) {
    if let (Some(v), Value::Object(map)) = (value, object) {
        let map: &mut Map<String, Value> = map;
        map.insert(key.to_string(), Value::String(v));
    }
}

/// JSON that cannot end its `<script>` element or open a comment: `<`, `>`
/// and `&` appear only inside strings, where `\u003c` means the same thing.
pub fn script_safe_json(value: &Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "{}".to_string())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
