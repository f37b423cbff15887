//! How a transcript is cited: one set of facts (who was interviewed, by
//! whom, translated by whom, its title, publisher, date and permanent URL)
//! written in the common styles (Chicago, APA, MLA) and in the three
//! formats reference managers read (CSL-JSON, BibTeX, RIS). The overview
//! page shows them and the JSON API gives the CSL-JSON item, both from here.
//!
//! A section is cited as a part of its interview: its title and, with a
//! recording, its stretch of time go into each style and format, and its
//! page's address into the URL. A section page writes its citation once,
//! with its address, key and time beside it (`data-url`, `data-key`,
//! `data-time`), and the theme's script makes any turn's citation from it
//! by putting the turn's in their place: the styles live here alone.
//!
//! Names are split at their last space (`Joe Tsai` is Tsai, Joe): styles
//! invert the first author's name, and a source gives no other hint. A
//! one-word name is kept whole.

use crate::config::Config;
use crate::exports::one_line;
use crate::ingest::dates::{written, Written};
use crate::model::{Role, Transcript};
use crate::site::urls::{section_url, transcript_url};
use serde::Serialize;

/// The facts a citation of a transcript gives.
#[derive(Clone)]
pub struct Work<'a> {
    /// The citation key: letters, digits and `-`.
    pub id: String,
    pub title: &'a str,
    pub interviewees: Vec<&'a str>,
    pub interviewers: Vec<&'a str>,
    pub translators: &'a [String],
    /// The publisher of the interview, else of the site.
    pub publisher: &'a str,
    /// `YYYY-MM-DD`.
    pub date: Option<&'a str>,
    pub url: String,
    pub language: &'a str,
    /// The section cited, when a part is.
    pub section: Option<&'a str>,
    /// The part's stretch of the recording (`00:12:03–00:14:05`).
    pub time: Option<String>,
}

/// A CSL-JSON item, borrowed from the work it cites (the API writes one
/// per transcript into one file, so none is built as a JSON value first).
#[derive(Serialize)]
pub struct CslItem<'a> {
    #[serde(rename = "URL")]
    url: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName<'a>>,
    id: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    interviewer: Vec<CslName<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<Issued>,
    language: &'a str,
    /// The part's time, as CSL has no variable for a stretch of a recording.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    publisher: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a str>,
    title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    translator: Vec<CslName<'a>>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
pub enum CslName<'a> {
    Split { family: &'a str, given: &'a str },
    Literal { literal: &'a str },
}

#[derive(Serialize)]
pub struct Issued {
    #[serde(rename = "date-parts")]
    date_parts: [Vec<u32>; 1],
}

/// A work serializes as its CSL-JSON item (the API's `citation`).
impl Serialize for Work<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.csl().serialize(s)
    }
}

/// Everything a page shows of a citation.
pub struct Citation {
    pub chicago: String,
    pub apa: String,
    pub mla: String,
    /// The CSL-JSON item, a line per variable.
    pub csl: String,
    pub bibtex: String,
    pub ris: String,
}

