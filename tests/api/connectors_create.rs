use serde_json::{json, Value};

use crate::helpers::{first_issue, keys, TestApp};

#[test]
fn create_connector_returns_200_with_the_connector_in_logtos_key_order() {
    let app = TestApp::spawn();
    let reply = app.post_json(
        "/api/connectors",
        &json!({"connectorId": "mock-social-connector", "config": {"clientId": "a", "clientSecret": "b"}}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    let connector = reply.json();
    assert_eq!(
        keys(&connector),
        [
            "id",
            "syncProfile",
            "enableTokenStorage",
            "config",
            "metadata",
            "connectorId",
            "target",
            "name",
            "description",
            "logo",
            "logoDark",
            "readme",
            "configTemplate",
            "platform",
            "isTokenStorageSupported",
            "type",
            "isDemo",
            "extraInfo"
        ]
    );
    assert_eq!(
        connector["config"],
        json!({"clientId": "a", "clientSecret": "b"})
    );
    assert_eq!(connector["metadata"], json!({}));
    assert_eq!(connector["connectorId"], "mock-social-connector");
    assert_eq!(connector["syncProfile"], false);
    assert_eq!(connector["extraInfo"], json!({}));
    assert!(connector.get("createdAt").is_none());
    assert!(reply.etag.is_some());
}

#[test]
fn create_connector_generates_a_twelve_character_id() {
    let app = TestApp::spawn();
    let id = app.create_social()["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 12);
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()),
        "{id}"
    );
}

#[test]
fn create_connector_keeps_a_proposed_id_of_any_characters() {
    let app = TestApp::spawn();
    let connector = app.create(json!({
        "id": "My Id/with spaces",
        "connectorId": "mock-social-connector",
        "config": {"clientId": "a", "clientSecret": "b"}
    }));
    assert_eq!(connector["id"], "My Id/with spaces");
    assert_eq!(
        app.get("/api/connectors/My%20Id%2Fwith%20spaces").status,
        200
    );
}

#[test]
fn create_connector_refuses_a_proposed_id_that_is_empty_or_longer_than_128() {
    let app = TestApp::spawn();
    let reply = app.post_json(
        "/api/connectors",
        &json!({"id": "x".repeat(129), "connectorId": "mock-social-connector"}),
    );
    reply.assert_error(400, "guard.invalid_input");
    assert_eq!(
        reply.json()["details"],
        "Error in key path \"id\": (too_big) String must contain at most 128 character(s)"
    );
    let reply = app.post_json(
        "/api/connectors",
        &json!({"id": "", "connectorId": "mock-social-connector"}),
    );
    assert_eq!(
        reply.json()["details"],
        "Error in key path \"id\": (too_small) String must contain at least 1 character(s)"
    );
}

#[test]
fn create_connector_answers_422_for_a_duplicate_proposed_id() {
    let app = TestApp::spawn();
    app.create_oidc("first");
    let reply = app.post_json(
        "/api/connectors",
        &json!({"id": app.create_oidc("second")["id"], "connectorId": "oidc", "metadata": {"target": "third"}, "config": crate::helpers::oidc_config()}),
    );
    reply.assert_error(422, "entity.unique_integrity_violation");
    assert_eq!(
        reply.json()["message"],
        "The entity already exists. Please check the input and try again."
    );
}

#[test]
fn create_connector_requires_a_connector_id() {
    let app = TestApp::spawn();
    let reply = app.post_json("/api/connectors", &json!({"config": {}}));
    reply.assert_error(400, "guard.invalid_input");
    let body = reply.json();
    assert_eq!(body["message"], "The request body is invalid.");
    assert_eq!(
        body["details"],
        "Error in key path \"connectorId\": (invalid_type) Expected string but received undefined."
    );
    assert_eq!(
        body["data"],
        json!({"issues": [{"code": "invalid_type", "expected": "string", "received": "undefined", "path": ["connectorId"], "message": "Required"}], "name": "ZodError"})
    );
}

#[test]
fn create_connector_checks_field_types() {
    let app = TestApp::spawn();
    let reply = app.post_json(
        "/api/connectors",
        &json!({"connectorId": "mock-social-connector", "syncProfile": "yes", "config": [], "metadata": null}),
    );
    reply.assert_error(400, "guard.invalid_input");
    let details = reply.json()["details"].as_str().unwrap().to_owned();
    assert!(
        details.contains("\"syncProfile\": (invalid_type) Expected boolean but received string."),
        "{details}"
    );
    assert!(
        details.contains("\"config\": (invalid_type) Expected object but received array."),
        "{details}"
    );
    assert!(
        details.contains("\"metadata\": (invalid_type) Expected object but received null."),
        "{details}"
    );
}

#[test]
fn create_connector_refuses_a_top_level_array() {
    let app = TestApp::spawn();
    let reply = app.post_json("/api/connectors", &json!([1]));
    reply.assert_error(400, "guard.invalid_input");
    assert_eq!(
        reply.json()["details"],
        "Error in key path \"\": (invalid_type) Expected object but received array."
    );
}

#[test]
fn create_connector_answers_422_for_an_unknown_factory() {
    let app = TestApp::spawn();
    let reply = app.post_json("/api/connectors", &json!({"connectorId": "nope"}));
    reply.assert_error(422, "connector.not_found_with_connector_id");
    assert_eq!(
        reply.json()["message"],
        "Can not find connector with given standard connector id."
    );
}

#[test]
fn create_connector_requires_a_target_for_a_standard_factory() {
    let app = TestApp::spawn();
    for metadata in [None, Some(json!({})), Some(json!({"target": ""}))] {
        let mut body = json!({"connectorId": "oidc", "config": crate::helpers::oidc_config()});
        if let Some(metadata) = metadata {
            body["metadata"] = metadata;
        }
        app.post_json("/api/connectors", &body)
            .assert_error(400, "connector.should_specify_target");
    }
}

#[test]
fn create_connector_refuses_metadata_for_a_non_standard_social_factory() {
    let app = TestApp::spawn();
    let reply = app.post_json(
        "/api/connectors",
        &json!({"connectorId": "mock-social-connector", "metadata": {}, "config": {"clientId": "a", "clientSecret": "b"}}),
    );
    reply.assert_error(
        400,
        "connector.cannot_overwrite_metadata_for_non_standard_connector",
    );
    assert_eq!(
        reply.json()["message"],
        "This connector's 'metadata' cannot be overwritten."
    );
}

#[test]
fn create_connector_refuses_a_second_instance_of_a_non_standard_factory() {
    let app = TestApp::spawn();
    app.create_social();
    let reply = app.post_json(
        "/api/connectors",
        &json!({"connectorId": "mock-social-connector", "config": {"clientId": "a", "clientSecret": "b"}}),
    );
    reply.assert_error(422, "connector.multiple_instances_not_supported");
}

#[test]
fn create_connector_refuses_a_second_social_connector_with_the_same_target_and_platform() {
    let app = TestApp::spawn();
    let first = app.create_oidc("acme");
    let reply = app.post_json(
        "/api/connectors",
        &json!({"connectorId": "oidc", "metadata": {"target": "acme"}, "config": crate::helpers::oidc_config()}),
    );
    reply.assert_error(422, "connector.multiple_target_with_same_platform");
    assert_eq!(
        reply.json()["data"],
        json!({"connectorId": "oidc", "connectorName": first["name"]})
    );
    // Another target is fine: standard factories may have many instances.
    app.create_oidc("other");
}

#[test]
fn create_connector_validates_the_config_against_the_factory_schema() {
    let app = TestApp::spawn();
    let reply = app.post_json(
        "/api/connectors",
        &json!({"connectorId": "mock-social-connector", "config": {"clientId": 1}}),
    );
    reply.assert_error(400, "connector.invalid_config");
    let body = reply.json();
    assert_eq!(body["message"], "The connector's config is invalid.");
    assert_eq!(body["data"]["name"], "ZodError");
    let details = body["details"].as_str().unwrap();
    assert!(
        details.contains(
            "Error in key path \"clientId\": (invalid_type) Expected string but received number."
        ),
        "{details}"
    );
    assert!(details.contains("Error in key path \"clientSecret\": (invalid_type) Expected string but received undefined."), "{details}");
    assert_eq!(app.get("/api/connectors").json(), json!([]));
}

#[test]
fn create_connector_accepts_unknown_config_keys_and_stores_the_cleaned_config() {
    let app = TestApp::spawn();
    let connector = app.create(json!({
        "connectorId": "mock-social-connector",
        "config": {"clientId": "a", "clientSecret": "b", "empty": "", "gone": null, "nested": {"x": "", "y": 0}, "list": ["", false]}
    }));
    assert_eq!(
        connector["config"],
        json!({"clientId": "a", "clientSecret": "b", "nested": {"y": 0}, "list": [false]})
    );
}

#[test]
fn create_connector_validates_the_uncleaned_config() {
    // Logto validates what was sent, then stores it cleaned: "" passes a string check.
    let app = TestApp::spawn();
    let connector = app.create(json!({
        "connectorId": "mock-social-connector",
        "config": {"clientId": "", "clientSecret": "b"}
    }));
    assert_eq!(connector["config"], json!({"clientSecret": "b"}));
}

#[test]
fn create_connector_refuses_token_storage_where_the_factory_lacks_it() {
    let app = TestApp::spawn();
    let reply = app.post_json(
        "/api/connectors",
        &json!({"connectorId": "mock-email-service-alternative", "enableTokenStorage": true}),
    );
    reply.assert_error(422, "connector.token_storage_not_supported");
    assert_eq!(
        reply.json()["message"],
        "This connector does not support token storage. "
    );
    let connector = app.create(json!({
        "connectorId": "mock-social-connector",
        "enableTokenStorage": true,
        "config": {"clientId": "a", "clientSecret": "b"}
    }));
    assert_eq!(connector["enableTokenStorage"], true);
}

#[test]
fn creating_an_email_connector_replaces_every_other_email_connector() {
    let app = TestApp::spawn();
    let first = app.create_flexible_email(json!({}));
    let second = app.create(json!({
        "connectorId": "mock-email-service",
        "config": {"apiKey": "k", "fromEmail": "a@b.c", "templates": [{"usageType": "Generic", "type": "text/plain", "subject": "s", "content": "{{code}}"}]}
    }));
    app.create_social();
    let list = app.get("/api/connectors").json();
    let ids: Vec<&Value> = list.as_array().unwrap().iter().map(|c| &c["id"]).collect();
    assert!(
        !ids.contains(&&first["id"]),
        "the older Email connector is gone"
    );
    assert!(ids.contains(&&second["id"]));
    assert_eq!(ids.len(), 2);
    assert_eq!(
        app.get(&format!(
            "/api/connectors/{}",
            first["id"].as_str().unwrap()
        ))
        .status,
        404
    );
}

#[test]
fn creating_an_sms_connector_replaces_the_previous_one_even_of_the_same_factory() {
    let app = TestApp::spawn();
    let config = json!({"accountSID": "a", "authToken": "b", "fromMessagingServiceSID": "c", "templates": [{"usageType": "Generic", "content": "{{code}}"}]});
    let first = app.create(json!({"connectorId": "mock-short-message-service", "config": config}));
    let second = app.create(json!({"connectorId": "mock-short-message-service", "config": config}));
    let list = app.get("/api/connectors").json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], second["id"]);
    assert_ne!(first["id"], second["id"]);
}

