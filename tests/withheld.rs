//! Withheld and embargoed parts, proved absent from every byte a build
//! writes: a site whose withheld span, turn and section and embargoed turn,
//! span and transcript hold marker words is built with search on and a
//! recording, and every file of the output is read (gzip members of the
//! search index inflated) for the markers. The same build after the
//! embargoes lift shows what was under them; `verbatim leaks` finds a word
//! planted in the output.

mod common;

use common::*;
use std::io::Read;
use std::path::Path;
use std::process::Command;

/// Words of the fixture that only its withheld parts hold.
const WITHHELD: [&str; 5] = [
    "quorvath",
    "glimmerpox",
    "brindlewood",
    "zelkovar",
    "frastlehouse",
];
/// Words only its embargoed transcript holds.
const EMBARGOED: [&str; 2] = ["vantremor", "oskelund"];

const KEEPER: &str = r#"+++
title = "The lighthouse keeper"
date = "2026-02-01"
interviewer = "Ines Moor"
interviewee = "Olaf Brandt"

[media]
url = "https://example.org/keeper.mp3"

[[withheld]]
turn = "t4"
reason = "a third person's health"
show_length = true

[[withheld]]
section = "The Orlanski brothers"
reason = "at the narrator's request"

[[withheld]]
turn = "t10"
embargo = 2031-05-01
+++

Written for verbatim's tests; nobody said these words.

## Work

[00:00:05] Q: What did you do first each morning with the lantern?

[00:00:12] A: I climbed the stairs and wiped the lantern. My neighbour [withheld: a name]Quorvath Zelinski[/withheld] helped on Sundays.

[00:00:30] Q: Who else lived there?

[00:00:40] A: My cousin, who had the glimmerpox fever that winter.

## The Orlanski brothers

[00:01:00] Q: Tell me about your brother.

[00:01:10] A: He sold brindlewood carvings in the harbour market.

## Later

[00:01:40] Q: And the keepers after you?

[00:01:50] A: They came with radios and a lantern of glass. [withheld until 2030-01-01]The blue frastlehouse closed in spring.[/withheld] Nobody climbs now.

[00:02:10] Q: Anything else?

[00:02:20] A: The zelkovar wind still comes in March.
"#;

const SEALED: &str =
    "+++\ntitle = \"Sealed interview\"\ndate = \"2026-01-01\"\nembargo = 2030-01-01\n+++\n\n\
Q: Where did the vantremor boats go?\n\nA: To Oskelund, every spring, with the lantern lit.\n";

fn fixture() -> Fixture {
    Fixture::new(&[("content/keeper.md", KEEPER), ("content/sealed.md", SEALED)])
}

/// Every file under `dir` as text, gzip members inflated, lower-cased.
fn every_file(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(e.path()).unwrap();
        let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut inflated = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut inflated)
                .unwrap();
            inflated
        } else {
            bytes
        };
        let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
        out.push((rel, String::from_utf8_lossy(&bytes).to_lowercase()));
    }
    out
}

fn holding<'a>(files: &'a [(String, String)], word: &str) -> Vec<&'a str> {
    files
        .iter()
        .filter(|(_, text)| text.contains(word))
        .map(|(p, _)| p.as_str())
        .collect()
}

