//! Caption and speech-recognition formats (YouTube SBV and WebVTT, TTML and
//! DFXP, Whisper's JSON, WebVTT and TSV), each read from a real file of
//! `../shared/corpus-next/` and from small files of this test's own words.
//! For every real file, the words of the source's text (counted here, by
//! whitespace, from the file itself) are the words of the built transcript,
//! or the difference is what a warning says was left out.

mod common;

use common::speech;

use std::path::{Path, PathBuf};
use verbatim::diagnostic::Diagnostic;
use verbatim::ingest::{self, Format, IngestOptions};
use verbatim::model::{Timecode, Transcript, Turn};

fn corpus(kind: &str, name: &str) -> PathBuf {
    common::shared().join("corpus-next").join(kind).join(name)
}

fn load(path: &Path) -> (Transcript, Vec<Diagnostic>) {
    ingest::load(path, &path.to_string_lossy(), &IngestOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

fn parse(format: Format, name: &str, text: &str) -> (Transcript, Vec<Diagnostic>) {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    ingest::parse(format, name, &text.into(), stem, &IngestOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

fn turns(t: &Transcript) -> Vec<&Turn> {
    t.sections
        .iter()
        .flat_map(|s| &s.exchanges)
        .flat_map(|e| e.question.iter().chain(&e.answers))
        .collect()
}

fn speaker_names(t: &Transcript) -> Vec<&str> {
    t.speakers.iter().map(|s| s.name.as_str()).collect()
}

/// (speaker name, text) of every turn; names in lower case (how an ALL-CAPS
/// label is shown is the speaker rules' business, not the format's).
fn said(t: &Transcript) -> Vec<(String, String)> {
    turns(t)
        .iter()
        .map(|turn| {
            let name = t
                .speakers
                .iter()
                .find(|s| *s.id == *turn.speaker)
                .map_or("?", |s| s.name.as_str());
            (name.to_lowercase(), turn.text.to_string())
        })
        .collect()
}

/// The transcript's words, by whitespace.
fn words_of(t: &Transcript) -> Vec<String> {
    turns(t)
        .iter()
        .flat_map(|turn| turn.text.split_whitespace().map(str::to_string))
        .collect()
}

/// Text with `<...>` tags removed and character references decoded.
fn strip_tags(text: &str) -> String {
    speech::decode(&speech::strip_tags(text))
}

/// Words of caption lines, without the speaker-change marks (`>>`, a
/// dialogue dash at the start of a line), which are not words.
fn caption_words(lines: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        let mut tokens = line.split_whitespace().peekable();
        if let Some(first) = tokens.peek() {
            if *first == "-" {
                tokens.next();
            }
        }
        out.extend(tokens.filter(|t| *t != ">>").map(str::to_string));
    }
    out
}

/// The text lines of a WebVTT or SBV file: neither blank, nor timing lines,
/// nor cue numbers, nor the header.
fn cue_lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut in_header = text.starts_with("WEBVTT");
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            in_header = false;
            continue;
        }
        let next_is_timing = lines.get(i + 1).is_some_and(|l| speech::is_timing(l));
        let is_id = next_is_timing && !speech::is_timing(line);
        if in_header || speech::is_timing(line) || is_id {
            continue;
        }
        out.push(strip_tags(line));
    }
    out
}

/// No warning says that words were left out or times not read.
fn no_words_left_out(warnings: &[Diagnostic]) -> bool {
    warnings
        .iter()
        .all(|d| !d.message.contains("left out") && !d.message.contains("cannot be read"))
}

fn warning_with<'a>(warnings: &'a [Diagnostic], part: &str) -> &'a Diagnostic {
    warnings
        .iter()
        .find(|d| d.message.contains(part))
        .unwrap_or_else(|| panic!("no warning with {part:?} in {warnings:#?}"))
}

