//! One interview in several languages (`translation_of`): the switch on
//! every page, the side-by-side page, turns that meet by number or by an
//! `align` table where a translation splits or joins them, and the
//! mistakes an editor can make, each named at its line. The texts are
//! written for these tests; no real person said them.

mod common;

use common::*;
use std::path::Path;

fn languages_site() -> (tempfile::TempDir, std::path::PathBuf) {
    built_languages_fixture()
}

fn read_page(public: &Path, path: &str) -> Page {
    let source = std::fs::read_to_string(public.join(path))
        .unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    Page {
        html: scraper::Html::parse_document(&source),
        source,
    }
}

#[test]
fn every_page_of_a_translated_interview_switches_to_the_same_page_in_the_other_language() {
    let (_keep, public) = languages_site();
    // Overview, a section page and the full page, each way.
    for (path, other, lang, name) in [
        ("werkstatt/index.html", "../werkstatt-zh/", "zh", "中文"),
        ("werkstatt-zh/index.html", "../werkstatt/", "de", "Deutsch"),
        (
            "werkstatt/die-arbeit/index.html",
            "../../werkstatt-zh/gong-zuo/",
            "zh",
            "中文",
        ),
        (
            "werkstatt-zh/kai-shi/index.html",
            "../../werkstatt/der-anfang/",
            "de",
            "Deutsch",
        ),
        (
            "werkstatt-zh/full/index.html",
            "../../werkstatt/full/",
            "de",
            "Deutsch",
        ),
    ] {
        let p = read_page(&public, path);
        assert_eq!(p.attrs(".language-list a", "href"), [other], "{path}");
        assert_eq!(p.attrs(".language-list a", "lang"), [lang], "{path}");
        assert_eq!(p.attrs(".language-list a", "hreflang"), [lang], "{path}");
        assert_eq!(p.texts(".language-list a"), [name], "{path}");
        // The page's own language is named, not linked.
        assert_eq!(p.texts(".language-list [aria-current]").len(), 1, "{path}");
        assert_eq!(
            p.attrs("link[rel=alternate][hreflang]", "href"),
            [other],
            "{path}"
        );
        assert_eq!(p.attrs("a.side-by-side", "href").len(), 1, "{path}");
    }
    // A transcript in one language has no switch.
    let souq = read_page(&public, "souq/index.html");
    assert!(souq.texts(".languages").is_empty());
    assert!(souq.attrs("link[hreflang]", "href").is_empty());
    // The translator, declared as a speaker with role `translator`, is
    // named beside the date and in the citation, and speaks no turn.
    let zh = read_page(&public, "werkstatt-zh/index.html");
    assert_eq!(zh.texts(".transcript-meta .translators"), ["译者：Mei Lin"]);
    assert!(zh.texts(".cite").concat().contains("Translated by Mei Lin"));
    assert!(!zh.texts(".speaker-list").concat().contains("Mei Lin"));
    // From a section page, the side-by-side page opens at that section.
    let section = read_page(&public, "werkstatt/die-arbeit/index.html");
    assert_eq!(
        section.attrs("a.side-by-side", "href"),
        ["../../werkstatt/side-by-side/werkstatt-zh/#die-arbeit"]
    );
}

#[test]
fn the_side_by_side_page_holds_each_turn_beside_its_translation_each_in_its_language() {
    let (_keep, public) = languages_site();
    let p = read_page(&public, "werkstatt/side-by-side/werkstatt-zh/index.html");
    assert_eq!(p.attrs("html", "lang"), ["de"]);
    assert_eq!(p.attrs(".parallel-row[id]", "id"), ["t1", "t2", "t3", "t4"]);
    assert_eq!(
        p.attrs(".parallel-section", "id"),
        ["der-anfang", "die-arbeit"]
    );
    // Every right-hand cell is in the other language, with its turn.
    let langs = p.attrs(".cell-b", "lang");
    assert!(
        langs.len() > 4 && langs.iter().all(|l| l == "zh"),
        "{langs:?}"
    );
    let row = |id: &str, cell: &str| p.texts(&format!("#{id} .{cell} .turn-body")).join(" ");
    assert_eq!(
        row("t1", "cell-a"),
        "Wann haben Sie die Werkstatt eröffnet?"
    );
    assert_eq!(row("t1", "cell-b"), "您是什么时候开作坊的？");
    // The translation says the last answer in two turns (`align`).
    assert_eq!(
        row("t4", "cell-b"),
        "椅子和桌子，大多用橡木。 每把椅子要做三天。"
    );
    // Both languages' section headings.
    assert_eq!(
        p.texts(".parallel-heading h2"),
        ["Der Anfang", "开始", "Die Arbeit", "工作"]
    );
    // No id twice: the rows carry them, the turns link to their row.
    assert!(p.attrs(".turn", "id").is_empty());
    assert_eq!(p.attrs("#t3 .self-link", "href"), ["#t3", "#t3"]);
    // The phone's switch names both languages and waits for the script.
    assert_eq!(p.texts(".parallel-show button"), ["Deutsch", "中文"]);
    assert!(p.source.contains("class=\"parallel-show\" role=\"group\""));
    // And the other way round.
    let back = read_page(&public, "werkstatt-zh/side-by-side/werkstatt/index.html");
    assert_eq!(back.attrs("html", "lang"), ["zh"]);
    assert_eq!(
        back.texts("#t2 .cell-b .turn-body"),
        ["Im Frühling, als das Wasser noch hoch stand. Wir hatten zwei Bänke und eine alte Säge."]
    );
}