#[test]
fn no_output_file_holds_a_withheld_or_embargoed_word() {
    let f = fixture();
    let (ok, said) = verbatim(&["build", "--today", "2026-12-07"], f.root());
    assert!(ok, "{said}");
    let files = every_file(&f.public());
    // The scan reads what a leak would be in: a word published once is in
    // pages, the search index, the API, the exports.
    let lantern = holding(&files, "lantern");
    for kind in [
        "keeper/index.html",
        "search/data/",
        "api/keeper.json",
        "keeper/transcript.vtt",
    ] {
        assert!(
            lantern.iter().any(|p| p.starts_with(kind)),
            "lantern is not in {kind}: {lantern:?}"
        );
    }
    assert!(files.len() > 30, "{} files", files.len());
    for word in WITHHELD.iter().chain(&EMBARGOED) {
        assert_eq!(holding(&files, word), Vec::<&str>::new(), "{word} leaked");
    }
    // A section's title is in its URL: the withheld one has neither.
    assert!(
        holding(&files, "orlanski").is_empty(),
        "{:?}",
        holding(&files, "orlanski")
    );
    assert!(!f.public().join("sealed").exists());
    assert!(
        said.contains("content/sealed.md") && said.contains("under embargo until 2030-01-01"),
        "{said}"
    );
    assert!(
        said.contains("turn t10 is under embargo until 2031-05-01"),
        "{said}"
    );

    // What the reader sees instead.
    let full = f.page("keeper/full/index.html");
    let turns = full.turns();
    assert!(turns.iter().any(|(_, t)| t == "I climbed the stairs and wiped the lantern. My neighbour [withheld: a name] helped on Sundays."), "{turns:?}");
    assert!(
        turns.iter().any(
            |(_, t)| t == "[withheld: a third person's health (00:00:40 to 00:01:00, 9 words)]"
        ),
        "{turns:?}"
    );
    assert!(
        turns.iter().any(
            |(_, t)| t == "[withheld until 2031-05-01 (00:02:20 to the end)]"
                || t.starts_with("[withheld until 2031-05-01 (from 00:02:20")
        ),
        "{turns:?}"
    );
    assert!(
        turns
            .iter()
            .any(|(_, t)| t
                .contains("lantern of glass. [withheld until 2030-01-01] Nobody climbs now.")),
        "{turns:?}"
    );
    assert_eq!(
        full.texts(".transcript-section h2"),
        ["Work", "Withheld section", "Later"]
    );
    assert_eq!(
        full.texts(".transcript-section .intro .withheld"),
        ["[withheld: at the narrator's request (00:01:00 to 00:01:40)]"]
    );
    // The recording is not cut: the withheld turn keeps its time link.
    assert_eq!(
        full.attrs("#t4 a.time", "href"),
        ["https://example.org/keeper.mp3#t=40"]
    );

    let (ok, said) = verbatim(&["leaks", "--today", "2026-12-07"], f.root());
    assert!(ok, "{said}");
    assert!(said.starts_with("No withheld word in"), "{said}");
}

#[test]
fn after_the_embargoes_lift_their_words_are_published() {
    let f = fixture();
    let (ok, said) = verbatim(&["build", "--today", "2031-05-01"], f.root());
    assert!(ok, "{said}");
    assert!(!said.contains("under embargo"), "{said}");
    let files = every_file(&f.public());
    for word in ["frastlehouse", "zelkovar", "vantremor", "oskelund"] {
        assert!(!holding(&files, word).is_empty(), "{word} is not published");
    }
    // Withheld for good stays withheld.
    for word in ["quorvath", "glimmerpox", "brindlewood"] {
        assert!(holding(&files, word).is_empty(), "{word} leaked");
    }
    assert!(f.public().join("sealed/index.html").exists());
}

/// A sealed interview its editor lists with its metadata while the embargo
/// holds: words only its intro, section title, turns and recording hold.
const LISTED: &str = r#"+++
title = "The mill at Harrowgate"
date = "2026-03-01"
description = "A miller remembers the weir."
tags = ["mills"]
interviewer = "Ines Moor"
interviewee = "Pia Lund"
embargo = 2030-01-01
list_while_embargoed = true

[media]
url = "https://example.org/trevalsk.mp3"
+++

Written for verbatim's tests. The narrator asked that the quendrell recording stay sealed.

## Brastow weir

[00:00:05] Q: When did the water come?

[00:00:10] A: In the spring of the morvanth flood, over the wheel.
"#;

const LISTED_ONLY: [&str; 4] = ["quendrell", "brastow", "morvanth", "trevalsk"];

