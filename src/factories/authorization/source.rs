//! Value sources and conditions of an `authorization` rule (see
//! `fixtures/README.md`): where each piece of the URL comes from.

use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

use super::js;

/// Where a value comes from: exactly one kind (`value`, `input`, `config`,
/// `header`, `random`, `pathJoin`, `items`, `if`), then optional modifiers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Source {
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub input: Option<InputField>,
    /// Dotted path into the stored config.
    #[serde(default)]
    pub config: Option<String>,
    /// A header of the calling request (name in any case).
    #[serde(default)]
    pub header: Option<String>,
    #[serde(default)]
    pub random: Option<RandomKind>,
    /// Node's `path.posix.join` of the parts' texts.
    #[serde(default)]
    pub path_join: Option<Vec<Source>>,
    /// A list of texts, optionally split, trimmed and de-duplicated, then joined.
    #[serde(default)]
    pub items: Option<Vec<Source>>,
    #[serde(default, rename = "if")]
    pub condition: Option<Box<Condition>>,
    #[serde(default)]
    pub then: Option<Box<Source>>,
    #[serde(default, rename = "else")]
    pub otherwise: Option<Box<Source>>,
    /// Separator of a config array or of `items` (default `,`).
    #[serde(default)]
    pub join: Option<String>,
    /// `items`: split each text on this separator.
    #[serde(default)]
    pub split: Option<String>,
    /// `items`: trim each piece as JavaScript's `trim()` does.
    #[serde(default)]
    pub trim: bool,
    /// `items`: keep the first of equal pieces.
    #[serde(default)]
    pub unique: bool,
    #[serde(default)]
    pub map: Option<BTreeMap<String, String>>,
    /// Replace the text by a part of it parsed as a WHATWG URL.
    #[serde(default)]
    pub url_part: Option<UrlPart>,
    /// Lower-case the text (JavaScript's `toLowerCase()`).
    #[serde(default)]
    pub lowercase: bool,
    #[serde(default)]
    pub default: Option<String>,
}

/// Values the request or connector supplies.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum InputField {
    State,
    RedirectUri,
    ConnectorId,
    ConnectorFactoryId,
}

/// Generated values.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RandomKind {
    /// A fresh version 4 UUID on every call (`crypto.randomUUID()`).
    Uuid,
}

/// Parts of a URL, named as JavaScript's `URL` names them.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UrlPart {
    /// `url.protocol`, e.g. `https:`.
    Protocol,
    /// `url.host`: host name, and port when it is not the scheme's default.
    Host,
    /// The first non-empty segment of `url.pathname` (still percent-encoded).
    FirstPathSegment,
}

/// A test on a text; it holds only when the text is present.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Condition {
    pub text: Source,
    #[serde(default)]
    pub contains: Option<String>,
    #[serde(default, rename = "in")]
    pub one_of: Option<Vec<String>>,
    #[serde(default)]
    pub not_in: Option<Vec<String>>,
}

/// What a rule is evaluated against.
#[derive(Debug, Clone, Default)]
pub struct AuthorizationInput {
    pub state: String,
    pub redirect_uri: String,
    pub connector_id: String,
    pub connector_factory_id: String,
    /// The calling request's headers: lower-case name → value.
    pub headers: HashMap<String, String>,
}

impl AuthorizationInput {
    /// Adds a request header as Node presents it to Logto: names in lower
    /// case, values read as Latin-1, repeats joined with `, ` (or dropped for
    /// the headers Node keeps once, such as `user-agent`).
    pub fn add_header(&mut self, name: &str, value: &[u8]) {
        let name = name.to_ascii_lowercase();
        let value = js::latin1(value);
        match self.headers.get_mut(&name) {
            None => {
                self.headers.insert(name, value);
            }
            Some(_) if js::FIRST_VALUE_WINS.contains(&name.as_str()) => {}
            Some(existing) => {
                existing.push_str(", ");
                existing.push_str(&value);
            }
        }
    }
}

/// The real package would throw here: Logto answers 500. The text says why (for the log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thrown(pub String);

