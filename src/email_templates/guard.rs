//! The request guards of `/api/email-templates`, checked as Logto's zod
//! guards check them (`EmailTemplates.createGuard`, `emailTemplateDetailsGuard`):
//! unknown keys are dropped, every problem becomes an [`Issue`].

use serde_json::{json, Map, Value};

use crate::connectors::guard::Guard;
use crate::error::ApiError;
use crate::issues::{json_type_name, Issue};

/// Logto's `TemplateType` values, in declaration order.
pub const TEMPLATE_TYPES: &[&str] = &[
    "SignIn",
    "Register",
    "ForgotPassword",
    "OrganizationInvitation",
    "Generic",
    "UserPermissionValidation",
    "BindNewIdentifier",
    "MfaVerification",
    "BindMfa",
];

/// Longest `languageTag` (the column is `varchar(16)`).
pub const MAX_LANGUAGE_TAG: u64 = 16;

/// The accepted `contentType` values.
const CONTENT_TYPES: &[&str] = &["text/html", "text/plain"];

/// One template of a `PUT` body.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTemplate {
    pub language_tag: String,
    pub template_type: String,
    pub details: Map<String, Value>,
}

/// The `languageTag` / `templateType` filter of `GET` and `DELETE`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TemplateFilter {
    pub language_tag: Option<String>,
    pub template_type: Option<String>,
}

impl TemplateFilter {
    pub fn is_empty(&self) -> bool {
        self.language_tag.is_none() && self.template_type.is_none()
    }

    /// Whether a template with these keys passes the filter.
    pub fn matches(&self, language_tag: &str, template_type: &str) -> bool {
        self.language_tag
            .as_deref()
            .is_none_or(|tag| tag == language_tag)
            && self
                .template_type
                .as_deref()
                .is_none_or(|kind| kind == template_type)
    }
}

/// `PUT /api/email-templates`: `{templates: [{languageTag, templateType, details}]}`, at least one.
pub fn upsert_body(body: &Value) -> Result<Vec<NewTemplate>, ApiError> {
    let mut issues = Vec::new();
    let templates = match body {
        Value::Object(object) => match object.get("templates") {
            None => {
                issues.push(Issue::invalid_type(
                    path(&["templates"]),
                    "array",
                    "undefined",
                ));
                None
            }
            Some(Value::Array(items)) => Some(items),
            Some(other) => {
                issues.push(Issue::invalid_type(
                    path(&["templates"]),
                    "array",
                    json_type_name(other),
                ));
                None
            }
        },
        other => {
            issues.push(Issue::invalid_type(
                Vec::new(),
                "object",
                json_type_name(other),
            ));
            None
        }
    };
    let mut parsed = Vec::new();
    if let Some(items) = templates {
        if items.is_empty() {
            issues.push(Issue::too_small(path(&["templates"]), "array", 1));
        }
        for (index, item) in items.iter().enumerate() {
            let prefix = vec![json!("templates"), json!(index)];
            if let Some(template) = new_template(item, prefix, &mut issues) {
                parsed.push(template);
            }
        }
    }
    if issues.is_empty() {
        Ok(parsed)
    } else {
        Err(ApiError::invalid_input("body", &issues))
    }
}

fn new_template(item: &Value, prefix: Vec<Value>, issues: &mut Vec<Issue>) -> Option<NewTemplate> {
    let mut guard = Guard::new(item, prefix.clone());
    let language_tag = guard.string("languageTag", true, 1, MAX_LANGUAGE_TAG);
    let template_type = template_type(item.get("templateType"), true, &prefix, &mut guard.issues);
    let details = match item.get("details") {
        _ if !item.is_object() => None,
        None => {
            guard.issues.push(Issue::invalid_type(
                extend(&prefix, "details"),
                "object",
                "undefined",
            ));
            None
        }
        Some(details) => details_of(
            details,
            false,
            extend(&prefix, "details"),
            &mut guard.issues,
        ),
    };
    let before = issues.len();
    issues.extend(guard.issues);
    if issues.len() != before {
        return None;
    }
    Some(NewTemplate {
        language_tag: language_tag?,
        template_type: template_type?,
        details: details?,
    })
}

