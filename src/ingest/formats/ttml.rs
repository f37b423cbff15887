//! TTML and DFXP (`.ttml`, `.dfxp`, and TTML saved as `.xml`): the W3C Timed
//! Text Markup Language (<https://www.w3.org/TR/ttml1/>), in any namespace
//! (`http://www.w3.org/ns/ttml`, DFXP's `http://www.w3.org/2006/10/ttaf1`,
//! ...; element names are matched without it). Each `<p>` of the `<body>` is
//! a cue: its `begin` (relative to the `begin` of the `<div>`s and `<body>`
//! around it) is its start, `<span>` text is joined, `<br/>` breaks a line.
//! `ttm:agent` (on the `<p>`, a `<span>`, or a `<div>` around them) names the
//! speaker through the `<ttm:agent>` of the head (its `<ttm:name>`, else its
//! id); a `<p>` without one continues the last speaker. `>> ` and the
//! dialogue dash at the start of a line are unnamed speaker changes, as in
//! other caption formats. `xml:lang` of `<tt>` is the transcript's language
//! and `<ttm:title>` its title.

use super::captions::{after_mark, Changes, Marks};
use crate::diagnostic::Diagnostic;
use crate::ingest::frontmatter::FrontMatter;
use crate::ingest::normalize::{Normalized, Origin};
use crate::ingest::people::People;
use crate::ingest::sidecar::Sidecar;
use crate::ingest::speech::{clean, seconds, SpeechBuilder};
use roxmltree::{Document, Node};
use std::collections::HashMap;

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Parses a TTML document.
pub fn parse(origin: &Origin, sidecar: Sidecar) -> Result<Normalized, Vec<Diagnostic>> {
    let doc = crate::ingest::xml::parse(
        origin,
        "a TTML document",
        "TTML and DFXP files are XML with a <tt> root element",
    )?;
    read(origin, sidecar, &doc)
}

/// True when the document's root element is `<tt>` (any namespace).
pub fn is_ttml(doc: &Document) -> bool {
    doc.root_element().tag_name().name() == "tt"
}

/// Reads a parsed TTML document (OHMS's reader hands `.xml` files with a
/// `<tt>` root here).
pub fn read(
    origin: &Origin,
    sidecar: Sidecar,
    doc: &Document,
) -> Result<Normalized, Vec<Diagnostic>> {
    let tt = doc.root_element();
    if !is_ttml(doc) {
        return Err(vec![Diagnostic::error(
            origin.path,
            format!(
                "not a TTML document: the root element is <{}>, not <tt>",
                tt.tag_name().name()
            ),
        )
        .help(
            "TTML and DFXP files have a <tt> root element (namespace http://www.w3.org/ns/ttml)",
        )]);
    }
    let line_of = |node: Node| doc.text_pos_at(node.range().start).row as usize;
    let rates = Rates::of(tt);
    let head = tt.children().find(|n| local(n, "head"));
    let agents = head.map(agents).unwrap_or_default();

    let mut found = FrontMatter::default();
    if let Some(lang) = tt.attribute((XML_NS, "lang")).map(str::trim) {
        if is_language_tag(lang) {
            found.language = Some(lang.to_string());
        }
    }
    found.title = head
        .and_then(|h| h.descendants().find(|n| local(n, "title")))
        .map(|n| clean(&text_of(n)))
        .filter(|t| !t.is_empty());

    let Some(body) = tt.children().find(|n| local(n, "body")) else {
        return Err(vec![Diagnostic::error(
            origin.path,
            "the TTML document has no <body>: there are no captions to read",
        )
        .help("captions are <p begin=\"...\"> elements inside <body><div>")]);
    };
    let people = People::new(found, &sidecar);
    let builder = SpeechBuilder::new(sidecar.chapters, &people.default_label());
    let mut changes = Changes::new(builder, "`>>` or `- `");
    let mut bad_times = BadTimes::default();
    for p in body.descendants().filter(|n| local(n, "p")) {
        // The begins of the <div>s and <body> around it, then its own: TTML
        // times are relative to the parent's begin.
        let mut offset = 0.0;
        for ancestor in p.ancestors().skip(1) {
            if ancestor == tt {
                break;
            }
            if let Some(b) = ancestor.attribute("begin") {
                match time(b, &rates) {
                    Ok(v) => offset += v,
                    Err(why) => bad_times.note(line_of(ancestor), b, why),
                }
            }
        }
        let own = p.attribute("begin").or_else(|| {
            p.descendants()
                .find(|n| n.is_element() && n.attribute("begin").is_some())
                .and_then(|n| n.attribute("begin"))
        });
        let start = match own {
            Some(b) => match time(b, &rates) {
                Ok(v) => seconds(offset + v),
                Err(why) => {
                    bad_times.note(line_of(p), b, why);
                    None
                }
            },
            None => seconds(offset).filter(|_| offset > 0.0),
        };
        let agent = p.ancestors().find_map(|n| agent_of(n, &agents));
        let mut runs: Vec<(Option<String>, String)> = Vec::new();
        collect(p, agent, &agents, &mut runs);
        let mut start = start;
        let line = line_of(p);
        for (agent, text) in runs {
            match agent {
                // The agent says who speaks: a mark is only dropped.
                Some(name) => {
                    for l in text.split('\n') {
                        let l = after_mark(l, Marks::ChevronsAndDashes).unwrap_or(l);
                        changes.speak(Some(&name), &mut start, l);
                    }
                }
                None => changes.lines(&text, line, &mut start, Marks::ChevronsAndDashes),
            }
        }
    }
    let (draft, unnamed) = changes.finish(origin.path, origin.text);
    let (transcript, mut warnings) = people.normalize(draft, origin)?;
    warnings.extend(bad_times.into_diagnostic(origin));
    warnings.extend(unnamed);
    Ok((transcript, warnings))
}