#[test]
fn create_connector_accepts_metadata_overrides_for_email_connectors() {
    let app = TestApp::spawn();
    let connector = app.create(json!({
        "connectorId": "mock-email-service-alternative",
        "metadata": {"name": {"en": "My mail", "de": "Meine Post"}, "logo": "https://x/y.png", "description": "dropped"}
    }));
    assert_eq!(
        connector["metadata"],
        json!({"name": {"en": "My mail", "de": "Meine Post"}, "logo": "https://x/y.png"})
    );
    assert_eq!(
        connector["name"],
        json!({"en": "My mail", "de": "Meine Post"})
    );
    assert_eq!(connector["logo"], "https://x/y.png");
}

#[test]
fn create_connector_checks_metadata_names_like_logto() {
    let app = TestApp::spawn();
    let reply = app.post_json(
        "/api/connectors",
        &json!({"connectorId": "oidc", "metadata": {"target": "t", "name": {"en": "x", "xx-YY": "y"}}, "config": crate::helpers::oidc_config()}),
    );
    reply.assert_error(400, "guard.invalid_input");
    assert_eq!(first_issue(&reply)["code"], "custom");
    assert_eq!(first_issue(&reply)["path"], json!(["metadata", "name"]));
    let reply = app.post_json(
        "/api/connectors",
        &json!({"connectorId": "oidc", "metadata": {"target": "t", "name": {"de": "x"}}, "config": crate::helpers::oidc_config()}),
    );
    assert_eq!(
        reply.json()["details"],
        "Error in key path \"metadata.name.en\": (invalid_type) Expected string but received undefined."
    );
}

