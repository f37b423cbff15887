//! The command line: clap definitions and how each command reports to a
//! person. The work itself is done by the library.

use crate::diagnostic::{Diagnostic, Severity};
use crate::{build, BuildOptions};
use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// A static site generator for interview transcripts.
#[derive(Debug, Parser)]
#[command(name = "verbatim", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site from content/ into the output folder (public/ by default)
    Build(BuildArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site root: the folder that holds site.toml
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Where to write the site (default: output_dir of site.toml, under the root)
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The absolute URL the site is published at (replaces base_url of site.toml)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include transcripts marked draft = true
    #[arg(long)]
    pub drafts: bool,
    /// Print errors only
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs a parsed command line; the exit code is 0 on success, 1 when the
/// site has errors (clap exits with 2 on wrong usage before this).
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => run_build(args),
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let options = BuildOptions {
        root: args.root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
    };
    match build(&options) {
        Ok(report) => {
            for w in &report.warnings {
                print_diagnostic(w);
            }
            if !args.quiet {
                let total: f64 = report.timings.iter().map(|(_, d)| d.as_secs_f64()).sum();
                let stages: Vec<String> = report
                    .timings
                    .iter()
                    .map(|(name, d)| format!("{name} {:.0} ms", d.as_secs_f64() * 1000.0))
                    .collect();
                println!(
                    "Built {} transcript{} into {} files in {} ({:.2} s: {}){}",
                    report.transcripts,
                    plural(report.transcripts),
                    report.pages + report.static_files,
                    report.output.display(),
                    total,
                    stages.join(", "),
                    match report.warnings.len() {
                        0 => String::new(),
                        n => format!(", {n} warning{}", plural(n)),
                    }
                );
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            for (i, d) in diagnostics.0.iter().enumerate() {
                // Past a screenful of reports, one line each is more useful
                // (and does not copy each file's text once per message).
                if i < MAX_SNIPPETS {
                    print_diagnostic(d);
                } else {
                    eprintln!("{}", printable(&d.to_string()));
                }
            }
            let n = diagnostics.error_count();
            eprintln!(
                "Build failed: {n} error{}; the output folder was not changed.",
                plural(n)
            );
            ExitCode::from(1)
        }
    }
}

/// How many diagnostics of one build are shown with their source line.
const MAX_SNIPPETS: usize = 100;

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Prints a diagnostic to stderr: with the source line and a caret when the
/// position is known (miette's report), else as one line.
pub fn print_diagnostic(d: &Diagnostic) {
    let Some((text, span)) = d.source.as_deref() else {
        eprintln!("{}", printable(&d.to_string()));
        return;
    };
    // A snippet of a huge line (a minified or damaged file) helps nobody, and
    // miette copies the whole text for every message: huge files get the
    // one-line form.
    if text.len() > 1 << 20 {
        eprintln!("{}", printable(&d.to_string()));
        return;
    }
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.start..]
        .find('\n')
        .map_or(text.len(), |i| span.start + i);
    if line_end - line_start > 1000 {
        eprintln!("{}", printable(&d.to_string()));
        return;
    }
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    };
    let label_len = span.len().max(1);
    let mut diag =
        miette::MietteDiagnostic::new(printable(&format!("{}: {}", d.location(), d.message)))
            .with_severity(severity)
            .with_label(miette::LabeledSpan::at(
                span.start..span.start + label_len,
                "here",
            ));
    if let Some(help) = &d.help {
        diag = diag.with_help(printable(help));
    }
    let report = miette::Report::new(diag).with_source_code(miette::NamedSource::new(
        printable(&d.path),
        printable(text),
    ));
    let handler = if std::io::stderr().is_terminal() {
        miette::GraphicalReportHandler::new()
    } else {
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
    };
    let mut out = String::new();
    match handler.render_report(&mut out, report.as_ref()) {
        Ok(()) => eprintln!("{out}"),
        Err(_) => eprintln!("{}", printable(&d.to_string())),
    }
}

/// Text from content files made safe for a terminal: control characters
/// (an escape sequence could retitle the window, clear the screen or worse)
/// become `?`, or `??` for the two-byte C1 controls, so byte offsets into
/// the text stay right. Line breaks and tabs stay.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' | '\r' => c.to_string(),
            c if c.is_control() => "?".repeat(c.len_utf8()),
            c => c.to_string(),
        })
        .collect()
}
