//! The `verbatim` binary: parse the command line, hand it to the library.

use clap::Parser;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: the build allocates many small
/// strings on every thread (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: how long freed memory is kept before
/// it goes back to the system. The `libmimalloc-sys` crate names the options
/// before it (14 is `mi_option_eager_commit_delay`) and after it, not this
/// one; both of its mimalloc versions (2 and 3) number it 15.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    let cli = verbatim::cli::Cli::parse();
    if matches!(
        cli.command,
        verbatim::cli::Command::Build(_) | verbatim::cli::Command::Serve(_)
    ) {
        // A build is one burst of work that ends with the process: memory
        // given back while it runs comes back at once, and each time the
        // kernel clears it again. So a build keeps what it frees. So does
        // `serve`: it holds every page of the site anyway, and the memory a
        // rebuild frees is what the next one takes, which given back would
        // be cleared again on every save.
        // SAFETY: sets a number in mimalloc's option table, before any
        // thread but this one exists.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
    verbatim::cli::run(cli)
}
