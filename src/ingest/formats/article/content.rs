//! The main content of a page, found as Readability finds it: paragraphs
//! score their containers (by length and commas), containers are weighted by
//! their tag and by class and id hints (`article`, `content`, `entry` up;
//! `comment`, `footer`, `sidebar`, `related`, `share` down) and by their link
//! density; the best candidate and the siblings that score near it are the
//! content. Then the content as blocks (paragraphs and headings, with how
//! much of each is bold or italic), leaving out captions, pull quotes, boxes
//! made mostly of links, scripts and forms.
//!
//! Every walk of the tree is iterative (ego_tree's `traverse`), so a page of
//! 50,000 nested `<div>`s cannot overflow the stack.

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};
use std::collections::HashMap;

type N<'a> = NodeRef<'a, Node>;

/// A paragraph or heading of the content.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// `Some(level)` for `<h1>`..`<h6>`.
    pub heading: Option<u8>,
    /// Runs of text in order: (text, bold, italic).
    pub runs: Vec<(String, bool, bool)>,
}

impl Block {
    /// The block's text, whitespace collapsed.
    pub fn text(&self) -> String {
        let joined: String = self.runs.iter().map(|(t, _, _)| t.as_str()).collect();
        crate::ingest::speech::clean(&joined)
    }

    fn share(&self, pick: impl Fn(&(String, bool, bool)) -> bool) -> f64 {
        let count = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count();
        let all: usize = self.runs.iter().map(|r| count(&r.0)).sum();
        let some: usize = self
            .runs
            .iter()
            .filter(|r| pick(r))
            .map(|r| count(&r.0))
            .sum();
        if all == 0 {
            0.0
        } else {
            some as f64 / all as f64
        }
    }

    /// The share of the block's letters that are bold.
    pub fn bold_share(&self) -> f64 {
        self.share(|r| r.1)
    }

    /// The share of the block's letters that are in italics.
    pub fn italic_share(&self) -> f64 {
        self.share(|r| r.2)
    }

    /// The bold text at the start of the block (before the first plain
    /// letter), and the text after it.
    pub fn bold_prefix(&self) -> (String, String) {
        let mut bold = String::new();
        let mut i = 0;
        while i < self.runs.len() && (self.runs[i].1 || self.runs[i].0.trim().is_empty()) {
            bold.push_str(&self.runs[i].0);
            i += 1;
        }
        let rest: String = self.runs[i..].iter().map(|r| r.0.as_str()).collect();
        (
            crate::ingest::speech::clean(&bold),
            crate::ingest::speech::clean(&rest),
        )
    }
}

impl Content {
    /// Notes an element left out of the text, with its words.
    fn note(&mut self, what: &'static str, n: &N) {
        let text: String = n
            .descendants()
            .filter_map(|d| match d.value() {
                Node::Text(t) => Some(format!("{} ", &**t)),
                _ => None,
            })
            .collect();
        let words = crate::ingest::ledger::words(&text);
        if words > 0 {
            let opening = crate::ingest::speech::clean(&text)
                .chars()
                .take(50)
                .collect();
            self.left_out.push((what, words, opening));
        }
    }
}

/// What the content held besides its blocks.
#[derive(Debug, Default)]
pub struct Content {
    pub blocks: Vec<Block>,
    /// The names pull quotes were attributed to (`<cite>`, an `author` class).
    pub quoted: Vec<String>,
    /// What was left out of the content's text: (what, words, its opening).
    pub left_out: Vec<(&'static str, usize, String)>,
}

const BLOCK_TAGS: [&str; 22] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "pre",
    "blockquote",
    "table",
    "tr",
    "td",
];
const SKIP_TAGS: [&str; 22] = [
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "nav",
    "aside",
    "figure",
    "figcaption",
    "picture",
    "img",
    "video",
    "audio",
    "object",
    "head",
    "footer",
];

/// Class and id words of containers that hold the content.
const POSITIVE: [&str; 8] = [
    "article", "body", "content", "entry", "main", "post", "blog", "story",
];
/// Class and id words of what is not the content.
const NEGATIVE: [&str; 25] = [
    "comment",
    "footer",
    "footnote",
    "sidebar",
    "related",
    "share",
    "sharing",
    "social",
    "newsletter",
    "subscribe",
    "menu",
    "nav",
    "breadcrumb",
    "banner",
    "cookie",
    "popup",
    "widget",
    "advert",
    "promo",
    "sponsor",
    "masthead",
    "header",
    "disclosure",
    "disclaimer",
    "modal",
];
/// Class words of what is inside the content but not its text: captions,
/// credits and pull quotes (in several languages), bylines and the
/// author/date boxes (`post-meta`).
const NOT_TEXT: [&str; 15] = [
    "meta",
    "caption",
    "credit",
    "pullquote",
    "pull-quote",
    "quote",
    "cita",
    "zitat",
    "byline",
    "author",
    "tags",
    "read-more",
    "readmore",
    "footnote",
    "disclosure",
];