#[test]
fn malformed_json_gets_400_with_only_a_message() {
    let app = TestApp::spawn();
    let reply = app.send(
        "POST",
        "/api/connectors",
        &[],
        Some(("application/json", b"{\"connectorId\":")),
    );
    assert_eq!(reply.status, 400);
    assert_eq!(keys(&reply.json()), ["message"]);
    let reply = app.send(
        "POST",
        "/api/connectors",
        &[],
        Some(("application/json", b"\"abc\"")),
    );
    assert_eq!(
        reply.json(),
        json!({"message": "invalid JSON, only supports object and array"})
    );
    let reply = app.send(
        "POST",
        "/api/connectors",
        &[],
        Some((
            "application/json",
            br#"{"connectorId":"x","config":{"__proto__":{}}}"#,
        )),
    );
    assert_eq!(
        reply.json(),
        json!({"message": "Object contains forbidden prototype property"})
    );
    let reply = app.send(
        "POST",
        "/api/connectors",
        &[],
        Some(("application/json", b"{\"a\":\"\xff\"}")),
    );
    assert_eq!(reply.status, 400);
}

#[test]
fn deeply_nested_json_gets_400_not_a_crash() {
    let app = TestApp::spawn();
    let body = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let reply = app.send(
        "POST",
        "/api/connectors",
        &[],
        Some(("application/json", body.as_bytes())),
    );
    assert_eq!(reply.status, 400);
}

