use serde_json::json;

use crate::helpers::TestApp;

#[test]
fn list_connectors_is_ordered_by_id() {
    let app = TestApp::spawn();
    for id in ["c", "a", "b"] {
        app.create(json!({"id": id, "connectorId": "oidc", "metadata": {"target": format!("t-{id}")}, "config": crate::helpers::oidc_config()}));
    }
    let list = app.get("/api/connectors").json();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
}

#[test]
fn list_connectors_filters_by_target() {
    let app = TestApp::spawn();
    app.create_oidc("acme");
    app.create_oidc("globex");
    app.create_social();
    let list = app.get("/api/connectors?target=acme").json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["target"], "acme");
    let list = app.get("/api/connectors?target=mock-social").json();
    assert_eq!(list[0]["connectorId"], "mock-social-connector");
    assert_eq!(
        app.get("/api/connectors?target=")
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(app.get("/api/connectors?target=ACME").json(), json!([]));
    assert_eq!(
        app.get("/api/connectors?other=1")
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn list_connectors_refuses_a_repeated_target() {
    let app = TestApp::spawn();
    let reply = app.get("/api/connectors?target=a&target=b");
    reply.assert_error(400, "guard.invalid_input");
    assert_eq!(reply.json()["message"], "The request query is invalid.");
}

#[test]
fn get_connector_returns_the_stored_connector() {
    let app = TestApp::spawn();
    let created = app.create_social();
    let fetched = app.connector(created["id"].as_str().unwrap());
    assert_eq!(fetched, created);
}

#[test]
fn get_connector_returns_404_for_an_unknown_or_overlong_id() {
    let app = TestApp::spawn();
    app.get("/api/connectors/missing")
        .assert_error(404, "entity.not_found");
    app.get(&format!("/api/connectors/{}", "x".repeat(300)))
        .assert_error(404, "entity.not_found");
}

#[test]
fn get_connector_answers_304_for_a_matching_if_none_match_and_200_after_a_change() {
    let app = TestApp::spawn();
    let id = app.create_social()["id"].as_str().unwrap().to_owned();
    let path = format!("/api/connectors/{id}");
    let etag = app.get(&path).etag.unwrap();
    assert_eq!(
        app.send("GET", &path, &[("If-None-Match", &etag)], None)
            .status,
        304
    );
    app.patch_json(&path, &json!({"syncProfile": true}));
    let reply = app.send("GET", &path, &[("If-None-Match", &etag)], None);
    assert_eq!(reply.status, 200);
    assert_ne!(reply.etag.unwrap(), etag);
}

#[test]
fn the_merged_metadata_of_a_standard_connector_shows_its_overrides() {
    let app = TestApp::spawn();
    let connector = app.create(json!({
        "connectorId": "oidc",
        "metadata": {"target": "acme", "name": {"en": "Acme SSO"}, "logoDark": null},
        "config": crate::helpers::oidc_config()
    }));
    assert_eq!(
        connector["metadata"],
        json!({"target": "acme", "name": {"en": "Acme SSO"}})
    );
    assert_eq!(connector["target"], "acme");
    assert_eq!(connector["name"], json!({"en": "Acme SSO"}));
    assert_eq!(connector["isStandard"], true);
}
