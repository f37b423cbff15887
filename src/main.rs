//! The `verbatim` binary: parse the command line, hand it to the library.

use clap::Parser;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: the build allocates many small
/// strings on every thread (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    verbatim::cli::run(verbatim::cli::Cli::parse())
}
