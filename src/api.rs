//! The model as JSON for reuse: `api/transcripts.json` lists every
//! transcript; `api/<slug>.json` is one transcript's normalized model. The
//! format is described by `docs/api.schema.json`.

use crate::diagnostic::Diagnostic;
use crate::model::{Role, Transcript};
use crate::page::Page;
use crate::site::urls::transcript_url;
use crate::site::Site;
use rayon::prelude::*;
use serde::Serialize;

/// The folder of the JSON files, relative to the output root.
pub const API_DIR: &str = "api";

/// Bumped when a field changes meaning or disappears (adding one does not).
pub const API_VERSION: u32 = 3;

/// `api/transcripts.json`.
#[derive(Serialize)]
struct Index<'a> {
    version: u32,
    site: SiteInfo<'a>,
    transcripts: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    description: Option<&'a str>,
    base_url: &'a str,
    language: &'a str,
}

/// One transcript in the index: what a client needs to choose it.
#[derive(Serialize)]
struct Entry<'a> {
    slug: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    subtitle: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    language: &'a str,
    tags: &'a [String],
    speakers: Vec<EntrySpeaker<'a>>,
    section_count: usize,
    exchange_count: usize,
    word_count: usize,
    /// The transcript's page, relative to the site root.
    url: String,
    /// The transcript's JSON, relative to the site root.
    json: String,
    /// How to cite it: a CSL-JSON item (`crate::cite`), as its overview shows.
    citation: crate::cite::Work<'a>,
}

#[derive(Serialize)]
struct EntrySpeaker<'a> {
    id: &'a str,
    name: &'a str,
    role: Role,
    /// The person's id across the site (`speakers/<person>/`).
    person: Option<&'a str>,
}

/// `api/transcripts.json`, the index of every transcript's JSON file.
pub fn index_page(site: &Site) -> Result<Page, Diagnostic> {
    let entries = site
        .transcripts
        .iter()
        .enumerate()
        .map(|(i, t)| Entry {
            slug: &t.slug,
            title: &t.title,
            subtitle: t.subtitle.as_deref(),
            date: t.date.as_deref(),
            description: t.description.as_deref(),
            language: &t.language,
            tags: &t.tags,
            speakers: t
                .speakers
                .iter()
                .map(|s| EntrySpeaker {
                    id: &s.id,
                    name: &s.name,
                    role: s.role,
                    person: site
                        .speakers
                        .person_of(&site.transcripts, i, &s.id)
                        .map(|p| p.id.as_str()),
                })
                .collect(),
            section_count: t.sections.len(),
            exchange_count: t.sections.iter().map(|s| s.exchanges.len()).sum(),
            word_count: site.word_count(i),
            url: transcript_url(t),
            json: json_path(t),
            citation: crate::cite::Work::of(&site.config, t),
        })
        .collect();
    let index = Index {
        version: API_VERSION,
        site: SiteInfo {
            title: &site.config.title,
            description: site.config.description.as_deref(),
            base_url: &site.config.base_url,
            language: &site.config.language,
        },
        transcripts: entries,
    };
    page(format!("{API_DIR}/transcripts.json"), &index)
}

/// `api/<slug>.json`: one transcript's model. Made with the transcript's
/// pages, so a large site never holds every transcript's JSON at once.
pub fn transcript_page(t: &Transcript) -> Result<Page, Diagnostic> {
    let mut bytes = Vec::new();
    write_transcript(&mut bytes, t)?;
    Ok(Page {
        path: json_path(t),
        bytes,
    })
}

/// The bytes of [`transcript_page`], appended to `out`.
pub fn write_transcript(out: &mut Vec<u8>, t: &Transcript) -> Result<(), Diagnostic> {
    sonic_rs::to_writer(out, t)
        .map_err(|e| Diagnostic::error(json_path(t), format!("cannot write the JSON: {e}")))
}

/// The JSON files of the whole site: the index, then each transcript's.
pub fn pages(site: &Site) -> Result<Vec<Page>, Diagnostic> {
    let mut pages = vec![index_page(site)?];
    let each: Result<Vec<Page>, Diagnostic> =
        site.transcripts.par_iter().map(transcript_page).collect();
    pages.extend(each?);
    Ok(pages)
}

/// `api/<slug>.json`.
pub fn json_path(t: &Transcript) -> String {
    format!("{API_DIR}/{}.json", t.slug)
}

fn page(path: String, value: &impl Serialize) -> Result<Page, Diagnostic> {
    let bytes = serde_json::to_vec(value)
        .map_err(|e| Diagnostic::error(&path, format!("cannot write the JSON: {e}")))?;
    Ok(Page { path, bytes })
}
