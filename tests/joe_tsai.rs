//! The first transcript, read against its source word by word: every question
//! and every answer paragraph of the seed page is on the right section page,
//! in order, under the right speaker.

mod common;

use common::{build_repository_site, normalize_space, shared, Page};
use std::path::Path;

const SEED: &str = "seeds/000_e70763a947846167.txt";
const SLUG: &str = "joe-tsai-vivatech-2026";

/// A section of the seed: its title and its turns as (speaker, paragraphs).
struct SeedSection {
    title: String,
    turns: Vec<(String, Vec<String>)>,
}

/// Reads the interview out of the saved web page: from the `01.` heading to
/// the credit line, as the page printed it.
fn seed_sections() -> Vec<SeedSection> {
    let text = std::fs::read_to_string(shared().join(SEED)).expect("the seed is in ../shared");
    let paragraphs: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let start = paragraphs
        .iter()
        .position(|p| p.starts_with("01. "))
        .unwrap();
    let end = paragraphs
        .iter()
        .position(|p| p.starts_with("This article is from WeChat"))
        .unwrap();
    let mut sections: Vec<SeedSection> = Vec::new();
    for p in &paragraphs[start..end] {
        let heading = p.len() > 4 && p.as_bytes()[0] == b'0' && &p[2..4] == ". ";
        if heading {
            sections.push(SeedSection {
                title: p[4..].to_string(),
                turns: Vec::new(),
            });
        } else if let Some(q) = p.strip_prefix("Q: ") {
            let s = sections.last_mut().unwrap();
            s.turns.push(("Interviewer".into(), vec![q.to_string()]));
        } else if let Some(a) = p.strip_prefix("Joe Tsai: ") {
            let s = sections.last_mut().unwrap();
            s.turns.push(("Joe Tsai".into(), vec![a.to_string()]));
        } else {
            let s = sections.last_mut().unwrap();
            s.turns.last_mut().unwrap().1.push(p.to_string());
        }
    }
    sections
}

fn read(out: &Path, path: &str) -> Page {
    let text = std::fs::read_to_string(out.join("public").join(path)).unwrap();
    Page {
        html: scraper::Html::parse_document(&text),
        source: text,
    }
}

#[test]
fn every_question_and_answer_paragraph_is_on_its_section_page() {
    let seed = seed_sections();
    assert_eq!(seed.len(), 5, "the seed has five numbered sections");
    let out = build_repository_site();
    let slugs = [
        "the-50-trillion-market",
        "four-layers",
        "open-source-and-sovereignty",
        "ai-in-the-factory",
        "agents-and-humanity",
    ];
    for (section, slug) in seed.iter().zip(slugs) {
        let page = read(out.path(), &format!("{SLUG}/{slug}/index.html"));
        assert_eq!(
            page.texts("h1.page-title"),
            std::slice::from_ref(&section.title),
            "title of {slug}"
        );
        let turns = page.turns();
        assert_eq!(
            turns.len(),
            section.turns.len(),
            "number of turns on {slug}"
        );
        for ((speaker, text), (want_speaker, want_paragraphs)) in turns.iter().zip(&section.turns) {
            assert_eq!(speaker, want_speaker, "speaker on {slug}");
            let want = normalize_space(&want_paragraphs.join(" "));
            assert_eq!(text, &want, "words on {slug}");
        }
        // Paragraphs stay paragraphs: one <p> per source paragraph.
        let paragraphs = page.texts(".turn-body p");
        let want: Vec<String> = section
            .turns
            .iter()
            .flat_map(|(_, ps)| ps.iter().map(|p| normalize_space(p)))
            .collect();
        assert_eq!(paragraphs, want, "paragraphs on {slug}");
    }
}

#[test]
fn the_whole_transcript_page_has_every_turn_in_order() {
    let seed = seed_sections();
    let out = build_repository_site();
    let page = read(out.path(), &format!("{SLUG}/full/index.html"));
    let want: Vec<(String, String)> = seed
        .iter()
        .flat_map(|s| &s.turns)
        .map(|(who, ps)| (who.clone(), normalize_space(&ps.join(" "))))
        .collect();
    assert_eq!(page.turns(), want);
    assert_eq!(page.texts(".transcript-section > h2").len(), 5);
}

