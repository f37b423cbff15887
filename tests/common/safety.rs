//! Helpers of the safety tests (issue 6): fixture sites in temporary
//! folders, whole-tree snapshots, and the verbatim binary run under a time
//! and memory limit.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A site in a temporary folder: site.toml and content/.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// A site with `site.toml` holding `title = "Test"` and `extra` lines.
    pub fn new(extra_config: &str) -> Site {
        let dir = tempfile::tempdir().expect("temporary folder");
        fs::write(
            dir.path().join("site.toml"),
            format!("title = \"Test\"\n{extra_config}\n"),
        )
        .unwrap();
        fs::create_dir(dir.path().join("content")).unwrap();
        Site { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Writes a file under the site root, creating folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        path
    }

    /// Builds with the library, into `public/`.
    pub fn build(&self) -> Result<verbatim::BuildReport, verbatim::Diagnostics> {
        verbatim::build(&verbatim::BuildOptions {
            root: self.root().to_path_buf(),
            ..Default::default()
        })
    }
}

/// A small valid transcript with `sections` sections.
pub fn transcript(title: &str, sections: usize) -> String {
    let mut s = format!(
        "+++\ntitle = \"{title}\"\ndate = 2026-01-02\ninterviewer = \"Ann Asker\"\ninterviewee = \"Bo Answer\"\n+++\n\nAn intro.\n"
    );
    for i in 1..=sections {
        s.push_str(&format!(
            "\n## Part {i}\n\nQ: Question {i} about {title}?\n\nA: Answer {i}, at some length.\n"
        ));
    }
    s
}

/// Every file, folder and link under `dir`, with file bytes: two equal
/// snapshots mean byte-identical trees.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().min_depth(1) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let ft = entry.file_type();
        let value = if ft.is_symlink() {
            let mut v = b"link:".to_vec();
            v.extend(
                fs::read_link(entry.path())
                    .unwrap()
                    .to_string_lossy()
                    .bytes(),
            );
            v
        } else if ft.is_dir() {
            b"dir".to_vec()
        } else {
            fs::read(entry.path()).unwrap()
        };
        out.insert(rel, value);
    }
    out
}

/// Names of the entries of `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// What a run of the binary did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// Runs `verbatim ARGS` in `cwd` with at most `memory_mb` of address space
/// and `cpu` of processor time (util-linux `prlimit`: the kernel stops the
/// process past either, however loaded the machine is), and kills it after
/// ten times `cpu` of wall time. Panics (fails the test) if it is stopped.
pub fn run_limited(cwd: &Path, args: &[&str], cpu: Duration, memory_mb: u64) -> Run {
    let bytes = memory_mb * 1024 * 1024;
    let limit = cpu * 10;
    let mut child = Command::new("prlimit")
        .arg(format!("--as={bytes}"))
        .arg(format!("--cpu={}", cpu.as_secs().max(1)))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("prlimit and the verbatim binary");
    let start = Instant::now();
    // Read the pipes on threads so a chatty child cannot block on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).ok();
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    let status: std::process::ExitStatus = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!("verbatim {args:?} ran longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            panic!(
                "verbatim {args:?} was stopped by signal {signal} (over {cpu:?} of CPU or {memory_mb} MB?)\n{}",
                err_thread.join().unwrap()
            );
        }
    }
    Run {
        code: status.code(),
        stdout: out_thread.join().unwrap(),
        stderr: err_thread.join().unwrap(),
        elapsed: start.elapsed(),
    }
}
