//! The normalized transcript model: plain data, free of file formats and HTML
//! templates. Every ingest format ends in a [`Transcript`]; every later stage
//! starts from one.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// One interview, normalized into sections of question-and-answer exchanges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    /// URL path segment of the transcript (`/<slug>/`).
    pub slug: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Publication or recording date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// BCP 47 language tag of the spoken text.
    pub language: String,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub source: Source,
    pub speakers: Vec<Speaker>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Text before the first section, as HTML.
    #[serde(default)]
    pub intro: String,
    pub sections: Vec<Section>,
    /// Who translated the transcript, when it is a translation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translators: Vec<String>,
    /// The slug of the transcript this one translates (`translation_of`);
    /// the site checks that it exists and groups the languages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation_of: Option<String>,
    /// Where this translation's turns meet the original's when they do not
    /// go one for one (`align`): from each turn number here on, the
    /// original's turn number, in order of the first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub align: Vec<(u32, u32)>,
    /// Where the front matter (or sidecar) that says so is, for messages.
    #[serde(default, skip)]
    pub translation_place: Option<crate::diagnostic::Place>,
    /// The recording, in one file or several (tapes, parts) each starting
    /// at its `offset` on the transcript's clock.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<Media>,
    /// Not published before this date (ISO): the site leaves the transcript
    /// out of builds before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embargo: Option<String>,
    /// Under its embargo, the transcript is listed with its metadata and a
    /// placeholder for its words (`list_while_embargoed`), not left out.
    #[serde(default, skip)]
    pub list_while_embargoed: bool,
    /// The `[[withheld]]` tables as written, kept only when a file is read
    /// without taking its withheld parts out (`verbatim import` writes them
    /// back); never serialized.
    #[serde(skip)]
    pub withheld: Vec<WithheldRule>,
    /// The content file this transcript came from, relative to the site root.
    pub source_path: String,
    /// Links to other pages of the site (`@/slug#q3`), as written; the site
    /// stage checks them and render turns them into relative URLs.
    #[serde(default, skip)]
    pub links: Vec<SiteLink>,
    /// Words of speech an importer read from the source and kept (`None`
    /// for native files, which are the site's text as written): the word
    /// ledger of `verbatim check` holds it against the words on the site.
    #[serde(default, skip)]
    pub words_read: WordsRead,
}

/// How many words an importer read ([`Transcript::words_read`]). It says
/// how a transcript was read, not what it holds: two transcripts with the
/// same content are equal however they were read (an import and the native
/// file it writes), so it always compares equal.
#[derive(Debug, Clone, Copy, Default)]
pub struct WordsRead(pub Option<usize>);

impl PartialEq for WordsRead {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// A link written `@/slug`, `@/slug/section` or `@/slug#anchor` in a
/// transcript, and where it is, for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteLink {
    /// The target as written, `@/` included.
    pub target: String,
    /// The content file's text and the link's byte range in it.
    pub source: std::sync::Arc<str>,
    pub span: std::ops::Range<usize>,
}

/// Where the interview was published or recorded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl Source {
    /// True when no field is set, so templates can skip the whole block.
    pub fn is_empty(&self) -> bool {
        self == &Source::default()
    }
}

/// A `[[withheld]]` table: one part (`turn`, `section` or `text`) that is
/// not published, for good or until `embargo`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WithheldRule {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub turn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `YYYY-MM-DD` (the native writer writes it as a TOML date).
    #[serde(skip)]
    pub embargo: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub show_length: bool,
}

/// Audio or video the transcript was made from, or one file of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Media {
    /// As written: absolute (`https://…`), or relative to the site root (a
    /// file of `static/`), which pages turn into a path from where they are.
    pub url: String,
    pub kind: MediaKind,
    /// Where this file starts on the transcript's clock: turn times are the
    /// transcript's, so a second tape starts at the first one's length.
    #[serde(default, skip_serializing_if = "Timecode::is_zero")]
    pub offset: Timecode,
    /// The file's length, from front matter or read from a file of
    /// `static/` by the site stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Timecode>,
    /// `url` against the site's `base_url`, set by the site stage: what
    /// feeds and the JSON API give, where no page's place can resolve it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub permalink: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Audio,
    Video,
}

/// A person who speaks in the transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Speaker {
    /// Stable identifier, unique within the transcript (a slug of the name by default).
    pub id: String,
    pub name: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    /// Other labels that introduce this speaker's turns (`Q`, a surname, ...).
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// What a speaker does in the interview; decides which turns are questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Interviewer,
    Interviewee,
    Other,
}

