//! `verbatim check`, run as a user runs it: exit codes and messages for a
//! clean site, a site with warnings, and a site with errors; nothing written.

use std::path::Path;
use std::process::{Command, Output};

fn verbatim(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the verbatim binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"Checks\"\nbase_url = \"https://example.org/\"\n",
    )
    .unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const GOOD: &str = "+++\ntitle = \"Good\"\ninterviewee = \"Ann\"\n+++\n\n## Start\n\nQ: Hello?\n\nAnn: Hi, see [the other](@/other#q1).\n";
const OTHER: &str = "+++\ntitle = \"Other\"\n+++\n\nQ: One?\n\nA: Two.\n";

#[test]
fn a_clean_site_passes_and_nothing_is_written() {
    let dir = site(&[("content/good.md", GOOD), ("content/other.md", OTHER)]);
    let out = verbatim(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Checked 2 transcripts"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("no problems"), "{}", stdout(&out));
    assert!(!dir.path().join("public").exists());
}

#[test]
fn warnings_are_listed_and_strict_makes_them_errors() {
    let with_empty = format!("{OTHER}\n## Nothing here yet\n");
    let dir = site(&[("content/other.md", &with_empty)]);
    let out = verbatim(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("content/other.md:9:1"), "{err}");
    assert!(err.contains("has no turns"), "{err}");
    assert!(
        stdout(&out).contains("0 errors, 1 warning"),
        "{}",
        stdout(&out)
    );

    let out = verbatim(dir.path(), &["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("1 error, 0 warnings"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn errors_name_file_and_line_and_exit_1() {
    let unknown = "+++\ntitle = \"U\"\ninterviewer = \"Bo\"\ninterviewee = \"Ann\"\n+++\n\nBo: Hi?\n\nCarl: Who am I?\n";
    let broken = "Q: Where?\n\nA: [Nowhere](@/missing-page).\n";
    let bad_front = "+++\ntitle = \"B\"\ndate = \"last week\"\ntitel = 1\n+++\n\nQ: x\n";
    let dir = site(&[
        ("content/unknown.md", unknown),
        ("content/broken.md", broken),
        ("content/bad-front.md", bad_front),
        ("content/dup.md", OTHER),
        ("content/sub/dup.md", OTHER),
    ]);
    let out = verbatim(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/unknown.md:9:1"), "{err}");
    assert!(err.contains("unknown speaker label \"Carl\""), "{err}");
    assert!(err.contains("content/broken.md:3:4"), "{err}");
    assert!(err.contains("broken link @/missing-page"), "{err}");
    assert!(err.contains("content/bad-front.md:4:1"), "{err}");
    assert!(err.contains("titel"), "{err}");
    assert!(err.contains("both map to /dup/"), "{err}");
    // The offending line is shown with a caret under it.
    assert!(err.contains("A: [Nowhere](@/missing-page)."), "{err}");
    assert!(err.contains("4 errors"), "{err}");
    assert!(!dir.path().join("public").exists());
}

#[test]
fn build_resolves_links_relative_to_each_page() {
    let dir = site(&[("content/good.md", GOOD), ("content/other.md", OTHER)]);
    let out = verbatim(dir.path(), &["build", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(dir.path().join("public/good/start/index.html")).unwrap();
    assert!(page.contains(r#"href="../../other/other/#q1""#), "{page}");
    let full = std::fs::read_to_string(dir.path().join("public/good/full/index.html")).unwrap();
    assert!(full.contains(r#"href="../../other/other/#q1""#), "{full}");
}

#[test]
fn a_static_file_that_would_replace_a_page_is_an_error() {
    let dir = site(&[
        ("content/other.md", OTHER),
        ("static/index.html", "<p>mine</p>"),
        ("static/verbatim.css", "body { color: teal }"),
    ]);
    let out = verbatim(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "static/index.html: error: this file would replace the generated page index.html"
        ),
        "{err}"
    );
    // Replacing the theme's style sheet is allowed.
    assert!(!err.contains("static/verbatim.css"), "{err}");
    // The build agrees.
    assert_eq!(verbatim(dir.path(), &["build"]).status.code(), Some(1));
}

/// `check` shows a word ledger per imported transcript: the words of speech
/// in the source, on the site, and left out, with the warnings that say why.
#[test]
fn check_shows_the_word_ledger() {
    let vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ann>Hello there, all of you.\n\n\
               just some words without a timing line\n\n00:02.000 --> 00:04.000\n<v Bo>Hi Ann.\n";
    let otter =
        "Ann  0:00\nWe begin now.\n\nBo  0:05\nYes we do.\n\nTranscribed by https://otter.ai\n";
    let dir = site(&[
        ("content/good.md", GOOD),
        ("content/other.md", OTHER),
        ("content/talk.vtt", vtt),
        ("content/otter.txt", otter),
    ]);
    let out = verbatim(dir.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Word ledger"), "{text}");
    // 5 + 2 words said, 7 words of a block without timing left out.
    assert!(
        text.contains("content/talk.vtt: 14 = 7 + 7 (the warning above"),
        "{text}"
    );
    // Otter's credit is three words left out.
    assert!(text.contains("content/otter.txt: 9 = 6 + 3"), "{text}");
    assert!(text.contains("2 native files:"), "{text}");
    assert!(
        stderr(&out).contains("without a timing line"),
        "{}",
        stderr(&out)
    );
}
