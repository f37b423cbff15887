//! Oral History as Data spreadsheets (`.csv`): a header row naming the
//! columns `speaker`, `words`, `tags` and `timestamp` in either order
//! (`speaker,words,tags,timestamp` or `timestamp,speaker,words,tags`). A blank
//! speaker continues the previous one; timestamps such as `[0:00]`,
//! `[01:09]`, `0:00:00` or plain seconds start turns; each row is a
//! paragraph; row tags are kept on the turn (rows merged into one turn keep
//! the union) and so also tag the transcript. Character references in the
//! words (`&#8212;`) are decoded.

use super::webvtt::decode_references;
use crate::diagnostic::Diagnostic;
use crate::ingest::frontmatter::FrontMatter;
use crate::ingest::normalize::{Normalized, Origin};
use crate::ingest::people::People;
use crate::ingest::sidecar::Sidecar;
use crate::ingest::speech::{seconds, SpeechBuilder};
use crate::model::Timecode;

/// Parses an Oral History as Data transcript.
pub fn parse(origin: &Origin, sidecar: Sidecar) -> Result<Normalized, Vec<Diagnostic>> {
    let text = origin.text.strip_prefix('\u{feff}').unwrap_or(origin.text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let error = |message: String, line: Option<u64>| {
        let mut d = Diagnostic::error(origin.path, message).help(
            "an Oral History as Data transcript has a header row with the columns speaker, words, tags, timestamp",
        );
        d.line = line.map(|l| l as usize);
        vec![d]
    };
    let headers = reader
        .headers()
        .map_err(|e| error(format!("cannot read the CSV header row: {e}"), Some(1)))?
        .clone();
    let column = |name: &str| {
        headers.iter().position(|h| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(name)
        })
    };
    let (Some(speaker_col), Some(words_col)) = (column("speaker"), column("words")) else {
        let found: Vec<&str> = headers.iter().collect();
        return Err(error(
            format!(
                "not an Oral History as Data transcript: the header row has {} but no `speaker` and `words` columns",
                found.join(", ")
            ),
            Some(1),
        ));
    };
    let (tags_col, time_col) = (column("tags"), column("timestamp"));

    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line());
            error(format!("the CSV is malformed: {e}"), line)
        })?;
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
        let tags: Vec<String> = cell(tags_col)
            .split([';', ',', '|'])
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        let time = cell(time_col);
        let start = timestamp(time);
        if start.is_none() && !time.is_empty() {
            let why = Timecode::read(time.trim_start_matches('[').trim_end_matches(']'))
                .err()
                .unwrap_or_else(|| "it is not a time".to_string());
            let mut d = Diagnostic::warning(
                origin.path,
                format!(
                    "the timestamp {time:?} cannot be read ({why}); the row is kept without a time"
                ),
            )
            .help("write timestamps as [hh:mm:ss], [mm:ss] or seconds");
            d.line = record.position().map(|p| p.line() as usize);
            warnings.push(d);
        }
        rows.push((
            cell(Some(speaker_col)).to_string(),
            decode_references(cell(Some(words_col))),
            start,
            tags,
        ));
    }
    let people = People::new(FrontMatter::default(), &sidecar);
    let mut builder = SpeechBuilder::new(sidecar.chapters, &people.default_label());
    for (speaker, words, start, tags) in rows {
        let label = Some(speaker.as_str()).filter(|s| !s.is_empty());
        builder.paragraph_break();
        builder.speak_tagged(label, start, &words, &tags);
    }
    let (transcript, mut found) = people.normalize(builder.finish(), origin)?;
    found.extend(warnings);
    Ok((transcript, found))
}

/// `[0:00]`, `[01:09]`, `0:00:00`, `00:01:09.5` or seconds.
fn timestamp(cell: &str) -> Option<Timecode> {
    let t = cell
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim();
    if t.is_empty() {
        return None;
    }
    Timecode::parse(t).or_else(|| t.parse::<f64>().ok().and_then(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_their_forms() {
        assert_eq!(timestamp("[0:00]"), Some(Timecode(0)));
        assert_eq!(timestamp("[01:09]"), Some(Timecode(69_000)));
        assert_eq!(timestamp("0:01:00"), Some(Timecode(60_000)));
        assert_eq!(timestamp("75"), Some(Timecode(75_000)));
        assert_eq!(timestamp(""), None);
    }
}
