//! What a person sees while a build runs: a progress bar on a terminal
//! (indicatif), nothing at all when the output is piped or `--quiet`, and
//! with `--verbose` the figures of every stage afterwards.

use crate::build::{build_observed, BuildOptions, BuildReport};
use crate::diagnostic::Diagnostics;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// The stages of a build, in order, as the bar names them.
const STAGES: [(&str, &str); 3] = [
    ("read", "reading transcripts"),
    ("render", "rendering pages"),
    ("write", "writing the site"),
];

/// Builds, drawing a bar on stderr when `show` and stderr is a terminal.
pub fn build_with_bar(options: &BuildOptions, show: bool) -> Result<BuildReport, Diagnostics> {
    let target = if show && std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(STAGES.len() as u64), target);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:24}] {pos}/{len} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    // Short builds finish before the first tick and never show a bar.
    bar.enable_steady_tick(Duration::from_millis(120));
    let result = build_observed(options, &|stage| {
        if let Some(i) = STAGES.iter().position(|(name, _)| *name == stage) {
            bar.set_position(i as u64);
            bar.set_message(STAGES[i].1);
        }
    });
    bar.finish_and_clear();
    result
}

/// The figures of a finished build, one per line, for `--verbose`.
pub fn details(report: &BuildReport) -> String {
    let mut out = format!(
        "  transcripts   {}\n  pages         {}\n  static files  {}\n  warnings      {}\n  output        {}\n",
        report.transcripts,
        report.pages,
        report.static_files,
        report.warnings.len(),
        report.output.display()
    );
    for (stage, took) in &report.timings {
        out.push_str(&format!(
            "  {stage:<13} {:.1} ms\n",
            took.as_secs_f64() * 1000.0
        ));
    }
    out
}
