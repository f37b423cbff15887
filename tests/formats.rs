//! Every source format: built into the site, imported into native Markdown
//! and read back unchanged, with media players and seek links on the pages.

use std::fs;
use std::path::{Path, PathBuf};
use verbatim::ingest::{self, Format, IngestOptions};
use verbatim::model::{Role, Timecode, Transcript};
use verbatim::{build, BuildOptions};

/// One small transcript per format, the same interview each time.
const SOURCES: [(&str, &str); 7] = [
    (
        "plain.txt",
        "INTERVIEWEE: Ada King\nINTERVIEWER: Bea Cole\nDATE: 7 February 1994\n\n\
         01. Early Years\n\n[00:00:05]\nCOLE: Where were you born? *Not* a [link].\n\n\
         KING: In London & Paris.\n\nNote that it rained: a lot.\n\n02. Later\n\n[00:01:00] COLE: Then?\n\nKING: 1. Paris.\n",
    ),
    (
        "cues.vtt",
        "WEBVTT\r\n\r\nNOTE a note\r\n\r\n1\r\n00:00:05.000 --> 00:00:07.000 align:start\r\n<v Bea Cole>Where were you\r\n\r\n\
         00:00:07.000 --> 00:00:09.000\r\nborn?\r\n\r\n00:01:00.000 --> 00:01:02.000\r\n<v Ada King><i>In</i> London &amp; Paris.\r\n",
    ),
    (
        "cards.srt",
        "1\n00:00:05,000 --> 00:00:07,000\nBea Cole: Where were you\nborn?\n\n2\n00:01:00,000 --> 00:01:02,000\nAda King: In London.\n\n3\n00:01:02,000 --> 00:01:04,000\nAnd Paris.\n",
    ),
    (
        "segments.json",
        r#"{"version":"1.0.0","segments":[
            {"speaker":"Bea Cole","startTime":5,"endTime":5.5,"body":"Where"},
            {"speaker":"Bea Cole","startTime":5.5,"endTime":6,"body":"were"},
            {"speaker":"Bea Cole","startTime":6,"endTime":6.5,"body":"you"},
            {"speaker":"Bea Cole","startTime":6.5,"endTime":7,"body":"born"},
            {"speaker":"Bea Cole","startTime":7,"endTime":7,"body":"?"},
            {"speaker":"Ada King","startTime":60,"endTime":61,"body":"In London."},
            {"speaker":"Ada King","startTime":61,"endTime":62,"body":"And Paris.\n"}]}"#,
    ),
    (
        "page.html",
        "<cite>Bea Cole:</cite>\n<time>0:05</time>\n<p>Where were you born?</p>\n<cite>Ada King:</cite>\n<time>1:00</time>\n<p>In London &amp; Paris, it&#39;s true.</p>\n",
    ),
    (
        "record.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ROOT xmlns="https://www.weareavp.com/nunncenter/ohms"><record id="1"><version>5.4</version>
<date value="1994-02-07" format="yyyy-mm-dd"/><title>Ada King Oral History</title>
<repository>Archive</repository><interviewee>Ada King</interviewee><interviewer>Bea Cole</interviewer>
<sync>1:|3(1)</sync><media_url>https://example.org/ada.mp3</media_url>
<index><point><time>0</time><title>Early Years</title><synopsis>Childhood.</synopsis><keywords>London;Paris</keywords></point>
<point><time>60</time><title>Later</title></point></index>
<transcript>COLE:  Where were you born?

KING:  In London &amp; Paris.</transcript></record></ROOT>"#,
    ),
    (
        "rows.csv",
        "timestamp,speaker,words,tags\n[0:05],Bea Cole:,Where were you born?,\n[1:00],Ada King:,\"In London, \"\"truly\"\".\",place\n,,And Paris&#8212;yes.,\n,,Note: it rained.,\n",
    ),
];

fn site(dir: &Path) {
    fs::create_dir_all(dir.join("content")).unwrap();
    fs::write(dir.join("site.toml"), "title = \"Test\"\n").unwrap();
}