/// The text of `node` in runs by speaker: `agent` is the speaker of text
/// outside any element naming another. `<br/>` is a line end; `<metadata>`
/// holds no speech.
fn collect(
    node: Node,
    agent: Option<String>,
    agents: &HashMap<String, String>,
    runs: &mut Vec<(Option<String>, String)>,
) {
    for child in node.children() {
        if child.is_text() {
            let text = child.text().unwrap_or("");
            if text.trim().is_empty() && runs.is_empty() {
                continue;
            }
            match runs.last_mut() {
                Some((a, t)) if *a == agent => t.push_str(text),
                _ => runs.push((agent.clone(), text.to_string())),
            }
        } else if child.is_element() {
            let name = child.tag_name().name();
            if name == "br" {
                if let Some((_, t)) = runs.last_mut() {
                    t.push('\n');
                }
            } else if name != "metadata" {
                let inner = agent_of(child, agents).or_else(|| agent.clone());
                collect(child, inner, agents, runs);
            }
        }
    }
}

/// The speaker `ttm:agent` names on `node`: the name of the first agent it
/// lists, else that agent's id.
fn agent_of(node: Node, agents: &HashMap<String, String>) -> Option<String> {
    let value = node.attributes().find(|a| a.name() == "agent")?.value();
    let id = value.split_whitespace().next()?;
    Some(agents.get(id).cloned().unwrap_or_else(|| id.to_string()))
}

/// The `<ttm:agent xml:id>` elements of the head: id to name (the `full`
/// `<ttm:name>` if there is one, else the first, else the id).
fn agents(head: Node) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for agent in head.descendants().filter(|n| local(n, "agent")) {
        let Some(id) = agent.attribute((XML_NS, "id")) else {
            continue;
        };
        let names: Vec<Node> = agent.children().filter(|n| local(n, "name")).collect();
        let name = names
            .iter()
            .find(|n| n.attribute("type") == Some("full"))
            .or(names.first())
            .map(|n| clean(&text_of(*n)))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| id.to_string());
        out.insert(id.to_string(), name);
    }
    out
}

fn local(node: &Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name
}

fn text_of(node: Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

/// A language tag as BCP 47 writes one (`en`, `fr-CA`, `zh-Hant`).
pub(crate) fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The timing parameters of `<tt>` (`ttp:frameRate`, ...).
#[derive(Debug, Clone, Copy)]
struct Rates {
    /// Frames per second, the multiplier applied.
    frame: f64,
    sub_frame: f64,
    tick: f64,
}

impl Rates {
    fn of(tt: Node) -> Rates {
        let param = |name: &str| {
            tt.attributes()
                .find(|a| a.name() == name)
                .map(|a| a.value().trim())
        };
        let number = |name: &str| {
            param(name)
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| v.is_finite() && *v > 0.0)
        };
        let multiplier = param("frameRateMultiplier")
            .and_then(|m| {
                let mut it = m.split_whitespace().map(|n| n.parse::<f64>().ok());
                match (it.next()??, it.next()??) {
                    (n, d) if n > 0.0 && d > 0.0 => Some(n / d),
                    _ => None,
                }
            })
            .unwrap_or(1.0);
        let declared_frame = number("frameRate");
        let frame = declared_frame.unwrap_or(30.0) * multiplier;
        let sub_frame = number("subFrameRate").unwrap_or(1.0);
        let tick = number("tickRate").unwrap_or(match declared_frame {
            Some(_) => frame * sub_frame,
            None => 1.0,
        });
        Rates {
            frame,
            sub_frame,
            tick,
        }
    }
}

