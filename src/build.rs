//! The `build` command as a library call: settings, then the pipeline stages
//! in order, timing each.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::{output, render, search, site};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Pages rendered before they are written: enough to keep both cores busy,
/// few enough that memory stays flat as the site grows (about 40 MB of HTML
/// for the synthetic corpus's transcripts).
pub(crate) const BATCH_PAGES: usize = 2048;

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site root: the folder with site.toml, content/, templates/, static/.
    pub root: PathBuf,
    /// Output folder; `output_dir` of site.toml (under the root) when `None`.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` of site.toml.
    pub base_url: Option<String>,
    /// Include transcripts marked `draft = true`.
    pub drafts: bool,
    /// Replaces the build's date (`2026-12-07`), for embargoes.
    pub today: Option<String>,
}

impl BuildOptions {
    /// `site.toml` of the root, with the options' replacements.
    pub fn config(&self) -> Result<Config, Diagnostic> {
        let mut config = Config::load(&self.root)?;
        if let Some(base_url) = &self.base_url {
            config = config.with_base_url(base_url);
        }
        if let Some(today) = &self.today {
            config = config
                .with_today(today)
                .map_err(|why| Diagnostic::error(crate::config::CONFIG_FILE, why))?;
        }
        Ok(config)
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub transcripts: usize,
    pub pages: usize,
    pub static_files: usize,
    pub output: PathBuf,
    pub warnings: Vec<Diagnostic>,
    /// Time per stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Builds the site at `options.root`. On error nothing under the output
/// folder has changed.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    build_observed(options, &|_| {})
}

/// [`build`], calling `on_stage` with each stage's name (`read`, `render`,
/// `write`) as it starts, so a caller can show progress.
pub fn build_observed(
    options: &BuildOptions,
    on_stage: &dyn Fn(&'static str),
) -> Result<BuildReport, Diagnostics> {
    let fail = |d: Vec<Diagnostic>| Diagnostics(d).sorted();
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };

    let config = options.config().map_err(|d| fail(vec![d]))?;
    let output_dir = output_dir(&options.root, &config, options.output.as_deref());
    let output_options = output::OutputOptions {
        keep_dotfiles: config.keep_dotfiles,
    };

    on_stage("read");
    // Compiling the templates is one thread's work that needs no
    // transcript: done while they are read, it costs no time of its own.
    let (loaded, renderer) = rayon::join(
        || site::load(&options.root, config, options.drafts),
        || render::Renderer::new(&options.root),
    );
    let loaded = loaded.map_err(fail)?;
    lap("read", &mut timings);
    on_stage("render");
    let renderer = renderer.map_err(fail)?;
    // Render and write in batches, so memory holds one batch of pages rather
    // than the whole site; the output is swapped in only after the last one.
    // Rendering and writing are one streamed stage; "write" is what is left
    // after the last batch (static files, swapping the folder in).
    let staging = output::Staging::begin(&options.root, &output_dir, &output_options)
        .map_err(|d| fail(vec![d]))?;
    // The search index is made from the model, not the pages, so it is made
    // while the pages are rendered, on the same two cores: each fills the
    // other's idle moments (the one-thread steps between parallel ones).
    // `search = false` makes none.
    let search = loaded.site.config.search;
    let (rendered, indexed) = rayon::join(
        || {
            renderer.render_each(&loaded.site, BATCH_PAGES, |path, bytes| {
                staging.write_page(path, bytes)
            })
        },
        || {
            if search {
                search::write_index(&loaded.site, |path, bytes| staging.write_page(path, bytes))
            } else {
                Ok(())
            }
        },
    );
    // A write that failed (a full disk, say) stopped every write after it:
    // `errors` reports it once, not once per page.
    let mut errors = rendered.err().unwrap_or_default();
    errors.extend(indexed.err());
    if !errors.is_empty() {
        return Err(fail(staging.errors(errors)));
    }
    lap(
        if search {
            "render+search"
        } else {
            "render+write"
        },
        &mut timings,
    );
    on_stage("write");
    let written = staging.finish().map_err(|d| fail(vec![d]))?;
    lap("finish", &mut timings);

    let report = BuildReport {
        transcripts: loaded.site.transcripts.len(),
        pages: written.pages,
        static_files: written.static_files,
        output: output_dir,
        warnings: Diagnostics(loaded.warnings).sorted().0,
        timings,
    };
    // Freeing the model of a large site (millions of small strings) takes
    // a while and nothing waits for it: let another thread do it while the
    // report goes out (a command that exits first simply skips it).
    std::thread::spawn(move || drop(loaded.site));
    Ok(report)
}

/// `--output` as given (relative to the working folder, like any path on a
/// command line), else `output_dir` from site.toml, relative to the root.
pub fn output_dir(root: &Path, config: &Config, flag: Option<&Path>) -> PathBuf {
    match flag {
        Some(p) => p.to_path_buf(),
        None => root.join(&config.output_dir),
    }
}
