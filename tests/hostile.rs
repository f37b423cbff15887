//! Content and settings written by an attacker (tests/hostile/) build into
//! pages on which a real browser runs no injected script, and every page,
//! attribute, JSON and XML file the build writes keeps the payloads inert.
//!
//! The browser check needs Debian's `chromium` (/usr/bin/chromium) and is
//! ignored by plain `cargo test`; `cargo test -- --include-ignored` (the
//! README's command, and CI's) runs it and fails when Chromium is missing.
//! The static checks run everywhere. tests/browser/hostile.test.mjs opens
//! the same pages in Chromium with every dialog hooked.

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
                        || tag.contains("verbatim-words-")
                        || tag.contains("application/ld+json"),
                    "{name}: injected <{tag}>"
                );
            }
            for attr in attribute_names(tag) {
                assert!(!attr.starts_with("on"), "{name}: event handler in <{tag}>");
                assert!(
                    ![
                        "autofocus",
                        "tabindex",
                        "http-equiv",
                        "srcdoc",
                        "formaction"
                    ]
                    .contains(&attr.as_str()),
                    "{name}: injected attribute in <{tag}>"
                );
                // Headings in content may carry `{#id}` and `{.class}` only.
                if ["h1", "h2", "h3", "h4", "h5", "h6"].contains(&element.as_str()) {
                    assert!(
                        ["id", "class"].contains(&attr.as_str()),
                        "{name}: heading attribute {attr:?} in <{tag}>"
                    );
                }
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
    // Safe heading ids and classes stay, in the intro, a turn, a quote, a
    // list item and a footnote.
    for kept in [
        "<h3 id=\"kept-intro\" class=\"kept_class\">",
        "<h3 id=\"kept-turn\" class=\"kept_class\">",
        "<h3 id=\"kept-quote\">",
        "<h3 class=\"kept-list\">",
        "<h3 id=\"kept-note\">",
    ] {
        assert!(text.contains(kept), "a safe heading is kept: {kept}");
    }
    // Heading attributes in formats other than native Markdown are text.
    for transcript in [
        "hostile-plain",
        "hostile-chat",
        "hostile-captions",
        "hostile-page",
    ] {
        let page = fs::read_to_string(output.join(transcript).join("full/index.html"))
            .unwrap_or_else(|e| panic!("{transcript}/full/: {e}"));
        assert!(
            page.contains("onmouseover=alert(1)}"),
            "{transcript}: the heading payload is shown as text"
        );
    }
}

/// Native Markdown headings with attributes that could run script, in every
/// place a heading can stand (tests/hostile/refused/): each file is refused
/// with an error naming it and the payload's line.
#[test]
fn script_heading_attributes_in_native_markdown_are_refused_naming_the_line() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/refused");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n != "README.md")
        .collect();
    names.sort();
    assert!(names.len() >= 10, "only {names:?} in {}", dir.display());
    for name in &names {
        let text = fs::read_to_string(dir.join(name)).unwrap();
        // The payload's line: the one line after the front matter with a `{`.
        let front_matter = text
            .lines()
            .skip(1)
            .position(|l| l == "+++")
            .expect("front matter")
            + 2;
        let lines: Vec<usize> = text
            .lines()
            .enumerate()
            .skip(front_matter)
            .filter(|(_, l)| l.contains('{'))
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(lines.len(), 1, "{name}: one payload line, found {lines:?}");
        let site = common::Site::new("");
        site.write(&format!("content/{name}"), &text);
        let error = match site.build() {
            Ok(_) => panic!("{name}: a script heading attribute builds"),
            Err(e) => e.to_string(),
        };
        let location = format!("content/{name}:{}:", lines[0]);
        assert!(
            error.contains(&location),
            "{name}: the error names {location}\n{error}"
        );
        assert!(error.contains("heading"), "{name}: {error}");
        assert!(
            !site.output().exists(),
            "{name}: a refused build wrote pages"
        );
    }
}

/// A JSON file must parse (so no payload broke out of a string); an XML
/// file (feeds, sitemaps) must be well-formed XML 1.0 (a feed reader drops a
/// feed that is not, and control characters from content are the usual
/// cause) and hold no raw markup from the payloads.
fn check_data_file(path: &Path) -> Result<(), String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str::<serde_json::Value>(&text).map_err(|e| format!("not JSON: {e}"))?;
    } else {
        roxmltree::Document::parse(&text).map_err(|e| format!("not well-formed XML: {e}"))?;
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
    // Feeds, sitemaps and the JSON export, as far as this build has them.
    let data = files(&output, &["json", "xml", "rss", "atom"]);
    for must in [
        "atom.xml",
        "sitemap.xml",
        "api/hostile.json",
        "api/transcripts.json",
    ] {
        assert!(
            data.contains(&output.join(must)),
            "the hostile build has no {must}: {data:?}"
        );
    }
    let mut failed = Vec::new();
    for file in &data {
        if let Err(why) = check_data_file(file) {
            failed.push(format!(
                "{}: {why}",
                file.strip_prefix(&output).unwrap().display()
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    // The check can fail.
    let bad_xml = keep.path().join("feed.xml");
    fs::write(
        &bad_xml,
        "<rss><title></title><script>x</script></title></rss>",
    )
    .unwrap();
    assert!(check_data_file(&bad_xml).is_err());
    // A control character XML 1.0 forbids, in a title of otherwise good XML.
    fs::write(&bad_xml, "<feed><title>a\u{b}b\u{1}</title></feed>").unwrap();
    assert!(check_data_file(&bad_xml).is_err());
    fs::write(&bad_xml, "<feed><title>a b</title></feed>").unwrap();
    assert!(check_data_file(&bad_xml).is_ok());
    let bad_json = keep.path().join("x.json");
    fs::write(&bad_json, "{\"title\": \"\"}\"<script>\"}").unwrap();
    assert!(check_data_file(&bad_json).is_err());
}

#[test]
#[ignore = "needs chromium (apt-get install chromium): run with `cargo test -- --include-ignored`"]
fn chromium_runs_no_injected_script() {
    assert!(
        Path::new(CHROMIUM).exists(),
        "this test needs {CHROMIUM}: install it with `apt-get install chromium` (.ci/run does)"
    );
    let (keep, output) = build_hostile();
    let pages = files(&output, &["html"]);
    assert!(pages.len() >= 5, "{pages:?}");
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
