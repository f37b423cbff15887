//! YouTube SubViewer (`.sbv`): cues of a `H:MM:SS.mmm,H:MM:SS.mmm` line and
//! text lines, a blank line between cues. A line opening with the dialogue
//! dash (`- Yes.` / `- No.`, two speakers in one cue) or with `>> ` starts a
//! turn by a speaker the file does not name (see [`super::captions`]); a
//! `Name:` prefix names one, and other lines continue the last speaker.

use super::captions::{Changes, Marks};
use super::webvtt::cue_text;
use crate::diagnostic::Diagnostic;
use crate::ingest::normalize::{Normalized, Origin};
use crate::ingest::people::People;
use crate::ingest::sidecar::Sidecar;
use crate::ingest::speech::{seconds, SpeechBuilder, Timing, TimingWarnings};
use crate::model::Timecode;

/// One cue: its start (`None` when the timing cannot be read), the 1-based
/// line of its first text line, and its text lines.
struct Cue {
    start: Option<Timecode>,
    line: usize,
    lines: Vec<String>,
}

/// Parses a YouTube SBV transcript.
pub fn parse(origin: &Origin, sidecar: Sidecar) -> Result<Normalized, Vec<Diagnostic>> {
    let (cues, warnings, stray) = cues(origin.text);
    if cues.is_empty() {
        return Err(vec![Diagnostic::error(
            origin.path,
            "no captions found: an SBV caption is a `0:00:01.000,0:00:04.000` line followed by text",
        )
        .help("check that the file is YouTube's .sbv; SubRip files need the .srt extension, WebVTT .vtt")]);
    }
    let people = People::new(Default::default(), &sidecar);
    let builder = SpeechBuilder::new(sidecar.chapters, &people.default_label());
    let mut changes = Changes::new(builder, "`- ` or `>>`");
    for cue in &cues {
        let text = cue
            .lines
            .iter()
            .map(|l| {
                cue_text(l)
                    .into_iter()
                    .map(|(_, t)| t)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n");
        let mut start = cue.start;
        changes.lines(&text, cue.line, &mut start, Marks::ChevronsAndDashes);
    }
    let (draft, unnamed) = changes.finish(origin.path, origin.text);
    let (transcript, mut found) = people.normalize(draft, origin)?;
    for mut d in warnings.into_diagnostics(origin.path, origin.text) {
        if d.help
            .as_deref()
            .is_some_and(|h| h.starts_with("write timings as"))
        {
            d.help = Some("write timings as H:MM:SS.mmm,H:MM:SS.mmm".to_string());
        }
        found.push(d);
    }
    if let Some((line, text, words)) = stray {
        found.push(
            Diagnostic::warning(
                origin.path,
                format!(
                    "text before the first caption is not a caption; it is left out: {:?}",
                    text.chars().take(60).collect::<String>()
                ),
            )
            .leaving_out(words)
            .at_line(origin.text, line)
            .help("give the text a timing line (0:00:00.000,0:00:01.000) to have it read"),
        );
    }
    found.extend(unnamed);
    Ok((transcript, found))
}

/// The cues of a file, the warnings about their timings, and the first line
/// of text before the first cue (left out) with the words of all that text. A timing line opens a cue at
/// the start of a block, or anywhere when both its times are exact; text
/// after a blank line inside a cue stays with the cue.
fn cues(text: &str) -> (Vec<Cue>, TimingWarnings, Option<(usize, String, usize)>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut cues: Vec<Cue> = Vec::new();
    let mut warnings = TimingWarnings::default();
    let mut stray = None;
    let mut block_start = true;
    for (i, line) in text.split('\n').enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            block_start = true;
            continue;
        }
        if let Some(timing) =
            read_timing(line).filter(|t| block_start || matches!(t, Timing::Exact(_)))
        {
            warnings.note(&timing, i + 1, line);
            cues.push(Cue {
                start: match timing {
                    Timing::Exact(t) | Timing::Loose(t) => Some(t),
                    Timing::Unreadable(_) => None,
                },
                line: i + 2,
                lines: Vec::new(),
            });
            block_start = false;
            continue;
        }
        block_start = false;
        match cues.last_mut() {
            Some(cue) => cue.lines.push(line.to_string()),
            None => {
                let s = stray.get_or_insert((i + 1, line.to_string(), 0));
                s.2 += crate::ingest::ledger::words(line);
            }
        }
    }
    (cues, warnings, stray)
}

