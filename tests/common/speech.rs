//! The words of speech in a real source file, read apart from verbatim's
//! readers with a few plain rules per format, so that tests can hold what
//! the site shows to what the source says: cue text without timings, cue
//! numbers, headers, notes and speaker marks; rows' and segments' text;
//! the lines of a transcript without its labels, stamps and header. Words
//! are lower-case runs of letters and digits, after the character
//! references sources use are decoded.

use std::path::Path;

/// Lower-case runs of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    decode(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The character references of HTML, XML and captions, decoded.
pub fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '#') {
                return None;
            }
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "lrm" => Some('\u{200e}'),
                "rlm" => Some('\u{200f}'),
                _ => name
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text with `<...>` tags removed, each a space.
pub fn strip_tags(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in text.chars() {
        match c {
            '<' => {
                inside = true;
                out.push(' ');
            }
            '>' if inside => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// A caption timing line (`00:01.000 --> 00:02.000`, `0:00:01.000,0:00:02.000`).
pub fn is_timing(line: &str) -> bool {
    let l = line.trim();
    !l.is_empty()
        && l.contains(':')
        && (l.contains("-->")
            || l.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b':' | b'.' | b',')))
}

/// Caption text lines (WebVTT, SubRip, SBV): not blank, not a timing, cue
/// number or identifier, not the WebVTT header nor a NOTE, STYLE or REGION
/// block; tags stripped, `>>` and a leading dialogue dash dropped.
pub fn caption_words(text: &str) -> Vec<String> {
    let text = text
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut skip_block = text.starts_with("WEBVTT");
    let mut block_start = true;
    let mut cue_start = false;
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            skip_block = false;
            block_start = true;
            cue_start = false;
            continue;
        }
        if block_start {
            let first = line.split_whitespace().next().unwrap_or("");
            if matches!(first, "NOTE" | "STYLE" | "REGION") {
                skip_block = true;
            }
        }
        // A cue's identifier or number opens its block; after the timing,
        // every line to the blank line is text (WebVTT's rule).
        let at_start = block_start;
        block_start = false;
        let next_is_timing = lines.get(i + 1).is_some_and(|l| is_timing(l));
        let is_id = at_start && next_is_timing && !is_timing(line);
        if skip_block || is_timing(line) || is_id {
            if is_timing(line) {
                cue_start = true;
            }
            continue;
        }
        let text = strip_tags(line);
        let mut text = text.trim_start().replace(">>", " ");
        text = text
            .trim_start()
            .strip_prefix("- ")
            .unwrap_or(&text)
            .to_string();
        // `Travis: words`, `ANN LEE: words`: the speaker, not words said.
        if cue_start || line.contains(">>") {
            if let Some((label, rest)) = text.split_once(':') {
                let label = label.trim();
                let named = !label.is_empty()
                    && label.split_whitespace().count() <= 3
                    && label
                        .split_whitespace()
                        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
                if named {
                    text = rest.to_string();
                }
            }
        }
        cue_start = false;
        out.extend(words(&text));
    }
    out
}

/// The text of every `<p>` of a TTML document (`>>` marks dropped).
pub fn ttml_words(text: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(text).expect("the TTML file parses");
    doc.descendants()
        .filter(|n| n.tag_name().name() == "p")
        .flat_map(|p| {
            let t: String = p
                .descendants()
                .filter_map(|d| d.text().filter(|_| d.is_text()))
                .collect::<Vec<_>>()
                .join(" ");
            words(&t.replace(">>", " "))
        })
        .collect()
}

/// `segments[].text` (Whisper) or `segments[].body` (Podcasting 2.0).
pub fn json_segment_words(text: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(text).expect("the JSON file parses");
    v["segments"]
        .as_array()
        .expect("a segments array")
        .iter()
        .flat_map(|s| {
            let t = s["text"].as_str().or(s["body"].as_str()).unwrap_or("");
            words(t)
        })
        .collect()
}

/// A plain-text transcript's speech: lines after the header, without
/// `Label:` prefixes, `[hh:mm:ss]`/`[mm:ss]` stamps, `[Speaker N]` labels,
/// leading `00:01:02` times, Otter's `Name  0:00` speaker lines and tools'
/// credits.
pub fn transcript_words(text: &str) -> Vec<String> {
    transcript_words_from(text, false)
}

