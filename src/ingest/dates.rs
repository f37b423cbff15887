//! Dates as pages and headers print them, in the common forms and
//! languages: `2026-06-22`, `2024.12.11`, `22.06.2026`, `22/06/2026`,
//! `22 June 2026`, `June 22, 2026`, `22. Juni 2026`, `22 de junio de 2026`,
//! `1er novembre 2023`, `2026年6月22日`. Read to ISO `YYYY-MM-DD`, checked
//! against the calendar. Numeric dates with slashes are read day first
//! unless the first number cannot be a month's day order (`06/22/2026`),
//! as most of the world writes them.

/// How [`written`] writes a date out in English.
#[derive(Debug, Clone, Copy)]
pub enum Written {
    /// `22 June 2026`.
    DayMonthYear,
    /// `22 Sept. 2026`: months of more than four letters shortened (MLA).
    DayShortMonthYear,
    /// `June 22, 2026`.
    MonthDayYear,
    /// `2026, June 22` (APA).
    YearMonthDay,
}

/// An ISO date (`2026-06-22`, `2026-06` or `2026`) written out in English,
/// with the English names of [`MONTHS`]; `None` for any other text.
pub fn written(iso: &str, how: Written) -> Option<String> {
    let parts: Vec<u32> = iso
        .split('-')
        .map(|p| p.parse().ok())
        .collect::<Option<Vec<u32>>>()?;
    let month = |m: u32| -> Option<String> {
        let name = MONTHS.get((m as usize).checked_sub(1)?)?[0];
        let full = [name[..1].to_uppercase(), name[1..].to_string()].concat();
        Some(match how {
            Written::DayShortMonthYear if full.len() > 4 && m == 9 => "Sept.".to_string(),
            Written::DayShortMonthYear if full.len() > 4 => format!("{}.", &full[..3]),
            _ => full,
        })
    };
    Some(match (how, parts.as_slice()) {
        (_, [y]) => y.to_string(),
        (Written::YearMonthDay, [y, m]) => format!("{y}, {}", month(*m)?),
        (_, [y, m]) => format!("{} {y}", month(*m)?),
        (Written::DayMonthYear | Written::DayShortMonthYear, [y, m, d]) => {
            format!("{d} {} {y}", month(*m)?)
        }
        (Written::MonthDayYear, [y, m, d]) => format!("{} {d}, {y}", month(*m)?),
        (Written::YearMonthDay, [y, m, d]) => format!("{y}, {} {d}", month(*m)?),
        _ => return None,
    })
}

/// Month names and their usual abbreviations (any prefix of three letters
/// or more that names one month only), in English, German, French,
/// Spanish, Italian, Portuguese and Dutch.
const MONTHS: [&[&str]; 12] = [
    &[
        "january", "januar", "janvier", "enero", "gennaio", "janeiro", "januari", "jänner",
    ],
    &[
        "february",
        "februar",
        "février",
        "fevrier",
        "febrero",
        "febbraio",
        "fevereiro",
        "februari",
    ],
    &["march", "märz", "maerz", "mars", "marzo", "março", "maart"],
    &["april", "avril", "abril", "aprile"],
    &["may", "mai", "mayo", "maggio", "maio", "mei"],
    &["june", "juni", "juin", "junio", "giugno", "junho"],
    &["july", "juli", "juillet", "julio", "luglio", "julho"],
    &["august", "août", "aout", "agosto", "augustus"],
    &[
        "september",
        "septembre",
        "septiembre",
        "settembre",
        "setembro",
        "sept",
    ],
    &[
        "october", "oktober", "octobre", "octubre", "ottobre", "outubro",
    ],
    &["november", "novembre", "noviembre", "novembro"],
    &[
        "december",
        "dezember",
        "décembre",
        "decembre",
        "diciembre",
        "dicembre",
        "dezembro",
    ],
];

/// The month a word names (1-12): a full name, or a prefix of three
/// letters or more that fits one month only (`Sept.`, `févr.`, `Dez`).
fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.chars().count() < 3 || !w.chars().all(char::is_alphabetic) {
        return None;
    }
    let mut found = None;
    for (i, names) in MONTHS.iter().enumerate() {
        if names.iter().any(|n| *n == w) {
            return Some(i as u32 + 1);
        }
        if names.iter().any(|n| n.starts_with(&w)) {
            if found.is_some_and(|f| f != i) {
                return None;
            }
            found = Some(i);
        }
    }
    found.map(|i| i as u32 + 1)
}