/// Builds a site whose only content file is a copy of `source`, checks the
/// build, and returns the site folder and the transcript's first section
/// page.
fn build_site(source: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"Captions\"\nbase_url = \"https://example.org/\"\n",
    )
    .unwrap();
    let name = source.file_name().unwrap();
    std::fs::copy(source, dir.path().join("content").join(name)).unwrap();
    let report = verbatim::build(&verbatim::BuildOptions {
        root: dir.path().to_path_buf(),
        ..verbatim::BuildOptions::default()
    })
    .unwrap_or_else(|d| panic!("{}: build failed:\n{d}", source.display()));
    assert_eq!(report.transcripts, 1, "{}", source.display());
    let (t, _) = load(source);
    let section = dir
        .path()
        .join("public")
        .join(&t.slug)
        .join(&t.sections[0].slug)
        .join("index.html");
    assert!(section.is_file(), "{}", section.display());
    let page = std::fs::read_to_string(&section).unwrap();
    // The first words of the transcript are on its first section page.
    let first: Vec<String> = words_of(&t).into_iter().take(3).collect();
    for word in first {
        let escaped = word
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('\'', "&#39;");
        assert!(
            page.contains(&word) || page.contains(&escaped),
            "{word:?} not on {}",
            section.display()
        );
    }
    (dir, section)
}

fn report(name: &str, t: &Transcript) {
    eprintln!(
        "{name}: {} turns, speakers {:?}, {} words, language {}",
        turns(t).len(),
        speaker_names(t),
        words_of(t).len(),
        t.language
    );
}

#[test]
fn youtube_sbv_film_captions() {
    let path = corpus("youtube-sbv", "abkhazian-subtitles_caesar_en.sbv");
    let text = std::fs::read_to_string(&path).unwrap();
    let (t, warnings) = load(&path);
    report("sbv", &t);
    let lines = cue_lines(&text);
    let source = caption_words(&lines);
    assert_eq!(words_of(&t), source, "every word, in order");
    // 1,678 cues; each dialogue dash opens a turn of its own.
    let timings = text.lines().filter(|l| speech::is_timing(l)).count();
    assert_eq!(timings, 1678);
    let dashes = lines.iter().filter(|l| l.starts_with("- ")).count();
    assert_eq!(dashes, 210);
    assert!(turns(&t).len() > dashes, "{}", turns(&t).len());
    assert_eq!(speaker_names(&t), ["Speaker"]);
    assert!(turns(&t).iter().all(|turn| !turn.text.starts_with("- ")));
    assert_eq!(turns(&t)[0].start, Some(Timecode(16_219)));
    let w = warning_with(&warnings, "changes of speaker are marked");
    assert!(
        w.message.starts_with(&format!("{dashes} changes")),
        "{}",
        w.message
    );
    build_site(&path);
}

#[test]
fn ttml_dfxp_lecture() {
    let path = corpus("ttml", "paella_be0c7738_en.dfxp");
    let text = std::fs::read_to_string(&path).unwrap();
    let (t, warnings) = load(&path);
    report("dfxp", &t);
    let body = &text[text.find("<body").unwrap()..];
    let source: Vec<String> = strip_tags(body)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    assert_eq!(words_of(&t), source, "every word, in order");
    assert_eq!(text.matches("<p ").count(), 174);
    assert_eq!(speaker_names(&t), ["Speaker"]);
    let all = turns(&t);
    assert_eq!(all[0].start, Some(Timecode(2_220)));
    // The file's xml:lang is empty: the site's language.
    assert_eq!(t.language, "en");
    assert!(no_words_left_out(&warnings), "{warnings:#?}");
    let (_dir, section) = build_site(&path);
    // The screenshot of docs/formats.md is taken of this page.
    eprintln!("section page: {}", section.display());
    if std::env::var_os("VERBATIM_KEEP_SITE").is_some() {
        let keep = std::env::temp_dir().join("verbatim-dfxp-site");
        let _ = std::fs::remove_dir_all(&keep);
        std::fs::rename(_dir.path(), &keep).unwrap();
    }
}

#[test]
fn youtube_webvtt_speaker_changes() {
    let path = corpus("youtube-vtt", "pythonbytes_yt_363.vtt");
    let text = std::fs::read_to_string(&path).unwrap();
    let (t, warnings) = load(&path);
    report("youtube vtt", &t);
    let lines = cue_lines(&text);
    assert_eq!(words_of(&t), caption_words(&lines), "every word, in order");
    let marked = lines.iter().filter(|l| l.starts_with(">> ")).count();
    assert_eq!(marked, 69);
    // The file opens with a mark: every mark starts a turn, and nothing else
    // does.
    assert!(lines[0].starts_with(">> "));
    assert_eq!(turns(&t).len(), marked);
    assert!(turns(&t).iter().all(|turn| !turn.text.contains(">>")));
    assert_eq!(speaker_names(&t), ["Speaker"]);
    let w = warning_with(&warnings, "changes of speaker are marked with `>>`");
    assert!(w.message.starts_with("68 changes"), "{}", w.message);
    assert_eq!(turns(&t)[0].start, Some(Timecode(1)));
    build_site(&path);
}

