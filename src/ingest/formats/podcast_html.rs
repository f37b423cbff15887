//! Podcasting 2.0 HTML transcripts (`.html`): a fragment or page in which
//! `<cite>Name:</cite>` names the speaker, `<time>0:53</time>` gives the
//! start and `<p>` holds what is said. Everything else (head, scripts,
//! styles, other markup) is ignored. A page without any `<p>` or `<cite>` is
//! refused, so an ordinary web page is not taken for a transcript.

use super::webvtt::decode_references;
use crate::diagnostic::Diagnostic;
use crate::ingest::normalize::{Normalized, Origin};
use crate::ingest::people::People;
use crate::ingest::sidecar::Sidecar;
use crate::ingest::speech::SpeechBuilder;
use crate::model::Timecode;

/// Parses a Podcasting 2.0 HTML transcript.
pub fn parse(origin: &Origin, sidecar: Sidecar) -> Result<Normalized, Vec<Diagnostic>> {
    let elements = elements(origin.text);
    if !elements
        .iter()
        .any(|(tag, _)| *tag == "cite" || *tag == "p")
    {
        return Err(vec![Diagnostic::error(
            origin.path,
            "not a Podcasting 2.0 HTML transcript: no <cite> speaker or <p> paragraph found",
        )
        .help(
            "a transcript page has <cite>Name:</cite> <time>0:00</time> <p>words</p> for each turn",
        )]);
    }
    let people = People::new(Default::default(), &sidecar);
    let mut builder = SpeechBuilder::new(sidecar.chapters, &people.default_label());
    let mut speaker: Option<String> = None;
    let mut start: Option<Timecode> = None;
    let mut warnings = Vec::new();
    for (tag, text) in elements {
        match tag {
            "cite" => speaker = Some(text.trim().trim_end_matches(':').to_string()),
            "time" => {
                start = Timecode::parse(text.trim());
                if start.is_none() && !text.trim().is_empty() {
                    let why = Timecode::read(text.trim()).err().unwrap_or_default();
                    let at = origin.text.find(text.trim());
                    let d = Diagnostic::warning(
                        origin.path,
                        format!(
                            "the <time> {:?} cannot be read ({why}); the turn is kept without a time",
                            text.trim()
                        ),
                    )
                    .help("write times as hh:mm:ss or mm:ss, minutes and seconds under 60");
                    warnings.push(match at {
                        Some(i) => d.at(origin.text, i..i + text.trim().len()),
                        None => d,
                    });
                }
            }
            _ => {
                builder.speak(speaker.take().as_deref(), start.take(), &text);
                builder.paragraph_break();
            }
        }
    }
    let (transcript, mut found) = people.normalize(builder.finish(), origin)?;
    found.extend(warnings);
    Ok((transcript, found))
}

/// The text of every `<cite>`, `<time>` and `<p>` element, in order, with
/// inner tags removed and character references decoded.
fn elements(html: &str) -> Vec<(&'static str, String)> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = lower[at..].find('<').map(|i| at + i) {
        let name_end = lower[open + 1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(lower.len(), |i| open + 1 + i);
        let name = &lower[open + 1..name_end];
        let Some(tag_end) = lower[open..].find('>').map(|i| open + i + 1) else {
            break;
        };
        let kind = match name {
            "cite" => "cite",
            "time" => "time",
            "p" => "p",
            "script" | "style" | "head" => {
                // Skip the whole element: its text is not speech.
                let close = format!("</{name}");
                at = lower[tag_end..]
                    .find(&close)
                    .map_or(lower.len(), |i| tag_end + i);
                continue;
            }
            _ => {
                at = tag_end;
                continue;
            }
        };
        let close = format!("</{kind}");
        let end = lower[tag_end..]
            .find(&close)
            .map_or(lower.len(), |i| tag_end + i);
        out.push((kind, text_of(&html[tag_end..end])));
        at = end;
    }
    out
}

/// Text with tags removed (`<br>` becomes a space) and references decoded.
fn text_of(fragment: &str) -> String {
    let mut out = String::with_capacity(fragment.len());
    let mut rest = fragment;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        rest = rest[open..].find('>').map_or("", |i| &rest[open + i + 1..]);
    }
    out.push_str(rest);
    decode_references(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cites_times_and_paragraphs() {
        let e = elements("<html><head><title>x</title></head><body><cite>Travis:</cite>\n<time>0:00</time>\n<p>It&#39;s <b>here</b></p><script>var p = '<p>no</p>';</script></body>");
        assert_eq!(
            e,
            [
                ("cite", "Travis:".to_string()),
                ("time", "0:00".to_string()),
                ("p", "It's  here ".to_string())
            ]
        );
    }
}
