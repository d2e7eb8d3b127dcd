//! Config validation: a manifest's JSON Schema, compiled once, reporting
//! problems as zod-style [`Issue`]s so `connector.invalid_config` bodies look
//! like Logto's.

use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::Value;

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
    /// Compiles a draft 2020-12 schema (formats such as `uri` and `email` are checked).
    pub fn compile(schema: &Value) -> Result<Self, String> {
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .should_validate_formats(true)
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
                    "uri" | "url" => ("url", "Invalid url"),
                    "email" => ("email", "Invalid email"),
                    _ => ("regex", "Invalid"),
                };
                Issue::plain("invalid_string", path, message).with_field("validation", validation)
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

    #[test]
    fn a_valid_config_passes() {
        assert!(schema()
            .validate(&json!({"clientId": "x", "extra": 1}))
            .is_ok());
    }
}
