//! atom.xml, sitemap.xml and robots.txt, checked by the validators of their
//! standards (jing for Atom's RELAX NG schema, xmllint for the sitemaps.org
//! XML Schemas from ../shared/schemas).

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn schema(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/schemas")
        .join(name);
    assert!(
        path.exists(),
        "the schemas live in ../shared/schemas: {}",
        path.display()
    );
    path
}

fn jing(rnc: &Path, xml: &Path) {
    require("jing", "jing");
    run_ok(
        "jing",
        &["-c", rnc.to_str().unwrap(), xml.to_str().unwrap()],
    );
}

fn xmllint(xsd: &Path, xml: &Path) {
    require("xmllint", "libxml2-utils");
    run_ok(
        "xmllint",
        &[
            "--noout",
            "--schema",
            xsd.to_str().unwrap(),
            xml.to_str().unwrap(),
        ],
    );
}

/// The text of every `<tag>` element, in order.
fn elements(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    xml.split(&open)
        .skip(1)
        .map(|rest| rest[..rest.find(&close).unwrap()].to_string())
        .collect()
}

#[test]
fn the_atom_feed_is_valid_absolute_and_newest_first() {
    let site = fixture_site(&[]);
    jing(&schema("atom.rnc"), &site.out.join("atom.xml"));
    let feed = read(&site, "atom.xml");
    let titles = elements(&feed, "title");
    assert_eq!(titles[0], "Fixture");
    assert_eq!(
        titles[1..],
        [
            "Engines Revisited",
            "On Engines",
            "A Hostile &lt;/script&gt;&lt;!-- &quot;title&quot; &amp; &#x27;more&#x27;"
        ]
    );
    let ids = elements(&feed, "id");
    assert_eq!(ids[0], "https://example.org/sub/");
    assert_eq!(ids[1], "https://example.org/sub/engines-revisited/");
    for href in links(&feed) {
        assert!(href.starts_with("https://example.org/sub/"), "{href}");
    }
    assert!(feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/sub/atom.xml\"/>"));
    // The feed is as new as its newest entry, so builds repeat byte for byte.
    assert_eq!(elements(&feed, "updated")[0], "2025-03-04T00:00:00Z");
    assert!(feed.contains("<category term=\"computing\"/>"));
    assert!(feed.contains("<author><name>A. Writer</name></author>"));
    // Pages point feed readers at it.
    assert!(read(&site, "index.html")
        .contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Fixture\" href=\"atom.xml\">"));
}

#[test]
fn the_feed_carries_the_configured_number_of_entries() {
    let site = fixture_site(&["feed_entries = 1"]);
    jing(&schema("atom.rnc"), &site.out.join("atom.xml"));
    let feed = read(&site, "atom.xml");
    assert_eq!(feed.matches("<entry").count(), 1);
    assert!(feed.contains("Engines Revisited"));
}

#[test]
fn the_sitemap_is_valid_and_lists_every_page_but_the_404() {
    let site = fixture_site(&[]);
    let path = site.out.join("sitemap.xml");
    xmllint(&schema("sitemap.xsd"), &path);
    let xml = read(&site, "sitemap.xml");
    let locs = elements(&xml, "loc");
    let mut expected: Vec<String> = html_pages(&site)
        .into_iter()
        .filter(|p| p != "404.html")
        .map(|p| {
            format!(
                "https://example.org/sub/{}",
                p.strip_suffix("index.html").unwrap()
            )
        })
        .collect();
    expected.sort();
    assert_eq!(locs, expected);
    assert!(locs.contains(&"https://example.org/sub/speakers/ada-lovelace/".to_string()));
    assert!(xml.contains(
        "<loc>https://example.org/sub/on-engines/the-engine/</loc><lastmod>2024-01-02</lastmod>"
    ));
}

#[test]
fn past_the_limit_the_sitemap_becomes_an_index_of_valid_sitemaps() {
    let site = fixture_site(&[]);
    let locs = elements(&read(&site, "sitemap.xml"), "loc");
    let urls: Vec<verbatim::sitemap::Url> = locs
        .iter()
        .map(|l| verbatim::sitemap::Url {
            loc: l
                .strip_prefix("https://example.org/sub/")
                .unwrap()
                .to_string(),
            lastmod: Some("2024-01-02".to_string()),
        })
        .collect();
    let limit = 4;
    let pages = verbatim::sitemap::sitemaps("https://example.org/sub/", urls, limit);
    let dir = tempfile::tempdir().unwrap();
    let mut listed = Vec::new();
    for page in &pages {
        let file = dir.path().join(&page.path);
        std::fs::write(&file, &page.bytes).unwrap();
        let text = String::from_utf8(page.bytes.clone()).unwrap();
        if page.path == "sitemap.xml" {
            xmllint(&schema("siteindex.xsd"), &file);
            assert!(text.contains("<sitemapindex"));
        } else {
            xmllint(&schema("sitemap.xsd"), &file);
            let n = text.matches("<url>").count();
            assert!((1..=limit).contains(&n), "{n} URLs in {}", page.path);
            listed.extend(elements(&text, "loc"));
        }
    }
    assert_eq!(pages.len(), locs.len().div_ceil(limit) + 1);
    assert_eq!(listed, locs, "every URL in exactly one part, in order");
}

#[test]
fn robots_txt_names_the_sitemap() {
    let site = fixture_site(&[]);
    let robots = read(&site, "robots.txt");
    assert!(robots.starts_with("User-agent: *\n"));
    assert!(robots.contains("\nSitemap: https://example.org/sub/sitemap.xml\n"));
}

#[test]
fn a_relative_base_url_builds_with_a_warning() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(root.path().join("site.toml"), "title = \"T\"\n").unwrap();
    std::fs::create_dir(root.path().join("content")).unwrap();
    let report = verbatim::build(&verbatim::BuildOptions {
        root: root.path().to_path_buf(),
        output: Some(root.path().join("public")),
        base_url: None,
        drafts: false,
        today: None,
    })
    .unwrap();
    assert!(report
        .warnings
        .iter()
        .any(|w| w.message.contains("base_url") && w.message.contains("not an absolute URL")));
    let robots = std::fs::read_to_string(root.path().join("public/robots.txt")).unwrap();
    assert!(!robots.contains("Sitemap:"));
    // No sitemap rather than one of relative URLs; the (empty) feed is valid.
    assert!(!root.path().join("public/sitemap.xml").exists());
    jing(&schema("atom.rnc"), &root.path().join("public/atom.xml"));
}

#[test]
fn the_feed_and_sitemap_of_a_site_in_many_languages_are_valid() {
    // The languages fixture: a German site with transcripts in seven other
    // languages, right to left ones among them, and a translation.
    let (_keep, public) = built_languages_fixture();
    jing(&schema("atom.rnc"), &public.join("atom.xml"));
    xmllint(&schema("sitemap.xsd"), &public.join("sitemap.xml"));
    let feed = std::fs::read_to_string(public.join("atom.xml")).unwrap();
    assert!(
        feed.contains("<title>دكان في السوق القديم</title>"),
        "{feed}"
    );
    assert!(feed.contains("<title>הסדנה של הצורף</title>"));
    // The side-by-side pages are pages of the site like the others.
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(sitemap
        .contains("<loc>https://example.org/stimmen/werkstatt/side-by-side/werkstatt-zh/</loc>"));
}