const ORIGINAL: &str = "+++
title = \"The river workshop\"
language = \"en\"
description = \"A test text written for verbatim's tests; nobody said these words.\"
interviewer = \"Lena Brandt\"
interviewee = \"Tomas Weber\"
+++

## Beginnings

Q: When did you open the workshop?

A: In spring, when the water was still high.

Q: What did you have?

A: Two benches and an old saw.
";

fn translation(align: &str, turns: &str) -> String {
    format!(
        "+++
title = \"河边的作坊\"
language = \"zh\"
description = \"测试文本：没有人说过这些话。\"
translation_of = \"river\"
interviewer = \"Lena Brandt\"
interviewee = \"Tomas Weber\"
translator = \"Mei Lin\"
{align}
+++

## 开始

{turns}"
    )
}

#[test]
fn a_split_turn_stands_beside_the_turn_it_renders_and_the_switch_keeps_the_turn() {
    // The translation says the original's second turn in two.
    let site = Fixture::new(&[
        ("content/river.md", ORIGINAL),
        (
            "content/river-zh.md",
            &translation(
                "align = { t3 = \"t2\" }",
                "Q: 您是什么时候开作坊的？\n\nA: 春天的时候。\n\nA: 河水还很高。\n\nQ: 您有什么？\n\nA: 两张工作台和一把旧锯子。\n",
            ),
        ),
    ]);
    site.built();
    let p = site.page("river/side-by-side/river-zh/index.html");
    let beside = |id: &str| p.texts(&format!("#{id} .cell-b .turn-body"));
    assert_eq!(beside("t1"), ["您是什么时候开作坊的？"]);
    assert_eq!(beside("t2"), ["春天的时候。", "河水还很高。"]);
    assert_eq!(beside("t3"), ["您有什么？"]);
    assert_eq!(beside("t4"), ["两张工作台和一把旧锯子。"]);
    // The switch says which turns the other language numbers otherwise.
    let en = site.page("river/beginnings/index.html");
    assert_eq!(en.attrs(".language-list a", "data-turns"), ["t3:t4 t4:t5"]);
    let zh = site.page("river-zh/index.html");
    assert_eq!(
        zh.attrs(".language-list a", "data-turns"),
        ["t3:t2 t4:t3 t5:t4"]
    );
    // Beside the translation, the original's turn stands by its first part.
    let back = site.page("river-zh/side-by-side/river/index.html");
    let by = |id: &str| back.texts(&format!("#{id} .cell-b .turn-body"));
    assert_eq!(by("t2"), ["In spring, when the water was still high."]);
    assert!(by("t3").is_empty());
    assert_eq!(by("t4"), ["What did you have?"]);
}

#[test]
fn a_joined_turn_stands_beside_the_first_turn_it_joins() {
    // The translation says the original's second and third turns in one.
    let site = Fixture::new(&[
        ("content/river.md", ORIGINAL),
        (
            "content/river-zh.md",
            &translation(
                "align = { t3 = \"t4\" }",
                "Q: 您是什么时候开作坊的？\n\nA: 春天的时候，河水还很高。您问我们有什么？\n\nA: 两张工作台和一把旧锯子。\n",
            ),
        ),
    ]);
    site.built();
    let p = site.page("river/side-by-side/river-zh/index.html");
    let beside = |id: &str| p.texts(&format!("#{id} .cell-b .turn-body"));
    assert_eq!(beside("t2"), ["春天的时候，河水还很高。您问我们有什么？"]);
    assert!(beside("t3").is_empty());
    assert_eq!(beside("t4"), ["两张工作台和一把旧锯子。"]);
    let en = site.page("river/index.html");
    assert_eq!(en.attrs(".language-list a", "data-turns"), ["t3:t2 t4:t3"]);
}

