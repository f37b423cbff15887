//! A full disk, for real: the output folder on a 2 MB tmpfs, a site bigger
//! than that. The build stops at the first failed write and says so once
//! (it once printed 277 lines of "No space left on device"), names the
//! output folder and the fix, deletes its staging folder and leaves the
//! previous output as it was.
//!
//! Mounting needs root, as CI runs (`.ci/run`, with `--include-ignored`):
//! the test is ignored by a plain `cargo test`, and when it runs, a failed
//! mount fails it. The reporting is also tested with injected errors by
//! `output::tests` in the library (`a_full_disk_is_reported_once_and_stops_the_build`).

mod common;

use common::{names, run_limited, snapshot, transcript, Site};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A tmpfs of `size` mounted on a fresh temporary folder, unmounted on drop
/// (even when the test fails).
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Result<Tmpfs, String> {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status();
        match status {
            Ok(s) if s.success() => Ok(Tmpfs { dir }),
            other => Err(format!("{other:?}")),
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn df(dir: &Path) -> String {
    let out = Command::new("df").arg(dir).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Needs root to mount a small tmpfs: ignored by a plain `cargo test`, run
/// by `cargo test -- --include-ignored` (as `.ci/run` does, as root), where
/// failing to mount fails the test rather than passing it unrun.
#[test]
#[ignore = "mounts a tmpfs: needs root (run with --include-ignored)"]
fn a_full_disk_is_one_error_and_the_previous_output_is_kept() {
    let disk = Tmpfs::mount("2m")
        .unwrap_or_else(|e| panic!("mounting a 2 MB tmpfs failed ({e}): this test needs root"));
    let site = Site::new("");
    site.write("content/one.md", transcript("One", 1));
    let output = disk.path().join("public");
    let output_arg = output.to_string_lossy().into_owned();
    let args = ["build", "--output", &output_arg];

    // A small first build fits.
    let first = run_limited(site.root(), &args, Duration::from_secs(60), 2048);
    assert_eq!(
        first.code,
        Some(0),
        "{}\n{}",
        first.stderr,
        df(&disk.path())
    );
    let before = snapshot(&output);

    // Then 40 transcripts of 20 sections: some 10 MB of pages.
    for i in 0..40 {
        site.write(
            &format!("content/talk-{i}.md"),
            transcript(&format!("Talk {i}"), 20),
        );
    }
    let run = run_limited(site.root(), &args, Duration::from_secs(60), 2048);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let stderr = &run.stderr;
    assert_eq!(
        stderr.matches("the disk is full").count(),
        1,
        "one error, not one per file:\n{stderr}"
    );
    assert!(!stderr.contains("No space left"), "{stderr}");
    assert!(stderr.contains("Build failed: 1 error;"), "{stderr}");
    assert!(stderr.contains(&output_arg), "names the output: {stderr}");
    assert!(
        stderr.contains(&format!(
            "free space on the disk of {}",
            disk.path().display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("choose another output folder"), "{stderr}");
    assert!(stderr.contains("the previous output takes"), "{stderr}");
    assert!(stderr.lines().count() < 20, "a short report:\n{stderr}");

    // Nothing of the failed build is left; the previous output is whole.
    assert_eq!(snapshot(&output), before);
    assert_eq!(names(&disk.path()), [".public.verbatim-lock", "public"]);
    // And with room again (the new pages elsewhere), the site builds.
    fs::remove_dir_all(site.root().join("content")).unwrap();
    site.write("content/one.md", transcript("One", 2));
    let again = run_limited(site.root(), &args, Duration::from_secs(60), 2048);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
}
