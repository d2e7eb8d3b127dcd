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
        "/_mock/requests",
        "/_mock/faults",
        "/_mock/reset",
        "/_mock/tenants",
        "/_mock/tenants/{name}",
        "/_mock/state",
    ] {
        assert!(
            paths.contains(&&route.to_owned()),
            "{route} is not documented"
        );
    }
}

#[test]
fn every_operation_the_document_secures_answers_401_without_a_token() {
    let app = TestApp::spawn();
    let document = document(&app);
    let secured_by_default = !document["security"].as_array().unwrap().is_empty();
    let mut checked = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            let secured = match operation.get("security").and_then(Value::as_array) {
                Some(list) => !list.is_empty(),
                None => secured_by_default,
            };
            let concrete = concrete(path);
            let body = Some(("application/json", b"{}".as_slice()));
            let reply = app.send_anonymous(&method.to_uppercase(), &concrete, &[], body);
            if secured {
                assert_eq!(
                    (reply.status, reply.code()),
                    (401, "auth.authorization_header_missing".to_owned()),
                    "{method} {path} must need a token: {}",
                    reply.text
                );
                // Also through a tenant prefix.
                let prefixed = format!("/t/acme{concrete}");
                let reply = app.send_anonymous(&method.to_uppercase(), &prefixed, &[], body);
                assert_eq!(reply.status, 401, "{method} /t/acme{path}");
                checked += 1;
            } else {
                assert_ne!(reply.status, 401, "{method} {path} is documented as public");
            }
        }
    }
    assert!(
        checked >= 15,
        "only {checked} secured operations were checked"
    );
}
