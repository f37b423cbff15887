//! Links between transcripts. An editor writes `[text](@/slug)`,
//! `@/slug/section`, `@/slug#q3` or `@/slug/full#t12` in Markdown; ingest
//! keeps the target as written, [`check`] reports targets that do not exist
//! (with file and line), and render replaces each with a URL relative to the
//! page it is on, so the site keeps working under a subpath and from disk.

use crate::diagnostic::Diagnostic;
use crate::model::{Anchor, Transcript};
use std::collections::HashMap;

/// What starts a link to a page of the site.
pub const PREFIX: &str = "@/";

/// Where each transcript lives. Anchors are looked up in the one transcript
/// a link names, so building the index costs one entry per transcript (it
/// runs on every rebuild of `serve`).
pub struct LinkIndex<'a> {
    transcripts: HashMap<&'a str, &'a Transcript>,
}

/// One transcript's section slugs, and the section of each exchange and turn id.
struct Anchors<'a> {
    sections: Vec<&'a str>,
    ids: HashMap<Anchor, &'a str>,
}

impl<'a> Anchors<'a> {
    fn of(t: &'a Transcript) -> Self {
        let mut ids = HashMap::new();
        for s in &t.sections {
            for e in &s.exchanges {
                ids.insert(e.id, s.slug.as_str());
                for turn in e.turns() {
                    ids.insert(turn.id, s.slug.as_str());
                }
            }
        }
        let sections = t.sections.iter().map(|s| s.slug.as_str()).collect();
        Anchors { sections, ids }
    }

    /// The section slug of the exchange or turn `fragment` names.
    fn section_of(&self, fragment: &str) -> Option<&'a str> {
        self.ids.get(&Anchor::parse(fragment)?).copied()
    }
}

impl<'a> LinkIndex<'a> {
    /// Indexes the site's transcripts.
    pub fn new(transcripts: &'a [Transcript]) -> Self {
        let transcripts = transcripts.iter().map(|t| (t.slug.as_str(), t)).collect();
        LinkIndex { transcripts }
    }

    /// The URL of `target` (`@/slug/section#q3`) relative to the site root,
    /// or why it leads nowhere.
    pub fn resolve(&self, target: &str) -> Result<String, String> {
        let rest = target
            .strip_prefix(PREFIX)
            .ok_or_else(|| format!("{target:?} does not start with {PREFIX}"))?;
        let (path, fragment) = match rest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (rest, None),
        };
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let with_fragment = |url: String, fragment: Option<&str>| match fragment {
            Some(f) if !f.is_empty() => format!("{url}#{f}"),
            _ => url,
        };
        let Some(&slug) = parts.first() else {
            return Ok(with_fragment(String::new(), fragment));
        };
        let anchors = Anchors::of(
            self.transcripts
                .get(slug)
                .ok_or_else(|| format!("no transcript has the slug {slug:?}"))?,
        );
        let page = match parts.get(1..) {
            Some([]) | None => None,
            Some([page]) => Some(*page),
            Some(_) => return Err(format!("{path:?} has too many parts")),
        };
        let fragment = fragment.filter(|f| !f.is_empty());
        match (page, fragment) {
            (None, None) => Ok(format!("{slug}/")),
            (Some("full"), f) => match f {
                Some(f) if anchors.section_of(f).is_none() && !anchors.sections.contains(&f) => {
                    Err(format!("{slug:?} has no exchange, turn or section {f:?}"))
                }
                f => Ok(with_fragment(format!("{slug}/full/"), f)),
            },
            (Some(section), f) => {
                if !anchors.sections.contains(&section) {
                    return Err(format!("{slug:?} has no section {section:?}"));
                }
                match f {
                    Some(f) if anchors.section_of(f) != Some(section) => Err(format!(
                        "section {section:?} of {slug:?} has no exchange or turn {f:?}"
                    )),
                    f => Ok(with_fragment(format!("{slug}/{section}/"), f)),
                }
            }
            // `@/slug#q3`: the anchor's own section page; `@/slug#section`: that page.
            (None, Some(f)) => match anchors.section_of(f) {
                Some(section) => Ok(format!("{slug}/{section}/#{f}")),
                None if anchors.sections.contains(&f) => Ok(format!("{slug}/{f}/")),
                None => Err(format!("{slug:?} has no exchange, turn or section {f:?}")),
            },
        }
    }

    /// Replaces every `href="@/..."` in a rendered page with the target's
    /// URL relative to the page, `root` being the way from the page to the
    /// site root (`../../`). Targets that do not resolve are left as written;
    /// [`check`] has already reported them.
    pub fn rewrite(&self, html: String, root: &str) -> String {
        let mut html = html;
        self.rewrite_in_place(&mut html, root);
        html
    }

    /// [`LinkIndex::rewrite`] on a page buffer, which is left alone (and
    /// not copied) when the page has no such link.
    pub fn rewrite_in_place(&self, html: &mut String, root: &str) {
        if find_href(html).is_some() {
            *html = self.rewritten(html, root);
        }
    }

    fn rewritten(&self, html: &str, root: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(i) = find_href(rest) {
            let target_start = i + "href=\"".len();
            let Some(len) = rest[target_start..].find('"') else {
                break;
            };
            let target = &rest[target_start..target_start + len];
            out.push_str(&rest[..target_start]);
            match self.resolve(&unescape(target)) {
                Ok(url) if root.is_empty() && url.is_empty() => out.push_str("./"),
                Ok(url) => {
                    out.push_str(root);
                    out.push_str(&url);
                }
                Err(_) => out.push_str(target),
            }
            rest = &rest[target_start + len..];
        }
        out.push_str(rest);
        out
    }
}

