use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};

use crate::helpers::{keys, TestApp};

const RESOURCE: &str = "https://default.logto.app/api";

fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    serde_urlencoded::to_string(pairs).unwrap().into_bytes()
}

fn token_request(app: &TestApp, headers: &[(&str, &str)], body: &[(&str, &str)]) -> (u16, Value) {
    let reply = app.send_anonymous(
        "POST",
        "/oidc/token",
        headers,
        Some(("application/x-www-form-urlencoded", &form(body))),
    );
    (reply.status, reply.json())
}

fn token(app: &TestApp, scope: &str) -> String {
    let (status, body) = token_request(
        app,
        &[("Authorization", &basic("mock-m2m", "mock-m2m-secret"))],
        &[
            ("grant_type", "client_credentials"),
            ("resource", RESOURCE),
            ("scope", scope),
        ],
    );
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

#[test]
fn the_token_endpoint_issues_a_jwt_for_the_default_client() {
    let app = TestApp::spawn();
    let (status, body) = token_request(
        &app,
        &[("Authorization", &basic("mock-m2m", "mock-m2m-secret"))],
        &[
            ("grant_type", "client_credentials"),
            ("resource", RESOURCE),
            ("scope", "all unknown"),
        ],
    );
    assert_eq!(status, 200);
    assert_eq!(
        keys(&body),
        ["access_token", "expires_in", "token_type", "scope"]
    );
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "all", "unknown scopes are dropped");
    let token = body["access_token"].as_str().unwrap();
    let payload: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(payload["sub"], "mock-m2m");
    assert_eq!(payload["client_id"], "mock-m2m");
    assert_eq!(payload["aud"], RESOURCE);
    assert_eq!(payload["scope"], "all");
    assert!(payload["iss"].as_str().unwrap().ends_with("/oidc"));
    assert!(payload["exp"].as_u64().unwrap() > payload["iat"].as_u64().unwrap());
    assert!(payload["jti"].is_string());
}

#[test]
fn the_token_endpoint_takes_credentials_in_the_body_and_json_bodies() {
    let app = TestApp::spawn();
    let (status, _) = token_request(
        &app,
        &[],
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "mock-m2m"),
            ("client_secret", "mock-m2m-secret"),
            ("resource", RESOURCE),
            ("scope", "all"),
        ],
    );
    assert_eq!(status, 200);
    let body = json!({"grant_type": "client_credentials", "resource": RESOURCE, "scope": "all"});
    let reply = app.send(
        "POST",
        "/oidc/token",
        &[("Authorization", &basic("mock-m2m", "mock-m2m-secret"))],
        Some(("application/json", body.to_string().as_bytes())),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
}

/// Headers, form fields, then the expected status, `error`, `error_description` and `message`.
type TokenCase<'a> = (
    Vec<(&'a str, String)>,
    Vec<(&'a str, &'a str)>,
    u16,
    &'a str,
    &'a str,
    &'a str,
);

#[test]
fn the_token_endpoint_answers_every_error_like_logto() {
    let app = TestApp::spawn();
    let good = basic("mock-m2m", "mock-m2m-secret");
    let grant = [("grant_type", "client_credentials"), ("resource", RESOURCE)];
    let cases: Vec<TokenCase> = vec![
        (
            vec![],
            grant.to_vec(),
            400,
            "invalid_request",
            "no client authentication mechanism provided",
            "Request is invalid.",
        ),
        (
            vec![("Authorization", "Basic !!!".to_owned())],
            grant.to_vec(),
            400,
            "invalid_request",
            "invalid authorization header value format",
            "Request is invalid.",
        ),
        (
            vec![("Authorization", good.clone())],
            vec![
                ("client_id", "other"),
                ("grant_type", "client_credentials"),
                ("resource", RESOURCE),
            ],
            400,
            "invalid_request",
            "client_id mismatch",
            "Request is invalid.",
        ),
        (
            vec![("Authorization", basic("nobody", "x"))],
            grant.to_vec(),
            400,
            "invalid_client",
            "invalid client nobody",
            "An OIDC error occurred: oidc.invalid_client.",
        ),
        (
            vec![("Authorization", basic("mock-m2m", "wrong"))],
            grant.to_vec(),
            401,
            "invalid_client",
            "client authentication failed",
            "An OIDC error occurred: oidc.invalid_client.",
        ),
        (
            vec![("Authorization", good.clone())],
            vec![("resource", RESOURCE)],
            400,
            "invalid_request",
            "missing required parameter 'grant_type'",
            "Request is invalid.",
        ),
        (
            vec![("Authorization", good.clone())],
            vec![("grant_type", "password"), ("resource", RESOURCE)],
            400,
            "unsupported_grant_type",
            "unsupported grant_type requested",
            "Unsupported `grant_type` requested.",
        ),
        (
            vec![("Authorization", good.clone())],
            vec![("grant_type", "client_credentials")],
            400,
            "invalid_target",
            "both `resource` and `organization_id` are not provided",
            "Invalid resource indicator.",
        ),
        (
            vec![("Authorization", good.clone())],
            vec![
                ("grant_type", "client_credentials"),
                ("resource", "https://other/api"),
            ],
            400,
            "invalid_target",
            "resource indicator is missing, or unknown",
            "Invalid resource indicator.",
        ),
    ];
    for (headers, body, status, error, description, message) in cases {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (got_status, got) = token_request(&app, &headers, &body);
        assert_eq!(
            (got_status, got),
            (
                status,
                json!({"code": format!("oidc.{error}"), "message": message, "error": error, "error_description": description})
            ),
            "{description}"
        );
    }
    let reply = app.send(
        "POST",
        "/oidc/token",
        &[("Authorization", &good)],
        Some(("text/plain", b"grant_type=x")),
    );
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json()["error_description"],
        "only application/x-www-form-urlencoded content-type bodies are supported on POST /token"
    );
    let reply = app.get("/oidc/nonexistent");
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.json()["error_description"],
        "unrecognized route or not allowed method (GET on /nonexistent)"
    );
}