impl Source {
    /// Checks the source and every nested one; errors name `pointer`.
    pub fn check(&self, pointer: &str) -> Result<(), String> {
        let kinds = [
            self.value.is_some(),
            self.input.is_some(),
            self.config.is_some(),
            self.header.is_some(),
            self.random.is_some(),
            self.path_join.is_some(),
            self.items.is_some(),
            self.condition.is_some(),
        ];
        if kinds.iter().filter(|set| **set).count() != 1 {
            return Err(format!(
                "{pointer}: a value source needs exactly one of `value`, `input`, `config`, \
                 `header`, `random`, `pathJoin`, `items`, `if`"
            ));
        }
        let only = |present: bool, what: &str, kind: &str| {
            if present {
                Err(format!("{pointer}: {what} only apply to `{kind}` sources"))
            } else {
                Ok(())
            }
        };
        only(
            self.map.is_some() && self.config.is_none(),
            "`map`",
            "config",
        )?;
        only(
            self.join.is_some() && self.config.is_none() && self.items.is_none(),
            "`join`",
            "config` or `items",
        )?;
        only(
            self.items.is_none() && (self.split.is_some() || self.trim || self.unique),
            "`split`, `trim` and `unique`",
            "items",
        )?;
        only(
            self.condition.is_none() && (self.then.is_some() || self.otherwise.is_some()),
            "`then` and `else`",
            "if",
        )?;
        if self.split.as_deref() == Some("") {
            return Err(format!("{pointer}/split: must not be empty"));
        }
        for (key, list) in [("pathJoin", &self.path_join), ("items", &self.items)] {
            for (index, part) in list.iter().flatten().enumerate() {
                part.check(&format!("{pointer}/{key}/{index}"))?;
            }
        }
        if let Some(condition) = &self.condition {
            condition.check(&format!("{pointer}/if"))?;
            match &self.then {
                Some(then) => then.check(&format!("{pointer}/then"))?,
                None => return Err(format!("{pointer}: `if` needs `then`")),
            }
            if let Some(otherwise) = &self.otherwise {
                otherwise.check(&format!("{pointer}/else"))?;
            }
        }
        Ok(())
    }

    /// The text, `None` when absent (the parameter is then left out).
    pub fn evaluate(
        &self,
        config: &Map<String, Value>,
        input: &AuthorizationInput,
    ) -> Result<Option<String>, Thrown> {
        let mut text = self.kind_text(config, input)?;
        if let (Some(map), Some(found)) = (&self.map, &text) {
            text = map.get(found).cloned();
        }
        if let (Some(part), Some(found)) = (self.url_part, &text) {
            text = url_part(found, part)?;
        }
        if self.lowercase {
            text = text.map(|found| found.to_lowercase());
        }
        Ok(text.or_else(|| self.default.clone()))
    }

    fn kind_text(
        &self,
        config: &Map<String, Value>,
        input: &AuthorizationInput,
    ) -> Result<Option<String>, Thrown> {
        if let Some(value) = &self.value {
            return Ok(Some(value.clone()));
        }
        if let Some(field) = self.input {
            let text = match field {
                InputField::State => &input.state,
                InputField::RedirectUri => &input.redirect_uri,
                InputField::ConnectorId => &input.connector_id,
                InputField::ConnectorFactoryId => &input.connector_factory_id,
            };
            return Ok(Some(text.clone()));
        }
        if let Some(path) = &self.config {
            return Ok(
                value_at(config, path).and_then(|value| as_text(value, self.join.as_deref()))
            );
        }
        if let Some(name) = &self.header {
            return Ok(input.headers.get(&name.to_ascii_lowercase()).cloned());
        }
        if let Some(RandomKind::Uuid) = self.random {
            return Ok(Some(js::random_uuid()));
        }
        if let Some(parts) = &self.path_join {
            let mut texts = Vec::with_capacity(parts.len());
            for part in parts {
                texts.push(part.evaluate(config, input)?.unwrap_or_default());
            }
            return Ok(Some(js::path_join(&texts)));
        }
        if let Some(items) = &self.items {
            return self.items_text(items, config, input);
        }
        if let Some(condition) = &self.condition {
            let branch = if condition.holds(config, input)? {
                self.then.as_deref()
            } else {
                self.otherwise.as_deref()
            };
            return match branch {
                Some(source) => source.evaluate(config, input),
                None => Ok(None),
            };
        }
        Ok(None)
    }