impl<'a> Work<'a> {
    pub fn of(config: &'a Config, t: &'a Transcript) -> Work<'a> {
        // A speaker the source did not name gets its role as a name
        // ("Interviewer"): that is no one to cite.
        let names = |role: Role| -> Vec<&'a str> {
            t.speakers
                .iter()
                .filter(|s| s.role == role)
                .map(|s| s.name.as_str())
                .filter(|n| {
                    !["interviewer", "interviewee", "speaker"].contains(&n.to_lowercase().as_str())
                })
                .collect()
        };
        Work {
            id: bib_key(&t.slug),
            title: &t.title,
            interviewees: names(Role::Interviewee),
            interviewers: names(Role::Interviewer),
            translators: &t.translators,
            publisher: t
                .source
                .publisher
                .as_deref()
                .or(config.author.as_deref())
                .unwrap_or(&config.title),
            date: t.date.as_deref(),
            url: [config.base_url.as_str(), &transcript_url(t)].concat(),
            language: &t.language,
            section: None,
            time: None,
        }
    }

    /// Section `s` of `t`, a part of the interview, with its time when
    /// given.
    pub fn of_section(
        config: &'a Config,
        t: &'a Transcript,
        s: usize,
        time: Option<String>,
    ) -> Work<'a> {
        let section = &t.sections[s];
        Work {
            id: bib_key(&[t.slug.as_str(), "-", &section.slug].concat()),
            url: [config.base_url.as_str(), &section_url(t, section)].concat(),
            section: Some(&section.title),
            time,
            ..Work::of(config, t)
        }
    }

    /// `Section “Title”, 00:12:03–00:14:05`, for a part.
    fn part(&self) -> Option<String> {
        let section = self.section?;
        Some(match &self.time {
            Some(time) => format!("Section “{}”, {time}", stop(section)),
            None => format!("Section “{}”", stop(section)),
        })
    }

    pub fn cite(&self) -> Citation {
        Citation {
            chicago: self.chicago(),
            apa: self.apa(),
            mla: self.mla(),
            csl: self.csl_lines(),
            bibtex: self.bibtex(),
            ris: self.ris(),
        }
    }

    /// Chicago (notes and bibliography), an interview's bibliography entry.
    fn chicago(&self) -> String {
        let mut s = String::new();
        if !self.interviewees.is_empty() {
            s += &list(&inverted_first(&self.interviewees), "and");
            s += ". ";
        }
        if !self.interviewers.is_empty() {
            s += &format!("Interview by {}. ", list(&self.interviewers, "and"));
        }
        s += &format!("“{}.” ", stop(self.title));
        if let Some(part) = self.part() {
            s += &part;
            s += ". ";
        }
        if !self.translators.is_empty() {
            s += &format!("Translated by {}. ", list(&strs(self.translators), "and"));
        }
        s += self.publisher;
        if let Some(d) = self.date {
            s += ", ";
            s += &date(d, Written::MonthDayYear);
        }
        s += &format!(". {}.", self.url);
        s
    }

    /// APA (7th edition): an interview published online.
    fn apa(&self) -> String {
        let mut s = String::new();
        if !self.interviewees.is_empty() {
            let names: Vec<String> = self.interviewees.iter().map(|n| apa_name(n)).collect();
            s += &list_amp(&names, true);
            s += " ";
        }
        s += &match self.date {
            Some(d) => format!("({}). ", date(d, Written::YearMonthDay)),
            None => "(n.d.). ".to_string(),
        };
        s += stop(self.title);
        if !self.interviewers.is_empty() {
            let by: Vec<String> = self
                .interviewers
                .iter()
                .map(|n| initials_first(n))
                .collect();
            s += &format!(" [Interview by {}]", list_amp(&by, false));
        }
        if !self.translators.is_empty() {
            let by: Vec<String> = self.translators.iter().map(|n| initials_first(n)).collect();
            s += &format!(" ({}, Trans.)", list_amp(&by, false));
        }
        if let Some(part) = self.part() {
            s += ". ";
            s += &part;
        }
        s += &format!(". {}. {}", self.publisher, self.url);
        s
    }

    /// MLA (9th edition): an interview with a title, published online.
    fn mla(&self) -> String {
        let mut s = String::new();
        if !self.interviewees.is_empty() {
            s += &list(&inverted_first(&self.interviewees), "and");
            s += ". ";
        }
        s += &format!("“{}.” ", stop(self.title));
        let mut parts = Vec::new();
        if !self.interviewers.is_empty() {
            parts.push(format!("Interview by {}", list(&self.interviewers, "and")));
        }
        if !self.translators.is_empty() {
            parts.push(format!(
                "translated by {}",
                list(&strs(self.translators), "and")
            ));
        }
        parts.push(self.publisher.to_string());
        if let Some(d) = self.date {
            parts.push(date(d, Written::DayShortMonthYear));
        }
        if let Some(section) = self.section {
            parts.push(format!("section “{}”", stop(section)));
        }
        if let Some(time) = &self.time {
            parts.push(time.clone());
        }
        parts.push(self.url.clone());
        s += &parts.join(", ");
        s += ".";
        s
    }

    /// The CSL-JSON item with each variable on a line of its own and its
    /// value on one line: as readable as the indented form for a reader
    /// who copies it, at half the bytes, which every section page carries.
    fn csl_lines(&self) -> String {
        let Ok(serde_json::Value::Object(item)) = serde_json::to_value(self.csl()) else {
            return String::new();
        };
        let lines: Vec<String> = item
            .iter()
            .map(|(k, v)| format!("  {}: {v}", serde_json::Value::from(k.as_str())))
            .collect();
        format!("{{\n{}\n}}", lines.join(",\n"))
    }

    /// The CSL-JSON item (type `interview`, with `interviewer` and
    /// `translator`, CSL 1.0.2).
    pub fn csl(&self) -> CslItem<'_> {
        let people =
            |names: &[&'a str]| -> Vec<CslName<'a>> { names.iter().map(|n| csl_name(n)).collect() };
        CslItem {
            url: &self.url,
            author: people(&self.interviewees),
            id: &self.id,
            interviewer: people(&self.interviewers),
            issued: self
                .date
                .and_then(date_parts)
                .map(|p| Issued { date_parts: [p] }),
            language: self.language,
            note: self.time.as_ref().map(|t| format!("Recording {t}")),
            publisher: self.publisher,
            section: self.section,
            title: self.title,
            translator: self.translators.iter().map(|n| csl_name(n)).collect(),
            kind: "interview",
        }
    }

    /// A BibTeX `@misc` entry (BibTeX has no interview type; biblatex reads
    /// it too).
    fn bibtex(&self) -> String {
        let mut fields: Vec<(&str, String)> = Vec::new();
        if !self.interviewees.is_empty() {
            fields.push(("author", bib_names(&self.interviewees)));
        }
        fields.push(("title", bib(self.title)));
        // Who asked and who translated go in `note`: BibTeX has no field
        // for either, and readers (pandoc) fold `howpublished` into the
        // publisher.
        let mut note = Vec::new();
        if !self.interviewers.is_empty() {
            note.push(format!("Interview by {}", list(&self.interviewers, "and")));
        }
        if !self.translators.is_empty() {
            note.push(format!(
                "Translated by {}",
                list(&strs(self.translators), "and")
            ));
        }
        if let Some(part) = self.part() {
            note.push(part);
        }
        fields.push(("publisher", bib(self.publisher)));
        if let Some(d) = self.date {
            if let Some(parts) = date_parts(d) {
                fields.push(("year", parts[0].to_string()));
                if let Some(m) = parts.get(1) {
                    fields.push(("month", m.to_string()));
                }
                if let Some(day) = parts.get(2) {
                    fields.push(("day", day.to_string()));
                }
            }
        }
        fields.push(("url", self.url.clone()));
        if !note.is_empty() {
            fields.push(("note", bib(&note.join(". "))));
        }
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("  {k} = {{{v}}}"))
            .collect();
        format!("@misc{{{},\n{}\n}}\n", self.id, body.join(",\n"))
    }

    /// An RIS record (`GEN` with `M3 - Interview`; the interviewers are
    /// secondary authors, the translators subsidiary ones).
    fn ris(&self) -> String {
        let mut lines = vec!["TY  - GEN".to_string(), format!("ID  - {}", self.id)];
        for n in &self.interviewees {
            lines.push(format!("AU  - {}", inverted(n)));
        }
        for n in &self.interviewers {
            lines.push(format!("A2  - {}", inverted(n)));
        }
        for n in self.translators {
            lines.push(format!("A4  - {}", inverted(n)));
        }
        lines.push(format!("TI  - {}", one_line(self.title)));
        lines.push("M3  - Interview".to_string());
        lines.push(format!("PB  - {}", one_line(self.publisher)));
        if let Some(parts) = self.date.and_then(date_parts) {
            lines.push(format!("PY  - {}", parts[0]));
            let pad = |i: usize| parts.get(i).map_or(String::new(), |v| format!("{v:02}"));
            lines.push(format!("DA  - {}/{}/{}/", parts[0], pad(1), pad(2)));
        }
        if let Some(section) = self.section {
            lines.push(format!("SE  - {}", one_line(section)));
        }
        if let Some(time) = &self.time {
            lines.push(format!("N1  - Recording {time}"));
        }
        lines.push(format!("UR  - {}", self.url));
        lines.push(format!("LA  - {}", self.language));
        lines.push("ER  - ".to_string());
        lines.join("\n") + "\n"
    }
}

