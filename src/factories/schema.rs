//! Config validation: a manifest's JSON Schema, compiled once, reporting
//! problems as zod-style [`Issue`]s so `connector.invalid_config` bodies look
//! like Logto's.
//!
//! Besides draft 2020-12, manifests may use what zod's string checks need:
//! `format: "url"` (zod's `.url()`: whatever JavaScript's `new URL()` parses,
//! i.e. the WHATWG URL Standard) and the keywords `startsWith` / `endsWith`
//! (zod's refinements of those names, applied to the string as sent).

use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::{Location, LocationSegment};
use jsonschema::{Draft, Keyword, ValidationError, Validator};
use serde_json::{Map, Value};

use crate::issues::{json_type_name, Issue};

/// A compiled config schema.
pub struct ConfigSchema {
    schema: Value,
    validator: Validator,
}

impl std::fmt::Debug for ConfigSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigSchema")
            .field("schema", &self.schema)
            .finish()
    }
}

impl ConfigSchema {
    /// Compiles a draft 2020-12 schema (formats such as `uri`, `url` and `email`
    /// are checked; `startsWith` / `endsWith` are understood).
    pub fn compile(schema: &Value) -> Result<Self, String> {
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .should_validate_formats(true)
            .with_format(URL_FORMAT, is_whatwg_url)
            .with_keyword(Affix::Start.keyword(), |_, value, location| {
                Affix::Start.compile(value, location)
            })
            .with_keyword(Affix::End.keyword(), |_, value, location| {
                Affix::End.compile(value, location)
            })
            .build(schema)
            .map_err(|error| error.to_string())?;
        Ok(ConfigSchema {
            schema: schema.clone(),
            validator,
        })
    }

    /// The schema as written in the manifest.
    pub fn schema(&self) -> &Value {
        &self.schema
    }

    /// `Ok` when the config is valid, otherwise every problem found.
    pub fn validate(&self, config: &Value) -> Result<(), Vec<Issue>> {
        let mut issues: Vec<Issue> = self
            .validator
            .iter_errors(config)
            .map(|error| self.to_issue(&error))
            .collect();
        // zod reports problems in the order the keys are declared.
        let declared = self.schema.get("properties").and_then(Value::as_object);
        let position = |issue: &Issue| {
            issue
                .path
                .first()
                .and_then(Value::as_str)
                .and_then(|key| declared?.keys().position(|declared| declared == key))
                .unwrap_or(usize::MAX)
        };
        issues.sort_by_key(position);
        if issues.is_empty() {
            Ok(())
        } else {
            Err(issues)
        }
    }

    fn to_issue(&self, error: &ValidationError<'_>) -> Issue {
        let mut path: Vec<Value> = error
            .instance_path()
            .iter()
            .map(|segment| match segment {
                LocationSegment::Property(name) => Value::from(name.as_ref()),
                LocationSegment::Index(index) => Value::from(index),
            })
            .collect();
        let schema_path = error.schema_path().as_str().to_owned();
        let instance = error.instance().as_ref();
        match error.kind() {
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default().to_owned();
                let parent = schema_path.strip_suffix("/required").unwrap_or("");
                let expected = self
                    .schema
                    .pointer(&format!("{parent}/properties/{}", escape(&name)))
                    .map(expected_type)
                    .unwrap_or_else(|| "unknown".to_owned());
                path.push(Value::from(name));
                Issue::invalid_type(path, &expected, "undefined")
            }
            ValidationErrorKind::Type { .. } => {
                let expected = self
                    .schema
                    .pointer(schema_path.strip_suffix("/type").unwrap_or(""))
                    .map(expected_type)
                    .unwrap_or_else(|| "unknown".to_owned());
                Issue::invalid_type(path, &expected, json_type_name(instance))
            }
            ValidationErrorKind::MinLength { limit } => Issue::too_small(path, "string", *limit),
            ValidationErrorKind::MaxLength { limit } => Issue::too_big(path, "string", *limit),
            ValidationErrorKind::MinItems { limit } => Issue::too_small(path, "array", *limit),
            ValidationErrorKind::MaxItems { limit } => Issue::too_big(path, "array", *limit),
            ValidationErrorKind::Enum { options } => {
                let options = options.as_array().cloned().unwrap_or_default();
                Issue::invalid_enum(path, &options, instance)
            }
            ValidationErrorKind::Constant { expected_value } => Issue {
                code: "invalid_literal",
                path,
                message: format!("Invalid literal value, expected {expected_value}"),
                fields: vec![
                    ("received", instance.clone()),
                    ("expected", expected_value.as_ref().clone()),
                ],
            },
            ValidationErrorKind::Pattern { .. } => {
                Issue::plain("invalid_string", path, "Invalid").with_field("validation", "regex")
            }
            ValidationErrorKind::Format { format } => {
                let (validation, message) = match format.as_str() {
                    "uri" | URL_FORMAT => ("url", "Invalid url"),
                    "email" => ("email", "Invalid email"),
                    _ => ("regex", "Invalid"),
                };
                Issue::plain("invalid_string", path, message).with_field("validation", validation)
            }
            ValidationErrorKind::Custom { keyword, .. } => {
                let affix = [Affix::Start, Affix::End]
                    .into_iter()
                    .find(|affix| affix.keyword() == keyword);
                let text = self.schema.pointer(&schema_path).and_then(Value::as_str);
                match (affix, text) {
                    (Some(affix), Some(text)) => affix.issue(path, text),
                    _ => Issue::plain("custom", path, "Invalid input"),
                }
            }
            ValidationErrorKind::AnyOf { .. }
            | ValidationErrorKind::OneOfNotValid { .. }
            | ValidationErrorKind::OneOfMultipleValid { .. } => {
                Issue::plain("invalid_union", path, "Invalid input")
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => Issue {
                code: "unrecognized_keys",
                path,
                message: format!(
                    "Unrecognized key(s) in object: {}",
                    unexpected
                        .iter()
                        .map(|key| format!("'{key}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                fields: vec![(
                    "keys",
                    Value::Array(unexpected.iter().cloned().map(Value::from).collect()),
                )],
            },
            _ => Issue::plain("custom", path, "Invalid input"),
        }
    }
}

/// The `format` checked as zod's `.url()` checks strings.
pub const URL_FORMAT: &str = "url";

/// zod's `.url()`: the string parses as an absolute URL under the WHATWG URL
/// Standard, as `new URL(text)` does (surrounding spaces, tabs and newlines
/// are ignored by the parser, not by the check).
pub fn is_whatwg_url(text: &str) -> bool {
    url::Url::parse(text).is_ok()
}

/// zod's `.startsWith()` / `.endsWith()` refinements, as schema keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Affix {
    Start,
    End,
}

