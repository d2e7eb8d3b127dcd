//! The OpenAPI 3 document of exactly the routes this server implements
//! (`GET /api/.well-known/management.openapi.json`, `GET /api/swagger.json`).
//! `tests/api/openapi.rs` keeps it in step with the router.

use bytes::Bytes;
use serde_json::{json, Value};

/// The document rendered once, split where the origin goes.
pub struct OpenApiDocument {
    parts: Vec<Bytes>,
}

/// Stands for the origin while the document is rendered (cannot occur in it otherwise).
const ORIGIN_PLACEHOLDER: &str = "\u{0}origin\u{0}";

impl OpenApiDocument {
    /// Renders the document once.
    pub fn render() -> OpenApiDocument {
        let text = document(ORIGIN_PLACEHOLDER).to_string();
        let placeholder = serde_json::to_string(ORIGIN_PLACEHOLDER).expect("a string serializes");
        // The placeholder is a whole JSON string in `servers[0]` and the
        // start of one in `servers[1]`.
        let inner = &placeholder[1..placeholder.len() - 1];
        let parts = text
            .split(inner)
            .map(|part| Bytes::from(part.to_owned()))
            .collect();
        OpenApiDocument { parts }
    }

    /// The document's bytes with the servers' URLs on `origin`.
    pub fn for_origin(&self, origin: &str) -> Vec<u8> {
        let origin = serde_json::to_string(origin).expect("a string serializes");
        let origin = &origin[1..origin.len() - 1];
        let total: usize = self.parts.iter().map(Bytes::len).sum();
        let mut bytes = Vec::with_capacity(total + origin.len() * self.parts.len());
        for (index, part) in self.parts.iter().enumerate() {
            if index > 0 {
                bytes.extend_from_slice(origin.as_bytes());
            }
            bytes.extend_from_slice(part);
        }
        bytes
    }
}

