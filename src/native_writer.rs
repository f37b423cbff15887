//! Writes a [`Transcript`] as a native content file: TOML front matter and
//! Markdown in which `## ` headings are sections, `**Name:**` starts each
//! turn and a `{tags = [...]}` line ends a tagged turn. `verbatim import` uses it to turn any source format into a file an
//! editor can curate. The writer handles what the importers produce (plain
//! paragraphs); a transcript it cannot write faithfully is refused rather
//! than changed.

use crate::ingest::formats::markdown::is_valid_label;
use crate::ingest::normalize::slugify;
use crate::ingest::speech::escape_paragraph;
use crate::model::{Media, MediaKind, Role, Source, Timecode, Transcript, Turn, WithheldRule};
use serde::Serialize;
use std::fmt::Write;

/// Front matter as written; only what differs from the defaults.
#[derive(Serialize)]
struct Front<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    subtitle: Option<&'a str>,
    /// A TOML date (`date = 1994-02-07`), as editors write it.
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    slug: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    translator: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    translation_of: Option<&'a str>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    align: std::collections::BTreeMap<String, String>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    media: Vec<MediaOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a Source>,
    /// A TOML date, as `date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    embargo: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    list_while_embargoed: bool,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    withheld: Vec<WithheldOut<'a>>,
    speakers: Vec<SpeakerOut<'a>>,
}

#[derive(Serialize)]
struct WithheldOut<'a> {
    #[serde(flatten)]
    rule: &'a WithheldRule,
    #[serde(skip_serializing_if = "Option::is_none", rename = "embargo")]
    until: Option<toml::value::Datetime>,
}

#[derive(Serialize)]
struct MediaOut<'a> {
    url: &'a str,
    kind: MediaKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<Timecode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<Timecode>,
}

#[derive(Serialize)]
struct SpeakerOut<'a> {
    id: &'a str,
    name: &'a str,
    role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bio: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: Vec<String>,
}

/// The native `.md` text of a transcript. `default_language` is the site's:
/// a transcript in it does not repeat it. Errors say what could not be written.
pub fn to_markdown(t: &Transcript, default_language: &str) -> Result<String, String> {
    let labels = labels(t);
    let front = Front {
        title: &t.title,
        subtitle: t.subtitle.as_deref(),
        date: t.date.as_deref().and_then(|d| d.parse().ok()),
        description: t.description.as_deref(),
        tags: &t.tags,
        draft: t.draft,
        language: (t.language != default_language).then_some(t.language.as_str()),
        slug: &t.slug,
        translator: (!t.translators.is_empty()).then_some(t.translators.as_slice()),
        translation_of: t.translation_of.as_deref(),
        align: t
            .align
            .iter()
            .map(|(here, there)| (format!("t{here}"), format!("t{there}")))
            .collect(),
        media: t
            .media
            .iter()
            .map(|m: &Media| MediaOut {
                url: &m.url,
                kind: m.kind,
                offset: (!m.offset.is_zero()).then_some(m.offset),
                duration: m.duration,
            })
            .collect(),
        source: (!t.source.is_empty()).then_some(&t.source),
        embargo: t.embargo.as_deref().and_then(|d| d.parse().ok()),
        list_while_embargoed: t.list_while_embargoed,
        withheld: t
            .withheld
            .iter()
            .map(|rule| WithheldOut {
                rule,
                until: rule.embargo.as_deref().and_then(|d| d.parse().ok()),
            })
            .collect(),
        speakers: t
            .speakers
            .iter()
            .zip(&labels)
            .map(|(s, label)| SpeakerOut {
                id: &s.id,
                name: &s.name,
                role: s.role,
                title: s.title.as_deref(),
                bio: s.bio.as_deref(),
                // A label made up for the file is written as an alias, so it
                // reads back as this speaker.
                aliases: s
                    .aliases
                    .iter()
                    .cloned()
                    .chain(label.made_up.then(|| label.text.clone()))
                    .collect(),
            })
            .collect(),
    };
    let toml =
        toml::to_string(&front).map_err(|e| format!("cannot write the front matter: {e}"))?;
    let mut out = format!("+++\n{toml}+++\n");

    write_paragraphs(&mut out, &t.intro, "the transcript's intro")?;
    let headingless = t.sections.len() == 1
        && t.sections[0].number.is_none()
        && t.sections[0].title == t.title
        && t.sections[0].intro.is_empty()
        && t.sections[0].slug == slugify(&t.title);
    for section in &t.sections {
        if !headingless {
            out.push_str("\n## ");
            if let Some(n) = &section.number {
                let _ = write!(out, "{n}. ");
            }
            out.push_str(&escape_paragraph(&section.title));
            if section.slug != slugify(&section.title) {
                let _ = write!(out, " {{#{}}}", section.slug);
            }
            out.push('\n');
        }
        write_paragraphs(
            &mut out,
            &section.intro,
            &format!("the intro of {:?}", section.title),
        )?;
        for turn in section.turns() {
            write_turn(&mut out, t, &labels, turn)?;
        }
    }
    Ok(out)
}

