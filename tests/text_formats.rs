//! Text exports of transcription tools (Whisper with diarisation, podcast
//! sites' timestamped paragraphs, Otter.ai), and who speaks in the real
//! plain-text, OHMS and Oral History as Data records, each tested on the
//! real files of `../shared/corpus-next/` and `../shared/corpus/`. The files
//! are read here, never copied: the tests count turns, speakers and words,
//! and every word of speech in the source must be on the site's full page.

mod common;

use common::{shared, Fixture};
use std::path::{Path, PathBuf};
use verbatim::diagnostic::Diagnostic;
use verbatim::ingest::{self, IngestOptions};
use verbatim::model::{Role, Transcript};

fn file(corpus: &str, kind: &str, name: &str) -> PathBuf {
    shared().join(corpus).join(kind).join(name)
}

fn load(path: &Path) -> (Transcript, Vec<Diagnostic>) {
    ingest::load(path, &path.to_string_lossy(), &IngestOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

fn read(path: &Path) -> String {
    String::from_utf8(std::fs::read(path).unwrap())
        .unwrap()
        .replace('\u{feff}', "")
}

use common::speech::words;

/// (speaker name, role, words of each turn).
fn turns(t: &Transcript) -> Vec<(String, Role, String)> {
    t.turns()
        .map(|turn| {
            let s = t.speaker(&turn.speaker).unwrap();
            (s.name.clone(), s.role, turn.text.to_string())
        })
        .collect()
}

fn names(t: &Transcript) -> Vec<(&str, Role)> {
    t.speakers
        .iter()
        .map(|s| (s.name.as_str(), s.role))
        .collect()
}

/// Builds a site of the one file and returns the words of every turn on
/// its full page, as a reader sees them, with the speakers' names.
fn site_words(path: &Path, slug: &str) -> (Vec<String>, Vec<String>) {
    let name = path.file_name().unwrap().to_string_lossy();
    let text = std::fs::read(path).unwrap();
    let site = Fixture::new(&[]);
    std::fs::write(site.root().join("content").join(&*name), text).unwrap();
    site.built();
    let page = site.page(&format!("{slug}/full/index.html"));
    let turns = page.turns();
    let speakers = turns.iter().map(|(s, _)| s.clone()).collect();
    let words = turns.iter().flat_map(|(_, t)| words(t)).collect();
    (speakers, words)
}

/// Runs of equal items: turns made by merging consecutive pieces.
fn runs<T: PartialEq>(items: &[T]) -> usize {
    items.windows(2).filter(|w| w[0] != w[1]).count() + usize::from(!items.is_empty())
}

fn report(name: &str, t: &Transcript, spoken: usize) {
    eprintln!(
        "{name}: {} turns, {} speakers ({}), {} exchanges, {spoken} words of speech",
        t.turns().count(),
        t.speakers.len(),
        t.speakers
            .iter()
            .map(|s| format!("{} [{:?}]", s.name, s.role))
            .collect::<Vec<_>>()
            .join(", "),
        t.sections.iter().map(|s| s.exchanges.len()).sum::<usize>(),
    );
}

/// `[Speaker 3] [12:34] words`: the label, and the words after the time.
fn diarised_line(line: &str) -> (String, &str) {
    let (label, rest) = line[1..].split_once("] [").unwrap();
    let (_, words) = rest.split_once("] ").unwrap();
    (label.to_string(), words)
}

#[test]
fn whisper_diarised_lines() {
    let path = file(
        "corpus-next",
        "whisper-diarised-txt",
        "oxide_golang-asserts-plato_transcript.txt",
    );
    let text = read(&path);
    let lines: Vec<(String, &str)> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(diarised_line)
        .collect();
    assert_eq!(lines.len(), 187, "186 line ends, the last line without one");
    let (t, warnings) = load(&path);
    let spoken: Vec<String> = lines.iter().flat_map(|(_, w)| words(w)).collect();
    report("whisper diarised", &t, spoken.len());
    let got = turns(&t);
    let labels: Vec<&String> = lines.iter().map(|(l, _)| l).collect();
    assert_eq!(got.len(), runs(&labels), "one turn per run of one speaker");
    let mut speakers: Vec<&str> = t.speakers.iter().map(|s| s.name.as_str()).collect();
    speakers.sort();
    let numbered: Vec<String> = (1..=8).map(|n| format!("Speaker {n}")).collect();
    assert_eq!(speakers, numbered);
    // Each turn is its speaker's, in order.
    let turn_labels: Vec<&str> = got.iter().map(|(n, _, _)| n.as_str()).collect();
    let mut run_labels: Vec<&str> = labels.iter().map(|l| l.as_str()).collect();
    run_labels.dedup();
    assert_eq!(turn_labels, run_labels);
    assert!(
        t.turns().all(|turn| turn.start.is_some()),
        "every turn timed"
    );
    // The last turn starts where the last run of its speaker's lines does.
    let times: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split("] [").nth(1).unwrap().split(']').next().unwrap())
        .collect();
    let last_run = labels
        .iter()
        .rposition(|l| *l != labels[labels.len() - 1])
        .unwrap()
        + 1;
    let last = t.turns().last().unwrap().start.unwrap();
    assert_eq!(last.to_string(), format!("00:{}", times[last_run]));
    // A panel: the host who asks most is taken to ask, not a guest with
    // one question.
    let asking: Vec<&str> = t
        .speakers
        .iter()
        .filter(|s| s.role == Role::Interviewer)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(asking, ["Speaker 3"]);
    assert!(t.intro.is_empty(), "no speech in the intro: {}", t.intro);
    let said: Vec<String> = got.iter().flat_map(|(_, _, w)| words(w)).collect();
    assert_eq!(said, spoken, "every word, in order");
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("only by number")),
        "{warnings:#?}"
    );
    let (names, on_site) = site_words(&path, "oxide-golang-asserts-plato-transcript");
    assert_eq!(on_site, spoken, "every word on the site");
    assert_eq!(names.len(), got.len());
}