fn hints(e: &scraper::node::Element) -> String {
    let mut s = String::new();
    if let Some(c) = e.attr("class") {
        s.push_str(c);
    }
    s.push(' ');
    if let Some(i) = e.attr("id") {
        s.push_str(i);
    }
    s.to_lowercase()
}

fn has_word(hints: &str, words: &[&str]) -> bool {
    hints
        .split(|c: char| c.is_whitespace())
        .filter(|t| !t.is_empty())
        .any(|token| {
            token.split(['-', '_']).any(|part| words.contains(&part))
                || words.iter().any(|w| w.contains('-') && token.contains(w))
        })
}

fn class_weight(e: &scraper::node::Element) -> f64 {
    let h = hints(e);
    let mut w = 0.0;
    if has_word(&h, &NEGATIVE) {
        w -= 25.0;
    }
    if has_word(&h, &POSITIVE) {
        w += 25.0;
    }
    w
}

/// Whether an element (with its subtree) is unlikely to be content at all.
fn unlikely(e: &scraper::node::Element) -> bool {
    let name = e.name();
    if SKIP_TAGS.contains(&name) || name == "header" {
        return true;
    }
    if matches!(name, "html" | "body" | "article" | "main") {
        return false;
    }
    let h = hints(e);
    has_word(&h, &NEGATIVE) && !has_word(&h, &POSITIVE)
        || e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true")
}

/// Text lengths (non-space characters) and link text lengths of every
/// element, computed in one pass.
struct Lengths {
    text: HashMap<NodeId, (usize, usize, usize)>,
}