/// The document, with `servers[0].url` set to the origin the client used.
pub fn document(origin: &str) -> Value {
    json!({
        "openapi": "3.0.1",
        "info": {
            "title": "connector-mock: Logto Management API (connectors)",
            "description": "The connector endpoints of the Logto Management API as served by connector-mock, plus its /_mock/ harness routes.",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "servers": [
            { "url": origin, "description": "connector-mock endpoint address (tenant `default`, or the tenant the Host header selects)." },
            { "url": format!("{origin}/t/{{tenant}}"), "description": "A tenant selected by path prefix.",
              "variables": { "tenant": { "default": "default", "description": "1 to 63 characters of a-z, 0-9 and '-'." } } },
        ],
        "security": [{ "OAuth2": ["all"] }],
        "tags": [
            { "name": "Connector factories" },
            { "name": "Connectors" },
            { "name": "Email templates" },
            { "name": "Mock harness" },
            { "name": "Status" },
        ],
        "paths": paths(),
        "components": components(),
    })
}

fn paths() -> Value {
    json!({
        "/api/connector-factories": {
            "get": operation("ListConnectorFactories", "Get connector factories", "Connector factories", None,
                ok("OK", array_of("ConnectorFactory")), &[]),
        },
        "/api/connector-factories/{id}": {
            "parameters": [path_param("id", "The unique identifier of the connector factory.")],
            "get": operation("GetConnectorFactory", "Get connector factory", "Connector factories", None,
                ok("OK", schema_ref("ConnectorFactory")), &[404]),
        },
        "/api/connectors": {
            "get": with_parameters(
                operation("ListConnectors", "Get connectors", "Connectors", None,
                    ok("OK", array_of("Connector")), &[400]),
                json!([{ "name": "target", "in": "query", "required": false,
                    "description": "Only connectors with this target.", "schema": { "type": "string" } }]),
            ),
            "post": operation("CreateConnector", "Create connector", "Connectors",
                Some(json_body(schema_ref("CreateConnector"))),
                with_links(ok("OK", schema_ref("Connector")), &[
                    ("GetConnector", "id"),
                    ("UpdateConnector", "id"),
                    ("DeleteConnector", "id"),
                    ("CreateConnectorAuthorizationUri", "connectorId"),
                ]), &[400, 408, 413, 415, 422, 503]),
        },
        "/api/connectors/{id}": {
            "parameters": [path_param("id", "The unique identifier of the connector.")],
            "get": operation("GetConnector", "Get connector", "Connectors", None,
                ok("OK", schema_ref("Connector")), &[400, 404]),
            "patch": with_parameters(
                operation("UpdateConnector", "Update connector", "Connectors",
                    Some(json!({
                        "required": true,
                        "content": {
                            "application/json": { "schema": schema_ref("UpdateConnector") },
                            "application/merge-patch+json": { "schema": schema_ref("UpdateConnector") },
                            "application/json-patch+json": { "schema": schema_ref("JsonPatch") },
                        },
                    })),
                    ok("OK", schema_ref("Connector")), &[400, 404, 408, 412, 413, 415, 422, 503]),
                json!([{ "name": "If-Match", "in": "header", "required": false,
                    "description": "Apply only if the connector still has this ETag.",
                    "schema": { "type": "string" } }]),
            ),
            "delete": operation("DeleteConnector", "Delete connector", "Connectors", None,
                no_content(), &[404, 503]),
        },
        "/api/connectors/{factoryId}/test": {
            "parameters": [path_param("factoryId", "The unique identifier of the connector factory.")],
            "post": operation("CreateConnectorTest", "Test passwordless connector", "Connectors",
                Some(json_body(schema_ref("TestConnector"))),
                no_content(), &[400, 408, 413, 415, 503]),
        },
        "/api/connectors/{connectorId}/authorization-uri": {
            "parameters": [path_param("connectorId", "The unique identifier of the connector.")],
            "post": operation("CreateConnectorAuthorizationUri", "Get connector's authorization URI", "Connectors",
                Some(json_body(schema_ref("AuthorizationUriRequest"))),
                ok("OK", schema_ref("AuthorizationUri")), &[400, 404, 408, 413, 415, 501]),
        },
        "/api/email-templates": {
            "put": operation("ReplaceEmailTemplates", "Replace email templates", "Email templates",
                Some(json_body(schema_ref("ReplaceEmailTemplates"))),
                ok("OK", array_of("EmailTemplate")), &[400, 408, 413, 415, 503]),
            "get": with_parameters(
                operation("ListEmailTemplates", "Get email templates", "Email templates", None,
                    ok("OK", array_of("EmailTemplate")), &[400]),
                template_filter_parameters(),
            ),
            "delete": with_parameters(
                operation("DeleteEmailTemplates", "Delete email templates", "Email templates", None,
                    ok("OK", json!({ "type": "object", "required": ["rowCount"],
                        "properties": { "rowCount": { "type": "number" } } })), &[400, 422, 503]),
                template_filter_parameters(),
            ),
        },
        "/api/email-templates/{id}": {
            "parameters": [path_param("id", "The unique identifier of the email template.")],
            "get": operation("GetEmailTemplate", "Get email template by ID", "Email templates", None,
                ok("OK", schema_ref("EmailTemplate")), &[404]),
            "delete": operation("DeleteEmailTemplate", "Delete an email template", "Email templates", None,
                no_content(), &[404, 503]),
        },
        "/api/email-templates/{id}/details": {
            "parameters": [path_param("id", "The unique identifier of the email template.")],
            "patch": operation("UpdateEmailTemplateDetails", "Update email template details", "Email templates",
                Some(json_body(schema_ref("EmailTemplateDetailsPatch"))),
                ok("OK", schema_ref("EmailTemplate")), &[400, 404, 408, 413, 415, 503]),
        },
        "/api/status": {
            "get": anonymous(json!({
                "operationId": "GetStatus", "summary": "Health check", "tags": ["Status"],
                "responses": { "204": { "description": "No Content" } },
            })),
        },
        "/api/.well-known/management.openapi.json": {
            "get": anonymous(json!({
                "operationId": "GetManagementOpenApiDocument", "summary": "This document", "tags": ["Status"],
                "responses": ok("OK", json!({ "type": "object" })),
            })),
        },
        "/api/swagger.json": {
            "get": anonymous(json!({
                "operationId": "GetSwaggerDocument", "summary": "This document", "tags": ["Status"],
                "responses": ok("OK", json!({ "type": "object" })),
            })),
        },
        "/_mock/outbox": {
            "get": with_parameters(
                operation("ListMockOutbox", "Messages recorded by the test endpoint", "Mock harness", None,
                    ok("OK", array_of("OutboxMessage")), &[400]),
                json!([
                    { "name": "to", "in": "query", "required": false, "schema": { "type": "string" } },
                    { "name": "factoryId", "in": "query", "required": false, "schema": { "type": "string" } },
                    { "name": "since", "in": "query", "required": false,
                      "description": "RFC 3339 UTC time or epoch milliseconds.", "schema": { "type": "string" } },
                ]),
            ),
            "delete": operation("DeleteMockOutbox", "Forget the recorded messages", "Mock harness", None,
                no_content(), &[503]),
        },
        "/_mock/requests": {
            "get": with_parameters(
                operation("ListMockRequests", "The tenant's request journal, oldest first", "Mock harness", None,
                    ok("OK", array_of("JournalEntry")), &[400]),
                json!([
                    { "name": "method", "in": "query", "required": false, "schema": { "type": "string" } },
                    { "name": "path", "in": "query", "required": false,
                      "description": "A path prefix, or a glob (`*` within a segment, `**` across) when it contains `*`.",
                      "schema": { "type": "string" } },
                    { "name": "status", "in": "query", "required": false,
                      "description": "A status (404) or a class (4xx).", "schema": { "type": "string" } },
                    { "name": "since", "in": "query", "required": false,
                      "description": "RFC 3339 UTC time or epoch milliseconds.", "schema": { "type": "string" } },
                    { "name": "limit", "in": "query", "required": false,
                      "description": "Only the newest N matches.", "schema": { "type": "integer", "minimum": 1 } },
                ]),
            ),
            "delete": operation("DeleteMockRequests", "Forget the tenant's request journal", "Mock harness", None,
                no_content(), &[]),
        },
        "/_mock/faults": {
            "get": operation("ListMockFaults", "The tenant's fault rules with their remaining counts", "Mock harness", None,
                ok("OK", array_of("FaultRuleState")), &[]),
            "put": operation("ReplaceMockFaults", "Replace the tenant's fault rules (checked in order before /api and /oidc requests; the first match wins)", "Mock harness",
                Some(json_body(array_of("FaultRule"))),
                ok("OK", array_of("FaultRuleState")), &[400, 408, 413, 415]),
            "delete": operation("DeleteMockFaults", "Remove the tenant's fault rules", "Mock harness", None,
                no_content(), &[]),
        },
        "/_mock/reset": {
            "post": operation("ResetMockTenant", "Return the tenant to exactly its seed: connectors, outbox, journal and faults", "Mock harness", None,
                no_content(), &[503]),
        },
        "/_mock/tenants": {
            "get": operation("ListMockTenants", "Every tenant with its counts", "Mock harness", None,
                ok("OK", array_of("TenantSummary")), &[]),
        },
        "/_mock/tenants/{name}": {
            "parameters": [path_param("name", "The tenant name.")],
            "delete": operation("DeleteMockTenant", "Drop a tenant and all its data", "Mock harness", None,
                no_content(), &[400, 404, 503]),
        },
        "/_mock/state": {
            "get": operation("GetMockState", "The tenant's connectors as a state file", "Mock harness", None,
                ok("OK", schema_ref("StateFile")), &[]),
            "put": operation("ReplaceMockState", "Replace the tenant's connectors with a state file's (checked first, all or nothing)", "Mock harness",
                Some(json_body(schema_ref("StateFile"))),
                ok("OK", schema_ref("StateImported")), &[400, 408, 413, 415, 503]),
        },
        "/_mock/backup": {
            "post": operation("CreateMockBackup", "Write a backup of every tenant into the data directory's backups/ folder", "Mock harness", None,
                ok("OK", schema_ref("BackupSummary")), &[409, 503]),
        },
    })
}

/// The `languageTag` and `templateType` filters of the email-template list and bulk deletion.
fn template_filter_parameters() -> Value {
    json!([
        { "name": "languageTag", "in": "query", "required": false,
          "description": "Only templates of this language tag, e.g. `en` or `fr`.",
          "schema": { "type": "string", "minLength": 1, "maxLength": 16 } },
        { "name": "templateType", "in": "query", "required": false,
          "description": "Only templates of this type, e.g. `SignIn`.",
          "schema": { "type": "string", "enum": crate::email_templates::TEMPLATE_TYPES } },
    ])
}

/// An authenticated operation: the given success responses plus 401, 403 and `errors`.
fn operation(
    id: &str,
    summary: &str,
    tag: &str,
    request_body: Option<Value>,
    mut responses: Value,
    errors: &[u16],
) -> Value {
    for status in errors.iter().copied().chain([401, 403]) {
        responses[status.to_string()] = error_response(status);
    }
    let mut operation = json!({
        "operationId": id,
        "summary": summary,
        "tags": [tag],
        "responses": responses,
    });
    if let Some(body) = request_body {
        operation["requestBody"] = body;
    }
    operation
}

fn anonymous(mut operation: Value) -> Value {
    operation["security"] = json!([]);
    operation
}

fn with_parameters(mut operation: Value, parameters: Value) -> Value {
    operation["parameters"] = parameters;
    operation
}

fn ok(description: &str, schema: Value) -> Value {
    json!({ "200": { "description": description, "content": { "application/json": { "schema": schema } } } })
}

/// OpenAPI links from a 200 answer's `id` to operations on the created connector.
fn with_links(mut responses: Value, targets: &[(&str, &str)]) -> Value {
    let links: serde_json::Map<String, Value> = targets
        .iter()
        .map(|(operation, parameter)| {
            (
                (*operation).to_owned(),
                json!({ "operationId": operation, "parameters": { *parameter: "$response.body#/id" } }),
            )
        })
        .collect();
    responses["200"]["links"] = Value::Object(links);
    responses
}

fn no_content() -> Value {
    json!({ "204": { "description": "No Content" } })
}

fn error_response(status: u16) -> Value {
    let description = match status {
        400 => "Bad Request",
        408 => "Request Timeout",
        409 => "Conflict",
        503 => "Service Unavailable",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        501 => "Not Implemented",
        _ => "Error",
    };
    json!({ "description": description, "content": { "application/json": { "schema": schema_ref("Error") } } })
}

fn json_body(schema: Value) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": schema } } })
}