#[test]
fn timestamped_paragraphs() {
    let path = file("corpus-next", "timestamped-txt", "pythonbytes_022.txt");
    let text = read(&path);
    let paragraphs: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    assert_eq!(paragraphs.len(), 252);
    let spoken: Vec<String> = paragraphs
        .iter()
        .flat_map(|p| {
            let (time, rest) = p.split_once(' ').unwrap();
            assert_eq!(time.len(), 8, "{p}");
            words(rest)
        })
        .collect();
    let (t, warnings) = load(&path);
    report("timestamped", &t, spoken.len());
    assert_eq!(names(&t), [("Speaker", Role::Interviewee)]);
    let w = warnings
        .iter()
        .find(|w| w.message.contains("names no speaker"))
        .unwrap_or_else(|| panic!("{warnings:#?}"));
    assert!(w.message.contains("\"Speaker\""));
    // Each timed paragraph is a turn with its own time, in order.
    let times: Vec<String> = t
        .turns()
        .map(|turn| turn.start.expect("every paragraph is timed").to_string())
        .collect();
    let written: Vec<&str> = paragraphs.iter().map(|p| &p[..8]).collect();
    assert_eq!(times, written, "each timed paragraph kept with its time");
    assert!(t.intro.is_empty(), "no speech in the intro: {}", t.intro);
    let said: Vec<String> = t.turns().flat_map(|turn| words(&turn.text)).collect();
    assert_eq!(said, spoken, "every word, in order, no time among them");
    let (_, on_site) = site_words(&path, "pythonbytes-022");
    assert_eq!(on_site, spoken, "every word on the site");
}

