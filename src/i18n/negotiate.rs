//! Which language a request asks for, as Logto decides it.
//!
//! Logto lists the candidates (every `locale` query value in order, then the
//! `Accept-Language` entries sorted by q-value, highest first, stably) and
//! takes the first one i18next supports after formatting its case
//! (`zh-cn` → `zh-CN`; `de-AT`, `DE` and `zh` are not supported and skipped).
//! The same choice is made here in one pass without sorting: the first
//! supported `locale` value, else the supported entry with the highest q
//! (the earliest among equals).
//!
//! Bounded: only the first [`MAX_SCANNED_BYTES`] of the query string and of
//! the `Accept-Language` headers are read (an entry cut by the bound is
//! dropped), and nothing is allocated unless a header holds non-ASCII bytes.

use std::borrow::Cow;

use super::phrases::phrases;
use super::Language;
use crate::js;

/// How much of the query string, and of all `Accept-Language` values
/// together, is read; entries beyond it are ignored.
pub const MAX_SCANNED_BYTES: usize = 4096;

/// The language for a request with this raw `query` string and these
/// `Accept-Language` header values; `None` when it asks for no language
/// Logto supports (Logto then answers in English).
pub fn negotiate<'a>(
    query: &str,
    accept_language: impl IntoIterator<Item = &'a [u8]>,
) -> Option<Language> {
    from_query(query).or_else(|| from_header(accept_language))
}

/// The first `locale` value that is a supported language. The query is read
/// as koa reads it (`URLSearchParams`, which drops one leading `?`).
fn from_query(query: &str) -> Option<Language> {
    let query = within_bound(query, MAX_SCANNED_BYTES, b'&');
    let query = query.strip_prefix('?').unwrap_or(query);
    form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| key == "locale")
        .find_map(|(_, value)| supported(&value))
}

/// The supported entry of the highest q (the first of equals), reading the
/// values as Node does (Latin-1, several headers joined by `,`).
fn from_header<'a>(values: impl IntoIterator<Item = &'a [u8]>) -> Option<Language> {
    let mut budget = MAX_SCANNED_BYTES;
    let mut best: Option<(Language, f64)> = None;
    for value in values {
        if budget == 0 {
            break;
        }
        let text = latin1(within_bound_bytes(value, budget, b','));
        budget = budget.saturating_sub(value.len() + 2);
        for entry in text.split(',') {
            let Some((language, quality)) = parse_entry(entry) else {
                continue;
            };
            let Some(language) = supported(language) else {
                continue;
            };
            if best.is_none_or(|(_, highest)| quality > highest) {
                best = Some((language, quality));
            }
        }
    }
    best.map(|(language, _)| language)
}

/// `de-DE;q=0.8` → (`de-DE`, 0.8): the trimmed tag (none when empty) and the
/// first `q` parameter that is a JavaScript number (1 when there is none).
fn parse_entry(entry: &str) -> Option<(&str, f64)> {
    let mut parts = entry.split(';');
    let language = js::trim(parts.next().unwrap_or(""));
    if language.is_empty() {
        return None;
    }
    let quality = parts
        .find_map(|parameter| {
            let mut pair = js::trim(parameter).split('=');
            let key = pair.next();
            let value = pair.next();
            (key == Some("q")).then(|| value.and_then(js::number))?
        })
        .unwrap_or(1.0);
    Some((language, quality))
}

/// The language `code` names once i18next formats it (`formatLanguageCode`),
/// if i18next supports it: one of the phrase languages, or `cimode`.
fn supported(code: &str) -> Option<Language> {
    let formatted = format_language_code(code)?;
    let formatted = formatted.as_str();
    if formatted == "cimode" {
        return Some(Language::CiMode);
    }
    phrases().language(formatted).map(Language::Phrases)
}