fn load(path: &Path) -> Transcript {
    ingest::load(path, &path.to_string_lossy(), &IngestOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
        .0
}

fn without_path(mut t: Transcript) -> Transcript {
    t.source_path = String::new();
    t
}

#[test]
fn every_format_imports_to_the_same_transcript() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for (name, text) in SOURCES {
        let source = dir.path().join(name);
        fs::write(&source, text).unwrap();
        let direct = load(&source);
        assert!(direct.turns().count() >= 2, "{name}: {direct:#?}");
        let done = verbatim::import::import_file(&source, &out, false, &IngestOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let imported = load(&done.written);
        assert_eq!(without_path(imported), without_path(direct), "{name}");
    }
    // The speakers and their words, whatever the format.
    let csv = load(&dir.path().join("rows.csv"));
    let turns: Vec<_> = csv.turns().collect();
    assert_eq!(csv.speaker(&turns[0].speaker).unwrap().name, "Bea Cole");
    assert_eq!(
        &*turns[1].text,
        "In London, \"truly\".\n\nAnd Paris—yes.\n\nNote: it rained."
    );
    assert_eq!(turns[1].start, Some(Timecode(60_000)));
    assert_eq!(csv.tags, ["place"]);
    let vtt = load(&dir.path().join("cues.vtt"));
    let turns: Vec<_> = vtt.turns().collect();
    assert_eq!(&*turns[0].text, "Where were you born?");
    assert_eq!(&*turns[1].text, "In London & Paris.");
    assert_eq!(
        vtt.speaker(&turns[0].speaker).unwrap().role,
        Role::Interviewer
    );
    let xml = load(&dir.path().join("record.xml"));
    assert_eq!(xml.title, "Ada King Oral History");
    assert_eq!(xml.date.as_deref(), Some("1994-02-07"));
    assert_eq!(xml.sections.len(), 2);
    assert_eq!(
        xml.sections[0].intro,
        "<p>Childhood. Keywords: London; Paris.</p>\n"
    );
    assert_eq!(xml.speakers[0].name, "Bea Cole");
    let txt = load(&dir.path().join("plain.txt"));
    let turns: Vec<_> = txt.turns().collect();
    assert_eq!(
        turns[0].blocks().next().unwrap(),
        "<p>Where were you born? *Not* a [link].</p>\n"
    );
    assert_eq!(
        &*turns[1].text,
        "In London & Paris.\n\nNote that it rained: a lot."
    );
    assert_eq!(&*turns[3].text, "1. Paris.");
}

/// The native writer's three bugs the `import_round_trip` fuzz target found
/// (docs/fuzzing.md): each input now imports, and reads back the same.
#[test]
fn fuzzed_sources_import_to_the_same_transcript() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs");
    let options = IngestOptions::default();
    for name in [
        "long-speaker-name.vtt",
        "intro-label-escape.txt",
        "colon-in-speaker-name.vtt",
    ] {
        let source = dir.join(name);
        let out = tempfile::tempdir().unwrap();
        let done = verbatim::import::import_file(&source, out.path(), false, &options)
            .unwrap_or_else(|e| panic!("{name} imports: {e:?}"));
        let imported = without_path(load(&done.written));
        let direct = without_path(load(&source));
        assert!(
            verbatim::import::reads_back_as(&direct, imported.clone()),
            "{name}: {imported:#?}\n{direct:#?}"
        );
        // What the writer may add: an alias of the speaker it had no label for.
        if name == "long-speaker-name.vtt" {
            assert_ne!(imported, direct, "{name}: the made-up label is an alias");
        }
    }
}

#[test]
fn import_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("cards.srt");
    fs::write(&source, SOURCES[2].1).unwrap();
    let out = dir.path().join("content");
    let options = IngestOptions::default();
    verbatim::import::import_file(&source, &out, false, &options).unwrap();
    fs::write(out.join("cards.md"), "edited by hand").unwrap();
    let err = verbatim::import::import_file(&source, &out, false, &options).unwrap_err();
    assert!(err[0].message.contains("exists"), "{}", err[0].message);
    assert_eq!(
        fs::read_to_string(out.join("cards.md")).unwrap(),
        "edited by hand"
    );
    verbatim::import::import_file(&source, &out, true, &options).unwrap();
    assert!(fs::read_to_string(out.join("cards.md"))
        .unwrap()
        .starts_with("+++"));
}

