//! TOML front matter between `+++` lines: splitting it off a content file and
//! reading it into [`FrontMatter`], the metadata every format can carry.

use crate::config::toml_diagnostic;
use crate::diagnostic::Diagnostic;
use crate::model::{MediaKind, Role, Source, Timecode};
use serde::Deserialize;
use std::ops::Range;
use std::sync::Arc;

/// Metadata of a transcript as an editor writes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub date: Option<DateValue>,
    pub description: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    pub language: Option<String>,
    /// Overrides the URL segment that otherwise comes from the file name.
    pub slug: Option<String>,
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub speakers: Vec<SpeakerSpec>,
    /// Shorthand for a speaker with role interviewer and alias `Q`.
    pub interviewer: Option<OneOrMany>,
    /// Shorthand for a speaker with role interviewee and alias `A`.
    pub interviewee: Option<OneOrMany>,
    /// Who translated the transcript, when it is a translation (cited).
    /// Speakers with role `translator` are added here as the file is read.
    pub translator: Option<OneOrMany>,
    /// The slug of the transcript this one translates.
    pub translation_of: Option<String>,
    /// Where this translation's turns meet the original's when they do not
    /// go one for one: from the turn named on the left on, the original's
    /// named on the right (`t7 = "t6"`), and on in step.
    #[serde(default)]
    pub align: std::collections::BTreeMap<String, String>,
    /// `[media]` for one file, `[[media]]` for a recording in several.
    pub media: Option<MediaFiles>,
    /// Not published before this date: builds before it leave the whole
    /// transcript out.
    pub embargo: Option<DateValue>,
    /// Under an embargo, list the transcript with its metadata (title,
    /// people, date, description, tags) and a placeholder for its words,
    /// instead of leaving it out.
    #[serde(default)]
    pub list_while_embargoed: Option<bool>,
    /// Turns, sections and words that no output may hold (`[[withheld]]`).
    #[serde(default)]
    pub withheld: Vec<WithheldSpec>,
    /// The TOML's file, text and range, for messages about a key that are
    /// made after the file is read (`translation_of`, `align`).
    #[serde(skip)]
    pub place: Option<Place>,
}

/// A part of the transcript that is not published, or not before a date.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithheldSpec {
    /// A turn by its id (`t12`).
    pub turn: Option<String>,
    /// A section by its slug or its title.
    pub section: Option<String>,
    /// Exact words inside a turn (for imported files, in a sidecar).
    pub text: Option<String>,
    /// What the placeholder says of it.
    pub reason: Option<String>,
    /// Published from this date on.
    pub embargo: Option<DateValue>,
    /// Whether the placeholder gives the number of words withheld.
    #[serde(default)]
    pub show_length: bool,
    /// Where the table is written, for messages about it.
    #[serde(skip)]
    pub place: Option<Place>,
}

pub use crate::diagnostic::Place;

/// Gives each `[[withheld]]` table of `rules` its place in `text` (the
/// TOML is `text[range]`). Tables written another way (an inline array)
/// are left without one when the headers do not match the rules one for
/// one.
pub fn place_withheld(
    rules: &mut [WithheldSpec],
    path: &str,
    text: &Arc<str>,
    range: Range<usize>,
) {
    let mut headers = Vec::new();
    let mut offset = range.start;
    for line in text[range.clone()].split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            headers.push((offset, trimmed.replace(' ', "") == "[[withheld]]"));
        }
        offset += line.len();
    }
    let tables: Vec<Range<usize>> = headers
        .iter()
        .enumerate()
        .filter(|(_, (_, withheld))| *withheld)
        .map(|(i, (start, _))| *start..headers.get(i + 1).map_or(range.end, |h| h.0))
        .collect();
    if tables.len() != rules.len() {
        return;
    }
    let path: Arc<str> = path.into();
    for (rule, table) in rules.iter_mut().zip(tables) {
        rule.place = Some(Place {
            path: Arc::clone(&path),
            text: Arc::clone(text),
            table,
        });
    }
}

/// A speaker as declared in front matter; everything but the name is optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "SpeakerTable")]
pub struct SpeakerSpec {
    pub id: Option<String>,
    pub name: String,
    pub role: Option<Role>,
    pub title: Option<String>,
    pub bio: Option<String>,
    pub aliases: Vec<String>,
    /// Declared with role `translator`: a person of the transcript who
    /// does not speak in it, moved to [`FrontMatter::translator`] as the
    /// file is read ([`FrontMatter::take_translators`]).
    pub translator: bool,
}