/// `PATCH /api/email-templates/{id}/details`: the details guard with every key optional.
pub fn details_patch(body: &Value) -> Result<Map<String, Value>, ApiError> {
    let mut issues = Vec::new();
    match details_of(body, true, Vec::new(), &mut issues) {
        Some(details) if issues.is_empty() => Ok(details),
        _ => Err(ApiError::invalid_input("body", &issues)),
    }
}

/// `emailTemplateDetailsGuard` (`partial`: every key optional): the known
/// keys in the guard's order, unknown keys dropped.
fn details_of(
    value: &Value,
    partial: bool,
    prefix: Vec<Value>,
    issues: &mut Vec<Issue>,
) -> Option<Map<String, Value>> {
    let mut guard = Guard::new(value, prefix.clone());
    let mut details = Map::new();
    for key in ["subject", "content"] {
        if let Some(text) = guard.string(key, !partial, 0, u64::MAX) {
            details.insert(key.to_owned(), Value::from(text));
        }
    }
    if let Some(content_type) = value.get("contentType") {
        match content_type.as_str() {
            Some(text) if CONTENT_TYPES.contains(&text) => {
                details.insert("contentType".to_owned(), content_type.clone());
            }
            _ => guard.issues.push(literal_union_issue(
                extend(&prefix, "contentType"),
                CONTENT_TYPES,
                content_type,
            )),
        }
    }
    for key in ["replyTo", "sendFrom"] {
        if let Some(text) = guard.string(key, false, 0, u64::MAX) {
            details.insert(key.to_owned(), Value::from(text));
        }
    }
    let clean = guard.issues.is_empty();
    issues.extend(guard.issues);
    clean.then_some(details)
}

/// zod's `invalid_union` for a union of string literals, with each member's error.
fn literal_union_issue(path: Vec<Value>, literals: &[&str], received: &Value) -> Issue {
    let union_errors: Vec<Value> = literals
        .iter()
        .map(|literal| {
            let mut issue = Map::new();
            issue.insert("received".into(), received.clone());
            issue.insert("code".into(), json!("invalid_literal"));
            issue.insert("expected".into(), json!(literal));
            issue.insert("path".into(), Value::Array(path.clone()));
            issue.insert(
                "message".into(),
                json!(format!(
                    "Invalid literal value, expected {}",
                    json!(literal)
                )),
            );
            json!({ "issues": [Value::Object(issue)], "name": "ZodError" })
        })
        .collect();
    let mut issue = Issue::plain("invalid_union", path, "Invalid input");
    issue
        .fields
        .push(("unionErrors", Value::Array(union_errors)));
    issue
}

