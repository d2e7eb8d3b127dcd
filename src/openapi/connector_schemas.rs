//! The schemas of the connector and factory operations, shaped as Logto's own document
//! (its zod guards rendered to OpenAPI): the same properties, required lists, the three
//! `formItems` variants, `usage`, and the 1–128 length of `connectorId`.
//! `tests/api/openapi_logto.rs` compares them with Logto's.

use serde_json::{json, Map, Value};

/// Property descriptions shared by the create and update bodies (Logto's texts).
const SYNC_PROFILE: &str = "Whether to sync user profile from the identity provider to Logto at each sign-in. If `false`, the user profile will only be synced when the user is created.";
const CONFIG: &str = "The connector config object that will be passed to the connector. The config object should be compatible with the connector factory.";

/// The component schemas of the connector operations, by name.
pub(super) fn schemas() -> Map<String, Value> {
    let mut schemas = Map::new();
    for (name, schema) in [
        ("ConnectorFactory", factory()),
        ("Connector", connector()),
        ("FormItem", form_item()),
        ("Phrases", phrases()),
        ("CreateConnector", create_body()),
        ("UpdateConnector", update_body()),
        ("JsonPatch", json_patch()),
        ("TestConnector", test_body()),
        ("AuthorizationUriRequest", authorization_uri_body()),
        ("AuthorizationUri", authorization_uri()),
    ] {
        schemas.insert(name.to_owned(), schema);
    }
    schemas
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// Logto's `i18nPhrasesGuard`: `en` plus other language tags.
fn phrases() -> Value {
    json!({
        "type": "object",
        "description": "Text by language tag; `en` is always there.",
        "required": ["en"],
        "properties": { "en": { "type": "string" } },
        "additionalProperties": { "type": "string" },
    })
}

/// Logto's stored metadata overrides (`connectorMetadataGuard` partial `target, name, logo, logoDark`).
fn metadata_overrides() -> Value {
    json!({
        "type": "object",
        "properties": {
            "target": { "type": "string" },
            "name": reference("Phrases"),
            "logo": { "type": "string" },
            "logoDark": { "type": "string", "nullable": true },
        },
    })
}

/// One of connector-kit's `connectorConfigFormItemGuard` variants: `Select` (choices with a
/// title), `MultiSelect` (choices by value only) and the plain types.
fn form_item() -> Value {
    let base = || {
        json!({
            "key": { "type": "string" },
            "label": { "type": "string" },
            "placeholder": { "type": "string" },
            "required": { "type": "boolean" },
            "defaultValue": {},
            "showConditions": { "type": "array", "items": {
                "type": "object",
                "required": ["targetKey"],
                "properties": { "targetKey": { "type": "string" }, "expectValue": {} },
            } },
            "description": { "type": "string" },
            "tooltip": { "type": "string" },
            "isConfidential": { "type": "boolean" },
            "isDevFeature": { "type": "boolean" },
        })
    };
    let variant = |kind: Value, select_items: Option<Value>| {
        let mut properties = Map::new();
        properties.insert("type".into(), kind);
        let mut required = vec!["type"];
        if let Some(items) = select_items {
            properties.insert(
                "selectItems".into(),
                json!({ "type": "array", "items": items }),
            );
            required.push("selectItems");
        }
        properties.extend(base().as_object().cloned().unwrap_or_default());
        required.extend(["key", "label"]);
        json!({ "type": "object", "required": required, "properties": properties })
    };
    json!({
        "description": "A field of the connector's configuration form.",
        "oneOf": [
            variant(
                json!({ "type": "string", "enum": ["Select"] }),
                Some(json!({ "type": "object", "required": ["value", "title"],
                    "properties": { "value": { "type": "string" }, "title": { "type": "string" } } })),
            ),
            variant(
                json!({ "type": "string", "enum": ["MultiSelect"] }),
                Some(json!({ "type": "object", "required": ["value"],
                    "properties": { "value": { "type": "string" } } })),
            ),
            variant(
                json!({ "type": "string", "enum": ["Text", "Number", "MultilineText", "Switch", "Json"] }),
                None,
            ),
        ],
    })
}

/// The factory metadata fields, in Logto's order, and whether each is required.
fn metadata_fields() -> Vec<(&'static str, Value, bool)> {
    vec![
        ("id", json!({ "type": "string" }), true),
        ("target", json!({ "type": "string" }), true),
        ("name", reference("Phrases"), true),
        ("description", reference("Phrases"), true),
        ("logo", json!({ "type": "string" }), true),
        (
            "logoDark",
            json!({ "type": "string", "nullable": true }),
            true,
        ),
        ("readme", json!({ "type": "string" }), true),
        ("configTemplate", json!({ "type": "string" }), false),
        (
            "formItems",
            json!({ "type": "array", "items": reference("FormItem") }),
            false,
        ),
        ("customData", json!({ "type": "object" }), false),
        ("fromEmail", json!({ "type": "string" }), false),
        (
            "platform",
            json!({ "type": "string", "enum": ["Native", "Universal", "Web", null], "nullable": true }),
            true,
        ),
        ("isStandard", json!({ "type": "boolean" }), false),
        (
            "isTokenStorageSupported",
            json!({ "type": "boolean" }),
            false,
        ),
    ]
}

fn object_of(fields: Vec<(&'static str, Value, bool)>) -> Value {
    let required: Vec<&str> = fields.iter().filter(|f| f.2).map(|f| f.0).collect();
    let properties: Map<String, Value> = fields
        .into_iter()
        .map(|(key, schema, _)| (key.to_owned(), schema))
        .collect();
    json!({ "type": "object", "required": required, "properties": properties })
}

fn connector_type() -> Value {
    json!({ "type": "string", "enum": ["Email", "Sms", "Social"] })
}

/// Logto's factory response: `type`, `isDemo`, then the factory metadata.
fn factory() -> Value {
    let mut fields = vec![
        ("type", connector_type(), true),
        ("isDemo", json!({ "type": "boolean" }), false),
    ];
    fields.extend(metadata_fields());
    object_of(fields)
}

/// Logto's `connectorResponseGuard`, fields in its key order.
fn connector() -> Value {
    let mut fields = vec![
        ("id", json!({ "type": "string" }), true),
        ("syncProfile", json!({ "type": "boolean" }), true),
        ("enableTokenStorage", json!({ "type": "boolean" }), true),
        ("config", json!({ "type": "object" }), true),
        ("metadata", metadata_overrides(), true),
        (
            "connectorId",
            json!({ "type": "string", "minLength": 1, "maxLength": 128,
            "description": "The factory id." }),
            true,
        ),
    ];
    fields.extend(
        metadata_fields()
            .into_iter()
            .filter(|field| field.0 != "id"),
    );
    fields.extend([
        ("type", connector_type(), true),
        ("isDemo", json!({ "type": "boolean" }), false),
        ("extraInfo", json!({ "type": "object" }), false),
        ("usage", json!({ "type": "number",
            "description": "Messages sent this period, for Email and SMS connectors that report it (connector-mock never sends it)." }), false),
    ]);
    object_of(fields)
}

fn create_body() -> Value {
    json!({
        "type": "object",
        "required": ["connectorId"],
        "properties": {
            "config": { "type": "object", "description": CONFIG },
            "connectorId": { "type": "string", "minLength": 1, "maxLength": 128,
                "description": "The connector factory ID for creating the connector." },
            "metadata": with_description(metadata_overrides(),
                "Custom connector metadata, will be used to overwrite the default connector factory metadata."),
            "syncProfile": { "type": "boolean", "description": SYNC_PROFILE },
            "enableTokenStorage": { "type": "boolean" },
            "id": { "type": "string", "minLength": 1, "maxLength": 128,
                "description": "The unique ID for the connector. If not provided, a random ID will be generated." },
        },
    })
}

fn with_description(mut schema: Value, description: &str) -> Value {
    schema["description"] = Value::from(description);
    schema
}

fn update_body() -> Value {
    json!({
        "type": "object",
        "description": "Merged into the stored connector (RFC 7396) unless [patch] config = \"replace\"; null resets a field.",
        "properties": {
            "config": { "type": "object", "nullable": true, "description": CONFIG },
            "metadata": { "type": "object", "nullable": true,
                "description": "Custom connector metadata, will be used to overwrite the default connector metadata.",
                "properties": {
                    "target": { "type": "string", "nullable": true },
                    "name": { "type": "object", "nullable": true, "additionalProperties": { "type": "string", "nullable": true } },
                    "logo": { "type": "string", "nullable": true },
                    "logoDark": { "type": "string", "nullable": true },
                } },
            "syncProfile": { "type": "boolean", "nullable": true, "description": SYNC_PROFILE },
            "enableTokenStorage": { "type": "boolean", "nullable": true },
        },
    })
}

fn json_patch() -> Value {
    json!({
        "type": "array",
        "description": "RFC 6902 operations on {config, metadata, syncProfile, enableTokenStorage}.",
        "items": { "oneOf": [
            { "type": "object", "required": ["op", "path", "value"], "properties": {
                "op": { "type": "string", "enum": ["add", "replace", "test"] },
                "path": { "type": "string" }, "value": {} } },
            { "type": "object", "required": ["op", "path"], "properties": {
                "op": { "type": "string", "enum": ["remove"] }, "path": { "type": "string" } } },
            { "type": "object", "required": ["op", "from", "path"], "properties": {
                "op": { "type": "string", "enum": ["move", "copy"] },
                "from": { "type": "string" }, "path": { "type": "string" } } },
        ] },
    })
}

fn test_body() -> Value {
    json!({
        "type": "object",
        "required": ["config"],
        "properties": {
            "phone": { "type": "string", "pattern": "^\\d+$",
                "description": "Phone number to send test message to. If this is set, email will be ignored." },
            "email": { "type": "string", "pattern": "^\\S+@\\S+\\.\\S+$",
                "description": "Email address to send test message to. If phone is set, this will be ignored." },
            "config": { "type": "object", "description": "Connector configuration object for testing." },
            "locale": { "type": "string",
                "description": "Preferred language for the message. If not set, the default language will be used. (Applicable only when custom i18n templates are configured.)" },
        },
    })
}

fn authorization_uri_body() -> Value {
    json!({
        "type": "object",
        "required": ["state", "redirectUri"],
        "properties": {
            "state": { "type": "string",
                "description": "A random string generated on the client side to prevent CSRF (Cross-Site Request Forgery) attacks." },
            "redirectUri": { "type": "string",
                "description": "The URI to navigate back to after the user is authenticated by the connected social identity provider and has granted access to the connector." },
        },
    })
}

fn authorization_uri() -> Value {
    json!({
        "type": "object",
        "required": ["redirectTo"],
        "properties": { "redirectTo": { "type": "string", "format": "uri",
            "description": "The URI to navigate for authentication and authorization in the connected social identity provider." } },
    })
}
