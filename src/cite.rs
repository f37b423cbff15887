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

    /// `Section “Title”, 00:12:03–00:14:05`, for a part, onto `s`.
    fn push_part(&self, s: &mut String) {
        if let Some(section) = self.section {
            s.push_str("Section “");
            s.push_str(stop(section));
            s.push('”');
            if let Some(time) = &self.time {
                s.push_str(", ");
                s.push_str(time);
            }
        }
    }

    /// Each style and format is written straight into its string: a section
    /// page computes one citation, and building them from small strings
    /// joined was 15% of a build of 10,000 transcripts.
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
        let mut s = String::with_capacity(256);
        if !self.interviewees.is_empty() {
            push_list(&mut s, inverted_first(&self.interviewees), "and");
            s.push_str(". ");
        }
        push_by(&mut s, "Interview by ", &self.interviewers, ". ");
        s.push('“');
        s.push_str(stop(self.title));
        s.push_str(".” ");
        if self.section.is_some() {
            self.push_part(&mut s);
            s.push_str(". ");
        }
        push_by(&mut s, "Translated by ", self.translators, ". ");
        s.push_str(self.publisher);
        if let Some(d) = self.date {
            s.push_str(", ");
            push_date(&mut s, d, Written::MonthDayYear);
        }
        s.push_str(". ");
        s.push_str(&self.url);
        s.push('.');
        s
    }

    /// APA (7th edition): an interview published online.
    fn apa(&self) -> String {
        let mut s = String::with_capacity(256);
        if !self.interviewees.is_empty() {
            push_list_amp(&mut s, self.interviewees.iter().map(|n| Name::Apa(n)), true);
            s.push(' ');
        }
        match self.date {
            Some(d) => {
                s.push('(');
                push_date(&mut s, d, Written::YearMonthDay);
                s.push_str("). ");
            }
            None => s.push_str("(n.d.). "),
        }
        s.push_str(stop(self.title));
        if !self.interviewers.is_empty() {
            s.push_str(" [Interview by ");
            let by = self.interviewers.iter().map(|n| Name::InitialsFirst(n));
            push_list_amp(&mut s, by, false);
            s.push(']');
        }
        if !self.translators.is_empty() {
            s.push_str(" (");
            let by = self.translators.iter().map(|n| Name::InitialsFirst(n));
            push_list_amp(&mut s, by, false);
            s.push_str(", Trans.)");
        }
        if self.section.is_some() {
            s.push_str(". ");
            self.push_part(&mut s);
        }
        s.push_str(". ");
        s.push_str(self.publisher);
        s.push_str(". ");
        s.push_str(&self.url);
        s
    }

    /// MLA (9th edition): an interview with a title, published online.
    fn mla(&self) -> String {
        let mut s = String::with_capacity(256);
        if !self.interviewees.is_empty() {
            push_list(&mut s, inverted_first(&self.interviewees), "and");
            s.push_str(". ");
        }
        s.push('“');
        s.push_str(stop(self.title));
        s.push_str(".” ");
        // The container's elements, each after a comma.
        push_by(&mut s, "Interview by ", &self.interviewers, ", ");
        push_by(&mut s, "translated by ", self.translators, ", ");
        s.push_str(self.publisher);
        s.push_str(", ");
        if let Some(d) = self.date {
            push_date(&mut s, d, Written::DayShortMonthYear);
            s.push_str(", ");
        }
        if let Some(section) = self.section {
            s.push_str("section “");
            s.push_str(stop(section));
            s.push_str("”, ");
        }
        if let Some(time) = &self.time {
            s.push_str(time);
            s.push_str(", ");
        }
        s.push_str(&self.url);
        s.push('.');
        s
    }

    /// The CSL-JSON item with each variable on a line of its own and its
    /// value on one line: as readable as the indented form for a reader
    /// who copies it, at half the bytes, which every section page carries.
    fn csl_lines(&self) -> String {
        let mut out = Vec::with_capacity(512);
        let mut json = serde_json::Serializer::with_formatter(&mut out, TopLines::default());
        // Serializing borrowed strings and names into a vector cannot fail.
        if self.csl().serialize(&mut json).is_err() {
            return String::new();
        }
        String::from_utf8(out).unwrap_or_default()
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
        let mut s = String::with_capacity(512);
        s.push_str("@misc{");
        s.push_str(&self.id);
        let field = |s: &mut String, key: &str| {
            s.push_str(",\n  ");
            s.push_str(key);
            s.push_str(" = {");
        };
        if !self.interviewees.is_empty() {
            field(&mut s, "author");
            for (i, n) in self.interviewees.iter().enumerate() {
                if i > 0 {
                    s.push_str(" and ");
                }
                push_bib(&mut s, &Name::Inverted(n).to_string());
            }
            s.push('}');
        }
        field(&mut s, "title");
        push_bib(&mut s, self.title);
        s.push('}');
        field(&mut s, "publisher");
        push_bib(&mut s, self.publisher);
        s.push('}');
        if let Some(parts) = self.date.and_then(date_parts) {
            for (key, value) in ["year", "month", "day"].iter().zip(&parts) {
                field(&mut s, key);
                s.push_str(&value.to_string());
                s.push('}');
            }
        }
        field(&mut s, "url");
        s.push_str(&self.url);
        s.push('}');
        // Who asked and who translated go in `note`: BibTeX has no field
        // for either, and readers (pandoc) fold `howpublished` into the
        // publisher.
        let mut note = String::new();
        let mut sentence = |text: String| {
            if !note.is_empty() {
                note.push_str(". ");
            }
            note.push_str(&text);
        };
        for (lead, names) in [
            ("Interview by ", strs(&self.interviewers)),
            ("Translated by ", strs(self.translators)),
        ] {
            let mut by = String::new();
            push_by(&mut by, lead, &names, "");
            if !by.is_empty() {
                sentence(by);
            }
        }
        if self.section.is_some() {
            let mut part = String::new();
            self.push_part(&mut part);
            sentence(part);
        }
        if !note.is_empty() {
            field(&mut s, "note");
            push_bib(&mut s, &note);
            s.push('}');
        }
        s.push_str("\n}\n");
        s
    }

    /// An RIS record (`GEN` with `M3 - Interview`; the interviewers are
    /// secondary authors, the translators subsidiary ones).
    fn ris(&self) -> String {
        use std::fmt::Write;
        let mut s = String::with_capacity(512);
        // Writing into a String cannot fail.
        let mut tag = |tag: &str, value: &dyn std::fmt::Display| {
            let _ = writeln!(s, "{tag}  - {value}");
        };
        tag("TY", &"GEN");
        tag("ID", &self.id);
        for n in &self.interviewees {
            tag("AU", &Name::Inverted(n));
        }
        for n in &self.interviewers {
            tag("A2", &Name::Inverted(n));
        }
        for n in self.translators {
            tag("A4", &Name::Inverted(n));
        }
        tag("TI", &OneLine(self.title));
        tag("M3", &"Interview");
        tag("PB", &OneLine(self.publisher));
        if let Some(parts) = self.date.and_then(date_parts) {
            tag("PY", &parts[0]);
            let pad = |i: usize| parts.get(i).map_or(String::new(), |v| format!("{v:02}"));
            tag("DA", &format_args!("{}/{}/{}/", parts[0], pad(1), pad(2)));
        }
        if let Some(section) = self.section {
            tag("SE", &OneLine(section));
        }
        if let Some(time) = &self.time {
            tag("N1", &format_args!("Recording {time}"));
        }
        tag("UR", &self.url);
        tag("LA", &self.language);
        tag("ER", &"");
        s
    }
}