#[test]
fn an_empty_body_is_read_as_an_empty_object() {
    let app = TestApp::spawn();
    let reply = app.send(
        "POST",
        "/api/connectors",
        &[],
        Some(("application/json", b"")),
    );
    reply.assert_error(400, "guard.invalid_input");
    let reply = app.send("POST", "/api/connectors", &[], None);
    reply.assert_error(400, "guard.invalid_input");
}

#[test]
fn a_body_over_the_limit_gets_413() {
    let app = TestApp::spawn_with(|config| config.server.body_limit = 1000);
    let config = json!({"clientId": "x".repeat(2000), "clientSecret": "b"});
    let reply = app.post_json(
        "/api/connectors",
        &json!({"connectorId": "mock-social-connector", "config": config}),
    );
    reply.assert_error(413, "mock.payload_too_large");
    assert_eq!(reply.json()["data"]["limit"], 1000);
    assert_eq!(app.get("/api/connectors").json(), json!([]));
}

#[test]
fn a_write_with_an_unsupported_content_type_gets_415() {
    let app = TestApp::spawn();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/merge-patch+json",
    ] {
        let reply = app.send(
            "POST",
            "/api/connectors",
            &[],
            Some((content_type, b"connectorId=x")),
        );
        reply.assert_error(415, "mock.unsupported_media_type");
    }
    for content_type in [
        "application/json; charset=utf-8",
        "application/vnd.api+json",
        "application/json-patch+json",
    ] {
        let reply = app.send(
            "POST",
            "/api/connectors",
            &[],
            Some((content_type, br#"{"connectorId":"nope"}"#)),
        );
        reply.assert_error(422, "connector.not_found_with_connector_id");
    }
}

#[test]
fn create_connector_does_not_refuse_sync_profile_on_email_connectors() {
    // Logto checks syncProfile on PATCH only.
    let app = TestApp::spawn();
    let connector =
        app.create(json!({"connectorId": "mock-email-service-alternative", "syncProfile": true}));
    assert_eq!(connector["syncProfile"], true);
}
