//! What a saved page says about itself: title, date, author and publisher,
//! from `<meta>` tags (Open Graph, `article:*`, `author`), JSON-LD
//! (`datePublished`, `author`, `publisher`, with `@id` references followed
//! through the `@graph`), `<time datetime>`, `<h1>` and `<title>`.

use scraper::{Html, Selector};
use serde_json::Value;

/// The page's own metadata, as found.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageMeta {
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid selector")
}

/// The content of the first `<meta>` whose `property` or `name` is one of `keys`.
fn meta(doc: &Html, keys: &[&str]) -> Option<String> {
    let sel = selector("meta");
    for key in keys {
        for m in doc.select(&sel) {
            let e = m.value();
            let name = e.attr("property").or_else(|| e.attr("name"));
            if name.is_some_and(|n| n.eq_ignore_ascii_case(key)) {
                if let Some(c) = e.attr("content").map(clean).filter(|c| !c.is_empty()) {
                    return Some(c);
                }
            }
        }
    }
    None
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads the page's metadata.
pub fn read(doc: &Html) -> PageMeta {
    let ld = json_ld(doc);
    let publisher = meta(doc, &["og:site_name"])
        .or_else(|| ld_name(&ld, "publisher"))
        .or_else(|| meta(doc, &["application-name"]));
    let text_of = |css: &str| {
        doc.select(&selector(css))
            .map(|e| clean(&e.text().collect::<String>()))
            .find(|t| !t.is_empty())
    };
    let title = meta(doc, &["og:title", "twitter:title"])
        .or_else(|| ld_string(&ld, "headline"))
        .or_else(|| text_of("title"))
        .or_else(|| text_of("h1"))
        .map(|t| without_site_name(&t, publisher.as_deref()));
    let date = meta(
        doc,
        &[
            "article:published_time",
            "datePublished",
            "date",
            "dc.date",
            "DC.date.issued",
        ],
    )
    .and_then(|d| crate::ingest::dates::iso_prefix(&d))
    .or_else(|| ld_string(&ld, "datePublished").and_then(|d| crate::ingest::dates::iso_prefix(&d)))
    .or_else(|| {
        doc.select(&selector("time[datetime]"))
            .filter_map(|t| t.value().attr("datetime"))
            .find_map(crate::ingest::dates::iso_prefix)
    });
    let author = visible_byline(doc)
        .or_else(|| {
            ld_name(&ld, "author")
                .or_else(|| meta(doc, &["author", "article:author", "dc.creator"]))
                .filter(|a| !a.contains("://"))
                .map(|a| as_shown(doc, &a))
        })
        .or_else(|| {
            doc.select(&selector("[rel=author], [itemprop=author] [itemprop=name]"))
                .map(|e| clean(&e.text().collect::<String>()))
                .find(|t| !t.is_empty() && t.split_whitespace().count() <= 5)
        })
        .map(|a| crate::ingest::people::display_name(&a));
    let url = meta(doc, &["og:url"]).filter(|u| u.starts_with("http"));
    let language = doc
        .select(&selector("html[lang]"))
        .filter_map(|h| h.value().attr("lang"))
        .map(|l| l.trim().to_string())
        .find(|l| {
            !l.is_empty()
                && l.len() <= 12
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    PageMeta {
        title,
        date,
        author,
        publisher,
        url,
        language,
    }
}

/// Words that open a byline: `von MORITZ PAPPERT`, `Posted by Alex
/// Durán, ...`, `Auteur` then the name in the next element.
const BYLINE_WORDS: [&str; 16] = [
    "by",
    "posted by",
    "written by",
    "von",
    "par",
    "por",
    "di",
    "door",
    "auteur",
    "author",
    "autor",
    "autore",
    "autora",
    "interview",
    "entrevista",
    "texto",
];

fn letters(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Up to 200 characters of text of a node and its descendants.
fn short_text(n: ego_tree::NodeRef<scraper::Node>) -> String {
    let mut out = String::new();
    for d in n.descendants() {
        if let scraper::Node::Text(t) = d.value() {
            out.push_str(t);
            if out.len() > 200 {
                break;
            }
        }
    }
    clean(&out)
}

/// A name as a byline prints it: the first piece before a comma or bar, if
/// it is a name of two to four words.
fn byline_name(text: &str) -> Option<String> {
    let piece = text
        .split([',', '|', '·', '—', '–', '/', '(', '\n'])
        .next()?
        .split(" - ")
        .next()?
        .trim()
        .trim_end_matches('.');
    let words = piece.split_whitespace().count();
    ((2..=4).contains(&words) && super::name_like(piece)).then(|| piece.to_string())
}

/// The author as the page shows them in a byline (`von MORITZ PAPPERT`,
/// `Posted by Alex Durán`, `Auteur` / `Uriel Gadessaud`): what readers see
/// is taken over metadata, which often names whoever posted the page.
fn visible_byline(doc: &Html) -> Option<String> {
    let mut skip: Option<ego_tree::NodeId> = None;
    for edge in doc.tree.root().traverse() {
        let n = match edge {
            ego_tree::iter::Edge::Open(n) => n,
            ego_tree::iter::Edge::Close(n) => {
                if skip == Some(n.id()) {
                    skip = None;
                }
                continue;
            }
        };
        if skip.is_some() {
            continue;
        }
        let t = match n.value() {
            scraper::Node::Element(e) => {
                if matches!(
                    e.name(),
                    "script" | "style" | "head" | "noscript" | "template"
                ) {
                    skip = Some(n.id());
                }
                continue;
            }
            scraper::Node::Text(t) => clean(t),
            _ => continue,
        };
        if t.is_empty() || t.len() > 120 {
            continue;
        }
        // ASCII lower case keeps byte offsets (the keywords are ASCII).
        let lower = t.to_ascii_lowercase();
        let word = lower.trim_end_matches(':').trim();
        if BYLINE_WORDS.contains(&word) {
            // The name follows: in the next siblings, or in the element
            // after the one holding the word (`<dt>Auteur</dt><dd>...`).
            let mut after = n
                .next_siblings()
                .map(short_text)
                .find(|t| !t.is_empty())
                .unwrap_or_default();
            if after.trim().is_empty() {
                if let Some(next) = n.parent().and_then(|p| {
                    p.next_siblings()
                        .find(|s| matches!(s.value(), scraper::Node::Element(_)))
                }) {
                    after = short_text(next);
                }
            }
            if let Some(name) = byline_name(after.trim()) {
                return Some(name);
            }
            continue;
        }
        for w in BYLINE_WORDS {
            if let Some(rest) = lower.strip_prefix(w).filter(|r| r.starts_with([' ', ':'])) {
                let start = t.len() - rest.len();
                let rest = t[start..].trim_start_matches([' ', ':']);
                if let Some(name) = byline_name(rest) {
                    return Some(name);
                }
            }
        }
    }
    None
}

/// A name from metadata as the page's text spells it (`Graciela-Cuevas` in
/// JSON-LD is `Graciela Cuevas` in the byline).
fn as_shown(doc: &Html, name: &str) -> String {
    let key = letters(name);
    if key.is_empty() {
        return name.to_string();
    }
    for n in doc.tree.root().descendants() {
        if let scraper::Node::Text(t) = n.value() {
            let t = clean(t);
            if t.len() <= 80 && t != name && letters(&t) == key && t.contains(' ') {
                return t;
            }
        }
    }
    name.to_string()
}

/// `Title - Site`, `Title | Site`, `Title – Site` without the site's name.
fn without_site_name(title: &str, site: Option<&str>) -> String {
    let title = title.trim();
    for sep in [" - ", " | ", " – ", " — ", " · ", " :: "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let tail = tail.trim();
            let is_site = site.is_some_and(|s| {
                let (a, b) = (s.to_lowercase(), tail.to_lowercase());
                a == b || a.contains(&b) || b.contains(&a)
            });
            if is_site && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// Every JSON-LD object of the page (`@graph` members and arrays flattened).
fn json_ld(doc: &Html) -> Vec<Value> {
    let mut out = Vec::new();
    for script in doc.select(&selector("script[type=\"application/ld+json\"]")) {
        let text: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        let mut stack = vec![value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(items) => stack.extend(items.into_iter().rev()),
                Value::Object(mut map) => {
                    if let Some(graph) = map.remove("@graph") {
                        stack.push(graph);
                    }
                    out.push(Value::Object(map));
                }
                _ => {}
            }
        }
    }
    out
}

/// The first string value of `key` in an object of the page's JSON-LD.
fn ld_string(ld: &[Value], key: &str) -> Option<String> {
    ld.iter()
        .filter_map(|o| o.get(key)?.as_str())
        .map(clean)
        .find(|s| !s.is_empty())
}

/// The name of the person or organization `key` points at (a string, an
/// object with a name, an `@id` reference, or the first of a list).
fn ld_name(ld: &[Value], key: &str) -> Option<String> {
    let by_id = |id: &str| {
        ld.iter()
            .filter(|o| o.get("@id").and_then(Value::as_str) == Some(id))
            .find_map(|o| o.get("name")?.as_str().map(clean))
    };
    let name_of = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(clean(s)),
            Value::Object(_) => v
                .get("name")
                .and_then(Value::as_str)
                .map(clean)
                .or_else(|| by_id(v.get("@id")?.as_str()?)),
            _ => None,
        }
    };
    ld.iter()
        .filter_map(|o| o.get(key))
        .filter_map(|v| match v {
            Value::Array(items) => items.iter().find_map(name_of),
            other => name_of(other),
        })
        .find(|s| !s.is_empty() && !s.contains("://"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_come_off_titles() {
        assert_eq!(
            without_site_name("A talk - LA Weekly", Some("LA Weekly")),
            "A talk"
        );
        assert_eq!(without_site_name("A - B", None), "A - B");
    }

    #[test]
    fn json_ld_references_are_followed() {
        let doc = Html::parse_document(
            r##"<script type="application/ld+json">{"@graph":[{"@type":"Article","datePublished":"2020-03-02T19:30:06+00:00","author":{"@id":"x1"}},{"@id":"x1","@type":"Person","name":"Uriel Gadessaud"}]}</script>"##,
        );
        let m = read(&doc);
        assert_eq!(m.author.as_deref(), Some("Uriel Gadessaud"));
        assert_eq!(m.date.as_deref(), Some("2020-03-02"));
    }
}
