//! Pages in their language: a German site (tests/fixtures/languages) with a
//! German, a Chinese and an Arabic transcript, each written for these tests.
//! Each page says its language and direction on `<html>`, a listing's card
//! for a transcript in another language says its own, and dates are written
//! as each language writes them (CLDR, through ICU4X).

mod common;

use common::*;
use std::path::Path;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    built_languages_fixture()
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
        ("atelier/index.html", "fr", "ltr"),
        ("taller/index.html", "es", "ltr"),
        ("bottega/index.html", "it", "ltr"),
        ("sadna/index.html", "he", "rtl"),
        ("sadna/full/index.html", "he", "rtl"),
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
    assert_eq!(
        home.attrs(".transcript-card[lang]", "lang"),
        ["zh", "fr", "es", "it", "ar", "he"]
    );
    assert_eq!(
        home.attrs(".transcript-card[lang]", "dir"),
        ["ltr", "ltr", "ltr", "ltr", "rtl", "rtl"]
    );
    // The German card is in the page's language and says nothing.
    assert_eq!(home.texts(".transcript-card").len(), 7);
    assert_eq!(
        home.texts(".transcript-card time"),
        [
            "22. Juni 2026",
            "2026年6月22日",
            "4 mai 2026",
            "11 de abril de 2026",
            "21 marzo 2026",
            "1 مارس 2026",
            "14 בפברואר 2026"
        ]
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

#[test]
fn the_theme_writes_its_words_in_the_pages_language() {
    let (_keep, public) = built();
    // The German site's own pages.
    let home = page(&public, "index.html");
    assert_eq!(
        home.texts(".site-nav a"),
        ["Transkripte", "Personen", "Schlagwörter"]
    );
    assert_eq!(home.texts(".made-with"), ["Veröffentlicht mit verbatim."]);
    // The Arabic transcript's pages, in Arabic, plural forms by its rules.
    let overview = page(&public, "souq/index.html");
    assert_eq!(overview.texts(".breadcrumbs a"), ["كل النصوص"]);
    assert!(
        overview.texts(".reading-time")[0].ends_with("في قسمين"),
        "{:?}",
        overview.texts(".reading-time")
    );
    assert_eq!(overview.texts(".cite h2"), ["استشهد بهذه المقابلة"]);
    // The Chinese transcript's section page.
    let zh = page(&public, "werkstatt-zh/index.html");
    let first = zh.attrs(".toc-title", "href")[0].clone();
    let section = page(&public, &format!("werkstatt-zh/{first}index.html"));
    assert!(
        section.texts(".eyebrow")[0].starts_with("第 1 节，共 2 节"),
        "{:?}",
        section.texts(".eyebrow")
    );
    assert_eq!(
        section.attrs(".turn-question .self-link", "aria-label")[0],
        "指向这个问题的链接"
    );
    // The script's words, one file per language of the site's pages, each
    // page loading its own.
    let script = std::fs::read_to_string(public.join("verbatim-words-ar.js")).unwrap();
    assert!(script.contains("\"copy_link\":\"انسخ الرابط\""), "{script}");
    assert!(public.join("verbatim-words-de.js").is_file());
    assert!(public.join("verbatim-words-zh.js").is_file());
    assert!(overview.source.contains("src=\"../verbatim-words-ar.js\""));
    // Every shipped table writes its transcript's pages: the breadcrumb
    // and the citation's heading in French, Spanish, Italian and Hebrew.
    for (path, home, cite) in [
        (
            "atelier/index.html",
            "Toutes les transcriptions",
            "Citer cet entretien",
        ),
        (
            "taller/index.html",
            "Todas las transcripciones",
            "Citar esta entrevista",
        ),
        (
            "bottega/index.html",
            "Tutte le trascrizioni",
            "Cita questa intervista",
        ),
        ("sadna/index.html", "כל התמלילים", "ציטוט ריאיון זה"),
    ] {
        let p = page(&public, path);
        assert_eq!(p.texts(".breadcrumbs a"), [home], "{path}");
        assert_eq!(p.texts(".cite h2"), [cite], "{path}");
    }
}

#[test]
fn a_site_changes_a_word_and_a_word_the_theme_lacks_is_an_error() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    let dir = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(&src) {
        let e = e.unwrap();
        let to = dir.path().join(e.path().strip_prefix(&src).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    std::fs::create_dir_all(dir.path().join("i18n")).unwrap();
    std::fs::write(
        dir.path().join("i18n/de.toml"),
        "# Ours.\ntranscripts = \"Gespräche\"\n",
    )
    .unwrap();
    let (ok, said) = verbatim(&["build"], dir.path());
    assert!(ok, "{said}");
    let home = page(&dir.path().join("public"), "index.html");
    assert_eq!(home.texts(".site-nav a")[0], "Gespräche");
    // The rest of German stays the theme's.
    assert_eq!(home.texts(".site-nav a")[1], "Personen");

    std::fs::write(
        dir.path().join("i18n/de.toml"),
        "transcripts = \"Gespräche\"\nnxet = \"Weiter\"\n",
    )
    .unwrap();
    let (ok, said) = verbatim(&["build"], dir.path());
    assert!(!ok, "{said}");
    assert!(
        said.contains("i18n/de.toml:2:1") && said.contains("the theme has no word \"nxet\""),
        "{said}"
    );
}
