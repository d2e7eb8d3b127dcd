//! The manifest's `authorization` rule: how a social factory's authorize URL is
//! built from the stored config and the request (see `fixtures/README.md`).
//! `tools/catalog/authorization.mjs` evaluates the same rule in JavaScript and
//! checks it against the real connector packages.

use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One factory's rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum AuthorizationRule {
    /// Build a redirect URL.
    Redirect(RedirectRule),
    /// The real connector needs a sign-in session: Logto answers 501.
    NotImplemented,
}

/// `type: "redirect"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedirectRule {
    pub endpoint: Source,
    pub query: Vec<QueryParam>,
    #[serde(default)]
    pub fragment: Option<String>,
    #[serde(default)]
    pub encoding: Encoding,
}

/// `[name, source]` or `[name, source, {"encoding": ...}]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum QueryParam {
    WithOptions(String, Source, ParamOptions),
    Plain(String, Source),
}

/// Per-parameter options.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamOptions {
    pub encoding: Encoding,
}

/// How names and values are escaped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// `URLSearchParams`: space as `+`.
    #[default]
    Form,
    /// `encodeURIComponent`: space as `%20`.
    Component,
    /// Inserted as is.
    Raw,
    /// `encodeURI` first, then `URLSearchParams` (what WeChat-style connectors do).
    #[serde(rename = "uriForm")]
    UriForm,
}

/// Where a value comes from: exactly one of `value`, `input`, `config`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub input: Option<InputField>,
    /// Dotted path into the stored config.
    #[serde(default)]
    pub config: Option<String>,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub join: Option<String>,
    #[serde(default)]
    pub map: Option<BTreeMap<String, String>>,
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

/// The request's part of the URL.
#[derive(Debug, Clone)]
pub struct AuthorizationInput {
    pub state: String,
    pub redirect_uri: String,
    pub connector_id: String,
    pub connector_factory_id: String,
}

/// The rule says Logto answers 501 for this factory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotImplemented;

impl AuthorizationRule {
    /// Parses and checks a rule; the error names the JSON pointer of the problem.
    pub fn parse(value: &Value) -> Result<AuthorizationRule, String> {
        let rule: AuthorizationRule = serde_json::from_value(value.clone())
            .map_err(|error| format!("/authorization: {error}"))?;
        if let AuthorizationRule::Redirect(redirect) = &rule {
            redirect.endpoint.check("/authorization/endpoint")?;
            for (index, param) in redirect.query.iter().enumerate() {
                param
                    .source()
                    .check(&format!("/authorization/query/{index}/1"))?;
            }
        }
        Ok(rule)
    }

    /// The authorize URL for `config` and `input`.
    pub fn build(
        &self,
        config: &Map<String, Value>,
        input: &AuthorizationInput,
    ) -> Result<String, NotImplemented> {
        let AuthorizationRule::Redirect(rule) = self else {
            return Err(NotImplemented);
        };
        let mut url = rule.endpoint.evaluate(config, input).unwrap_or_default();
        let pairs: Vec<String> = rule
            .query
            .iter()
            .filter_map(|param| {
                let text = param.source().evaluate(config, input)?;
                let encoding = param.encoding().unwrap_or(rule.encoding);
                Some(format!(
                    "{}={}",
                    encode(param.name(), rule.encoding),
                    encode(&text, encoding)
                ))
            })
            .collect();
        if !pairs.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&pairs.join("&"));
        }
        if let Some(fragment) = &rule.fragment {
            url.push('#');
            url.push_str(fragment);
        }
        Ok(url)
    }
}

impl QueryParam {
    fn name(&self) -> &str {
        match self {
            QueryParam::WithOptions(name, _, _) | QueryParam::Plain(name, _) => name,
        }
    }

    fn source(&self) -> &Source {
        match self {
            QueryParam::WithOptions(_, source, _) | QueryParam::Plain(_, source) => source,
        }
    }

    fn encoding(&self) -> Option<Encoding> {
        match self {
            QueryParam::WithOptions(_, _, options) => Some(options.encoding),
            QueryParam::Plain(..) => None,
        }
    }
}

impl Source {
    fn check(&self, pointer: &str) -> Result<(), String> {
        let kinds = [
            self.value.is_some(),
            self.input.is_some(),
            self.config.is_some(),
        ];
        if kinds.iter().filter(|set| **set).count() != 1 {
            return Err(format!(
                "{pointer}: a value source needs exactly one of `value`, `input`, `config`"
            ));
        }
        if self.config.is_none()
            && (self.default.is_some() || self.join.is_some() || self.map.is_some())
        {
            return Err(format!(
                "{pointer}: `default`, `join` and `map` only apply to `config` sources"
            ));
        }
        Ok(())
    }