#[test]
fn sidecar_metadata_chapters_and_media_player() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    fs::write(dir.path().join("content/interview.vtt"), SOURCES[1].1).unwrap();
    fs::write(
        dir.path().join("content/interview.toml"),
        "title = \"Ada King in London\"\ndate = 1994-02-07\ntags = [\"cities\"]\n\
         [media]\nurl = \"https://example.org/ada.mp3\"\n\
         [[speakers]]\nname = \"Bea Cole\"\nrole = \"interviewer\"\n\
         [[speakers]]\nname = \"Ada King\"\nrole = \"interviewee\"\n\
         [[chapters]]\nstart = \"00:00:00\"\ntitle = \"Childhood\"\n\
         [[chapters]]\nstart = \"00:00:30\"\ntitle = \"Cities\"\n",
    )
    .unwrap();
    let report = build(&BuildOptions {
        root: dir.path().to_path_buf(),
        ..BuildOptions::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.transcripts, 1, "the sidecar is not a transcript");
    let public = dir.path().join("public");
    let page = fs::read_to_string(public.join("interview/index.html")).unwrap();
    assert!(page.contains("Ada King in London"), "{page}");
    assert!(
        page.contains("Childhood") && page.contains("Cities"),
        "{page}"
    );
    let section = fs::read_to_string(public.join("interview/cities/index.html")).unwrap();
    assert!(
        section
            .contains(r#"<audio controls preload="metadata" src="https://example.org/ada.mp3" aria-label="Recording: Ada King in London">"#),
        "{section}"
    );
    assert!(
        section.contains(r#"ada.mp3#t=60" data-seek="60""#),
        "{section}"
    );
    assert!(section.contains(">00:01:00</a>"), "{section}");
    assert!(section.contains("In London &amp; Paris."), "{section}");
}

#[test]
fn sidecar_speakers_are_the_editors_word() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    fs::write(dir.path().join("content/interview.srt"), SOURCES[2].1).unwrap();
    fs::write(
        dir.path().join("content/interview.toml"),
        "[[speakers]]\nname = \"Bea Cole\"\nrole = \"interviewer\"\n",
    )
    .unwrap();
    let err = build(&BuildOptions {
        root: dir.path().to_path_buf(),
        ..BuildOptions::default()
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("content/interview.srt"), "{err}");
    assert!(err.contains("unknown speaker label \"Ada King\""), "{err}");
}

#[test]
fn bad_files_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    let content = dir.path().join("content");
    fs::write(content.join("a.vtt"), "00:00.000 --> 00:01.000\nhi\n").unwrap();
    fs::write(content.join("b.json"), "{\"segments\": [1, 2]}").unwrap();
    fs::write(content.join("c.csv"), "tag,description\nx,y\n").unwrap();
    fs::write(
        content.join("d.xml"),
        "<ROOT><record><transcript>No transcript.</transcript></record></ROOT>",
    )
    .unwrap();
    fs::write(content.join("e.txt"), b"Q: caf\x81\n").unwrap();
    let err = build(&BuildOptions {
        root: dir.path().to_path_buf(),
        ..BuildOptions::default()
    })
    .unwrap_err()
    .to_string();
    for expected in [
        "content/a.vtt: error: not a WebVTT file",
        "content/b.json:1:",
        "content/c.csv:1: error: not an Oral History as Data transcript",
        "content/d.xml: error: the OHMS record has no transcript",
        "content/e.txt:1:7: error: the file is neither UTF-8 nor windows-1252",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
}

/// The raw seed article: five numbered sections, and every `Q:` and
/// `Joe Tsai:` paragraph attributed to the right speaker, in order.
#[test]
fn the_seed_imports_into_five_sections() {
    let seed = Path::new("../shared/seeds/000_e70763a947846167.txt");
    let Ok(raw) = fs::read_to_string(seed) else {
        panic!(
            "the seed {} is missing; tests need ../shared beside the repository",
            seed.display()
        );
    };
    let dir = tempfile::tempdir().unwrap();
    let done = verbatim::import::import_file(seed, dir.path(), false, &IngestOptions::default())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let t = load(&done.written);
    let headings: Vec<String> = raw
        .lines()
        .filter(|l| {
            l.len() > 4 && l.as_bytes()[..2].iter().all(u8::is_ascii_digit) && &l[2..4] == ". "
        })
        .map(|l| l[4..].trim().to_string())
        .collect();
    assert_eq!(headings.len(), 5);
    let titles: Vec<&str> = t.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, headings);
    let numbers: Vec<Option<&str>> = t.sections.iter().map(|s| s.number.as_deref()).collect();
    assert_eq!(
        numbers,
        [Some("01"), Some("02"), Some("03"), Some("04"), Some("05")]
    );
    // Each labelled line of the seed opens the next turn, by the right person.
    let expected: Vec<(Role, &str)> = raw
        .lines()
        .filter_map(|l| {
            l.strip_prefix("Q: ")
                .map(|q| (Role::Interviewer, q))
                .or_else(|| l.strip_prefix("Joe Tsai: ").map(|a| (Role::Interviewee, a)))
        })
        .collect();
    let turns: Vec<_> = t.turns().collect();
    assert_eq!(turns.len(), expected.len());
    for (turn, (role, first)) in turns.iter().zip(&expected) {
        let speaker = t.speaker(&turn.speaker).unwrap();
        assert_eq!(speaker.role, *role, "{first}");
        if *role == Role::Interviewee {
            assert_eq!(speaker.name, "Joe Tsai");
        }
        assert!(
            turn.text.starts_with(first.trim()),
            "{first}\n---\n{}",
            turn.text
        );
    }
    // Questions are questions: every exchange opens with one.
    assert!(t
        .sections
        .iter()
        .flat_map(|s| &s.exchanges)
        .all(|e| e.question.is_some()));
}

/// Files of the shared corpus that are not transcripts, and why.
const REFUSED: [(&str, &str); 6] = [
    ("vttjs_file-layout_blank-file.vtt", "empty"),
    ("vttjs_file-layout_bom-garbage-data.vtt", "WEBVTT"),
    (
        "vttjs_file-layout_tab-after-bom-before-header.vtt",
        "WEBVTT",
    ),
    ("vttjs_cuetext_voice_no-end-gt.vtt", "no spoken text"),
    ("empty_ohms.xml", "no transcript"),
    ("ohd-legacy_filters.csv", "speaker"),
];

/// Every file of ../shared/corpus builds into a transcript with every spoken
/// word in order under the right speakers (checked against a simple reading
/// of the source, written here independently of the parsers), reads back
/// unchanged from its native import, or is refused with its name and why.
#[test]
fn the_corpus_builds_or_is_refused_clearly() {
    let root = Path::new("../shared/corpus");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != "SOURCES.md")
        .map(|e| e.into_path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 30,
        "the corpus is missing at {}",
        root.display()
    );
    let options = IngestOptions::default();
    let mut built = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let display = path.to_string_lossy().to_string();
        let refused = REFUSED.iter().find(|(f, _)| *f == name);
        match (ingest::load(path, &display, &options), refused) {
            (Err(errors), Some((_, why))) => {
                assert!(errors.iter().all(|e| e.path == display), "{errors:?}");
                assert!(
                    errors.iter().any(|e| e.message.contains(why)),
                    "{name}: {errors:?}"
                );
            }
            (Err(errors), None) => panic!("{name} should build: {errors:?}"),
            (Ok(_), Some(_)) => panic!("{name} should be refused"),
            (Ok((t, _)), None) => {
                built += 1;
                let bytes = fs::read(path).unwrap();
                let source = oracle::Source::read(&name, &bytes);
                source.check(&name, &t);
                let md = verbatim::native_writer::to_markdown(&t, "en").unwrap();
                let text: std::sync::Arc<str> = std::sync::Arc::from(md.as_str());
                let stem = path.file_stem().unwrap().to_string_lossy();
                let (back, _) = ingest::parse(Format::Markdown, "x.md", &text, &stem, &options)
                    .unwrap_or_else(|e| panic!("{name}: {e:?}"));
                assert_eq!(without_path(back), without_path(t), "{name}");
            }
        }
    }
    assert_eq!(built + REFUSED.len(), files.len());
}

