//! What the API answers for a connector or a factory, in Logto's key order.
//!
//! The views borrow from the record and the factory and are serialized once
//! per write (connectors) or once at start-up (factories); the bytes and
//! their ETag are kept and served as they are.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::LazyLock;

use super::guard::METADATA_KEYS;
use crate::factories::Factory;
use crate::state::Rendered;
use crate::store::ConnectorRecord;

/// `GET /api/connectors/{id}`: Logto's `connectorResponseGuard` order.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectorView<'a> {
    id: &'a str,
    sync_profile: bool,
    enable_token_storage: bool,
    config: &'a Map<String, Value>,
    metadata: StoredMetadata<'a>,
    connector_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<MetadataValue<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<MetadataValue<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<MetadataValue<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<MetadataValue<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo_dark: Option<MetadataValue<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    readme: Option<MetadataValue<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    config_template: Option<MetadataValue<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    form_items: Option<MetadataValue<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_data: Option<MetadataValue<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from_email: Option<MetadataValue<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    platform: Option<MetadataValue<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_standard: Option<MetadataValue<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_token_storage_supported: Option<MetadataValue<'a>>,
    #[serde(rename = "type")]
    connector_type: &'static str,
    is_demo: bool,
    extra_info: EmptyObject,
}

static EMPTY_MAP: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

impl<'a> ConnectorView<'a> {
    /// The view of `record`; its stored metadata overrides spread over the
    /// factory's metadata (shallow, as Logto). `raw` is the factory's
    /// metadata serialized once ([`RawMetadata::of`]).
    pub fn new(factory: &'a Factory, raw: &'a RawMetadata, record: &'a ConnectorRecord) -> Self {
        let merged = |key: &'static str| match record.metadata.get(key) {
            Some(value) if key == "name" || key == "description" => {
                Some(MetadataValue::Phrases(EnglishFirst(value)))
            }
            Some(value) => Some(MetadataValue::Stored(value)),
            None => raw.0.get(key).map(|value| MetadataValue::Raw(value)),
        };
        ConnectorView {
            id: &record.id,
            sync_profile: record.sync_profile,
            enable_token_storage: record.enable_token_storage,
            // Logto never serves a demo connector's config.
            config: if factory.is_demo() {
                &EMPTY_MAP
            } else {
                &record.config
            },
            metadata: StoredMetadata(&record.metadata),
            connector_id: &record.connector_id,
            target: merged("target"),
            name: merged("name"),
            description: merged("description"),
            logo: merged("logo"),
            logo_dark: merged("logoDark"),
            readme: merged("readme"),
            config_template: merged("configTemplate"),
            form_items: merged("formItems"),
            custom_data: merged("customData"),
            from_email: merged("fromEmail"),
            platform: merged("platform"),
            is_standard: merged("isStandard"),
            is_token_storage_supported: merged("isTokenStorageSupported"),
            connector_type: factory.connector_type.as_str(),
            is_demo: factory.is_demo(),
            extra_info: EmptyObject,
        }
    }
}

/// Metadata keys served on a connector, in `connectorResponseGuard` order.
const CONNECTOR_METADATA_KEYS: &[&str] = &[
    "target",
    "name",
    "description",
    "logo",
    "logoDark",
    "readme",
    "configTemplate",
    "formItems",
    "customData",
    "fromEmail",
    "platform",
    "isStandard",
    "isTokenStorageSupported",
];

/// A factory's metadata values as JSON text, serialized once, so that a
/// connector's view copies its factory's logo, readme and form items instead
/// of serializing them again on every write.
pub struct RawMetadata(HashMap<&'static str, Box<RawValue>>);

impl RawMetadata {
    pub fn of(factory: &Factory) -> RawMetadata {
        let values = CONNECTOR_METADATA_KEYS
            .iter()
            .filter_map(|key| {
                let value = factory.metadata.get(*key)?;
                let text = serde_json::to_string(&EnglishFirst(value)).ok()?;
                Some((*key, RawValue::from_string(text).ok()?))
            })
            .collect();
        RawMetadata(values)
    }
}

/// One metadata value of a view: a stored override or the factory's own.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum MetadataValue<'a> {
    Stored(&'a Value),
    Phrases(EnglishFirst<'a>),
    Raw(&'a RawValue),
}

/// `GET /api/connector-factories/{id}`: `type, isDemo`, then the metadata.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FactoryView<'a> {
    #[serde(rename = "type")]
    connector_type: &'static str,
    is_demo: bool,
    #[serde(flatten)]
    metadata: &'a Map<String, Value>,
}

impl<'a> FactoryView<'a> {
    pub fn new(factory: &'a Factory) -> Self {
        FactoryView {
            connector_type: factory.connector_type.as_str(),
            is_demo: factory.is_demo(),
            metadata: &factory.metadata,
        }
    }
}

/// Serializes `value` to bytes with its ETag.
pub fn render(value: &impl Serialize) -> Rendered {
    let body = serde_json::to_vec(value).expect("views always serialize");
    let etag = crate::etag::etag_of_bytes(&body);
    Rendered {
        body: body.into(),
        etag,
    }
}

/// The connector's effective `target` (override or factory default).
pub fn effective_target<'a>(factory: &'a Factory, overrides: &'a Map<String, Value>) -> &'a str {
    overrides
        .get("target")
        .and_then(Value::as_str)
        .unwrap_or(&factory.target)
}

/// The merged `name` of a connector (override or factory default).
pub fn merged_name(factory: &Factory, record: &ConnectorRecord) -> Value {
    let name = record
        .metadata
        .get("name")
        .or_else(|| factory.metadata.get("name"))
        .cloned()
        .unwrap_or(Value::Null);
    serde_json::to_value(EnglishFirst(&name)).unwrap_or(name)
}

/// Stored metadata overrides: `target, name, logo, logoDark`, then any others.
struct StoredMetadata<'a>(&'a Map<String, Value>);

impl Serialize for StoredMetadata<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for key in METADATA_KEYS {
            if let Some(value) = self.0.get(*key) {
                map.serialize_entry(key, &EnglishFirst(value))?;
            }
        }
        for (key, value) in self.0 {
            if !METADATA_KEYS.contains(&key.as_str()) {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

/// An i18n phrase object with `en` first (as zod re-emits them); other values as they are.
struct EnglishFirst<'a>(&'a Value);

impl Serialize for EnglishFirst<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Value::Object(phrases) = self.0 else {
            return self.0.serialize(serializer);
        };
        let mut map = serializer.serialize_map(Some(phrases.len()))?;
        if let Some(english) = phrases.get("en") {
            map.serialize_entry("en", english)?;
        }
        for (key, value) in phrases {
            if key != "en" {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

/// Serializes as `{}`.
struct EmptyObject;

impl Serialize for EmptyObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stored_metadata_is_ordered_and_names_put_english_first() {
        let metadata = json!({"logo": "l", "x": 1, "name": {"de": "D", "en": "E"}, "target": "t"});
        let text = serde_json::to_string(&StoredMetadata(metadata.as_object().unwrap())).unwrap();
        assert_eq!(
            text,
            r#"{"target":"t","name":{"en":"E","de":"D"},"logo":"l","x":1}"#
        );
        assert_eq!(serde_json::to_string(&EmptyObject).unwrap(), "{}");
    }
}
