//! Guard behaviour at its edges, each pinned by a test (found by mutation
//! testing: no other test told these mutants apart).

use serde_json::{json, Value};

use crate::helpers::{oidc_config, TestApp};

fn json_patch(app: &TestApp, id: &str, operations: Value) -> crate::helpers::Reply {
    app.send(
        "PATCH",
        &format!("/api/connectors/{id}"),
        &[],
        Some((
            "application/json-patch+json",
            operations.to_string().as_bytes(),
        )),
    )
}

fn invalid_at(reply: &crate::helpers::Reply, path: Value) {
    reply.assert_error(400, "guard.invalid_input");
    assert_eq!(
        reply.json()["data"]["issues"][0]["path"],
        path,
        "{}",
        reply.text
    );
}

#[test]
fn null_is_refused_where_logtos_create_guard_refuses_it() {
    let app = TestApp::spawn();
    let github = json!({"clientId": "a", "clientSecret": "b"});
    let reply = app.post_json(
        "/api/connectors",
        &json!({"connectorId": "github-universal", "config": github, "syncProfile": null}),
    );
    invalid_at(&reply, json!(["syncProfile"]));
    for (metadata, path) in [
        (
            json!({"target": "t", "logo": null}),
            json!(["metadata", "logo"]),
        ),
        (
            json!({"target": "t", "name": null}),
            json!(["metadata", "name"]),
        ),
        (
            json!({"target": "t", "name": {"en": null}}),
            json!(["metadata", "name", "en"]),
        ),
    ] {
        let body = json!({"connectorId": "oidc", "config": oidc_config(), "metadata": metadata});
        invalid_at(&app.post_json("/api/connectors", &body), path);
    }
    // logoDark is nullable in Logto's guard.
    let body = json!({"connectorId": "oidc", "config": oidc_config(),
        "metadata": {"target": "t", "logoDark": null}});
    assert_eq!(app.post_json("/api/connectors", &body).status, 200);
    assert_eq!(
        app.get("/api/connectors").json().as_array().unwrap().len(),
        1,
        "nothing else was created"
    );
}

#[test]
fn json_patch_cannot_null_sync_profile_or_remove_config() {
    let app = TestApp::spawn();
    let id = app.create_social()["id"].as_str().unwrap().to_owned();
    let reply = json_patch(
        &app,
        &id,
        json!([{"op": "replace", "path": "/syncProfile", "value": null}]),
    );
    invalid_at(&reply, json!(["syncProfile"]));
    let reply = json_patch(&app, &id, json!([{"op": "remove", "path": "/config"}]));
    invalid_at(&reply, json!(["config"]));
    let stored = app.get(&format!("/api/connectors/{id}")).json();
    assert_eq!(stored["config"]["clientId"], "client-id", "nothing changed");
    assert_eq!(stored["syncProfile"], false);
}

#[test]
fn patching_the_name_override_to_null_removes_it() {
    let app = TestApp::spawn();
    let created = app.create(
        json!({"id": "o", "connectorId": "oidc", "config": oidc_config(),
        "metadata": {"target": "t", "name": {"en": "Mine"}}}),
    );
    assert_eq!(created["name"]["en"], "Mine");
    let reply = app.patch_json("/api/connectors/o", &json!({"metadata": {"name": null}}));
    assert_eq!(reply.status, 200, "{}", reply.text);
    let factory = app.get("/api/connector-factories/oidc").json();
    assert_eq!(
        reply.json()["name"],
        factory["name"],
        "the factory's name again"
    );
    assert_eq!(reply.json()["metadata"].get("name"), None);
    assert_eq!(reply.json()["metadata"]["target"], "t");
}

#[test]
fn an_id_of_exactly_128_characters_is_accepted_and_129_refused() {
    let app = TestApp::spawn();
    let config = json!({"clientId": "a", "clientSecret": "b"});
    let long = "i".repeat(128);
    let body = json!({"id": long, "connectorId": "github-universal", "config": config});
    assert_eq!(app.post_json("/api/connectors", &body).json()["id"], long);
    let body = json!({"id": "i".repeat(129), "connectorId": "google-universal", "config": config});
    invalid_at(&app.post_json("/api/connectors", &body), json!(["id"]));
}

#[test]
fn an_empty_config_patch_on_a_connector_created_without_config_changes_nothing() {
    let app = TestApp::spawn();
    let created = app.create(json!({"id": "n", "connectorId": "mock-social-connector"}));
    assert_eq!(created["config"], json!({}));
    let reply = app.patch_json("/api/connectors/n", &json!({"config": {}}));
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json(), created);
}

#[test]
fn patch_validates_the_body_before_looking_the_connector_up() {
    let app = TestApp::spawn();
    let reply = app.patch_json("/api/connectors/missing", &json!({"metadata": {"name": 5}}));
    invalid_at(&reply, json!(["metadata", "name"]));
    let reply = app.patch_json(
        "/api/connectors/missing",
        &json!({"metadata": {"name": {"en": "ok"}}}),
    );
    reply.assert_error(404, "entity.not_found");
}

#[test]
fn a_replaced_config_is_cleaned_of_nulls_at_every_level_as_logto_cleans_it() {
    let app = TestApp::replace_mode();
    let id = app.create_flexible_email(json!({"keep": "x"}))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = app.patch_json(
        &format!("/api/connectors/{id}"),
        &json!({"config": {"gone": null, "list": [null, "y", null], "nested": {"a": null, "b": 1}}}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json()["config"],
        json!({"list": ["y"], "nested": {"b": 1}})
    );
    // A JSON Patch that adds a null is cleaned the same way.
    let reply = json_patch(
        &app,
        &id,
        json!([{"op": "add", "path": "/config/added", "value": null}]),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(
        reply.json()["config"].get("added").is_none(),
        "{}",
        reply.text
    );
}

/// A JSON Patch stores exactly what a merge patch may store: the limits on
/// `config` are the same at their edges, although a JSON Patch is checked on
/// the whole document (config one level down, beside the other fields).
#[test]
fn json_patch_and_merge_patch_share_the_config_limits_at_their_edges() {
    let app = TestApp::spawn_with(|config| {
        config.limits.max_depth = 4;
        config.limits.max_config_bytes = 1000;
    });
    let id = app.create_flexible_email(json!({}))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/connectors/{id}");
    let compare = |value: Value| -> u16 {
        let merged = app.patch_json(&path, &json!({"config": {"k": value.clone()}}));
        app.patch_json(&path, &json!({"config": {"k": null}}));
        let patched = json_patch(
            &app,
            &id,
            json!([{"op": "add", "path": "/config/k", "value": value}]),
        );
        app.patch_json(&path, &json!({"config": {"k": null}}));
        assert_eq!(
            merged.status, patched.status,
            "merge patch {} but JSON Patch {}: {}",
            merged.status, patched.status, patched.text
        );
        merged.status
    };
    let depths: Vec<u16> = (0..6)
        .map(|levels| {
            let value = (0..levels).fold(json!("x"), |inner, _| json!({ "n": inner }));
            compare(value)
        })
        .collect();
    assert!(depths.contains(&200) && depths.contains(&400), "{depths:?}");
    let sizes: Vec<u16> = (960..1000)
        .step_by(4)
        .map(|length| compare(json!("x".repeat(length))))
        .collect();
    assert!(sizes.contains(&200) && sizes.contains(&400), "{sizes:?}");
}