#[test]
fn a_sealed_interview_listed_while_embargoed_shows_its_metadata_alone() {
    let f = Fixture::new(&[("content/keeper.md", KEEPER), ("content/mill.md", LISTED)]);
    let (ok, said) = verbatim(&["build", "--today", "2026-12-07"], f.root());
    assert!(ok, "{said}");
    assert!(
        said.contains(
            "content/mill.md: note: under embargo until 2030-01-01: listed with its metadata alone"
        ),
        "{said}"
    );
    let files = every_file(&f.public());
    for word in LISTED_ONLY {
        assert_eq!(holding(&files, word), Vec::<&str>::new(), "{word} leaked");
    }
    // Listed where a transcript is listed, with what its front matter says.
    for listing in [
        "index.html",
        "tags/mills/index.html",
        "speakers/pia-lund/index.html",
    ] {
        assert!(
            f.page(listing)
                .texts("body")
                .concat()
                .contains("The mill at Harrowgate"),
            "not listed in {listing}"
        );
    }
    assert!(f
        .page("index.html")
        .texts("body")
        .concat()
        .contains("A miller remembers the weir."));
    let overview = f.page("mill/index.html");
    let text = overview.texts("body").concat();
    for shown in ["The mill at Harrowgate", "Pia Lund", "Ines Moor"] {
        assert!(text.contains(shown), "{shown} not on the overview: {text}");
    }
    assert_eq!(
        overview.texts(".withheld"),
        ["[withheld until 2030-01-01: the interview is under embargo]"; 1]
    );
    // No player, no turns: the recording's address is gone with the words.
    assert!(f.page("mill/full/index.html").turns().is_empty());
    // The keeper's embargoed turn says "March"; the mill's date is written
    // "March 1, 2026" on its pages, which is no leak.
    let (ok, said) = verbatim(&["leaks", "--today", "2026-12-07"], f.root());
    assert!(ok, "{said}");

    // On the day it lifts, the interview is published whole.
    let (ok, said) = verbatim(&["build", "--today", "2030-01-01"], f.root());
    assert!(ok, "{said}");
    let files = every_file(&f.public());
    for word in LISTED_ONLY {
        assert!(!holding(&files, word).is_empty(), "{word} is not published");
    }
}

#[test]
fn check_lists_what_is_under_embargo_and_when_it_lifts() {
    let f = fixture();
    let (_, said) = verbatim(&["check", "--today", "2026-12-07"], f.root());
    for line in [
        "content/sealed.md: note: under embargo until 2030-01-01",
        "content/keeper.md: note: a span of turn t8 is under embargo until 2030-01-01",
        "content/keeper.md: note: turn t10 is under embargo until 2031-05-01",
    ] {
        assert!(said.contains(line), "{line}\n{said}");
    }
    // An embargo is no problem: `check --strict` passes a site that has
    // one, and still fails on a warning.
    let (ok, said) = verbatim(&["check", "--strict", "--today", "2026-12-07"], f.root());
    assert!(ok, "{said}");
    assert!(said.contains("no problems (3 notes)"), "{said}");
    f.write(
        "content/bad.vtt",
        "WEBVTT\n\n00:00:61.000 --> 00:00:62.000\n<v Ann>Hello there.\n",
    );
    let (ok, said) = verbatim(&["check", "--strict", "--today", "2026-12-07"], f.root());
    assert!(!ok, "{said}");
    // The words themselves are not in what check prints.
    for word in WITHHELD.iter().chain(&EMBARGOED) {
        assert!(!said.to_lowercase().contains(word), "{word} in {said}");
    }
}

#[test]
fn leaks_finds_a_withheld_word_in_the_output_without_printing_it() {
    let f = fixture();
    assert!(verbatim(&["build", "--today", "2026-12-07"], f.root()).0);
    let page = f.public().join("keeper/index.html");
    let mut html = std::fs::read_to_string(&page).unwrap();
    html.push_str("<!-- Glimmerpox -->");
    std::fs::write(&page, html).unwrap();
    let (ok, said) = verbatim(&["leaks", "--today", "2026-12-07"], f.root());
    assert!(!ok, "{said}");
    assert!(
        said.contains("(g…, 10 letters) is in 1 file: keeper/index.html"),
        "{said}"
    );
    assert!(!said.to_lowercase().contains("glimmerpox"), "{said}");

    // Inside a gzip member, as a term of the search index would be.
    std::fs::write(
        &page,
        std::fs::read_to_string(&page)
            .unwrap()
            .replace("<!-- Glimmerpox -->", ""),
    )
    .unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, b"\x08brindlewood\x01").unwrap();
    std::fs::write(
        f.public().join("search/data/b/leak.bin"),
        gz.finish().unwrap(),
    )
    .unwrap();
    let (ok, said) = verbatim(&["leaks", "--today", "2026-12-07"], f.root());
    assert!(!ok, "{said}");
    assert!(
        said.contains("(b…, 11 letters) is in 1 file: search/data/b/leak.bin"),
        "{said}"
    );
}

