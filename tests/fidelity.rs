//! The fidelity report: every real file of `../shared/corpus/`,
//! `../shared/corpus-next/` and the seed, imported as a user imports it
//! (no sidecar, no hand edits), held against truth written by hand: title,
//! date, speakers and turns where the truth is known, and the words. The
//! words of speech are read from each source apart from verbatim's readers
//! (`common::speech`; for a saved page, the page's text from its first
//! turn's words to its last turn's); words of the page inside turns are
//! words on the site the source's speech does not hold, spoken words lost
//! are words of the source's speech not on the site that no warning names.
//!
//! `cargo test --test fidelity -- --nocapture` prints the table
//! (`scripts/fidelity` runs it); docs/formats.md keeps a copy.

mod common;

use common::speech::{self, words};
use common::{corpus_files, shared};
use std::collections::HashMap;
use std::path::Path;
use verbatim::ingest::{self, ledger::Ledger, IngestOptions};
use verbatim::model::Transcript;

/// Truth written by hand for a file: what a faithful import shows.
struct Truth {
    title: Option<String>,
    date: Option<String>,
    /// Speakers' names, any order.
    speakers: Option<Vec<String>>,
    turns: Option<usize>,
    /// For a saved page: the first turn's first words and the last turn's
    /// last words, which bound the interview in the page's text.
    span: Option<(String, String)>,
    /// For a saved page: the labels its turns are printed with.
    labels: Vec<String>,
}

fn truth(
    title: Option<&str>,
    date: Option<&str>,
    speakers: &[&str],
    turns: Option<usize>,
) -> Truth {
    Truth {
        title: title.map(str::to_string),
        date: date.map(str::to_string),
        speakers: (!speakers.is_empty()).then(|| speakers.iter().map(|s| s.to_string()).collect()),
        turns,
        span: None,
        labels: Vec::new(),
    }
}

/// The hand-written truth of the files whose speakers and turns were
/// counted by hand (see ../shared/corpus-next/SOURCES.md and the files'
/// headers); the saved pages' truth is their folder's expected.json.
fn hand_truth(file: &str) -> Option<Truth> {
    Some(match file {
        "corpus-next/otter-txt/ladybug_67-cryptography_otter.txt" => truth(
            None,
            None,
            &["Emma", "Kelly", "Ali", "Unknown Speaker"],
            Some(122),
        ),
        "corpus-next/whisper-diarised-txt/oxide_golang-asserts-plato_transcript.txt" => truth(
            None,
            None,
            &[
                "Speaker 1",
                "Speaker 2",
                "Speaker 3",
                "Speaker 4",
                "Speaker 5",
                "Speaker 6",
                "Speaker 7",
                "Speaker 8",
            ],
            Some(147),
        ),
        // Names no speaker: the two hosts are not told apart in the file;
        // each of its 252 timed paragraphs is a turn with its time.
        "corpus-next/timestamped-txt/pythonbytes_022.txt" => {
            truth(None, None, &["Speaker"], Some(252))
        }
        "corpus-next/whisper/whisper-timestamped_medium_fr_radio_short.words.json"
        | "corpus-next/whisper/whisper-timestamped_smartphone_50.vtt"
        | "corpus-next/ttml/paella_be0c7738_en.dfxp" => truth(None, None, &["Speaker"], Some(1)),
        // HUANG (Alice Huang, named so only) joins in for a few turns.
        // 69 cues open with `>>` (the first among them): 69 turns by
        // nobody named.
        "corpus-next/youtube-vtt/pythonbytes_yt_363.vtt" => {
            truth(None, None, &["Speaker"], Some(69))
        }
        // Film subtitles naming nobody; `- ` lines change speakers.
        "corpus-next/youtube-sbv/abkhazian-subtitles_caesar_en.sbv" => {
            truth(None, None, &["Speaker"], None)
        }
        "corpus/plaintext/scihist_baltimore_sample.txt" => truth(
            None,
            Some("1994-02-07"),
            &["David Baltimore", "Sondra Schlesinger", "Huang"],
            None,
        ),
        "corpus/plaintext/scihist_isaacs_j2ntg1k_sample_with_timecodes.txt" => truth(
            None,
            None,
            &["André K. Isaacs", "Sarah Schneider", "David J. Caruso"],
            None,
        ),
        "corpus/ohd-csv/ohd-cb_armantrout.csv" => {
            truth(None, None, &["Devin Becker", "Rae Armantrout"], Some(409))
        }
        _ => return None,
    })
}

fn page_truth(file: &str) -> Option<Truth> {
    let name = file.strip_prefix("corpus-next/web-article/")?;
    let expected = std::fs::read_to_string(shared().join("corpus-next/web-article/expected.json"))
        .expect("expected.json");
    let all: serde_json::Value = serde_json::from_str(&expected).unwrap();
    let want = &all[name];
    Some(Truth {
        title: want["title"].as_str().map(str::to_string),
        date: want["date"].as_str().map(str::to_string),
        speakers: Some(
            want["speakers"]
                .as_array()?
                .iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect(),
        ),
        turns: want["turns"].as_u64().map(|n| n as usize),
        span: Some((
            want["first_turn"]["starts"].as_str()?.to_string(),
            want["last_turn"]["ends"].as_str()?.to_string(),
        )),
        labels: want["speakers"]
            .as_array()?
            .iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect(),
    })
}

