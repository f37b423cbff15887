//! A transcript with a recording, built as a user builds it: the recorded
//! fixture (tests/fixtures/recorded/) with a WAV file written here. Media
//! URLs resolve from every page, feed and JSON file; the recording's length
//! and the timed index show; several files play each turn from the right
//! one; `check` reports a recording that is missing; and every export is
//! valid and reads back through verbatim's own importers as the same turns.
//! What script does with it is tests/browser/media.test.mjs.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;
use verbatim::ingest::IngestOptions;
use verbatim::model::Transcript;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/recorded");
const T: &str = "harbour-keeper/";

/// A silent mono 8 kHz 16-bit WAV file `seconds` long.
fn wav(seconds: u32) -> Vec<u8> {
    let data = seconds * 8000 * 2;
    let mut out = Vec::new();
    out.extend(b"RIFF");
    out.extend((36 + data).to_le_bytes());
    out.extend(b"WAVEfmt ");
    out.extend(16u32.to_le_bytes());
    out.extend(1u16.to_le_bytes()); // PCM
    out.extend(1u16.to_le_bytes()); // mono
    out.extend(8000u32.to_le_bytes());
    out.extend(16000u32.to_le_bytes()); // bytes a second
    out.extend(2u16.to_le_bytes()); // bytes a frame
    out.extend(16u16.to_le_bytes());
    out.extend(b"data");
    out.extend(data.to_le_bytes());
    out.resize(out.len() + data as usize, 0);
    out
}

/// The recorded fixture in a temporary folder, with its two-minute WAV.
fn recorded() -> Fixture {
    let f = Fixture::new(&[]);
    for name in ["site.toml", "content/harbour-keeper.md"] {
        f.write(
            name,
            &std::fs::read_to_string(Path::new(FIXTURE).join(name)).unwrap(),
        );
    }
    let wav_path = f.root().join("static/tone.wav");
    std::fs::create_dir_all(wav_path.parent().unwrap()).unwrap();
    std::fs::write(wav_path, wav(120)).unwrap();
    f
}

/// The page at `url` (a folder, as links give it).
fn page(f: &Fixture, url: &str) -> Page {
    f.page(&format!("{url}index.html"))
}