impl Lengths {
    fn of(doc: &Html) -> Lengths {
        let mut text = HashMap::new();
        // (node, text, link text, commas) per open element.
        let mut stack: Vec<(NodeId, usize, usize, usize)> = Vec::new();
        let mut in_link = 0usize;
        let mut skip: Option<NodeId> = None;
        for edge in doc.tree.root().traverse() {
            match edge {
                Edge::Open(n) => {
                    if skip.is_some() {
                        continue;
                    }
                    match n.value() {
                        Node::Element(e) => {
                            if matches!(e.name(), "script" | "style" | "noscript" | "template") {
                                skip = Some(n.id());
                                continue;
                            }
                            if e.name() == "a" {
                                in_link += 1;
                            }
                            stack.push((n.id(), 0, 0, 0));
                        }
                        Node::Text(t) => {
                            let len = t.chars().filter(|c| !c.is_whitespace()).count();
                            let commas =
                                t.chars().filter(|c| matches!(c, ',' | '，' | '、')).count();
                            if let Some(top) = stack.last_mut() {
                                top.1 += len;
                                top.3 += commas;
                                if in_link > 0 {
                                    top.2 += len;
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(n) => {
                    if skip == Some(n.id()) {
                        skip = None;
                        continue;
                    }
                    if skip.is_some() {
                        continue;
                    }
                    if let Node::Element(e) = n.value() {
                        if e.name() == "a" {
                            in_link = in_link.saturating_sub(1);
                        }
                        if let Some((id, t, l, c)) = stack.pop() {
                            text.insert(id, (t, l, c));
                            if let Some(top) = stack.last_mut() {
                                top.1 += t;
                                top.2 += l;
                                top.3 += c;
                            }
                        }
                    }
                }
            }
        }
        Lengths { text }
    }

    fn len(&self, n: &N) -> usize {
        self.text.get(&n.id()).map_or(0, |v| v.0)
    }

    fn link_density(&self, n: &N) -> f64 {
        match self.text.get(&n.id()) {
            Some(&(t, l, _)) if t > 0 => l as f64 / t as f64,
            _ => 0.0,
        }
    }

    fn commas(&self, n: &N) -> usize {
        self.text.get(&n.id()).map_or(0, |v| v.2)
    }
}

fn element<'a>(n: &N<'a>) -> Option<&'a scraper::node::Element> {
    match n.value() {
        Node::Element(e) => Some(e),
        _ => None,
    }
}

/// The nodes of the page's main content, in order.
fn main_content<'a>(doc: &'a Html, lengths: &Lengths) -> Vec<N<'a>> {
    let mut scores: HashMap<NodeId, f64> = HashMap::new();
    let mut order: Vec<NodeId> = Vec::new();
    let mut skip: Option<NodeId> = None;
    for edge in doc.tree.root().traverse() {
        let n = match edge {
            Edge::Open(n) => n,
            Edge::Close(n) => {
                if skip == Some(n.id()) {
                    skip = None;
                }
                continue;
            }
        };
        if skip.is_some() {
            continue;
        }
        let Some(e) = element(&n) else { continue };
        if unlikely(e) {
            skip = Some(n.id());
            continue;
        }
        let name = e.name();
        let scored = matches!(name, "p" | "pre" | "td")
            || (name == "div"
                && !n
                    .children()
                    .any(|c| element(&c).is_some_and(|ce| BLOCK_TAGS.contains(&ce.name()))));
        if !scored {
            continue;
        }
        let len = lengths.len(&n);
        if len < 25 {
            continue;
        }
        let score = 1.0 + lengths.commas(&n) as f64 + (len as f64 / 100.0).min(3.0);
        for (level, ancestor) in n.ancestors().take(3).enumerate() {
            let Some(ae) = element(&ancestor) else { break };
            if matches!(ae.name(), "html") {
                break;
            }
            let entry = scores.entry(ancestor.id()).or_insert_with(|| {
                order.push(ancestor.id());
                let base = match ae.name() {
                    "div" | "article" | "main" | "section" => 5.0,
                    "pre" | "td" | "blockquote" => 3.0,
                    "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
                    _ => 0.0,
                };
                base + class_weight(ae)
            });
            *entry += match level {
                0 => score,
                1 => score / 2.0,
                _ => score / 6.0,
            };
        }
    }
    let best = order
        .iter()
        .filter_map(|id| {
            let n = doc.tree.get(*id)?;
            let s = scores[id] * (1.0 - lengths.link_density(&n));
            Some((n, s))
        })
        .fold(None::<(N, f64)>, |best, (n, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((n, s)),
        });
    let Some((top, top_score)) = best else {
        return doc
            .tree
            .root()
            .descendants()
            .find(|n| element(n).is_some_and(|e| e.name() == "body"))
            .into_iter()
            .collect();
    };
    let Some(parent) = top.parent() else {
        return vec![top];
    };
    let threshold = (top_score * 0.2).max(10.0);
    parent
        .children()
        .filter(|s| {
            if s.id() == top.id() {
                return true;
            }
            let Some(e) = element(s) else { return false };
            if unlikely(e) {
                return false;
            }
            let score = scores
                .get(&s.id())
                .map_or(0.0, |v| v * (1.0 - lengths.link_density(s)));
            if score >= threshold {
                return true;
            }
            if e.name() == "p" {
                let len = lengths.len(s);
                let ld = lengths.link_density(s);
                return (len > 80 && ld < 0.25) || (len > 0 && ld == 0.0);
            }
            false
        })
        .collect()
}

/// The page's main content as blocks.
pub fn read(doc: &Html) -> Content {
    let lengths = Lengths::of(doc);
    let roots = main_content(doc, &lengths);
    let mut content = Content::default();
    for root in roots {
        blocks_of(root, &lengths, &mut content);
    }
    content.blocks.retain(|b| !b.text().is_empty());
    content
}

/// A pull quote: a `<blockquote>` with a `<cite>`, or a quote class.
fn pull_quote_name(n: &N) -> Option<String> {
    let e = element(n)?;
    let h = hints(e);
    let quote_class = has_word(&h, &["pullquote", "pull-quote", "quote", "cita", "zitat"]);
    // Only these are searched (a search of every <div>'s subtree would be
    // quadratic in the page's depth).
    if !quote_class && !matches!(e.name(), "blockquote" | "figure" | "aside") {
        return None;
    }
    let cite = n
        .descendants()
        .find(|d| element(d).is_some_and(|de| de.name() == "cite"));
    let quoting = match e.name() {
        "blockquote" => cite.is_some(),
        "figure" | "aside" => {
            cite.is_some()
                && n.descendants()
                    .any(|d| element(&d).is_some_and(|de| de.name() == "blockquote"))
        }
        _ => false,
    };
    if !(quote_class || quoting) {
        return None;
    }
    let named = cite.or_else(|| {
        n.descendants().find(|d| {
            element(d).is_some_and(|de| has_word(&hints(de), &["author", "name", "cite"]))
        })
    });
    Some(named.map_or(String::new(), |c| {
        let text: String = c
            .descendants()
            .filter_map(|d| match d.value() {
                Node::Text(t) => Some(&**t),
                _ => None,
            })
            .collect();
        crate::ingest::speech::clean(text.trim_start_matches(['—', '–', '-', ' ']))
    }))
}

fn blocks_of(root: N, lengths: &Lengths, content: &mut Content) {
    let mut current = Block {
        heading: None,
        runs: Vec::new(),
    };
    let mut bold = 0usize;
    let mut italic = 0usize;
    let mut skip: Option<NodeId> = None;
    let flush = |current: &mut Block, content: &mut Content, heading: Option<u8>| {
        let done = std::mem::replace(
            current,
            Block {
                heading,
                runs: Vec::new(),
            },
        );
        if done.runs.iter().any(|r| !r.0.trim().is_empty()) {
            content.blocks.push(done);
        }
    };
    for edge in root.traverse() {
        match edge {
            Edge::Open(n) => {
                if skip.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Text(t) => current.runs.push((t.to_string(), bold > 0, italic > 0)),
                    Node::Element(e) => {
                        let name = e.name();
                        let is_root = n.id() == root.id();
                        if !is_root && leave_out(&n, e, lengths, content) {
                            skip = Some(n.id());
                            continue;
                        }
                        match name {
                            "b" | "strong" => bold += 1,
                            "i" | "em" => italic += 1,
                            "br" => current.runs.push((" ".into(), bold > 0, italic > 0)),
                            _ => {}
                        }
                        if BLOCK_TAGS.contains(&name) {
                            let level = name.strip_prefix('h').and_then(|l| l.parse::<u8>().ok());
                            flush(&mut current, content, level);
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if skip == Some(n.id()) {
                    skip = None;
                    continue;
                }
                if skip.is_some() {
                    continue;
                }
                if let Node::Element(e) = n.value() {
                    match e.name() {
                        "b" | "strong" => bold = bold.saturating_sub(1),
                        "i" | "em" => italic = italic.saturating_sub(1),
                        _ => {}
                    }
                    if BLOCK_TAGS.contains(&e.name()) {
                        flush(&mut current, content, None);
                    }
                }
            }
        }
    }
    flush(&mut current, content, None);
}

/// Whether an element inside the content is left out with its subtree.
fn leave_out(n: &N, e: &scraper::node::Element, lengths: &Lengths, content: &mut Content) -> bool {
    let name = e.name();
    // A pull quote names who said it (often inside a <figure>).
    let quote = if matches!(name, "figure" | "aside" | "blockquote" | "div") {
        pull_quote_name(n)
    } else {
        None
    };
    if let Some(name) = quote {
        if !name.is_empty() {
            content.quoted.push(name);
        }
        content.note("a pull quote", n);
        return true;
    }
    if SKIP_TAGS.contains(&name) || name == "header" {
        match name {
            "figure" | "figcaption" => content.note("a figure and its caption", n),
            "aside" => content.note("an aside box", n),
            "header" => content.note("a header", n),
            _ => {}
        }
        return true;
    }
    let h = hints(e);
    if has_word(&h, &NOT_TEXT) || (has_word(&h, &NEGATIVE) && !has_word(&h, &POSITIVE)) {
        content.note("a caption, credit, byline or box (by its class)", n);
        return true;
    }
    // Footnote markers: a superscript link into the page.
    if name == "sup"
        && n.descendants().any(|d| {
            element(&d).is_some_and(|de| {
                de.name() == "a" && de.attr("href").is_some_and(|h| h.starts_with('#'))
            })
        })
    {
        return true;
    }
    // Boxes and headings made mostly of links (related articles, "read
    // more", tag lists). Paragraphs are kept: a link can be what is said.
    let boxy = matches!(
        name,
        "div"
            | "section"
            | "article"
            | "ul"
            | "ol"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    );
    let limit = if name.starts_with('h') { 0.9 } else { 0.5 };
    if boxy && lengths.len(n) > 0 && lengths.link_density(n) > limit {
        content.note("a box made mostly of links", n);
        return true;
    }
    false
}