/// How a link to another page of the site starts in rendered HTML.
const HREF: &str = "href=\"@/";

/// Where the first `HREF` in `html` starts. Every page is searched, and most
/// have none: an `@` is rare in HTML, so memchr's vector search for it reads
/// a page many times faster than a search for the whole string, whose first
/// bytes (`href="`) are on every page.
fn find_href(html: &str) -> Option<usize> {
    const BEFORE: &str = "href=\"";
    memchr::memchr_iter(b'@', html.as_bytes())
        .filter(|&at| at >= BEFORE.len())
        .map(|at| at - BEFORE.len())
        .find(|&start| html.as_bytes()[start..].starts_with(HREF.as_bytes()))
}

/// The transcript slug a target points into (`@/slug/x#y` -> `slug`).
pub fn target_slug(target: &str) -> Option<&str> {
    let rest = target.strip_prefix(PREFIX)?;
    let end = rest.find(['/', '#']).unwrap_or(rest.len());
    Some(&rest[..end]).filter(|s| !s.is_empty())
}

/// The HTML writer escapes `&` in attributes; targets never hold other entities.
fn unescape(href: &str) -> String {
    href.replace("&amp;", "&")
}

/// Every `@/` link of every transcript that leads nowhere, as an error at the
/// link in its file.
pub fn check(transcripts: &[Transcript]) -> Vec<Diagnostic> {
    if transcripts.iter().all(|t| t.links.is_empty()) {
        return Vec::new();
    }
    let index = LinkIndex::new(transcripts);
    let mut errors = Vec::new();
    for t in transcripts {
        for link in &t.links {
            if let Err(why) = index.resolve(&link.target) {
                errors.push(
                    Diagnostic::error(&t.source_path, format!("broken link {}: {why}", link.target))
                        .at(&link.source, link.span.clone())
                        .help("link to another transcript as @/slug, @/slug/section-slug or @/slug#q3 (slugs are in the page URLs)"),
                );
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{self, Format, IngestOptions};
    use std::sync::Arc;

    fn transcript(stem: &str, text: &str) -> Transcript {
        let text: Arc<str> = Arc::from(text);
        let path = format!("content/{stem}.md");
        ingest::parse(
            Format::Markdown,
            &path,
            &text,
            stem,
            &IngestOptions::default(),
        )
        .unwrap()
        .0
    }

    fn site() -> Vec<Transcript> {
        vec![
            transcript(
                "a",
                "## One\n\nQ: first?\n\nA: yes.\n\n## Two\n\nQ: second?\n\nA: [see b](@/b#q1)\n",
            ),
            transcript(
                "b",
                "Q: only?\n\nA: [back](@/a/two#t4) and [nowhere](@/c)\n",
            ),
        ]
    }

    #[test]
    fn site_links_are_found_where_str_find_finds_them() {
        let pages = [
            "",
            "@",
            "href=\"@/",
            "<a href=\"@/x\">",
            "mail@example.org <a href=\"@/rivers#t2\">",
            "href=\"@x href=\"@/b",
            "@@href=\"@/ and href=\"@/ again",
            "href=\"../../\"",
        ];
        for page in pages {
            assert_eq!(find_href(page), page.find(HREF), "{page:?}");
        }
    }

    #[test]
    fn targets_resolve_to_the_page_that_holds_them() {
        let t = site();
        let index = LinkIndex::new(&t);
        assert_eq!(index.resolve("@/").unwrap(), "");
        assert_eq!(index.resolve("@/a").unwrap(), "a/");
        assert_eq!(index.resolve("@/a/").unwrap(), "a/");
        assert_eq!(index.resolve("@/a/two").unwrap(), "a/two/");
        assert_eq!(index.resolve("@/a#q2").unwrap(), "a/two/#q2");
        assert_eq!(index.resolve("@/a#t1").unwrap(), "a/one/#t1");
        assert_eq!(index.resolve("@/a#two").unwrap(), "a/two/");
        assert_eq!(index.resolve("@/a/full#t3").unwrap(), "a/full/#t3");
        assert!(index
            .resolve("@/a/one#q2")
            .unwrap_err()
            .contains("no exchange"));
        assert!(index
            .resolve("@/a/three")
            .unwrap_err()
            .contains("no section"));
        assert!(index.resolve("@/zz").unwrap_err().contains("no transcript"));
    }

    #[test]
    fn links_are_rewritten_relative_to_the_page() {
        let t = site();
        let index = LinkIndex::new(&t);
        let html = r#"<a href="@/b#q1">x</a> <a href="@/">home</a> <a href="https://x.org">y</a>"#;
        assert_eq!(
            index.rewrite(html.to_string(), "../../"),
            r#"<a href="../../b/b/#q1">x</a> <a href="../../">home</a> <a href="https://x.org">y</a>"#
        );
        assert_eq!(
            index.rewrite(r#"<a href="@/">h</a>"#.to_string(), ""),
            r#"<a href="./">h</a>"#
        );
    }

    #[test]
    fn broken_links_are_errors_at_their_line() {
        let errors = check(&site());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].path, "content/b.md");
        assert_eq!(errors[0].line, Some(3));
        assert!(errors[0].message.contains("@/c"), "{}", errors[0].message);
    }
}
