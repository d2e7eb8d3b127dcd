//! The manifest's `authorization` rule: how a social factory's authorize URL is
//! built from the stored config and the request (see `fixtures/README.md`).
//! `tools/catalog/authorization.mjs` evaluates the same rule in JavaScript and
//! checks it against the real connector packages.

mod js;
mod source;

use serde::Deserialize;
use serde_json::{Map, Value};

pub use js::is_uuid_v4;
pub use source::{AuthorizationInput, Condition, InputField, Source, Thrown, UrlPart};

/// One factory's rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum AuthorizationRule {
    /// Build a redirect URL.
    Redirect(Box<RedirectRule>),
    /// The real connector needs a sign-in session: Logto answers 501.
    NotImplemented,
}

/// `type: "redirect"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedirectRule {
    /// Cases where the real package throws (Logto answers 500), checked first.
    #[serde(default)]
    pub throws: Vec<ThrowCase>,
    pub endpoint: Source,
    pub query: Vec<QueryParam>,
    #[serde(default)]
    pub fragment: Option<String>,
    #[serde(default)]
    pub encoding: Encoding,
}

/// `{"when": condition, "reason": "..."}`: the package throws when the condition holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThrowCase {
    pub when: Condition,
    /// What the package throws, for the log.
    #[serde(default)]
    pub reason: Option<String>,
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

/// Why no URL is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The rule says Logto answers 501 for this factory.
    NotImplemented,
    /// The real package throws, or builds what Logto's response guard
    /// rejects: Logto answers 500.
    Thrown(String),
}

impl From<Thrown> for Refusal {
    fn from(Thrown(reason): Thrown) -> Self {
        Refusal::Thrown(reason)
    }
}

