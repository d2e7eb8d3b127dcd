//! Request body guards, checked the way Logto's zod guards check them:
//! unknown keys are ignored, every problem becomes an [`Issue`].

use serde_json::{Map, Value};

use super::language_tags::is_language_tag;
use crate::issues::{json_type_name, Issue};

/// The keys of stored metadata overrides, in Logto's output order.
pub const METADATA_KEYS: &[&str] = &["target", "name", "logo", "logoDark"];

/// Collects issues while reading fields of one JSON object.
pub struct Guard<'a> {
    object: Option<&'a Map<String, Value>>,
    prefix: Vec<Value>,
    pub issues: Vec<Issue>,
}

/// A field that may be absent, explicitly `null`, or set.
#[derive(Debug, Clone, PartialEq)]
pub enum Field<T> {
    Absent,
    Null,
    Set(T),
}

impl<T> Field<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }
}

impl<'a> Guard<'a> {
    /// Starts guarding `value`, which must be an object.
    pub fn new(value: &'a Value, prefix: Vec<Value>) -> Self {
        let mut guard = Guard {
            object: value.as_object(),
            prefix: prefix.clone(),
            issues: Vec::new(),
        };
        if guard.object.is_none() {
            guard
                .issues
                .push(Issue::invalid_type(prefix, "object", json_type_name(value)));
        }
        guard
    }

    fn path(&self, key: &str) -> Vec<Value> {
        let mut path = self.prefix.clone();
        path.push(Value::from(key));
        path
    }

    fn raw(&self, key: &str) -> Option<&'a Value> {
        self.object.and_then(|object| object.get(key))
    }

    /// A string of `min..=max` characters (UTF-16 units, as JavaScript counts).
    pub fn string(&mut self, key: &str, required: bool, min: u64, max: u64) -> Option<String> {
        match self.raw(key) {
            None if required && self.object.is_some() => {
                self.issues
                    .push(Issue::invalid_type(self.path(key), "string", "undefined"));
                None
            }
            None => None,
            Some(Value::String(text)) => {
                let length = text.encode_utf16().count() as u64;
                if length < min {
                    self.issues
                        .push(Issue::too_small(self.path(key), "string", min));
                } else if length > max {
                    self.issues
                        .push(Issue::too_big(self.path(key), "string", max));
                }
                Some(text.clone())
            }
            Some(other) => {
                self.issues.push(Issue::invalid_type(
                    self.path(key),
                    "string",
                    json_type_name(other),
                ));
                None
            }
        }
    }

    /// A boolean; `null` allowed only when `nullable`.
    pub fn boolean(&mut self, key: &str, nullable: bool) -> Field<bool> {
        match self.raw(key) {
            None => Field::Absent,
            Some(Value::Null) if nullable => Field::Null,
            Some(Value::Bool(flag)) => Field::Set(*flag),
            Some(other) => {
                self.issues.push(Issue::invalid_type(
                    self.path(key),
                    "boolean",
                    json_type_name(other),
                ));
                Field::Absent
            }
        }
    }

    /// A JSON object; `null` allowed only when `nullable`.
    pub fn object(&mut self, key: &str, nullable: bool) -> Field<Map<String, Value>> {
        match self.raw(key) {
            None => Field::Absent,
            Some(Value::Null) if nullable => Field::Null,
            Some(Value::Object(object)) => Field::Set(object.clone()),
            Some(other) => {
                self.issues.push(Issue::invalid_type(
                    self.path(key),
                    "object",
                    json_type_name(other),
                ));
                Field::Absent
            }
        }
    }
}

