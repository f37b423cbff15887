//! The tag index: every tag on the site and the transcripts that carry it.
//! Tags that differ only in case or punctuation share one page.

use crate::ingest::normalize::slugify;
use crate::model::Transcript;
use std::collections::BTreeMap;

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
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    for (i, t) in transcripts.iter().enumerate() {
        for name in &t.tags {
            let slug = tag_slug(name);
            let tag = tags.entry(slug.clone()).or_insert_with(|| Tag {
                name: name.clone(),
                slug,
                transcripts: Vec::new(),
            });
            // A transcript that lists one tag twice is listed once.
            if tag.transcripts.last() != Some(&i) {
                tag.transcripts.push(i);
            }
        }
    }
    tags.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_never_empty() {
        assert_eq!(tag_slug("Open Source"), "open-source");
        assert_eq!(tag_slug("!!!"), "tag");
    }
}