/// The seed's truth is the curated transcript written from it by hand.
fn seed_truth() -> Truth {
    let curated = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/joe-tsai-vivatech-2026.md");
    let (t, _) = ingest::load(&curated, "curated.md", &IngestOptions::default()).unwrap();
    Truth {
        title: Some(t.title.clone()),
        date: t.date.clone(),
        speakers: Some(t.speakers.iter().map(|s| s.name.clone()).collect()),
        turns: Some(t.turns().count()),
        span: Some((
            "Alibaba has changed significantly over the years".into(),
            "spend more time with their families.".into(),
        )),
        labels: t
            .speakers
            .iter()
            .flat_map(|s| std::iter::once(s.name.clone()).chain(s.aliases.clone()))
            .collect(),
    }
}

/// The words of `text` from the first run of `first`'s words to the end of
/// the last run of `last`'s words.
fn between(text: &[String], first: &[String], last: &[String]) -> Option<Vec<String>> {
    let start = text.windows(first.len()).position(|w| w == first)?;
    let end = text.windows(last.len()).rposition(|w| w == last)? + last.len();
    (start < end).then(|| text[start..end].to_vec())
}

/// The words of speech of a saved page (or the seed): its text between the
/// truth's first and last turn, the speakers' `Name:` labels left out.
fn page_speech(path: &Path, span: &(String, String), labels: &[String]) -> Option<Vec<String>> {
    let raw = std::fs::read_to_string(path).ok()?;
    let text = if path.extension().is_some_and(|e| e == "html") {
        speech::saved_as_text(&raw)
    } else {
        raw
    };
    // Labels out first, paragraph by paragraph, then the span.
    let unlabelled: Vec<String> = text
        .lines()
        .flat_map(|line| {
            let line = line.trim();
            let rest = line
                .split_once(':')
                .filter(|(l, _)| labels.iter().any(|x| x.eq_ignore_ascii_case(l.trim())))
                .map_or(line, |(_, rest)| rest);
            words(rest)
        })
        .collect();
    // The span's ends by a few words each (labels inside them, `IG:`, are
    // out of the page's words too).
    let first: Vec<String> = words(&span.0).into_iter().take(6).collect();
    let last = words(&span.1);
    let last = last[last.len().saturating_sub(3)..].to_vec();
    between(&unlabelled, &first, &last)
}

fn counts(words: &[String]) -> HashMap<&str, i64> {
    let mut m = HashMap::new();
    for w in words {
        *m.entry(w.as_str()).or_insert(0) += 1;
    }
    m
}

/// Up to ten words in `a` more often than in `b`.
fn sample(a: &[String], b: &[String]) -> Vec<String> {
    let (ca, cb) = (counts(a), counts(b));
    let mut out: Vec<String> = ca
        .iter()
        .filter(|(w, n)| **n > cb.get(*w).copied().unwrap_or(0))
        .map(|(w, _)| w.to_string())
        .collect();
    out.sort();
    out.truncate(10);
    out
}

/// (words in `a` not in `b`, words in `b` not in `a`), as multisets.
fn differences(a: &[String], b: &[String]) -> (i64, i64) {
    let (ca, cb) = (counts(a), counts(b));
    let only_a = ca
        .iter()
        .map(|(w, n)| (n - cb.get(w).copied().unwrap_or(0)).max(0))
        .sum();
    let only_b = cb
        .iter()
        .map(|(w, n)| (n - ca.get(w).copied().unwrap_or(0)).max(0))
        .sum();
    (only_a, only_b)
}

fn site_words(t: &Transcript) -> Vec<String> {
    t.turns().flat_map(|turn| words(&turn.text)).collect()
}

fn same_names(got: &Transcript, want: &[String]) -> bool {
    let mut g: Vec<String> = got.speakers.iter().map(|s| s.name.to_lowercase()).collect();
    let mut w: Vec<String> = want.iter().map(|s| s.to_lowercase()).collect();
    g.sort();
    w.sort();
    g == w
}

struct Row {
    file: String,
    fields: Vec<Option<bool>>,
    turns: String,
    source: usize,
    foreign: i64,
    lost: i64,
    left_out: usize,
}

