//! Citing a transcript: the overview shows it in Chicago, APA and MLA and
//! as CSL-JSON, BibTeX and RIS, the JSON API gives the same CSL-JSON item,
//! and each format reads back in a real reference processor (pandoc 3,
//! whose citeproc formats the CSL-JSON item).

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const HARBOUR: &str = r#"+++
title = "The harbour keeper"
date = "2026-09-14"
interviewer = ["Mara Lind", "Ivo Kern"]
interviewee = "Tom Reyes"
translator = "Lena Ortiz"

[source]
publisher = "Coast Archive"
+++

Written for verbatim's tests; nobody said these words.

Q: When did you first come to the harbour?

A: In the spring of my twentieth year.
"#;

/// Recorded, in two sections; the recording's length is not known (it is
/// not a file of the site), so the last turn's time has no end.
const RECORDED: &str = r#"+++
title = "The harbour keeper"
date = "2026-09-14"
interviewer = "Mara Lind"
interviewee = "Tom Reyes"

[media]
url = "https://media.example.org/harbour.mp3"
+++

Written for verbatim's tests; nobody said these words.

## Arriving

[00:00:02] Q: When did you first come to the harbour?

[00:00:10] A: In the spring of my twentieth year.

## Staying

[00:01:02] Q: Why did you stay?

[00:01:10] A: Because the tide keeps its appointments.
"#;

fn built() -> Fixture {
    let f = Fixture::new(&[("content/harbour.md", HARBOUR)]);
    f.built();
    f
}

fn pre(page: &Page, class: &str) -> String {
    let sel = scraper::Selector::parse(&format!("pre.{class}")).unwrap();
    page.html
        .select(&sel)
        .next()
        .unwrap_or_else(|| panic!("no pre.{class}"))
        .text()
        .collect()
}

