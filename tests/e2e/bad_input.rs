//! Bad input over real TCP: always a 4xx with a JSON error, never a 5xx.

use serde_json::{json, Value};

use crate::harness::{connector_path, id_of, Reply, Sandbox, Server, JSON};

const LIMIT: usize = 1024 * 1024;

#[track_caller]
fn assert_only_message(reply: &Reply) {
    assert_eq!(reply.status, 400, "body: {}", reply.text);
    let body = reply.json().as_object().expect("an error object");
    let keys: Vec<&String> = body.keys().collect();
    assert_eq!(keys, ["message"], "body: {}", reply.text);
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
}

/// A JSON object of exactly `size` bytes: `{"connectorId":"<id>","pad":"aaa…"}`.
fn padded_body(connector_id: &str, size: usize) -> Vec<u8> {
    let head = format!(r#"{{"connectorId":"{connector_id}","pad":""#);
    let tail = "\"}";
    let pad = size - head.len() - tail.len();
    let mut body = head.into_bytes();
    body.resize(body.len() + pad, b'a');
    body.extend_from_slice(tail.as_bytes());
    assert_eq!(body.len(), size);
    body
}

#[test]
fn malformed_or_non_object_json_gets_400_with_only_a_message() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let id = id_of(&client.create(&json!({"connectorId": "mock-email-service-alternative"})));

    for body in [
        r#"{"connectorId": "#,
        r#"{"connectorId": "oidc",}"#,
        "not json",
        r#""a JSON string""#,
        "42",
        "null",
        r#"{"connectorId": "oidc", "config": {"__proto__": {"x": "1"}}}"#,
        &deep,
        "{\"connectorId\": \"\u{fffd}\\ud800\"}",
    ] {
        let post = client.request(
            "POST",
            "/api/connectors",
            &[],
            Some((JSON, body.as_bytes())),
        );
        assert_only_message(&post);
        let patch = client.request(
            "PATCH",
            &connector_path(&id),
            &[],
            Some((JSON, body.as_bytes())),
        );
        assert_only_message(&patch);
    }
    assert_eq!(client.config(&id), json!({}));
}

#[test]
fn a_body_over_one_mebibyte_gets_413_and_one_at_the_limit_is_read() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();

    let too_big = padded_body("mock-email-service-alternative", LIMIT + 1);
    let reply = client.request("POST", "/api/connectors", &[], Some((JSON, &too_big)));
    let reply = reply.expect_error(413, "mock.payload_too_large");
    assert_eq!(reply.json()["data"]["limit"], json!(LIMIT));

    let id = id_of(&client.create(&json!({"connectorId": "mock-email-service-alternative"})));
    client
        .request("PATCH", &connector_path(&id), &[], Some((JSON, &too_big)))
        .expect_error(413, "mock.payload_too_large");

    // Without Content-Length (chunked), the limit holds while reading.
    let streamed = std::io::Cursor::new(padded_body("mock-email-service-alternative", 2 * LIMIT));
    client
        .request_chunked("POST", "/api/connectors", JSON, streamed)
        .expect_error(413, "mock.payload_too_large");
    assert_eq!(
        client
            .get("/api/connectors")
            .expect(200)
            .json()
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // Exactly at the limit the body is parsed (and refused for its unknown factory).
    let at_limit = padded_body("no-such-factory", LIMIT);
    client
        .request("POST", "/api/connectors", &[], Some((JSON, &at_limit)))
        .expect_error(422, "connector.not_found_with_connector_id");
    client.get("/api/status").expect(204);
}

#[test]
fn a_text_plain_body_gets_415() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let body = br#"{"connectorId":"mock-email-service-alternative"}"#;

    client
        .request("POST", "/api/connectors", &[], Some(("text/plain", body)))
        .expect_error(415, "mock.unsupported_media_type");
    let list = client.get("/api/connectors").expect(200);
    assert_eq!(list.json(), &json!([]), "nothing was created");

    let id = id_of(&client.create(&json!({"connectorId": "mock-email-service-alternative"})));
    client
        .request(
            "PATCH",
            &connector_path(&id),
            &[],
            Some(("text/plain", br#"{"config":{"apiKey":"k"}}"#)),
        )
        .expect_error(415, "mock.unsupported_media_type");
    assert_eq!(client.config(&id), json!({}));
}

#[test]
fn a_200_character_id_is_not_found() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let path = connector_path(&"a".repeat(200));

    client.get(&path).expect_error(404, "entity.not_found");
    client
        .patch(&path, &json!({"config": {}}))
        .expect_error(404, "entity.not_found");
    client.delete(&path).expect_error(404, "entity.not_found");
}

#[test]
fn an_id_with_a_slash_and_a_space_is_reachable_percent_encoded() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let created = client.create(&json!({
        "id": "a/b c",
        "connectorId": "mock-email-service-alternative",
        "config": {"apiKey": "k"}
    }));
    assert_eq!(id_of(&created), "a/b c");

    let encoded = "/api/connectors/a%2Fb%20c";
    let fetched = client.get(encoded);
    assert_eq!(fetched.status, 200, "GET {encoded}: {}", fetched.text);
    assert_eq!(fetched.json(), &created);
    client
        .patch(encoded, &json!({"config": {"fromName": "N"}}))
        .expect(200);
    assert_eq!(
        client.get(encoded).expect(200).json()["config"],
        json!({"apiKey": "k", "fromName": "N"})
    );
    client.delete(encoded).expect(204);
    client.get(encoded).expect_error(404, "entity.not_found");
}

#[test]
fn unknown_paths_get_404_and_wrong_methods_get_405_with_allow() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();

    for path in ["/api/users", "/api/connectors/x/y", "/", "/nothing"] {
        let reply = client.get(path).expect_error(404, "mock.route_not_found");
        assert_eq!(reply.json()["data"]["path"], Value::from(path));
    }

    for (method, path, allowed) in [
        ("PUT", "/api/connectors/some-id", "PATCH"),
        ("POST", "/api/connectors/some-id", "DELETE"),
        ("DELETE", "/api/connectors", "POST"),
        ("POST", "/api/status", "GET"),
        ("PATCH", "/api/connector-factories/oidc", "GET"),
    ] {
        let reply = client
            .request(method, path, &[], Some((JSON, b"{}")))
            .expect_error(405, "mock.method_not_allowed");
        let allow = reply
            .header("Allow")
            .unwrap_or_else(|| panic!("{method} {path}: 405 without Allow"));
        assert!(
            allow.split(',').any(|m| m.trim() == allowed),
            "{method} {path}: Allow {allow:?} lacks {allowed}"
        );
        assert!(
            !allow.split(',').any(|m| m.trim() == method),
            "{method} {path}: Allow {allow:?} lists the refused method"
        );
    }
}

#[test]
#[should_panic(expected = "connector-mock did not start")]
fn a_server_that_cannot_start_fails_the_test_clearly() {
    let sandbox = Sandbox::new();
    let missing = sandbox.dir.path().join("no-such-config.toml");
    let missing = missing.to_str().unwrap().to_owned();
    let _server = Server::start(
        &sandbox.data_dir(),
        crate::harness::Extra {
            args: &["--config", &missing],
            ..Default::default()
        },
    );
}

#[test]
#[should_panic(expected = "connector-mock did not start")]
fn a_second_server_on_the_same_data_directory_refuses_to_start() {
    let sandbox = Sandbox::new();
    let first = Server::start_default(&sandbox.data_dir());
    first.client().get("/api/status").expect(204);
    let _second = Server::start_default(&sandbox.data_dir());
}
