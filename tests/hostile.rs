//! Content and settings written by an attacker (tests/hostile/) build into
//! pages on which a real browser runs no injected script, and every page,
//! attribute, JSON and XML file the build writes keeps the payloads inert.
//!
//! The browser check needs Debian's `chromium` (/usr/bin/chromium); the
//! static checks run everywhere.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Builds tests/hostile into a temporary output folder.
fn build_hostile() -> (tempfile::TempDir, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    verbatim::build(&verbatim::BuildOptions {
        root,
        output: Some(output.clone()),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("the hostile site builds: {e}"));
    (out, output)
}

/// Every file of the output with one of `extensions`.
fn files(output: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(output)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        })
        .collect();
    v.sort();
    v
}

/// The tags of an HTML page (`<name attr...>`), as written.
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let end = rest.find('>').unwrap_or(rest.len());
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

/// Attribute names of a tag (values are quoted and escaped by the theme).
fn attribute_names(tag: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_quote = None;
    let mut word = String::new();
    let mut first = true;
    for c in tag.chars().chain(std::iter::once(' ')) {
        match (in_quote, c) {
            (Some(q), c) if c == q => in_quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => in_quote = Some(c),
            (None, c) if c.is_whitespace() || c == '=' || c == '/' => {
                if !word.is_empty() && !first {
                    names.push(word.to_ascii_lowercase());
                }
                if !word.is_empty() {
                    first = false;
                }
                word.clear();
            }
            (None, c) => word.push(c),
        }
    }
    names
}

#[test]
fn pages_hold_no_injected_tags_attributes_or_script_urls() {
    let (_keep, output) = build_hostile();
    let pages = files(&output, &["html"]);
    assert!(pages.len() >= 5, "{pages:?}");
    for page in &pages {
        let html = fs::read_to_string(page).unwrap();
        let name = page.strip_prefix(&output).unwrap().display();
        for tag in tags(&html) {
            let element = tag
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap()
                .to_ascii_lowercase();
            // The theme's own search forms are the only forms a page may hold.
            let theme_form = element == "form"
                && (tag.starts_with("form class=\"site-search\"")
                    || tag.starts_with("form id=\"search-form\""));
            assert!(
                // Markdown images are content; their attributes are checked below.
                theme_form
                    || !["svg", "iframe", "object", "embed", "form", "style", "math", "base"]
                        .contains(&element.as_str()),
                "{name}: injected <{tag}>"
            );
            if element == "script" {
                assert!(
                    tag.contains("verbatim.js")
                        || tag.contains("verbatim-search.js")
                        || tag.contains("application/ld+json"),
                    "{name}: injected <{tag}>"
                );
            }
            for attr in attribute_names(tag) {
                assert!(!attr.starts_with("on"), "{name}: event handler in <{tag}>");
                assert!(
                    !["autofocus", "http-equiv", "srcdoc", "formaction"].contains(&attr.as_str()),
                    "{name}: injected attribute in <{tag}>"
                );
            }
        }
        // The theme's empty favicon (`data:,`) keeps browsers from asking the
        // host for /favicon.ico; it is the one data: URL a page may hold.
        let theme_icon = "link rel=\"icon\" href=\"data:,\"";
        for tag in tags(&html).into_iter().filter(|t| *t != theme_icon) {
            let squeezed: String = tag
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(
                    !squeezed.contains(&format!("=\"{scheme}")),
                    "{name}: a {scheme} URL in <{tag}>"
                );
            }
        }
        // JSON-LD, where a page has it, cannot be closed early.
        for block in html.split("<script type=\"application/ld+json\">").skip(1) {
            let json = &block[..block.find("</script>").expect("closed")];
            assert!(!json.to_ascii_lowercase().contains("<script"), "{name}");
            assert!(!json.contains("<!--"), "{name}");
            serde_json::from_str::<serde_json::Value>(json)
                .unwrap_or_else(|e| panic!("{name}: JSON-LD does not parse: {e}"));
        }
    }
    // Tera syntax in the content is text, never evaluated.
    let text = fs::read_to_string(output.join("hostile/full/index.html")).unwrap();
    assert!(
        text.contains("{{ 7 * 7 }}"),
        "Tera syntax is shown as written"
    );
    assert!(
        text.contains("{% if true %}tera{% endif %}"),
        "Tera syntax is shown as written"
    );
    assert!(
        text.contains("Dr. &quot;Quote&quot; O&#x27;Brien"),
        "quotes in names are escaped"
    );
}

