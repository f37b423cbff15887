//! The default theme's busiest pages are written by Rust code
//! (src/render/theme.rs) instead of by Tera from templates/. These tests keep
//! the two in step: on every kind of site, the compiled pages are byte for
//! byte what Tera makes of the templates. A change to a template that is not
//! made in theme.rs too fails here, naming the page and the first difference.

mod common;

use std::fs;
use std::path::Path;
use verbatim::page::Page;
use verbatim::render::Renderer;

/// Renders the site at `root` both ways; returns how many pages were compared.
fn same_bytes_both_ways(root: &Path) -> usize {
    let config = verbatim::config::Config::load(root).unwrap();
    let loaded = verbatim::site::load(root, config, false).unwrap_or_else(|e| panic!("{e:?}"));
    let compiled = Renderer::new(root).unwrap().render(&loaded.site).unwrap();
    let interpreted = Renderer::new(root)
        .unwrap()
        .interpreted_only()
        .render(&loaded.site)
        .unwrap();
    assert_eq!(
        paths(&compiled),
        paths(&interpreted),
        "the same pages both ways"
    );
    for (a, b) in compiled.iter().zip(&interpreted) {
        if a.bytes != b.bytes {
            panic!(
                "{} differs between the compiled theme and the templates: {}\n{}",
                a.path,
                what_to_change(&b.bytes),
                first_difference(&a.bytes, &b.bytes)
            );
        }
    }
    compiled.len()
}

/// Which template and which function of src/render/theme.rs write a page
/// of this kind (read from its `<body class="kind-...">`): the two that
/// must say the same thing.
fn what_to_change(page: &[u8]) -> String {
    let text = String::from_utf8_lossy(page);
    let kind = text
        .split("<body class=\"kind-")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("?");
    let (template, function) = match kind {
        "transcript" => ("templates/transcript.html", "overview"),
        "section" => ("templates/section.html", "section"),
        "full" => ("templates/full.html", "full"),
        "speaker" => ("templates/speaker.html", "speaker"),
        "index" | "home" => ("templates/index.html", "home"),
        "tag" => ("templates/tag.html", "tag"),
        _ => ("the page's template", "the function that writes it"),
    };
    format!(
        "a {kind} page. Make {template} (or templates/base.html, templates/macros.html for what \
         every page or every turn shows) and `fn {function}` (or `page`, `exchange`, `turn`) in \
         src/render/theme.rs write the same bytes: theme.rs mirrors the templates for speed \
         (docs/templates.md)"
    )
}

fn paths(pages: &[Page]) -> Vec<&str> {
    pages.iter().map(|p| p.path.as_str()).collect()
}

/// The lines around where two pages start to differ.
fn first_difference(compiled: &[u8], interpreted: &[u8]) -> String {
    let at = compiled
        .iter()
        .zip(interpreted)
        .position(|(a, b)| a != b)
        .unwrap_or(compiled.len().min(interpreted.len()));
    let around = |bytes: &[u8]| {
        let start = at.saturating_sub(200);
        let end = (at + 200).min(bytes.len());
        String::from_utf8_lossy(&bytes[start..end]).into_owned()
    };
    format!(
        "at byte {at}\n--- compiled ---\n{}\n--- templates ---\n{}",
        around(compiled),
        around(interpreted)
    )
}

/// Pages of each kind the compiled theme writes, in `pages`.
fn compiled_kinds(root: &Path) -> Vec<&'static str> {
    let config = verbatim::config::Config::load(root).unwrap();
    let loaded = verbatim::site::load(root, config, false).unwrap();
    let pages = Renderer::new(root).unwrap().render(&loaded.site).unwrap();
    let mut kinds = Vec::new();
    for kind in ["transcript", "section", "full", "speaker"] {
        let class = format!("<body class=\"kind-{kind}\">");
        if pages
            .iter()
            .any(|p| String::from_utf8_lossy(&p.bytes).contains(&class))
        {
            kinds.push(kind);
        }
    }
    kinds
}

#[test]
fn the_repository_site() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(same_bytes_both_ways(root) > 10);
    assert_eq!(
        compiled_kinds(root),
        ["transcript", "section", "full", "speaker"]
    );
}

#[test]
fn the_hostile_site() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    assert!(same_bytes_both_ways(&root) > 5);
}

#[test]
fn the_reader_fixture_with_search_and_a_subpath() {
    // The fixture has a description and a base URL with a path.
    let site = common::fixture_site(&["search = true", "paginate = 1"]);
    assert!(same_bytes_both_ways(site.root.path()) > 10);
}