/// `templateTypeGuard` (`z.nativeEnum(TemplateType)`).
fn template_type(
    value: Option<&Value>,
    required: bool,
    prefix: &[Value],
    issues: &mut Vec<Issue>,
) -> Option<String> {
    let path = extend(prefix, "templateType");
    let expected = || {
        TEMPLATE_TYPES
            .iter()
            .map(|kind| format!("'{kind}'"))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    match value {
        None if required => {
            issues.push(Issue::invalid_type(path, &expected(), "undefined"));
            None
        }
        None => None,
        Some(Value::String(text)) if TEMPLATE_TYPES.contains(&text.as_str()) => Some(text.clone()),
        Some(value @ Value::String(_)) => {
            let options: Vec<Value> = TEMPLATE_TYPES.iter().map(|kind| json!(kind)).collect();
            issues.push(Issue::invalid_enum(path, &options, value));
            None
        }
        Some(other) => {
            issues.push(Issue::invalid_type(
                path,
                &expected(),
                json_type_name(other),
            ));
            None
        }
    }
}

/// The query guard of `GET` and `DELETE /api/email-templates`: optional
/// `languageTag` (1..16 characters) and `templateType`; other keys ignored;
/// a repeated key is an array, which the guard refuses.
pub fn filter_query(pairs: &[(String, String)]) -> Result<TemplateFilter, ApiError> {
    let mut issues = Vec::new();
    let values = |key: &str| -> Option<Value> {
        let found: Vec<Value> = pairs
            .iter()
            .filter(|(name, _)| name == key)
            .map(|(_, value)| Value::from(value.clone()))
            .collect();
        match found.len() {
            0 => None,
            1 => found.into_iter().next(),
            _ => Some(Value::Array(found)),
        }
    };
    let query = {
        let mut object = Map::new();
        if let Some(tag) = values("languageTag") {
            object.insert("languageTag".into(), tag);
        }
        Value::Object(object)
    };
    let mut guard = Guard::new(&query, Vec::new());
    let language_tag = guard.string("languageTag", false, 1, MAX_LANGUAGE_TAG);
    issues.extend(guard.issues);
    let template_type = template_type(values("templateType").as_ref(), false, &[], &mut issues);
    if issues.is_empty() {
        Ok(TemplateFilter {
            language_tag,
            template_type,
        })
    } else {
        Err(ApiError::invalid_input("query", &issues))
    }
}

fn path(keys: &[&str]) -> Vec<Value> {
    keys.iter().map(|key| Value::from(*key)).collect()
}

fn extend(prefix: &[Value], key: &str) -> Vec<Value> {
    let mut path = prefix.to_vec();
    path.push(Value::from(key));
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues_of(error: ApiError) -> Vec<Value> {
        error.data().unwrap()["issues"].as_array().unwrap().clone()
    }

    #[test]
    fn a_valid_body_keeps_known_detail_keys_in_the_guards_order() {
        let body = json!({"templates": [{
            "templateType": "Generic",
            "languageTag": "de",
            "id": "ignored",
            "details": {"content": "c", "extra": 1, "subject": "s", "contentType": "text/html"}
        }]});
        let parsed = upsert_body(&body).unwrap();
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].language_tag, "de");
        assert_eq!(
            Value::Object(parsed[0].details.clone()).to_string(),
            r#"{"subject":"s","content":"c","contentType":"text/html"}"#
        );
    }

    #[test]
    fn bad_bodies_get_zod_issues_at_the_right_paths() {
        let issues = issues_of(upsert_body(&json!({"templates": []})).unwrap_err());
        assert_eq!(issues[0]["code"], "too_small");
        let issues = issues_of(
            upsert_body(&json!({"templates": [{
                "languageTag": "a-very-long-language-tag",
                "templateType": "Nope",
                "details": {"subject": 1, "contentType": "text/xml"}
            }]}))
            .unwrap_err(),
        );
        let codes: Vec<(&str, String)> = issues
            .iter()
            .map(|issue| {
                let path: Vec<String> = issue["path"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|part| part.to_string().trim_matches('"').to_owned())
                    .collect();
                (issue["code"].as_str().unwrap(), path.join("."))
            })
            .collect();
        assert_eq!(
            codes,
            [
                ("too_big", "templates.0.languageTag".to_owned()),
                ("invalid_enum_value", "templates.0.templateType".to_owned()),
                ("invalid_type", "templates.0.details.subject".to_owned()),
                ("invalid_type", "templates.0.details.content".to_owned()),
                (
                    "invalid_union",
                    "templates.0.details.contentType".to_owned()
                ),
            ]
        );
        assert_eq!(
            issues[4]["unionErrors"][0]["issues"][0]["message"],
            "Invalid literal value, expected \"text/html\""
        );
    }

    #[test]
    fn filters_refuse_repeated_and_empty_values() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let filter = filter_query(&pairs(&[("languageTag", "en"), ("x", "y")])).unwrap();
        assert_eq!(filter.language_tag.as_deref(), Some("en"));
        assert!(filter.matches("en", "Generic") && !filter.matches("de", "Generic"));
        assert!(filter_query(&pairs(&[("languageTag", "")])).is_err());
        assert!(filter_query(&pairs(&[("templateType", "a"), ("templateType", "b")])).is_err());
        assert!(filter_query(&pairs(&[("templateType", "SignIn")])).is_ok());
    }

    #[test]
    fn a_details_patch_takes_any_subset() {
        let details = details_patch(&json!({"content": "new"})).unwrap();
        assert_eq!(Value::Object(details), json!({"content": "new"}));
        assert!(details_patch(&json!({"subject": null})).is_err());
        assert!(details_patch(&json!([])).is_err());
    }
}