fn path_param(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description,
        "schema": { "type": "string", "minLength": 1 } })
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn array_of(name: &str) -> Value {
    json!({ "type": "array", "items": schema_ref(name) })
}

/// `emailTemplateDetailsGuard` with `required` keys.
fn template_details(required: &[&str]) -> Value {
    json!({
        "type": "object",
        "required": required,
        "properties": {
            "subject": { "type": "string" },
            "content": { "type": "string" },
            "contentType": { "type": "string", "enum": ["text/html", "text/plain"] },
            "replyTo": { "type": "string" },
            "sendFrom": { "type": "string" },
        },
    })
}

/// The schemas of `/api/email-templates`.
fn email_template_schemas() -> Value {
    let template_type = json!({ "type": "string", "enum": crate::email_templates::TEMPLATE_TYPES });
    json!({
            "EmailTemplateDetails": template_details(&["subject", "content"]),
            "EmailTemplateDetailsPatch": template_details(&[]),
            "EmailTemplate": {
                "type": "object",
                "required": ["tenantId", "id", "languageTag", "templateType", "details", "createdAt"],
                "properties": {
                    "tenantId": { "type": "string" },
                    "id": { "type": "string" },
                    "languageTag": { "type": "string", "minLength": 1, "maxLength": 16 },
                    "templateType": template_type.clone(),
                    "details": schema_ref("EmailTemplateDetails"),
                    "createdAt": { "type": "number" },
                },
            },
            "ReplaceEmailTemplates": {
                "type": "object",
                "required": ["templates"],
                "properties": {
                    "templates": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["languageTag", "templateType", "details"],
                            "properties": {
                                "languageTag": { "type": "string", "minLength": 1, "maxLength": 16 },
                                "templateType": template_type,
                                "details": schema_ref("EmailTemplateDetails"),
                            },
                        },
                    },
                },
            },
    })
}

