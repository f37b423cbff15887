//! Interview pages saved from browsers (../shared/corpus-next/web-article/),
//! read by the article reader and measured against the folder's
//! expected.json: title, date, speakers (interviewer first), turn count, and
//! the first and last turn's speaker and words. The pages are read where they
//! are; none of their text is copied here. A table per page is printed
//! (`cargo test --test web_articles -- --nocapture`).

mod common;

use std::path::Path;
use verbatim::diagnostic::Diagnostic;
use verbatim::ingest::{self, IngestOptions};
use verbatim::model::{Role, Transcript};

const DIR: &str = "../shared/corpus-next/web-article";

/// Pages read right in every field (all six); a page that stops being read
/// right fails the test.
const RIGHT: &[&str] = &[
    "blog.amp.dev.axios.html",
    "comoeducarseusfilhos.com.br.serelepe.html",
    "diariolibre.com-republica.html",
    "kinzig.news-Nachhaltigkeit.html",
    "laweekly.com-Cultivation.html",
    "legrandcontinent.eu.heran.html",
];

fn words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn starts(text: &str, expected: &str) -> bool {
    let (t, e) = (words(text), words(expected));
    t.len() >= e.len() && t[..e.len()] == e[..]
}

fn ends(text: &str, expected: &str) -> bool {
    let (t, e) = (words(text), words(expected));
    t.len() >= e.len() && t[t.len() - e.len()..] == e[..]
}

fn short(s: &str, n: usize) -> String {
    let c: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        format!("{c}…")
    } else {
        c
    }
}

