//! The pages that span transcripts (speakers, tags, paginated home), reading
//! times, canonical links and metadata, read back from fixture sites.

mod common;

use common::*;

#[test]
fn a_speaker_in_several_transcripts_has_one_page_with_every_answer() {
    let site = fixture_site(&[]);
    let index = read(&site, "speakers/index.html");
    // Ada appears in two transcripts under two ids, Grace in one, the host in two.
    assert_eq!(index.matches("Ada Lovelace</a>").count(), 1, "{index}");
    assert!(index.contains("Grace Hopper</a>"));
    assert!(index.contains("2 transcripts"));

    let ada = read(&site, "speakers/ada-lovelace/index.html");
    assert!(ada.contains("<h1 class=\"page-title\">Ada Lovelace</h1>"));
    assert!(ada.contains("Engines Revisited"), "the newer transcript");
    assert!(ada.contains("On Engines"), "the older transcript");
    assert!(
        ada.contains("The engine weaves algebraic patterns"),
        "an excerpt"
    );
    assert!(ada.contains("Poetical science is what I call it"));
    // Newest transcript first.
    assert!(ada.find("Engines Revisited").unwrap() < ada.find("On Engines").unwrap());
    // Each answer links to its turn on the section page, relatively.
    assert!(
        ada.contains("href=\"../../on-engines/the-engine/#t2\""),
        "{ada}"
    );
    // The question is shown as context above the answer.
    assert!(ada.contains("<p class=\"answer-question\">What do you think?</p>"));
    let hrefs = links(&ada);
    let absolute: Vec<_> = hrefs.iter().filter(|h| h.starts_with("http")).collect();
    assert_eq!(
        absolute,
        ["https://example.org/sub/speakers/ada-lovelace/"],
        "only the canonical link"
    );

    // Transcript pages link the speaker to the page.
    let overview = read(&site, "engines-revisited/index.html");
    assert!(
        overview.contains("href=\"../speakers/ada-lovelace/\""),
        "{overview}"
    );
}

