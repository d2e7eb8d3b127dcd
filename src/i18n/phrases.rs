//! The phrase tables embedded in the binary: `phrases.json`, generated from
//! `@logto/phrases` by `tools/phrases/generate.mjs` (do not edit by hand).
//! Parsed once, on first use.

use serde_json::Value;
use std::collections::HashMap;
use std::sync::LazyLock;

static PHRASES: LazyLock<Phrases> = LazyLock::new(|| {
    Phrases::parse(include_str!("phrases.json")).expect("src/i18n/phrases.json is well-formed")
});

/// Every language's phrases for the Logto codes connector-mock answers with.
pub fn phrases() -> &'static Phrases {
    &PHRASES
}

/// The embedded data file.
#[derive(Debug)]
pub struct Phrases {
    /// The packages the file was generated from.
    pub source: String,
    /// The Logto codes the file covers.
    pub codes: Vec<String>,
    /// In the package's order.
    languages: Vec<Table>,
    english: usize,
}

/// One language's phrases.
#[derive(Debug)]
pub struct Table {
    tag: String,
    messages: HashMap<String, String>,
}

impl Phrases {
    fn parse(text: &str) -> Result<Phrases, String> {
        let file: Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
        let strings = |value: &Value| -> Option<Vec<String>> {
            value
                .as_array()?
                .iter()
                .map(|code| code.as_str().map(str::to_owned))
                .collect()
        };
        let codes = strings(&file["codes"]).ok_or("`codes` is not a list of strings")?;
        let mut languages = Vec::new();
        for (tag, messages) in file["languages"].as_object().ok_or("no `languages`")? {
            let messages = messages
                .as_object()
                .ok_or_else(|| format!("`{tag}` is not an object"))?
                .iter()
                .map(|(code, message)| Some((code.clone(), message.as_str()?.to_owned())))
                .collect::<Option<HashMap<_, _>>>()
                .ok_or_else(|| format!("`{tag}` has a message that is not a string"))?;
            languages.push(Table {
                tag: tag.clone(),
                messages,
            });
        }
        let english = languages
            .iter()
            .position(|table| table.tag == "en")
            .ok_or("no `en`")?;
        Ok(Phrases {
            source: file["source"].as_str().unwrap_or_default().to_owned(),
            codes,
            languages,
            english,
        })
    }

    /// All languages, in the package's order.
    pub fn languages(&self) -> &[Table] {
        &self.languages
    }

    /// The language whose tag is exactly `tag`.
    pub fn language(&self, tag: &str) -> Option<&Table> {
        self.languages.iter().find(|table| table.tag == tag)
    }

    /// English, the fallback of every other language.
    pub fn english(&self) -> &Table {
        &self.languages[self.english]
    }
}

impl Table {
    /// A table of the given phrases (for tests).
    #[cfg(test)]
    pub(crate) fn new<'a>(
        tag: &str,
        messages: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Table {
        Table {
            tag: tag.to_owned(),
            messages: messages
                .into_iter()
                .map(|(code, message)| (code.to_owned(), message.to_owned()))
                .collect(),
        }
    }

    /// The language tag (`de`, `zh-CN`).
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The phrase of `code`, if this language has one.
    pub fn get(&self, code: &str) -> Option<&str> {
        self.messages.get(code).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_file_has_every_language_logto_ships() {
        let phrases = phrases();
        let tags: Vec<&str> = phrases.languages().iter().map(Table::tag).collect();
        for tag in ["en", "de", "fr", "ja", "zh-CN", "zh-TW", "pt-BR", "ko"] {
            assert!(tags.contains(&tag), "{tag} in {tags:?}");
        }
        assert!(phrases.source.starts_with("@logto/phrases@"));
        for code in &phrases.codes {
            assert!(phrases.english().get(code).is_some(), "{code}");
        }
    }

    #[test]
    fn a_broken_file_is_refused() {
        assert!(Phrases::parse("{}").is_err());
        assert!(Phrases::parse(r#"{"codes": [], "languages": {"de": {}}}"#).is_err());
        assert!(Phrases::parse(r#"{"codes": [], "languages": {"en": {"a": 1}}}"#).is_err());
        assert!(Phrases::parse(r#"{"codes": [], "languages": {"en": {"a": "b"}}}"#).is_ok());
    }
}
