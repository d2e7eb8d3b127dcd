//! The fixture manifest format: one JSON file describing one connector factory.
//!
//! ```text
//! fixtures/<factory-id>/manifest.json   {type, metadata, configSchema, sampleConfig, invalidConfigs?, authorization?, emailTemplates?}
//! fixtures/<factory-id>/logo.svg        files named by metadata.logo / logoDark / readme / configTemplate
//! ```
//! See `fixtures/README.md` for the full description.

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;

use super::form_item::FormItem;

/// Logto's `ConnectorType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum ConnectorType {
    Email,
    Sms,
    Social,
}

impl ConnectorType {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectorType::Email => "Email",
            ConnectorType::Sms => "Sms",
            ConnectorType::Social => "Social",
        }
    }
}

/// Logto's `ConnectorPlatform`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Platform {
    Native,
    Universal,
    Web,
}

/// A manifest as written on disk.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Manifest {
    #[serde(rename = "type")]
    pub connector_type: ConnectorType,
    pub metadata: ManifestMetadata,
    pub config_schema: Value,
    pub sample_config: Map<String, Value>,
    #[serde(default)]
    pub invalid_configs: Vec<Value>,
    /// How the social authorization URI is built (used by the authorization-uri endpoint).
    #[serde(default)]
    pub authorization: Option<Value>,
    /// Email factories only: sending looks up the stored i18n email templates
    /// (`/api/email-templates`) before the config's templates, as the real
    /// connector does with Logto's `getI18nEmailTemplate`.
    #[serde(default)]
    pub email_templates: bool,
}

/// Logto's `ConnectorMetadata`, with file references not yet resolved.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ManifestMetadata {
    pub id: String,
    pub target: String,
    pub platform: Option<Platform>,
    pub name: Map<String, Value>,
    pub description: Map<String, Value>,
    pub logo: String,
    pub logo_dark: Option<String>,
    pub readme: String,
    #[serde(default)]
    pub config_template: Option<String>,
    #[serde(default)]
    pub form_items: Option<Vec<FormItem>>,
    #[serde(default)]
    pub custom_data: Option<Map<String, Value>>,
    #[serde(default)]
    pub from_email: Option<String>,
    #[serde(default)]
    pub is_standard: Option<bool>,
    #[serde(default)]
    pub is_token_storage_supported: Option<bool>,
}

impl ManifestMetadata {
    /// The metadata as Logto serves it: file references resolved (logos as
    /// `data:` URLs, readme and config template as text) and keys in Logto's
    /// order (`id, target, name, description, logo, logoDark, readme,
    /// configTemplate, formItems, customData, fromEmail, platform, isStandard,
    /// isTokenStorageSupported`), optional keys omitted when absent.
    pub fn resolve(&self, files: &HashMap<String, Vec<u8>>) -> Map<String, Value> {
        let mut out = Map::new();
        out.insert("id".into(), Value::from(self.id.clone()));
        out.insert("target".into(), Value::from(self.target.clone()));
        out.insert("name".into(), Value::Object(english_first(&self.name)));
        out.insert(
            "description".into(),
            Value::Object(english_first(&self.description)),
        );
        out.insert("logo".into(), Value::from(resolve_logo(&self.logo, files)));
        out.insert(
            "logoDark".into(),
            self.logo_dark
                .as_ref()
                .map_or(Value::Null, |logo| Value::from(resolve_logo(logo, files))),
        );
        out.insert(
            "readme".into(),
            Value::from(resolve_text(&self.readme, files)),
        );
        if let Some(template) = &self.config_template {
            out.insert(
                "configTemplate".into(),
                Value::from(resolve_text(template, files)),
            );
        }
        if let Some(items) = &self.form_items {
            let items = items.iter().map(FormItem::to_json).collect();
            out.insert("formItems".into(), Value::Array(items));
        }
        if let Some(custom) = &self.custom_data {
            out.insert("customData".into(), Value::Object(custom.clone()));
        }
        if let Some(from_email) = &self.from_email {
            out.insert("fromEmail".into(), Value::from(from_email.clone()));
        }
        out.insert(
            "platform".into(),
            serde_json::to_value(self.platform).unwrap_or(Value::Null),
        );
        if let Some(standard) = self.is_standard {
            out.insert("isStandard".into(), Value::Bool(standard));
        }
        if let Some(supported) = self.is_token_storage_supported {
            out.insert("isTokenStorageSupported".into(), Value::Bool(supported));
        }
        out
    }
}

/// `en` first, then the other languages in their given order (as zod re-emits i18n phrases).
pub fn english_first(phrases: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(english) = phrases.get("en") {
        out.insert("en".into(), english.clone());
    }
    for (key, value) in phrases {
        if key != "en" {
            out.insert(key.clone(), value.clone());
        }
    }
    out
}

/// The keys of `object` in the order of `keys`, then any others in their order.
pub fn reorder(object: &Map<String, Value>, keys: &[&str]) -> Map<String, Value> {
    let mut out = Map::new();
    for key in keys {
        if let Some(value) = object.get(*key) {
            out.insert((*key).into(), value.clone());
        }
    }
    for (key, value) in object {
        if !out.contains_key(key) {
            out.insert(key.clone(), value.clone());
        }
    }
    out
}

fn file_name(reference: &str) -> &str {
    reference.strip_prefix("./").unwrap_or(reference)
}

/// Logto's rule: http(s) URLs stay, `.svg`/`.png` files become `data:` URLs,
/// other extensions become `''`, missing files stay as written.
fn resolve_logo(reference: &str, files: &HashMap<String, Vec<u8>>) -> String {
    if reference.starts_with("http://") || reference.starts_with("https://") {
        return reference.to_owned();
    }
    let mime = if reference.ends_with(".svg") {
        "image/svg+xml"
    } else if reference.ends_with(".png") {
        "image/png"
    } else {
        return String::new();
    };
    match files.get(file_name(reference)) {
        Some(bytes) => format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ),
        None => reference.to_owned(),
    }
}

/// Readme and config template: the file's text, or the reference itself when no such file exists.
fn resolve_text(reference: &str, files: &HashMap<String, Vec<u8>>) -> String {
    match files.get(file_name(reference)) {
        Some(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        None => reference.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn logos_become_data_urls_and_texts_are_inlined() {
        let files = HashMap::from([
            ("logo.svg".to_owned(), b"<svg/>".to_vec()),
            ("README.md".to_owned(), b"# Hi".to_vec()),
        ]);
        assert_eq!(
            resolve_logo("./logo.svg", &files),
            "data:image/svg+xml;base64,PHN2Zy8+"
        );
        assert_eq!(resolve_logo("./logo.gif", &files), "");
        assert_eq!(resolve_logo("./missing.png", &files), "./missing.png");
        assert_eq!(resolve_logo("https://x/y.svg", &files), "https://x/y.svg");
        assert_eq!(resolve_text("./README.md", &files), "# Hi");
    }

    #[test]
    fn english_comes_first() {
        let phrases = json!({"de": "Hallo", "en": "Hello"});
        let ordered = english_first(phrases.as_object().unwrap());
        assert_eq!(
            Value::Object(ordered).to_string(),
            r#"{"en":"Hello","de":"Hallo"}"#
        );
    }
}