/// A titled part of a transcript; each gets its own page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// The number as written (`01`), if the heading had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub title: String,
    /// URL path segment of the section page, unique within the transcript.
    pub slug: String,
    /// Text between the heading and the first turn, as HTML.
    #[serde(default)]
    pub intro: String,
    pub exchanges: Vec<Exchange>,
}

/// The question-and-answer unit: one question and the turns that answer it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// URL fragment (`q3`), unique within the transcript.
    pub id: Anchor,
    /// `None` for turns that come before any question in their section.
    pub question: Option<Turn>,
    pub answers: Vec<Turn>,
}

/// The URL fragment of a turn (`t12`) or of an exchange (`q3`): a letter and
/// a number, as ingest numbers them. Kept as the two rather than as a string:
/// a site holds every turn until its last page is written, and a string of
/// its own for each of a million turns and half a million exchanges was
/// 33 MB more to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Anchor {
    letter: u8,
    number: u32,
}

impl Anchor {
    /// `t` and the turn's number in its transcript (from 1).
    pub fn turn(number: u32) -> Anchor {
        Anchor {
            letter: b't',
            number,
        }
    }

    /// `q` and the exchange's number in its transcript (from 1).
    pub fn exchange(number: u32) -> Anchor {
        Anchor {
            letter: b'q',
            number,
        }
    }

    /// The number after the letter.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// Whether this is a turn's id (`t12`), not an exchange's.
    pub fn is_turn(&self) -> bool {
        self.letter == b't'
    }

    /// Reads `t12` or `q3` (as a link's `#fragment` or the JSON has it).
    pub fn parse(text: &str) -> Option<Anchor> {
        let (&letter, digits) = (text.as_bytes().first()?, text.get(1..)?);
        // Digits only, and no leading zero: the one way ingest writes it.
        let canonical = digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        let number = digits.parse().ok().filter(|_| canonical)?;
        matches!(letter, b't' | b'q').then_some(Anchor { letter, number })
    }

    /// The id as text, on the stack.
    pub fn text(&self) -> AnchorText {
        let mut text = AnchorText {
            bytes: [0; 11],
            len: 1,
        };
        text.bytes[0] = self.letter;
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(self.number).as_bytes();
        text.bytes[1..1 + digits.len()].copy_from_slice(digits);
        text.len += digits.len() as u8;
        text
    }
}

/// An [`Anchor`] written out: a letter and at most ten digits.
pub struct AnchorText {
    bytes: [u8; 11],
    len: u8,
}

impl std::ops::Deref for AnchorText {
    type Target = str;
    fn deref(&self) -> &str {
        // Always ASCII: a letter and digits.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or_default()
    }
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl Serialize for Anchor {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

impl<'de> Deserialize<'de> for Anchor {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Anchor, D::Error> {
        let text = String::deserialize(deserializer)?;
        Anchor::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{text:?} is not an id: expected `t` or `q` and a number, such as t12"
            ))
        })
    }
}

/// One uninterrupted stretch of speech by one speaker.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "TurnData")]
pub struct Turn {
    /// URL fragment (`t12`), unique within the transcript.
    pub id: Anchor,
    /// The [`Speaker::id`] of who speaks. Shared by the turns of one speaker:
    /// a site holds every turn until its last page is written, and a string
    /// of its own for each of a million turns was 24 MB more to hold.
    pub speaker: Arc<str>,
    /// The turn's paragraphs (and lists, quotes, ...) as HTML blocks; read
    /// them with [`Turn::blocks`].
    pub paragraphs: Blocks,
    /// Plain text of the turn, paragraphs separated by blank lines.
    pub text: Box<str>,
    pub start: Option<Timecode>,
    /// Subjects of this turn (Oral History as Data tags); each is also a tag
    /// of the transcript.
    pub tags: Box<[String]>,
}

/// How a turn keeps its HTML.
///
/// Most turns are paragraphs of plain words, whose HTML is each paragraph of
/// the turn's text, escaped (`&`, `<`, `>`), between `<p>` and `</p>`. Those
/// keep only their text, and the HTML is written from it when a page needs
/// it: a site holds every transcript until its last page is written, and at
/// 10,000 transcripts the HTML beside the text was 233 MB of memory, which
/// this machine's kernel clears at about half a gigabyte a second when the
/// build first touches it.
#[derive(Debug, Clone)]
pub enum Blocks {
    /// Blocks with markup (emphasis, links, lists, quotes, line breaks), as
    /// the ingest rendered them.
    Html(Box<[String]>),
    /// The blocks are the turn's text, as above.
    Text,
}

