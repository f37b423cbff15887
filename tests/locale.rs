//! Pages in their language: a German site (tests/fixtures/languages) with a
//! German, a Chinese and an Arabic transcript, each written for these tests.
//! Each page says its language and direction on `<html>`, a listing's card
//! for a transcript in another language says its own, and dates are written
//! as each language writes them (CLDR, through ICU4X).

mod common;

use common::*;
use std::path::Path;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let (ok, said) = verbatim(&["build", "--output", public.to_str().unwrap()], &root);
    assert!(ok, "{said}");
    (out, public)
}

fn page(public: &Path, path: &str) -> Page {
    let source = std::fs::read_to_string(public.join(path)).unwrap();
    Page {
        html: scraper::Html::parse_document(&source),
        source,
    }
}

#[test]
fn each_page_says_its_language_and_direction() {
    let (_keep, public) = built();
    for (path, lang, dir) in [
        ("index.html", "de", "ltr"),
        ("speakers/index.html", "de", "ltr"),
        ("tags/handwerk/index.html", "de", "ltr"),
        ("werkstatt/index.html", "de", "ltr"),
        ("werkstatt-zh/index.html", "zh", "ltr"),
        ("werkstatt-zh/full/index.html", "zh", "ltr"),
        ("souq/index.html", "ar", "rtl"),
        ("souq/full/index.html", "ar", "rtl"),
    ] {
        let p = page(&public, path);
        assert_eq!(p.attrs("html", "lang"), [lang], "{path}");
        assert_eq!(p.attrs("html", "dir"), [dir], "{path}");
    }
    // A section page of the Arabic transcript too.
    let overview = page(&public, "souq/index.html");
    let first = overview.attrs(".toc-title", "href")[0].replace("../", "");
    let section = page(
        &public,
        &format!("souq/{}index.html", first.trim_start_matches("souq/")),
    );
    assert_eq!(section.attrs("html", "dir"), ["rtl"]);
    // The citation's styles are English and its formats code: left to right.
    assert_eq!(section.attrs(".cite-styles", "dir"), ["ltr"]);
    assert_eq!(section.attrs(".cite-formats", "dir"), ["ltr"]);
}

#[test]
fn a_card_in_another_language_says_so_and_dates_are_written_as_each_language_does() {
    let (_keep, public) = built();
    let home = page(&public, "index.html");
    assert_eq!(home.attrs(".transcript-card[lang]", "lang"), ["zh", "ar"]);
    assert_eq!(home.attrs(".transcript-card[lang]", "dir"), ["ltr", "rtl"]);
    // The German card is in the page's language and says nothing.
    assert_eq!(home.texts(".transcript-card").len(), 3);
    assert_eq!(
        home.texts(".transcript-card time"),
        ["22. Juni 2026", "2026年6月22日", "1 مارس 2026"]
    );
    assert_eq!(
        page(&public, "werkstatt/index.html").texts(".transcript-meta time"),
        ["22. Juni 2026"]
    );
    assert_eq!(
        page(&public, "werkstatt-zh/index.html").texts(".transcript-meta time"),
        ["2026年6月22日"]
    );
}
