//! What a page writes in its language that is not a word of the theme:
//! dates (`22. Juni 2026`, `2026年6月22日`) and the direction of its
//! script (`dir="rtl"` for Arabic, Hebrew, Persian, Urdu …). Both come from
//! ICU4X's copy of the Unicode CLDR data, so every language CLDR knows is
//! written as its readers expect, not only the ones the theme ships words
//! for. A page's language is its transcript's (`language` in front matter)
//! on the transcript's own pages, the site's everywhere else.

use icu_calendar::{Date, Gregorian};
use icu_datetime::{fieldsets::YMD, FixedCalendarDateTimeFormatter};
use icu_locale::{LocaleDirectionality, LocaleExpander};
use icu_locale_core::Locale;
use std::cell::RefCell;
use std::collections::HashMap;

type DateFormatter = FixedCalendarDateTimeFormatter<Gregorian, YMD>;

thread_local! {
    /// Each render thread's date formatters by language: making one reads
    /// the language's data, writing a date with it is cheap.
    static DATES: RefCell<HashMap<String, Option<DateFormatter>>> = RefCell::new(HashMap::new());
}

/// The language CLDR knows that `language` (a BCP 47 tag) names, or `None`
/// for a tag that does not parse or a language CLDR has no data for (whose
/// dates would come out in CLDR's root form, `2026 M06 22`).
fn known(language: &str) -> Option<Locale> {
    let locale: Locale = language.trim().parse().ok()?;
    LocaleExpander::new_extended()
        .get_likely_script(&locale.id)
        .map(|_| locale)
}

/// `2026-06-22` as the language writes a date in full, in the Gregorian
/// calendar (`June 22, 2026` in `en`, `22 June 2026` in `en-GB`, `22 de
/// junio de 2026` in `es`). A language CLDR does not know writes dates as
/// English does. `None` for text that is not a whole valid date, which
/// pages show as written.
pub fn long_date(iso: &str, language: &str) -> Option<String> {
    let mut parts = iso.split('-').map(|p| p.parse::<i32>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let date = Date::try_new_gregorian(y, u8::try_from(m).ok()?, u8::try_from(d).ok()?).ok()?;
    DATES.with_borrow_mut(|cache| {
        let formatter = cache.entry(language.to_string()).or_insert_with(|| {
            let locale = known(language).unwrap_or_else(|| "en".parse().expect("en parses"));
            DateFormatter::try_new((&locale).into(), YMD::long()).ok()
        });
        formatter.as_ref().map(|f| f.format(&date).to_string())
    })
}

/// `rtl` for a language written right to left, else `ltr`.
pub fn direction(language: &str) -> &'static str {
    match language.trim().parse::<Locale>() {
        Ok(l) if LocaleDirectionality::new_extended().is_right_to_left(&l.id) => "rtl",
        _ => "ltr",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_each_language_writes_them() {
        for (language, written) in [
            ("en", "June 22, 2026"),
            ("en-GB", "22 June 2026"),
            ("de", "22. Juni 2026"),
            ("fr", "22 juin 2026"),
            ("es", "22 de junio de 2026"),
            ("it", "22 giugno 2026"),
            ("zh", "2026年6月22日"),
            ("he", "22 ביוני 2026"),
            ("qq", "June 22, 2026"),
            ("not a tag", "June 22, 2026"),
        ] {
            assert_eq!(
                long_date("2026-06-22", language).as_deref(),
                Some(written),
                "{language}"
            );
        }
        for text in [
            "2026-06",
            "2026-13-01",
            "2026-02-30",
            "June",
            "2026-06-22-1",
        ] {
            assert_eq!(long_date(text, "en"), None, "{text}");
        }
    }

    #[test]
    fn scripts_written_right_to_left_are_rtl() {
        for rtl in ["ar", "he", "fa", "ur", "ar-EG", "yi"] {
            assert_eq!(direction(rtl), "rtl", "{rtl}");
        }
        for ltr in ["en", "zh", "de", "az-Latn", "qq", ""] {
            assert_eq!(direction(ltr), "ltr", "{ltr}");
        }
    }
}