/// Reads `start,end`; `None` for a line that is not meant as a timing line
/// (it must be two times, made only of digits, `:`, `.` and `,`).
fn read_timing(line: &str) -> Option<Timing> {
    let line = line.trim();
    if line.is_empty()
        || !line
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b':' | b'.' | b',' | b' '))
        || !line.contains(':')
    {
        return None;
    }
    // Two times joined by a comma; with commas as decimal marks too
    // (`0:00:01,000,0:00:02,000`) the middle one.
    let commas: Vec<usize> = line.match_indices(',').map(|(i, _)| i).collect();
    let split = match commas.len() {
        // `10:30` alone is a line of text.
        0 => return None,
        1 => commas[0],
        3 => commas[1],
        _ => {
            return Some(Timing::Unreadable(
                "it is not two times joined by a comma".to_string(),
            ))
        }
    };
    let (start, end) = (line[..split].trim(), line[split + 1..].trim());
    let read = |s: &str| -> Result<Timecode, String> {
        match s.parse::<f64>() {
            Ok(value) if !s.contains(':') => {
                seconds(value).ok_or_else(|| format!("{s} seconds is out of range"))
            }
            _ => Timecode::read(s),
        }
    };
    Some(match (read(start), read(end)) {
        (Ok(t), Ok(_)) if exact(start) && exact(end) => Timing::Exact(t),
        (Ok(t), Ok(_)) => Timing::Loose(t),
        (Err(why), _) => Timing::Unreadable(format!("the start {start:?}: {why}")),
        (_, Err(why)) => Timing::Unreadable(format!("the end {end:?}: {why}")),
    })
}

/// An SBV time as YouTube writes it: `H:MM:SS.mmm` (hours of one or more
/// digits).
fn exact(s: &str) -> bool {
    let Some((clock, ms)) = s.split_once('.') else {
        return false;
    };
    let parts: Vec<&str> = clock.split(':').collect();
    ms.len() == 3
        && ms.bytes().all(|b| b.is_ascii_digit())
        && parts.len() == 3
        && parts[1].len() == 2
        && parts[2].len() == 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timings() {
        assert_eq!(
            read_timing("0:00:16.219,0:00:19.682"),
            Some(Timing::Exact(Timecode(16_219)))
        );
        assert_eq!(
            read_timing("00:16.219,00:19.682"),
            Some(Timing::Loose(Timecode(16_219)))
        );
        assert_eq!(
            read_timing("0:00:01,500,0:00:02,000"),
            Some(Timing::Loose(Timecode(1_500)))
        );
        assert!(matches!(
            read_timing("0:00:61.000,0:00:62.000"),
            Some(Timing::Unreadable(_))
        ));
        assert_eq!(read_timing("Hello, world"), None);
        assert_eq!(read_timing("1,000"), None);
        assert_eq!(read_timing("10:30"), None);
    }

    #[test]
    fn cues_and_stray_text() {
        let (c, _, stray) = cues(
            "Title\n\n0:00:01.000,0:00:02.000\n- Yes.\n- No.\n\n0:00:03.000,0:00:04.000\nOne\n\nafter a blank\n",
        );
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].lines, ["- Yes.", "- No."]);
        assert_eq!(c[0].line, 4);
        assert_eq!(c[1].lines, ["One", "after a blank"]);
        assert_eq!(stray, Some((1, "Title".to_string(), 1)));
    }
}