    fn evaluate(&self, config: &Map<String, Value>, input: &AuthorizationInput) -> Option<String> {
        if let Some(value) = &self.value {
            return Some(value.clone());
        }
        if let Some(field) = self.input {
            return Some(
                match field {
                    InputField::State => &input.state,
                    InputField::RedirectUri => &input.redirect_uri,
                    InputField::ConnectorId => &input.connector_id,
                    InputField::ConnectorFactoryId => &input.connector_factory_id,
                }
                .clone(),
            );
        }
        let path = self.config.as_deref()?;
        let found = value_at(config, path).and_then(|value| as_text(value, self.join.as_deref()));
        let mapped = match (&self.map, found) {
            (Some(map), Some(text)) => map.get(&text).cloned(),
            (None, found) => found,
            (Some(_), None) => None,
        };
        mapped.or_else(|| self.default.clone())
    }
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

fn encode(text: &str, encoding: Encoding) -> String {
    match encoding {
        Encoding::Raw => text.to_owned(),
        Encoding::Form => percent_encode(text, b"*-._", true),
        Encoding::Component => percent_encode(text, b"-_.!~*'()", false),
        Encoding::UriForm => encode(
            &percent_encode(text, b";,/?:@&=+$-_.!~*'()#", false),
            Encoding::Form,
        ),
    }
}

/// Percent-encodes every UTF-8 byte except ASCII alphanumerics and `keep`;
/// `space_as_plus` writes a space as `+` (form encoding).
fn percent_encode(text: &str, keep: &[u8], space_as_plus: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || keep.contains(&byte) {
            out.push(byte as char);
        } else if byte == b' ' && space_as_plus {
            out.push('+');
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input() -> AuthorizationInput {
        AuthorizationInput {
            state: "s t&x".into(),
            redirect_uri: "https://app/cb?a=1".into(),
            connector_id: "abc".into(),
            connector_factory_id: "f".into(),
        }
    }

    #[test]
    fn a_redirect_rule_builds_a_form_encoded_url() {
        let rule = AuthorizationRule::parse(&json!({
            "type": "redirect",
            "endpoint": {"value": "https://idp/authorize"},
            "query": [
                ["client_id", {"config": "clientId"}],
                ["redirect_uri", {"input": "redirectUri"}],
                ["state", {"input": "state"}],
                ["scope", {"config": "scope", "default": "read:user"}],
                ["prompt", {"config": "prompts", "join": " "}],
                ["access_type", {"config": "offline", "map": {"true": "offline"}}]
            ],
            "fragment": "frag"
        }))
        .unwrap();
        let config = json!({"clientId": "id 1", "prompts": ["consent", "login"], "offline": true});
        assert_eq!(
            rule.build(config.as_object().unwrap(), &input()).unwrap(),
            "https://idp/authorize?client_id=id+1&redirect_uri=https%3A%2F%2Fapp%2Fcb%3Fa%3D1&state=s+t%26x&scope=read%3Auser&prompt=consent+login&access_type=offline#frag"
        );
    }

    #[test]
    fn component_encoding_and_raw_parameters() {
        let rule = AuthorizationRule::parse(&json!({
            "type": "redirect",
            "endpoint": {"config": "authorizationEndpoint"},
            "encoding": "component",
            "query": [["state", {"input": "state"}], ["id", {"input": "connectorId"}, {"encoding": "raw"}]]
        }))
        .unwrap();
        let config = json!({"authorizationEndpoint": "https://idp/a?x=1"});
        assert_eq!(
            rule.build(config.as_object().unwrap(), &input()).unwrap(),
            "https://idp/a?x=1&state=s%20t%26x&id=abc"
        );
    }

    #[test]
    fn uri_form_encoding_double_encodes_like_encode_uri_then_url_search_params() {
        assert_eq!(
            encode("http://a/b c?x=%41", Encoding::UriForm),
            "http%3A%2F%2Fa%2Fb%2520c%3Fx%3D%252541"
        );
    }

    #[test]
    fn not_implemented_rules_and_bad_sources() {
        let rule = AuthorizationRule::parse(&json!({"type": "notImplemented"})).unwrap();
        assert_eq!(rule.build(&Map::new(), &input()), Err(NotImplemented));
        let error = AuthorizationRule::parse(&json!({
            "type": "redirect", "endpoint": {"value": "x", "input": "state"}, "query": []
        }))
        .unwrap_err();
        assert!(error.starts_with("/authorization/endpoint"), "{error}");
        assert!(AuthorizationRule::parse(&json!({"type": "other"})).is_err());
    }
}
