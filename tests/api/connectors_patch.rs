use serde_json::{json, Value};

use crate::helpers::{oidc_config, Reply, TestApp};

fn path_of(connector: &Value) -> String {
    format!("/api/connectors/{}", connector["id"].as_str().unwrap())
}

fn patch_with(app: &TestApp, path: &str, content_type: &str, body: Value) -> Reply {
    app.send(
        "PATCH",
        path,
        &[],
        Some((content_type, body.to_string().as_bytes())),
    )
}

#[test]
fn patch_connector_returns_404_for_an_unknown_id() {
    let app = TestApp::spawn();
    app.patch_json("/api/connectors/missing", &json!({"syncProfile": true}))
        .assert_error(404, "entity.not_found");
}

#[test]
fn patch_connector_checks_the_body_before_looking_the_connector_up() {
    let app = TestApp::spawn();
    let reply = app.patch_json("/api/connectors/missing", &json!({"config": "x"}));
    reply.assert_error(400, "guard.invalid_input");
    assert_eq!(
        reply.json()["details"],
        "Error in key path \"config\": (invalid_type) Expected object but received string."
    );
}

#[test]
fn patch_connector_merges_config_recursively() {
    let app = TestApp::spawn();
    let connector =
        app.create_flexible_email(json!({"apiKey": "k", "extra": {"a": 1, "b": {"c": 2}}}));
    let reply = app.patch_json(
        &path_of(&connector),
        &json!({"config": {"extra": {"b": {"d": 3}}, "fromName": "Me"}}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json()["config"],
        json!({"apiKey": "k", "extra": {"a": 1, "b": {"c": 2, "d": 3}}, "fromName": "Me"})
    );
}

#[test]
fn patch_connector_deletes_keys_set_to_null_and_replaces_arrays() {
    let app = TestApp::spawn();
    let connector =
        app.create_flexible_email(json!({"apiKey": "k", "fromName": "Me", "list": [1, 2, 3]}));
    let reply = app.patch_json(
        &path_of(&connector),
        &json!({"config": {"fromName": null, "list": [9]}}),
    );
    assert_eq!(reply.json()["config"], json!({"apiKey": "k", "list": [9]}));
}

#[test]
fn patch_connector_with_config_null_resets_config_and_with_an_empty_object_changes_nothing() {
    let app = TestApp::spawn();
    let connector = app.create_flexible_email(json!({"apiKey": "k"}));
    let path = path_of(&connector);
    assert_eq!(
        app.patch_json(&path, &json!({"config": {}})).json()["config"],
        json!({"apiKey": "k"})
    );
    assert_eq!(
        app.patch_json(&path, &json!({"config": null})).json()["config"],
        json!({})
    );
    assert_eq!(
        app.connector(connector["id"].as_str().unwrap())["config"],
        json!({})
    );
}

#[test]
fn patch_connector_with_an_invalid_merged_config_changes_nothing() {
    let app = TestApp::spawn();
    let connector = app.create_social();
    let path = path_of(&connector);
    let reply = app.patch_json(
        &path,
        &json!({"config": {"clientId": null, "clientSecret": "new"}}),
    );
    reply.assert_error(400, "connector.invalid_config");
    assert_eq!(
        reply.json()["details"],
        "Error in key path \"clientId\": (invalid_type) Expected string but received undefined."
    );
    assert_eq!(app.get(&path).json(), connector);
}

#[test]
fn merge_patch_content_type_behaves_like_json() {
    let app = TestApp::spawn();
    let connector = app.create_social();
    let reply = patch_with(
        &app,
        &path_of(&connector),
        "application/merge-patch+json",
        json!({"config": {"clientSecret": "s2"}}),
    );
    assert_eq!(
        reply.json()["config"],
        json!({"clientId": "client-id", "clientSecret": "s2"})
    );
}

#[test]
fn patch_connector_stores_cleaned_values() {
    let app = TestApp::spawn();
    let connector = app.create_flexible_email(json!({"apiKey": "k"}));
    let reply = app.patch_json(
        &path_of(&connector),
        &json!({"config": {"fromName": "", "extra": {"x": []}, "n": 0}}),
    );
    assert_eq!(reply.json()["config"], json!({"apiKey": "k", "n": 0}));
}

#[test]
fn an_empty_patch_returns_the_unchanged_connector() {
    let app = TestApp::spawn();
    let connector = app.create_social();
    let reply = app.patch_json(&path_of(&connector), &json!({}));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), connector);
    let reply = app.patch_json(&path_of(&connector), &json!({"unknown": 1}));
    assert_eq!(reply.json(), connector);
}

#[test]
fn patch_connector_refuses_metadata_on_a_non_standard_connector() {
    let app = TestApp::spawn();
    let social = app.create_social();
    app.patch_json(&path_of(&social), &json!({"metadata": {"logo": "x"}}))
        .assert_error(
            400,
            "connector.cannot_overwrite_metadata_for_non_standard_connector",
        );
    let email = app.create_flexible_email(json!({}));
    app.patch_json(&path_of(&email), &json!({"metadata": {}}))
        .assert_error(
            400,
            "connector.cannot_overwrite_metadata_for_non_standard_connector",
        );
}