/// The transcripts of the corpus, side by side in one site, build into pages.
#[test]
fn the_corpus_builds_as_a_site() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path());
    let mut copied = 0;
    for entry in walkdir::WalkDir::new("../shared/corpus")
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy().to_string();
        if !entry.file_type().is_file()
            || name == "SOURCES.md"
            || REFUSED.iter().any(|(f, _)| *f == name)
        {
            continue;
        }
        // Four files share the stem `podcast-namespace_example`; keep URLs apart.
        let (stem, ext) = name.rsplit_once('.').unwrap();
        fs::copy(
            entry.path(),
            dir.path().join(format!("content/{stem}-{ext}.{ext}")),
        )
        .unwrap();
        copied += 1;
    }
    assert!(copied >= 24, "the corpus is missing");
    let report = build(&BuildOptions {
        root: dir.path().to_path_buf(),
        ..BuildOptions::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.transcripts, copied);
    let ohms = fs::read_to_string(
        dir.path()
            .join("public/small-sample-vtt-ohms-xml/full/index.html"),
    )
    .unwrap();
    assert!(
        ohms.contains(">01:00:03<"),
        "hh:mm:ss times past the first hour"
    );
}

/// Every prefix of every corpus file (a file cut short by a failed download)
/// is read or refused, never a panic or a hang.
#[test]
fn truncated_files_never_panic() {
    let options = IngestOptions::default();
    let mut cut_files = 0;
    for entry in walkdir::WalkDir::new("../shared/corpus")
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let Some(format) = Format::of(path) else {
            continue;
        };
        let bytes = fs::read(path).unwrap();
        let text = verbatim::ingest::encoding::decode("x", &bytes).map(|d| d.text);
        let Ok(text) = text else { continue };
        cut_files += 1;
        let cuts: Vec<usize> = (0..=16).map(|i| text.len() * i / 16).collect();
        for cut in cuts {
            let mut end = cut;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let part: std::sync::Arc<str> = std::sync::Arc::from(&text[..end]);
            let _ = ingest::parse(format, "x", &part, "x", &options);
        }
    }
    assert!(
        cut_files >= 30,
        "only {cut_files} corpus files were cut: is ../shared/corpus missing?"
    );
}