/// Checks configurable metadata (`target`, `name`, `logo`, `logoDark`) and
/// returns it with other keys dropped, in Logto's key order. With `partial`,
/// `null` values are allowed (merge-patch deletions) and `name.en` is not required.
pub fn configurable_metadata(
    metadata: &Map<String, Value>,
    partial: bool,
    issues: &mut Vec<Issue>,
) -> Map<String, Value> {
    let prefix = vec![Value::from("metadata")];
    let value = Value::Object(metadata.clone());
    let mut guard = Guard::new(&value, prefix.clone());
    let mut out = Map::new();
    for key in ["target", "logo"] {
        if partial && metadata.get(key) == Some(&Value::Null) {
            out.insert(key.into(), Value::Null);
        } else if let Some(text) = guard.string(key, false, 0, u64::MAX) {
            out.insert(key.into(), Value::from(text));
        }
    }
    match metadata.get("name") {
        None => {}
        Some(Value::Null) if partial => {
            out.insert("name".into(), Value::Null);
        }
        Some(name) => {
            if let Some(name) = i18n_phrases(name, partial, &mut guard.issues) {
                out.insert("name".into(), Value::Object(name));
            }
        }
    }
    match metadata.get("logoDark") {
        None => {}
        Some(Value::Null) => {
            out.insert("logoDark".into(), Value::Null);
        }
        Some(Value::String(text)) => {
            out.insert("logoDark".into(), Value::from(text.clone()));
        }
        Some(other) => guard.issues.push(Issue::invalid_type(
            vec![Value::from("metadata"), Value::from("logoDark")],
            "string",
            json_type_name(other),
        )),
    }
    issues.extend(guard.issues);
    crate::factories::manifest::reorder(&out, METADATA_KEYS)
}

/// Logto's `i18nPhrasesGuard`: an object of strings with `en`, keyed by language tags.
fn i18n_phrases(
    name: &Value,
    partial: bool,
    issues: &mut Vec<Issue>,
) -> Option<Map<String, Value>> {
    let path = vec![Value::from("metadata"), Value::from("name")];
    let Some(phrases) = name.as_object() else {
        issues.push(Issue::invalid_type(path, "object", json_type_name(name)));
        return None;
    };
    let before = issues.len();
    if !partial && !phrases.contains_key("en") {
        let mut en_path = path.clone();
        en_path.push(Value::from("en"));
        issues.push(Issue::invalid_type(en_path, "string", "undefined"));
    }
    for (tag, text) in phrases {
        let allowed_null = partial && text.is_null();
        if !text.is_string() && !allowed_null {
            let mut text_path = path.clone();
            text_path.push(Value::from(tag.clone()));
            issues.push(Issue::invalid_type(
                text_path,
                "string",
                json_type_name(text),
            ));
        }
    }
    if issues.len() == before && phrases.keys().any(|tag| !is_language_tag(tag)) {
        issues.push(Issue::plain("custom", path, "Invalid input"));
    }
    (issues.len() == before).then(|| crate::factories::manifest::english_first(phrases))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(metadata: Value, partial: bool) -> (Map<String, Value>, Vec<Issue>) {
        let mut issues = Vec::new();
        let out = configurable_metadata(metadata.as_object().unwrap(), partial, &mut issues);
        (out, issues)
    }

    #[test]
    fn unknown_metadata_keys_are_dropped_and_order_is_logtos() {
        let (out, issues) = check(
            json!({"logo": "l", "description": "x", "target": "t"}),
            false,
        );
        assert!(issues.is_empty());
        assert_eq!(
            Value::Object(out).to_string(),
            r#"{"target":"t","logo":"l"}"#
        );
    }

    #[test]
    fn a_name_without_english_or_with_an_unknown_language_fails() {
        let (_, issues) = check(json!({"name": {"de": "x"}}), false);
        assert_eq!(issues[0].detail_line(), "Error in key path \"metadata.name.en\": (invalid_type) Expected string but received undefined.");
        let (_, issues) = check(json!({"name": {"en": "x", "klingon": "y"}}), false);
        assert_eq!(
            issues[0].detail_line(),
            "Error in key path \"metadata.name\": (custom) Invalid input"
        );
        let (_, issues) = check(json!({"name": {"en": "x", "zh-cn": "y"}}), false);
        assert!(issues.is_empty());
    }

    #[test]
    fn strings_are_measured_in_utf16_units() {
        let value = json!({"id": "😀"});
        let mut guard = Guard::new(&value, vec![]);
        guard.string("id", true, 1, 1);
        assert_eq!(guard.issues[0].code, "too_big");
    }
}
