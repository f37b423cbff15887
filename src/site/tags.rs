//! The tag index: every tag on the site and the transcripts that carry it.
//! Tags that differ only in case or punctuation share one page.

use crate::ingest::normalize::slugify;
use crate::model::Transcript;
use rustc_hash::FxHashMap;

/// One tag and where it is used.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// The spelling of the newest transcript that uses it.
    pub name: String,
    /// URL segment of the tag's page (`tags/<slug>/`).
    pub slug: String,
    /// Indexes into [`crate::site::Site::transcripts`], newest first.
    pub transcripts: Vec<usize>,
}

/// The URL segment of a tag.
pub fn tag_slug(name: &str) -> String {
    let slug = slugify(name);
    if slug.is_empty() {
        "tag".to_string()
    } else {
        slug
    }
}

/// Every tag, sorted by slug.
pub fn index(transcripts: &[Transcript]) -> Vec<Tag> {
    let mut tags: Vec<Tag> = Vec::new();
    // Where each tag is in `tags`, by slug and by spelling: each spelling is
    // made a slug once, since a site has a few hundred tags on thousands of
    // transcripts, and `serve` makes this index again after every save.
    let mut by_slug: FxHashMap<String, usize> = FxHashMap::default();
    let mut by_name: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, t) in transcripts.iter().enumerate() {
        for name in &t.tags {
            let at = match by_name.get(name.as_str()) {
                Some(&at) => at,
                None => {
                    let slug = tag_slug(name);
                    // The first spelling met, the newest transcript's, names it.
                    let at = *by_slug.entry(slug.clone()).or_insert_with(|| {
                        tags.push(Tag {
                            name: name.clone(),
                            slug,
                            transcripts: Vec::new(),
                        });
                        tags.len() - 1
                    });
                    by_name.insert(name, at);
                    at
                }
            };
            let tag = &mut tags[at];
            // A transcript that lists one tag twice is listed once.
            if tag.transcripts.last() != Some(&i) {
                tag.transcripts.push(i);
            }
        }
    }
    tags.sort_by(|a, b| a.slug.cmp(&b.slug));
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A transcript with these tags and nothing else.
    fn tagged(tags: &[&str]) -> Transcript {
        serde_json::from_value(serde_json::json!({
            "slug": "t", "title": "T", "language": "en", "source_path": "content/t.md",
            "speakers": [], "sections": [], "tags": tags,
        }))
        .unwrap()
    }

    #[test]
    fn spellings_of_one_slug_are_one_tag_named_as_first_met() {
        let index = index(&[
            tagged(&["Open Source", "ai", "open source"]),
            tagged(&["AI", "History"]),
            tagged(&["open-source", "Open Source"]),
        ]);
        let got: Vec<(&str, &str, &[usize])> = index
            .iter()
            .map(|t| (t.slug.as_str(), t.name.as_str(), t.transcripts.as_slice()))
            .collect();
        assert_eq!(
            got,
            [
                ("ai", "ai", &[0, 1][..]),
                ("history", "History", &[1][..]),
                ("open-source", "Open Source", &[0, 2][..]),
            ]
        );
    }

    #[test]
    fn slugs_never_empty() {
        assert_eq!(tag_slug("Open Source"), "open-source");
        assert_eq!(tag_slug("!!!"), "tag");
    }
}