#[test]
fn otter_export() {
    let path = file(
        "corpus-next",
        "otter-txt",
        "ladybug_67-cryptography_otter.txt",
    );
    let text = read(&path);
    // `Name  m:ss  ` header lines, the words on the lines after them.
    let header = |line: &str| {
        let line = line.trim_end();
        line.rsplit_once("  ").is_some_and(|(name, time)| {
            time.split(':').count() == 2
                && time.bytes().all(|b| b.is_ascii_digit() || b == b':')
                && !name.trim().is_empty()
        })
    };
    let mut labels = Vec::new();
    let mut spoken = Vec::new();
    for line in text.lines() {
        if header(line) {
            labels.push(line.trim_end().rsplit_once("  ").unwrap().0.trim());
        } else {
            spoken.extend(words(line));
        }
    }
    assert!(labels.len() > 100, "{}", labels.len());
    let (t, warnings) = load(&path);
    report("otter", &t, spoken.len());
    let got = turns(&t);
    assert_eq!(got.len(), runs(&labels));
    let speakers: Vec<&str> = t.speakers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(speakers, ["Emma", "Kelly", "Ali", "Unknown Speaker"]);
    let unknown = got
        .iter()
        .filter(|(n, _, _)| n == "Unknown Speaker")
        .count();
    assert_eq!(unknown, 4);
    // Three hosts and no guest: Emma, who leads, asks most.
    let asking: Vec<&str> = t
        .speakers
        .iter()
        .filter(|s| s.role == Role::Interviewer)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(asking, ["Emma"], "{warnings:#?}");
    let said: Vec<String> = got.iter().flat_map(|(_, _, w)| words(w)).collect();
    assert_eq!(said, spoken, "every word, in order");
    let (_, on_site) = site_words(&path, "ladybug-67-cryptography-otter");
    assert_eq!(on_site, spoken, "every word on the site");
}

/// The footer of an Otter export is a credit, not the last speaker's words:
/// the real export with the footer Otter writes added after it.
#[test]
fn otter_footer_is_left_out_with_a_warning() {
    let path = file(
        "corpus-next",
        "otter-txt",
        "ladybug_67-cryptography_otter.txt",
    );
    let mut text = read(&path);
    let lines = text.lines().count();
    text.push_str("\nTranscribed by https://otter.ai\n");
    let (whole, _) = load(&path);
    let arc: std::sync::Arc<str> = std::sync::Arc::from(text.as_str());
    let (t, warnings) = ingest::parse(
        ingest::Format::PlainText,
        "otter.txt",
        &arc,
        "otter",
        &IngestOptions::default(),
    )
    .unwrap();
    let said = |t: &Transcript| -> Vec<String> { t.turns().flat_map(|x| words(&x.text)).collect() };
    assert_eq!(said(&t), said(&whole), "the footer is in no turn");
    let w = warnings
        .iter()
        .find(|w| w.message.contains("credit"))
        .unwrap_or_else(|| panic!("{warnings:#?}"));
    assert_eq!(w.line, Some(lines + 2));
    assert!(w.message.contains("otter.ai"));
}

#[test]
fn plain_text_oral_histories() {
    let cases = [
        (
            "scihist_baltimore_sample.txt",
            "scihist-baltimore-sample",
            vec![
                ("Sondra Schlesinger", Role::Interviewer),
                ("David Baltimore", Role::Interviewee),
                ("Huang", Role::Interviewee),
            ],
        ),
        (
            "scihist_isaacs_j2ntg1k_sample_with_timecodes.txt",
            "scihist-isaacs-j2ntg1k-sample-with-timecodes",
            vec![
                ("Sarah Schneider", Role::Interviewer),
                ("David J. Caruso", Role::Interviewer),
                ("André K. Isaacs", Role::Interviewee),
            ],
        ),
    ];
    for (name, slug, expected) in cases {
        let path = file("corpus", "plaintext", name);
        let spoken = common::speech::transcript_words(&read(&path));
        let (t, _) = load(&path);
        report(name, &t, spoken.len());
        assert_eq!(names(&t), expected, "{name}");
        let said: Vec<String> = t.turns().flat_map(|x| words(&x.text)).collect();
        assert_eq!(said, spoken, "{name}: every word, in order");
        let (_, on_site) = site_words(&path, slug);
        assert_eq!(on_site, spoken, "{name}: every word on the site");
    }
}