/// A JSON file must parse (so no payload broke out of a string); an XML
/// file (feeds, sitemaps) must hold no raw markup from the payloads.
fn check_data_file(path: &Path) -> Result<(), String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str::<serde_json::Value>(&text).map_err(|e| format!("not JSON: {e}"))?;
    } else {
        for raw in ["<script", "<img", "<svg", "<iframe"] {
            if text.to_ascii_lowercase().contains(raw) {
                return Err(format!("a raw {raw} in XML"));
            }
        }
    }
    Ok(())
}

#[test]
fn json_and_xml_files_keep_the_payloads_as_data() {
    let (keep, output) = build_hostile();
    // Feeds, JSON-LD files and the JSON export, as far as this build has them.
    for file in files(&output, &["json", "xml", "rss", "atom"]) {
        if let Err(why) = check_data_file(&file) {
            panic!("{}: {why}", file.display());
        }
    }
    // The check can fail.
    let bad_xml = keep.path().join("feed.xml");
    fs::write(
        &bad_xml,
        "<rss><title></title><script>x</script></title></rss>",
    )
    .unwrap();
    assert!(check_data_file(&bad_xml).is_err());
    let bad_json = keep.path().join("x.json");
    fs::write(&bad_json, "{\"title\": \"\"}\"<script>\"}").unwrap();
    assert!(check_data_file(&bad_json).is_err());
}

#[test]
fn chromium_runs_no_injected_script() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!("skipped: {CHROMIUM} is not installed");
        return;
    }
    let (keep, output) = build_hostile();
    let pages = files(&output, &["html"]);
    let profile = keep.path().join("chromium-profile");
    for page in &pages {
        let dom = dump_dom(page, &profile);
        let name = page.strip_prefix(&output).unwrap().display();
        assert!(
            dom.contains("</html>"),
            "{name}: Chromium did not load the page:\n{dom}"
        );
        assert!(
            !dom.contains("data-pwned=\"1\""),
            "{name}: an injected script ran"
        );
        assert!(
            !dom.contains("PWNED"),
            "{name}: an injected script set the title"
        );
        assert!(
            !dom.contains("<pwned-el"),
            "{name}: an injected script added an element"
        );
    }
    // The check can fail: the same payload, let in, is seen.
    let control = keep.path().join("control.html");
    fs::write(
        &control,
        "<!doctype html><title>x</title><img src=x onerror=\"document.documentElement.setAttribute('data-pwned','1')\"><script>document.title='PWN'+'ED'</script>",
    )
    .unwrap();
    let dom = dump_dom(&control, &profile);
    assert!(
        dom.contains("data-pwned=\"1\"") && dom.contains("PWNED"),
        "{dom}"
    );
}

/// The page's DOM after Chromium has loaded it and run its scripts.
fn dump_dom(page: &Path, profile: &Path) -> String {
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=3000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn allow_html_passes_raw_html_through_and_only_then() {
    let body = "Q: Hello <span class=\"aside\">aside</span>\n\nA: [x](javascript:alert(1))\n";
    for (setting, raw) in [
        ("", false),
        ("allow_html = false", false),
        ("allow_html = true", true),
    ] {
        let site = common::Site::new(setting);
        site.write("content/t.md", body);
        site.build().unwrap_or_else(|e| panic!("{setting}: {e}"));
        let html = fs::read_to_string(site.output().join("t/index.html")).unwrap();
        let page = fs::read_to_string(site.output().join("t/full/index.html")).unwrap();
        assert!(html.contains("<!doctype html>"));
        assert_eq!(
            page.contains("<span class=\"aside\">aside</span>"),
            raw,
            "{setting}"
        );
        assert_eq!(
            page.contains("&lt;span class=\"aside\"&gt;"),
            !raw,
            "{setting}"
        );
        // Markdown links to script URLs are defused even when HTML is trusted.
        assert!(!page.contains("href=\"javascript:"), "{setting}");
    }
}