/// A plain reading of each corpus format: the words said and who says them.
mod oracle {
    use verbatim::model::{Role, Transcript};

    pub struct Source {
        /// Spoken words, in order.
        words: Vec<String>,
        /// Speaker labels as written, in order, repeats removed.
        labels: Vec<String>,
    }

    impl Source {
        pub fn read(name: &str, bytes: &[u8]) -> Source {
            let text = decode(bytes);
            let ext = name.rsplit('.').next().unwrap();
            let mut s = Source {
                words: Vec::new(),
                labels: Vec::new(),
            };
            match ext {
                "vtt" => s.vtt(&text),
                "srt" => s.srt(&text),
                "json" => {
                    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                    for seg in v["segments"].as_array().unwrap() {
                        s.label(seg["speaker"].as_str().unwrap_or(""));
                        s.say(seg["body"].as_str().unwrap_or(""));
                    }
                }
                "html" => {
                    for (i, part) in text.split("<cite>").enumerate() {
                        if i > 0 {
                            s.label(part.split("</cite>").next().unwrap());
                        }
                        for p in part.split("<p>").skip(1) {
                            s.say(&strip_tags(p.split("</p>").next().unwrap()));
                        }
                    }
                }
                "csv" => {
                    let mut r = csv::Reader::from_reader(text.as_bytes());
                    let h = r.headers().unwrap().clone();
                    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
                    let (sp, w) = (col("speaker"), col("words"));
                    for rec in r.records() {
                        let rec = rec.unwrap();
                        s.label(rec.get(sp).unwrap_or(""));
                        s.say(rec.get(w).unwrap_or(""));
                    }
                }
                "xml" => {
                    let doc = roxmltree::Document::parse(&text).unwrap();
                    let get = |n: &str| {
                        doc.descendants()
                            .filter(|e| e.tag_name().name() == n)
                            .map(|e| e.text().unwrap_or("").to_string())
                            .collect::<Vec<_>>()
                    };
                    if let Some(vtt) = get("vtt_transcript").first() {
                        s.vtt(vtt);
                    } else {
                        let t = get("transcript").concat();
                        let body = if t.trim().is_empty() || t.trim() == "No transcript." {
                            get("partial_transcript").join("\n\n")
                        } else {
                            t
                        };
                        s.lines(&body);
                    }
                }
                "txt" => s.lines(&text),
                _ => panic!("unexpected corpus file {name}"),
            }
            s
        }

        fn label(&mut self, label: &str) {
            let label = label.trim().trim_end_matches(':').trim().to_string();
            if !label.is_empty() && self.labels.last() != Some(&label) {
                self.labels.push(label);
            }
        }

        fn say(&mut self, text: &str) {
            self.words.extend(words(text));
        }