    fn items_text(
        &self,
        items: &[Source],
        config: &Map<String, Value>,
        input: &AuthorizationInput,
    ) -> Result<Option<String>, Thrown> {
        let mut pieces: Vec<String> = Vec::new();
        for item in items {
            let Some(text) = item.evaluate(config, input)? else {
                continue;
            };
            let split: Vec<&str> = match &self.split {
                Some(separator) => text.split(separator.as_str()).collect(),
                None => vec![text.as_str()],
            };
            for piece in split {
                let piece = if self.trim { js::trim(piece) } else { piece };
                if piece.is_empty() || (self.unique && pieces.iter().any(|seen| seen == piece)) {
                    continue;
                }
                pieces.push(piece.to_owned());
            }
        }
        if pieces.is_empty() {
            return Ok(None);
        }
        Ok(Some(pieces.join(self.join.as_deref().unwrap_or(","))))
    }
}

impl Condition {
    /// Checks the condition and its text source; errors name `pointer`.
    pub fn check(&self, pointer: &str) -> Result<(), String> {
        let tests = [
            self.contains.is_some(),
            self.one_of.is_some(),
            self.not_in.is_some(),
        ];
        if tests.iter().filter(|set| **set).count() != 1 {
            return Err(format!(
                "{pointer}: a condition needs exactly one of `contains`, `in`, `notIn`"
            ));
        }
        self.text.check(&format!("{pointer}/text"))
    }

    /// Whether the condition holds; an absent text never matches.
    pub fn holds(
        &self,
        config: &Map<String, Value>,
        input: &AuthorizationInput,
    ) -> Result<bool, Thrown> {
        let Some(text) = self.text.evaluate(config, input)? else {
            return Ok(false);
        };
        let listed = |list: &Vec<String>| list.iter().any(|item| item == &text);
        Ok(match (&self.contains, &self.one_of, &self.not_in) {
            (Some(part), _, _) => text.contains(part.as_str()),
            (_, Some(list), _) => listed(list),
            (_, _, Some(list)) => !listed(list),
            _ => false,
        })
    }
}

/// A part of `text` parsed as a WHATWG URL; a text that does not parse is what
/// `new URL()` throws on.
fn url_part(text: &str, part: UrlPart) -> Result<Option<String>, Thrown> {
    let url = url::Url::parse(text)
        .map_err(|error| Thrown(format!("TypeError: Invalid URL {text:?} ({error})")))?;
    Ok(match part {
        UrlPart::Protocol => Some(format!("{}:", url.scheme())),
        // `url.host` is "" for URLs without one (`file:///x`): absent here.
        UrlPart::Host => {
            url.host_str()
                .filter(|host| !host.is_empty())
                .map(|host| match url.port() {
                    Some(port) => format!("{host}:{port}"),
                    None => host.to_owned(),
                })
        }
        UrlPart::FirstPathSegment => url
            .path()
            .split('/')
            .find(|segment| !segment.is_empty())
            .map(str::to_owned),
    })
}

fn value_at<'a>(config: &'a Map<String, Value>, dotted: &str) -> Option<&'a Value> {
    let mut parts = dotted.split('.');
    let mut current = config.get(parts.next()?)?;
    for part in parts {
        current = current.as_object()?.get(part)?;
    }
    Some(current)
}

/// JavaScript's `String(value)` / `JSON.stringify` as the connectors use them;
/// `null`, `""` and `[]` count as absent.
fn as_text(value: &Value, join: Option<&str>) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) if text.is_empty() => None,
        Value::String(text) => Some(text.clone()),
        Value::Array(items) if items.is_empty() => None,
        Value::Array(items) => Some(
            items
                .iter()
                .map(|item| match item {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(join.unwrap_or(",")),
        ),
        Value::Object(_) | Value::Bool(_) | Value::Number(_) => Some(value.to_string()),
    }
}