/// A `[[speakers]]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeakerTable {
    id: Option<String>,
    name: String,
    role: Option<TableRole>,
    title: Option<String>,
    bio: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

/// The roles a speaker table may name: the model's, and `translator`.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum TableRole {
    Interviewer,
    Interviewee,
    Other,
    Translator,
}

impl From<SpeakerTable> for SpeakerSpec {
    fn from(t: SpeakerTable) -> SpeakerSpec {
        let role = match t.role {
            Some(TableRole::Interviewer) => Some(Role::Interviewer),
            Some(TableRole::Interviewee) => Some(Role::Interviewee),
            Some(TableRole::Other) => Some(Role::Other),
            Some(TableRole::Translator) | None => None,
        };
        SpeakerSpec {
            id: t.id,
            name: t.name,
            role,
            title: t.title,
            bio: t.bio,
            aliases: t.aliases,
            translator: matches!(t.role, Some(TableRole::Translator)),
        }
    }
}

/// The audio or video a transcript was made from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaSpec {
    pub url: String,
    pub kind: Option<MediaKind>,
    /// Where the file starts on the transcript's clock (`"00:45:10"`).
    pub offset: Option<Timecode>,
    /// The file's length (`"00:45:10"`), when it cannot be read from the file.
    pub duration: Option<Timecode>,
}

impl MediaSpec {
    pub fn url(url: String) -> MediaSpec {
        MediaSpec {
            url,
            kind: None,
            offset: None,
            duration: None,
        }
    }
}

/// `[media]` (one file) or `[[media]]` (a recording in several files).
#[derive(Debug, Clone)]
pub enum MediaFiles {
    One(MediaSpec),
    Many(Vec<MediaSpec>),
}

/// By hand rather than `untagged`, so that a wrong field inside a table
/// is reported as itself ("missing field `url`"), not as a mismatch.
impl<'de> Deserialize<'de> for MediaFiles {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Files;
        impl<'de> serde::de::Visitor<'de> for Files {
            type Value = MediaFiles;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table with `url` (and `kind`, `offset`, `duration`), or a list of them ([[media]])")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<MediaFiles, A::Error> {
                MediaSpec::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(MediaFiles::One)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<MediaFiles, A::Error> {
                Vec::<MediaSpec>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(MediaFiles::Many)
            }
        }
        d.deserialize_any(Files)
    }
}

impl MediaFiles {
    pub fn files(&self) -> &[MediaSpec] {
        match self {
            MediaFiles::One(m) => std::slice::from_ref(m),
            MediaFiles::Many(m) => m,
        }
    }

    pub fn into_files(self) -> Vec<MediaSpec> {
        match self {
            MediaFiles::One(m) => vec![m],
            MediaFiles::Many(m) => m,
        }
    }
}

/// `interviewer = "A"` or `interviewer = ["A", "B"]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = "a name or a list of names, such as \"Ann Lee\" or [\"Ann Lee\", \"Bo Chen\"]"
)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl FrontMatter {
    /// Every declared speaker: the `[[speakers]]` tables, then one per name of
    /// the `interviewer` and `interviewee` shorthands, with that role.
    pub fn declared_speakers(&self) -> Vec<SpeakerSpec> {
        let mut specs = self.speakers.clone();
        for (names, role) in [
            (&self.interviewer, Role::Interviewer),
            (&self.interviewee, Role::Interviewee),
        ] {
            for name in names.iter().flat_map(|n| n.names()) {
                specs.push(SpeakerSpec {
                    id: None,
                    name,
                    role: Some(role),
                    title: None,
                    bio: None,
                    aliases: Vec::new(),
                    translator: false,
                });
            }
        }
        specs
    }
}

impl FrontMatter {
    /// Moves the speakers with role `translator` to the `translator`
    /// names (after any written there): they are cited, and speak no turn.
    pub fn take_translators(&mut self) {
        if !self.speakers.iter().any(|s| s.translator) {
            return;
        }
        let mut names = self
            .translator
            .take()
            .map(|t| t.names())
            .unwrap_or_default();
        for s in std::mem::take(&mut self.speakers) {
            if !s.translator {
                self.speakers.push(s);
            } else if !names.contains(&s.name) {
                names.push(s.name);
            }
        }
        self.translator = Some(OneOrMany::Many(names));
    }
}

impl OneOrMany {
    /// The names, in order.
    pub fn names(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A date written as a TOML date (`2026-06-22`), datetime, or string.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, expecting = "a date such as 2026-06-22")]
pub enum DateValue {
    Toml(toml::value::Datetime),
    Text(String),
}