type Row = (&'static str, String, String, bool);

/// The page's fields against the truth: (field, expected, got, right).
fn rows(t: &verbatim::model::Transcript, want: &serde_json::Value) -> [Row; 7] {
    let mut speakers: Vec<&verbatim::model::Speaker> = t.speakers.iter().collect();
    speakers.sort_by_key(|s| s.role != Role::Interviewer);
    let names: Vec<String> = speakers.iter().map(|s| s.name.clone()).collect();
    let turns: Vec<_> = t.turns().collect();
    let who = |turn: &verbatim::model::Turn| {
        t.speaker(&turn.speaker)
            .map_or(String::new(), |s| s.name.clone())
    };
    let (first, last) = (turns.first(), turns.last());
    let want_names: Vec<String> = want["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let same_name = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
    let ft = &want["first_turn"];
    let lt = &want["last_turn"];
    [
        (
            "title",
            want["title"].as_str().unwrap().to_string(),
            t.title.clone(),
            want["title"].as_str() == Some(t.title.as_str()),
        ),
        (
            "date",
            want["date"].as_str().unwrap().to_string(),
            t.date.clone().unwrap_or_default(),
            want["date"].as_str() == t.date.as_deref(),
        ),
        (
            "speakers",
            want_names.join(", "),
            names.join(", "),
            names.len() == want_names.len()
                && names.iter().zip(&want_names).all(|(a, b)| same_name(a, b)),
        ),
        (
            "turns",
            want["turns"].to_string(),
            turns.len().to_string(),
            want["turns"].as_u64() == Some(turns.len() as u64),
        ),
        (
            "first speaker",
            ft["speaker"].as_str().unwrap().to_string(),
            first.map(|x| who(x)).unwrap_or_default(),
            first.is_some_and(|x| same_name(&who(x), ft["speaker"].as_str().unwrap())),
        ),
        (
            "first words",
            ft["starts"].as_str().unwrap().to_string(),
            first.map_or(String::new(), |x| short(&x.text, 50)),
            first.is_some_and(|x| starts(&x.text, ft["starts"].as_str().unwrap())),
        ),
        (
            "last turn",
            format!(
                "{}: …{}",
                lt["speaker"].as_str().unwrap(),
                lt["ends"].as_str().unwrap()
            ),
            last.map_or(String::new(), |x| {
                let tail: String = {
                    let c: Vec<char> = x.text.chars().collect();
                    c[c.len().saturating_sub(50)..].iter().collect()
                };
                format!("{}: …{tail}", who(x))
            }),
            last.is_some_and(|x| {
                same_name(&who(x), lt["speaker"].as_str().unwrap())
                    && ends(&x.text, lt["ends"].as_str().unwrap())
            }),
        ),
    ]
}

/// Reads every page of the folder with `read` (given the page's file name
/// and path), prints a table per page against expected.json and a summary,
/// and returns the pages read right in every field.
fn measure(
    how: &str,
    read: impl Fn(&str, &Path) -> Result<(Transcript, Vec<Diagnostic>), Vec<Diagnostic>>,
) -> Vec<String> {
    let dir = Path::new(DIR);
    let expected = std::fs::read_to_string(dir.join("expected.json"))
        .unwrap_or_else(|e| panic!("{DIR}/expected.json: {e} (the tests need ../shared)"));
    let expected: serde_json::Value = serde_json::from_str(&expected).unwrap();
    let mut pages: Vec<(&String, &serde_json::Value)> =
        expected.as_object().unwrap().iter().collect();
    pages.sort_by_key(|(k, _)| k.as_str());
    assert_eq!(pages.len(), 6, "the six pages of {DIR}");
    let mut right_pages = Vec::new();
    let mut summary = Vec::new();
    for (file, want) in pages {
        let (t, warnings) = match read(file, &dir.join(file)) {
            Ok(r) => r,
            Err(e) => {
                println!("\n== {file}{how}: not read: {}", e[0].message);
                summary.push(format!("{file}{how}: 0/7"));
                continue;
            }
        };
        let rows = rows(&t, want);
        println!("\n== {file}{how}");
        println!("| field | expected | got | |");
        println!("|---|---|---|---|");
        for (field, want, got, ok) in &rows {
            println!(
                "| {field} | {} | {} | {} |",
                short(want, 70),
                short(got, 70),
                if *ok { "ok" } else { "WRONG" }
            );
        }
        for w in &warnings {
            println!("   warning: {}", short(&w.message, 160));
        }
        let right = rows.iter().filter(|r| r.3).count();
        summary.push(format!("{file}{how}: {right}/{}", rows.len()));
        if right == rows.len() {
            right_pages.push(file.clone());
        }
    }
    println!("\n{}", summary.join("\n"));
    right_pages
}

#[test]
fn saved_interview_pages_against_expected() {
    let right_pages = measure("", |file, path| {
        ingest::load(
            path,
            &format!("web-article/{file}"),
            &IngestOptions::default(),
        )
    });
    for page in RIGHT {
        assert!(
            right_pages.iter().any(|p| p == page),
            "{page} is no longer read right"
        );
    }
}

/// `verbatim import page.html` writes a native file that reads back.
#[test]
fn a_saved_page_imports_to_native_markdown() {
    let page = Path::new(DIR).join("comoeducarseusfilhos.com.br.serelepe.html");
    assert!(page.is_file(), "{} is missing", page.display());
    let out = tempfile::tempdir().unwrap();
    let imported =
        verbatim::import::import_file(&page, out.path(), false, &IngestOptions::default())
            .map_err(|e| format!("{e:?}"))
            .unwrap();
    assert!(imported.turns > 0);
    let md = std::fs::read_to_string(&imported.written).unwrap();
    assert!(md.starts_with("+++"), "{md}");
}

/// Pages whose text version is read right in every field. The others lose
/// what only their markup says (who asks, in bold; the author, in a meta
/// tag) or print a deck under the title.
const RIGHT_AS_TEXT: &[&str] = &[
    "comoeducarseusfilhos.com.br.serelepe.html",
    "kinzig.news-Nachhaltigkeit.html",
];

/// The same pages saved as text (`verbatim import page.txt`): the page
/// reader of plain text finds the title, date, byline, intro and the
/// interview among the menus, captions, related links and footers.
#[test]
fn saved_interview_pages_as_text_against_expected() {
    let tmp = tempfile::tempdir().unwrap();
    let right_pages = measure(" as text", |file, path| {
        let html = std::fs::read_to_string(path).unwrap();
        let text = common::speech::saved_as_text(&html);
        let txt = tmp.path().join(file.replace(".html", ".txt"));
        std::fs::write(&txt, &text).unwrap();
        ingest::load(&txt, file, &IngestOptions::default())
    });
    for page in RIGHT_AS_TEXT {
        assert!(
            right_pages.iter().any(|p| p == page),
            "{page} saved as text is no longer read right"
        );
    }
}