/// i18next's `formatLanguageCode` (no `lowerCaseLng`, no `cleanCode`):
/// a code without `-` as it is; `ll-RR` as lower-UPPER (a script subtag
/// such as `hans` capitalized); three parts as `ll-RR-RR`, two-letter parts
/// upper-cased. `None` when the result cannot be a supported tag (longer than
/// [`Tag::CAPACITY`] bytes or not ASCII).
fn format_language_code(code: &str) -> Option<Tag> {
    let mut tag = Tag::default();
    if !code.contains('-') {
        tag.push_str(code)?;
        return Some(tag);
    }
    let mut parts = code.split('-');
    let mut next = || parts.next();
    match (next(), next(), next(), next()) {
        (Some(language), Some(region), None, _) => {
            tag.push_lower(language)?;
            tag.push('-')?;
            tag.push_subtag(region, true)?;
        }
        (Some(language), Some(second), Some(third), None) => {
            tag.push_lower(language)?;
            let sign_language = tag.as_str() == "sgn";
            tag.push('-')?;
            tag.push_subtag(second, utf16_len(second) == 2)?;
            tag.push('-')?;
            tag.push_subtag(third, !sign_language && utf16_len(third) == 2)?;
        }
        _ => tag.push_str(code)?,
    }
    Some(tag)
}

/// Script subtags i18next capitalizes (`zh-hans` → `zh-Hans`).
const SCRIPTS: [&str; 7] = ["hans", "hant", "latn", "cyrl", "cans", "mong", "arab"];

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// A formatted language code, kept on the stack.
#[derive(Default)]
struct Tag {
    bytes: [u8; Tag::CAPACITY],
    len: usize,
}

impl Tag {
    /// Longer than any tag i18next is given.
    const CAPACITY: usize = 16;

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }

    fn push(&mut self, c: char) -> Option<()> {
        if !c.is_ascii() || self.len == Tag::CAPACITY {
            return None;
        }
        self.bytes[self.len] = c as u8;
        self.len += 1;
        Some(())
    }

    fn push_str(&mut self, text: &str) -> Option<()> {
        text.chars().try_for_each(|c| self.push(c))
    }

    fn push_lower(&mut self, text: &str) -> Option<()> {
        text.chars()
            .flat_map(char::to_lowercase)
            .try_for_each(|c| self.push(c))
    }

    /// A region or script subtag: upper-cased when `upper`, then capitalized
    /// if it (lower-cased) is a script.
    fn push_subtag(&mut self, text: &str, upper: bool) -> Option<()> {
        let start = self.len;
        if upper {
            text.chars()
                .flat_map(char::to_uppercase)
                .try_for_each(|c| self.push(c))?;
        } else {
            self.push_str(text)?;
        }
        let written = &mut self.bytes[start..self.len];
        if SCRIPTS
            .iter()
            .any(|script| script.as_bytes().eq_ignore_ascii_case(written))
        {
            written.make_ascii_lowercase();
            written[0].make_ascii_uppercase();
        }
        Some(())
    }
}

/// The longest prefix of `text` of at most `limit` bytes that ends before a
/// `separator` (all of it when it fits).
fn within_bound(text: &str, limit: usize, separator: u8) -> &str {
    let bytes = within_bound_bytes(text.as_bytes(), limit, separator);
    // Cut before an ASCII separator: still on a character boundary.
    &text[..bytes.len()]
}

fn within_bound_bytes(bytes: &[u8], limit: usize, separator: u8) -> &[u8] {
    if bytes.len() <= limit {
        return bytes;
    }
    let end = bytes[..=limit]
        .iter()
        .rposition(|&byte| byte == separator)
        .unwrap_or(0);
    &bytes[..end]
}