/// A block of a turn as a parser hands it to the model.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// HTML as the parser wrote it.
    Html(String),
    /// A paragraph of plain words that is `text[range]` of its turn: its HTML
    /// is those words escaped in `<p>`, written only if needed (Markdown
    /// ingest makes most paragraphs so, and writes no HTML for them).
    Paragraph(std::ops::Range<usize>),
}

impl Block {
    /// The block as HTML; `text` is its turn's text.
    pub fn into_html(self, text: &str) -> String {
        match self {
            Block::Html(html) => html,
            Block::Paragraph(range) => {
                let paragraph = &text[range];
                let mut html = String::with_capacity(paragraph.len() + 16);
                push_text_paragraph(&mut html, paragraph);
                html
            }
        }
    }
}

impl Blocks {
    /// `blocks` as a turn with `text` keeps them: [`Blocks::Text`] when each
    /// is exactly what would be written from the text's paragraph in its
    /// place, else as HTML.
    pub fn new(blocks: Vec<Block>, text: &str) -> Blocks {
        let same = each_is_a_paragraph(&blocks, text, |block, p| match block {
            Block::Paragraph(range) => text.get(range.clone()) == Some(p),
            Block::Html(html) => is_paragraph_html(html, p),
        });
        if same {
            Blocks::Text
        } else {
            Blocks::Html(blocks.into_iter().map(|b| b.into_html(text)).collect())
        }
    }
}

/// The paragraphs of a turn's text: `text.split("\n\n")` without the empty
/// ones, with the blank lines found by memchr's vector search (`str::split`
/// with a string pattern took more time than escaping the text).
fn text_paragraphs(text: &str) -> impl Iterator<Item = &str> {
    static BLANK_LINE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("\n\n"));
    let mut rest = text;
    std::iter::from_fn(move || loop {
        if rest.is_empty() {
            return None;
        }
        let paragraph = match BLANK_LINE.find(rest.as_bytes()) {
            Some(at) => {
                let paragraph = &rest[..at];
                rest = &rest[at + 2..];
                paragraph
            }
            None => std::mem::take(&mut rest),
        };
        if !paragraph.is_empty() {
            return Some(paragraph);
        }
    })
}

/// Whether `blocks` are, one for one, the paragraphs of `text`, by `is`
/// (a block and the paragraph in its place).
fn each_is_a_paragraph<B>(blocks: &[B], text: &str, is: impl Fn(&B, &str) -> bool) -> bool {
    let mut paragraphs = text_paragraphs(text);
    blocks
        .iter()
        .all(|block| paragraphs.next().is_some_and(|p| is(block, p)))
        && paragraphs.next().is_none()
}

/// Whether `html` is what [`push_text_paragraph`] writes for `paragraph`.
fn is_paragraph_html(html: &str, paragraph: &str) -> bool {
    html.strip_prefix("<p>")
        .and_then(|b| b.strip_suffix("</p>\n"))
        .is_some_and(|inner| crate::escape::is_body_escaped(paragraph, inner))
}

/// A paragraph of plain words as HTML, escaped as pulldown-cmark escapes
/// text.
pub(crate) fn push_text_paragraph(out: &mut String, paragraph: &str) {
    out.push_str("<p>");
    crate::escape::esc_body(out, paragraph);
    out.push_str("</p>\n");
}

impl Turn {
    /// The turn's blocks as HTML, in order.
    pub fn blocks(&self) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
        let (html, text) = match &self.paragraphs {
            Blocks::Html(blocks) => (Some(blocks.iter()), None),
            Blocks::Text => (None, Some(text_paragraphs(&self.text))),
        };
        let html = html.into_iter().flatten().map(|b| b.as_str().into());
        let text = text.into_iter().flatten().map(|p| {
            let mut block = String::with_capacity(p.len() + 16);
            push_text_paragraph(&mut block, p);
            block.into()
        });
        html.chain(text)
    }

    /// Appends the turn's blocks, as HTML, to `out`.
    pub fn push_blocks(&self, out: &mut String) {
        match &self.paragraphs {
            Blocks::Html(blocks) => blocks.iter().for_each(|b| out.push_str(b)),
            Blocks::Text => text_paragraphs(&self.text).for_each(|p| push_text_paragraph(out, p)),
        }
    }

    /// Calls `f` with each block's HTML in order, up to its first error. The
    /// blocks written from text go through one string of this thread, reused
    /// (the API's JSON has every turn of every transcript), not one new
    /// string each as [`Turn::blocks`] makes.
    fn try_each_block<E>(&self, mut f: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
        thread_local! {
            static BLOCK: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        match &self.paragraphs {
            Blocks::Html(blocks) => blocks.iter().try_for_each(|b| f(b)),
            Blocks::Text => BLOCK.with_borrow_mut(|block| {
                text_paragraphs(&self.text).try_for_each(|p| {
                    block.clear();
                    push_text_paragraph(block, p);
                    f(block)
                })
            }),
        }
    }

    /// Whether the blocks are each paragraph of the text escaped in `<p>`:
    /// always for [`Blocks::Text`], and for HTML that says no more.
    pub fn blocks_are_text(&self) -> bool {
        match &self.paragraphs {
            Blocks::Text => true,
            Blocks::Html(blocks) => {
                each_is_a_paragraph(blocks, &self.text, |b, p| is_paragraph_html(b, p))
            }
        }
    }

    /// The blocks as a value that serializes as the list of their HTML.
    pub fn blocks_list(&self) -> BlocksList<'_> {
        BlocksList(self)
    }
}