#[test]
fn an_imported_file_withholds_through_its_sidecar_and_its_ledger_balances() {
    let f = Fixture::new(&[
        (
            "content/call.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann Lee>Where were you born?\n\n\
             00:00:05.000 --> 00:00:09.000\n<v Bo Chen>In Tarnwick, near the quellspar mill.\n",
        ),
        (
            "content/call.toml",
            "title = \"A call\"\n[[withheld]]\ntext = \"near the quellspar mill\"\nreason = \"a place\"\n",
        ),
    ]);
    let (ok, said) = verbatim(&["check"], f.root());
    assert!(ok, "{said}");
    assert!(
        said.contains("content/call.vtt:"),
        "the ledger lists the file: {said}"
    );
    assert!(!said.contains("does not balance"), "{said}");
    assert!(!said.contains("quellspar"), "{said}");
    f.built();
    let files = every_file(&f.public());
    assert!(holding(&files, "quellspar").is_empty());
    assert!(!holding(&files, "tarnwick").is_empty());
    let page = f.page("call/full/index.html");
    assert!(
        page.turns()
            .iter()
            .any(|(_, t)| t == "In Tarnwick, [withheld: a place]."),
        "{:?}",
        page.turns()
    );
}

#[test]
fn mistakes_in_withholding_are_errors_that_say_how_to_fix_them() {
    // Each names the file, line and column of the mistake: a table's key
    // (its header when no key is wrong), a span's marker.
    for (front, body, expected, at) in [
        (
            "[[withheld]]\nturn = \"t40\"\n",
            "Q: Hi?\n\nA: Yes.\n",
            "names turn \"t40\", which the transcript does not have",
            "content/t.md:4:1",
        ),
        (
            "[[withheld]]\nturn = \"t1\"\n\n[[withheld]]\nreason = \"why\"\nsection = \"Nowhere\"\n",
            "Q: Hi?\n\nA: Yes.\n",
            "names section \"Nowhere\"",
            "content/t.md:8:1",
        ),
        (
            "[[withheld]]\ntext = \"not said\"\n",
            "Q: Hi?\n\nA: Yes.\n",
            "text \"not said\" is in no turn",
            "content/t.md:4:1",
        ),
        (
            "[[withheld]]\nreason = \"x\"\n",
            "Q: Hi?\n\nA: Yes.\n",
            "names no part, or more than one",
            "content/t.md:3:1",
        ),
        (
            "[[withheld]]\nturn = \"t1\"\nembargo = \"soon\"\n",
            "Q: Hi?\n\nA: Yes.\n",
            "a [[withheld]] embargo is not a date",
            "content/t.md:5:1",
        ),
        (
            "",
            "Q: Hi?\n\nA: Yes [withheld]and more.\n",
            "turn t2: a [withheld] span has no [/withheld]",
            "content/t.md:7:8",
        ),
        (
            "",
            "Q: Hi [withheld: a]there[/withheld]?\n\nA: [withheld]yes[/withheld], [withheld until soon]x[/withheld]\n",
            "the embargo date \"soon\" is not written as 2030-01-01",
            "content/t.md:7:30",
        ),
    ] {
        let f = Fixture::new(&[(
            "content/t.md",
            &format!("+++\ntitle = \"T\"\n{front}+++\n\n{body}"),
        )]);
        let err = f.build().unwrap_err().to_string();
        assert!(err.contains(expected), "{expected}\n{err}");
        assert!(err.contains(&format!("{at}: error")), "{at}\n{err}");
    }
    // A sidecar's table is named in the sidecar.
    let f = Fixture::new(&[
        (
            "content/call.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>Hello there.\n",
        ),
        (
            "content/call.toml",
            "title = \"A call\"\n\n[[withheld]]\ntext = \"good night\"\n",
        ),
    ]);
    let err = f.build().unwrap_err().to_string();
    assert!(
        err.contains(
            "content/call.toml:4:1: error: [[withheld]] text \"good night\" is in no turn"
        ),
        "{err}"
    );
}