/// Header bytes as Node reads them (Latin-1); borrowed when plain ASCII.
fn latin1(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) if text.is_ascii() => Cow::Borrowed(text),
        _ => Cow::Owned(bytes.iter().map(|&byte| char::from(byte)).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(query: &str, headers: &[&str]) -> Option<&'static str> {
        negotiate(query, headers.iter().map(|value| value.as_bytes())).map(Language::tag)
    }

    #[test]
    fn format_language_code_follows_i18next() {
        let formatted = |code: &str| format_language_code(code).map(|tag| tag.as_str().to_owned());
        assert_eq!(formatted("zh-cn").as_deref(), Some("zh-CN"));
        assert_eq!(formatted("ZH-cn").as_deref(), Some("zh-CN"));
        assert_eq!(formatted("DE").as_deref(), Some("DE"));
        assert_eq!(formatted("zh-hans").as_deref(), Some("zh-Hans"));
        assert_eq!(formatted("zh-HANS-cn").as_deref(), Some("zh-Hans-CN"));
        assert_eq!(formatted("sgn-be-fr").as_deref(), Some("sgn-BE-fr"));
        assert_eq!(formatted("SGN-be-fr").as_deref(), Some("sgn-BE-fr"));
        assert_eq!(formatted("a-b-c-d").as_deref(), Some("a-b-c-d"));
        assert_eq!(formatted("fa-\u{131}r").as_deref(), Some("fa-IR"));
        assert_eq!(formatted("x-stra\u{df}e").as_deref(), Some("x-STRASSE"));
        assert_eq!(formatted("d\u{e9}"), None);
        assert_eq!(formatted(&"a".repeat(17)), None);
    }

    #[test]
    fn the_query_comes_first_then_the_best_supported_header_entry() {
        assert_eq!(tag("", &[]), None);
        assert_eq!(tag("locale=fr", &["de"]), Some("fr"));
        assert_eq!(tag("locale=xx", &["de;q=0.1, ja;q=0.2"]), Some("ja"));
        assert_eq!(tag("", &["de-AT, zh, fr;q=0.1"]), Some("fr"));
        assert_eq!(tag("", &["fr;q=0.5", "ja;q=0.5"]), Some("fr"));
        assert_eq!(tag("", &["zh-cn"]), Some("zh-CN"));
        assert_eq!(tag("locale=cimode", &[]), Some("cimode"));
    }

    #[test]
    fn latin1_header_bytes_are_read_as_node_reads_them() {
        // 0xA0 is a no-break space in Latin-1, which JavaScript's trim removes.
        let found = negotiate("", [&b"\xa0ru"[..]]).map(Language::tag);
        assert_eq!(found, Some("ru"));
        let found = negotiate("", [&b"\x85ru, ko;q=0.1"[..]]).map(Language::tag);
        assert_eq!(found, Some("ko"));
    }

    #[test]
    fn only_the_first_bytes_are_read() {
        // Thousands of entries with huge q values: the supported one past the bound is ignored.
        let filler = "xx;q=1e999999999, ".repeat(MAX_SCANNED_BYTES);
        assert_eq!(tag("", &[&format!("{filler}de")]), None);
        assert_eq!(tag("", &[&format!("de;q=0.1, {filler}")]), Some("de"));
        let long_entry = format!("ja;q=0.{}1, ko;q=0.5", "0".repeat(MAX_SCANNED_BYTES));
        assert_eq!(
            tag("", &[&long_entry]),
            None,
            "an entry cut by the bound is dropped"
        );
        let many = vec!["xx"; 10_000];
        assert_eq!(tag("", &many), None);
        let mut ending = many.clone();
        ending.push("de");
        assert_eq!(tag("", &ending), None);
        let query = format!("{}&locale=de", "a=1&".repeat(MAX_SCANNED_BYTES));
        assert_eq!(tag(&query, &[]), None);
        assert_eq!(tag(&format!("locale=de&{query}"), &[]), Some("de"));
    }

    #[test]
    fn within_bound_cuts_before_a_separator() {
        assert_eq!(within_bound("a,b", 3, b','), "a,b");
        assert_eq!(within_bound("ab,cd,ef", 5, b','), "ab,cd");
        assert_eq!(within_bound("ab,cd,ef", 4, b','), "ab");
        assert_eq!(within_bound("abcdef", 4, b','), "");
        assert_eq!(within_bound("ab,cd", 2, b','), "ab");
    }
}
