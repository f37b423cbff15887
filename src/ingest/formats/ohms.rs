//! OHMS XML (`.xml`), the format of the Oral History Metadata Synchronizer:
//! record metadata (title, interviewee, interviewer, date, media_url,
//! repository, description), index points as sections (title, synopsis,
//! keywords, start time), and the transcript: version 5 plain text with
//! `SURNAME:` turns (times from `<sync>` minute anchors), or version 6's
//! embedded WebVTT. A record with an index but no transcript becomes one
//! section per index point, holding the point's partial transcript.
//! Ignored: `_alt` translations, GPS points, hyperlinks, subjects,
//! host and player settings. An `.xml` file whose root element is `<tt>`
//! is TTML, and is read by [`super::ttml`].

use super::plaintext::{credit_warnings, parse_date, speak_lines};
use super::webvtt;
use crate::diagnostic::Diagnostic;
use crate::ingest::frontmatter::{DateValue, FrontMatter, MediaFiles, MediaSpec, OneOrMany};
use crate::ingest::normalize::{Normalized, Origin};
use crate::ingest::people::People;
use crate::ingest::sidecar::Sidecar;
use crate::ingest::speech::{clean, seconds, Chapter, SpeechBuilder};
use crate::model::{Source, Timecode};
use roxmltree::Node;

/// Parses an OHMS XML record.
pub fn parse(origin: &Origin, sidecar: Sidecar) -> Result<Normalized, Vec<Diagnostic>> {
    let doc = crate::ingest::xml::parse(
        origin,
        "an OHMS record",
        "OHMS files are XML exported from the OHMS application",
    )?;
    // TTML saved as .xml: a <tt> root in any namespace.
    if super::ttml::is_ttml(&doc) {
        return super::ttml::read(origin, sidecar, &doc);
    }
    let Some(record) = doc.descendants().find(|n| n.has_tag_name_local("record")) else {
        return Err(vec![Diagnostic::error(
            origin.path,
            "not an OHMS record: the XML has no <record> element",
        )
        .help("verbatim reads .xml files as OHMS exports (namespace https://www.weareavp.com/nunncenter/ohms) or TTML captions (a <tt> root element)")]);
    };
    let field = |name: &str| child_text(record, name);

    let mut found = FrontMatter {
        title: field("title"),
        description: field("description"),
        ..FrontMatter::default()
    };
    let people_of = |name: &str| {
        let names: Vec<String> = record
            .children()
            .filter(|n| n.has_tag_name_local(name))
            .filter_map(|n| text_of(n))
            .flat_map(|t| t.split(';').map(clean).collect::<Vec<_>>())
            .filter(|s| !s.is_empty())
            .collect();
        (!names.is_empty()).then_some(OneOrMany::Many(names))
    };
    found.interviewee = people_of("interviewee");
    found.interviewer = people_of("interviewer");
    let date = record
        .children()
        .find(|n| n.has_tag_name_local("date"))
        .and_then(|n| n.attribute("value"))
        .and_then(parse_date)
        .or_else(|| field("date_nonpreferred_format").and_then(|d| parse_date(&d)));
    found.date = date.map(DateValue::Text);
    found.media = field("media_url").map(|url| MediaFiles::One(MediaSpec::url(url)));
    if let Some(repository) = field("repository") {
        found.source = Some(Source {
            publisher: Some(repository),
            url: field("repository_url"),
            ..Source::default()
        });
    }

    let index = index_points(record);
    let people = People::new(found, &sidecar);
    let chapters = if sidecar.chapters.is_empty() {
        index.iter().map(|p| p.chapter.clone()).collect()
    } else {
        sidecar.chapters
    };
    let mut builder = SpeechBuilder::new(chapters, &people.default_label());

    let vtt = field("vtt_transcript");
    let mut embedded_warnings = Vec::new();
    let transcript = field("transcript").filter(|t| t != "No transcript.");
    if let Some(vtt) = vtt {
        let (cues, timing_warnings) = webvtt::cues(&vtt).map_err(|why| {
            vec![Diagnostic::error(
                origin.path,
                format!(
                    "the embedded <vtt_transcript> is not WebVTT: {}",
                    why.message
                ),
            )]
        })?;
        webvtt::speak_cues(&mut builder, &cues);
        // The cues' lines count from the element's text, in the record.
        let base = record
            .children()
            .find(|n| n.has_tag_name_local("vtt_transcript"))
            .map_or(1, |n| {
                crate::diagnostic::line_column(doc.input_text(), n.range().start).0
            });
        embedded_warnings = timing_warnings
            .into_diagnostics(origin.path, origin.text)
            .into_iter()
            .map(|mut d| {
                d.message = format!("in the embedded <vtt_transcript>: {}", d.message);
                match d.line {
                    Some(line) => d.at_line(origin.text, base + line - 1),
                    None => d,
                }
            })
            .collect();
    } else if let Some(transcript) = transcript {
        let anchors = sync_anchors(field("sync").as_deref().unwrap_or(""));
        let lines: Vec<&str> = transcript.lines().collect();
        let timed = lines.iter().enumerate().map(|(i, line)| {
            // The last minute mark before the line (or at its first word):
            // the line starts no earlier, so playing from it misses nothing.
            let at = anchors
                .iter()
                .take_while(|(l, w, _)| *l < i + 1 || (*l == i + 1 && *w <= 1))
                .map(|(_, _, t)| *t)
                .last()
                .or((!anchors.is_empty()).then_some(Timecode(0)));
            (*line, at)
        });
        let left_out = speak_lines(&mut builder, timed, true);
        let first = record
            .children()
            .find(|n| n.has_tag_name_local("transcript"))
            .map_or(1, |n| {
                crate::diagnostic::line_column(doc.input_text(), n.range().start).0
            });
        embedded_warnings = credit_warnings(origin.path, origin.text, first, left_out);
    } else {
        // Only an index: its partial transcripts are what there is to read.
        for point in &index {
            if let Some(partial) = &point.partial {
                let (label, words) = match super::markdown::split_label(partial) {
                    Some((_, label, rest)) => (Some(label), rest),
                    None => (None, partial.as_str()),
                };
                builder.speak(label, Some(point.chapter.start), words);
                builder.paragraph_break();
            }
        }
    }
    if builder.is_empty() {
        return Err(vec![Diagnostic::error(
            origin.path,
            "the OHMS record has no transcript and no index to read",
        )
        .help(
            "export the record from OHMS after adding a transcript or index points",
        )]);
    }
    let (transcript, mut warnings) = people.normalize(builder.finish(), origin)?;
    warnings.extend(embedded_warnings);
    Ok((transcript, warnings))
}

