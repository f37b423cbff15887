//! `verbatim leaks`: proof that a built site holds none of the words it
//! withholds. The site is read twice, as published and with every withheld
//! part and embargoed transcript kept; the words only the second has (and
//! that the theme does not write itself) are the markers. Every file of the
//! output is then read, each gzip member inflated (the search index is
//! made of them), split into words as the search index splits them, and
//! searched for the markers.

use crate::build::BuildOptions;
use crate::diagnostic::Diagnostic;
use crate::search::terms;
use crate::site::{self, Site};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// What a scan found.
#[derive(Debug, Default)]
pub struct LeakReport {
    /// Words that only withheld parts have, and so must be in no file.
    pub markers: usize,
    /// Files read (gzip members inflated).
    pub files: usize,
    /// Each marker found, with the files (relative to the output) that hold it.
    pub found: BTreeMap<String, Vec<String>>,
}

/// Scans the output folder of the site `options` names (the same folder
/// `build` writes) for the words the site withholds.
pub fn scan(options: &BuildOptions) -> Result<LeakReport, Vec<Diagnostic>> {
    let config = options.config().map_err(|d| vec![d])?;
    let output = crate::build::output_dir(&options.root, &config, options.output.as_deref());
    let published = site::load(&options.root, config.clone(), options.drafts)?.site;
    let everything = site::load_with(&options.root, config, options.drafts, false)?.site;
    let mut shown = words_of(&published);
    shown.extend(theme_words(&options.root));
    shown.extend(date_words(&published));
    let markers: BTreeSet<String> = words_of(&everything)
        .into_iter()
        .filter(|w| !shown.contains(w))
        .collect();
    let mut report = LeakReport {
        markers: markers.len(),
        ..LeakReport::default()
    };
    if !output.is_dir() {
        return Err(vec![Diagnostic::error(
            output.display().to_string(),
            "there is no built site here to scan",
        )
        .help("run `verbatim build` first, or pass --output DIR")]);
    }
    for entry in walkdir::WalkDir::new(&output).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            vec![Diagnostic::error(
                output.display().to_string(),
                format!("cannot read: {e}"),
            )]
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| {
            vec![Diagnostic::error(
                entry.path().display().to_string(),
                format!("cannot read: {e}"),
            )]
        })?;
        report.files += 1;
        let text = String::from_utf8_lossy(&inflated(&bytes)).into_owned();
        let rel = relative(&output, entry.path());
        for word in terms(&text).into_iter().collect::<HashSet<_>>() {
            if markers.contains(&word) {
                report.found.entry(word).or_default().push(rel.clone());
            }
        }
    }
    Ok(report)
}

/// Every word of every transcript of `site`, as the index splits words:
/// the whole model, as its JSON holds it.
fn words_of(site: &Site) -> HashSet<String> {
    let mut words = HashSet::new();
    for t in &site.transcripts {
        let json = serde_json::to_string(t).unwrap_or_default();
        words.extend(terms(&json));
    }
    words.extend(terms(&site.config.title));
    words
}

/// The month names of the dates pages write out in each language of the
/// site (`1. März 2026` from `2026-03-01`): a withheld "März" is no leak
/// where a date says it.
fn date_words(site: &Site) -> HashSet<String> {
    let languages: BTreeSet<&str> = site
        .transcripts
        .iter()
        .map(|t| t.language.as_str())
        .chain([site.config.language.as_str()])
        .collect();
    let mut words = HashSet::new();
    for language in languages {
        for m in 1..=12 {
            let date = crate::locale::long_date(&format!("2000-{m:02}-01"), language);
            words.extend(terms(&date.unwrap_or_default()));
        }
    }
    words
}

/// The words the theme writes on its own (templates, scripts, styles, its
/// tables of words in each language, and the site's) and those of site.toml: they are on pages whatever a transcript says.
fn theme_words(root: &Path) -> HashSet<String> {
    let mut words = HashSet::new();
    for (_, text) in crate::render::THEME_TEMPLATES
        .iter()
        .chain(&crate::render::THEME_ASSETS)
        .chain(&crate::words::THEME_WORDS)
    {
        words.extend(terms(text));
    }
    for dir in [
        "templates",
        crate::paths::STATIC_DIR,
        crate::words::WORDS_DIR,
    ] {
        for e in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
            if let Ok(text) = std::fs::read_to_string(e.path()) {
                words.extend(terms(&text));
            }
        }
    }
    if let Ok(text) = std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)) {
        words.extend(terms(&text));
    }
    // The month names of the citations' dates, in every form the English
    // styles write them (`Sept.` in MLA).
    use crate::ingest::dates::{written, Written};
    for m in 1..=12 {
        let iso = format!("2000-{m:02}-01");
        for how in [
            Written::DayMonthYear,
            Written::DayShortMonthYear,
            Written::MonthDayYear,
            Written::YearMonthDay,
        ] {
            words.extend(terms(&written(&iso, how).unwrap_or_default()));
        }
    }
    words
}

/// A gzip member's contents; any other bytes as they are.
fn inflated(bytes: &[u8]) -> Vec<u8> {
    if bytes.len() < 18 || bytes[..2] != [0x1f, 0x8b] {
        return bytes.to_vec();
    }
    let size = u32::from_le_bytes(bytes[bytes.len() - 4..].try_into().unwrap_or_default()) as usize;
    let mut out = vec![0; size];
    let mut d = libdeflater::Decompressor::new();
    match d.gzip_decompress(bytes, &mut out) {
        Ok(n) => {
            out.truncate(n);
            out
        }
        Err(_) => bytes.to_vec(),
    }
}

fn relative(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .map(PathBuf::from)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .replace('\\', "/")
}