#[test]
fn the_overview_cites_the_interview_in_three_styles_and_three_formats() {
    let f = built();
    let page = f.page("harbour/index.html");
    assert_eq!(
        page.texts(".cite-styles dd"),
        [
            "Reyes, Tom. Interview by Mara Lind and Ivo Kern. “The harbour keeper.” Translated by Lena Ortiz. Coast Archive, September 14, 2026. https://example.org/sub/harbour/.",
            "Reyes, T. (2026, September 14). The harbour keeper [Interview by M. Lind & I. Kern] (L. Ortiz, Trans.). Coast Archive. https://example.org/sub/harbour/",
            "Reyes, Tom. “The harbour keeper.” Interview by Mara Lind and Ivo Kern, translated by Lena Ortiz, Coast Archive, 14 Sept. 2026, https://example.org/sub/harbour/.",
        ]
    );
    let csl: Value = serde_json::from_str(&pre(&page, "cite-csl")).unwrap();
    assert_eq!(csl["interviewer"][1]["family"], "Kern");
    assert_eq!(csl["translator"][0]["given"], "Lena");
    let errors: Vec<String> = csl_schema()
        .iter_errors(&csl)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    // The API gives the same item.
    let index: Value = serde_json::from_str(
        &std::fs::read_to_string(f.public().join("api/transcripts.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(index["transcripts"][0]["citation"], csl);
    let bib = pre(&page, "cite-bibtex");
    assert!(
        bib.starts_with("@misc{harbour,\n  author = {Reyes, Tom},"),
        "{bib}"
    );
    let ris = pre(&page, "cite-ris");
    assert!(
        ris.starts_with(
            "TY  - GEN\nID  - harbour\nAU  - Reyes, Tom\nA2  - Lind, Mara\nA2  - Kern, Ivo\nA4  - Ortiz, Lena\n"
        ),
        "{ris}"
    );
}

#[test]
fn a_speaker_the_source_did_not_name_is_not_cited() {
    let f = Fixture::new(&[(
        "content/plain.md",
        "+++\ntitle = \"Plain\"\n+++\n\nQ: Where?\n\nA: Here.\n",
    )]);
    f.built();
    let page = f.page("plain/index.html");
    let chicago = &page.texts(".cite-styles dd")[0];
    assert_eq!(
        chicago,
        "“Plain.” Test site. https://example.org/sub/plain/."
    );
}

fn csl_schema() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csl/item.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn a_section_page_cites_the_section_with_its_time_and_marks_what_a_turn_changes() {
    let f = Fixture::new(&[("content/harbour.md", RECORDED)]);
    f.built();
    let page = f.page("harbour/arriving/index.html");
    assert_eq!(page.texts(".cite h2"), ["Cite this section"]);
    assert_eq!(
        page.texts(".cite-styles dd"),
        [
            "Reyes, Tom. Interview by Mara Lind. “The harbour keeper.” Section “Arriving”, 00:00:02–00:01:02. Test site, September 14, 2026. https://example.org/sub/harbour/arriving/.",
            "Reyes, T. (2026, September 14). The harbour keeper [Interview by M. Lind]. Section “Arriving”, 00:00:02–00:01:02. Test site. https://example.org/sub/harbour/arriving/",
            "Reyes, Tom. “The harbour keeper.” Interview by Mara Lind, Test site, 14 Sept. 2026, section “Arriving”, 00:00:02–00:01:02, https://example.org/sub/harbour/arriving/.",
        ]
    );
    let csl: Value = serde_json::from_str(&pre(&page, "cite-csl")).unwrap();
    assert_eq!(csl["section"], "Arriving");
    assert_eq!(csl["note"], "Recording 00:00:02–00:01:02");
    assert_eq!(csl["id"], "harbour-arriving");
    let errors: Vec<String> = csl_schema()
        .iter_errors(&csl)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    // What a turn's citation changes, beside the section's.
    assert_eq!(
        page.attrs(".cite", "data-url"),
        ["https://example.org/sub/harbour/arriving/"]
    );
    assert_eq!(page.attrs(".cite", "data-key"), ["harbour-arriving"]);
    assert_eq!(page.attrs(".cite", "data-time"), ["00:00:02–00:01:02"]);
    for class in ["cite-bibtex", "cite-ris"] {
        let text = pre(&page, class);
        assert!(
            text.contains("harbour-arriving")
                && text.contains("00:00:02–00:01:02")
                && text.contains("https://example.org/sub/harbour/arriving/"),
            "{text}"
        );
    }
    // Each turn carries its stretch of the recording: to the next turn.
    assert_eq!(
        page.attrs(".turn", "data-span"),
        ["00:00:02–00:00:10", "00:00:10–00:01:02"]
    );
    // The last turn of a recording of unknown length has a start alone.
    let last = f.page("harbour/staying/index.html");
    assert_eq!(
        last.attrs(".turn", "data-span"),
        ["00:01:02–00:01:10", "00:01:10"]
    );
    assert_eq!(last.attrs(".cite", "data-time"), ["00:01:02"]);
    // The whole transcript on one page cites the interview, as its
    // overview does.
    let full = f.page("harbour/full/index.html");
    let overview = f.page("harbour/index.html");
    assert_eq!(full.texts(".cite h2"), ["Cite this interview"]);
    assert_eq!(
        full.texts(".cite-styles dd"),
        overview.texts(".cite-styles dd")
    );
    assert!(full.attrs(".cite", "data-url").is_empty());
}

#[test]
fn an_untimed_section_is_cited_without_a_time() {
    let f = built();
    let page = f.page("harbour/index.html");
    assert!(page.attrs(".cite", "data-url").is_empty());
    let f = Fixture::new(&[(
        "content/harbour.md",
        &HARBOUR.replace("Q: When", "## Arriving\n\nQ: When"),
    )]);
    f.built();
    let page = f.page("harbour/arriving/index.html");
    assert!(page.attrs(".cite", "data-time").is_empty());
    assert_eq!(page.attrs(".cite", "data-key"), ["harbour-arriving"]);
    assert!(page.attrs(".turn", "data-span").is_empty());
    assert!(
        page.texts(".cite-styles dd")[0].contains("Section “Arriving”. Translated by Lena Ortiz.")
    );
}

/// pandoc 3 (which reads RIS): `VERBATIM_PANDOC`, else `pandoc` on the PATH.
fn pandoc() -> PathBuf {
    let bin =
        std::env::var_os("VERBATIM_PANDOC").map_or_else(|| PathBuf::from("pandoc"), PathBuf::from);
    let formats = Command::new(&bin).arg("--list-input-formats").output();
    let ok = formats.as_ref().is_ok_and(|o| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .any(|l| l == "ris")
    });
    assert!(
        ok,
        "this test needs pandoc 3 (it reads RIS): .ci/run fetches it from PyPI's pypandoc_binary and sets VERBATIM_PANDOC"
    );
    bin
}

/// pandoc's standard output for `args`, which must succeed.
fn run_pandoc(pandoc: &Path, args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let out = Command::new(pandoc).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn to_csl(pandoc: &Path, from: &str, file: &Path) -> Value {
    let out = run_pandoc(
        pandoc,
        &[
            "-f".as_ref(),
            from.as_ref(),
            "-t".as_ref(),
            "csljson".as_ref(),
            file.as_ref(),
        ],
    );
    let items: Value = serde_json::from_slice(&out).unwrap();
    items[0].clone()
}

#[test]
#[ignore = "needs pandoc 3: run with `cargo test -- --include-ignored` (.ci/run fetches it)"]
fn each_format_reads_back_in_pandoc_and_citeproc_formats_the_item() {
    let pandoc = pandoc();
    let f = built();
    let page = f.page("harbour/index.html");
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let csl_file = write("item.json", format!("[{}]", pre(&page, "cite-csl")));
    let bib_file = write("item.bib", pre(&page, "cite-bibtex"));
    let ris_file = write("item.ris", pre(&page, "cite-ris"));
    for (from, file) in [
        ("csljson", &csl_file),
        ("bibtex", &bib_file),
        ("ris", &ris_file),
    ] {
        let item = to_csl(&pandoc, from, file);
        assert_eq!(item["author"][0]["family"], "Reyes", "{from}: {item}");
        assert_eq!(item["author"][0]["given"], "Tom", "{from}: {item}");
        assert_eq!(item["title"], "The harbour keeper", "{from}: {item}");
        assert_eq!(item["issued"]["date-parts"][0][0], 2026, "{from}: {item}");
        assert_eq!(
            item["URL"], "https://example.org/sub/harbour/",
            "{from}: {item}"
        );
        assert_eq!(item["publisher"], "Coast Archive", "{from}: {item}");
    }
    // A section's, as a turn's is made from it.
    let recorded = Fixture::new(&[("content/harbour.md", RECORDED)]);
    recorded.built();
    let section = recorded.page("harbour/arriving/index.html");
    for (from, class) in [
        ("csljson", "cite-csl"),
        ("bibtex", "cite-bibtex"),
        ("ris", "cite-ris"),
    ] {
        let text = pre(&section, class);
        let file = write(
            &format!("section-{class}"),
            if from == "csljson" {
                format!("[{text}]")
            } else {
                text
            },
        );
        let item = to_csl(&pandoc, from, &file);
        assert_eq!(
            item["URL"], "https://example.org/sub/harbour/arriving/",
            "{from}: {item}"
        );
        assert_eq!(item["title"], "The harbour keeper", "{from}: {item}");
        assert_eq!(item["id"], "harbour-arriving", "{from}: {item}");
        // pandoc reads no section or note from RIS (SE and N1, which
        // Zotero and EndNote read); from the other two it keeps both.
        if from != "ris" {
            let all = item.to_string();
            assert!(
                all.contains("Arriving") && all.contains("00:00:02–00:01:02"),
                "{from}: {item}"
            );
        }
    }
    let item = to_csl(&pandoc, "csljson", &csl_file);
    assert_eq!(item["type"], "interview");
    assert_eq!(item["interviewer"][0]["family"], "Lind");
    assert_eq!(item["translator"][0]["family"], "Ortiz");
    // citeproc (pandoc's, with its default Chicago author-date style)
    // formats the item as a bibliography entry.
    let doc = write("doc.md", "See [@harbour].\n".to_string());
    let out = run_pandoc(
        &pandoc,
        &[
            "--citeproc".as_ref(),
            "-t".as_ref(),
            "plain".as_ref(),
            "--bibliography".as_ref(),
            csl_file.as_ref(),
            doc.as_ref(),
        ],
    );
    let text = String::from_utf8_lossy(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("(Reyes 2026)"), "{text}");
    assert!(
        text.contains("Reyes, Tom. 2026. “The Harbour Keeper.”")
            && text.contains("Interview by Mara Lind and Ivo Kern"),
        "{text}"
    );
}
