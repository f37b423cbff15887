//! `verbatim check`: everything a build validates (settings, front matter,
//! speaker labels, sections, slugs, links between transcripts, templates),
//! without writing anything. Unlike a build it keeps going after the first
//! failing stage where it can, so one run lists all it can find.

use crate::build::BuildOptions;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::{render, site};

/// What a check found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Transcripts read without error (0 when the content could not be read).
    pub transcripts: usize,
    /// Pages a build would write (0 when it could not render).
    pub pages: usize,
    /// Errors first, then warnings, each sorted by file and line.
    pub diagnostics: Diagnostics,
    /// The word ledger of each transcript, in content order.
    pub ledgers: Vec<crate::ingest::ledger::Ledger>,
}

impl CheckReport {
    /// How many errors and warnings were found.
    /// Errors, warnings and notes.
    pub fn counts(&self) -> (usize, usize, usize) {
        let all = &self.diagnostics.0;
        let errors = self.diagnostics.error_count();
        let warnings = all.iter().filter(|d| d.is_warning()).count();
        (errors, warnings, all.len() - errors - warnings)
    }
}

/// Checks the site at `options.root`. With `strict`, warnings count as
/// errors (and are reported as such); notes stay notes.
pub fn check(options: &BuildOptions, strict: bool) -> CheckReport {
    let mut report = CheckReport::default();
    let mut found: Vec<Diagnostic> = Vec::new();
    let config = match options.config() {
        Ok(c) => c,
        Err(d) => {
            report.diagnostics = finish(vec![d], strict);
            return report;
        }
    };
    // Templates are checked even when the content has errors.
    let renderer = match render::Renderer::new(&options.root) {
        Ok(r) => Some(r),
        Err(e) => {
            found.extend(e);
            None
        }
    };
    match site::load(&options.root, config, options.drafts) {
        Ok(loaded) => {
            report.transcripts = loaded.site.transcripts.len();
            // The warnings that leave words out, by file, so that each
            // transcript's ledger reads its own and not every site's.
            let mut by_file: std::collections::HashMap<&str, Vec<&Diagnostic>> =
                std::collections::HashMap::new();
            for d in loaded.warnings.iter().filter(|d| d.left_out > 0) {
                by_file.entry(d.path.as_str()).or_default().push(d);
            }
            for t in &loaded.site.transcripts {
                let own = by_file.get(t.source_path.as_str()).into_iter().flatten();
                let ledger = crate::ingest::ledger::Ledger::of(t, own.copied());
                if !ledger.balances() {
                    found.push(
                        Diagnostic::warning(
                            &ledger.path,
                            format!(
                                "the word ledger does not balance: {} words were read from the source, {} are on the site, and no warning says why {} differ",
                                ledger.read.unwrap_or(0),
                                ledger.on_site,
                                ledger.unexplained().unsigned_abs()
                            ),
                        )
                        .help("this is verbatim's mistake, not the file's: please report it with the file"),
                    );
                }
                report.ledgers.push(ledger);
            }
            found.extend(loaded.warnings);
            if let Some(renderer) = renderer {
                // Rendered batch by batch as a build renders them, keeping
                // only each page's path: holding every page took five times
                // a build's memory at 10,000 transcripts.
                let paths = std::sync::Mutex::new(Vec::new());
                let rendered =
                    renderer.render_each(&loaded.site, crate::build::BATCH_PAGES, |path, _| {
                        paths
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(path.to_string());
                        Ok(())
                    });
                match rendered {
                    Ok(()) => {
                        let paths = paths.into_inner().unwrap_or_else(|e| e.into_inner());
                        report.pages = paths.len();
                        found.extend(static_collisions(options, &paths));
                    }
                    Err(e) => found.extend(e),
                }
            }
        }
        Err(e) => found.extend(e),
    }
    report.diagnostics = finish(found, strict);
    report
}

/// Files in static/ that would replace a generated page (the theme's assets
/// may be replaced; the build refuses anything else).
fn static_collisions(options: &BuildOptions, pages: &[String]) -> Vec<Diagnostic> {
    let statics = match crate::output::static_files(&options.root) {
        Ok(s) => s,
        Err(d) => return vec![d],
    };
    let generated: std::collections::HashSet<&str> = pages
        .iter()
        .map(String::as_str)
        .filter(|p| !render::THEME_ASSETS.iter().any(|(name, _)| name == p))
        .collect();
    statics
        .iter()
        .filter(|(rel, _)| generated.contains(rel.as_str()))
        .map(|(rel, _)| {
            Diagnostic::error(
                format!("{}/{rel}", crate::output::STATIC_DIR),
                format!("this file would replace the generated page {rel}"),
            )
            .help("rename or move the file in static/")
        })
        .collect()
}

fn finish(mut found: Vec<Diagnostic>, strict: bool) -> Diagnostics {
    if strict {
        for d in found.iter_mut().filter(|d| d.is_warning()) {
            d.severity = Severity::Error;
        }
    }
    Diagnostics(found).sorted()
}