fn strs(names: &[String]) -> Vec<&str> {
    names.iter().map(String::as_str).collect()
}

/// (given, family): split at the last space; a one-word name is a family.
fn split(name: &str) -> (Option<&str>, &str) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((given, family)) => (Some(given.trim()), family),
        None => (None, name),
    }
}

fn inverted(name: &str) -> String {
    match split(name) {
        (Some(g), f) => format!("{f}, {g}"),
        (None, f) => f.to_string(),
    }
}

/// The first name inverted (`Tsai, Joe`), the others as written.
fn inverted_first(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| if i == 0 { inverted(n) } else { n.to_string() })
        .collect()
}

fn initials(given: &str) -> String {
    given
        .split([' ', '-'])
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(" ")
}

/// APA's author form: `Tsai, J.`.
fn apa_name(name: &str) -> String {
    match split(name) {
        (Some(g), f) => format!("{f}, {}", initials(g)),
        (None, f) => f.to_string(),
    }
}

/// APA's form in brackets: `J. Tsai`.
fn initials_first(name: &str) -> String {
    match split(name) {
        (Some(g), f) => format!("{} {f}", initials(g)),
        (None, f) => f.to_string(),
    }
}

fn csl_name(name: &str) -> CslName<'_> {
    match split(name) {
        (Some(given), family) => CslName::Split { family, given },
        (None, literal) => CslName::Literal { literal },
    }
}

