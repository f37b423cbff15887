//! The output folder is never lost: failed and killed builds leave the
//! previous output byte for byte, leftovers of killed builds are cleaned up
//! (only folders verbatim made), user dotfiles are kept, and outputs that
//! would swallow the user's sources are refused.

mod common;

use common::{names, snapshot, transcript, Site};
use std::fs;
use verbatim::output::{MARKER, STAGING_MARKER};

/// A built site with a `.git` folder in its output, as a user publishing
/// with git has.
fn built_site_with_git() -> Site {
    let site = Site::new("");
    site.write("content/one.md", transcript("One", 3));
    site.write("content/two.md", transcript("Two", 2));
    site.build().expect("first build");
    site.write("public/.git/config", "[core]\n");
    site.write("public/.git/objects/ab/cdef", [0u8, 1, 2, 255]);
    site.write("public/.nojekyll", "");
    site
}

#[test]
fn a_template_error_leaves_the_previous_output_byte_identical() {
    let site = built_site_with_git();
    let before = snapshot(&site.output());
    site.write("content/three.md", transcript("Three", 4));
    site.write(
        "templates/section.html",
        "{% extends \"base.html\" %}{% block main %}{{ no_such_variable.field }}{% endblock main %}",
    );
    let err = site
        .build()
        .expect_err("the template error fails the build");
    assert!(err.to_string().contains("no_such_variable"), "{err}");
    assert_eq!(snapshot(&site.output()), before);
    assert_leftovers_gone(&site);
}

#[test]
fn a_write_that_fails_half_way_leaves_the_previous_output_byte_identical() {
    let site = built_site_with_git();
    let before = snapshot(&site.output());
    site.write("content/three.md", transcript("Three", 4));
    // Pages are written first; then copying this static file fails, because
    // the link points nowhere.
    site.write("static/logo.png", [137u8, 80, 78, 71]);
    std::os::unix::fs::symlink(
        "/nonexistent/verbatim-test",
        site.root().join("static/zz.css"),
    )
    .unwrap();
    let err = site
        .build()
        .expect_err("the broken static file fails the build");
    assert!(err.to_string().contains("static"), "{err}");
    assert_eq!(snapshot(&site.output()), before);
    assert_leftovers_gone(&site);
}

#[test]
fn dotfiles_of_the_output_are_kept_by_default() {
    let site = built_site_with_git();
    site.write("content/three.md", transcript("Three", 1));
    site.build().expect("second build");
    let out = site.output();
    assert_eq!(
        fs::read(out.join(".git/objects/ab/cdef")).unwrap(),
        [0, 1, 2, 255]
    );
    assert!(out.join(".nojekyll").is_file());
    assert!(out.join("three/index.html").is_file());
    assert_leftovers_gone(&site);
}

#[test]
fn keep_dotfiles_false_drops_them_from_verbatims_own_output() {
    let site = built_site_with_git();
    site.write("site.toml", "title = \"Test\"\nkeep_dotfiles = false\n");
    site.build().expect("second build");
    let out = site.output();
    assert!(!out.join(".git").exists());
    assert!(!out.join(".nojekyll").exists());
    assert!(out.join(MARKER).is_file());
}

#[test]
fn a_folder_of_only_the_users_dotfiles_is_adopted_and_its_dotfiles_kept() {
    // A fresh clone of a publishing branch: .git and nothing else, no marker.
    // Even keep_dotfiles = false does not delete what verbatim never wrote.
    let site = Site::new("keep_dotfiles = false");
    site.write("content/one.md", transcript("One", 1));
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    site.build().expect("build");
    assert_eq!(
        fs::read_to_string(site.output().join(".git/HEAD")).unwrap(),
        "ref: refs/heads/gh-pages\n"
    );
    assert!(site.output().join("one/index.html").is_file());
}

#[test]
fn an_output_with_the_users_files_is_refused_and_untouched() {
    let site = Site::new("");
    site.write("content/one.md", transcript("One", 1));
    site.write("public/thesis.docx", "my only copy");
    let before = snapshot(&site.output());
    let err = site.build().expect_err("refused");
    let text = err.to_string();
    assert!(text.contains("did not write"), "{text}");
    assert!(text.contains("thesis.docx"), "{text}");
    assert_eq!(snapshot(&site.output()), before);
}

#[test]
fn outputs_that_hold_the_sources_are_refused() {
    let site = Site::new("");
    site.write("content/one.md", transcript("One", 1));
    site.write("templates/x.html", "x");
    site.write("static/x.css", "x");
    let root = site.root().to_path_buf();
    let parent = root.parent().unwrap().to_path_buf();
    for (output, why) in [
        (root.clone(), "site root"),
        (parent, "site root"),
        (root.join("content"), "content/"),
        (root.join("content/sub"), "content/"),
        (root.join("templates"), "templates/"),
        (root.join("static"), "static/"),
        (root.join("public/../content"), "content/"),
        (std::path::PathBuf::from("/"), "file system root"),
    ] {
        let before = snapshot(&root);
        let err = verbatim::build(&verbatim::BuildOptions {
            root: root.clone(),
            output: Some(output.clone()),
            ..Default::default()
        })
        .expect_err("refused");
        assert!(
            err.to_string().contains("refusing") && err.to_string().contains(why),
            "{output:?}: {err}"
        );
        assert_eq!(snapshot(&root), before, "{output:?}");
    }
}

