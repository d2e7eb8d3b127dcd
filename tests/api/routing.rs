use crate::helpers::TestApp;

#[test]
fn status_answers_204_without_a_body() {
    let app = TestApp::spawn();
    let reply = app.get("/api/status");
    assert_eq!(reply.status, 204);
    assert!(reply.text.is_empty());
}

#[test]
fn an_unknown_path_gets_a_json_404_that_explains_what_is_served() {
    let app = TestApp::spawn();
    for path in ["/api/users", "/nothing", "/api/connectors/x/y/z"] {
        let reply = app.get(path);
        reply.assert_error(404, "mock.route_not_found");
        assert!(reply.json()["message"]
            .as_str()
            .unwrap()
            .contains("/api/connectors"));
        assert_eq!(reply.json()["data"]["path"], path);
    }
}

#[test]
fn a_known_path_with_a_wrong_method_gets_405_with_allow() {
    let app = TestApp::spawn();
    let reply = app.send("PUT", "/api/connectors/abc", &[], None);
    reply.assert_error(405, "mock.method_not_allowed");
    assert_eq!(reply.allow.as_deref(), Some("HEAD, GET, PATCH, DELETE"));
    let reply = app.send("DELETE", "/api/connectors", &[], None);
    assert_eq!(reply.status, 405);
    assert_eq!(reply.allow.as_deref(), Some("HEAD, GET, POST"));
    let reply = app.send("POST", "/api/connector-factories", &[], None);
    assert_eq!(reply.allow.as_deref(), Some("HEAD, GET"));
}

#[test]
fn options_lists_the_allowed_methods() {
    let app = TestApp::spawn();
    let reply = app.send("OPTIONS", "/api/connectors", &[], None);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.allow.as_deref(), Some("HEAD, GET, POST"));
}

#[test]
fn a_trailing_slash_is_tolerated() {
    let app = TestApp::spawn();
    assert_eq!(app.get("/api/connectors/").status, 200);
    assert_eq!(app.get("/api/connector-factories/oidc/").status, 200);
}

#[test]
fn head_answers_like_get_without_a_body() {
    let app = TestApp::spawn();
    let reply = app.send("HEAD", "/api/connector-factories", &[], None);
    assert_eq!(reply.status, 200);
    assert!(reply.etag.is_some());
    assert!(reply.text.is_empty());
}

#[test]
fn error_bodies_are_json_with_logtos_content_type() {
    let app = TestApp::spawn();
    let reply = app.get("/api/connectors/missing");
    assert_eq!(
        reply.content_type.as_deref(),
        Some("application/json; charset=utf-8")
    );
}