/// `A`, `A and B`, `A, B, and C`.
fn list<S: AsRef<str>>(names: &[S], and: &str) -> String {
    let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].to_string(),
        2 => format!("{} {and} {}", names[0], names[1]),
        n => format!("{}, {and} {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// APA's `A, B, & C` (authors: `A, & B` too, since each is `Family, I.`).
fn list_amp(names: &[String], authors: bool) -> String {
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        2 if !authors => format!("{} & {}", names[0], names[1]),
        n => format!("{}, & {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// The title without a final period (the style adds its own).
fn stop(title: &str) -> &str {
    title.trim().trim_end_matches('.')
}

/// `[2026, 6, 22]` from `2026-06-22` (or `[2026, 6]`, `[2026]`).
fn date_parts(iso: &str) -> Option<Vec<u32>> {
    let parts: Option<Vec<u32>> = iso.split('-').map(|p| p.parse().ok()).collect();
    parts.filter(|p| !p.is_empty() && p.len() <= 3 && p.get(1).is_none_or(|m| (1..=12).contains(m)))
}

/// `iso` written out in English as `how`, or as it is.
fn date(iso: &str, how: Written) -> String {
    written(iso, how).unwrap_or_else(|| iso.to_string())
}

/// BibTeX's special characters escaped, braces balanced.
fn bib(text: &str) -> String {
    let mut out = String::new();
    for c in one_line(text).chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            c => out.push(c),
        }
    }
    out
}

fn bib_names(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| bib(&inverted(n)))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// A citation key of letters, digits and `-` (the transcript's slug is one).
fn bib_key(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work() -> Work<'static> {
        static TRANSLATORS: std::sync::LazyLock<Vec<String>> =
            std::sync::LazyLock::new(|| vec!["Lena Ortiz".to_string()]);
        Work {
            id: "harbour".into(),
            title: "The harbour keeper",
            interviewees: vec!["Tom Reyes"],
            interviewers: vec!["Mara Lind", "Ivo Kern"],
            translators: &TRANSLATORS,
            publisher: "Coast Archive",
            date: Some("2026-09-14"),
            url: "https://example.org/harbour/".into(),
            language: "en",
            section: None,
            time: None,
        }
    }

    #[test]
    fn the_styles_read_as_their_guides_write_an_interview() {
        let w = work();
        assert_eq!(w.chicago(), "Reyes, Tom. Interview by Mara Lind and Ivo Kern. “The harbour keeper.” Translated by Lena Ortiz. Coast Archive, September 14, 2026. https://example.org/harbour/.");
        assert_eq!(w.apa(), "Reyes, T. (2026, September 14). The harbour keeper [Interview by M. Lind & I. Kern] (L. Ortiz, Trans.). Coast Archive. https://example.org/harbour/");
        assert_eq!(w.mla(), "Reyes, Tom. “The harbour keeper.” Interview by Mara Lind and Ivo Kern, translated by Lena Ortiz, Coast Archive, 14 Sept. 2026, https://example.org/harbour/.");
    }

    #[test]
    fn a_part_names_its_section_and_time_in_each_style_and_format() {
        let mut w = work();
        w.section = Some("Night shifts");
        w.time = Some("00:12:03–00:14:05".into());
        w.id = "harbour-night-shifts".into();
        assert!(w.chicago().contains(
            "“The harbour keeper.” Section “Night shifts”, 00:12:03–00:14:05. Translated"
        ));
        assert!(w
            .apa()
            .contains("(L. Ortiz, Trans.). Section “Night shifts”, 00:12:03–00:14:05. Coast"));
        assert!(w
            .mla()
            .contains("14 Sept. 2026, section “Night shifts”, 00:12:03–00:14:05, https"));
        let csl = serde_json::to_value(w.csl()).unwrap();
        assert_eq!(csl["section"], "Night shifts");
        assert_eq!(csl["note"], "Recording 00:12:03–00:14:05");
        assert!(w.bibtex().starts_with("@misc{harbour-night-shifts,"));
        assert!(w
            .ris()
            .contains("SE  - Night shifts\nN1  - Recording 00:12:03–00:14:05\n"));
    }

    #[test]
    fn the_csl_item_reads_back_as_the_item_the_api_gives() {
        let w = work();
        let lines: serde_json::Value = serde_json::from_str(&w.csl_lines()).unwrap();
        assert_eq!(lines, serde_json::to_value(w.csl()).unwrap());
        assert!(w.csl_lines().contains("\n  \"interviewer\": [{\"family\":\"Lind\",\"given\":\"Mara\"},{\"family\":\"Kern\",\"given\":\"Ivo\"}],\n"));
    }

    #[test]
    fn bibtex_escapes_and_ris_dates() {
        let mut w = work();
        w.title = "Q&A: 100% {raw}";
        assert!(
            w.bibtex().contains("title = {Q\\&A: 100\\% \\{raw\\}}"),
            "{}",
            w.bibtex()
        );
        assert!(w.ris().contains("DA  - 2026/09/14/\n"), "{}", w.ris());
        assert!(w
            .ris()
            .contains("A2  - Lind, Mara\nA2  - Kern, Ivo\nA4  - Ortiz, Lena\n"));
    }
}