/// [`transcript_words`] of text that is all speech from its first line
/// (`started`), or only from its first label, stamp or speaker line.
pub fn transcript_words_from(text: &str, started: bool) -> Vec<String> {
    const HEADER: [&str; 6] = [
        "INTERVIEWEE",
        "INTERVIEWER",
        "INTERVIEWERS",
        "DATE",
        "LOCATION",
        "TITLE",
    ];
    let mut out = Vec::new();
    let mut started = started;
    for line in text.lines() {
        let mut line = line.trim().trim_start_matches('\u{feff}');
        // The transcript's endnotes are not speech.
        if started
            && matches!(
                line.trim_end_matches(':').to_lowercase().as_str(),
                "notes" | "endnotes" | "footnotes"
            )
        {
            break;
        }
        // Section headings: `01. Title`, `# Title`.
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if (2..=3).contains(&digits) && line[digits..].starts_with(". ") || line.starts_with("# ") {
            continue;
        }
        // Otter: `Emma  0:22` alone on its line.
        if let Some((name, time)) = line.rsplit_once("  ") {
            if !name.trim().is_empty()
                && time
                    .trim()
                    .split(':')
                    .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
                && time.contains(':')
            {
                started = true;
                continue;
            }
        }
        if line.starts_with("Transcribed by") {
            continue;
        }
        // Bracketed stamps and labels: `[00:12]`, `[Speaker 1]`.
        while let Some(rest) = line.strip_prefix('[') {
            match rest.split_once(']') {
                Some((inner, after))
                    if inner.bytes().all(|b| b.is_ascii_digit() || b == b':')
                        || inner.starts_with("Speaker") =>
                {
                    started = true;
                    line = after.trim_start();
                }
                _ => break,
            }
        }
        // `00:01:02 words`.
        if let Some((time, rest)) = line.split_once(' ') {
            if time.contains(':') && time.bytes().all(|b| b.is_ascii_digit() || b == b':') {
                started = true;
                line = rest;
            }
        }
        match line.split_once(':') {
            Some((key, _)) if HEADER.contains(&key.trim()) => continue,
            Some((label, rest))
                if !label.is_empty()
                    && label.split_whitespace().count() <= 4
                    && label
                        .split_whitespace()
                        .all(|w| w.chars().next().is_some_and(char::is_uppercase))
                    && !label.contains(['"', ',', '?']) =>
            {
                started = true;
                out.extend(words(rest));
            }
            _ if started => out.extend(words(line)),
            _ => {}
        }
    }
    out
}

/// An Oral History as Data spreadsheet's `words` column.
pub fn csv_words(text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header row").clone();
    let col = headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case("words"))
        .expect("a words column");
    reader
        .records()
        .flat_map(|r| {
            let r = r.expect("a row");
            words(r.get(col).unwrap_or(""))
        })
        .collect()
}

/// The words of speech in `path`, by its kind; `None` for kinds without a
/// rule here (OHMS records, Podcasting HTML, saved pages: their tests read
/// them otherwise).
pub fn source_words(path: &Path) -> Option<Vec<String>> {
    let bytes = std::fs::read(path).ok()?;
    let text = match encoding_rs::Encoding::for_bom(&bytes) {
        Some((encoding, _)) => encoding.decode(&bytes).0.into_owned(),
        None => match String::from_utf8(bytes.clone()) {
            Ok(t) => t,
            Err(_) => encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(),
        },
    };
    let ext = path.extension()?.to_str()?.to_lowercase();
    match ext.as_str() {
        "vtt" | "srt" | "sbv" => Some(caption_words(&text)),
        "dfxp" | "ttml" => Some(ttml_words(&text)),
        "json" => Some(json_segment_words(&text)),
        "txt" => Some(transcript_words(&text)),
        "csv" => Some(csv_words(&text)),
        _ => None,
    }
}

/// The page as a browser's "save as text" gives it: every text of the body
/// (menus, captions, related links and footers included), one paragraph per
/// block element, blank lines between. No part of the page is chosen here.
pub fn saved_as_text(html: &str) -> String {
    use ego_tree::iter::Edge;
    const BLOCKS: [&str; 27] = [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "nav",
        "aside",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dt",
        "dd",
        "pre",
        "blockquote",
        "tr",
        "td",
        "figure",
        "figcaption",
        "br",
    ];
    const HIDDEN: [&str; 6] = ["script", "style", "noscript", "template", "svg", "head"];
    let doc = scraper::Html::parse_document(html);
    let mut out = String::new();
    let mut paragraph = String::new();
    let mut hidden = 0usize;
    let flush = |paragraph: &mut String, out: &mut String| {
        let text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            out.push_str(&text);
            out.push_str("\n\n");
        }
        paragraph.clear();
    };
    for edge in doc.root_element().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                scraper::Node::Element(e) if HIDDEN.contains(&e.name()) => hidden += 1,
                scraper::Node::Element(e) if BLOCKS.contains(&e.name()) => {
                    flush(&mut paragraph, &mut out)
                }
                scraper::Node::Text(t) if hidden == 0 => paragraph.push_str(t),
                _ => {}
            },
            Edge::Close(node) => match node.value() {
                scraper::Node::Element(e) if HIDDEN.contains(&e.name()) => hidden -= 1,
                scraper::Node::Element(e) if BLOCKS.contains(&e.name()) => {
                    flush(&mut paragraph, &mut out)
                }
                _ => {}
            },
        }
    }
    flush(&mut paragraph, &mut out);
    out
}