#[test]
fn a_token_without_scope_all_is_forbidden() {
    let app = TestApp::spawn();
    let token = token(&app, "");
    let reply = app.send(
        "GET",
        "/api/connectors",
        &[("Authorization", &format!("Bearer {token}"))],
        None,
    );
    reply.assert_error(403, "auth.forbidden");
    assert_eq!(
        reply.json()["message"],
        "Forbidden. Please check your user roles and permissions."
    );
}

#[test]
fn an_issued_token_opens_the_api() {
    let app = TestApp::spawn();
    let token = token(&app, "all");
    let reply = app.send(
        "GET",
        "/api/connectors",
        &[("Authorization", &format!("Bearer {token}"))],
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[test]
fn the_api_answers_logtos_auth_errors() {
    let app = TestApp::spawn();
    let reply = app.send_anonymous("GET", "/api/connectors", &[], None);
    assert_eq!(
        reply.text,
        r#"{"code":"auth.authorization_header_missing","message":"Authorization header is missing."}"#
    );
    assert_eq!(reply.status, 401);
    let reply = app.send(
        "GET",
        "/api/connectors",
        &[("Authorization", "bearer x")],
        None,
    );
    reply.assert_error(401, "auth.authorization_token_type_not_supported");
    assert_eq!(reply.json()["data"], json!({"supportedTypes": ["Bearer"]}));
    let reply = app.send(
        "GET",
        "/api/connectors",
        &[("Authorization", "Bearer not-a-jwt")],
        None,
    );
    reply.assert_error(401, "auth.unauthorized");
    assert_eq!(
        reply.json()["data"],
        json!({"code": "ERR_JWS_INVALID", "name": "JWSInvalid"})
    );
    assert_eq!(
        reply.json()["message"],
        "Unauthorized. Please check credentials and its scope."
    );
}

#[test]
fn a_token_signed_by_another_server_or_expired_is_unauthorized() {
    let first = TestApp::spawn();
    let second = TestApp::spawn();
    let foreign = token(&first, "all");
    let reply = second.send(
        "GET",
        "/api/connectors",
        &[("Authorization", &format!("Bearer {foreign}"))],
        None,
    );
    reply.assert_error(401, "auth.unauthorized");
    assert_eq!(
        reply.json()["data"]["code"],
        "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
    );

    let expiring = TestApp::spawn_with(|config| config.auth.token_ttl = 0);
    let token = token(&expiring, "all");
    let reply = expiring.send(
        "GET",
        "/api/connectors",
        &[("Authorization", &format!("Bearer {token}"))],
        None,
    );
    reply.assert_error(401, "auth.unauthorized");
    assert_eq!(reply.json()["data"]["code"], "ERR_JWT_EXPIRED");
}

#[test]
fn auth_is_checked_before_the_body_and_not_on_unknown_routes_or_status() {
    let app = TestApp::spawn();
    let reply = app.send_anonymous(
        "POST",
        "/api/connectors",
        &[],
        Some(("application/json", b"{bad json")),
    );
    reply.assert_error(401, "auth.authorization_header_missing");
    app.send_anonymous("GET", "/api/unknown", &[], None)
        .assert_error(404, "mock.route_not_found");
    assert_eq!(
        app.send_anonymous("PUT", "/api/connectors/x", &[], None)
            .status,
        405
    );
    assert_eq!(
        app.send_anonymous("GET", "/api/status", &[], None).status,
        204
    );
    app.send_anonymous("GET", "/_mock/outbox", &[], None)
        .assert_error(401, "auth.authorization_header_missing");
    assert_eq!(
        app.send_anonymous("GET", "/oidc/jwks", &[], None).status,
        200
    );
}

#[test]
fn mode_none_turns_the_checks_off() {
    let app =
        TestApp::spawn_with(|config| config.auth.mode = connector_mock::config::AuthMode::None);
    assert_eq!(
        app.send_anonymous("GET", "/api/connectors", &[], None)
            .status,
        200
    );
}

#[test]
fn more_clients_and_scopes_come_from_the_config() {
    let app = TestApp::spawn_with(|config| {
        config
            .auth
            .clients
            .push(connector_mock::config::AuthClient {
                id: "reader".into(),
                secret: "s".into(),
                scopes: vec!["read".into()],
            })
    });
    let (status, body) = token_request(
        &app,
        &[("Authorization", &basic("reader", "s"))],
        &[
            ("grant_type", "client_credentials"),
            ("resource", RESOURCE),
            ("scope", "all read"),
        ],
    );
    assert_eq!(status, 200);
    assert_eq!(body["scope"], "read");
}

#[test]
fn the_jwks_publishes_the_signing_key() {
    let app = TestApp::spawn();
    let jwks = app.send_anonymous("GET", "/oidc/jwks", &[], None).json();
    assert_eq!(jwks["keys"][0]["kty"], "OKP");
    assert_eq!(jwks["keys"][0]["crv"], "Ed25519");
    assert_eq!(jwks["keys"][0]["alg"], "EdDSA");
}