impl AuthorizationRule {
    /// Parses and checks a rule; the error names the JSON pointer of the problem.
    pub fn parse(value: &Value) -> Result<AuthorizationRule, String> {
        let rule: AuthorizationRule = serde_json::from_value(value.clone())
            .map_err(|error| format!("/authorization: {error}"))?;
        if let AuthorizationRule::Redirect(redirect) = &rule {
            for (index, case) in redirect.throws.iter().enumerate() {
                case.when
                    .check(&format!("/authorization/throws/{index}/when"))?;
            }
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
    ) -> Result<String, Refusal> {
        let AuthorizationRule::Redirect(rule) = self else {
            return Err(Refusal::NotImplemented);
        };
        for case in &rule.throws {
            if case.when.holds(config, input)? {
                let reason = case.reason.as_deref().unwrap_or("the connector throws");
                return Err(Refusal::Thrown(reason.to_owned()));
            }
        }
        let mut url = rule.endpoint.evaluate(config, input)?.unwrap_or_default();
        let mut pairs = Vec::with_capacity(rule.query.len());
        for param in &rule.query {
            let Some(text) = param.source().evaluate(config, input)? else {
                continue;
            };
            let encoding = param.encoding().unwrap_or(rule.encoding);
            pairs.push(format!(
                "{}={}",
                encode(param.name(), rule.encoding),
                encode(&text, encoding)
            ));
        }
        if !pairs.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&pairs.join("&"));
        }
        if let Some(fragment) = &rule.fragment {
            url.push('#');
            url.push_str(fragment);
        }
        // Logto's response guard: `redirectTo` must be what `new URL()` parses.
        if url::Url::parse(&url).is_err() {
            return Err(Refusal::Thrown(format!(
                "the response guard rejects redirectTo {url:?}"
            )));
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
            headers: Default::default(),
        }
    }

    fn build(rule: &Value, config: Value, input: &AuthorizationInput) -> Result<String, Refusal> {
        AuthorizationRule::parse(rule)
            .unwrap()
            .build(config.as_object().unwrap(), input)
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
        assert_eq!(
            rule.build(&Map::new(), &input()),
            Err(Refusal::NotImplemented)
        );
        let error = AuthorizationRule::parse(&json!({
            "type": "redirect", "endpoint": {"value": "x", "input": "state"}, "query": []
        }))
        .unwrap_err();
        assert!(error.starts_with("/authorization/endpoint"), "{error}");
        assert!(AuthorizationRule::parse(&json!({"type": "other"})).is_err());
    }

    #[test]
    fn a_header_condition_picks_the_endpoint_case_insensitively() {
        let rule = json!({
            "type": "redirect",
            "endpoint": {
                "if": {"text": {"header": "User-Agent", "lowercase": true}, "contains": "wxwork"},
                "then": {"value": "https://inside/authorize"},
                "else": {"value": "https://qr/authorize"}
            },
            "query": [["state", {"input": "state"}]]
        });
        let mut request = input();
        assert_eq!(
            build(&rule, json!({}), &request).unwrap(),
            "https://qr/authorize?state=s+t%26x"
        );
        request.add_header("user-agent", b"Mozilla/5.0 wxWork/4.1 MicroMessenger");
        request.add_header("User-Agent", b"second, ignored as Node ignores it");
        assert_eq!(
            build(&rule, json!({}), &request).unwrap(),
            "https://inside/authorize?state=s+t%26x"
        );
        request.headers.clear();
        request.add_header("user-agent", b"Mozilla/5.0 WeChat");
        assert!(build(&rule, json!({}), &request)
            .unwrap()
            .starts_with("https://qr/"));
    }

    #[test]
    fn repeated_headers_are_joined_as_node_joins_them() {
        let mut request = input();
        request.add_header("X-Trace", b"a");
        request.add_header("x-trace", b"b");
        request.add_header("x-bytes", &[0x63, 0xe9]);
        assert_eq!(request.headers["x-trace"], "a, b");
        assert_eq!(request.headers["x-bytes"], "c\u{e9}");
    }

    /// The azuread rule's pieces: authority from pathJoin + URL parts, MSAL's scopes,
    /// a random client-request-id and the prompt check.
    fn msal_like() -> Value {
        let authority = json!({"pathJoin": [{"config": "cloudInstance"}, {"config": "tenantId"}]});
        let mut host = authority.clone();
        host["urlPart"] = json!("host");
        let mut tenant = authority.clone();
        tenant["urlPart"] = json!("firstPathSegment");
        tenant["lowercase"] = json!(true);
        tenant["default"] = json!("undefined");
        let mut protocol = authority.clone();
        protocol["urlPart"] = json!("protocol");
        json!({
            "type": "redirect",
            "throws": [
                {"when": {"text": protocol, "notIn": ["https:"]}, "reason": "insecure"},
                {"when": {"text": {"config": "prompts", "join": " "}, "notIn": ["login", "consent"]}, "reason": "invalid_prompt_value"}
            ],
            "endpoint": {"items": [{"value": "https://"}, host, {"value": "/"}, tenant, {"value": "/oauth2/v2.0/authorize"}], "join": ""},
            "encoding": "component",
            "query": [
                ["scope", {"items": [{"value": "User.Read"}, {"config": "scopes"}, {"value": "openid profile"}], "split": " ", "trim": true, "unique": true, "join": " "}],
                ["client-request-id", {"random": "uuid"}],
                ["prompt", {"config": "prompts", "join": " "}]
            ]
        })
    }

    #[test]
    fn authority_scopes_and_random_ids_are_built_like_msal() {
        let config = json!({
            "cloudInstance": "https://LOGIN.microsoftonline.us/",
            "tenantId": "/Contoso.com/x",
            "scopes": "openid  Mail.Read\u{a0} User.Read"
        });
        let url = build(&msal_like(), config.clone(), &input()).unwrap();
        let (endpoint, query) = url.split_once('?').unwrap();
        assert_eq!(
            endpoint,
            "https://login.microsoftonline.us/contoso.com/oauth2/v2.0/authorize"
        );
        let (scope, rest) = query.split_once('&').unwrap();
        assert_eq!(scope, "scope=User.Read%20openid%20Mail.Read%20profile");
        let id = rest.strip_prefix("client-request-id=").unwrap();
        assert!(is_uuid_v4(id), "{id}");
        let again = build(&msal_like(), config, &input()).unwrap();
        assert_ne!(url, again, "a fresh client-request-id on every call");
        let no_tenant = json!({"cloudInstance": "https://h.example", "tenantId": "/"});
        assert!(build(&msal_like(), no_tenant, &input())
            .unwrap()
            .starts_with("https://h.example/undefined/oauth2/"));
    }

    #[test]
    fn what_the_package_throws_on_is_refused_as_thrown() {
        let base =
            json!({"cloudInstance": "https://login.microsoftonline.com", "tenantId": "common"});
        let with = |key: &str, value: Value| {
            let mut config = base.clone();
            config[key] = value;
            build(&msal_like(), config, &input())
        };
        assert!(with("prompts", json!(["login"])).is_ok());
        assert_eq!(
            with("prompts", json!(["login", "consent"])),
            Err(Refusal::Thrown("invalid_prompt_value".into()))
        );
        assert_eq!(
            with("cloudInstance", json!("http://login.microsoftonline.com")),
            Err(Refusal::Thrown("insecure".into()))
        );
        // `new URL("x/common")` throws a TypeError.
        let thrown = with("cloudInstance", json!("x")).unwrap_err();
        assert!(
            matches!(&thrown, Refusal::Thrown(reason) if reason.starts_with("TypeError")),
            "{thrown:?}"
        );
    }

    #[test]
    fn a_built_url_javascript_cannot_parse_is_refused_like_the_response_guard() {
        let rule = json!({"type": "redirect", "endpoint": {"config": "endpoint"}, "query": []});
        let thrown = build(&rule, json!({"endpoint": "not a url"}), &input()).unwrap_err();
        assert!(matches!(thrown, Refusal::Thrown(_)), "{thrown:?}");
    }

    #[test]
    fn sources_and_conditions_are_checked_with_their_pointer() {
        let error = |rule: Value| AuthorizationRule::parse(&rule).unwrap_err();
        let rule = |endpoint: Value| json!({"type": "redirect", "endpoint": endpoint, "query": []});
        assert!(error(rule(json!({"header": "a", "value": "b"})))
            .starts_with("/authorization/endpoint: a value source needs exactly one"));
        assert!(error(rule(json!({"value": "a", "split": " "}))).contains("only apply to `items`"));
        assert!(error(rule(json!({"items": [{"value": "a"}, {}]})))
            .starts_with("/authorization/endpoint/items/1:"));
        assert!(error(rule(
            json!({"if": {"text": {"value": "a"}}, "then": {"value": "b"}})
        ))
        .starts_with("/authorization/endpoint/if: a condition needs exactly one"));
        assert!(error(rule(
            json!({"if": {"text": {"value": "a"}, "contains": "a"}})
        ))
        .contains("`if` needs `then`"));
        assert!(error(rule(json!({"value": "a", "then": {"value": "b"}})))
            .contains("only apply to `if`"));
        assert!(error(rule(json!({"random": "dice"}))).contains("unknown variant"));
        let throws = json!({"type": "redirect", "endpoint": {"value": "a"}, "query": [],
            "throws": [{"when": {"text": {"value": "a"}, "in": ["a"], "contains": "a"}}]});
        assert!(error(throws).starts_with("/authorization/throws/0/when: a condition"));
    }
}