impl Affix {
    fn keyword(self) -> &'static str {
        match self {
            Affix::Start => "startsWith",
            Affix::End => "endsWith",
        }
    }

    /// The keyword's validator; its value must be a string.
    fn compile<'a>(
        self,
        value: &'a Value,
        location: Location,
    ) -> Result<Box<dyn for<'i> Keyword<'i>>, ValidationError<'a>> {
        let Some(text) = value.as_str() else {
            return Err(ValidationError::custom(format!(
                "`{}` at {} must be a string",
                self.keyword(),
                location.as_str()
            )));
        };
        Ok(Box::new(AffixCheck {
            affix: self,
            text: text.to_owned(),
        }))
    }

    /// zod's issue for a string that does not start / end with `text`.
    fn issue(self, path: Vec<Value>, text: &str) -> Issue {
        let (key, verb) = match self {
            Affix::Start => ("startsWith", "start"),
            Affix::End => ("endsWith", "end"),
        };
        let mut validation = Map::new();
        validation.insert(key.into(), Value::from(text));
        Issue {
            code: "invalid_string",
            path,
            message: format!("Invalid input: must {verb} with \"{text}\""),
            fields: vec![("validation", Value::Object(validation))],
        }
    }
}

/// One compiled `startsWith` / `endsWith`: like zod, it looks at the string as
/// sent (no trimming, no URL normalization); other JSON types pass.
struct AffixCheck {
    affix: Affix,
    text: String,
}

impl AffixCheck {
    fn holds(&self, instance: &Value) -> bool {
        let Value::String(string) = instance else {
            return true;
        };
        match self.affix {
            Affix::Start => string.starts_with(&self.text),
            Affix::End => string.ends_with(&self.text),
        }
    }
}

impl<'i> Keyword<'i> for AffixCheck {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        if self.holds(instance) {
            Ok(())
        } else {
            Err(ValidationError::custom(format!(
                "must {} with {:?}",
                self.affix.keyword(),
                self.text
            )))
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        self.holds(instance)
    }
}

