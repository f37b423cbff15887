//! What the index holds for each exchange, and what a result file shows of it.

use super::*;

/// One exchange of the site, as the index reads it and a search result
/// shows it. It only points into the model: the index holds one for every
/// exchange, and its result file is written from the model when that file
/// is made. (Copies of each exchange's URL, names and headings, made up
/// front, took 160 MB at 10,000 transcripts, most of it fresh memory.)
pub struct Document<'a> {
    pub(super) transcript: &'a Transcript,
    pub(super) section: &'a Section,
    pub(super) exchange: &'a Exchange,
}

impl<'a> Document<'a> {
    /// The question, plain text (empty when the exchange has none).
    pub(super) fn question(&self) -> &'a str {
        self.exchange.question.as_ref().map_or("", |q| &*q.text)
    }

    /// The answers, plain text, one paragraph per answer.
    pub(super) fn answers(&self) -> impl Iterator<Item = &'a str> + Clone {
        self.exchange.answers.iter().map(|a| &*a.text)
    }
}

/// A result as the script reads it: the fields are one letter long because
/// every result file repeats them.
impl Serialize for Document<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (t, section, e) = (self.transcript, self.section, self.exchange);
        let mut names = Vec::new();
        let answering = speaker_names(t, e, &mut names);
        let mut doc = serializer.serialize_struct("Document", 9)?;
        // The exchange's URL relative to the site root: `slug/section/#q3`.
        doc.serialize_field("u", &[&section_url(t, section), "#", &e.id.text()].concat())?;
        doc.serialize_field("q", self.question())?;
        // The answers, a blank line between each.
        doc.serialize_field("a", &Joined(self.answers(), "\n\n"))?;
        // The blank lines inside each answer (its paragraphs), when any has
        // some, so the script tells which answer holds a word.
        let inside =
            |a: &crate::model::Turn| memchr::memmem::find_iter(a.text.as_bytes(), b"\n\n").count();
        if e.answers.iter().any(|a| inside(a) > 0) {
            let counts: Vec<usize> = e.answers.iter().map(inside).collect();
            doc.serialize_field("p", &counts)?;
        } else {
            doc.skip_field("p")?;
        }
        // Who answers.
        doc.serialize_field("s", &Joined(names[..answering].iter(), ", "))?;
        // Who asks (empty without a question), for a result whose words
        // are in the question.
        let asker = e.question.as_ref().map(|q| speaker_name(t, &q.speaker));
        doc.serialize_field("k", asker.unwrap_or(""))?;
        // The number of the exchange's first turn (its question's, else its
        // first answer's); the others follow it, so a result links the
        // turn that holds its words (`#t12`).
        let first = e.turns().next().map_or(0, |turn| turn.id.number());
        doc.serialize_field("n", &first)?;
        // The transcript's title.
        doc.serialize_field("t", &t.title)?;
        // The section's title, with its number when it has one.
        let heading = section.number.iter().chain([&section.title]);
        doc.serialize_field("c", &Joined(heading, ". "))?;
        doc.end()
    }
}

/// Texts written one after the other with a separator between each, as one
/// JSON string, without joining them into a string of their own first.
pub(super) struct Joined<I>(I, &'static str);

impl<'s, I: Iterator<Item = &'s S> + Clone, S: AsRef<str> + ?Sized + 's> Serialize for Joined<I> {
    fn serialize<Z: serde::Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.collect_str(self)
    }
}

impl<'s, I: Iterator<Item = &'s S> + Clone, S: AsRef<str> + ?Sized + 's> std::fmt::Display
    for Joined<I>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, text) in self.0.clone().enumerate() {
            if i > 0 {
                f.write_str(self.1)?;
            }
            f.write_str(text.as_ref())?;
        }
        Ok(())
    }
}

/// The names of who speaks in an exchange, each once, into `names`: those
/// who answer, in order, then who asks if they are not among them. Gives
/// how many answer.
pub(super) fn speaker_names<'a>(
    t: &'a Transcript,
    e: &'a Exchange,
    names: &mut Vec<&'a str>,
) -> usize {
    let name = |id: &'a str| speaker_name(t, id);
    names.clear();
    for a in &e.answers {
        let n = name(&a.speaker);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let answering = names.len();
    if let Some(q) = &e.question {
        let n = name(&q.speaker);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    answering
}

/// A speaker's name, or the id when the transcript lists no such speaker.
fn speaker_name<'a>(t: &'a Transcript, id: &'a str) -> &'a str {
    t.speaker(id).map_or(id, |s| s.name.as_str())
}

/// Every exchange of the site, in site order (its number is its id).
pub(super) fn documents(transcripts: &[Transcript]) -> Vec<Document<'_>> {
    let count = transcripts
        .iter()
        .flat_map(|t| &t.sections)
        .map(|s| s.exchanges.len())
        .sum();
    let mut docs = Vec::with_capacity(count);
    for transcript in transcripts {
        for section in &transcript.sections {
            docs.extend(section.exchanges.iter().map(|exchange| Document {
                transcript,
                section,
                exchange,
            }));
        }
    }
    docs
}
