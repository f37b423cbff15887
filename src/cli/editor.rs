//! The command line of the editor's workflow (`init`, `new`, `serve`,
//! `check`): clap arguments and how each command reports to a person. The
//! work is done by [`crate::init`], [`crate::new`], [`crate::serve`] and
//! [`crate::check`].

use super::print_diagnostic;
use crate::new::{NewFormat, NewOptions};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in (made if missing)
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// Add the missing files to a folder that is not empty (existing files are kept)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The interview's title; the file name and URL are made from it
    pub title: String,
    /// The site root: the folder that holds site.toml
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Who asks the questions (repeat for several); `Q:` names the first
    #[arg(long, value_name = "NAME")]
    pub interviewer: Vec<String>,
    /// Who answers (repeat for several); `A:` names the first
    #[arg(long, value_name = "NAME")]
    pub interviewee: Vec<String>,
    /// The interview's date, YYYY-MM-DD (default: today)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// The URL segment and file name (default: made from the title)
    #[arg(long)]
    pub slug: Option<String>,
    /// A folder under content/ to put the file in
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The content format of the new file
    #[arg(long, value_enum, default_value_t = NewFormat::Md)]
    pub format: NewFormat,
}

/// `verbatim init`.
pub fn run_init(args: InitArgs) -> ExitCode {
    match crate::init::init(&args.dir, args.force) {
        Ok(created) => {
            let dir = args.dir.display();
            for kept in &created.kept {
                println!("kept     {kept} (it already existed)");
            }
            for written in &created.written {
                println!("created  {written}");
            }
            let cd = if args.dir == std::path::Path::new(".") {
                String::new()
            } else {
                format!("cd {dir} && ")
            };
            println!("\nA new site is ready. Preview it with:\n\n    {cd}verbatim serve\n");
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_diagnostic(&d);
            ExitCode::from(1)
        }
    }
}