/// A turn's blocks, serialized as a list of HTML strings (the `paragraphs`
/// of the JSON and of templates).
#[derive(Clone, Copy)]
pub struct BlocksList<'a>(&'a Turn);

impl BlocksList<'_> {
    /// Appends the blocks, as HTML, to `out`.
    pub fn push_html(&self, out: &mut String) {
        self.0.push_blocks(out);
    }
}

impl Serialize for BlocksList<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let turn = self.0;
        let len = match &turn.paragraphs {
            Blocks::Html(blocks) => blocks.len(),
            Blocks::Text => text_paragraphs(&turn.text).count(),
        };
        let mut seq = serializer.serialize_seq(Some(len))?;
        turn.try_each_block(|block| seq.serialize_element(block))?;
        seq.end()
    }
}

impl Serialize for Turn {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // The fields in declaration order, `start` and `tags` left out when
        // empty. `paragraphs` is left out when the model keeps the turn as
        // its text alone ([`Blocks::Text`]): the HTML is then each paragraph
        // of `text` escaped in `<p>`, which a reader of the JSON writes as
        // easily as the build does, and writing it out doubled every plain
        // turn's bytes (a quarter of a site's output was the API). HTML
        // that says no more than the text is left out the same way, so
        // equal turns are written alike.
        let mut turn = serializer.serialize_struct("Turn", 6)?;
        turn.serialize_field("id", &self.id)?;
        turn.serialize_field("speaker", &*self.speaker)?;
        if self.blocks_are_text() {
            turn.skip_field("paragraphs")?;
        } else {
            turn.serialize_field("paragraphs", &self.blocks_list())?;
        }
        turn.serialize_field("text", &self.text)?;
        match &self.start {
            Some(start) => turn.serialize_field("start", start)?,
            None => turn.skip_field("start")?,
        }
        if self.tags.is_empty() {
            turn.skip_field("tags")?;
        } else {
            turn.serialize_field("tags", &self.tags)?;
        }
        turn.end()
    }
}

/// A turn as the JSON has it.
#[derive(Deserialize)]
struct TurnData {
    id: Anchor,
    speaker: String,
    /// Left out for a turn kept as text (see [`Turn`]'s serializer).
    #[serde(default)]
    paragraphs: Option<Vec<String>>,
    text: String,
    #[serde(default)]
    start: Option<Timecode>,
    #[serde(default)]
    tags: Vec<String>,
}

impl From<TurnData> for Turn {
    fn from(d: TurnData) -> Turn {
        Turn {
            paragraphs: match d.paragraphs {
                Some(html) => Blocks::new(html.into_iter().map(Block::Html).collect(), &d.text),
                None => Blocks::Text,
            },
            id: d.id,
            speaker: d.speaker.into(),
            text: d.text.into_boxed_str(),
            start: d.start,
            tags: d.tags.into_boxed_slice(),
        }
    }
}

/// Two turns are equal when they read the same: the same blocks, however
/// they are kept.
impl PartialEq for Turn {
    fn eq(&self, other: &Turn) -> bool {
        self.id == other.id
            && self.speaker == other.speaker
            && self.text == other.text
            && self.start == other.start
            && self.tags == other.tags
            && self.blocks().eq(other.blocks())
    }
}

/// A point in the recording, in milliseconds. Serialized as `hh:mm:ss` (with
/// `.mmm` when there are milliseconds), the way editors write it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timecode(pub u64);

impl Timecode {
    /// True at the very start (an offset of nothing is not written).
    pub fn is_zero(&self) -> bool {
        self.0 == 0
    }

