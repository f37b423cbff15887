//! SubRip (`.srt`): numbered cards of `start --> end` and text lines. Index
//! lines may be missing or start at 0; a `Name:` prefix on a card's first
//! line names the speaker, and cards without one continue the last speaker.
//! Formatting tags (`<i>`, `<font>`, `{\an8}`) are stripped.

use super::markdown::split_label;
use super::normalize::{Normalized, Origin};
use super::people::People;
use super::sidecar::Sidecar;
use super::speech::SpeechBuilder;
use super::webvtt::cue_text;
use crate::diagnostic::Diagnostic;
use crate::model::Timecode;

/// One card: start time and text lines.
struct Card {
    start: Timecode,
    lines: Vec<String>,
}

/// Parses a SubRip transcript.
pub fn parse(origin: &Origin, sidecar: Sidecar) -> Result<Normalized, Vec<Diagnostic>> {
    let cards = cards(origin.text);
    if cards.is_empty() {
        return Err(vec![Diagnostic::error(
            origin.path,
            "no subtitle cards found: an SRT card is a `00:00:01,000 --> 00:00:04,000` line followed by text",
        )
        .help("check that the file is SubRip; WebVTT files need the .vtt extension")]);
    }
    let people = People::new(Default::default(), &sidecar);
    let mut builder = SpeechBuilder::new(sidecar.chapters, &people.default_label());
    for card in &cards {
        let text = card
            .lines
            .iter()
            .map(|l| strip_tags(l))
            .collect::<Vec<_>>()
            .join(" ");
        match split_label(text.trim_start()) {
            Some((_, label, rest)) => builder.speak(Some(label), Some(card.start), rest),
            None => builder.speak(None, Some(card.start), &text),
        }
    }
    people.normalize(builder.finish(), origin)
}

/// The cards of a file: a timing line starts one, a blank line or the next
/// timing line (and the index before it) ends it.
fn cards(text: &str) -> Vec<Card> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    let mut cards: Vec<Card> = Vec::new();
    let mut open = false;
    for (i, line) in lines.iter().enumerate() {
        if let Some(start) = timing_start(line) {
            cards.push(Card {
                start,
                lines: Vec::new(),
            });
            open = true;
            continue;
        }
        if line.trim().is_empty() {
            open = false;
            continue;
        }
        let is_index = line.trim().bytes().all(|b| b.is_ascii_digit())
            && lines
                .get(i + 1)
                .is_some_and(|next| timing_start(next).is_some());
        if open && !is_index {
            if let Some(card) = cards.last_mut() {
                card.lines.push(line.to_string());
            }
        }
    }
    cards
}

/// The start of `00:00:01,000 --> 00:00:04,000` (a `.` is accepted too).
fn timing_start(line: &str) -> Option<Timecode> {
    let (start, end) = line.split_once("-->")?;
    let end = end.split_whitespace().next()?;
    Timecode::parse(end)?;
    Timecode::parse(start.trim())
}

/// `<i>`, `<font color=..>` and ASS overrides such as `{\an8}` removed.
fn strip_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find("{\\") {
        out.push_str(&rest[..open]);
        rest = match rest[open..].find('}') {
            Some(close) => &rest[open + close + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    cue_text(&out)
        .into_iter()
        .map(|(_, text)| text)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_optional_and_zero_based() {
        let c = cards("0\r\n00:00:01,000 --> 00:00:04,000\r\nAd\r\n\r\n1\r\n00:00:05,000 --> 00:00:06,000\r\nOne\r\ntwo\r\n");
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].lines, ["One", "two"]);
        let c =
            cards("\u{feff}00:00:06,500 --> 00:00:09,000\nA\n\n00:00:11,000 --> 00:00:17,000\nB\n");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].start, Timecode(6_500));
    }

    #[test]
    fn tags_are_stripped() {
        assert_eq!(strip_tags("{\\an8}<i>Hi</i> there"), "Hi there");
    }
}