fn components() -> Value {
    let phrases = json!({ "type": "object", "required": ["en"], "properties": { "en": { "type": "string" } },
        "additionalProperties": { "type": "string" } });
    let platform =
        json!({ "type": "string", "enum": ["Native", "Universal", "Web"], "nullable": true });
    let metadata_overrides = json!({
        "type": "object",
        "properties": {
            "target": { "type": "string" },
            "name": phrases,
            "logo": { "type": "string" },
            "logoDark": { "type": "string", "nullable": true },
        },
    });
    let factory_fields = json!({
        "id": { "type": "string" },
        "target": { "type": "string" },
        "name": phrases,
        "description": phrases,
        "logo": { "type": "string" },
        "logoDark": { "type": "string", "nullable": true },
        "readme": { "type": "string" },
        "configTemplate": { "type": "string" },
        "formItems": { "type": "array", "items": { "type": "object" } },
        "customData": { "type": "object" },
        "fromEmail": { "type": "string" },
        "platform": platform,
        "isStandard": { "type": "boolean" },
        "isTokenStorageSupported": { "type": "boolean" },
        "type": { "type": "string", "enum": ["Email", "Sms", "Social"] },
        "isDemo": { "type": "boolean" },
    });
    let mut connector_fields = factory_fields.clone();
    for (key, schema) in [
        ("syncProfile", json!({ "type": "boolean" })),
        ("enableTokenStorage", json!({ "type": "boolean" })),
        ("config", json!({ "type": "object" })),
        ("metadata", metadata_overrides.clone()),
        ("connectorId", json!({ "type": "string" })),
        ("extraInfo", json!({ "type": "object" })),
    ] {
        connector_fields[key] = schema;
    }
    let mut components = json!({
        "securitySchemes": {
            "OAuth2": {
                "type": "oauth2",
                "description": "Get a token from POST /oidc/token with grant_type=client_credentials, resource=https://default.logto.app/api and scope=all (default client: mock-m2m / mock-m2m-secret), then send it as `Authorization: Bearer <token>`.",
                "flows": { "clientCredentials": { "tokenUrl": "/oidc/token", "scopes": { "all": "All scopes" } } },
            },
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["message"],
                "properties": {
                    "code": { "type": "string" },
                    "data": {},
                    "details": { "type": "string" },
                    "message": { "type": "string" },
                },
            },
            "ConnectorFactory": {
                "type": "object",
                "required": ["type", "isDemo", "id", "target", "name", "description", "logo", "logoDark", "readme", "platform"],
                "properties": factory_fields,
            },
            "Connector": {
                "type": "object",
                "required": ["id", "syncProfile", "enableTokenStorage", "config", "metadata", "connectorId", "target",
                    "name", "description", "logo", "logoDark", "readme", "platform", "type", "isDemo", "extraInfo"],
                "properties": connector_fields,
            },
            "CreateConnector": {
                "type": "object",
                "required": ["connectorId"],
                "properties": {
                    "connectorId": { "type": "string", "minLength": 1, "maxLength": 128,
                        "description": "The factory id, e.g. mock-social-connector." },
                    "id": { "type": "string", "minLength": 1, "maxLength": 128,
                        "description": "Proposed instance id; generated when absent." },
                    "config": { "type": "object" },
                    "metadata": metadata_overrides,
                    "syncProfile": { "type": "boolean" },
                    "enableTokenStorage": { "type": "boolean" },
                },
            },
            "UpdateConnector": {
                "type": "object",
                "description": "Merged into the stored connector (RFC 7396) unless [patch] config = \"replace\"; null resets a field.",
                "properties": {
                    "config": { "type": "object", "nullable": true },
                    "metadata": { "type": "object", "nullable": true, "properties": {
                        "target": { "type": "string", "nullable": true },
                        "name": { "type": "object", "nullable": true, "additionalProperties": { "type": "string", "nullable": true } },
                        "logo": { "type": "string", "nullable": true },
                        "logoDark": { "type": "string", "nullable": true },
                    } },
                    "syncProfile": { "type": "boolean", "nullable": true },
                    "enableTokenStorage": { "type": "boolean", "nullable": true },
                },
            },
            "JsonPatch": {
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
            },
            "TestConnector": {
                "type": "object",
                "required": ["config"],
                "properties": {
                    "phone": { "type": "string", "pattern": "^\\d+$" },
                    "email": { "type": "string", "pattern": "^\\S+@\\S+\\.\\S+$" },
                    "config": { "type": "object" },
                    "locale": { "type": "string" },
                },
            },
            "AuthorizationUriRequest": {
                "type": "object",
                "required": ["state", "redirectUri"],
                "properties": { "state": { "type": "string" }, "redirectUri": { "type": "string" } },
            },
            "AuthorizationUri": {
                "type": "object",
                "required": ["redirectTo"],
                "properties": { "redirectTo": { "type": "string", "format": "uri" } },
            },
            "BackupSummary": {
                "type": "object",
                "required": ["commit", "createdAt", "tenants", "connectors", "file", "bytes"],
                "properties": {
                    "commit": { "type": "integer" },
                    "createdAt": { "type": "string" },
                    "tenants": { "type": "integer" },
                    "connectors": { "type": "integer" },
                    "file": { "type": "string" },
                    "bytes": { "type": "integer" },
                },
            },
            "JournalEntry": {
                "type": "object",
                "required": ["id", "method", "path", "query", "status", "headers", "body", "durationMs", "time"],
                "properties": {
                    "id": { "type": "integer" },
                    "method": { "type": "string" },
                    "path": { "type": "string", "description": "Within the tenant (no /t/{tenant} prefix)." },
                    "query": { "type": "string" },
                    "status": { "type": "integer" },
                    "headers": { "type": "object", "additionalProperties": { "type": "string" },
                        "description": "Authorization and Cookie masked." },
                    "body": { "description": "JSON as sent (forms as objects); client_secret and confidential config values masked; null when empty." },
                    "durationMs": { "type": "number" },
                    "time": { "type": "string" },
                },
            },
            "FaultRule": {
                "type": "object",
                "required": ["path"],
                "additionalProperties": false,
                "properties": {
                    "method": { "type": "string" },
                    "path": { "type": "string", "description": "A glob: `*` within a segment, `**` across segments." },
                    "status": { "type": "integer", "minimum": 200, "maximum": 599 },
                    "body": { "description": "The answer's JSON body (default: a mock.injected_fault error)." },
                    "headers": { "type": "object", "additionalProperties": { "type": "string" } },
                    "delayMs": { "type": "integer", "minimum": 0, "maximum": 60000 },
                    "times": { "type": "integer", "minimum": 1, "description": "Fires this many times; without it, until cleared." },
                    "action": { "type": "string", "enum": ["reset"], "description": "Drop the connection without an answer." },
                },
            },
            "FaultRuleState": {
                "type": "object",
                "required": ["path", "remaining"],
                "properties": {
                    "path": { "type": "string" },
                    "remaining": { "type": "integer", "nullable": true },
                },
            },
            "TenantSummary": {
                "type": "object",
                "required": ["name", "connectors", "outbox", "faults"],
                "properties": {
                    "name": { "type": "string" },
                    "connectors": { "type": "integer" },
                    "outbox": { "type": "integer" },
                    "faults": { "type": "integer" },
                },
            },
            "StateFile": {
                "type": "object",
                "required": ["format", "version", "tenants"],
                "properties": {
                    "format": { "type": "string", "enum": ["connector-mock-state"] },
                    "version": { "type": "integer", "enum": [1] },
                    "tenants": { "type": "object", "additionalProperties": {
                        "type": "object", "required": ["connectors"],
                        "properties": { "connectors": { "type": "array", "items": { "type": "object" } } },
                    } },
                },
            },
            "StateImported": {
                "type": "object",
                "required": ["tenant", "connectors"],
                "properties": { "tenant": { "type": "string" }, "connectors": { "type": "integer" } },
            },
            "OutboxMessage": {
                "type": "object",
                "required": ["id", "factoryId", "type", "to", "usageType", "payload", "sentAt", "sentAtMs"],
                "properties": {
                    "id": { "type": "integer" },
                    "factoryId": { "type": "string" },
                    "type": { "type": "string", "enum": ["Email", "Sms"] },
                    "to": { "type": "string" },
                    "usageType": { "type": "string" },
                    "payload": { "type": "object" },
                    "template": { "type": "object" },
                    "emailTemplate": {
                        "type": "object",
                        "description": "The stored i18n email template used, when one was.",
                        "properties": {
                            "id": { "type": "string" },
                            "languageTag": { "type": "string" },
                            "templateType": { "type": "string" },
                        },
                    },
                    "subject": { "type": "string" },
                    "content": { "type": "string" },
                    "sentAt": { "type": "string" },
                    "sentAtMs": { "type": "integer" },
                },
            },
        },
    });
    if let (Some(schemas), Value::Object(more)) = (
        components["schemas"].as_object_mut(),
        email_template_schemas(),
    ) {
        schemas.extend(more);
    }
    components
}
