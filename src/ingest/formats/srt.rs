//! SubRip (`.srt`): numbered cards of `start --> end` and text lines. Index
//! lines may be missing or start at 0; a `Name:` prefix on a card's first
//! line names the speaker, and cards without one continue the last speaker.
//! Formatting tags (`<i>`, `<font>`, `{\an8}`) are stripped.

use super::markdown::split_label;
use super::webvtt::cue_text;
use crate::diagnostic::Diagnostic;
use crate::ingest::normalize::{Normalized, Origin};
use crate::ingest::people::People;
use crate::ingest::sidecar::Sidecar;
use crate::ingest::speech::{read_timing, SpeechBuilder, Timing, TimingWarnings};
use crate::model::Timecode;

/// One card: start time (`None` when its timing line cannot be read) and
/// text lines.
struct Card {
    start: Option<Timecode>,
    lines: Vec<String>,
}

/// Parses a SubRip transcript.
pub fn parse(origin: &Origin, sidecar: Sidecar) -> Result<Normalized, Vec<Diagnostic>> {
    let (cards, warnings) = cards(origin.text);
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
            Some((_, label, rest)) => builder.speak(Some(label), card.start, rest),
            None => builder.speak(None, card.start, &text),
        }
    }
    let (transcript, mut found) = people.normalize(builder.finish(), origin)?;
    found.extend(warnings.into_diagnostics(origin.path, origin.text));
    Ok((transcript, found))
}

/// The cards of a file: a timing line starts one, a blank line or the next
/// timing line (and the index before it) ends it. Text outside any card is
/// kept in the card before it when there is one, and said to be left out
/// when it comes before the first.
fn cards(text: &str) -> (Vec<Card>, TimingWarnings) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    let mut cards: Vec<Card> = Vec::new();
    let mut warnings = TimingWarnings::default();
    for (i, line) in lines.iter().enumerate() {
        if let Some(timing) = read_timing(line, exact) {
            warnings.note(&timing, i + 1, line);
            cards.push(Card {
                start: match timing {
                    Timing::Exact(t) | Timing::Loose(t) => Some(t),
                    Timing::Unreadable(_) => None,
                },
                lines: Vec::new(),
            });
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let is_index = line.trim().bytes().all(|b| b.is_ascii_digit())
            && lines
                .get(i + 1)
                .is_some_and(|next| read_timing(next, exact).is_some());
        if is_index {
            continue;
        }
        // A line after a card's blank line is still speech (cards with a
        // blank line inside them are common): it stays with its card.
        match cards.last_mut() {
            Some(card) => card.lines.push(line.to_string()),
            None => warnings.left_out(
                i + 1,
                crate::ingest::ledger::words(line),
                format!(
                    "text before the first card is not a subtitle; it is left out: {:?}",
                    line.chars().take(60).collect::<String>()
                ),
            ),
        }
    }
    (cards, warnings)
}

/// A SubRip time as written: `hh:mm:ss,mmm` (a `.` is accepted too).
fn exact(s: &str) -> bool {
    s.len() == 12 && Timecode::parse(s).is_some()
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
        let (c, _) = cards("0\r\n00:00:01,000 --> 00:00:04,000\r\nAd\r\n\r\n1\r\n00:00:05,000 --> 00:00:06,000\r\nOne\r\ntwo\r\n");
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].lines, ["One", "two"]);
        let (c, _) =
            cards("\u{feff}00:00:06,500 --> 00:00:09,000\nA\n\n00:00:11,000 --> 00:00:17,000\nB\n");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].start, Some(Timecode(6_500)));
    }

    #[test]
    fn malformed_timings_keep_the_words_with_a_warning() {
        let text = "1\n00:00:01,000 --> 00:00:02,000\nAnn: Hi.\n\n2\n00:00:61,000 --> 00:00:62,000\nBo: Bad seconds.\n\n3\n00:01:5,000 --> 00:01:8,000\nShort field.\n\n4\n00:01:10,000 -> 00:01:12,000\nOne arrow.\n";
        let (c, warnings) = cards(text);
        let got: Vec<(Option<Timecode>, &str)> =
            c.iter().map(|c| (c.start, c.lines[0].as_str())).collect();
        assert_eq!(
            got,
            [
                (Some(Timecode(1_000)), "Ann: Hi."),
                (None, "Bo: Bad seconds."),
                (Some(Timecode(65_000)), "Short field."),
                (Some(Timecode(70_000)), "One arrow."),
            ]
        );
        let text: std::sync::Arc<str> = text.into();
        let d = warnings.into_diagnostics("x.srt", &text);
        let lines: Vec<Option<usize>> = d.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(10), Some(6)], "{d:?}");
    }

    #[test]
    fn tags_are_stripped() {
        assert_eq!(strip_tags("{\\an8}<i>Hi</i> there"), "Hi there");
    }
}