/// Front matter split off a file: the parsed metadata and where the body starts.
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    pub body: &'a str,
    /// Byte offset of `body` in the whole file, for error positions.
    pub body_offset: usize,
    /// What the front matter holds that is left out, said.
    pub warnings: Vec<Diagnostic>,
}

const DELIMITER: &str = "+++";

/// Splits `+++` front matter off `text` and parses it. Text without front
/// matter is all body, with default metadata.
pub fn split<'a>(path: &str, text: &'a Arc<str>) -> Result<Split<'a>, Diagnostic> {
    let full: &'a str = text;
    let Some(toml_range) = front_matter_range(path, text)? else {
        return Ok(Split {
            front_matter: FrontMatter::default(),
            body: full,
            body_offset: 0,
            warnings: Vec::new(),
        });
    };
    let toml_text = &full[toml_range.clone()];
    let mut front_matter: FrontMatter = toml::from_str(toml_text)
        .map_err(|e| toml_diagnostic(path, text, toml_range.start, &e, FRONT_MATTER_HELP))?;
    place_withheld(&mut front_matter.withheld, path, text, toml_range.clone());
    front_matter.take_translators();
    front_matter.place = Some(Place {
        path: path.into(),
        text: Arc::clone(text),
        table: toml_range.clone(),
    });
    // The body starts after the closing delimiter line.
    let after = toml_range.end + DELIMITER.len();
    let after = match full[after..].find('\n') {
        Some(i) => after + i + 1,
        None => full.len(),
    };
    Ok(Split {
        front_matter,
        body: &full[after..],
        body_offset: after,
        warnings: forbidden_escapes(path, text, toml_range)
            .into_iter()
            .collect(),
    })
}

/// Errors for `media.url` and `source.url` values that are script URLs
/// (`javascript:`, however spelled): a reader's browser would run them. Each
/// names its line in `text` (front matter or sidecar), even when a TOML
/// escape (`java\tscript:`) means the value is not written as it reads.
pub fn script_url_errors(fm: &FrontMatter, path: &str, text: &Arc<str>) -> Vec<Diagnostic> {
    let media = fm.media.iter().flat_map(|m| m.files());
    let urls = media
        .map(|m| ("media", Some(m.url.as_str())))
        .chain([("source", fm.source.as_ref().and_then(|s| s.url.as_deref()))]);
    urls.filter_map(|(table, url)| Some((table, url.filter(|u| crate::url::is_script_url(u))?)))
        .map(|(table, url)| {
            let d = Diagnostic::error(
                path,
                format!("`{table}.url` is a script URL ({url:?}); a reader's browser would run it"),
            )
            .help("use an https:// address or a path relative to the site");
            match value_line(text, table, "url", url) {
                Some(span) => d.at(text, span),
                None => d,
            }
        })
        .collect()
}

/// Where `table.key`'s value `value` is written in TOML `text`: the value
/// itself when it is written as it reads, else the line that sets it
/// (`table.key = `, `key = ` under `[table]`, or `table = { ... }`).
fn value_line(text: &str, table: &str, key: &str, value: &str) -> Option<Range<usize>> {
    if let Some(i) = text.find(value).filter(|_| !value.is_empty()) {
        return Some(i..i + value.len());
    }
    let sets = |line: &str, name: &str| {
        line.strip_prefix(name)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    };
    let mut offset = 0;
    let mut in_table = false;
    let mut inline = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let start = offset + line.len() - line.trim_start().len();
        let span = start..start + trimmed.len();
        if trimmed.starts_with('[') {
            in_table = trimmed.trim_matches(|c| c == '[' || c == ']').trim() == table;
        } else if sets(trimmed, &format!("{table}.{key}")) || (in_table && sets(trimmed, key)) {
            return Some(span);
        } else if sets(trimmed, table) && inline.is_none() {
            inline = Some(span);
        }
        offset += line.len();
    }
    inline
}

