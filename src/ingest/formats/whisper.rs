//! Output of speech recognition by Whisper and the tools built on it:
//!
//! - JSON (`.json`, told from Podcasting 2.0 JSON by its shape):
//!   `{"text", "segments": [{"start", "end", "text", "words"?}], "language"}`
//!   as openai-whisper and whisper-timestamped write it, and WhisperX's
//!   diarised JSON, whose segments (and words) carry `"speaker":
//!   "SPEAKER_00"`;
//! - TSV (`.tsv`): openai-whisper's `start`, `end`, `text` columns (times in
//!   milliseconds) under a header line; a `speaker` column is read too.
//!
//! Each segment is a piece of speech starting at `start`; segments by one
//! speaker are one turn (without speakers, the whole file is one speaker's).
//! `SPEAKER_00` is shown as `Speaker 1`, `SPEAKER_01` as `Speaker 2`.
//! Segments with no words (`"..."`, `""`: what Whisper writes for silence or
//! music) are left out with a warning; `language` is the transcript's
//! language.

use super::ttml::is_language_tag;
use crate::diagnostic::Diagnostic;
use crate::ingest::frontmatter::FrontMatter;
use crate::ingest::normalize::{Normalized, Origin};
use crate::ingest::people::People;
use crate::ingest::sidecar::Sidecar;
use crate::ingest::speech::{seconds, SpeechBuilder};
use crate::model::Timecode;
use serde_json::Value;

/// True for JSON shaped as Whisper's: `segments` with `start` or `text`, and
/// none of Podcasting 2.0's `version`, `startTime` or `body`.
pub fn is_whisper_json(value: &Value) -> bool {
    let Some(object) = value.as_object() else {
        return false;
    };
    let Some(segments) = object.get("segments").and_then(Value::as_array) else {
        return false;
    };
    if object.contains_key("version") {
        return false;
    }
    let podcast = segments
        .iter()
        .filter_map(Value::as_object)
        .any(|s| s.contains_key("body") || s.contains_key("startTime"));
    let whisper = segments
        .iter()
        .filter_map(Value::as_object)
        .any(|s| s.contains_key("text") || s.contains_key("start"));
    !podcast && (whisper || segments.is_empty() && object.contains_key("text"))
}

/// One segment, as the JSON and TSV readers find it.
struct Segment {
    start: Result<Option<Timecode>, String>,
    speaker: Option<String>,
    text: String,
    /// Where it is, for warnings: a byte offset into the file (JSON) or a
    /// 1-based line (TSV).
    at: Place,
}

#[derive(Clone, Copy)]
enum Place {
    Offset(Option<usize>),
    Line(usize),
}

/// Parses Whisper JSON (already read as `value`).
pub fn parse_json(
    origin: &Origin,
    sidecar: Sidecar,
    value: &Value,
) -> Result<Normalized, Vec<Diagnostic>> {
    let empty = Vec::new();
    let raw = value["segments"].as_array().unwrap_or(&empty);
    // Where a segment is, for the first of each kind of warning: its text,
    // as JSON writes it, after "segments" (not found when the file escapes
    // characters the way this writer does not; the warning then has no line).
    let after = origin.text.find("\"segments\"").unwrap_or(0);
    let locate = |text: &str| {
        let needle = serde_json::to_string(text).ok()?;
        origin.text[after..].find(&needle).map(|i| after + i)
    };
    let (mut located_empty, mut located_untimed) = (false, false);
    let mut segments = Vec::with_capacity(raw.len());
    for s in raw {
        let text = match s.get("text").and_then(Value::as_str) {
            Some(t) => t.to_string(),
            // No text: the words' (`word` in WhisperX, `text` in
            // whisper-timestamped).
            None => words(s)
                .iter()
                .filter_map(|w| w.get("word").or_else(|| w.get("text")))
                .filter_map(Value::as_str)
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" "),
        };
        let start = match s.get("start") {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_f64()
                .and_then(seconds)
                .map(Some)
                .ok_or_else(|| format!("the start {v} is not a time in seconds")),
        };
        // Only the first of each kind is looked for: a search per segment
        // would read the file once per segment.
        let empty = !has_words(&text);
        let at = if empty && !located_empty || !empty && start.is_err() && !located_untimed {
            located_empty |= empty;
            located_untimed |= !empty;
            locate(&text)
        } else {
            None
        };
        segments.push(Segment {
            start,
            speaker: speaker_of(s),
            text,
            at: Place::Offset(at),
        });
    }
    let mut found = FrontMatter::default();
    let mut warnings = Vec::new();
    match value.get("language").and_then(Value::as_str).map(str::trim) {
        Some(lang) if is_language_tag(lang) => found.language = Some(lang.to_string()),
        Some(lang) if !lang.is_empty() => warnings.push(
            Diagnostic::warning(
                origin.path,
                format!("the language {lang:?} is not a language tag (such as \"en\" or \"fr\"); the site's language is used"),
            )
            .help("set `language` in a sidecar (name.toml) to name the transcript's language"),
        ),
        _ => {}
    }
    if raw.is_empty() {
        // No segments: the whole text, untimed.
        if let Some(text) = value.get("text").and_then(Value::as_str) {
            segments.push(Segment {
                start: Ok(None),
                speaker: None,
                text: text.to_string(),
                at: Place::Offset(None),
            });
        }
    }
    speak(origin, sidecar, found, segments, warnings)
}