/// An index point: where it starts, its title and summary, and the words it
/// opens with.
struct IndexPoint {
    chapter: Chapter,
    partial: Option<String>,
}

fn index_points(record: Node) -> Vec<IndexPoint> {
    let Some(index) = record.children().find(|n| n.has_tag_name_local("index")) else {
        return Vec::new();
    };
    index
        .children()
        .filter(|n| n.has_tag_name_local("point"))
        .filter_map(|point| {
            let start = child_text(point, "time")
                .and_then(|t| t.parse::<f64>().ok())
                .and_then(seconds)?;
            let title = child_text(point, "title").unwrap_or_else(|| start.to_string());
            let mut summary = child_text(point, "synopsis").unwrap_or_default();
            if let Some(keywords) = child_text(point, "keywords") {
                let keywords: Vec<String> = keywords
                    .split(';')
                    .map(clean)
                    .filter(|k| !k.is_empty())
                    .collect();
                if !summary.is_empty() {
                    summary.push(' ');
                }
                summary.push_str(&format!("Keywords: {}.", keywords.join("; ")));
            }
            Some(IndexPoint {
                chapter: Chapter {
                    start,
                    title,
                    summary: (!summary.is_empty()).then_some(summary),
                },
                partial: child_text(point, "partial_transcript"),
            })
        })
        .collect()
}

/// `1:|1(3)|3(2)`: every interval (minutes, before `:`), the transcript line
/// and word (both 1-based) where that minute starts.
fn sync_anchors(sync: &str) -> Vec<(usize, usize, Timecode)> {
    let Some((interval, anchors)) = sync.split_once(':') else {
        return Vec::new();
    };
    let Ok(minutes) = interval.trim().parse::<u64>() else {
        return Vec::new();
    };
    anchors
        .split('|')
        .filter(|a| !a.trim().is_empty())
        .enumerate()
        .filter_map(|(k, anchor)| {
            let (line, word) = anchor.split_once('(').unwrap_or((anchor, "1)"));
            let line = line.trim().parse().ok()?;
            let word = word.trim_end_matches(')').trim().parse().unwrap_or(1);
            Some((line, word, Timecode((k as u64 + 1) * minutes * 60_000)))
        })
        .collect()
}

fn child_text(node: Node, name: &str) -> Option<String> {
    node.children()
        .find(|n| n.has_tag_name_local(name))
        .and_then(text_of)
}

/// The element's text (CDATA included), or `None` when blank.
fn text_of(node: Node) -> Option<String> {
    let text: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// Element names without caring about the namespace.
trait LocalName {
    fn has_tag_name_local(&self, name: &str) -> bool;
}

impl LocalName for Node<'_, '_> {
    fn has_tag_name_local(&self, name: &str) -> bool {
        self.is_element() && self.tag_name().name() == name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_anchors_are_minutes() {
        assert_eq!(
            sync_anchors("1:|1(3)|3(2)"),
            [(1, 3, Timecode(60_000)), (3, 2, Timecode(120_000))]
        );
        assert!(sync_anchors("").is_empty());
    }
}