/// Files that are publishable as imported: every known field right, no
/// word of the page in a turn, no spoken word lost without a warning. A
/// file that stops being so fails the test.
const PUBLISHABLE: &[&str] = &[
    "corpus-next/otter-txt/ladybug_67-cryptography_otter.txt",
    "corpus-next/whisper-diarised-txt/oxide_golang-asserts-plato_transcript.txt",
    "corpus-next/timestamped-txt/pythonbytes_022.txt",
    "corpus-next/youtube-sbv/abkhazian-subtitles_caesar_en.sbv",
    "corpus-next/youtube-vtt/pythonbytes_yt_363.vtt",
    "corpus-next/ttml/paella_be0c7738_en.dfxp",
    "corpus-next/whisper/whisper-timestamped_medium_fr_radio_short.words.json",
    "corpus-next/whisper/whisper-timestamped_smartphone_50.vtt",
    "corpus-next/web-article/blog.amp.dev.axios.html",
    "corpus-next/web-article/comoeducarseusfilhos.com.br.serelepe.html",
    "corpus-next/web-article/diariolibre.com-republica.html",
    "corpus-next/web-article/kinzig.news-Nachhaltigkeit.html",
    "corpus-next/web-article/laweekly.com-Cultivation.html",
    "corpus-next/web-article/legrandcontinent.eu.heran.html",
    "corpus/plaintext/scihist_baltimore_sample.txt",
    "corpus/plaintext/scihist_isaacs_j2ntg1k_sample_with_timecodes.txt",
    "corpus/ohd-csv/ohd-cb_armantrout.csv",
    "seeds/000_e70763a947846167.txt",
];

#[test]
fn fidelity_report() {
    let mut rows = Vec::new();
    let mut refused = Vec::new();
    for path in corpus_files() {
        let file = path
            .strip_prefix(shared())
            .unwrap()
            .to_string_lossy()
            .to_string();
        let (t, warnings) = match ingest::load(&path, &file, &IngestOptions::default()) {
            Ok(r) => r,
            Err(e) => {
                refused.push(format!("{file}: {}", e[0].message));
                continue;
            }
        };
        let truth = if file.starts_with("seeds/") {
            Some(seed_truth())
        } else {
            page_truth(&file).or_else(|| hand_truth(&file))
        };
        let source = match truth
            .as_ref()
            .and_then(|t| t.span.as_ref().map(|s| (s, &t.labels)))
        {
            Some((span, labels)) => page_speech(&path, span, labels).unwrap_or_else(|| {
                panic!("{file}: the truth's first and last words are not in the page")
            }),
            None => match speech::source_words(&path) {
                Some(w) => w,
                None => continue,
            },
        };
        let site = site_words(&t);
        let (lost, foreign) = differences(&source, &site);
        let ledger = Ledger::of(&t, &warnings);
        if foreign > 0 {
            println!(
                "{file}: on the site, not in the source: {:?}",
                sample(&site, &source)
            );
        }
        if lost > ledger.left_out_words() as i64 {
            println!(
                "{file}: in the source, not on the site: {:?}",
                sample(&source, &site)
            );
        }
        let fields = match &truth {
            Some(truth) => vec![
                truth.title.as_ref().map(|w| *w == t.title),
                truth.date.as_ref().map(|w| Some(w) == t.date.as_ref()),
                truth.speakers.as_ref().map(|w| same_names(&t, w)),
                truth.turns.map(|w| w == t.turns().count()),
            ],
            None => vec![None; 4],
        };
        let turns = match truth.as_ref().and_then(|t| t.turns) {
            Some(want) => format!("{}/{want}", t.turns().count()),
            None => t.turns().count().to_string(),
        };
        rows.push(Row {
            file,
            fields,
            turns,
            source: source.len(),
            foreign,
            lost: (lost - ledger.left_out_words() as i64).max(0),
            left_out: ledger.left_out_words(),
        });
    }
    let mark = |f: &Option<bool>| match f {
        Some(true) => "ok",
        Some(false) => "WRONG",
        None => "—",
    };
    println!("| file | title | date | speakers | turns | words of speech | words of the page in turns | left out, with a warning | spoken words lost |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} {} | {} | {} | {} | {} |",
            r.file,
            mark(&r.fields[0]),
            mark(&r.fields[1]),
            mark(&r.fields[2]),
            r.turns,
            mark(&r.fields[3]),
            r.source,
            r.foreign,
            r.left_out,
            r.lost
        );
    }
    for r in &refused {
        println!("refused, with an error: {r}");
    }
    assert!(rows.len() >= 30, "only {} files measured", rows.len());
    let publishable =
        |r: &Row| r.fields.iter().all(|f| *f != Some(false)) && r.foreign == 0 && r.lost == 0;
    let mut failures = Vec::new();
    for file in PUBLISHABLE {
        match rows.iter().find(|r| r.file == *file) {
            Some(r) if publishable(r) => {}
            Some(_) => failures.push(format!("{file} is no longer publishable as imported")),
            None => failures.push(format!("{file} was not measured")),
        }
    }
    // No file anywhere loses a spoken word without a warning.
    for r in &rows {
        if r.lost > 0 {
            failures.push(format!(
                "{}: {} spoken words lost without a warning",
                r.file, r.lost
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