/// Parses Whisper TSV.
pub fn parse_tsv(origin: &Origin, sidecar: Sidecar) -> Result<Normalized, Vec<Diagnostic>> {
    let text = origin.text.strip_prefix('\u{feff}').unwrap_or(origin.text);
    let lines: Vec<&str> = text.lines().collect();
    let Some(header_at) = lines.iter().position(|l| !l.trim().is_empty()) else {
        return Err(vec![Diagnostic::error(origin.path, "the file is empty")
            .help(
                "a Whisper TSV file starts with the line `start<TAB>end<TAB>text`",
            )]);
    };
    let names: Vec<String> = lines[header_at]
        .split('\t')
        .map(|n| n.trim().to_ascii_lowercase())
        .collect();
    let column = |name: &str| names.iter().position(|n| n == name);
    let (start_col, text_col, speaker_col, first_row) = match (column("start"), column("text")) {
        (Some(s), Some(t)) => (s, t, column("speaker"), header_at + 1),
        // No header: `start<TAB>end<TAB>text` rows.
        _ if names.len() >= 3 && read_tsv_time(&names[0]).is_ok() => (0, 2, None, header_at),
        _ => {
            return Err(vec![Diagnostic::error(
                origin.path,
                format!(
                    "not a Whisper TSV file: the first line names the columns {:?}, without `start` and `text`",
                    lines[header_at].chars().take(80).collect::<String>()
                ),
            )
            .at_line(origin.text, header_at + 1)
            .help("a Whisper TSV file starts with the line `start<TAB>end<TAB>text`, times in milliseconds")]);
        }
    };
    let mut segments = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(first_row) {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        // The text is the last column Whisper writes; tabs in it (other
        // tools do not replace them) stay in the text.
        let text = if text_col + 1 == names.len() || text_col + 1 >= fields.len() {
            fields
                .get(text_col..)
                .map(|f| f.join(" "))
                .unwrap_or_default()
        } else {
            fields[text_col].to_string()
        };
        let start = match fields.get(start_col).map(|s| s.trim()) {
            None | Some("") => Ok(None),
            Some(s) => read_tsv_time(s).map(Some),
        };
        segments.push(Segment {
            start,
            speaker: speaker_col
                .and_then(|c| fields.get(c))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .map(|s| speaker_label(&s)),
            text,
            at: Place::Line(i + 1),
        });
    }
    speak(
        origin,
        sidecar,
        FrontMatter::default(),
        segments,
        Vec::new(),
    )
}

/// A TSV time: whole milliseconds (as Whisper writes them), seconds with a
/// fraction (`1.5`), or `hh:mm:ss.mmm`.
fn read_tsv_time(s: &str) -> Result<Timecode, String> {
    if s.contains(':') {
        return Timecode::read(s);
    }
    let value: f64 = s
        .parse()
        .map_err(|_| format!("{s:?} is not a time in milliseconds"))?;
    let secs = if s.contains('.') {
        value
    } else {
        value / 1000.0
    };
    seconds(secs).ok_or_else(|| format!("{s} is not a time from 0 up"))
}