fn read(f: &Fixture, path: &str) -> String {
    std::fs::read_to_string(f.public().join(path))
        .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

#[test]
fn a_relative_recording_resolves_from_every_page_feed_and_json_file() {
    let f = recorded();
    f.built();
    assert_eq!(page(&f, T).attrs(".player audio", "src"), ["../tone.wav"]);
    for url in ["arriving/", "staying/", "full/"] {
        let p = page(&f, &format!("{T}{url}"));
        assert_eq!(p.attrs(".player audio", "src"), ["../../tone.wav"], "{url}");
        let times = p.attrs("a.time", "href");
        assert!(!times.is_empty(), "{url} has time links");
        assert!(
            times.iter().all(|h| h.starts_with("../../tone.wav#t=")),
            "{times:?}"
        );
    }
    // The feed with its enclosure is still valid Atom.
    require("jing", "jing");
    let rnc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas/atom.rnc");
    run_ok(
        "jing",
        &[
            "-c",
            rnc.to_str().unwrap(),
            f.public().join("atom.xml").to_str().unwrap(),
        ],
    );
    let feed = read(&f, "atom.xml");
    assert!(
        feed.contains(
            r#"<link rel="enclosure" type="audio/wav" href="http://127.0.0.1/tone.wav"/>"#
        ),
        "{feed}"
    );
    let api: Value = serde_json::from_str(&read(&f, "api/harbour-keeper.json")).unwrap();
    assert_eq!(api["media"][0]["url"], "tone.wav");
    assert_eq!(api["media"][0]["permalink"], "http://127.0.0.1/tone.wav");
    assert_eq!(
        api["media"][0]["duration"], "00:02:00",
        "read from the WAV file"
    );
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/api.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&api).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn every_page_shows_the_recordings_length_and_the_overview_a_timed_index() {
    let f = recorded();
    f.built();
    for url in ["", "arriving/", "staying/", "full/"] {
        let p = page(&f, &format!("{T}{url}"));
        assert_eq!(p.texts(".recording-length"), ["Recording 2 min"], "{url}");
        assert_eq!(p.attrs(".recording-length time", "datetime"), ["PT2M"]);
        assert_eq!(
            p.attrs(".player audio", "aria-label"),
            ["Recording: The harbour keeper"]
        );
    }
    let overview = page(&f, T);
    assert_eq!(
        overview.texts(".toc-time"),
        ["00:00:02 · 1 min", "00:01:02 · 58 s"]
    );
    assert_eq!(
        overview.attrs(".toc-time a", "aria-label"),
        [
            "00:00:02, play from 2 seconds",
            "00:01:02, play from 1 minute 2 seconds"
        ]
    );
    assert_eq!(overview.attrs(".toc-time a", "data-seek"), ["2", "62"]);
    // The section pages' navigation tells the script where each starts.
    let section = page(&f, &format!("{T}arriving/"));
    assert_eq!(section.attrs(".section-nav a", "data-start"), ["2", "62"]);
    assert_eq!(
        section.attrs(".player track", "src"),
        ["../../harbour-keeper/transcript.vtt"]
    );
    let downloads = overview.attrs(".downloads a", "href");
    assert_eq!(
        downloads,
        [
            "../harbour-keeper/transcript.vtt",
            "../harbour-keeper/transcript.srt",
            "../harbour-keeper/transcript.json",
            "../harbour-keeper/chapters.json",
            "../harbour-keeper/transcript.txt"
        ]
    );
}

#[test]
fn a_recording_in_several_files_plays_each_turn_from_its_file() {
    let f = recorded();
    let text = std::fs::read_to_string(Path::new(FIXTURE).join("content/harbour-keeper.md"))
        .unwrap()
        .replace(
            "[media]\nurl = \"tone.wav\"",
            "[[media]]\nurl = \"tape-1.wav\"\n\n[[media]]\nurl = \"tape-2.wav\"\noffset = \"00:01:00\"",
        );
    f.write("content/harbour-keeper.md", &text);
    std::fs::write(f.root().join("static/tape-1.wav"), wav(60)).unwrap();
    std::fs::write(f.root().join("static/tape-2.wav"), wav(60)).unwrap();
    f.built();
    let p = page(&f, &format!("{T}full/"));
    let links = p.attrs("a.time", "href");
    let seeks = p.attrs("a.time", "data-seek");
    // t6 is at 50 s on tape 1; t7 at 62 s is 2 s into tape 2.
    assert_eq!(links[5], "../../tape-1.wav#t=50");
    assert_eq!(links[6], "../../tape-2.wav#t=2");
    assert_eq!(seeks[6], "62", "the script seeks on the transcript's clock");
    assert_eq!(p.attrs(".media-files a", "data-offset"), ["0", "60"]);
    assert_eq!(
        p.texts(".media-files li"),
        ["File 1 from 00:00:00, 1 min", "File 2 from 00:01:00, 1 min"]
    );
    assert_eq!(p.texts(".recording-length"), ["Recording 2 min"]);
    // No captions track: the WebVTT file runs on the transcript's clock,
    // not on one file's.
    assert!(p.attrs(".player track", "src").is_empty());

    // A second file that does not say where it starts is an error that says
    // how to fix it.
    f.write(
        "content/harbour-keeper.md",
        &text.replace("offset = \"00:01:00\"", ""),
    );
    let err = f.build().unwrap_err().to_string();
    assert!(
        err.contains("media file 2 (tape-2.wav) does not say where it starts")
            && err.contains("offset = \"hh:mm:ss\""),
        "{err}"
    );
}

#[test]
fn check_reports_a_recording_that_is_neither_absolute_nor_present() {
    let f = recorded();
    std::fs::remove_file(f.root().join("static/tone.wav")).unwrap();
    let (_, said) = verbatim(&["check"], f.root());
    assert!(
        said.contains("content/harbour-keeper.md")
            && said.contains(
                "the recording \"tone.wav\" is neither an absolute URL nor a file of the site"
            )
            && said.contains("static/tone.wav"),
        "{said}"
    );
    // An absolute URL is the host's business, not the site's.
    let text = std::fs::read_to_string(f.root().join("content/harbour-keeper.md"))
        .unwrap()
        .replace(
            "url = \"tone.wav\"",
            "url = \"https://example.org/tone.wav\"",
        );
    f.write("content/harbour-keeper.md", &text);
    let report = f.built();
    assert!(
        report
            .warnings
            .iter()
            .all(|w| !w.to_string().contains("recording")),
        "{:?}",
        report.warnings
    );
}

/// (speaker name, start in ms, words) of each turn of a transcript.
fn turns_of(t: &Transcript) -> Vec<(String, Option<u64>, String)> {
    t.turns()
        .map(|turn| {
            let name = t
                .speaker(&turn.speaker)
                .map_or(turn.speaker.to_string(), |s| s.name.clone());
            (name, turn.start.map(|s| s.0), normalize_space(&turn.text))
        })
        .collect()
}

fn import(path: &Path) -> Transcript {
    let options = IngestOptions::default();
    match verbatim::ingest::load(path, &path.display().to_string(), &options) {
        Ok((t, _)) => t,
        Err(e) => panic!("{} does not read back: {e:?}", path.display()),
    }
}

#[test]
fn every_export_reads_back_through_verbatims_importers_as_the_same_turns() {
    let f = recorded();
    f.built();
    let original = import(&Path::new(FIXTURE).join("content/harbour-keeper.md"));
    let expected = turns_of(&original);
    assert_eq!(expected.len(), 12);
    let back = tempfile::tempdir().unwrap();
    for (file, as_name) in [
        ("transcript.vtt", "back.vtt"),
        ("transcript.srt", "back.srt"),
        ("transcript.json", "back.json"),
        ("transcript.txt", "back.txt"),
    ] {
        let path = back.path().join(as_name);
        std::fs::copy(f.public().join(T).join(file), &path).unwrap();
        let t = import(&path);
        assert_eq!(turns_of(&t), expected, "{file}");
        if file == "transcript.txt" {
            assert_eq!(t.title, original.title);
            assert_eq!(t.date, original.date);
            let sections: Vec<&str> = t.sections.iter().map(|s| s.title.as_str()).collect();
            assert_eq!(sections, ["Arriving", "Staying"]);
        }
    }
}

#[test]
fn the_exports_are_valid_webvtt_srt_and_podcasting_json() {
    let f = recorded();
    f.built();
    let vtt = read(&f, &format!("{T}transcript.vtt"));
    assert!(vtt.starts_with("WEBVTT\n\n"), "{vtt}");
    let cues: Vec<&str> = vtt.split("\n\n").skip(1).collect();
    assert!(cues.len() >= 12, "{}", cues.len());
    let mut last_end = String::new();
    for cue in &cues {
        let lines: Vec<&str> = cue.trim_end().lines().collect();
        assert_eq!(lines.len(), 3, "id, timing, one text line: {cue:?}");
        assert!(
            lines[0].starts_with('t') && !lines[0].contains("-->"),
            "{cue}"
        );
        let (start, end) = lines[1].split_once(" --> ").unwrap();
        assert!(start.len() == 12 && end.len() == 12 && start < end, "{cue}");
        assert!(start >= last_end.as_str(), "cues in order: {cue}");
        last_end = end.to_string();
        assert!(lines[2].starts_with("<v Mara Lind>") || lines[2].starts_with("<v Tom Reyes>"));
        assert!(
            lines[2].chars().count() <= 84 + "<v Tom Reyes>".len(),
            "{cue}"
        );
    }
    assert_eq!(
        last_end, "00:02:00.000",
        "the last cue ends with the recording"
    );

    let srt = read(&f, &format!("{T}transcript.srt"));
    for (i, cue) in srt.split("\n\n").enumerate() {
        let lines: Vec<&str> = cue.trim_end().lines().collect();
        assert_eq!(lines[0], (i + 1).to_string(), "{cue}");
        assert!(
            lines[1].contains(",") && lines[1].contains(" --> "),
            "{cue}"
        );
    }

    for (file, schema) in [
        ("transcript.json", "transcript.schema.json"),
        ("chapters.json", "chapters.schema.json"),
    ] {
        let value: Value = serde_json::from_str(&read(&f, &format!("{T}{file}"))).unwrap();
        let schema: Value = serde_json::from_str(
            &std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/fixtures/podcast-schemas")
                    .join(schema),
            )
            .unwrap(),
        )
        .unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
    let chapters: Value = serde_json::from_str(&read(&f, &format!("{T}chapters.json"))).unwrap();
    let starts: Vec<f64> = chapters["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["startTime"].as_f64().unwrap())
        .collect();
    assert_eq!(starts, [2.0, 62.0]);
    assert_eq!(chapters["chapters"][1]["title"], "Staying");
    assert_eq!(chapters["chapters"][1]["endTime"], 120.0);
}

#[test]
fn a_transcript_without_times_has_no_exports() {
    let f = Fixture::new(&[(
        "content/untimed.md",
        "+++\ntitle = \"Untimed\"\n+++\n\nQ: Where were you?\n\nA: At home.\n",
    )]);
    f.built();
    assert!(page(&f, "untimed/")
        .attrs(".downloads a", "href")
        .is_empty());
    for e in verbatim::exports::Export::ALL {
        assert!(!f.public().join("untimed").join(e.file_name()).exists());
    }
}

#[test]
fn a_video_gets_the_captions_track_too() {
    let f = recorded();
    let text = std::fs::read_to_string(Path::new(FIXTURE).join("content/harbour-keeper.md"))
        .unwrap()
        .replace(
            "url = \"tone.wav\"",
            "url = \"https://example.org/harbour.mp4\"",
        );
    f.write("content/harbour-keeper.md", &text);
    f.built();
    let p = page(&f, &format!("{T}arriving/"));
    assert_eq!(
        p.attrs(".player video", "src"),
        ["https://example.org/harbour.mp4"]
    );
    assert_eq!(
        p.attrs(".player video track[kind=captions][default]", "src"),
        ["../../harbour-keeper/transcript.vtt"]
    );
    assert_eq!(p.attrs(".player video track", "srclang"), ["en"]);
}
