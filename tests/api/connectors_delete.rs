use crate::helpers::TestApp;

#[test]
fn delete_connector_answers_204_and_the_connector_is_gone() {
    let app = TestApp::spawn();
    let id = app.create_social()["id"].as_str().unwrap().to_owned();
    let reply = app.delete(&format!("/api/connectors/{id}"));
    assert_eq!(reply.status, 204);
    assert!(reply.text.is_empty());
    app.get(&format!("/api/connectors/{id}"))
        .assert_error(404, "entity.not_found");
    assert_eq!(app.get("/api/connectors").json(), serde_json::json!([]));
}

#[test]
fn delete_connector_returns_404_for_an_unknown_id() {
    let app = TestApp::spawn();
    app.delete("/api/connectors/missing")
        .assert_error(404, "entity.not_found");
}

#[test]
fn a_deleted_non_standard_connector_can_be_created_again() {
    let app = TestApp::spawn();
    let id = app.create_social()["id"].as_str().unwrap().to_owned();
    app.delete(&format!("/api/connectors/{id}"));
    app.create_social();
}