/// zod's `expected` for a property schema: its `type` ("a | b" for several).
fn expected_type(property_schema: &Value) -> String {
    let named = |value: &Value| match value.as_str() {
        Some("integer") => "number".to_owned(),
        Some(other) => other.to_owned(),
        None => "unknown".to_owned(),
    };
    match property_schema.get("type") {
        Some(Value::Array(types)) => types.iter().map(named).collect::<Vec<_>>().join(" | "),
        Some(single) => named(single),
        None => match (property_schema.get("enum"), property_schema.get("const")) {
            (Some(Value::Array(options)), _) => options
                .iter()
                .map(|option| match option {
                    Value::String(text) => format!("'{text}'"),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" | "),
            (_, Some(constant)) => constant.to_string(),
            _ if property_schema.get("properties").is_some() => "object".to_owned(),
            _ if property_schema.get("items").is_some() => "array".to_owned(),
            _ => "unknown".to_owned(),
        },
    }
}

/// JSON Pointer escaping of one segment.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> ConfigSchema {
        ConfigSchema::compile(&json!({
            "type": "object",
            "properties": {
                "clientId": {"type": "string", "minLength": 1},
                "port": {"type": "integer"},
                "mode": {"enum": ["a", "b"]}
            },
            "required": ["clientId"]
        }))
        .unwrap()
    }

    #[test]
    fn a_missing_key_is_an_invalid_type_with_the_expected_type() {
        let issues = schema().validate(&json!({})).unwrap_err();
        assert_eq!(
            issues,
            vec![Issue::invalid_type(
                vec![json!("clientId")],
                "string",
                "undefined"
            )]
        );
    }

    #[test]
    fn wrong_types_and_limits_are_reported_per_key() {
        let issues = schema()
            .validate(&json!({"clientId": "", "port": "x", "mode": "c"}))
            .unwrap_err();
        let codes: Vec<&str> = issues.iter().map(|issue| issue.code).collect();
        assert!(codes.contains(&"too_small"), "{codes:?}");
        assert!(codes.contains(&"invalid_type"), "{codes:?}");
        assert!(codes.contains(&"invalid_enum_value"), "{codes:?}");
    }

    #[test]
    fn issues_come_in_the_order_the_keys_are_declared() {
        let issues = schema().validate(&json!({"port": "x"})).unwrap_err();
        let paths: Vec<&Value> = issues.iter().map(|issue| &issue.path[0]).collect();
        assert_eq!(paths, [&json!("clientId"), &json!("port")]);
    }

    fn mailgun_like() -> ConfigSchema {
        ConfigSchema::compile(&json!({
            "type": "object",
            "properties": {
                "endpoint": {"type": "string", "format": "url", "endsWith": ".mailgun.net"},
                "prefix": {"type": "string", "startsWith": "sk_"}
            }
        }))
        .unwrap()
    }

    #[test]
    fn url_format_follows_the_whatwg_parser_not_rfc_3986() {
        let schema = mailgun_like();
        // `new URL()` strips outer spaces, reads backslashes as slashes, accepts an empty
        // port and a bad escape in the path: all invalid as RFC 3986 URIs.
        for accepted in [
            " https://api.mailgun.net",
            "https:\\\\api.mailgun.net",
            "https://api.mailgun.net:/x.mailgun.net",
            "https://api.mailgun.net/%zz.mailgun.net",
            "https://bücher.mailgun.net",
            "https://api\t.mailgun.net",
        ] {
            assert!(
                schema.validate(&json!({"endpoint": accepted})).is_ok(),
                "{accepted:?}"
            );
        }
        for refused in [
            "https://api .mailgun.net",
            "api.mailgun.net",
            "https://[::1/.mailgun.net",
            "https://api.mailgun.net:65536/.mailgun.net",
            "https://a%zz.mailgun.net",
        ] {
            let issues = schema.validate(&json!({"endpoint": refused})).unwrap_err();
            assert_eq!(issues.len(), 1, "{refused:?}: {issues:?}");
            assert_eq!(
                issues[0].to_json(),
                json!({"code": "invalid_string", "validation": "url", "path": ["endpoint"], "message": "Invalid url"}),
                "{refused:?}"
            );
        }
    }

    #[test]
    fn ends_with_and_starts_with_see_the_string_as_sent_and_report_like_zod() {
        let schema = mailgun_like();
        // The parser would lower-case the host and add a `/`; the refinement does not.
        let issues = schema
            .validate(&json!({"endpoint": "HTTPS://API.MAILGUN.NET"}))
            .unwrap_err();
        assert_eq!(
            issues.iter().map(Issue::to_json).collect::<Vec<_>>(),
            [json!({
                "code": "invalid_string",
                "validation": {"endsWith": ".mailgun.net"},
                "path": ["endpoint"],
                "message": "Invalid input: must end with \".mailgun.net\""
            })]
        );
        // Both checks fail: url() first, as zod runs them in the order they are chained.
        let issues = schema
            .validate(&json!({"endpoint": "mailgun", "prefix": "pk_1"}))
            .unwrap_err();
        let messages: Vec<&str> = issues.iter().map(|issue| issue.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Invalid url",
                "Invalid input: must end with \".mailgun.net\"",
                "Invalid input: must start with \"sk_\""
            ]
        );
        assert!(schema
            .validate(&json!({"endpoint": "https://api\t.mailgun.net", "prefix": "sk_"}))
            .is_ok());
    }

    #[test]
    fn affix_keywords_need_a_string() {
        let error =
            ConfigSchema::compile(&json!({"properties": {"a": {"endsWith": 5}}})).unwrap_err();
        assert!(error.contains("endsWith"), "{error}");
    }

    #[test]
    fn a_valid_config_passes() {
        assert!(schema()
            .validate(&json!({"clientId": "x", "extra": 1}))
            .is_ok());
    }
}
