//! The `verbatim` binary: parse the command line, hand it to the library.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    verbatim::cli::run(verbatim::cli::Cli::parse())
}
