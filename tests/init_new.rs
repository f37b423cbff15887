//! `verbatim init` and `verbatim new`, run as a user runs them: the binary,
//! in a temporary folder, followed by a build whose pages are read back.

use std::path::Path;
use std::process::{Command, Output};

fn verbatim(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the verbatim binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn init_then_build_succeeds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = verbatim(tmp.path(), &["init", "mysite"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let site = tmp.path().join("mysite");
    for file in ["site.toml", "content/welcome.md", "templates/README.md"] {
        assert!(site.join(file).is_file(), "{file} missing");
    }
    assert!(site.join("static").is_dir());

    let out = verbatim(&site, &["build"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The example has no warnings: a new user's first build is clean.
    assert_eq!(text(&out.stderr), "");
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("Welcome to your transcript site"), "{home}");
    let section =
        std::fs::read_to_string(site.join("public/welcome/getting-started/index.html")).unwrap();
    assert!(section.contains("What is this file?"), "{section}");
    // The note on overriding the theme is not mistaken for a template or asset.
    assert!(!site.join("public/README.md").exists());
}

#[test]
fn init_refuses_a_folder_with_files_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("site.toml"), "title = \"Mine\"\n").unwrap();
    let out = verbatim(tmp.path(), &["init"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not empty"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("--force"),
        "{}",
        text(&out.stderr)
    );
    assert!(!tmp.path().join("content").exists());

    let out = verbatim(tmp.path(), &["init", "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("kept     site.toml"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("site.toml")).unwrap(),
        "title = \"Mine\"\n"
    );
    assert!(tmp.path().join("content/welcome.md").is_file());
}

#[test]
fn new_then_build_includes_the_new_transcript() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(verbatim(tmp.path(), &["init"]).status.success());
    let out = verbatim(
        tmp.path(),
        &[
            "new",
            "A Talk with Ada Lovelace",
            "--interviewer",
            "Jo Reporter",
            "--interviewee",
            "Ada Lovelace",
            "--date",
            "2026-05-04",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = tmp.path().join("content/a-talk-with-ada-lovelace.md");
    assert!(text(&out.stdout).contains("a-talk-with-ada-lovelace.md"));
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("date = 2026-05-04"), "{written}");

    let out = verbatim(tmp.path(), &["build"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let home = std::fs::read_to_string(tmp.path().join("public/index.html")).unwrap();
    assert!(home.contains("A Talk with Ada Lovelace"), "{home}");
    let page = std::fs::read_to_string(
        tmp.path()
            .join("public/a-talk-with-ada-lovelace/opening/index.html"),
    )
    .unwrap();
    assert!(page.contains("Ada Lovelace"), "{page}");
    assert!(page.contains("The first question."), "{page}");

    // A second `new` with the same title leaves the edited file alone.
    std::fs::write(&file, format!("{written}\nAda Lovelace: Edited.\n")).unwrap();
    let out = verbatim(tmp.path(), &["new", "A Talk with Ada Lovelace"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("already exists"));
    assert!(std::fs::read_to_string(&file).unwrap().contains("Edited."));
}

#[test]
fn new_dates_today_by_default_and_takes_a_slug() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(verbatim(tmp.path(), &["init"]).status.success());
    let out = verbatim(
        tmp.path(),
        &["new", "Ünïcode Tïtle!", "--slug", "Short One"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(tmp.path().join("content/short-one.md")).unwrap();
    let today = jiff::Zoned::now().date().to_string();
    assert!(written.contains(&format!("date = {today}")), "{written}");
    assert!(written.contains("slug = \"short-one\""), "{written}");
    assert!(verbatim(tmp.path(), &["build"]).status.success());
    assert!(tmp.path().join("public/short-one/index.html").is_file());
}