    /// Parses `hh:mm:ss`, `mm:ss`, either with `.mmm` or `,mmm`; `None` if malformed.
    pub fn parse(s: &str) -> Option<Timecode> {
        Timecode::read(s).ok()
    }

    /// [`Timecode::parse`], saying what is wrong with a malformed time, for
    /// messages that name it ("the seconds are 99: they must be under 60").
    pub fn read(s: &str) -> Result<Timecode, String> {
        let s = s.trim();
        if s.starts_with('-') {
            return Err("a time cannot be negative".to_string());
        }
        let (clock, frac) = match s.find(['.', ',']) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let parts: Vec<&str> = clock.split(':').collect();
        if parts.len() < 2 || parts.len() > 3 {
            return Err("a time is hours:minutes:seconds or minutes:seconds".to_string());
        }
        let mut nums = Vec::with_capacity(3);
        for p in &parts {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("{p:?} is not a number of digits"));
            }
            if p.len() > 3 {
                return Err(format!("{p} has more than three digits"));
            }
            nums.push(p.parse::<u64>().map_err(|e| e.to_string())?);
        }
        let (h, m, sec) = if nums.len() == 3 {
            (nums[0], nums[1], nums[2])
        } else {
            (0, nums[0], nums[1])
        };
        if m >= 60 && nums.len() == 3 {
            return Err(format!("the minutes are {m}: they must be under 60"));
        }
        if sec >= 60 {
            return Err(format!("the seconds are {sec}: they must be under 60"));
        }
        let ms = match frac {
            None => 0,
            Some(f) if !f.is_empty() && f.len() <= 3 && f.bytes().all(|b| b.is_ascii_digit()) => {
                // "5" means 500 ms, "05" 50 ms.
                f.parse::<u64>().map_err(|e| e.to_string())? * 10u64.pow(3 - f.len() as u32)
            }
            Some(f) => {
                return Err(format!(
                    "the fraction of a second {f:?} is not one to three digits"
                ))
            }
        };
        Ok(Timecode(((h * 60 + m) * 60 + sec) * 1000 + ms))
    }

    /// True for text a person meant as a time: digits with a `:` between
    /// them, and nothing but `.`, `,`, `-`, `+` and spaces besides. A
    /// malformed one is reported, not read as words (`[00:00:99] A:` must
    /// not vanish into the turn before it).
    pub fn looks_like_one(s: &str) -> bool {
        let s = s.trim();
        s.contains(':')
            && s.bytes().any(|b| b.is_ascii_digit())
            && s.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b':' | b'.' | b',' | b'-' | b'+' | b' '))
    }

    /// `00:01:02` for `00:01:02.500`: the time as readers see it, without
    /// its milliseconds (the `clock` filter, turn heads, the timed index).
    pub fn clock(self) -> String {
        Timecode(self.0 / 1000 * 1000).to_string()
    }

    /// Whole seconds from the start (for `#t=` media fragments).
    pub fn seconds(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

impl fmt::Display for Timecode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.0 / 1000;
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
        write!(f, "{h:02}:{m:02}:{s:02}")?;
        if !self.0.is_multiple_of(1000) {
            write!(f, ".{:03}", self.0 % 1000)?;
        }
        Ok(())
    }
}

impl Serialize for Timecode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timecode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Timecode::read(&s)
            .map_err(|why| serde::de::Error::custom(format!("invalid time code {s:?}: {why}")))
    }
}

impl Transcript {
    /// The file of the recording that plays at `at` on the transcript's
    /// clock (the last to start at or before it), with its index.
    pub fn media_at(&self, at: Timecode) -> Option<(usize, &Media)> {
        let i = self.media.partition_point(|m| m.offset <= at);
        self.media
            .get(i.saturating_sub(1))
            .map(|m| (i.saturating_sub(1), m))
    }

    /// Each section with a timed turn, where it starts and (when the next
    /// section's start or the recording's length says) where it ends: the
    /// overview's timed index and the chapters export.
    pub fn section_spans(&self) -> Vec<(&Section, Timecode, Option<Timecode>)> {
        let starts: Vec<(&Section, Timecode)> = self
            .sections
            .iter()
            .filter_map(|s| Some((s, s.turns().find_map(|t| t.start)?)))
            .collect();
        let end = self.recording_length();
        starts
            .iter()
            .enumerate()
            .map(|(i, &(s, start))| {
                let next = starts.get(i + 1).map(|n| n.1).or(end);
                (s, start, next.filter(|&n| n > start))
            })
            .collect()
    }