#[test]
fn every_internal_link_and_anchor_of_every_page_resolves() {
    let site = fixture_site(&[]);
    let mut checked = 0;
    for page in html_pages(&site) {
        if page == "404.html" {
            continue; // links from the site's own path, checked below
        }
        let html = read(&site, &page);
        for href in links(&html) {
            if href.starts_with("http") || href.starts_with("mailto:") || href.starts_with("data:")
            {
                continue;
            }
            resolve(&site, &page, &href).unwrap_or_else(|e| panic!("{page}: {href}: {e}"));
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn tags_have_an_index_and_a_page_each_case_insensitively() {
    let site = fixture_site(&[]);
    let tags = read(&site, "tags/index.html");
    assert!(tags.contains("href=\"../tags/computing/\""), "{tags}");
    // "Computing" and "computing" are one tag, spelled as the newest transcript spells it.
    assert!(
        tags.contains(">computing</a> <span class=\"tag-count\">2<"),
        "{tags}"
    );
    assert!(!tags.contains(">Computing</a>"));
    assert!(tags.contains(">History</a> <span class=\"tag-count\">1<"));
    let computing = read(&site, "tags/computing/index.html");
    assert!(computing.contains("Engines Revisited"));
    assert!(computing.contains("On Engines"));
    assert!(!computing.contains("A Hostile"));
    // Tags on transcript pages are links to their pages.
    let overview = read(&site, "on-engines/index.html");
    assert!(overview.contains("href=\"../tags/history/\""));
}

#[test]
fn home_is_paginated_past_the_configured_number() {
    let site = fixture_site(&["paginate = 2"]);
    let home = read(&site, "index.html");
    assert_eq!(home.matches("class=\"transcript-card\"").count(), 2);
    assert!(home.contains("rel=\"next\" href=\"page/2/\""), "{home}");
    let second = read(&site, "page/2/index.html");
    assert_eq!(second.matches("class=\"transcript-card\"").count(), 1);
    // The undated transcript comes last.
    assert!(second.contains("A Hostile"));
    assert!(second.contains("rel=\"prev\" href=\"../../\""), "{second}");
    assert!(second.contains("aria-current=\"page\""));
    assert!(!site.out.join("page/3").exists());
    // The canonical link of page 2 is page 2.
    assert!(second.contains("<link rel=\"canonical\" href=\"https://example.org/sub/page/2/\">"));

    let all = fixture_site(&["paginate = 0"]);
    assert_eq!(
        read(&all, "index.html")
            .matches("class=\"transcript-card\"")
            .count(),
        3
    );
    assert!(!all.out.join("page").exists());
}

#[test]
fn tag_pages_are_paginated_too() {
    let site = fixture_site(&["paginate = 1"]);
    let first = read(&site, "tags/computing/index.html");
    assert!(first.contains("Engines Revisited") && !first.contains("On Engines"));
    let second = read(&site, "tags/computing/page/2/index.html");
    assert!(second.contains("On Engines"));
    assert!(
        second.contains("rel=\"prev\" href=\"../../../../tags/computing/\""),
        "prev leads back to the tag's first page: {second}"
    );
}

#[test]
fn reading_time_is_shown_per_transcript_and_section() {
    let site = fixture_site(&[]);
    // "Engines Revisited" has one section of about 1,000 words: 5 minutes.
    let home = read(&site, "index.html");
    assert!(home.contains(">5 min read<"), "{home}");
    let overview = read(&site, "engines-revisited/index.html");
    assert!(overview.contains("5 min read"));
    let section = read(&site, "engines-revisited/long-answers/index.html");
    assert!(section.contains("5 min read"), "{section}");
    // A short section still takes a minute.
    let short = read(&site, "on-engines/the-engine/index.html");
    assert!(short.contains("1 min read"));
}

/// The items of a metadata line are separated by a dot drawn in CSS before
/// each item after the first; text between two items (a line break in the
/// template) would show as a space before the dot.
#[test]
fn metadata_lines_hold_no_text_between_their_items() {
    let site = fixture_site(&[]);
    for page in [
        "index.html",
        "speakers/index.html",
        "tags/computing/index.html",
    ] {
        let html = read(&site, page);
        let mut lines = 0;
        for meta in html.split("<p class=\"transcript-meta\">").skip(1) {
            let meta = &meta[..meta.find("</p>").unwrap()];
            lines += 1;
            // Between the end of one item and the start of the next: nothing.
            for end in ["</span>", "</time>"] {
                for gap in meta.split(end).skip(1) {
                    let next = gap.trim_start();
                    assert!(
                        gap.len() == next.len() || !next.starts_with("<span"),
                        "{page}: text between items in {meta}"
                    );
                }
            }
        }
        assert!(lines > 0, "{page} has metadata lines");
    }
}

#[test]
fn canonical_links_are_absolute_and_name_the_page_itself() {
    let site = fixture_site(&[]);
    let pages = html_pages(&site);
    assert!(pages.len() > 10, "only {pages:?}");
    for page in pages {
        let html = read(&site, &page);
        let canonical = attr_after(&html, "<link rel=\"canonical\" href=\"");
        let og_url = attr_after(&html, "<meta property=\"og:url\" content=\"");
        if page == "404.html" {
            assert_eq!(canonical, None, "the 404 page stands for no URL");
            continue;
        }
        let expected = format!(
            "https://example.org/sub/{}",
            page.strip_suffix("index.html").unwrap()
        );
        assert_eq!(canonical.as_deref(), Some(expected.as_str()), "{page}");
        assert_eq!(og_url.as_deref(), Some(expected.as_str()), "{page}");
    }
}

#[test]
fn json_ld_and_opengraph_survive_a_hostile_title() {
    let site = fixture_site(&[]);
    let hostile = "A Hostile </script><!-- \"title\" & 'more'";
    let mut pages_with_hostile = 0;
    for page in html_pages(&site) {
        let html = read(&site, &page);
        let json = json_ld(&html).unwrap_or_else(|| panic!("{page} has no JSON-LD"));
        let value: serde_json::Value = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{page}: JSON-LD does not parse ({e}): {json}"));
        assert_eq!(value["@context"], "https://schema.org", "{page}");
        assert!(!json.contains('<') && !json.contains('>'), "{page}: {json}");
        if json.contains("A Hostile") {
            pages_with_hostile += 1;
            let text = value.to_string();
            assert!(
                text.contains("\\u003c") || text.contains("</script>"),
                "kept verbatim"
            );
        }
        assert!(
            html.contains("<meta property=\"og:title\" content=\""),
            "{page}"
        );
        assert!(
            html.contains("<meta property=\"og:type\" content=\""),
            "{page}"
        );
        // One script element of JSON-LD and the theme scripts: nothing escaped out.
        assert_eq!(
            html.matches("</script>").count(),
            html.matches("<script").count(),
            "{page}"
        );
        assert!(html.matches("</script>").count() >= 2, "{page}");
        assert!(!html.contains("<!-- \""), "{page}");
    }
    assert!(
        pages_with_hostile >= 3,
        "overview, full and section pages name it"
    );

    let overview = read(&site, "a-hostile/index.html");
    let json: serde_json::Value = serde_json::from_str(&json_ld(&overview).unwrap()).unwrap();
    assert_eq!(json["@type"], "Article");
    assert_eq!(json["headline"], hostile);
    assert_eq!(
        attr_after(&overview, "<meta property=\"og:title\" content=\"").as_deref(),
        Some(hostile)
    );

    // A section page describes the section: its own words and reading time
    // (the one the page shows), which add up to the transcript's.
    let ld_of = |page: &str| -> serde_json::Value {
        serde_json::from_str(&json_ld(&read(&site, page)).unwrap()).unwrap()
    };
    let whole = ld_of("on-engines/index.html")["wordCount"]
        .as_u64()
        .unwrap();
    let mut section_words = 0;
    for section in ["the-engine", "afterwards"] {
        let page = format!("on-engines/{section}/index.html");
        let json = ld_of(&page);
        let html = read(&site, &page);
        let shown = html
            .split("<span class=\"reading-time\">")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .unwrap();
        assert_eq!(json["timeRequired"], format!("PT{shown}M"), "{page}");
        section_words += json["wordCount"].as_u64().unwrap();
    }
    assert_eq!(section_words, whole);

    let ada = read(&site, "speakers/ada-lovelace/index.html");
    let json: serde_json::Value = serde_json::from_str(&json_ld(&ada).unwrap()).unwrap();
    assert_eq!(json["@type"], "ProfilePage");
    assert_eq!(json["mainEntity"]["name"], "Ada Lovelace");
    assert_eq!(json["mainEntity"]["jobTitle"], "Mathematician");
}

#[test]
fn answers_can_be_cited_without_script() {
    let site = fixture_site(&[]);
    let section = read(&site, "on-engines/the-engine/index.html");
    // The turn and its permalink: a plain fragment link that needs no script.
    assert!(section.contains("id=\"t2\""));
    assert!(section.contains("<a class=\"self-link\" href=\"#t2\""));
    assert!(section.contains("id=\"q1\""), "exchanges are anchors too");
    let css = read(&site, "verbatim.css");
    assert!(css.contains(".turn:target"));
    assert!(css.contains(".exchange:target"));
}

#[test]
fn copy_link_buttons_appear_in_a_real_browser() {
    let site = fixture_site(&[]);
    let page = site.out.join("on-engines/the-engine/index.html");
    let dom = chromium_dom(&page);
    let html = read(&site, "on-engines/the-engine/index.html");
    let links = html.matches("class=\"self-link\"").count();
    assert!(links >= 2);
    assert_eq!(
        dom.matches("class=\"copy-link\"").count(),
        links,
        "one button per # link: {dom}"
    );
    assert!(dom.contains("data-target=\"#t2\""));
}