fn write_turn(
    out: &mut String,
    t: &Transcript,
    labels: &[Label],
    turn: &Turn,
) -> Result<(), String> {
    let index = t
        .speakers
        .iter()
        .position(|s| s.id == *turn.speaker)
        .ok_or_else(|| format!("turn {} names an unknown speaker", turn.id))?;
    let label = &labels[index].text;
    let mut first = true;
    for block in turn.blocks() {
        let paragraphs = html_paragraphs(&block)
            .ok_or_else(|| format!("turn {} has markup the writer cannot keep", turn.id))?;
        for p in paragraphs {
            out.push('\n');
            if first {
                if let Some(start) = turn.start {
                    let _ = write!(out, "[{start}] ");
                }
                let _ = write!(out, "**{label}:** ");
                first = false;
            }
            out.push_str(&escape_paragraph(&p));
            out.push('\n');
        }
    }
    if !turn.tags.is_empty() {
        if first {
            return Err(format!("turn {} has tags but no words", turn.id));
        }
        // The last line of the turn's last paragraph, as the parser reads it.
        let tags = toml::Value::Array(turn.tags.iter().cloned().map(toml::Value::from).collect());
        let _ = writeln!(out, "{{tags = {tags}}}");
    }
    Ok(())
}

/// The label a speaker's turns are written with.
struct Label {
    text: String,
    /// Not the speaker's name or id: written as an alias too.
    made_up: bool,
}

/// The label that resolves to each speaker when read back: the name, else
/// the id (names with commas, colons or shared by two speakers cannot be
/// labels), else, when the id cannot be one either (a long name's id is as
/// long), `Speaker N`, written as an alias.
fn labels(t: &Transcript) -> Vec<Label> {
    let taken = |label: &str, except: usize| {
        let key = label.to_lowercase();
        t.speakers.iter().enumerate().any(|(i, s)| {
            i != except
                && (s.id.to_lowercase() == key
                    || s.name.to_lowercase() == key
                    || s.aliases.iter().any(|a| a.to_lowercase() == key))
        })
    };
    let mut out: Vec<Label> = Vec::with_capacity(t.speakers.len());
    for (i, speaker) in t.speakers.iter().enumerate() {
        // A label resolves to the first speaker it matches: an earlier one
        // must not match it.
        let resolves = |label: &str, out: &[Label]| {
            let key = label.to_lowercase();
            is_valid_label(label)
                && !t.speakers[..i].iter().any(|s| {
                    s.id.to_lowercase() == key
                        || s.name.to_lowercase() == key
                        || s.aliases.iter().any(|a| a.to_lowercase() == key)
                })
                && !out.iter().any(|l| l.text.to_lowercase() == key)
        };
        let label = if resolves(&speaker.name, &out) {
            Label {
                text: speaker.name.clone(),
                made_up: false,
            }
        } else if resolves(&speaker.id, &out) {
            Label {
                text: speaker.id.to_string(),
                made_up: false,
            }
        } else {
            let text = (i + 1..)
                .map(|n| format!("Speaker {n}"))
                .find(|l| {
                    !taken(l, usize::MAX) && !out.iter().any(|o| o.text.eq_ignore_ascii_case(l))
                })
                .expect("a free number");
            Label {
                text,
                made_up: true,
            }
        };
        out.push(label);
    }
    out
}

fn write_paragraphs(out: &mut String, html: &str, what: &str) -> Result<(), String> {
    let paragraphs =
        html_paragraphs(html).ok_or_else(|| format!("{what} has markup the writer cannot keep"))?;
    for p in paragraphs {
        out.push('\n');
        out.push_str(&escape_paragraph(&p));
        out.push('\n');
    }
    Ok(())
}

/// `<p>text</p>\n` blocks back to their text; `None` for any other markup.
fn html_paragraphs(html: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let inner = rest.strip_prefix("<p>")?;
        let end = inner.find("</p>")?;
        let text = &inner[..end];
        if text.contains('<') {
            return None;
        }
        out.push(
            text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&"),
        );
        rest = inner[end + 4..].trim_start_matches('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_come_back_as_text() {
        assert_eq!(
            html_paragraphs("<p>a &amp; b &lt;c&gt;</p>\n<p>d</p>\n").unwrap(),
            ["a & b <c>", "d"]
        );
        assert!(html_paragraphs("<p><em>x</em></p>\n").is_none());
        assert!(html_paragraphs("<ul><li>x</li></ul>\n").is_none());
    }
}