#[test]
fn the_overview_lists_five_sections_with_their_first_questions() {
    let seed = seed_sections();
    let out = build_repository_site();
    let page = read(out.path(), &format!("{SLUG}/index.html"));
    let titles = page.texts(".toc .toc-title");
    let want: Vec<String> = seed
        .iter()
        .enumerate()
        .map(|(i, s)| format!("0{} {}", i + 1, s.title))
        .collect();
    assert_eq!(titles, want);
    let firsts = page.texts(".toc .first-question");
    assert_eq!(firsts.len(), 5);
    for (first, section) in firsts.iter().zip(&seed) {
        let question = &section.turns[0].1[0];
        let stem = first.trim_end_matches('…');
        assert!(
            question.starts_with(stem),
            "{first:?} is not the start of {question:?}"
        );
    }
    // Speakers with their titles, and the source.
    let speakers = page.texts(".speaker-list li");
    assert!(speakers
        .iter()
        .any(|s| s.contains("Joe Tsai") && s.contains("Executive Chairman, Alibaba Group")));
    let meta = page.texts(".transcript-meta").join(" ");
    for want in [
        "June 22, 2026",
        "VivaTech",
        "Paris",
        "Tencent Technology",
        "Su Yang",
    ] {
        assert!(meta.contains(want), "{want} missing from {meta:?}");
    }
}

#[test]
fn the_intro_holds_the_lede_and_leaves_out_the_page_clutter() {
    let out = build_repository_site();
    let page = read(out.path(), &format!("{SLUG}/index.html"));
    let intro = page.texts(".intro").join(" ");
    assert!(
        intro.starts_with("At this year's VivaTech conference"),
        "{intro}"
    );
    assert!(intro.contains("Below is an edited version of Joe Tsai's interview:"));
    let all = page.source;
    for clutter in [
        "Crypto di tendenza",
        "Letture associate",
        "HTX",
        "Bittensor",
    ] {
        assert!(!all.contains(clutter), "{clutter} leaked into the page");
    }
}

/// Issue 20's acceptance: `verbatim import` on the seed's own page, with no
/// hand edits, gives the curated transcript's title, date, source, speakers,
/// sections and turns, and none of the page's other words in any turn.
#[test]
fn importing_the_seed_page_gives_the_curated_transcript() {
    use verbatim::ingest::{self, IngestOptions};
    let seed = shared().join(SEED);
    assert!(seed.is_file(), "{} is missing", seed.display());
    let out = tempfile::tempdir().unwrap();
    let imported =
        verbatim::import::import_file(&seed, out.path(), false, &IngestOptions::default())
            .map_err(|e| format!("{e:?}"))
            .unwrap();
    let options = IngestOptions::default();
    let (got, _) = ingest::load(&imported.written, "imported.md", &options)
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let curated = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("content/{SLUG}.md"));
    let (want, _) = ingest::load(&curated, "curated.md", &options)
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    assert_eq!(got.title, want.title);
    assert_eq!(got.date, want.date);
    assert_eq!(got.source.publisher, want.source.publisher);
    assert_eq!(got.source.author, want.source.author);
    let people = |t: &verbatim::model::Transcript| {
        let mut p: Vec<(String, String)> = t
            .speakers
            .iter()
            .map(|s| (s.name.clone(), format!("{:?}", s.role)))
            .collect();
        p.sort();
        p
    };
    assert_eq!(people(&got), people(&want));
    let sections = |t: &verbatim::model::Transcript| -> Vec<String> {
        t.sections.iter().map(|s| s.title.clone()).collect()
    };
    assert_eq!(sections(&got), sections(&want));
    let turns = |t: &verbatim::model::Transcript| -> Vec<(String, String)> {
        t.turns()
            .map(|turn| {
                let who = t.speaker(&turn.speaker).map(|s| s.name.clone());
                (who.unwrap_or_default(), normalize_space(&turn.text))
            })
            .collect()
    };
    let (g, w) = (turns(&got), turns(&want));
    assert_eq!(g.len(), w.len(), "turn count");
    for (i, (a, b)) in g.iter().zip(&w).enumerate() {
        assert_eq!(a, b, "turn {i}");
    }
    // The page's other words: its related articles, generated Q/A teasers
    // and Italian interface text are in no turn, nor in the intro.
    let page_only = [
        "Crypto di tendenza",
        "Letture associate",
        "Domande pertinenti",
        "Benvenuto",
    ];
    for t in got.turns() {
        for p in page_only {
            assert!(!t.text.contains(p), "{p:?} in a turn");
        }
    }
    for p in page_only
        .iter()
        .chain(&["Image processed via AI", "Introduzione"])
    {
        assert!(!got.intro.contains(p), "{p:?} in the intro");
    }
    assert_eq!(normalize_space(&got.intro), normalize_space(&want.intro));
}