        /// `Name: text` lines (the label is taken off), else text.
        fn labelled_line(&mut self, line: &str) {
            match line.split_once(": ") {
                Some((label, rest))
                    if label.split_whitespace().count() <= 4
                        && label
                            .split_whitespace()
                            .all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()))
                        && !label.contains([',', '"', '(', '[']) =>
                {
                    self.label(label);
                    self.say(rest);
                }
                _ => self.say(line),
            }
        }

        /// Text with `Name:` lines; a header block (`DATE:`, `INTERVIEWERS:`
        /// and the names under it) is metadata, not speech.
        fn lines(&mut self, text: &str) {
            let mut in_header = false;
            for line in text.lines() {
                let mut line = line.trim().trim_start_matches('\u{feff}');
                // A `[00:00:05]` time code is not speech.
                if let Some((time, rest)) = line.strip_prefix('[').and_then(|l| l.split_once(']')) {
                    if time
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
                    {
                        line = rest.trim();
                    }
                }
                let key = line.split(':').next().unwrap_or("");
                if [
                    "INTERVIEWEE",
                    "INTERVIEWER",
                    "INTERVIEWERS",
                    "DATE",
                    "LOCATION",
                ]
                .contains(&key)
                {
                    in_header = true;
                } else if line.is_empty() {
                    in_header = false;
                } else if !in_header {
                    self.labelled_line(line);
                }
            }
        }

        fn srt(&mut self, text: &str) {
            let text = text.replace("\r\n", "\n");
            for card in text.split("\n\n") {
                let lines: Vec<&str> = card
                    .lines()
                    .filter(|l| !l.contains("-->") && !l.trim().chars().all(|c| c.is_ascii_digit()))
                    .collect();
                if let Some((first, rest)) = lines.split_first() {
                    self.labelled_line(first);
                    for l in rest {
                        self.say(l);
                    }
                }
            }
        }

        fn vtt(&mut self, text: &str) {
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            let blocks: Vec<&str> = text.split("\n\n").collect();
            for block in blocks.iter().skip(1) {
                let lines: Vec<&str> = block.lines().collect();
                let Some(arrow) = lines.iter().position(|l| l.contains("-->")) else {
                    continue; // NOTE, STYLE, REGION
                };
                for line in &lines[arrow + 1..] {
                    if line.contains("-->") {
                        break;
                    }
                    let mut rest = *line;
                    while let Some(v) = rest.find("<v ") {
                        self.say(&strip_tags(&rest[..v]));
                        let end = rest[v..].find('>').map_or(rest.len(), |e| v + e);
                        self.label(&rest[v + 3..end]);
                        rest = rest.get(end + 1..).unwrap_or("");
                    }
                    self.say(&strip_tags(rest));
                }
            }
        }

        /// Every word in order in the transcript, and the labels in order
        /// among the turns' speakers.
        pub fn check(&self, name: &str, t: &Transcript) {
            let mut said = words(&strip_tags(&t.intro));
            for s in &t.sections {
                said.extend(words(&s.title));
                said.extend(words(&strip_tags(&s.intro)));
                for turn in s.turns() {
                    said.extend(words(&turn.text));
                }
            }
            let mut at = 0;
            for w in &self.words {
                match said[at..].iter().position(|x| x == w) {
                    Some(i) => at += i + 1,
                    None => panic!("{name}: {w:?} missing or out of order (after word {at})"),
                }
            }
            let speakers: Vec<_> = t
                .turns()
                .map(|turn| t.speaker(&turn.speaker).unwrap())
                .collect();
            let mut at = 0;
            for label in &self.labels {
                let key = label.to_lowercase();
                let found = speakers[at..].iter().position(|s| {
                    s.name.to_lowercase() == key
                        || s.aliases.iter().any(|a| a.to_lowercase() == key)
                        || (key == "q" && s.role == Role::Interviewer)
                        || (key == "a" && s.role == Role::Interviewee)
                });
                match found {
                    Some(i) => at += i,
                    None => panic!("{name}: speaker {label:?} missing or out of order"),
                }
            }
        }
    }

    fn decode(bytes: &[u8]) -> String {
        let (enc, bom) = encoding_rs::Encoding::for_bom(bytes).unwrap_or((encoding_rs::UTF_8, 0));
        let (text, _, errors) = enc.decode(&bytes[bom..]);
        if errors {
            return encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned();
        }
        text.into_owned()
    }

    fn strip_tags(text: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in text.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    out.push(' ');
                }
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }

    /// Lower-case runs of letters and digits, after the character
    /// references transcripts use are decoded.
    fn words(text: &str) -> Vec<String> {
        let mut t = text.to_string();
        for (r, c) in [
            ("&lt;", " "),
            ("&gt;", " "),
            ("&quot;", " "),
            ("&#39;", "'"),
            ("&#039;", "'"),
            ("&#8212;", " "),
            ("&nbsp;", " "),
            ("&lrm;", " "),
            ("&rlm;", " "),
            ("&amp;", " "),
        ] {
            t = t.replace(r, c);
        }
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    }
}