/// A warning when a TOML escape (`\u000b`, `\b`, `\f`) in the front matter
/// makes a character that XML 1.0 forbids: pages and feeds leave it out
/// ([`crate::escape::esc`]), and the editor should know. Only front matter
/// with a backslash is parsed a second time for it.
fn forbidden_escapes(path: &str, text: &Arc<str>, range: Range<usize>) -> Option<Diagnostic> {
    let toml_text = &text[range.clone()];
    if !toml_text.contains('\\') {
        return None;
    }
    fn holds(value: &toml::Value) -> bool {
        match value {
            toml::Value::String(s) => s.contains(crate::escape::is_xml_forbidden),
            toml::Value::Array(items) => items.iter().any(holds),
            toml::Value::Table(table) => table
                .iter()
                .any(|(k, v)| k.contains(crate::escape::is_xml_forbidden) || holds(v)),
            _ => false,
        }
    }
    let table: toml::Table = toml_text.parse().ok()?;
    if !table
        .iter()
        .any(|(k, v)| k.contains(crate::escape::is_xml_forbidden) || holds(v))
    {
        return None;
    }
    // Point at the first escape that can make one.
    let at = ["\\u00", "\\U0000", "\\b", "\\f"]
        .iter()
        .filter_map(|e| toml_text.find(e))
        .min()
        .unwrap_or(0);
    Some(
        Diagnostic::warning(
            path,
            "the front matter makes a control character that web pages and feeds cannot carry; it is left out of them",
        )
        .at(text, range.start + at..range.start + at + 2)
        .help("remove the escape (such as \\u000b, \\b or \\f) from the string"),
    )
}

const FRONT_MATTER_HELP: &str = "front matter takes: title, subtitle, date, description, tags, \
     draft, language, slug, source, speakers, interviewer, interviewee, translator, translation_of, \
     align, media, embargo, list_while_embargoed, withheld (see docs/content-format.md)";

/// The byte range of the TOML between the `+++` lines, if the file has front matter.
fn front_matter_range(path: &str, text: &Arc<str>) -> Result<Option<Range<usize>>, Diagnostic> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let first_line = text[..first_line_end].trim_end();
    if first_line == "---" {
        return Err(Diagnostic::error(path, "YAML front matter (---) is not supported")
            .at(text, 0..3)
            .help("verbatim reads TOML front matter between +++ lines; write `title = \"...\"` instead of `title: ...`"));
    }
    if first_line != DELIMITER {
        return Ok(None);
    }
    let start = (first_line_end + 1).min(text.len());
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        if line.trim_end() == DELIMITER {
            return Ok(Some(start..offset));
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(path, "the front matter opened on line 1 is never closed")
            .at(text, 0..3)
            .help("end the front matter with a line that holds only +++"),
    )
}

impl DateValue {
    /// The date as `YYYY-MM-DD`, or an explanation of what is wrong.
    pub fn to_iso_date(&self) -> Result<String, String> {
        let s = match self {
            DateValue::Toml(dt) => match dt.date {
                Some(d) => return Ok(format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)),
                None => return Err(format!("`{dt}` has no date part")),
            },
            DateValue::Text(s) => s.trim(),
        };
        let ok = s.len() >= 10
            && s.as_bytes()[4] == b'-'
            && s.as_bytes()[7] == b'-'
            && s[..4].bytes().all(|b| b.is_ascii_digit())
            && s[5..7].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
            && s[8..10].parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
        if ok {
            Ok(s[..10].to_string())
        } else {
            Err(format!("`{s}` is not a date"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arc(s: &str) -> Arc<str> {
        Arc::from(s)
    }

    #[test]
    fn splits_front_matter_from_body() {
        let t = arc("+++\ntitle = \"T\"\n+++\nBody\n");
        let s = split("a.md", &t).unwrap();
        assert_eq!(s.front_matter.title.as_deref(), Some("T"));
        assert_eq!(s.body, "Body\n");
        assert_eq!(&t[s.body_offset..], "Body\n");
    }

    #[test]
    fn no_front_matter_means_all_body() {
        let t = arc("Q: hi\n");
        let s = split("a.md", &t).unwrap();
        assert!(s.front_matter.title.is_none());
        assert_eq!(s.body, "Q: hi\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error_on_line_one() {
        let t = arc("+++\ntitle = \"T\"\nQ: hi\n");
        let e = split("a.md", &t).err().unwrap();
        assert!(e.message.contains("never closed"));
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn toml_errors_point_into_the_file() {
        let t = arc("+++\ntitle = \"T\"\ntitel = 3\n+++\n");
        let e = split("a.md", &t).err().unwrap();
        assert!(e.message.contains("titel"), "{}", e.message);
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn dates_in_three_spellings() {
        let d: FrontMatter = toml::from_str("date = 2026-06-22").unwrap();
        assert_eq!(d.date.unwrap().to_iso_date().unwrap(), "2026-06-22");
        let d: FrontMatter = toml::from_str("date = \"2026-06-22\"").unwrap();
        assert_eq!(d.date.unwrap().to_iso_date().unwrap(), "2026-06-22");
        let d: FrontMatter = toml::from_str("date = \"June\"").unwrap();
        assert!(d.date.unwrap().to_iso_date().is_err());
    }
}