/// serde_json's compact form with a line break before each variable of the
/// outermost object (the CSL item's), as `csl_lines` writes it.
#[derive(Default)]
struct TopLines {
    depth: usize,
}

impl serde_json::ser::Formatter for TopLines {
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.depth += 1;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.depth -= 1;
        w.write_all(if self.depth == 0 { b"\n}" } else { b"}" })
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        match (self.depth, first) {
            (1, true) => w.write_all(b"\n  "),
            (1, false) => w.write_all(b",\n  "),
            (_, true) => Ok(()),
            (_, false) => w.write_all(b","),
        }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(if self.depth == 1 { b": " } else { b":" })
    }
}

/// A name as a style writes it.
#[derive(Clone, Copy)]
enum Name<'a> {
    AsIs(&'a str),
    /// `Tsai, Joe`.
    Inverted(&'a str),
    /// APA's author form: `Tsai, J.`.
    Apa(&'a str),
    /// APA's form in brackets: `J. Tsai`.
    InitialsFirst(&'a str),
}

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let initials = |f: &mut std::fmt::Formatter<'_>, given: &str| {
            let letters = given.split([' ', '-']).filter_map(|w| w.chars().next());
            for (i, c) in letters.enumerate() {
                write!(f, "{}{c}.", if i > 0 { " " } else { "" })?;
            }
            Ok(())
        };
        match *self {
            Name::AsIs(n) => f.write_str(n),
            Name::Inverted(n) => match split(n) {
                (Some(g), family) => write!(f, "{family}, {g}"),
                (None, family) => f.write_str(family),
            },
            Name::Apa(n) => match split(n) {
                (Some(g), family) => {
                    write!(f, "{family}, ")?;
                    initials(f, g)
                }
                (None, family) => f.write_str(family),
            },
            Name::InitialsFirst(n) => match split(n) {
                (Some(g), family) => {
                    initials(f, g)?;
                    write!(f, " {family}")
                }
                (None, family) => f.write_str(family),
            },
        }
    }
}