    /// The recording's length: where its last file ends, when that file's
    /// length is known.
    pub fn recording_length(&self) -> Option<Timecode> {
        let last = self.media.last()?;
        last.duration.map(|d| Timecode(last.offset.0 + d.0))
    }

    /// The speaker with this id.
    pub fn speaker(&self, id: &str) -> Option<&Speaker> {
        self.speakers.iter().find(|s| s.id == id)
    }

    /// Every turn in reading order.
    pub fn turns(&self) -> impl Iterator<Item = &Turn> {
        self.sections.iter().flat_map(Section::turns)
    }

    /// Words of every turn.
    pub fn word_count(&self) -> usize {
        self.sections.iter().map(Section::word_count).sum()
    }

    /// Gives back the spare capacity that building the text left in its
    /// strings and lists. A site holds every transcript until the last page
    /// is written, so the slack (about a third of the text's size) counts
    /// toward the peak memory of a large build.
    pub fn shrink_to_fit(&mut self) {
        self.intro.shrink_to_fit();
        self.sections.shrink_to_fit();
        for section in &mut self.sections {
            section.intro.shrink_to_fit();
            section.exchanges.shrink_to_fit();
            for exchange in &mut section.exchanges {
                exchange.answers.shrink_to_fit();
                for turn in exchange.question.iter_mut().chain(&mut exchange.answers) {
                    if let Blocks::Html(blocks) = &mut turn.paragraphs {
                        for b in blocks.iter_mut() {
                            b.shrink_to_fit();
                        }
                    }
                }
            }
        }
    }
}

impl Section {
    /// Words of every turn of the section.
    pub fn word_count(&self) -> usize {
        self.turns().map(|turn| word_count(&turn.text)).sum()
    }

    /// The section's turns in reading order.
    pub fn turns(&self) -> impl Iterator<Item = &Turn> {
        self.exchanges.iter().flat_map(Exchange::turns)
    }

    pub fn turns_mut(&mut self) -> impl Iterator<Item = &mut Turn> {
        self.exchanges
            .iter_mut()
            .flat_map(|e| e.question.iter_mut().chain(e.answers.iter_mut()))
    }
}

impl Exchange {
    /// The question (if any) followed by the answers.
    pub fn turns(&self) -> impl Iterator<Item = &Turn> {
        self.question.iter().chain(self.answers.iter())
    }
}

/// Each turn's id and where it ends: where the next timed turn starts, or
/// `None` when no timed turn follows. One rule for the placeholders of
/// withheld turns and for the times turns are cited with.
pub fn turn_ends(sections: &[Section]) -> Vec<(Anchor, Option<Timecode>)> {
    let turns: Vec<&Turn> = sections.iter().flat_map(Section::turns).collect();
    let mut next = None;
    let mut ends: Vec<(Anchor, Option<Timecode>)> = turns
        .iter()
        .rev()
        .map(|turn| {
            let end = (turn.id, next);
            next = turn.start.or(next);
            end
        })
        .collect();
    ends.reverse();
    ends
}

/// Words of plain text: runs of characters between whitespace, as
/// `str::split_whitespace` counts them, except in scripts written without
/// spaces between words (Chinese, Japanese), where each character counts as
/// a word and their punctuation as a space, as word processors count them
/// (a page of Chinese is otherwise a handful of "words", and its reading
/// time a minute). Pages count the words of their transcript many times
/// over, so ASCII is read byte by byte and only other characters are
/// decoded.
pub fn word_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    if bytes.is_ascii() {
        // A word starts wherever a non-space follows a space (or the start).
        // Comparing each byte with the one before it, with no state carried
        // from byte to byte, and counting each run of 128 bytes in one byte,
        // lets the compiler count 16 or 32 bytes per instruction.
        let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
        let first = bytes.first().is_some_and(|&b| !space(b)) as usize;
        let (before, after) = (bytes, bytes.get(1..).unwrap_or_default());
        return first
            + before
                .chunks(128)
                .zip(after.chunks(128))
                .map(|(a, b)| {
                    let starts = a.iter().zip(b).map(|(&a, &b)| space(a) & !space(b));
                    starts.fold(0u8, |n, start| n + start as u8) as usize
                })
                .sum::<usize>();
    }
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let (space, len) = if bytes[i].is_ascii() {
            // The ASCII characters `char::is_whitespace` accepts.
            (
                matches!(bytes[i], b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'),
                1,
            )
        } else {
            match text[i..].chars().next() {
                Some(c) if written_without_spaces(c) => {
                    words += 1;
                    in_word = false;
                    i += c.len_utf8();
                    continue;
                }
                Some(c) => (c.is_whitespace() || cjk_punctuation(c), c.len_utf8()),
                None => break,
            }
        };
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
        i += len;
    }
    words
}