#[test]
fn whisper_webvtt() {
    let path = corpus("whisper", "whisper-timestamped_smartphone_50.vtt");
    let text = std::fs::read_to_string(&path).unwrap();
    let (t, warnings) = load(&path);
    report("whisper vtt", &t);
    assert_eq!(text.matches(" --> ").count(), 89);
    assert_eq!(words_of(&t), caption_words(&cue_lines(&text)));
    assert_eq!(speaker_names(&t), ["Speaker"]);
    assert!(no_words_left_out(&warnings), "{warnings:#?}");
    build_site(&path);
}

#[test]
fn whisper_json_segments() {
    let path = corpus(
        "whisper",
        "whisper-timestamped_medium_fr_radio_short.words.json",
    );
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let (t, warnings) = load(&path);
    report("whisper json", &t);
    let segments = value["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 11);
    let source: Vec<String> = segments
        .iter()
        .flat_map(|s| s["text"].as_str().unwrap().split_whitespace())
        .map(str::to_string)
        .collect();
    let built = words_of(&t);
    // The last segment is Whisper's " ..." for silence: one mark left out,
    // as a warning says.
    assert_eq!(segments[10]["text"].as_str().unwrap().trim(), "...");
    assert_eq!(built[..], source[..source.len() - 1]);
    let w = warning_with(&warnings, "1 segment has no words");
    assert!(
        w.message.contains("(1 mark of punctuation)"),
        "{}",
        w.message
    );
    assert_eq!(w.line, Some(1620));
    assert_eq!(t.language, "fr");
    assert_eq!(turns(&t)[0].start, Some(Timecode(30_880)));
    assert_eq!(speaker_names(&t), ["Speaker"]);
    build_site(&path);
}

// Small files of this test's own words, for what the corpus has no file of.

#[test]
fn rolling_auto_captions_say_each_word_once() {
    let vtt = "WEBVTT\nKind: captions\nLanguage: en\n\n\
        00:00:00.000 --> 00:00:02.000 align:start position:0%\n \n\
        the<00:00:00.500><c> river</c><00:00:01.000><c> was</c>\n\n\
        00:00:02.000 --> 00:00:02.010 align:start position:0%\nthe river was\n \n\n\
        00:00:02.010 --> 00:00:04.000 align:start position:0%\nthe river was\n\
        high<00:00:02.500><c> that</c><00:00:03.000><c> spring</c>\n\n\
        00:00:04.000 --> 00:00:04.010 align:start position:0%\nhigh that spring\n \n\n\
        00:00:04.010 --> 00:00:06.000 align:start position:0%\nhigh that spring\n\
        &gt;&gt; was<00:00:04.500><c> it</c><00:00:05.000><c> cold?</c>\n";
    let (t, warnings) = parse(Format::WebVtt, "auto.vtt", vtt);
    assert_eq!(
        said(&t),
        [
            (
                "speaker".to_string(),
                "the river was high that spring".to_string()
            ),
            ("speaker".to_string(), "was it cold?".to_string()),
        ]
    );
    let w = warning_with(&warnings, "4 cue lines (12 words) repeat");
    assert_eq!(w.line, Some(10));
    // Without inline timestamps, a repeated line is speech said twice.
    let plain =
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nNo.\n\n00:00:01.000 --> 00:00:02.000\nNo.\n";
    let (t, _) = parse(Format::WebVtt, "plain.vtt", plain);
    assert_eq!(words_of(&t), ["No.", "No."]);
}

#[test]
fn webvtt_named_changes_and_voices() {
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n>> ANN LEE: Where did you grow up?\n\n\
        00:00:03.000 --> 00:00:05.000\n>> By the lake.\nWe fished.\n>> And school?\n\n\
        00:00:05.000 --> 00:00:06.000\n<v Bob Ray>>> Later.\n";
    let (t, warnings) = parse(Format::WebVtt, "named.vtt", vtt);
    let got = said(&t);
    assert_eq!(
        got,
        [
            ("ann lee".to_string(), "Where did you grow up?".to_string()),
            ("speaker".to_string(), "By the lake. We fished.".to_string()),
            ("speaker".to_string(), "And school?".to_string()),
            ("bob ray".to_string(), "Later.".to_string()),
        ]
    );
    let w = warning_with(&warnings, "2 changes of speaker");
    assert_eq!(w.line, Some(7));
}

#[test]
fn sbv_dashes_names_and_bad_timings() {
    let sbv = "0:00:01.000,0:00:03.000\nANN: Are you ready?\n\n\
        0:00:03.000,0:00:05.000\n- Yes.\n- No!\n\n\
        0:00:61.000,0:00:62.000\nNot timed,\nbut kept.\n\n\
        00:07.500,00:09.000\n>> Someone else.\n";
    let (t, warnings) = parse(Format::Sbv, "dash.sbv", sbv);
    assert_eq!(
        said(&t),
        [
            ("ann".to_string(), "Are you ready?".to_string()),
            ("speaker".to_string(), "Yes.".to_string()),
            (
                "speaker".to_string(),
                "No! Not timed, but kept.".to_string()
            ),
            ("speaker".to_string(), "Someone else.".to_string()),
        ]
    );
    let all = turns(&t);
    assert_eq!(all[1].start, Some(Timecode(3_000)));
    assert_eq!(all[3].start, Some(Timecode(7_500)));
    let bad = warning_with(&warnings, "cannot be read");
    assert_eq!(bad.line, Some(8));
    let loose = warning_with(&warnings, "not written as the format requires");
    assert_eq!(loose.line, Some(12));
    assert!(loose
        .help
        .as_deref()
        .unwrap()
        .contains("H:MM:SS.mmm,H:MM:SS.mmm"));
    assert!(warning_with(&warnings, "3 changes of speaker").line == Some(5));
    // Not SBV at all.
    let e = ingest::parse(
        Format::Sbv,
        "x.sbv",
        &"just words\n".into(),
        "x",
        &IngestOptions::default(),
    )
    .unwrap_err();
    assert!(e[0].message.contains("no captions found"), "{e:?}");
}

const TTML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttm="http://www.w3.org/ns/ttml#metadata"
    xmlns:ttp="http://www.w3.org/ns/ttml#parameter" ttp:tickRate="10000000" xml:lang="de">
  <head>
    <metadata>
      <ttm:title>Am Fluss</ttm:title>
      <ttm:agent xml:id="a1" type="person"><ttm:name type="full">Ada King</ttm:name></ttm:agent>
      <ttm:agent xml:id="b1" type="person"><ttm:name type="alias">Bea</ttm:name></ttm:agent>
    </metadata>
  </head>
  <body>
    <div begin="1s">
      <p begin="10000000t" end="30000000t" ttm:agent="b1">Wo sind Sie<br/>geboren?</p>
      <p begin="00:00:03.500" ttm:agent="a1"><span>Am</span> <span>Fluss.</span></p>
      <p begin="00:00:05:15">Und dort <span ttm:agent="b1">Wirklich?</span></p>
      <p begin="1.5m"><metadata>no words here</metadata>- Ja.<br/>- Nein.</p>
      <p begin="later">Ohne Zeit.</p>
    </div>
  </body>
</tt>"#;

#[test]
fn ttml_agents_times_and_spans() {
    for (format, name) in [(Format::Ttml, "river.ttml"), (Format::Ohms, "river.xml")] {
        let (t, warnings) = parse(format, name, TTML);
        assert_eq!(t.title, "Am Fluss");
        assert_eq!(t.language, "de");
        assert_eq!(
            said(&t),
            [
                ("bea".to_string(), "Wo sind Sie geboren?".to_string()),
                ("ada king".to_string(), "Am Fluss. Und dort".to_string()),
                ("bea".to_string(), "Wirklich?".to_string()),
                ("speaker".to_string(), "Ja.".to_string()),
                ("speaker".to_string(), "Nein. Ohne Zeit.".to_string()),
            ],
            "{name}"
        );
        let starts: Vec<Option<Timecode>> = turns(&t).iter().map(|t| t.start).collect();
        assert_eq!(
            starts,
            [
                Some(Timecode(2_000)),
                Some(Timecode(4_500)),
                None,
                Some(Timecode(91_000)),
                None
            ]
        );
        let w = warning_with(&warnings, "begin=\"later\" cannot be read");
        assert_eq!(w.line, Some(17));
    }
    // The old DFXP namespace, and no namespace at all.
    for xml in [
        r#"<tt xmlns="http://www.w3.org/2006/10/ttaf1"><body><div><p begin="2.5s">Hello.</p></div></body></tt>"#,
        r#"<tt><body><p begin="1500ms">Hello.</p></body></tt>"#,
    ] {
        let (t, _) = parse(Format::Ohms, "old.xml", xml);
        assert_eq!(words_of(&t), ["Hello."]);
    }
    // Nesting too deep is refused before the XML parser sees it.
    let deep = format!("<tt><body>{}</body></tt>", "<div>".repeat(300));
    let e = ingest::parse(
        Format::Ttml,
        "deep.ttml",
        &deep.into(),
        "deep",
        &IngestOptions::default(),
    )
    .unwrap_err();
    assert!(e[0].message.contains("more than 256 deep"), "{e:?}");
}

#[test]
fn whisperx_diarised_json() {
    let json = r#"{"segments": [
      {"start": 0.5, "end": 2.0, "text": " Where were you born?", "speaker": "SPEAKER_00",
       "words": [{"word": "Where", "start": 0.5, "end": 0.8, "score": 0.9, "speaker": "SPEAKER_00"}]},
      {"start": 2.1, "end": 4.0, "text": " In a village by the river.", "speaker": "SPEAKER_01"},
      {"start": 4.1, "end": 5.0, "text": " It had one road.",
       "words": [{"word": "It", "speaker": "SPEAKER_01"}, {"word": "had", "speaker": "SPEAKER_01"}]},
      {"start": 5.2, "end": 6.0, "text": "", "speaker": "SPEAKER_00"},
      {"start": 6.1, "end": 7.0, "text": " And then?", "speaker": "SPEAKER_00"}
    ], "word_segments": [], "language": "en"}"#;
    let (t, warnings) = parse(Format::PodcastJson, "diarised.json", json);
    assert_eq!(
        said(&t),
        [
            ("speaker 1".to_string(), "Where were you born?".to_string()),
            (
                "speaker 2".to_string(),
                "In a village by the river. It had one road.".to_string()
            ),
            ("speaker 1".to_string(), "And then?".to_string()),
        ]
    );
    assert_eq!(turns(&t)[1].start, Some(Timecode(2_100)));
    let w = warning_with(&warnings, "1 segment has no words");
    assert_eq!(w.line, Some(7));
    // Podcasting 2.0 JSON is still read as before.
    let podcast =
        r#"{"version":"1.0.0","segments":[{"speaker":"Ann","startTime":1,"body":"Hi."}]}"#;
    let (t, _) = parse(Format::PodcastJson, "p.json", podcast);
    assert_eq!(said(&t), [("ann".to_string(), "Hi.".to_string())]);
}

