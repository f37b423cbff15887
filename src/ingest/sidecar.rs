//! Sidecar metadata: `interview.toml` beside `interview.vtt` (or any other
//! non-Markdown source) holds what the source format cannot say: the same
//! fields as front matter, plus `[[chapters]]` that split turns into sections.

use super::frontmatter::FrontMatter;
use super::speech::Chapter;
use crate::config::toml_diagnostic;
use crate::diagnostic::Diagnostic;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A sidecar file's contents.
#[derive(Debug, Clone, Default)]
pub struct Sidecar {
    pub front_matter: FrontMatter,
    pub chapters: Vec<Chapter>,
}

const SIDECAR_HELP: &str = "a sidecar takes the front matter fields (title, subtitle, date, \
     description, tags, draft, language, slug, source, speakers, interviewer, interviewee, translator, translation_of, align, media, embargo, list_while_embargoed, withheld) \
     and [[chapters]] with start and title (see docs/formats.md)";

/// Only the chapters; every other key is checked by [`FrontMatter`].
#[derive(Deserialize)]
struct ChaptersOnly {
    #[serde(default)]
    chapters: Vec<Chapter>,
}

/// The sidecar path of a source: the same name with `.toml`.
pub fn path_of(source: &Path) -> PathBuf {
    source.with_extension("toml")
}

/// Parses a sidecar's text. `path` is how messages name the sidecar.
pub fn parse(path: &str, text: &Arc<str>) -> Result<Sidecar, Diagnostic> {
    let chapters: ChaptersOnly =
        toml::from_str(text).map_err(|e| toml_diagnostic(path, text, 0, &e, SIDECAR_HELP))?;
    // Front matter refuses unknown keys; take `chapters` out of its sight.
    let mut table: toml::Table =
        toml::from_str(text).map_err(|e| toml_diagnostic(path, text, 0, &e, SIDECAR_HELP))?;
    table.remove("chapters");
    let mut front_matter: FrontMatter =
        toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| {
                // Positions are lost once the table is taken apart; find the key again.
                let message = e.message().trim().to_string();
                let d = Diagnostic::error(path, message).help(SIDECAR_HELP);
                match unknown_key(e.message()).and_then(|k| key_span(text, &k)) {
                    Some(span) => d.at(text, span),
                    None => d,
                }
            })?;
    // A script URL is the sidecar's mistake: named at its line here, not
    // later at the transcript's.
    if let Some(error) = super::frontmatter::script_url_errors(&front_matter, path, text)
        .into_iter()
        .next()
    {
        return Err(error);
    }
    super::frontmatter::place_withheld(&mut front_matter.withheld, path, text, 0..text.len());
    front_matter.take_translators();
    front_matter.place = Some(super::frontmatter::Place {
        path: path.into(),
        text: Arc::clone(text),
        table: 0..text.len(),
    });
    Ok(Sidecar {
        front_matter,
        chapters: chapters.chapters,
    })
}

/// The key named in serde's "unknown field `x`" message.
fn unknown_key(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

/// Where `key = ` starts a line of the sidecar.
fn key_span(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed
            .strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with('='))
        {
            let start = offset + line.len() - trimmed.len();
            return Some(start..start + key.len());
        }
        offset += line.len();
    }
    None
}

/// Metadata found in the source itself (OHMS, plain-text headers) with the
/// sidecar's fields laid over it: whatever the sidecar sets wins.
pub fn overlay(found: FrontMatter, sidecar: FrontMatter) -> FrontMatter {
    let declares_people = !sidecar.speakers.is_empty()
        || sidecar.interviewer.is_some()
        || sidecar.interviewee.is_some();
    FrontMatter {
        title: sidecar.title.or(found.title),
        subtitle: sidecar.subtitle.or(found.subtitle),
        date: sidecar.date.or(found.date),
        description: sidecar.description.or(found.description),
        tags: if sidecar.tags.is_empty() {
            found.tags
        } else {
            sidecar.tags
        },
        draft: sidecar.draft || found.draft,
        language: sidecar.language.or(found.language),
        slug: sidecar.slug.or(found.slug),
        source: sidecar.source.or(found.source),
        speakers: if declares_people {
            sidecar.speakers
        } else {
            found.speakers
        },
        interviewer: if declares_people {
            sidecar.interviewer
        } else {
            found.interviewer
        },
        interviewee: if declares_people {
            sidecar.interviewee
        } else {
            found.interviewee
        },
        translator: sidecar.translator.or(found.translator),
        // Where the translation is said is where its messages point.
        place: if sidecar.translation_of.is_some() || !sidecar.align.is_empty() {
            sidecar.place
        } else {
            found.place
        },
        translation_of: sidecar.translation_of.or(found.translation_of),
        align: if sidecar.align.is_empty() {
            found.align
        } else {
            sidecar.align
        },
        media: sidecar.media.or(found.media),
        embargo: sidecar.embargo.or(found.embargo),
        list_while_embargoed: sidecar.list_while_embargoed.or(found.list_while_embargoed),
        withheld: found.withheld.into_iter().chain(sidecar.withheld).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timecode;

    #[test]
    fn front_matter_fields_and_chapters() {
        let text: Arc<str> = Arc::from(
            "title = \"T\"\n[media]\nurl = \"a.mp3\"\n[[chapters]]\nstart = \"00:01:00\"\ntitle = \"One\"\n",
        );
        let s = parse("content/a.toml", &text).unwrap();
        assert_eq!(s.front_matter.title.as_deref(), Some("T"));
        assert_eq!(s.front_matter.media.unwrap().files()[0].url, "a.mp3");
        assert_eq!(s.chapters[0].start, Timecode(60_000));
        assert_eq!(s.chapters[0].title, "One");
    }

    #[test]
    fn unknown_keys_are_pointed_at() {
        let text: Arc<str> = Arc::from("title = \"T\"\ntitel = \"x\"\n");
        let e = parse("content/a.toml", &text).unwrap_err();
        assert!(e.message.contains("titel"), "{}", e.message);
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn bad_chapter_times_are_errors() {
        let text: Arc<str> = Arc::from("[[chapters]]\nstart = \"soon\"\ntitle = \"One\"\n");
        let e = parse("content/a.toml", &text).unwrap_err();
        assert!(e.message.contains("soon"), "{}", e.message);
        assert_eq!(e.line, Some(2));
    }
}