/// The segments as turns, with the warnings about the ones left out and the
/// starts that cannot be read.
fn speak(
    origin: &Origin,
    sidecar: Sidecar,
    found: FrontMatter,
    segments: Vec<Segment>,
    mut warnings: Vec<Diagnostic>,
) -> Result<Normalized, Vec<Diagnostic>> {
    let people = People::new(found, &sidecar);
    let mut builder = SpeechBuilder::new(sidecar.chapters, &people.default_label());
    // (the first's place and text, how many, how many words) per kind.
    let mut empty: Option<(Place, String, usize, usize)> = None;
    let mut untimed: Option<(Place, String, usize)> = None;
    for segment in &segments {
        if !has_words(&segment.text) {
            let words = segment.text.split_whitespace().count();
            let e = empty.get_or_insert((segment.at, segment.text.trim().to_string(), 0, 0));
            e.2 += 1;
            e.3 += words;
            continue;
        }
        let start = match &segment.start {
            Ok(start) => *start,
            Err(why) => {
                untimed.get_or_insert((segment.at, why.clone(), 0)).2 += 1;
                None
            }
        };
        builder.speak(segment.speaker.as_deref(), start, &segment.text);
    }
    let (transcript, mut found) = people.normalize(builder.finish(), origin)?;
    let place = |d: Diagnostic, at: Place| match at {
        Place::Offset(Some(i)) => d.at(origin.text, i..i + 1),
        Place::Offset(None) => d,
        Place::Line(line) => d.at_line(origin.text, line),
    };
    if let Some((at, text, count, words)) = empty {
        let d = Diagnostic::warning(
            origin.path,
            format!(
                "{count} segment{} no words ({}the first is {text:?}), as speech recognition writes for silence or music; left out ({words} mark{} of punctuation)",
                if count == 1 { " has" } else { "s have" },
                if text.is_empty() { "empty or blank; " } else { "" },
                if words == 1 { "" } else { "s" },
            ),
        )
        .help("nothing to do: these are not speech");
        warnings.push(place(d, at));
    }
    if let Some((at, why, count)) = untimed {
        let d = Diagnostic::warning(
            origin.path,
            format!(
                "{count} segment{} a start that cannot be read (the first: {why}); their words are kept, untimed",
                if count == 1 { " has" } else { "s have" }
            ),
        )
        .help("a start is seconds from the beginning (JSON) or milliseconds (TSV)");
        warnings.push(place(d, at));
    }
    found.splice(0..0, warnings);
    Ok((transcript, found))
}

/// False for a segment of nothing but punctuation and spaces.
fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

fn words(segment: &Value) -> &[Value] {
    segment
        .get("words")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The segment's `speaker`, else the one most of its words have (WhisperX
/// leaves a segment's speaker out when diarisation gave it none).
fn speaker_of(segment: &Value) -> Option<String> {
    if let Some(s) = segment.get("speaker").and_then(Value::as_str) {
        let s = s.trim();
        if !s.is_empty() {
            return Some(speaker_label(s));
        }
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for w in words(segment) {
        if let Some(s) = w.get("speaker").and_then(Value::as_str) {
            match counts.iter_mut().find(|(name, _)| *name == s) {
                Some((_, n)) => *n += 1,
                None => counts.push((s, 1)),
            }
        }
    }
    // The first of the most frequent.
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts
        .iter()
        .find(|(_, n)| *n == best)
        .map(|(s, _)| speaker_label(s.trim()))
}

/// `SPEAKER_00` as `Speaker 1` (diarisation numbers speakers from 0); any
/// other label as written.
fn speaker_label(s: &str) -> String {
    match s
        .strip_prefix("SPEAKER_")
        .filter(|n| !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse::<u32>().ok())
    {
        Some(n) => format!("Speaker {}", n + 1),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let v = |s: &str| serde_json::from_str::<Value>(s).unwrap();
        assert!(is_whisper_json(&v(
            r#"{"text":"a","segments":[{"start":0,"end":1,"text":"a"}],"language":"en"}"#
        )));
        assert!(is_whisper_json(&v(
            r#"{"segments":[{"start":0,"end":1,"text":"a","speaker":"SPEAKER_00"}],"word_segments":[]}"#
        )));
        assert!(!is_whisper_json(&v(
            r#"{"version":"1.0.0","segments":[{"startTime":0,"body":"a"}]}"#
        )));
        assert!(!is_whisper_json(&v(
            r#"{"segments":[{"speaker":"A","startTime":0,"body":"a"}]}"#
        )));
        assert!(!is_whisper_json(&v(r#"[1,2]"#)));
    }

    #[test]
    fn labels_and_times() {
        assert_eq!(speaker_label("SPEAKER_00"), "Speaker 1");
        assert_eq!(speaker_label("SPEAKER_11"), "Speaker 12");
        assert_eq!(speaker_label("Ann"), "Ann");
        assert_eq!(read_tsv_time("1500"), Ok(Timecode(1500)));
        assert_eq!(read_tsv_time("1.5"), Ok(Timecode(1500)));
        assert_eq!(read_tsv_time("00:00:01.500"), Ok(Timecode(1500)));
        assert!(read_tsv_time("-5").is_err());
        assert!(read_tsv_time("soon").is_err());
    }
}
