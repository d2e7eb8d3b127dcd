//! The OpenAPI 3 document of exactly the routes this server implements
//! (`GET /api/.well-known/management.openapi.json`, `GET /api/swagger.json`).
//! `tests/api/openapi.rs` keeps it in step with the router.

mod connector_schemas;

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
            { "name": "Connector factories",
              "description": "Connector factories are used to create connectors. They can be treated as preconfigured templates for connectors." },
            { "name": "Connectors",
              "description": "Connectors are the bridge between Logto and other third-party vendors who provide short message service (SMS), email service, or user information on wildly accepted social media." },
            { "name": "Email templates",
              "description": "Custom i18n email templates, used by the email connectors when they send." },
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
            "get": described(
                operation("ListConnectorFactories", "Get connector factories", "Connector factories", None,
                    ok("OK", array_of("ConnectorFactory")), &[]),
                "Get all connector factories data available in Logto.",
                &[(200, "An array of connector factories.")],
            ),
        },
        "/api/connector-factories/{id}": {
            "parameters": [path_param("id", "The unique identifier of the connector factory.")],
            "get": described(
                operation("GetConnectorFactory", "Get connector factory", "Connector factories", None,
                    ok("OK", schema_ref("ConnectorFactory")), &[400, 404]),
                "Get connector factory by the given ID.",
                &[(200, "Connector factory data."), (404, "Connector factory not found.")],
            ),
        },
        "/api/connectors": {
            "get": described(
                with_parameters(
                    operation("ListConnectors", "Get connectors", "Connectors", None,
                        ok("OK", array_of("Connector")), &[400]),
                    json!([{ "name": "target", "in": "query", "required": false,
                        "description": "Filter connectors by target.", "schema": { "type": "string" } }]),
                ),
                "Get all connectors in the current tenant.",
                &[(200, "An array of connectors."),
                  (400, "The target only allows one connector to exist, but there are multiple connectors with this target.")],
            ),
            "post": described(
                operation("CreateConnector", "Create connector", "Connectors",
                    Some(json_body(schema_ref("CreateConnector"))),
                    with_links(ok("OK", schema_ref("Connector")), &[
                        ("GetConnector", "id"),
                        ("UpdateConnector", "id"),
                        ("DeleteConnector", "id"),
                        ("CreateConnectorAuthorizationUri", "connectorId"),
                    ]), &[400, 408, 413, 415, 422, 503]),
                "Create a connector with the given data.",
                &[(200, "The created connector."), (422, "Invalid request body.")],
            ),
        },
        "/api/connectors/{id}": {
            "parameters": [path_param("id", "The unique identifier of the connector.")],
            "get": described(
                operation("GetConnector", "Get connector", "Connectors", None,
                    ok("OK", schema_ref("Connector")), &[400, 404]),
                "Get connector data by ID",
                &[(200, "The connector data."), (404, "Connector not found.")],
            ),
            "patch": described(
                with_parameters(
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
                "Update connector by ID with the given data. This methods performs a partial update.",
                &[(200, "The updated connector."), (400, "Invalid request body."), (404, "Connector not found."),
                  (422, "Patch operation triggered a connector conflict.")],
            ),
            "delete": described(
                operation("DeleteConnector", "Delete connector", "Connectors", None,
                    no_content(), &[400, 404, 422, 503]),
                "Delete connector by ID.",
                &[(204, "The connector has been successfully deleted."), (404, "Connector not found."),
                  (422, "Logto refuses when password expiration needs this connector as the last forgot-password method; connector-mock has no password policy and never answers 422 here.")],
            ),
        },
        "/api/connectors/{factoryId}/test": {
            "parameters": [path_param("factoryId", "The unique identifier of the factory.")],
            "post": described(
                operation("CreateConnectorTest", "Test passwordless connector", "Connectors",
                    Some(json_body(schema_ref("TestConnector"))),
                    no_content(), &[400, 404, 408, 413, 415, 503]),
                "Test a passwordless (email or SMS) connector by sending a test message to the given phone number or email address.",
                &[(204, "Test message was sent successfully."),
                  (400, "Invalid request body (e.g. wrong phone number, email or config)."),
                  (404, "Connector not found.")],
            ),
        },
        "/api/connectors/{connectorId}/authorization-uri": {
            "parameters": [path_param("connectorId", "The unique identifier of the connector.")],
            "post": described(
                operation("CreateConnectorAuthorizationUri", "Get connector's authorization URI", "Connectors",
                    Some(json_body(schema_ref("AuthorizationUriRequest"))),
                    ok("OK", schema_ref("AuthorizationUri")), &[400, 404, 408, 413, 415, 501]),
                "Get authorization URI for specified connector by providing redirect URI and randomly generated state.",
                &[(200, "Successfully built authorization URI."), (400, "Unable to build authorization URI."),
                  (404, "The connector with the specified ID does not exist.")],
            ),
        },
        "/api/email-templates": {
            "put": described(operation("ReplaceEmailTemplates", "Replace email templates", "Email templates",
                Some(json_body(schema_ref("ReplaceEmailTemplates"))),
                ok("OK", array_of("EmailTemplate")), &[400, 408, 413, 415, 422, 503]),
                "Create or replace a list of email templates. If an email template with the same language tag and template type already exists, its details will be updated.",
                &[(200, "The list of newly created or replaced email templates.")]),
            "get": with_parameters(
                described(operation("ListEmailTemplates", "Get email templates", "Email templates", None,
                    ok("OK", array_of("EmailTemplate")), &[400]),
                    "Get the list of email templates.",
                    &[(200, "The list of matched email templates. Returns empty list, if no email template is found.")]),
                template_filter_parameters(),
            ),
            "delete": with_parameters(
                described(operation("DeleteEmailTemplates", "Delete email templates", "Email templates", None,
                    ok("OK", json!({ "type": "object", "required": ["rowCount"],
                        "properties": { "rowCount": { "type": "number" } } })), &[400, 422, 503]),
                    "Bulk delete email templates by their language tag and template type.",
                    &[(200, "The email templates were deleted successfully."),
                      (422, "No filter query parameters were provided. This bulk deletion API requires at least one filter query parameter.")]),
                template_filter_parameters(),
            ),
        },
        "/api/email-templates/{id}": {
            "parameters": [path_param("id", "The unique identifier of the email template.")],
            "get": described(operation("GetEmailTemplate", "Get email template by ID", "Email templates", None,
                ok("OK", schema_ref("EmailTemplate")), &[400, 404]),
                "Get the email template by its ID.",
                &[(200, "The email template."), (404, "The email template was not found.")]),
            "delete": described(operation("DeleteEmailTemplate", "Delete an email template", "Email templates", None,
                no_content(), &[400, 404, 503]),
                "Delete an email template by its ID.",
                &[(204, "The email template was deleted successfully."), (404, "The email template was not found.")]),
        },
        "/api/email-templates/{id}/details": {
            "parameters": [path_param("id", "The unique identifier of the email template.")],
            "patch": described(operation("UpdateEmailTemplateDetails", "Update email template details", "Email templates",
                Some(json_body(schema_ref("EmailTemplateDetailsPatch"))),
                ok("OK", schema_ref("EmailTemplate")), &[400, 404, 408, 413, 415, 503]),
                "Update the details of an email template by its ID.",
                &[(200, "The updated email template."), (404, "The email template was not found.")]),
        },
        "/api/status": {
            "get": anonymous(json!({
                "operationId": "GetStatus", "summary": "Health check", "tags": ["Status"],
                "description": "The traditional health check API. No authentication needed.\n\n> **Note**\n> Even if 204 is returned, it does not guarantee all the APIs are working properly since they may depend on additional resources or external services.",
                "responses": { "204": { "description": "The connector-mock service is up." } },
            })),
        },
        "/api/.well-known/management.openapi.json": {
            "get": anonymous(json!({
                "operationId": "GetWellKnownManagementOpenapiJson", "summary": "Get Management API swagger JSON", "tags": ["Status"],
                "description": "The endpoint for the Management API JSON document. The JSON conforms to the [OpenAPI v3.0.1](https://spec.openapis.org/oas/v3.0.1) (a.k.a. Swagger) specification.",
                "responses": ok("The JSON document.", json!({ "type": "object" })),
            })),
        },
        "/api/swagger.json": {
            "get": anonymous(json!({
                "operationId": "GetSwaggerJson", "summary": "Get Swagger JSON", "tags": ["Status"],
                "description": "The endpoint for the current JSON document. The JSON conforms to the [OpenAPI v3.0.1](https://spec.openapis.org/oas/v3.0.1) (a.k.a. Swagger) specification.",
                "responses": ok("The JSON document.", json!({ "type": "object" })),
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

/// Logto's operation description, and Logto's texts for the responses it documents.
fn described(mut operation: Value, description: &str, responses: &[(u16, &str)]) -> Value {
    operation["description"] = Value::from(description);
    for (status, text) in responses {
        let response = &mut operation["responses"][status.to_string()];
        assert!(response.is_object(), "no {status} response to describe");
        response["description"] = Value::from(*text);
    }
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
    if let Some(schemas) = components["schemas"].as_object_mut() {
        schemas.extend(connector_schemas::schemas());
        if let Value::Object(more) = email_template_schemas() {
            schemas.extend(more);
        }
    }
    components
}