/// Text on one line: runs of white space as one space (as `one_line`).
struct OneLine<'a>(&'a str);

impl std::fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, word) in self.0.split_whitespace().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(word)?;
        }
        Ok(())
    }
}

/// (given, family): split at the last space; a one-word name is a family.
fn split(name: &str) -> (Option<&str>, &str) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((given, family)) => (Some(given.trim()), family),
        None => (None, name),
    }
}

/// The first name inverted (`Tsai, Joe`), the others as written.
fn inverted_first<'a>(names: &'a [&'a str]) -> impl ExactSizeIterator<Item = Name<'a>> + 'a {
    names.iter().enumerate().map(|(i, n)| {
        if i == 0 {
            Name::Inverted(n)
        } else {
            Name::AsIs(n)
        }
    })
}

fn csl_name(name: &str) -> CslName<'_> {
    match split(name) {
        (Some(given), family) => CslName::Split { family, given },
        (None, literal) => CslName::Literal { literal },
    }
}

/// `A`, `A and B`, `A, B, and C`, onto `out`.
fn push_list<'a>(out: &mut String, names: impl ExactSizeIterator<Item = Name<'a>>, and: &str) {
    use std::fmt::Write;
    let n = names.len();
    for (i, name) in names.enumerate() {
        out.push_str(match (i, n) {
            (0, _) => "",
            (1, 2) => " ",
            _ => ", ",
        });
        if i > 0 && i == n - 1 {
            out.push_str(and);
            out.push(' ');
        }
        let _ = write!(out, "{name}");
    }
}

/// `lead`, the names as a list (`A, B, and C`) and `after` onto `out`;
/// nothing when there are no names (`Interview by …. `).
fn push_by<S: AsRef<str>>(out: &mut String, lead: &str, names: &[S], after: &str) {
    if names.is_empty() {
        return;
    }
    out.push_str(lead);
    push_list(out, names.iter().map(|n| Name::AsIs(n.as_ref())), "and");
    out.push_str(after);
}

/// The names as borrowed strings.
fn strs<S: AsRef<str>>(names: &[S]) -> Vec<&str> {
    names.iter().map(AsRef::as_ref).collect()
}

/// APA's `A, B, & C` onto `out` (authors: `A, & B` too, since each is
/// `Family, I.`).
fn push_list_amp<'a>(
    out: &mut String,
    names: impl ExactSizeIterator<Item = Name<'a>>,
    authors: bool,
) {
    use std::fmt::Write;
    let n = names.len();
    for (i, name) in names.enumerate() {
        if i > 0 {
            out.push_str(match (i == n - 1, n == 2 && !authors) {
                (true, true) => " & ",
                (true, false) => ", & ",
                (false, _) => ", ",
            });
        }
        let _ = write!(out, "{name}");
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

/// `iso` written out in English as `how`, or as it is, onto `out`.
fn push_date(out: &mut String, iso: &str, how: Written) {
    match written(iso, how) {
        Some(d) => out.push_str(&d),
        None => out.push_str(iso),
    }
}

/// `text` on one line with BibTeX's special characters escaped, braces
/// balanced, onto `out`.
fn push_bib(out: &mut String, text: &str) {
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for c in word.chars() {
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
    }
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