/// A TTML time expression in seconds: clock time (`01:02:03.5`,
/// `01:02:03:12` frames, `01:02:03:12.1` sub-frames) or offset time (`2.22s`,
/// `1500ms`, `1.5m`, `1h`, `30f`, `10t` ticks).
fn time(expr: &str, rates: &Rates) -> Result<f64, String> {
    let s = expr.trim();
    let number = |n: &str| -> Result<f64, String> {
        let ok = !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && n.bytes().filter(|&b| b == b'.').count() <= 1
            && !n.starts_with('.')
            && !n.ends_with('.');
        if !ok {
            return Err(format!("{n:?} is not a number"));
        }
        n.parse::<f64>().map_err(|e| e.to_string())
    };
    if s.contains(':') {
        let parts: Vec<&str> = s.split(':').collect();
        if !(3..=4).contains(&parts.len()) {
            return Err("a clock time is hours:minutes:seconds".to_string());
        }
        let whole = |p: &str, what: &str| -> Result<f64, String> {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 9 {
                return Err(format!("the {what} {p:?} are not digits"));
            }
            p.parse::<f64>().map_err(|e| e.to_string())
        };
        let h = whole(parts[0], "hours")?;
        let m = whole(parts[1], "minutes")?;
        let sec = if parts.len() == 3 {
            number(parts[2])?
        } else {
            whole(parts[2], "seconds")?
        };
        if m >= 60.0 {
            return Err(format!("the minutes are {m}: they must be under 60"));
        }
        // 60 allows for a leap second, as TTML does.
        if sec > 60.0 {
            return Err(format!("the seconds are {sec}: they must be under 60"));
        }
        let frames = match parts.get(3) {
            Some(f) => {
                let (frames, sub) = match f.split_once('.') {
                    Some((f, sub)) => (whole(f, "frames")?, whole(sub, "sub-frames")?),
                    None => (whole(f, "frames")?, 0.0),
                };
                (frames + sub / rates.sub_frame) / rates.frame
            }
            None => 0.0,
        };
        return Ok(h * 3600.0 + m * 60.0 + sec + frames);
    }
    let unit_at = s
        .find(|c: char| c.is_ascii_alphabetic())
        .ok_or_else(|| "an offset time needs a unit (h, m, s, ms, f or t)".to_string())?;
    let (count, metric) = (number(&s[..unit_at])?, &s[unit_at..]);
    Ok(match metric {
        "h" => count * 3600.0,
        "m" => count * 60.0,
        "s" => count,
        "ms" => count / 1000.0,
        "f" => count / rates.frame,
        "t" => count / rates.tick,
        other => {
            return Err(format!(
                "{other:?} is not a unit of time (h, m, s, ms, f or t)"
            ))
        }
    })
}

/// Times that cannot be read: the first (its line, as written, why) and how
/// many.
#[derive(Default)]
struct BadTimes {
    first: Option<(usize, String, String)>,
    count: usize,
}

impl BadTimes {
    fn note(&mut self, line: usize, written: &str, why: String) {
        self.count += 1;
        self.first
            .get_or_insert_with(|| (line, written.to_string(), why));
    }

    fn into_diagnostic(self, origin: &Origin) -> Option<Diagnostic> {
        let (line, written, why) = self.first?;
        let more = match self.count {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        Some(
            Diagnostic::warning(
                origin.path,
                format!(
                    "the time begin=\"{written}\" cannot be read ({why}){more}; the words are kept, untimed, after the caption before"
                ),
            )
            .at_line(origin.text, line)
            .help("write TTML times as 00:01:02.500 or an offset such as 62.5s"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_expressions() {
        let r = Rates {
            frame: 25.0,
            sub_frame: 1.0,
            tick: 10_000_000.0,
        };
        let t = |s: &str| time(s, &r).unwrap();
        assert_eq!(t("2.22s"), 2.22);
        assert_eq!(t("1500ms"), 1.5);
        assert_eq!(t("1.5m"), 90.0);
        assert_eq!(t("1h"), 3600.0);
        assert_eq!(t("50f"), 2.0);
        assert_eq!(t("25000000t"), 2.5);
        assert_eq!(t("00:01:02.500"), 62.5);
        assert_eq!(t("01:00:00:12"), 3600.48);
        assert_eq!(t("100:00:00"), 360_000.0);
        assert!(time("00:61:00", &r).is_err());
        assert!(time("12", &r).is_err());
        assert!(time("1.2.3s", &r).is_err());
        assert!(time("5 years", &r).is_err());
        assert!(time("-1s", &r).is_err());
    }

    #[test]
    fn tick_rate_defaults() {
        let doc = Document::parse(r#"<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter" ttp:frameRate="30" ttp:frameRateMultiplier="1000 1001"/>"#).unwrap();
        let r = Rates::of(doc.root_element());
        assert!((r.frame - 29.97).abs() < 0.001);
        assert!((r.tick - 29.97).abs() < 0.001);
        let doc = Document::parse("<tt/>").unwrap();
        assert_eq!(Rates::of(doc.root_element()).tick, 1.0);
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("fr-CA"));
        assert!(!is_language_tag(""));
        assert!(!is_language_tag("english"));
        assert!(!is_language_tag("en_US"));
    }
}
