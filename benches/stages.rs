//! Micro-benchmarks of each build stage, so a regression in the whole-build
//! figures of `scripts/bench.py` can be traced to the stage it came from.
//!
//! Run with `cargo bench --bench stages`. The input is 50 transcripts of the
//! synthetic benchmark corpus, generated on the fly with
//! `../shared/bench/gen_corpus.py` (Python 3) into a temporary folder.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;
use verbatim::config::Config;
use verbatim::ingest::normalize::{normalize, Origin};
use verbatim::ingest::{formats::markdown, frontmatter, IngestOptions};
use verbatim::{output, render, site};

const TRANSCRIPTS: usize = 50;

/// A site of `TRANSCRIPTS` generated transcripts (plain layout + site.toml).
fn corpus() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
    let status = Command::new("python3")
        .arg(&generator)
        .args([
            "--n",
            &TRANSCRIPTS.to_string(),
            "--layouts",
            "plain",
            "--out",
        ])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs ../shared/bench/gen_corpus.py");
    assert!(status.success(), "{} failed", generator.display());
    let root = dir.path().join("plain");
    std::fs::write(
        root.join("site.toml"),
        "title = \"Interview transcripts\"\nbase_url = \"https://example.org/\"\n",
    )
    .expect("site.toml written");
    (dir, root)
}

/// The content files, read once, as (display path, stem, text).
fn sources(root: &Path) -> Vec<(String, String, Arc<str>)> {
    let mut files: Vec<_> = std::fs::read_dir(root.join("content"))
        .expect("content/")
        .map(|e| e.expect("an entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("a UTF-8 transcript");
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (site::display_path(root, p), stem, Arc::from(text))
        })
        .collect()
}

fn stages(c: &mut Criterion) {
    let (_keep, root) = corpus();
    let files = sources(&root);
    let bytes: u64 = files.iter().map(|(_, _, t)| t.len() as u64).sum();
    let options = IngestOptions::default();
    let mut group = c.benchmark_group("stages");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Bytes(bytes));

    // ingest: front matter and Markdown into drafts (no normalization).
    group.bench_function("ingest", |b| {
        b.iter(|| {
            for (path, _, text) in &files {
                let split = frontmatter::split(path, text).expect("front matter parses");
                std::hint::black_box(markdown::parse_body(
                    split.body,
                    split.body_offset,
                    &options,
                ));
            }
        })
    });

    // normalize: drafts into the model (speakers, exchanges, ids, slugs).
    group.bench_function("normalize", |b| {
        b.iter_batched(
            || {
                files
                    .iter()
                    .map(|(path, _, text)| {
                        let split = frontmatter::split(path, text).expect("front matter parses");
                        let draft = markdown::parse_body(split.body, split.body_offset, &options);
                        (split.front_matter, draft)
                    })
                    .collect::<Vec<_>>()
            },
            |drafts| {
                for ((fm, draft), (path, stem, text)) in drafts.into_iter().zip(&files) {
                    let origin = Origin {
                        path,
                        text,
                        stem,
                        default_language: "en",
                        today: "2026-12-07",
                        redact: true,
                        words: &options.words,
                    };
                    std::hint::black_box(normalize(fm, draft, &origin).expect("normalizes"));
                }
            },
            BatchSize::LargeInput,
        )
    });

    let config = Config::load(&root).expect("site.toml");
    let loaded = site::load(&root, config, false).expect("the corpus loads");
    let renderer = render::Renderer::new(&root).expect("the theme loads");

    // render: the whole site to pages in memory, with the compiled theme.
    group.bench_function("render", |b| {
        b.iter(|| std::hint::black_box(renderer.render(&loaded.site).expect("renders")))
    });

    // render_tera: the same pages, every one interpreted by Tera from
    // templates/ (what a site that overrides the theme's templates gets).
    let interpreted = render::Renderer::new(&root)
        .expect("the theme loads")
        .interpreted_only();
    group.bench_function("render_tera", |b| {
        b.iter(|| std::hint::black_box(interpreted.render(&loaded.site).expect("renders")))
    });

    // search: the search index files, in memory.
    group.bench_function("search", |b| {
        b.iter(|| std::hint::black_box(verbatim::search::index(&loaded.site)))
    });

    // write: the rendered pages into a fresh output folder (on tmpfs when
    // /dev/shm exists, like the whole-build benchmark).
    let pages = renderer.render(&loaded.site).expect("renders");
    let shm = Path::new("/dev/shm");
    let out_parent = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .expect("a temporary output folder");
    let out = out_parent.path().join("public");
    group.bench_function("write", |b| {
        b.iter(|| output::write(&root, &out, &pages).expect("writes"))
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
