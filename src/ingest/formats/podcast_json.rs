//! Podcasting 2.0 JSON transcripts (`.json`):
//! `{"version": "1.0.0", "segments": [{"speaker", "startTime", "endTime", "body"}]}`.
//! Segments may be phrases or single words (with whitespace and punctuation
//! as segments of their own); they are joined into sentences, and sentences
//! by one speaker into turns. `endTime` is not used. JSON shaped as
//! Whisper's (`segments` of `start` and `text`, no `version`) is read by
//! [`super::whisper`].

use crate::diagnostic::Diagnostic;
use crate::ingest::normalize::{Normalized, Origin};
use crate::ingest::people::People;
use crate::ingest::sidecar::Sidecar;
use crate::ingest::speech::{seconds, SpeechBuilder};
use crate::model::Timecode;
use serde::Deserialize;

#[derive(Deserialize)]
struct Document {
    segments: Vec<Segment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Segment {
    #[serde(default)]
    speaker: Option<String>,
    #[serde(default)]
    start_time: Option<f64>,
    #[serde(default)]
    body: String,
}

/// Parses a Podcasting 2.0 JSON transcript.
pub fn parse(origin: &Origin, sidecar: Sidecar) -> Result<Normalized, Vec<Diagnostic>> {
    let text = origin.text.strip_prefix('\u{feff}').unwrap_or(origin.text);
    // Whisper's JSON shares the extension; told apart by its shape (JSON
    // that does not read falls through to the error below).
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        if super::whisper::is_whisper_json(&value) {
            return super::whisper::parse_json(origin, sidecar, &value);
        }
    }
    let doc: Document = serde_json::from_str(text).map_err(|e| {
        let mut d = Diagnostic::error(
            origin.path,
            format!("not a Podcasting 2.0 JSON transcript: {e}"),
        )
        .help("the file needs {\"segments\": [{\"speaker\": ..., \"startTime\": ..., \"body\": ...}]} (Podcasting 2.0), or {\"segments\": [{\"start\": ..., \"text\": ...}]} (Whisper)");
        if e.line() > 0 {
            d.line = Some(e.line());
            d.column = Some(e.column().max(1));
        }
        vec![d]
    })?;
    let people = People::new(Default::default(), &sidecar);
    let mut builder = SpeechBuilder::new(sidecar.chapters, &people.default_label());
    let mut sentence = Sentence::default();
    // The first startTime that is not a time, and how many there are.
    let mut untimed: Option<(f64, usize)> = None;
    for segment in &doc.segments {
        let speaker = segment
            .speaker
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if speaker.is_some() && speaker != sentence.speaker.as_deref() {
            sentence.say(&mut builder);
            sentence.speaker = speaker.map(str::to_string);
        }
        let start = segment.start_time.and_then(seconds);
        if start.is_none() {
            if let Some(value) = segment.start_time {
                untimed.get_or_insert((value, 0)).1 += 1;
            }
        }
        sentence.push(&segment.body, start);
        if sentence.complete() {
            sentence.say(&mut builder);
        }
    }
    sentence.say(&mut builder);
    let (transcript, mut warnings) = people.normalize(builder.finish(), origin)?;
    if let Some((value, count)) = untimed {
        let d = Diagnostic::warning(
            origin.path,
            format!(
                "{count} segment{} a startTime that is not a time (the first is {value}); their words are kept without a time",
                if count == 1 { " has" } else { "s have" }
            ),
        )
        .help("startTime is seconds from the start: a number from 0 up");
        warnings.push(match origin.value_span(&value.to_string()) {
            Some(span) => d.at(origin.text, span),
            None => d,
        });
    }
    Ok((transcript, warnings))
}

/// Words being gathered into a sentence.
#[derive(Default)]
struct Sentence {
    speaker: Option<String>,
    start: Option<Timecode>,
    text: String,
}

impl Sentence {
    /// Adds a segment: whitespace and punctuation attach as written, words
    /// get a space before them unless one is there.
    fn push(&mut self, body: &str, start: Option<Timecode>) {
        if body.trim().is_empty() {
            if !body.is_empty() && !self.text.is_empty() {
                self.text.push(' ');
            }
            return;
        }
        if self.text.trim().is_empty() {
            self.start = start;
        }
        let punctuation = body.chars().all(|c| c.is_ascii_punctuation() || c == '…');
        let spaced = body.starts_with(char::is_whitespace)
            || self.text.is_empty()
            || self.text.ends_with(char::is_whitespace);
        if !punctuation && !spaced {
            self.text.push(' ');
        }
        self.text.push_str(body);
    }

    fn complete(&self) -> bool {
        self.text.trim_end().ends_with(['.', '?', '!', '…'])
    }

    fn say(&mut self, builder: &mut SpeechBuilder) {
        builder.speak(self.speaker.as_deref(), self.start, &self.text);
        self.text.clear();
        self.start = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_punctuation_join() {
        let mut s = Sentence::default();
        for w in ["It's", " ", "Friday", ",", " ", "the", "2nd", "."] {
            s.push(w, Some(Timecode(1)));
        }
        assert_eq!(s.text, "It's Friday, the 2nd.");
        assert!(s.complete());
    }
}
