//! One field of a factory's configuration form (`metadata.formItems[]`), as connector-kit's
//! `connectorConfigFormItemGuard` accepts it and Logto's response guard re-emits it: keys in
//! the guard's order, `selectItems` only for `Select` (`{value, title}`) and `MultiSelect`
//! (`{value}`: a title is dropped, as zod drops keys its schema does not name).

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// connector-kit's `ConnectorConfigFormItemType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum FormItemType {
    Text,
    Number,
    MultilineText,
    Switch,
    Select,
    MultiSelect,
    Json,
}

/// A form item as written in a manifest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FormItem {
    #[serde(rename = "type")]
    pub kind: FormItemType,
    #[serde(default)]
    select_items: Option<Vec<SelectItem>>,
    pub key: String,
    label: String,
    #[serde(default)]
    placeholder: Option<String>,
    #[serde(default)]
    required: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    default_value: Option<Value>,
    #[serde(default)]
    show_conditions: Option<Vec<ShowCondition>>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    tooltip: Option<String>,
    #[serde(default)]
    pub is_confidential: Option<bool>,
    #[serde(default)]
    is_dev_feature: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SelectItem {
    value: String,
    #[serde(default)]
    title: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ShowCondition {
    target_key: String,
    #[serde(default, deserialize_with = "present")]
    expect_value: Option<Value>,
}

/// A key that is present is kept, `null` included (zod's `unknown().optional()`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

impl FormItem {
    /// The rules serde cannot express: `Select` needs `selectItems` with a `title` each,
    /// `MultiSelect` needs `selectItems`. The error names the place below the item.
    pub fn check(&self) -> Result<(), (String, &'static str)> {
        let needs_items = matches!(self.kind, FormItemType::Select | FormItemType::MultiSelect);
        match &self.select_items {
            None if needs_items => Err((
                "/selectItems".into(),
                "is required for the Select and MultiSelect types",
            )),
            Some(items) if self.kind == FormItemType::Select => {
                match items.iter().position(|item| item.title.is_none()) {
                    Some(index) => Err((
                        format!("/selectItems/{index}/title"),
                        "is required for the Select type",
                    )),
                    None => Ok(()),
                }
            }
            _ => Ok(()),
        }
    }

    /// The item as Logto answers it.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        let kind = match self.kind {
            FormItemType::Text => "Text",
            FormItemType::Number => "Number",
            FormItemType::MultilineText => "MultilineText",
            FormItemType::Switch => "Switch",
            FormItemType::Select => "Select",
            FormItemType::MultiSelect => "MultiSelect",
            FormItemType::Json => "Json",
        };
        out.insert("type".into(), Value::from(kind));
        let with_titles = self.kind == FormItemType::Select;
        if let (true, Some(items)) = (
            with_titles || self.kind == FormItemType::MultiSelect,
            &self.select_items,
        ) {
            let items = items
                .iter()
                .map(|item| {
                    let mut choice = Map::new();
                    choice.insert("value".into(), Value::from(item.value.clone()));
                    if let (true, Some(title)) = (with_titles, &item.title) {
                        choice.insert("title".into(), Value::from(title.clone()));
                    }
                    Value::Object(choice)
                })
                .collect();
            out.insert("selectItems".into(), Value::Array(items));
        }
        out.insert("key".into(), Value::from(self.key.clone()));
        out.insert("label".into(), Value::from(self.label.clone()));
        let mut optional = |key: &str, value: Option<Value>| {
            if let Some(value) = value {
                out.insert(key.into(), value);
            }
        };
        optional("placeholder", self.placeholder.clone().map(Value::from));
        optional("required", self.required.map(Value::from));
        optional("defaultValue", self.default_value.clone());
        optional(
            "showConditions",
            self.show_conditions.as_ref().map(|conditions| {
                conditions
                    .iter()
                    .map(|condition| {
                        let mut out = Map::new();
                        out.insert(
                            "targetKey".into(),
                            Value::from(condition.target_key.clone()),
                        );
                        if let Some(expected) = &condition.expect_value {
                            out.insert("expectValue".into(), expected.clone());
                        }
                        Value::Object(out)
                    })
                    .collect()
            }),
        );
        optional("description", self.description.clone().map(Value::from));
        optional("tooltip", self.tooltip.clone().map(Value::from));
        optional("isConfidential", self.is_confidential.map(Value::from));
        optional("isDevFeature", self.is_dev_feature.map(Value::from));
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(value: Value) -> FormItem {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn items_come_out_in_logtos_key_order_with_the_choices_each_type_keeps() {
        let select = item(json!({
            "label": "Prompt", "key": "prompt", "type": "Select", "defaultValue": null,
            "selectItems": [{ "title": "Consent", "value": "consent" }],
        }));
        assert_eq!(
            serde_json::to_string(&select.to_json()).unwrap(),
            r#"{"type":"Select","selectItems":[{"value":"consent","title":"Consent"}],"key":"prompt","label":"Prompt","defaultValue":null}"#
        );
        let multi = item(json!({
            "type": "MultiSelect", "key": "prompts", "label": "Prompts",
            "selectItems": [{ "value": "none", "title": "None" }],
            "showConditions": [{ "targetKey": "mode" }],
        }));
        assert_eq!(
            multi.to_json(),
            json!({ "type": "MultiSelect", "selectItems": [{ "value": "none" }], "key": "prompts",
                "label": "Prompts", "showConditions": [{ "targetKey": "mode" }] })
        );
        let text = item(json!({ "type": "Text", "key": "k", "label": "K", "selectItems": [] }));
        assert_eq!(
            text.to_json(),
            json!({ "type": "Text", "key": "k", "label": "K" })
        );
    }

    #[test]
    fn select_types_need_their_choices() {
        let missing = item(json!({ "type": "MultiSelect", "key": "k", "label": "K" }));
        assert_eq!(missing.check().unwrap_err().0, "/selectItems");
        let untitled = item(json!({ "type": "Select", "key": "k", "label": "K",
            "selectItems": [{ "value": "a", "title": "A" }, { "value": "b" }] }));
        assert_eq!(untitled.check().unwrap_err().0, "/selectItems/1/title");
        let plain = item(json!({ "type": "Switch", "key": "k", "label": "K" }));
        assert!(plain.check().is_ok());
        for wrong in [
            json!({ "type": "Password", "key": "k", "label": "K" }),
            json!({ "type": "Text", "key": "k" }),
            json!({ "type": "Text", "key": "k", "label": "K", "hint": "?" }),
            json!({ "type": "Text", "key": "k", "label": "K", "required": "yes" }),
        ] {
            assert!(
                serde_json::from_value::<FormItem>(wrong.clone()).is_err(),
                "{wrong}"
            );
        }
    }
}