#[test]
fn import_keeps_the_withheld_words_and_their_rules_and_the_build_withholds_them() {
    let f = Fixture::new(&[
        (
            "source/call.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann Lee>Where were you born?\n\n\
             00:00:05.000 --> 00:00:09.000\n<v Bo Chen>In Tarnwick, near the quellspar mill. [withheld until 2030-01-01]The drossel years.[/withheld]\n",
        ),
        (
            "source/call.toml",
            "title = \"A call\"\nembargo = 2027-01-01\n[[withheld]]\ntext = \"near the quellspar mill\"\nreason = \"a place\"\nembargo = 2029-06-01\n",
        ),
    ]);
    let out = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["import", "--out"])
        .arg(f.root().join("content"))
        .arg(f.root().join("source/call.vtt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let native = std::fs::read_to_string(f.root().join("content/call.md")).unwrap();
    for kept in [
        "embargo = 2027-01-01",
        "[[withheld]]",
        "text = \"near the quellspar mill\"",
        "embargo = 2029-06-01",
        // Brackets are escaped as the writer escapes every `[`; they read
        // back as written.
        r"\[withheld until 2030-01-01\]The drossel years.\[/withheld\]",
    ] {
        assert!(native.contains(kept), "{kept}\n{native}");
    }
    // Built before the embargoes: the transcript is left out.
    let (ok, said) = verbatim(&["build", "--today", "2026-12-07"], f.root());
    assert!(ok && !f.public().join("call").exists(), "{said}");
    // After the transcript's, before its parts': published, parts withheld.
    let (ok, said) = verbatim(&["build", "--today", "2028-01-01"], f.root());
    assert!(ok, "{said}");
    let files = every_file(&f.public());
    assert!(!holding(&files, "tarnwick").is_empty());
    assert!(holding(&files, "quellspar").is_empty() && holding(&files, "drossel").is_empty());
    let (ok, said) = verbatim(&["build", "--today", "2030-01-01"], f.root());
    assert!(ok, "{said}");
    let files = every_file(&f.public());
    assert!(!holding(&files, "quellspar").is_empty() && !holding(&files, "drossel").is_empty());
}

#[test]
fn placeholders_are_written_in_the_transcripts_language_with_the_sites_words() {
    let werft = "+++\ntitle = \"Die Werft\"\ndate = \"2026-03-01\"\nlanguage = \"de\"\n\
interviewer = \"Ines Moor\"\ninterviewee = \"Olaf Brandt\"\n\n\
[[withheld]]\nsection = \"Die Brüder\"\nshow_length = true\n+++\n\n\
Für die Tests von verbatim geschrieben; niemand hat diese Worte gesagt.\n\n\
## Arbeit\n\n[00:00:05] Q: Wer half Ihnen?\n\n\
[00:00:12] A: Mein Nachbar [withheld until 2030-01-01: ein Name]Quorvath Zelinski[/withheld] half sonntags.\n\n\
## Die Brüder\n\n[00:01:00] Q: Und Ihr Bruder?\n\n[00:01:10] A: Er schnitzte Brindlewood im Hafen.\n\n\
## Später\n\n[00:01:40] Q: Und danach?\n\n[00:01:50] A: Niemand steigt mehr hinauf.\n";
    let f = Fixture::new(&[("content/werft.md", werft)]);
    f.built();
    let page = f.page("werft/arbeit/index.html");
    let answer = page.texts("#t2");
    assert!(
        answer
            .iter()
            .any(|t| t.contains("[zurückgehalten bis 2030-01-01: ein Name]")),
        "{answer:?}"
    );
    let overview = f.page("werft/index.html").texts("main").join(" ");
    assert!(
        overview.contains("Zurückgehaltener Abschnitt"),
        "{overview}"
    );
    let section = f
        .page("werft/withheld-2/index.html")
        .texts("main")
        .join(" ");
    assert!(
        section.contains("[zurückgehalten (00:01:00 bis 00:01:40, 8 Wörter)]"),
        "{section}"
    );
    assert!(!section.contains("withheld ("), "{section}");
    // A site's table changes a placeholder's words as any other word.
    f.write("i18n/de.toml", "withheld = \"gesperrt\"\n");
    f.built();
    let section = f
        .page("werft/withheld-2/index.html")
        .texts("main")
        .join(" ");
    assert!(section.contains("[gesperrt (00:01:00"), "{section}");
}
