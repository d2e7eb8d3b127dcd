//! Validation problems in the shape of zod issues, as Logto reports them.
//!
//! Logto validates request bodies and connector configs with zod and sends the
//! serialized `ZodError` as `data` and one formatted line per issue as `details`.
//! Everything in connector-mock that rejects input describes the problem as an
//! [`Issue`] so the bodies look the same.

use serde_json::{json, Map, Value};

/// One validation problem: a zod issue code, the path to the bad value and the
/// code-specific fields (`expected`/`received`, `minimum`, `options`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub code: &'static str,
    pub path: Vec<Value>,
    pub message: String,
    /// Extra fields in zod's key order, between `code` and `path`.
    pub fields: Vec<(&'static str, Value)>,
}

impl Issue {
    /// `invalid_type`: the value has the wrong JSON type (or is missing: `received = "undefined"`).
    pub fn invalid_type(path: Vec<Value>, expected: &str, received: &str) -> Self {
        let message = if received == "undefined" {
            "Required".to_owned()
        } else {
            format!("Expected {expected}, received {received}")
        };
        Issue {
            code: "invalid_type",
            path,
            message,
            fields: vec![
                ("expected", Value::from(expected)),
                ("received", Value::from(received)),
            ],
        }
    }

    /// `too_small` for strings (`minLength`) or arrays (`minItems`).
    pub fn too_small(path: Vec<Value>, kind: &str, minimum: u64) -> Self {
        let message = match kind {
            "array" => format!("Array must contain at least {minimum} element(s)"),
            _ => format!("String must contain at least {minimum} character(s)"),
        };
        Issue {
            code: "too_small",
            path,
            message,
            fields: vec![
                ("minimum", Value::from(minimum)),
                ("type", Value::from(kind)),
                ("inclusive", Value::Bool(true)),
                ("exact", Value::Bool(false)),
            ],
        }
    }

    /// `too_big` for strings (`maxLength`) or arrays (`maxItems`).
    pub fn too_big(path: Vec<Value>, kind: &str, maximum: u64) -> Self {
        let message = match kind {
            "array" => format!("Array must contain at most {maximum} element(s)"),
            _ => format!("String must contain at most {maximum} character(s)"),
        };
        Issue {
            code: "too_big",
            path,
            message,
            fields: vec![
                ("maximum", Value::from(maximum)),
                ("type", Value::from(kind)),
                ("inclusive", Value::Bool(true)),
                ("exact", Value::Bool(false)),
            ],
        }
    }

    /// `invalid_enum_value`: the value is not one of `options`.
    pub fn invalid_enum(path: Vec<Value>, options: &[Value], received: &Value) -> Self {
        let listed: Vec<String> = options.iter().map(quote_option).collect();
        Issue {
            code: "invalid_enum_value",
            path,
            message: format!(
                "Invalid enum value. Expected {}, received {}",
                listed.join(" | "),
                quote_option(received)
            ),
            fields: vec![
                ("received", received.clone()),
                ("options", Value::Array(options.to_vec())),
            ],
        }
    }

    /// A zod issue with no extra fields (`custom`, `invalid_union`, `invalid_string`, ...).
    pub fn plain(code: &'static str, path: Vec<Value>, message: impl Into<String>) -> Self {
        Issue {
            code,
            path,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// Adds a code-specific field (e.g. `validation` of `invalid_string`).
    pub fn with_field(mut self, key: &'static str, value: &str) -> Self {
        self.fields.push((key, Value::from(value)));
        self
    }

    /// The issue as zod serializes it.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("code".into(), Value::from(self.code));
        for (key, value) in &self.fields {
            object.insert((*key).into(), value.clone());
        }
        object.insert("path".into(), Value::Array(self.path.clone()));
        object.insert("message".into(), Value::from(self.message.clone()));
        Value::Object(object)
    }

    /// The `details` line Logto prints for this issue.
    pub fn detail_line(&self) -> String {
        let path: Vec<String> = self
            .path
            .iter()
            .map(|segment| match segment {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect();
        let text = if self.code == "invalid_type" {
            let field = |name: &str| {
                self.fields
                    .iter()
                    .find(|(key, _)| *key == name)
                    .and_then(|(_, value)| value.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            format!(
                "Expected {} but received {}.",
                field("expected"),
                field("received")
            )
        } else {
            self.message.clone()
        };
        format!(
            "Error in key path \"{}\": ({}) {}",
            path.join("."),
            self.code,
            text
        )
    }
}

/// `data` of a zod failure: `{"issues": [...], "name": "ZodError"}`.
pub fn zod_error_data(issues: &[Issue]) -> Value {
    json!({
        "issues": issues.iter().map(Issue::to_json).collect::<Vec<_>>(),
        "name": "ZodError",
    })
}

/// `details` of a zod failure: one line per issue.
pub fn zod_error_details(issues: &[Issue]) -> String {
    issues
        .iter()
        .map(Issue::detail_line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// zod's name for the type of a JSON value (`received` in `invalid_type`).
pub fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn quote_option(value: &Value) -> String {
    match value {
        Value::String(text) => format!("'{text}'"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_key_is_formatted_like_logto() {
        let issue = Issue::invalid_type(vec![json!("connectorId")], "string", "undefined");
        assert_eq!(
            issue.detail_line(),
            "Error in key path \"connectorId\": (invalid_type) Expected string but received undefined."
        );
        assert_eq!(
            issue.to_json().to_string(),
            r#"{"code":"invalid_type","expected":"string","received":"undefined","path":["connectorId"],"message":"Required"}"#
        );
    }

    #[test]
    fn nested_paths_are_joined_with_dots() {
        let issue = Issue::too_big(
            vec![json!("templates"), json!(0), json!("id")],
            "string",
            128,
        );
        assert_eq!(
            issue.detail_line(),
            "Error in key path \"templates.0.id\": (too_big) String must contain at most 128 character(s)"
        );
    }
}
