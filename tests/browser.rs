//! The browser suite (tests/browser/) as a cargo test, so one command runs
//! everything: `cargo test -- --include-ignored`. Ignored by default because
//! it needs Debian's chromium, java and `npm ci` in tests/browser (.ci/run
//! installs them); it builds its sites with the binary cargo just built.

use std::process::Command;

#[test]
#[ignore = "needs chromium, java and npm: run with `cargo test -- --include-ignored`"]
fn browser_suite() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/run.sh");
    let output = Command::new("bash")
        .arg(script)
        .env("VERBATIM", env!("CARGO_BIN_EXE_verbatim"))
        .output()
        .expect("bash runs tests/browser/run.sh");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the browser suite failed:\n{stdout}\n{stderr}"
    );
    // Say what ran, in the test's captured output (shown with --nocapture).
    let summary: Vec<&str> = stdout.lines().filter(|l| l.starts_with("# ")).collect();
    println!("{}", summary.join("\n"));
}