#[test]
fn ohms_narrators_do_not_ask() {
    // No <interviewee> or <interviewer>: the title names the narrator, whose
    // ALYEA: turns join the name; the two others ask.
    let path = file("corpus", "ohms-xml", "alyea_OH0010.xml");
    let (t, _) = load(&path);
    let xml = read(&path);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let partials: Vec<String> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name((
                "https://www.weareavp.com/nunncenter/ohms",
                "partial_transcript",
            ))
        })
        .filter_map(|n| n.text())
        .map(str::to_string)
        .collect();
    let spoken: Vec<String> = partials
        .iter()
        .flat_map(|p| words(p.split_once(": ").map_or(p.as_str(), |(_, rest)| rest)))
        .collect();
    report("alyea", &t, spoken.len());
    assert_eq!(
        names(&t),
        [
            ("Hubert N. Alyea", Role::Interviewee),
            ("Sturchio", Role::Interviewer),
            ("Doel", Role::Interviewer),
        ]
    );
    let alyea = t
        .speakers
        .iter()
        .find(|s| s.name == "Hubert N. Alyea")
        .unwrap();
    assert_eq!(alyea.aliases, ["ALYEA"]);
    let said: Vec<String> = t.turns().flat_map(|x| words(&x.text)).collect();
    assert_eq!(said, spoken);
    let (on_site_names, on_site) = site_words(&path, "alyea-oh0010");
    assert_eq!(on_site, spoken, "every word on the site");
    assert!(on_site_names.iter().any(|n| n == "Hubert N. Alyea"));

    // Empty <interviewee/> and <interviewer/>: the labels say who is who.
    let path = file("corpus", "ohms-xml", "small-sample-vtt-ohms.xml");
    let (t, _) = load(&path);
    report("small-sample-vtt-ohms", &t, 0);
    assert_eq!(
        names(&t),
        [
            ("Schneider", Role::Interviewer),
            ("Name of Interviewee", Role::Interviewee),
        ]
    );

    // The record names both: as it says.
    let path = file("corpus", "ohms-xml", "various_gaps.xml");
    let (t, _) = load(&path);
    assert_eq!(
        names(&t),
        [
            ("Kermit the Frog", Role::Interviewer),
            ("Miss Piggy", Role::Interviewee),
        ]
    );
}

#[test]
fn oral_history_as_data_initials_join_and_the_asker_asks() {
    let cases = [
        (
            "ohd-cb_armantrout.csv",
            "ohd-cb-armantrout",
            vec![
                ("Devin Becker", Role::Interviewer),
                ("Rae Armantrout", Role::Interviewee),
            ],
        ),
        (
            "ohd-cb_mcmichael.csv",
            "ohd-cb-mcmichael",
            vec![
                ("Devin Becker", Role::Interviewer),
                ("James McMichael", Role::Interviewee),
            ],
        ),
        (
            "ohd-legacy_mohammad.csv",
            "ohd-legacy-mohammad",
            vec![
                ("DB", Role::Interviewer),
                ("KM", Role::Interviewee),
                ("More Info", Role::Interviewee),
            ],
        ),
    ];
    for (name, slug, expected) in cases {
        let path = file("corpus", "ohd-csv", name);
        let text = read(&path);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
        let (speaker, said) = (col("speaker"), col("words"));
        let mut labels: Vec<String> = Vec::new();
        let mut spoken = Vec::new();
        for row in reader.records() {
            let row = row.unwrap();
            let label = row[speaker].trim().trim_end_matches(':').to_string();
            if !label.is_empty() {
                labels.push(label);
            }
            spoken.extend(words(&row[said]));
        }
        let (t, _) = load(&path);
        report(name, &t, spoken.len());
        assert_eq!(names(&t), expected, "{name}");
        // `DB` and `Devin Becker` are one speaker: turns alternate, and each
        // question opens an exchange (409 turns were once one exchange).
        let speakers: Vec<String> = labels
            .iter()
            .map(|l| {
                let key = l.to_lowercase();
                let s = t
                    .speakers
                    .iter()
                    .find(|s| {
                        s.name.to_lowercase() == key
                            || s.aliases.iter().any(|a| a.to_lowercase() == key)
                    })
                    .unwrap_or_else(|| panic!("{name}: {l}"));
                s.name.clone()
            })
            .collect();
        assert_eq!(t.turns().count(), runs(&speakers), "{name}");
        let exchanges: usize = t.sections.iter().map(|s| s.exchanges.len()).sum();
        assert!(
            exchanges * 3 > t.turns().count(),
            "{name}: {exchanges} exchanges"
        );
        let in_turns: Vec<String> = t.turns().flat_map(|x| words(&x.text)).collect();
        assert_eq!(in_turns, spoken, "{name}: every word, in order");
        let (_, on_site) = site_words(&path, slug);
        assert_eq!(on_site, spoken, "{name}: every word on the site");
    }
}
