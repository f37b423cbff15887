//! Building fixture sites and reading back what a reader would see: pages,
//! links, speakers, the Q&A structure, and the errors an editor would get.

mod common;

use common::Fixture;

const INTERVIEW: &str = r#"+++
title = "A Talk"
date = 2024-03-01
description = "Two people talk."
tags = ["test"]

[[speakers]]
id = "ann"
name = "Ann Lee"
role = "interviewer"
aliases = ["Q"]

[[speakers]]
name = "Bob Stone"
role = "interviewee"
title = "Farmer"
aliases = ["Bob"]
+++

An intro paragraph.

## 01. Beginnings {#start}

Before the first question.

Q: Where were you born?

Bob Stone: In a village.

It had one road.

Bob: And a river.

## Later Years

**Q:** What then?

**Bob Stone:** I moved.

Q: Why?

Q: Really, why?

[00:12:30] A: Work.
"#;

#[test]
fn pages_for_home_overview_sections_full_and_404() {
    let f = Fixture::new(&[("content/a-talk.md", INTERVIEW)]);
    let report = f.built();
    assert_eq!(report.transcripts, 1);
    for path in [
        "index.html",
        "404.html",
        "a-talk/index.html",
        "a-talk/start/index.html",
        "a-talk/later-years/index.html",
        "a-talk/full/index.html",
        "verbatim.css",
        "verbatim.js",
    ] {
        assert!(f.public().join(path).is_file(), "{path} was not written");
    }
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn questions_start_exchanges_and_answers_follow() {
    let f = Fixture::new(&[("content/a-talk.md", INTERVIEW)]);
    f.built();
    let first = f.page("a-talk/start/index.html");
    assert_eq!(
        first.turns(),
        [
            ("Ann Lee".to_string(), "Where were you born?".to_string()),
            (
                "Bob Stone".to_string(),
                "In a village. It had one road.".to_string()
            ),
            ("Bob Stone".to_string(), "And a river.".to_string()),
        ]
    );
    // One exchange: a question and two answers, by id.
    assert_eq!(first.attrs(".exchange", "id"), ["q1"]);
    assert_eq!(first.attrs(".turn", "id"), ["t1", "t2", "t3"]);
    assert_eq!(first.attrs(".turn-question", "id"), ["t1"]);
    // Text between heading and first turn is the section's intro.
    assert_eq!(
        first.texts(".section-page .intro"),
        ["Before the first question."]
    );

    let later = f.page("a-talk/later-years/index.html");
    // Ids continue across sections, so anchors are unique on the full page.
    assert_eq!(later.attrs(".exchange", "id"), ["q2", "q3", "q4"]);
    // Two questions in a row: the first has no answer.
    assert_eq!(later.attrs(".turn-question", "id"), ["t4", "t6", "t7"]);
    // `A` names the first interviewee; the time is shown as hh:mm:ss.
    let last = later.turns().pop().unwrap();
    assert_eq!(last, ("Bob Stone".to_string(), "Work.".to_string()));
    assert_eq!(later.texts("#t8 .time"), ["00:12:30"]);
}

#[test]
fn every_answer_links_to_itself() {
    let f = Fixture::new(&[("content/a-talk.md", INTERVIEW)]);
    f.built();
    let page = f.page("a-talk/later-years/index.html");
    let ids = page.attrs(".turn", "id");
    let links = page.attrs(".turn .self-link", "href");
    let want: Vec<String> = ids.iter().map(|id| format!("#{id}")).collect();
    assert_eq!(links, want);
}

#[test]
fn section_pages_link_back_previous_next_and_to_all_sections() {
    let f = Fixture::new(&[("content/a-talk.md", INTERVIEW)]);
    f.built();
    let first = f.page("a-talk/start/index.html");
    assert_eq!(
        first.attrs(".pager a.next", "href"),
        ["../../a-talk/later-years/"]
    );
    assert!(first.attrs(".pager a.prev", "href").is_empty());
    assert_eq!(
        first.attrs(".all-sections .section-nav a", "href"),
        ["../../a-talk/start/", "../../a-talk/later-years/"]
    );
    assert!(first.texts(".eyebrow")[0].starts_with("Section 1 of 2"));
    let second = f.page("a-talk/later-years/index.html");
    assert_eq!(
        second.attrs(".pager a.prev", "href"),
        ["../../a-talk/start/"]
    );
    assert!(second.attrs(".pager a.next", "href").is_empty());
    assert_eq!(
        second.attrs(".breadcrumbs a", "href"),
        ["../../", "../../a-talk/"]
    );
}

#[test]
fn links_are_relative_and_assets_local() {
    let f = Fixture::new(&[("content/a-talk.md", INTERVIEW)]);
    f.built();
    for path in [
        "index.html",
        "a-talk/index.html",
        "a-talk/start/index.html",
        "a-talk/full/index.html",
    ] {
        let page = f.page(path);
        for href in page.attrs("a[href]", "href") {
            assert!(
                !href.starts_with('/') && !href.contains("://"),
                "{path} links to {href}"
            );
        }
        for attr in [
            ("link[href]", "href"),
            ("script[src]", "src"),
            ("img[src]", "src"),
        ] {
            for url in page.attrs(attr.0, attr.1) {
                if attr.0 == "link[href]" && url.starts_with("https://example.org/sub/") {
                    continue; // the canonical link is absolute by definition
                }
                assert!(
                    !url.contains("://") && !url.starts_with('/'),
                    "{path} loads {url}"
                );
            }
        }
    }
    let canonical = f
        .page("a-talk/start/index.html")
        .attrs("link[rel=canonical]", "href");
    assert_eq!(canonical, ["https://example.org/sub/a-talk/start/"]);
    // Written with plain slashes, not Tera's `&#x2F;`: the page source reads
    // as the links do, and a section page is smaller by a few per cent.
    let section = f.page("a-talk/start/index.html").source;
    assert!(
        section.contains(r#"<a href="../../a-talk/later-years/""#) && !section.contains("&#x2F;"),
        "{section}"
    );
    // The 404 page is served at any depth, so it links from the site's path.
    let missing = f.page("404.html");
    assert_eq!(
        missing.attrs("link[rel=stylesheet]", "href"),
        ["/sub/verbatim.css"]
    );
}

#[test]
fn home_lists_transcripts_newest_first_with_their_facts() {
    let older =
        "+++\ntitle = \"Older\"\ndate = 2001-01-01\ninterviewee = \"Cy\"\n+++\nQ: a?\n\nA: b.\n";
    let undated = "+++\ntitle = \"Undated\"\n+++\nQ: a?\n";
    let f = Fixture::new(&[
        ("content/older.md", older),
        ("content/a-talk.md", INTERVIEW),
        ("content/undated.md", undated),
    ]);
    f.built();
    let home = f.page("index.html");
    assert_eq!(
        home.texts(".transcript-card h2"),
        ["A Talk", "Older", "Undated"]
    );
    let first = home.texts(".transcript-card .transcript-meta")[0].clone();
    assert!(first.contains("March 1, 2024"), "{first}");
    assert!(first.contains("2 sections"), "{first}");
    assert!(
        first.contains("Bob Stone") && !first.contains("Ann Lee"),
        "{first}"
    );
    assert_eq!(
        home.texts(".transcript-card .description")[0],
        "Two people talk."
    );
}

#[test]
fn a_transcript_without_headings_is_one_section_named_after_it() {
    let body = "+++\ntitle = \"Plain\"\ninterviewer = \"Ivy\"\ninterviewee = \"Jo\"\n+++\nOpening words.\n\n**Q:** One?\n\n**Jo:** Two.\n";
    let f = Fixture::new(&[("content/plain.md", body)]);
    f.built();
    let overview = f.page("plain/index.html");
    assert_eq!(overview.texts(".toc .toc-title"), ["Plain"]);
    assert_eq!(overview.texts(".intro"), ["Opening words."]);
    let section = f.page("plain/plain/index.html");
    assert_eq!(
        section.turns(),
        [
            ("Ivy".to_string(), "One?".to_string()),
            ("Jo".to_string(), "Two.".to_string())
        ]
    );
}

#[test]
fn labels_without_declared_speakers_make_speakers() {
    let body =
        "+++\ntitle = \"Auto\"\n+++\n## Part\n\nMara: Hello there?\n\nTom: Hi.\n\nMara: Again?\n";
    let f = Fixture::new(&[("content/auto.md", body)]);
    f.built();
    let page = f.page("auto/part/index.html");
    // The first to speak asks the questions.
    assert_eq!(page.attrs(".turn-question", "id"), ["t1", "t3"]);
    assert_eq!(page.texts(".turn-question .speaker"), ["Mara", "Mara"]);
}

#[test]
fn markdown_inside_turns_is_rendered_and_raw_html_is_not() {
    let body = "+++\ntitle = \"Md\"\n+++\nQ: *Why* <b>now</b>?\n\nA: See [this](https://example.org).\n\n- one\n- two\n\n> a quote\n";
    let f = Fixture::new(&[("content/md.md", body)]);
    f.built();
    let page = f.page("md/md/index.html");
    assert!(page.source.contains("<em>Why</em>"));
    assert!(page.source.contains("&lt;b&gt;now&lt;/b&gt;"));
    assert_eq!(page.attrs(".turn-body a", "href"), ["https://example.org"]);
    assert_eq!(page.texts(".turn-body li"), ["one", "two"]);
    assert_eq!(page.texts(".turn-body blockquote"), ["a quote"]);
}

#[test]
fn site_templates_override_the_theme_by_name() {
    let f = Fixture::new(&[
        ("content/a-talk.md", INTERVIEW),
        (
            "templates/404.html",
            "{% extends \"base.html\" %}{% block main %}<p class=\"custom\">Lost: {{ site.title }}</p>{% endblock main %}",
        ),
        ("static/humans.txt", "Editors: us\n"),
        ("static/img/logo.svg", "<svg/>"),
    ]);
    f.built();
    assert_eq!(f.page("404.html").texts(".custom"), ["Lost: Test site"]);
    assert!(f.public().join("humans.txt").is_file());
    assert!(f.public().join("img/logo.svg").is_file());
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let draft = "+++\ntitle = \"Draft\"\ndraft = true\n+++\nQ: x?\n";
    let f = Fixture::new(&[("content/draft.md", draft)]);
    f.built();
    assert!(!f.public().join("draft").exists());
    let mut options = f.options();
    options.drafts = true;
    verbatim::build(&options).unwrap();
    assert!(f.public().join("draft/index.html").is_file());
}

#[test]
fn base_url_flag_replaces_the_configured_one() {
    let f = Fixture::new(&[("content/a-talk.md", INTERVIEW)]);
    let mut options = f.options();
    options.base_url = Some("https://example.net/interviews".into());
    verbatim::build(&options).unwrap();
    let page = f.page("a-talk/index.html");
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        ["https://example.net/interviews/a-talk/"]
    );
}