/// A character of a script that writes no space between words: Han
/// ideographs (with their extensions and compatibility forms), and the
/// Japanese kana. Hangul is written with spaces and counts as other words.
pub fn written_without_spaces(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{31F0}'..='\u{31FF}' // Katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9D}' // half-width Katakana
        | '\u{20000}'..='\u{3134F}') // extensions B to G
}

/// The punctuation of Chinese and Japanese text (`，` `。` `「」` `：`),
/// which stands between words as a space does.
fn cjk_punctuation(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation
        | '\u{FF01}'..='\u{FF0F}' // full-width ! to /
        | '\u{FF1A}'..='\u{FF20}' // full-width : to @
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_japanese_count_a_word_for_each_character() {
        for (text, words) in [
            ("春天的时候，河水还很高。", 10),
            ("日本語のテキスト", 8),
            ("AI 模型", 3),
            ("中文abc中文", 5),
            ("「引用」と言った。", 6),
            ("한국어 문장입니다", 2),
            ("Grüße 你好", 3),
        ] {
            assert_eq!(word_count(text), words, "{text:?}");
        }
    }

    #[test]
    fn paragraphs_split_as_str_split_does() {
        for text in [
            "",
            "a",
            "a\n\nb",
            "a\n\n\nb",
            "\n\na\n\n",
            "a\nb",
            "\n\n\n\n",
            "é\n\nü\n\n\n\nx",
        ] {
            let ours: Vec<&str> = text_paragraphs(text).collect();
            let split: Vec<&str> = text.split("\n\n").filter(|p| !p.is_empty()).collect();
            assert_eq!(ours, split, "{text:?}");
        }
    }

    fn turn(html: &[&str], text: &str) -> Turn {
        let html: Vec<Block> = html.iter().map(|b| Block::Html(b.to_string())).collect();
        Turn {
            id: Anchor::turn(1),
            speaker: "ann".into(),
            paragraphs: Blocks::new(html, text),
            text: text.into(),
            start: None,
            tags: Box::default(),
        }
    }

    #[test]
    fn anchors_read_and_write_as_the_pages_and_the_json_have_them() {
        for (text, anchor) in [
            ("t1", Anchor::turn(1)),
            ("q3", Anchor::exchange(3)),
            ("t4294967295", Anchor::turn(u32::MAX)),
        ] {
            assert_eq!(Anchor::parse(text), Some(anchor));
            assert_eq!(&*anchor.text(), text);
            assert_eq!(anchor.to_string(), text);
            let json = serde_json::to_string(&anchor).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Anchor>(&json).unwrap(), anchor);
        }
        // Only the forms ingest writes: no other letters, signs, spaces,
        // leading zeros or numbers past u32.
        for text in [
            "",
            "t",
            "q",
            "x1",
            "T1",
            "t01",
            "t0x",
            "t+1",
            "t-1",
            " t1",
            "t1 ",
            "t4294967296",
            "section",
        ] {
            assert_eq!(Anchor::parse(text), None, "{text:?}");
        }
        let error = serde_json::from_str::<Anchor>("\"intro\"").unwrap_err();
        assert!(error.to_string().contains("such as t12"), "{error}");
    }

    #[test]
    fn plain_paragraphs_are_kept_as_text_and_read_back_the_same() {
        let plain = ["<p>One &amp; two &lt;b&gt; \"q\"</p>\n", "<p>Three.</p>\n"];
        let t = turn(&plain, "One & two <b> \"q\"\n\nThree.");
        assert!(matches!(t.paragraphs, Blocks::Text));
        assert_eq!(t.blocks().collect::<Vec<_>>(), plain);
        let mut pushed = String::new();
        t.push_blocks(&mut pushed);
        assert_eq!(pushed, plain.concat());
        // Anything the text does not give back exactly keeps its HTML.
        for (html, text) in [
            (&["<p><em>One</em></p>\n"][..], "One"),
            (&["<p>two\nlines</p>\n"][..], "two lines"),
            (&["<p>One</p>\n"][..], "One\n\nTwo"),
            (&["<p>One</p>\n", "<p>Two</p>\n"][..], "One"),
            (&["<ul>\n<li>One</li>\n</ul>\n"][..], "One"),
            (&["<p>a &quot;b&quot;</p>\n"][..], "a \"b\""),
        ] {
            let t = turn(html, text);
            assert!(matches!(t.paragraphs, Blocks::Html(_)), "{html:?}");
            assert_eq!(t.blocks().collect::<Vec<_>>(), html);
        }
    }

    #[test]
    fn paragraphs_that_tile_the_text_are_kept_as_text_and_others_written() {
        let text = "One & two.\n\nThree.";
        let blocks = Blocks::new(
            vec![Block::Paragraph(0..10), Block::Paragraph(12..18)],
            text,
        );
        assert!(matches!(blocks, Blocks::Text), "{blocks:?}");
        // A block with markup among them: every block is written out.
        let blocks = Blocks::new(
            vec![
                Block::Paragraph(0..10),
                Block::Html("<p><em>Three.</em></p>\n".into()),
            ],
            text,
        );
        match blocks {
            Blocks::Html(html) => assert_eq!(
                &html[..],
                ["<p>One &amp; two.</p>\n", "<p><em>Three.</em></p>\n"]
            ),
            other => panic!("{other:?}"),
        }
        // Ranges that leave part of the text out are not the whole turn.
        let blocks = Blocks::new(vec![Block::Paragraph(0..10)], text);
        match blocks {
            Blocks::Html(html) => assert_eq!(&html[..], ["<p>One &amp; two.</p>\n"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_turn_serializes_its_blocks_as_html_either_way() {
        let text = turn(&["<p>A &amp; B</p>\n"], "A & B");
        let html = Turn {
            paragraphs: Blocks::Html(vec!["<p>A &amp; B</p>\n".into()].into()),
            ..text.clone()
        };
        assert!(matches!(text.paragraphs, Blocks::Text));
        let json = serde_json::to_string(&text).unwrap();
        assert_eq!(json, serde_json::to_string(&html).unwrap());
        // Plain paragraphs are the text's: the JSON leaves them out.
        assert_eq!(json, r#"{"id":"t1","speaker":"ann","text":"A & B"}"#);
        let back: Turn = serde_json::from_str(&json).unwrap();
        assert!(matches!(back.paragraphs, Blocks::Text));
        assert_eq!(back, html);
        // Blocks with markup are written, and read back as they were.
        let marked = Turn {
            paragraphs: Blocks::Html(vec!["<p><em>A</em> &amp; B</p>\n".into()].into()),
            ..text.clone()
        };
        let json = serde_json::to_string(&marked).unwrap();
        assert_eq!(
            json,
            r#"{"id":"t1","speaker":"ann","paragraphs":["<p><em>A</em> &amp; B</p>\n"],"text":"A & B"}"#
        );
        assert_eq!(serde_json::from_str::<Turn>(&json).unwrap(), marked);
        // So are blocks that differ from the text only in how they split it.
        let split = Turn {
            paragraphs: Blocks::Html(vec!["<p>A &amp;</p>\n".into(), "<p>B</p>\n".into()].into()),
            ..text
        };
        assert!(!split.blocks_are_text());
        assert!(serde_json::to_string(&split)
            .unwrap()
            .contains("paragraphs"));
    }

    #[test]
    fn words_count_as_split_whitespace_counts_them() {
        let texts = [
            "",
            " ",
            "one",
            " one two  three ",
            "tab\tline\nfeed\x0bvertical\x0cform\rreturn",
            "no-break\u{a0}space and\u{2003}em space",
            "Grüße aus Köln",
            "\u{3000}ideographic\u{3000}space\u{3000}",
            "a\u{85}b",
        ];
        // Longer than the 128-byte runs the ASCII count works in, with words
        // and spaces on both sides of each run's edge.
        let long = [
            "word ".repeat(100),
            format!("{} b{}c", "a".repeat(127), " ".repeat(128)),
            format!(" {} {}", "x".repeat(300), "y ".repeat(64)),
        ];
        for text in texts.iter().copied().chain(long.iter().map(String::as_str)) {
            assert_eq!(
                word_count(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn timecodes_parse_and_print() {
        assert_eq!(Timecode::parse("01:02:03"), Some(Timecode(3_723_000)));
        assert_eq!(Timecode::parse("02:03"), Some(Timecode(123_000)));
        assert_eq!(Timecode::parse("00:00:01.5"), Some(Timecode(1_500)));
        assert_eq!(Timecode::parse("00:00:01,250"), Some(Timecode(1_250)));
        assert_eq!(Timecode::parse("1:2"), Some(Timecode(62_000)));
        assert_eq!(Timecode::parse("00:61"), None);
        assert_eq!(Timecode::parse("aa:bb"), None);
        assert_eq!(Timecode::parse("12"), None);
        assert_eq!(Timecode(3_723_000).to_string(), "01:02:03");
        assert_eq!(Timecode(1_250).to_string(), "00:00:01.250");
    }
}
