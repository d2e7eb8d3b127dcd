//! What the API answers for a connector or a factory, in Logto's key order.

use serde_json::{Map, Value};

use super::guard::METADATA_KEYS;
use crate::factories::manifest::{english_first, reorder};
use crate::factories::Factory;
use crate::store::ConnectorRecord;

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

/// The factory's metadata with the connector's stored overrides spread over it (shallow, as Logto).
pub fn merged_metadata(factory: &Factory, record: &ConnectorRecord) -> Map<String, Value> {
    let mut merged = factory.metadata.clone();
    for (key, value) in &record.metadata {
        merged.insert(key.clone(), value.clone());
    }
    merged
}

/// The connector's effective `target` (override or factory default).
pub fn effective_target<'a>(factory: &'a Factory, overrides: &'a Map<String, Value>) -> &'a str {
    overrides
        .get("target")
        .and_then(Value::as_str)
        .unwrap_or(&factory.target)
}

/// `GET /api/connectors/{id}` body.
pub fn connector_view(factory: &Factory, record: &ConnectorRecord) -> Value {
    let merged = merged_metadata(factory, record);
    let mut out = Map::new();
    out.insert("id".into(), Value::from(record.id.clone()));
    out.insert("syncProfile".into(), Value::Bool(record.sync_profile));
    out.insert(
        "enableTokenStorage".into(),
        Value::Bool(record.enable_token_storage),
    );
    let config = if factory.is_demo() {
        Map::new()
    } else {
        record.config.clone()
    };
    out.insert("config".into(), Value::Object(config));
    out.insert(
        "metadata".into(),
        Value::Object(stored_metadata(&record.metadata)),
    );
    out.insert(
        "connectorId".into(),
        Value::from(record.connector_id.clone()),
    );
    for key in CONNECTOR_METADATA_KEYS {
        if let Some(value) = merged.get(*key) {
            out.insert((*key).into(), english_first_if_phrases(key, value));
        }
    }
    out.insert("type".into(), Value::from(factory.connector_type.as_str()));
    out.insert("isDemo".into(), Value::Bool(factory.is_demo()));
    out.insert("extraInfo".into(), Value::Object(Map::new()));
    Value::Object(out)
}

/// `GET /api/connector-factories/{id}` body: `type, isDemo`, then the metadata.
pub fn factory_view(factory: &Factory) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), Value::from(factory.connector_type.as_str()));
    out.insert("isDemo".into(), Value::Bool(factory.is_demo()));
    for (key, value) in &factory.metadata {
        out.insert(key.clone(), value.clone());
    }
    Value::Object(out)
}

fn stored_metadata(metadata: &Map<String, Value>) -> Map<String, Value> {
    let mut ordered = reorder(metadata, METADATA_KEYS);
    if let Some(Value::Object(name)) = ordered.get("name") {
        let name = english_first(name);
        ordered.insert("name".into(), Value::Object(name));
    }
    ordered
}

fn english_first_if_phrases(key: &str, value: &Value) -> Value {
    match (key, value) {
        ("name" | "description", Value::Object(phrases)) => Value::Object(english_first(phrases)),
        _ => value.clone(),
    }
}