/// The build's diagnostics as `path:line: message` lines.
fn said(result: Result<verbatim::BuildReport, verbatim::Diagnostics>) -> (bool, String) {
    match result {
        Ok(report) => (
            true,
            report
                .warnings
                .iter()
                .map(|d| format!("{}: {}", d.location(), d.message))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Err(d) => (
            false,
            d.0.iter()
                .map(|d| format!("{}: {}", d.location(), d.message))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    }
}

#[test]
fn mistakes_in_a_translation_are_named_at_their_line() {
    let turns = "Q: 问？\n\nA: 答。\n";
    // An original that is not on the site: a warning, and the build goes on.
    let site = Fixture::new(&[
        ("content/river.md", ORIGINAL),
        (
            "content/river-zh.md",
            &translation("", turns).replace("\"river\"", "\"rivre\""),
        ),
    ]);
    let (ok, text) = said(site.build());
    assert!(ok, "{text}");
    assert!(
        text.contains("content/river-zh.md:5:1: `translation_of` names \"rivre\""),
        "{text}"
    );
    assert!(site
        .page("river-zh/index.html")
        .texts(".languages")
        .is_empty());

    // `align` naming a turn the file does not have, at its line.
    let site = Fixture::new(&[
        ("content/river.md", ORIGINAL),
        (
            "content/river-zh.md",
            &translation("align = { t9 = \"t2\" }", turns),
        ),
    ]);
    let (ok, text) = said(site.build());
    assert!(!ok);
    assert!(
        text.contains(
            "content/river-zh.md:9:1: `align` names turn t9, but this transcript has 2 turns"
        ),
        "{text}"
    );

    // `align` naming a turn the original does not have.
    let site = Fixture::new(&[
        ("content/river.md", ORIGINAL),
        (
            "content/river-zh.md",
            &translation("align = { t2 = \"t40\" }", turns),
        ),
    ]);
    let (ok, text) = said(site.build());
    assert!(!ok);
    assert!(
        text.contains("content/river-zh.md:9:1: `align` meets t2 with t40, but the original \"river\" has 4 turns"),
        "{text}"
    );

    // Not a turn id; and `align` without `translation_of`.
    let site = Fixture::new(&[(
        "content/solo.md",
        "+++\ntitle = \"Solo\"\nalign = { q2 = \"t1\" }\n+++\n\nQ: Why?\n\nA: Because.\n",
    )]);
    let (ok, text) = said(site.build());
    assert!(!ok);
    assert!(
        text.contains("content/solo.md:3:1: `align` says how a translation's turns meet"),
        "{text}"
    );

    // Two translations of each other: a circle.
    let site = Fixture::new(&[
        (
            "content/a.md",
            "+++\ntitle = \"A\"\ntranslation_of = \"b\"\n+++\n\nQ: Why?\n\nA: Because.\n",
        ),
        (
            "content/b.md",
            "+++\ntitle = \"B\"\nlanguage = \"de\"\ntranslation_of = \"a\"\n+++\n\nQ: Warum?\n\nA: Darum.\n",
        ),
    ]);
    let (ok, text) = said(site.build());
    assert!(!ok);
    assert!(
        text.contains("content/a.md:3:1: `translation_of` goes round in a circle"),
        "{text}"
    );

    // The same language as the original: a warning.
    let site = Fixture::new(&[
        ("content/river.md", ORIGINAL),
        (
            "content/river-zh.md",
            &translation("", turns).replace("language = \"zh\"", "language = \"en\""),
        ),
    ]);
    let (ok, text) = said(site.build());
    assert!(ok, "{text}");
    assert!(
        text.contains("both say they are in language \"en\""),
        "{text}"
    );

    // A translator in the speaker table is cited, and never speaks.
    let site = Fixture::new(&[
        ("content/river.md", ORIGINAL),
        (
            "content/river-zh.md",
            &translation(
                "\n[[speakers]]\nname = \"Wu Fang\"\nrole = \"translator\"\n",
                turns,
            ),
        ),
    ]);
    site.built();
    let zh = site.page("river-zh/index.html");
    assert_eq!(
        zh.texts(".transcript-meta .translators"),
        ["译者：Mei Lin, Wu Fang"]
    );
}

#[test]
fn the_native_writer_keeps_what_makes_a_translation() {
    use verbatim::ingest::{self, Format, IngestOptions};
    let text: std::sync::Arc<str> = translation(
        "align = { t3 = \"t2\" }\n\n[[speakers]]\nname = \"Wu Fang\"\nrole = \"translator\"\n",
        "Q: 问？\n\nA: 答。\n\nA: 还有。\n",
    )
    .into();
    let options = IngestOptions::default();
    let (t, _) =
        ingest::parse(Format::Markdown, "river-zh.md", &text, "river-zh", &options).unwrap();
    assert_eq!(t.translation_of.as_deref(), Some("river"));
    assert_eq!(t.align, [(3, 2)]);
    assert_eq!(t.translators, ["Mei Lin", "Wu Fang"]);
    let written: std::sync::Arc<str> = verbatim::native_writer::to_markdown(&t, "en")
        .unwrap()
        .into();
    let (back, _) = ingest::parse(
        Format::Markdown,
        "river-zh.md",
        &written,
        "river-zh",
        &options,
    )
    .unwrap();
    assert_eq!(back.translation_of, t.translation_of, "{written}");
    assert_eq!(back.align, t.align, "{written}");
    assert_eq!(back.translators, t.translators, "{written}");
    assert_eq!(back.sections, t.sections, "{written}");
}
