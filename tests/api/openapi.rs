//! The OpenAPI document stays in step with the router: every documented
//! operation is served, and every documented path serves exactly the
//! documented methods.

use serde_json::Value;

use crate::helpers::TestApp;

fn document(app: &TestApp) -> Value {
    let reply = app.send_anonymous("GET", "/api/.well-known/management.openapi.json", &[], None);
    assert_eq!(reply.status, 200);
    reply.json()
}

fn concrete(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "x"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn the_document_is_openapi_3_with_the_request_origin_and_client_credentials() {
    let app = TestApp::spawn();
    let document = document(&app);
    assert_eq!(document["openapi"], "3.0.1");
    let origin = document["servers"][0]["url"].as_str().unwrap();
    assert!(origin.starts_with("http://127.0.0.1:"), "{origin}");
    let flow = &document["components"]["securitySchemes"]["OAuth2"]["flows"]["clientCredentials"];
    assert_eq!(flow["tokenUrl"], "/oidc/token");
    assert!(flow["scopes"]["all"].is_string());
    let swagger = app
        .send_anonymous("GET", "/api/swagger.json", &[], None)
        .json();
    assert_eq!(swagger, document);
}

#[test]
fn every_documented_operation_is_served() {
    let app = TestApp::spawn();
    let document = document(&app);
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item
            .as_object()
            .unwrap()
            .keys()
            .filter(|key| *key != "parameters")
        {
            let reply = app.send(&method.to_uppercase(), &concrete(path), &[], None);
            assert!(
                reply.status != 405 && !reply.text.contains("mock.route_not_found"),
                "{method} {path} is documented but not served: {} {}",
                reply.status,
                reply.text
            );
        }
    }
}

#[test]
fn every_documented_path_serves_exactly_the_documented_methods() {
    let app = TestApp::spawn();
    let document = document(&app);
    for (path, item) in document["paths"].as_object().unwrap() {
        let mut documented: Vec<String> = item
            .as_object()
            .unwrap()
            .keys()
            .filter(|key| *key != "parameters")
            .map(|method| method.to_uppercase())
            .collect();
        if documented.contains(&"GET".to_owned()) {
            documented.push("HEAD".to_owned());
        }
        documented.sort();
        let reply = app.send("OPTIONS", &concrete(path), &[], None);
        let mut allowed: Vec<String> = reply
            .allow
            .unwrap_or_default()
            .split(',')
            .map(|method| method.trim().to_owned())
            .collect();
        allowed.sort();
        assert_eq!(allowed, documented, "{path}");
    }
}

#[test]
fn every_connector_and_factory_route_of_the_api_is_documented() {
    let app = TestApp::spawn();
    let document = document(&app);
    let paths: Vec<&String> = document["paths"].as_object().unwrap().keys().collect();
    for route in [
        "/api/connector-factories",
        "/api/connector-factories/{id}",
        "/api/connectors",
        "/api/connectors/{id}",
        "/api/connectors/{factoryId}/test",
        "/api/connectors/{connectorId}/authorization-uri",
        "/api/status",
        "/_mock/outbox",
    ] {
        assert!(
            paths.contains(&&route.to_owned()),
            "{route} is not documented"
        );
    }
}
