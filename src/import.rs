//! `verbatim import`: any source format in, a native `.md` content file out,
//! one per source. Each written file is read back and compared with the
//! source's transcript, so an import never changes what was said.

use crate::diagnostic::Diagnostic;
use crate::ingest::{self, Format, IngestOptions};
use crate::model::Transcript;
use crate::native_writer;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What one import wrote.
#[derive(Debug)]
pub struct Imported {
    pub source: PathBuf,
    pub written: PathBuf,
    pub turns: usize,
    pub sections: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Imports `source` into `out_dir/<name>.md`. An existing file is only
/// replaced with `force`.
pub fn import_file(
    source: &Path,
    out_dir: &Path,
    force: bool,
    options: &IngestOptions,
) -> Result<Imported, Vec<Diagnostic>> {
    let display = source.to_string_lossy().replace('\\', "/");
    // The native file keeps what the source withholds, with its rules, so
    // that the build withholds it and an embargo can lift: nothing is lost.
    let options = &IngestOptions {
        redact: false,
        ..options.clone()
    };
    match Format::of(source) {
        Some(Format::Markdown) => {
            return Err(vec![Diagnostic::error(
                &display,
                "the file is already a native Markdown transcript",
            )
            .help("copy it into content/ as it is")])
        }
        None => {
            return Err(vec![Diagnostic::error(
                &display,
                "not a transcript format verbatim reads",
            )
            .help(format!("import reads {}", crate::ingest::IMPORTED_FORMATS))])
        }
        Some(_) => {}
    }
    let (transcript, warnings) = ingest::load(source, &display, options)?;
    let stem = source
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("transcript");
    let written = out_dir.join(format!("{stem}.md"));
    let written_display = written.to_string_lossy().replace('\\', "/");
    let markdown = native_writer::to_markdown(&transcript, &options.default_language)
        .map_err(|why| vec![Diagnostic::error(&display, format!("cannot import: {why}"))])?;
    check_round_trip(&transcript, &markdown, stem, &written_display, options)?;
    if written.exists() && !force {
        return Err(vec![Diagnostic::error(
            &written_display,
            "the file exists already; it was not changed",
        )
        .help("pass --force to replace it, or --out DIR to write elsewhere")]);
    }
    std::fs::create_dir_all(out_dir)
        .and_then(|()| std::fs::write(&written, &markdown))
        .map_err(|e| {
            vec![Diagnostic::error(
                &written_display,
                format!("cannot write the file: {e}"),
            )]
        })?;
    Ok(Imported {
        source: source.to_path_buf(),
        written,
        turns: transcript.turns().count(),
        sections: transcript.sections.len(),
        warnings,
    })
}

/// Reads the Markdown back: it must give the source's transcript.
fn check_round_trip(
    transcript: &Transcript,
    markdown: &str,
    stem: &str,
    written_display: &str,
    options: &IngestOptions,
) -> Result<(), Vec<Diagnostic>> {
    let text: Arc<str> = Arc::from(markdown);
    let (mut back, _) = ingest::parse(Format::Markdown, written_display, &text, stem, options)?;
    back.source_path.clone_from(&transcript.source_path);
    if !reads_back_as(transcript, back) {
        return Err(vec![Diagnostic::error(
            written_display,
            "the native file would not read back as the same transcript; nothing was written",
        )
        .help("please report this with the source file")]);
    }
    Ok(())
}

/// Whether `back`, the native file read back, is `source`: the one test of a
/// faithful import (import, its tests and the `import_round_trip` fuzz
/// target share it). The writer may add an alias where a speaker's name and
/// id cannot be labels (`Speaker 3`): the one difference allowed.
pub fn reads_back_as(source: &Transcript, mut back: Transcript) -> bool {
    for speaker in &mut back.speakers {
        if let Some(original) = source.speaker(&speaker.id) {
            speaker.aliases.retain(|a| original.aliases.contains(a));
        }
    }
    back == *source
}