/// Every format of the shared corpus: time codes, media, turn tags, speakers
/// without declared roles, sections from chapters, very long transcripts.
#[test]
fn every_transcript_of_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("content")).unwrap();
    fs::write(
        dir.path().join("site.toml"),
        // One transcript per listing page: many pages, with gaps in the pager.
        "title = \"Corpus\"\nbase_url = \"https://example.org/\"\nsearch = false\npaginate = 1\n",
    )
    .unwrap();
    let corpus = common::shared().join("corpus");
    let mut copied = 0;
    for entry in walkdir::WalkDir::new(&corpus)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some((stem, ext)) = name.rsplit_once('.') else {
            continue;
        };
        // Only the files that are transcripts (tests/formats.rs lists the
        // others and why they are refused). Sidecars come along.
        if ext == "toml" {
            fs::copy(entry.path(), dir.path().join("content").join(&name)).unwrap();
            continue;
        }
        let Some(format) = verbatim::ingest::Format::of(entry.path()) else {
            continue;
        };
        let options = verbatim::ingest::IngestOptions::default();
        let bytes = fs::read(entry.path()).unwrap();
        if verbatim::ingest::parse_bytes(format, &name, &bytes, stem, &options).is_err() {
            continue;
        }
        fs::copy(
            entry.path(),
            dir.path().join(format!("content/{stem}-{ext}.{ext}")),
        )
        .unwrap();
        copied += 1;
    }
    assert!(
        copied >= 24,
        "the corpus is missing at {}",
        corpus.display()
    );
    assert!(same_bytes_both_ways(dir.path()) > copied * 4);
}

/// A site of one transcript, `content/talk.md` holding `transcript`, with
/// a templates/ folder for the test's overrides.
fn one_transcript_site(transcript: &str) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    fs::create_dir_all(root.path().join("content")).unwrap();
    fs::create_dir_all(root.path().join("templates")).unwrap();
    fs::write(
        root.path().join("site.toml"),
        "title = \"T\"\nbase_url = \"https://example.org/\"\n",
    )
    .unwrap();
    fs::write(root.path().join("content/talk.md"), transcript).unwrap();
    root
}

/// Every page of the site at `root`, rendered.
fn render_site(root: &Path) -> Vec<Page> {
    let config = verbatim::config::Config::load(root).unwrap();
    let site = verbatim::site::load(root, config, false).unwrap().site;
    Renderer::new(root).unwrap().render(&site).unwrap()
}

/// A site that overrides a template the compiled theme stands in for gets
/// its own template, not the compiled page.
#[test]
fn an_overridden_template_is_used() {
    let root = one_transcript_site(
        "+++\ntitle = \"Talk\"\ninterviewer = \"Host\"\ninterviewee = \"Guest\"\n+++\n\n## One\n\n**Q:** Why?\n\n**A:** Because.\n",
    );
    // Each override changes what the page shows, so the page tells which
    // template wrote it.
    for (name, from, to) in [
        (
            "section.html",
            "<article class=\"section-page\">",
            "<article class=\"section-page own-section\">",
        ),
        (
            "macros.html",
            "<section class=\"exchange\"",
            "<section class=\"exchange own-macros\"",
        ),
        (
            "base.html",
            "<p class=\"made-with\">",
            "<p class=\"made-with\">own-base ",
        ),
    ] {
        let theme = verbatim::render::THEME_TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap()
            .1;
        assert!(theme.contains(from), "{name} has {from}");
        fs::write(
            root.path().join("templates").join(name),
            theme.replace(from, to),
        )
        .unwrap();
        let pages = render_site(root.path());
        let page = |path: &str| {
            let page = pages.iter().find(|p| p.path == path).unwrap();
            String::from_utf8_lossy(&page.bytes).into_owned()
        };
        let section = page("talk/one/index.html");
        assert!(section.contains(to), "{name} is used for the section page");
        // The full page uses the overridden macros and base, not section.html.
        let full = page("talk/full/index.html");
        assert_eq!(full.contains(to), name != "section.html", "{name}");
        // Whatever is overridden, the page is what Tera makes of it.
        same_bytes_both_ways(root.path());
        fs::remove_file(root.path().join("templates").join(name)).unwrap();
    }
}

/// A speaker page's answers are counted only when a template asks: the
/// compiled theme shows no count, and a site's own speaker.html that prints
/// `ans.word_count` gets each answer's words.
#[test]
fn a_speaker_template_reads_each_answers_word_count() {
    let root = one_transcript_site(
        "+++\ntitle = \"Talk\"\ninterviewer = \"Host\"\ninterviewee = \"Guest\"\n+++\n\n## One\n\n\
         **Q:** Why?\n\n**A:** Because it was  there,\nand then\n\nsome more.\n\n\
         **Q:** And?\n\n**A:** Nothing.\n",
    );
    fs::write(
        root.path().join("templates/speaker.html"),
        "{% for a in appearances %}{% for ans in a.answers %}[{{ ans.id }}:{{ ans.word_count }}]{% endfor %}{% endfor %}",
    )
    .unwrap();
    let pages = render_site(root.path());
    let guest = pages
        .iter()
        .find(|p| p.path == "speakers/guest/index.html")
        .expect("the guest's page");
    assert_eq!(String::from_utf8_lossy(&guest.bytes), "[t2:8][t4:1]");
}

/// A German site with Chinese and Arabic transcripts: each page's `lang`
/// and `dir`, cards in another language, dates as each language writes them.
#[test]
fn the_languages_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    assert!(same_bytes_both_ways(&root) > 10);
}