fn valid(year: u32, month: u32, day: u32) -> Option<String> {
    let y = i16::try_from(year)
        .ok()
        .filter(|y| (1000..=9999).contains(y))?;
    let m = i8::try_from(month).ok()?;
    let d = i8::try_from(day).ok()?;
    jiff::civil::Date::new(y, m, d).ok()?;
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// A day number as printed: `22`, `22.`, `1er`, `1º`, `3rd`.
fn day(word: &str) -> Option<u32> {
    let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
    let rest = &word[digits.len()..];
    let suffix_ok = matches!(
        rest.to_lowercase().as_str(),
        "" | "." | "," | "er" | "º" | "°" | "st" | "nd" | "rd" | "th" | "o" | "ª"
    );
    (suffix_ok && (1..=2).contains(&digits.len()))
        .then(|| digits.parse().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

fn year(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(['.', ',', ')']);
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
}

/// A numeric date at the start of `s`: its ISO form and its length in bytes.
fn numeric(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let run = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let n1 = run(0);
    if n1 == 0 || n1 > 4 || b.len() <= n1 {
        return None;
    }
    let sep = b[n1];
    if !matches!(sep, b'-' | b'.' | b'/') {
        return None;
    }
    let n2 = run(n1 + 1);
    if n2 == 0 || n2 > 2 || b.len() <= n1 + 1 + n2 || b[n1 + 1 + n2] != sep {
        return None;
    }
    let at3 = n1 + 2 + n2;
    let n3 = run(at3);
    let end = at3 + n3;
    // Not part of a longer number (`1.2.3.4`, a version).
    if b.get(end).is_some_and(|c| {
        c.is_ascii_digit() || (*c == sep && b.get(end + 1).is_some_and(u8::is_ascii_digit))
    }) {
        return None;
    }
    let num = |a: usize, n: usize| s[a..a + n].parse::<u32>().ok();
    let (first, second, third) = (num(0, n1)?, num(n1 + 1, n2)?, num(at3, n3)?);
    let iso = if n1 == 4 && (1..=2).contains(&n3) {
        valid(first, second, third)
    } else if n3 == 4 && n1 <= 2 {
        match sep {
            b'/' if second > 12 => valid(third, first, second),
            b'-' | b'.' | b'/' => valid(third, second, first),
            _ => None,
        }
    } else {
        None
    }?;
    Some((iso, end))
}

/// `2026年6月22日`.
fn cjk(s: &str) -> Option<(String, usize)> {
    let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
    let y = digits(s);
    let rest = s[y..].strip_prefix('年')?;
    let m = digits(rest);
    let rest2 = rest[m..].strip_prefix('月')?;
    let d = digits(rest2);
    let after = rest2[d..].strip_prefix('日')?;
    let iso = valid(
        s[..y].parse().ok()?,
        rest[..m].parse().ok()?,
        rest2[..d].parse().ok()?,
    )?;
    Some((iso, s.len() - after.len()))
}

fn clean(w: &str) -> &str {
    w.trim_matches(|c: char| matches!(c, ',' | '(' | ')' | '|' | '·'))
}

/// The first date in `text`, as ISO, with the byte range it was printed in.
pub fn find(text: &str) -> Option<(String, std::ops::Range<usize>)> {
    // Numeric and CJK forms, wherever they start (`marsbitPubblicato 2026-06-22`).
    let mut numeric_hit = None;
    for (i, c) in text.char_indices() {
        if !c.is_ascii_digit() || text[..i].ends_with(|p: char| p.is_ascii_digit()) {
            continue;
        }
        if let Some((iso, len)) = numeric(&text[i..]).or_else(|| cjk(&text[i..])) {
            numeric_hit = Some((iso, i..i + len));
            break;
        }
    }
    // Worded forms, by words.
    // Words split at spaces and where a lower-case letter meets a capital
    // (`Shana Nys DambrotNovember 6, 2023`: a page's byline and date glued).
    let mut words: Vec<(usize, &str)> = Vec::new();
    for w in text.split_whitespace() {
        let base = w.as_ptr() as usize - text.as_ptr() as usize;
        let mut from = 0;
        let mut prev: Option<char> = None;
        for (i, c) in w.char_indices() {
            if prev.is_some_and(char::is_lowercase) && c.is_uppercase() {
                words.push((base + from, &w[from..i]));
                from = i;
            }
            prev = Some(c);
        }
        words.push((base + from, &w[from..]));
    }
    let mut worded = None;
    for i in 0..words.len() {
        let w = |k: usize| words.get(i + k).map(|(_, w)| clean(w)).unwrap_or("");
        let skip_de = |k: usize| usize::from(matches!(w(k).to_lowercase().as_str(), "de" | "del"));
        // Day month year: `22 June 2026`, `22. Juni 2026`, `22 de junio de 2026`.
        if let Some(d) = day(w(0)) {
            let m_at = 1 + skip_de(1);
            if let Some(m) = month(w(m_at)) {
                let y_at = m_at + 1 + skip_de(m_at + 1);
                if let Some(iso) = year(w(y_at)).and_then(|y| valid(y, m, d)) {
                    worded = Some((iso, i, i + y_at));
                    break;
                }
            }
        }
        // Month day, year: `June 22, 2026`.
        if let Some(m) = month(w(0)) {
            if let (Some(d), Some(y)) = (day(w(1)), year(w(2))) {
                if let Some(iso) = valid(y, m, d) {
                    worded = Some((iso, i, i + 2));
                    break;
                }
            }
        }
    }
    let worded = worded.map(|(iso, a, b)| {
        let start = words[a].0;
        let end = words[b].0 + words[b].1.trim_end_matches([',', ')']).len();
        (iso, start..end)
    });
    match (numeric_hit, worded) {
        (Some(n), Some(w)) => Some(if w.1.start < n.1.start { w } else { n }),
        (n, w) => n.or(w),
    }
}

/// A value that starts with an ISO date (`2020-04-07T10:00:00Z`,
/// `2026-06-22`): the date, checked against the calendar.
pub fn iso_prefix(value: &str) -> Option<String> {
    let d = value.trim().get(..10)?;
    let b = d.as_bytes();
    let shaped = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    });
    (shaped && jiff::civil::Date::strptime("%Y-%m-%d", d).is_ok()).then(|| d.to_string())
}

/// `value` read as one date and nothing more (a weekday and punctuation
/// around it may stay): `7 February 1994`, `Mittwoch, 01.11.2023`. The
/// first date of a range (`7 and 8 February 1994`) is not guessed.
pub fn parse(value: &str) -> Option<String> {
    let (iso, range) = find(value)?;
    let rest = format!("{} {}", &value[..range.start], &value[range.end..]);
    let words = rest
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '-' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .count();
    (words <= 1 && !rest.chars().any(|c| c.is_ascii_digit())).then_some(iso)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_common_forms_and_languages() {
        let cases = [
            (
                "marsbitPubblicato 2026-06-22Pubblicato ultima volta 2026-06-22",
                "2026-06-22",
            ),
            ("Mittwoch, 01.11.2023", "2023-11-01"),
            ("Carlos Nadalim 27/09/2018 Comente!", "2018-09-27"),
            ("posted 06/22/2026", "2026-06-22"),
            ("Pubblicato il 2024.12.11Aggiornato", "2024-12-11"),
            ("7 February 1994", "1994-02-07"),
            ("Shana Nys DambrotNovember 6, 2023", "2023-11-06"),
            ("December 11, 2023", "2023-12-11"),
            ("Sept. 3, 2021", "2021-09-03"),
            ("22. Juni 2026", "2026-06-22"),
            ("le 1er novembre 2023", "2023-11-01"),
            ("22 de junio de 2026", "2026-06-22"),
            ("2 mars 2020", "2020-03-02"),
            ("发布于2026年6月22日", "2026-06-22"),
        ];
        for (text, iso) in cases {
            assert_eq!(find(text).map(|f| f.0).as_deref(), Some(iso), "{text}");
        }
        for text in [
            "version 1.2.3.4",
            "31.02.2020",
            "May I ask, in 1994?",
            "13 marzo",
            "Q3 2024",
        ] {
            assert_eq!(find(text), None, "{text}");
        }
    }

    #[test]
    fn a_value_that_is_a_date() {
        assert_eq!(parse("7 February 1994").as_deref(), Some("1994-02-07"));
        assert_eq!(parse("Mittwoch, 01.11.2023").as_deref(), Some("2023-11-01"));
        assert_eq!(parse("2023-12-11").as_deref(), Some("2023-12-11"));
        assert_eq!(parse("7 and 8 February 1994"), None);
        assert_eq!(parse("Unknown Date"), None);
    }
}