/// `verbatim new`.
pub fn run_new(args: NewArgs) -> ExitCode {
    let options = NewOptions {
        root: args.root.clone(),
        title: args.title,
        interviewers: args.interviewer,
        interviewees: args.interviewee,
        date: args.date,
        slug: args.slug,
        section: args.dir,
        format: args.format,
    };
    match crate::new::new_transcript(&options) {
        Ok(path) => {
            println!("created  {}", path.display());
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_diagnostic(&d);
            ExitCode::from(1)
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site root: the folder that holds site.toml
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Treat warnings as errors (exit code 1 when there are any)
    #[arg(long)]
    pub strict: bool,
    /// Check transcripts marked draft = true too
    #[arg(long)]
    pub drafts: bool,
    /// Check as of this date (YYYY-MM-DD) instead of today: embargoes until a later date hold
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Print the problems only, without the summary line
    #[arg(long, short)]
    pub quiet: bool,
}

/// `verbatim check`: exit code 0 when the site would build cleanly, 1 when
/// it has errors (or, with --strict, warnings).
pub fn run_check(args: CheckArgs) -> ExitCode {
    let options = crate::BuildOptions {
        root: args.root,
        drafts: args.drafts,
        today: args.today,
        ..crate::BuildOptions::default()
    };
    let started = std::time::Instant::now();
    let report = crate::check::check(&options, args.strict);
    for d in &report.diagnostics.0 {
        print_diagnostic(d);
    }
    if !args.quiet {
        print_ledgers(&report.ledgers);
    }
    let (errors, warnings, notes) = report.counts();
    if !args.quiet || errors > 0 {
        let mut verdict = match (errors, warnings) {
            (0, 0) => "no problems".to_string(),
            (e, w) => format!("{}, {}", count(e, "error"), count(w, "warning")),
        };
        if notes > 0 {
            verdict = format!("{verdict} ({})", count(notes, "note"));
        }
        let line = format!(
            "Checked {} and {} in {:.2} s: {verdict}.",
            count(report.transcripts, "transcript"),
            count(report.pages, "page"),
            started.elapsed().as_secs_f64()
        );
        if errors > 0 {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What `serve` reports, on the terminal: warnings and errors always, the
/// rest unless `quiet`.
fn print_serve_report(report: &crate::serve::Report<'_>, quiet: bool) {
    use crate::live::Rebuilt;
    use crate::serve::Report;
    match report {
        Report::Rebuilt(Rebuilt::Ok {
            scope,
            pages,
            took,
            warnings,
        }) => {
            for w in warnings {
                print_diagnostic(w);
            }
            if !quiet {
                say(&format!(
                    "[{}] rebuilt {scope}: {} in {} ms",
                    clock(),
                    count(*pages, "page"),
                    took.as_millis()
                ));
            }
        }
        Report::Rebuilt(Rebuilt::Unchanged) => {}
        Report::Rebuilt(Rebuilt::Failed(problems)) => {
            for d in &problems.0 {
                print_diagnostic(d);
            }
            eprintln!(
                "[{}] build failed: {}; the last good site is still served. Fix it and save.",
                clock(),
                count(problems.error_count(), "error")
            );
        }
        Report::Serving { root, url, public } => {
            say(&format!(
                "Serving {} at {url} (Ctrl-C to stop)",
                root.display()
            ));
            if let Some(ip) = public {
                say(&format!(
                    "Note: the site is reachable from other machines on {ip}."
                ));
            }
        }
        Report::IndexUpdated(took) if !quiet => say(&format!(
            "[{}] search index updated in {} ms",
            clock(),
            took.as_millis()
        )),
        Report::IndexUpdated(_) => {}
        Report::WatchFailed(e) => eprintln!("verbatim serve: watching files failed: {e}"),
    }
}

/// A line on stdout; a closed pipe (the terminal went away) must not stop
/// the server, so write errors are ignored where `println!` would panic.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

fn clock() -> String {
    jiff::Zoned::now().strftime("%H:%M:%S").to_string()
}

/// The word ledger: a line per imported transcript, one for the native ones.
fn print_ledgers(ledgers: &[crate::ingest::ledger::Ledger]) {
    let imported: Vec<_> = ledgers.iter().filter(|l| l.read.is_some()).collect();
    let native: Vec<_> = ledgers.iter().filter(|l| l.read.is_none()).collect();
    if imported.is_empty() && native.is_empty() {
        return;
    }
    println!("Word ledger (words of speech: in the source = on the site + left out):");
    for l in &imported {
        let warned = l.left_out.len();
        let why = match warned {
            0 => String::new(),
            1 => " (the warning above on that file says what and why)".to_string(),
            n => format!(" ({n} warnings above on that file say what and why)"),
        };
        let balance = if l.balances() {
            String::new()
        } else {
            format!(
                "; {} words unexplained, see the warning",
                l.unexplained().unsigned_abs()
            )
        };
        println!(
            "  {}: {} = {} + {}{why}{balance}",
            l.path,
            thousands(l.in_source()),
            thousands(l.on_site),
            thousands(l.left_out_words())
        );
    }
    if !native.is_empty() {
        let words: usize = native.iter().map(|l| l.on_site).sum();
        println!(
            "  {} native file{}: {} words on the site, as written",
            native.len(),
            if native.len() == 1 { "" } else { "s" },
            thousands(words)
        );
    }
}

/// `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 error`, `2 errors`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site root: the folder that holds site.toml
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The port to listen on (0 picks a free one)
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on; 0.0.0.0 makes the site reachable from other machines
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub bind: std::net::IpAddr,
    /// Include transcripts marked draft = true
    #[arg(long)]
    pub drafts: bool,
    /// Print errors only
    #[arg(long, short)]
    pub quiet: bool,
}

/// `verbatim serve`: runs until interrupted.
pub fn run_serve(args: ServeArgs) -> ExitCode {
    let options = crate::serve::ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
    };
    let quiet = args.quiet;
    let report: crate::serve::Reporter =
        std::sync::Arc::new(move |r: crate::serve::Report<'_>| print_serve_report(&r, quiet));
    match crate::serve::serve(options, report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => {
            print_diagnostic(&d);
            ExitCode::from(1)
        }
    }
}