#[test]
fn an_output_holding_the_home_folder_is_refused() {
    let site = Site::new("");
    site.write("content/one.md", transcript("One", 1));
    let home = tempfile::tempdir().unwrap();
    let fake_home = home.path().join("user");
    fs::create_dir(&fake_home).unwrap();
    fs::write(fake_home.join("notes.txt"), "mine").unwrap();
    let output = home.path().to_string_lossy().into_owned();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["build", "--output", &output])
        .current_dir(site.root())
        .env("HOME", &fake_home)
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(stderr.contains("home folder"), "{stderr}");
    assert_eq!(
        fs::read_to_string(fake_home.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn an_output_that_is_a_file_is_refused() {
    let site = Site::new("");
    site.write("content/one.md", transcript("One", 1));
    site.write("public", "a file");
    let err = site.build().expect_err("refused");
    assert!(err.to_string().contains("not a folder"), "{err}");
    assert_eq!(fs::read_to_string(site.output()).unwrap(), "a file");
}

/// Every refusal comes before the lock file (and any folder) is made: a
/// refused build leaves nothing beside the folder it refused. `--output /etc`
/// once left `/.etc.verbatim-lock` in the file-system root; here `etc` is a
/// folder of the user's in a temporary folder.
#[test]
fn refused_outputs_leave_no_lock_file_beside_them() {
    let site = Site::new("");
    site.write("content/one.md", transcript("One", 1));
    let elsewhere = tempfile::tempdir().unwrap();
    let etc = elsewhere.path().join("etc");
    fs::create_dir(&etc).unwrap();
    fs::write(etc.join("passwd"), "root:x:0:0").unwrap();
    site.write("public", "a file");
    let root = site.root().to_path_buf();
    for (output, why) in [
        (etc.clone(), "did not write"),
        (root.join("public"), "not a folder"),
        (root.join("content/public"), "content/"),
        (root.join("content/new/deeper/public"), "content/"),
        (root.join("templates/public"), "templates/"),
    ] {
        let beside = output.parent().unwrap().to_path_buf();
        let before_names = if beside.exists() {
            names(&beside)
        } else {
            Vec::new()
        };
        let err = verbatim::build(&verbatim::BuildOptions {
            root: root.clone(),
            output: Some(output.clone()),
            ..Default::default()
        })
        .expect_err("refused");
        assert!(err.to_string().contains(why), "{output:?}: {err}");
        let after_names = if beside.exists() {
            names(&beside)
        } else {
            Vec::new()
        };
        assert!(
            !after_names.iter().any(|n| n.ends_with(".verbatim-lock")),
            "{output:?}: a lock file was left beside it: {after_names:?}"
        );
        assert_eq!(after_names, before_names, "{output:?}");
    }
    // Nothing was made for the outputs that did not exist, either.
    assert!(!root.join("content/new").exists());
    assert!(!root.join("content/public").exists());
    assert_eq!(
        fs::read_to_string(etc.join("passwd")).unwrap(),
        "root:x:0:0"
    );
    // The command line refuses the same way.
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["build", "--output"])
        .arg(&etc)
        .current_dir(site.root())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(names(elsewhere.path()), ["etc"]);
}

#[test]
fn leftovers_of_killed_builds_are_cleaned_but_only_verbatims() {
    let site = built_site_with_git();
    let root = site.root();
    // An unfinished build (staging marker): deleted.
    site.write(".public.verbatim-new-999999/x/index.html", "half");
    site.write(&format!(".public.verbatim-new-999999/{STAGING_MARKER}"), "");
    // Our name but no marker and a user's file: not ours, left alone.
    site.write(".public.verbatim-new-888888/important.txt", "keep me");
    // A previous output caught mid-swap, with a dotfile the output lacks.
    site.write(".public.verbatim-old-777777/.well-known/x", "kept");
    site.write(".public.verbatim-old-777777/one/index.html", "old page");
    site.write(&format!(".public.verbatim-old-777777/{MARKER}"), "");
    site.build().expect("build");
    let left = names(root);
    assert!(
        !left
            .iter()
            .any(|n| n.contains("999999") || n.contains("777777")),
        "{left:?}"
    );
    assert_eq!(
        fs::read_to_string(root.join(".public.verbatim-new-888888/important.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(
        fs::read_to_string(site.output().join(".well-known/x")).unwrap(),
        "kept"
    );
    assert!(site.output().join(".git/config").is_file());
}

#[test]
fn an_output_missing_after_a_kill_mid_swap_is_restored_with_its_dotfiles() {
    let site = built_site_with_git();
    // Killed between moving the old output aside and moving the new one in
    // (the non-atomic fallback): the output is gone, the old one is beside it.
    fs::rename(
        site.output(),
        site.root().join(".public.verbatim-old-424242"),
    )
    .unwrap();
    site.write("content/three.md", transcript("Three", 1));
    site.build().expect("build");
    assert!(site.output().join(".git/objects/ab/cdef").is_file());
    assert!(site.output().join("three/index.html").is_file());
    assert_leftovers_gone(&site);
}

#[test]
fn a_second_build_while_one_holds_the_lock_is_refused() {
    let site = built_site_with_git();
    let before = snapshot(&site.output());
    let lock = fs::File::create(site.root().join(".public.verbatim-lock")).unwrap();
    lock.lock().unwrap();
    site.write("content/three.md", transcript("Three", 1));
    let err = site.build().expect_err("locked");
    assert!(err.to_string().contains("another verbatim build"), "{err}");
    assert_eq!(snapshot(&site.output()), before);
    drop(lock);
    site.build().expect("after the lock is released");
}

#[test]
fn killed_builds_leave_the_old_or_the_new_output_never_a_mix() {
    // Big enough that a build takes a while. Each round kills a build with
    // SIGKILL at another stage, found by watching the folder beside the
    // output: while the staging folder fills, and after the swap while the
    // old output is being deleted. The output must then be exactly one
    // whole build.
    let site = Site::new("");
    for i in 0..80 {
        site.write(
            &format!("content/t{i:03}.md"),
            transcript(&format!("T{i}"), 4),
        );
    }
    site.build().expect("first build");
    site.write("public/.git/config", "[core]\n");
    let old = snapshot(&site.output());
    // The same site with one more transcript, built elsewhere: the "new" tree.
    site.write("content/zzz.md", transcript("New", 2));
    let other = tempfile::tempdir().unwrap();
    let new_out = other.path().join("out");
    verbatim::build(&verbatim::BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(new_out.clone()),
        ..Default::default()
    })
    .expect("reference build");
    let new_without_dotfiles = snapshot(&new_out);
    let mut new = new_without_dotfiles.clone();
    new.insert(".git".into(), b"dir".to_vec());
    new.insert(".git/config".into(), b"[core]\n".to_vec());

    let mut seen = std::collections::BTreeMap::new();
    for round in 0..12usize {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
            .args(["build", "--quiet"])
            .current_dir(site.root())
            .spawn()
            .unwrap();
        // 0: the staging folder exists; 1: it holds some pages; 2: the swap
        // is done (the staging path holds the old output, no staging marker).
        let stage = round % 3;
        let want_entries = 5 + (round * 7) % 70;
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            let staging = names(site.root())
                .into_iter()
                .find(|n| n.starts_with(".public.verbatim-new-"))
                .map(|n| site.root().join(n));
            let hit = match (&staging, stage) {
                (Some(_), 0) => true,
                (Some(dir), 1) => fs::read_dir(dir).map_or(0, |d| d.count()) >= want_entries,
                (Some(dir), _) => !dir.join(STAGING_MARKER).exists() && dir.join(MARKER).exists(),
                (None, _) => false,
            };
            if hit {
                break;
            }
        }
        child.kill().ok(); // SIGKILL: no chance to clean up
        child.wait().unwrap();
        let now = snapshot(&site.output());
        let state = if now == old {
            "old"
        } else if now == new {
            "new"
        } else if now == new_without_dotfiles {
            // Killed between the swap and moving the dotfiles back: they are
            // in the marked old output beside it, and the next build returns them.
            "new, dotfiles beside it"
        } else {
            panic!("round {round}: the output is neither the old nor the new build");
        };
        *seen.entry(state).or_insert(0) += 1;
        if state != "old" {
            // Back to the old content for the next round; this build also
            // cleans up and brings the dotfiles home.
            fs::remove_file(site.root().join("content/zzz.md")).unwrap();
            site.build().unwrap();
            assert_eq!(snapshot(&site.output()), old, "round {round}");
            site.write("content/zzz.md", transcript("New", 2));
        }
    }
    eprintln!("killed builds left: {seen:?}");
    assert!(seen.contains_key("old"), "{seen:?}");
    // The next build cleans up whatever the killed ones left.
    site.build().expect("build after the kills");
    assert_eq!(snapshot(&site.output()), new);
    assert_leftovers_gone(&site);
}

/// No staging or old folder is left beside the output.
fn assert_leftovers_gone(site: &Site) {
    let left: Vec<String> = names(site.root())
        .into_iter()
        .filter(|n| n.contains(".verbatim-new-") || n.contains(".verbatim-old-"))
        .collect();
    assert!(left.is_empty(), "leftovers: {left:?}");
}
