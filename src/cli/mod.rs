//! The command line: clap definitions and how each command reports to a
//! person; the only code that prints. The work itself is done by the
//! library. [`editor`] holds the editor's workflow (`init`, `new`, `check`,
//! `serve`).

pub mod editor;
pub mod progress;

use crate::diagnostic::{format_diagnostic, printable, Diagnostic};
use crate::BuildOptions;
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
    /// Turn transcripts in other formats (captions, tool exports, archives' records; docs/formats.md) into native .md files
    Import(ImportArgs),
    /// Create a new site that builds at once
    Init(editor::InitArgs),
    /// Start a new transcript in content/ with its front matter filled in
    New(editor::NewArgs),
    /// Validate the site as a build would, without writing anything
    Check(editor::CheckArgs),
    /// Serve the site on this machine, rebuilding and reloading on every change
    Serve(editor::ServeArgs),
    /// Scan a built site for the words of its withheld and embargoed parts (exit code 1 when any is found)
    Leaks(LeaksArgs),
}

#[derive(Debug, Args)]
pub struct LeaksArgs {
    /// The site root: the folder that holds site.toml
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The built site to scan (default: output_dir of site.toml, under the root)
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The date the site was built as (YYYY-MM-DD), when it was not today
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Scan for the words of drafts too (for a site built with --drafts)
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Source files to import
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Where to write the .md files
    #[arg(long, default_value = "content", value_name = "DIR")]
    pub out: PathBuf,
    /// Replace .md files that exist already
    #[arg(long)]
    pub force: bool,
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
    /// Publish as of this date (YYYY-MM-DD) instead of today: embargoes until a later date hold
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Print errors only
    #[arg(long, short)]
    pub quiet: bool,
    /// Also print the figures of every stage
    #[arg(long, short, conflicts_with = "quiet")]
    pub verbose: bool,
}

/// Runs a parsed command line; the exit code is 0 on success, 1 when the
/// site has errors (clap exits with 2 on wrong usage before this).
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Import(args) => run_import(args),
        Command::Init(args) => editor::run_init(args),
        Command::New(args) => editor::run_new(args),
        Command::Check(args) => editor::run_check(args),
        Command::Serve(args) => editor::run_serve(args),
        Command::Leaks(args) => run_leaks(args),
    }
}

fn run_leaks(args: LeaksArgs) -> ExitCode {
    let options = BuildOptions {
        root: args.root,
        output: args.output,
        drafts: args.drafts,
        today: args.today,
        ..BuildOptions::default()
    };
    match crate::leaks::scan(&options) {
        Ok(report) if report.found.is_empty() => {
            println!(
                "No withheld word in {} file{} ({} word{} only withheld parts hold, looked for in every file, gzip members inflated).",
                report.files,
                plural(report.files),
                report.markers,
                plural(report.markers)
            );
            ExitCode::SUCCESS
        }
        Ok(report) => {
            // The words themselves are what must not be seen: each is shown
            // by its first letter and length, with the files that hold it.
            for (word, files) in &report.found {
                let first: String = word.chars().take(1).collect();
                eprintln!(
                    "error: a withheld word ({first}…, {} letters) is in {} file{}: {}",
                    word.chars().count(),
                    files.len(),
                    plural(files.len()),
                    files.join(", ")
                );
            }
            eprintln!(
                "{} withheld word{} found in the built site: rebuild it with this verbatim, and report the file to verbatim's maintainers if the leak remains.",
                report.found.len(),
                plural(report.found.len())
            );
            ExitCode::from(1)
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                print_diagnostic(d);
            }
            ExitCode::from(1)
        }
    }
}

fn run_import(args: ImportArgs) -> ExitCode {
    let options = crate::ingest::IngestOptions::default();
    let mut failed = 0;
    for file in &args.files {
        match crate::import::import_file(file, &args.out, args.force, &options) {
            Ok(done) => {
                for w in &done.warnings {
                    print_diagnostic(w);
                }
                println!(
                    "Imported {} -> {} ({} turn{}, {} section{})",
                    done.source.display(),
                    done.written.display(),
                    done.turns,
                    plural(done.turns),
                    done.sections,
                    plural(done.sections)
                );
                if done.source.parent() == done.written.parent() {
                    eprintln!(
                        "note: {} is still beside it and would publish the same transcript twice; move it out of the content folder",
                        done.source.display()
                    );
                }
            }
            Err(diagnostics) => {
                failed += 1;
                for d in &diagnostics {
                    print_diagnostic(d);
                }
            }
        }
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "{failed} of {} file{} not imported.",
            args.files.len(),
            plural(args.files.len())
        );
        ExitCode::from(1)
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let options = BuildOptions {
        root: args.root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        today: args.today,
    };
    match progress::build_with_bar(&options, !args.quiet) {
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
                    {
                        let warnings = report.warnings.iter().filter(|w| w.is_warning()).count();
                        let notes = report.warnings.len() - warnings;
                        [(warnings, "warning"), (notes, "note")]
                            .iter()
                            .filter(|(n, _)| *n > 0)
                            .map(|(n, what)| format!(", {n} {what}{}", plural(*n)))
                            .collect::<String>()
                    }
                );
            }
            if args.verbose {
                print!("{}", progress::details(&report));
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
    eprintln!("{}", format_diagnostic(d, std::io::stderr().is_terminal()));
}