#[test]
fn whisper_tsv() {
    let tsv = "start\tend\ttext\n0\t2500\tWhere were you born?\n2500\t4000\tIn a village\n\
               4000\t4100\t...\nlater\t6000\tby the river.\n";
    let (t, warnings) = parse(Format::WhisperTsv, "talk.tsv", tsv);
    assert_eq!(
        words_of(&t).join(" "),
        "Where were you born? In a village by the river."
    );
    assert_eq!(turns(&t)[0].start, Some(Timecode(0)));
    assert_eq!(warning_with(&warnings, "has no words").line, Some(4));
    assert_eq!(warning_with(&warnings, "cannot be read").line, Some(5));
    let diarised = "start\tend\tspeaker\ttext\n0\t1000\tSPEAKER_00\tHello.\n1000\t2000\tSPEAKER_01\tHi there.\n";
    let (t, _) = parse(Format::WhisperTsv, "d.tsv", diarised);
    assert_eq!(speaker_names(&t), ["Speaker 1", "Speaker 2"]);
    let e = ingest::parse(
        Format::WhisperTsv,
        "x.tsv",
        &"a\tb\nc\td\n".into(),
        "x",
        &IngestOptions::default(),
    )
    .unwrap_err();
    assert!(e[0].message.contains("not a Whisper TSV"), "{e:?}");
    assert_eq!(Format::of(Path::new("x.TSV")), Some(Format::WhisperTsv));
    assert_eq!(Format::of(Path::new("x.dfxp")), Some(Format::Ttml));
    assert_eq!(Format::of(Path::new("x.sbv")), Some(Format::Sbv));
}