#[test]
fn patch_connector_refuses_a_target_change_on_a_standard_connector() {
    let app = TestApp::spawn();
    let oidc = app.create_oidc("acme");
    let reply = app.patch_json(&path_of(&oidc), &json!({"metadata": {"target": "globex"}}));
    reply.assert_error(400, "connector.can_not_modify_target");
    assert_eq!(
        reply.json()["message"],
        "The connector 'target' can not be modified."
    );
    app.patch_json(&path_of(&oidc), &json!({"metadata": {"target": null}}))
        .assert_error(400, "connector.can_not_modify_target");
}

#[test]
fn patch_connector_merges_metadata_of_a_standard_connector() {
    let app = TestApp::spawn();
    let oidc = app.create(json!({
        "connectorId": "oidc",
        "metadata": {"target": "acme", "name": {"en": "Acme", "de": "Acme DE"}, "logo": "https://l"},
        "config": oidc_config()
    }));
    let reply = app.patch_json(
        &path_of(&oidc),
        &json!({"metadata": {"name": {"de": null, "fr": "Acme FR"}, "logo": null, "logoDark": ""}}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json()["metadata"],
        json!({"target": "acme", "name": {"en": "Acme", "fr": "Acme FR"}})
    );
    assert_eq!(reply.json()["name"], json!({"en": "Acme", "fr": "Acme FR"}));
}

#[test]
fn patch_connector_checks_the_merged_metadata() {
    let app = TestApp::spawn();
    let oidc = app.create(json!({"connectorId": "oidc", "metadata": {"target": "acme", "name": {"en": "Acme"}}, "config": oidc_config()}));
    let reply = app.patch_json(
        &path_of(&oidc),
        &json!({"metadata": {"name": {"en": null}}}),
    );
    reply.assert_error(400, "guard.invalid_input");
    let reply = app.patch_json(&path_of(&oidc), &json!({"metadata": {"name": 5}}));
    reply.assert_error(400, "guard.invalid_input");
}

#[test]
fn patch_connector_allows_sync_profile_only_on_social_connectors() {
    let app = TestApp::spawn();
    let email = app.create_flexible_email(json!({}));
    let reply = app.patch_json(&path_of(&email), &json!({"syncProfile": true}));
    reply.assert_error(422, "connector.invalid_type_for_syncing_profile");
    assert_eq!(
        app.connector(email["id"].as_str().unwrap())["syncProfile"],
        false
    );
    assert_eq!(
        app.patch_json(&path_of(&email), &json!({"syncProfile": false}))
            .status,
        200
    );
    let social = app.create_social();
    assert_eq!(
        app.patch_json(&path_of(&social), &json!({"syncProfile": true}))
            .json()["syncProfile"],
        true
    );
    assert_eq!(
        app.patch_json(&path_of(&social), &json!({"syncProfile": null}))
            .json()["syncProfile"],
        false
    );
}

#[test]
fn patch_connector_allows_token_storage_only_where_supported() {
    let app = TestApp::spawn();
    let email = app.create_flexible_email(json!({}));
    app.patch_json(&path_of(&email), &json!({"enableTokenStorage": true}))
        .assert_error(422, "connector.token_storage_not_supported");
    let social = app.create_social();
    let reply = app.patch_json(&path_of(&social), &json!({"enableTokenStorage": true}));
    assert_eq!(reply.json()["enableTokenStorage"], true);
}

#[test]
fn patch_connector_honours_if_match() {
    let app = TestApp::spawn();
    let connector = app.create_social();
    let path = path_of(&connector);
    let etag = app.get(&path).etag.unwrap();
    let body = json!({"config": {"clientSecret": "s2"}}).to_string();
    let reply = app.send(
        "PATCH",
        &path,
        &[("If-Match", &etag)],
        Some(("application/json", body.as_bytes())),
    );
    assert_eq!(reply.status, 200);
    let newer = reply.etag.clone().unwrap();
    assert_eq!(
        app.get(&path).etag.unwrap(),
        newer,
        "the PATCH answer carries the new ETag"
    );
    let reply = app.send(
        "PATCH",
        &path,
        &[("If-Match", &etag)],
        Some(("application/json", body.as_bytes())),
    );
    reply.assert_error(412, "mock.precondition_failed");
    let reply = app.send(
        "PATCH",
        &path,
        &[("If-Match", "*")],
        Some(("application/json", body.as_bytes())),
    );
    assert_eq!(reply.status, 200);
}

#[test]
fn json_patch_operations_apply_to_the_writable_document() {
    let app = TestApp::spawn();
    let connector = app.create_social();
    let reply = patch_with(
        &app,
        &path_of(&connector),
        "application/json-patch+json",
        json!([
            {"op": "test", "path": "/config/clientId", "value": "client-id"},
            {"op": "replace", "path": "/config/clientId", "value": "new-id"},
            {"op": "add", "path": "/config/scope", "value": "email"},
            {"op": "replace", "path": "/syncProfile", "value": true}
        ]),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(
        body["config"],
        json!({"clientId": "new-id", "clientSecret": "client-secret", "scope": "email"})
    );
    assert_eq!(body["syncProfile"], true);
}

#[test]
fn a_failing_json_patch_test_changes_nothing() {
    let app = TestApp::spawn();
    let connector = app.create_social();
    let reply = patch_with(
        &app,
        &path_of(&connector),
        "application/json-patch+json",
        json!([
            {"op": "replace", "path": "/config/clientId", "value": "changed"},
            {"op": "test", "path": "/config/clientSecret", "value": "wrong"}
        ]),
    );
    reply.assert_error(422, "mock.json_patch_test_failed");
    assert_eq!(reply.json()["data"]["operation"], 1);
    assert_eq!(app.connector(connector["id"].as_str().unwrap()), connector);
}

#[test]
fn a_json_patch_with_a_bad_path_or_shape_gets_400() {
    let app = TestApp::spawn();
    let connector = app.create_social();
    let path = path_of(&connector);
    patch_with(
        &app,
        &path,
        "application/json-patch+json",
        json!([{"op": "remove", "path": "/config/missing"}]),
    )
    .assert_error(400, "mock.invalid_json_patch");
    patch_with(
        &app,
        &path,
        "application/json-patch+json",
        json!({"op": "remove"}),
    )
    .assert_error(400, "mock.invalid_json_patch");
    patch_with(
        &app,
        &path,
        "application/json-patch+json",
        json!([{"op": "explode", "path": "/config"}]),
    )
    .assert_error(400, "mock.invalid_json_patch");
    patch_with(
        &app,
        &path,
        "application/json-patch+json",
        json!([{"op": "replace", "path": "/syncProfile", "value": "yes"}]),
    )
    .assert_error(400, "guard.invalid_input");
    patch_with(
        &app,
        &path,
        "application/json-patch+json",
        json!([{"op": "remove", "path": "/config/clientId"}]),
    )
    .assert_error(400, "connector.invalid_config");
    assert_eq!(app.connector(connector["id"].as_str().unwrap()), connector);
}

#[test]
fn json_patch_obeys_the_same_rules_as_merge_patch() {
    let app = TestApp::spawn();
    let email = app.create_flexible_email(json!({}));
    patch_with(
        &app,
        &path_of(&email),
        "application/json-patch+json",
        json!([{"op": "add", "path": "/metadata/logo", "value": "x"}]),
    )
    .assert_error(
        400,
        "connector.cannot_overwrite_metadata_for_non_standard_connector",
    );
    patch_with(
        &app,
        &path_of(&email),
        "application/json-patch+json",
        json!([{"op": "replace", "path": "/syncProfile", "value": true}]),
    )
    .assert_error(422, "connector.invalid_type_for_syncing_profile");
    let oidc = app.create_oidc("acme");
    patch_with(
        &app,
        &path_of(&oidc),
        "application/json-patch+json",
        json!([{"op": "replace", "path": "/metadata/target", "value": "x"}]),
    )
    .assert_error(400, "connector.can_not_modify_target");
}

#[test]
fn replace_mode_replaces_config_wholesale_like_logto() {
    let app = TestApp::replace_mode();
    let connector = app.create_flexible_email(json!({"apiKey": "k", "fromName": "Me"}));
    let reply = app.patch_json(
        &path_of(&connector),
        &json!({"config": {"fromEmail": "a@b.c"}}),
    );
    assert_eq!(reply.json()["config"], json!({"fromEmail": "a@b.c"}));
    let social = app.create_social();
    app.patch_json(&path_of(&social), &json!({"config": {"clientId": "only"}}))
        .assert_error(400, "connector.invalid_config");
    let reply = app.patch_json(&path_of(&connector), &json!({"config": {}}));
    assert_eq!(
        reply.json()["config"],
        json!({}),
        "config: {{}} resets in replace mode, as in Logto"
    );
}

#[test]
fn replace_mode_requires_standard_metadata_to_repeat_the_target() {
    let app = TestApp::replace_mode();
    let oidc = app.create_oidc("acme");
    app.patch_json(&path_of(&oidc), &json!({"metadata": {"name": {"en": "x"}}}))
        .assert_error(400, "connector.can_not_modify_target");
    let reply = app.patch_json(
        &path_of(&oidc),
        &json!({"metadata": {"target": "acme", "name": {"en": "x"}, "logo": "", "logoDark": null}}),
    );
    assert_eq!(
        reply.json()["metadata"],
        json!({"target": "acme", "name": {"en": "x"}})
    );
}

#[test]
fn concurrent_patches_of_one_connector_lose_nothing() {
    let app = std::sync::Arc::new(TestApp::spawn());
    let connector = app.create_flexible_email(json!({}));
    let path = path_of(&connector);
    let threads: Vec<_> = (0..16)
        .map(|index| {
            let app = app.clone();
            let path = path.clone();
            std::thread::spawn(move || {
                let reply = app.patch_json(&path, &json!({"config": {format!("k{index}"): index}}));
                assert_eq!(reply.status, 200, "{}", reply.text);
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let config = app.connector(connector["id"].as_str().unwrap())["config"].clone();
    assert_eq!(config.as_object().unwrap().len(), 16, "{config}");
}
