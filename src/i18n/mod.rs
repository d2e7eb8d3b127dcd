//! Error messages in the request's language, as Logto answers them.
//!
//! Logto renders `message` with i18next in the language its `koa-i18next`
//! middleware picked: the `locale` query parameters first, then
//! `Accept-Language` by q-value, the first tag i18next supports exactly
//! (after its case formatting), else English. [`negotiate`] makes that choice;
//! [`Language::template`] gives the phrase (English when the language lacks
//! it, as i18next falls back); [`interpolate`] fills in `{{name}}`.
//!
//! The phrases come from `@logto/phrases` (generated into `phrases.json` by
//! `tools/phrases/generate.mjs`). Our own `mock.*` codes have no phrases and
//! stay English in every language.

mod negotiate;
mod phrases;

pub use negotiate::{negotiate, MAX_SCANNED_BYTES};
pub use phrases::{phrases, Phrases, Table};

/// A language Logto can answer in.
#[derive(Debug, Clone, Copy)]
pub enum Language {
    /// One of the languages `@logto/phrases` ships.
    Phrases(&'static Table),
    /// i18next's debugging language (`?locale=cimode`): the message is the code itself.
    CiMode,
}

impl Language {
    /// The language's tag as i18next names it (`de`, `zh-CN`, `cimode`).
    pub fn tag(self) -> &'static str {
        match self {
            Language::Phrases(table) => table.tag(),
            Language::CiMode => "cimode",
        }
    }

    /// Whether messages come out as they are written in `ErrorCode::describe`.
    pub fn is_english(self) -> bool {
        self.tag() == "en"
    }

    /// The message template of a Logto `code`: this language's phrase, else
    /// the English one; `None` for codes Logto has no phrase for (`mock.*`).
    pub fn template(self, code: &'static str) -> Option<&'static str> {
        let phrases = phrases();
        match self {
            Language::CiMode => phrases.english().get(code).map(|_| code),
            Language::Phrases(table) => table.get(code).or_else(|| phrases.english().get(code)),
        }
    }
}

/// i18next's interpolation as Logto uses it (no escaping): each `{{name}}`
/// becomes the argument of that name; unknown names stay as written.
pub fn interpolate(template: &str, arguments: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(length) = rest[start + 2..].find("}}") else {
            break;
        };
        let end = start + 2 + length + 2;
        let name = &rest[start + 2..start + 2 + length];
        out.push_str(&rest[..start]);
        match arguments.iter().find(|(key, _)| *key == name) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[start..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_fills_known_names_and_keeps_unknown_ones() {
        let args = [("type", "body")];
        assert_eq!(
            interpolate("The request {{type}} is invalid.", &args),
            "The request body is invalid."
        );
        assert_eq!(interpolate("{{method}}: no", &args), "{{method}}: no");
        assert_eq!(interpolate("{{type}}{{type}}", &args), "bodybody");
        assert_eq!(interpolate("a {{type", &args), "a {{type");
        assert_eq!(interpolate("{{}} }}", &args), "{{}} }}");
        assert_eq!(
            interpolate("{{type}}", &[("type", "{{type}} $&")]),
            "{{type}} $&",
            "values are not interpolated again"
        );
    }

    #[test]
    fn a_missing_phrase_falls_back_to_english_and_mock_codes_have_none() {
        let english = phrases().language("en").unwrap();
        let german = phrases().language("de").unwrap();
        assert_eq!(
            Language::Phrases(german).template("entity.not_found"),
            german.get("entity.not_found")
        );
        assert_ne!(
            german.get("entity.not_found"),
            english.get("entity.not_found")
        );
        let partial = Table::new("xx", [("entity.not_found", "x")]);
        let partial: &'static Table = Box::leak(Box::new(partial));
        assert_eq!(
            Language::Phrases(partial).template("entity.not_found"),
            Some("x")
        );
        assert_eq!(
            Language::Phrases(partial).template("auth.forbidden"),
            english.get("auth.forbidden")
        );
        assert_eq!(Language::Phrases(german).template("mock.unstorable"), None);
        assert_eq!(
            Language::CiMode.template("auth.forbidden"),
            Some("auth.forbidden")
        );
        assert_eq!(Language::CiMode.template("mock.unstorable"), None);
    }
}
