use serde_json::{json, Value};

use crate::helpers::{keys, TestApp};

fn mail_config() -> Value {
    json!({
        "apiKey": "key",
        "fromEmail": "noreply@example.com",
        "templates": [
            {"usageType": "SignIn", "type": "text/plain", "subject": "Sign in", "content": "{{code}}"},
            {"usageType": "Generic", "type": "text/plain", "subject": "Code {{code}}", "content": "Your code is {{ code }}. {{unknown}}"}
        ]
    })
}

fn sms_config() -> Value {
    json!({
        "accountSID": "AC1", "authToken": "t", "fromMessagingServiceSID": "MG1",
        "templates": [{"usageType": "Generic", "content": "Code: {{code}}"}]
    })
}

#[test]
fn test_email_renders_the_generic_template_into_the_outbox() {
    let app = TestApp::spawn();
    let reply = app.post_json(
        "/api/connectors/mock-email-service/test",
        &json!({"email": "ada@example.com", "config": mail_config(), "locale": "de"}),
    );
    assert_eq!(reply.status, 204, "{}", reply.text);
    assert!(reply.text.is_empty());
    let outbox = app.get("/_mock/outbox").json();
    let message = &outbox[0];
    assert_eq!(
        keys(message),
        [
            "id",
            "factoryId",
            "type",
            "to",
            "usageType",
            "payload",
            "template",
            "subject",
            "content",
            "sentAt",
            "sentAtMs"
        ]
    );
    assert_eq!(message["factoryId"], "mock-email-service");
    assert_eq!(message["type"], "Email");
    assert_eq!(message["to"], "ada@example.com");
    assert_eq!(message["usageType"], "Generic");
    assert_eq!(
        message["payload"],
        json!({"code": "000000", "locale": "de"})
    );
    assert_eq!(message["subject"], "Code 000000");
    assert_eq!(message["content"], "Your code is 000000. {{unknown}}");
    assert_eq!(message["template"]["usageType"], "Generic");
    assert!(message["sentAt"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn test_sms_needs_no_stored_connector_and_records_the_phone_number() {
    let app = TestApp::spawn();
    let reply = app.post_json(
        "/api/connectors/mock-short-message-service/test",
        &json!({"phone": "12345678901", "config": sms_config()}),
    );
    assert_eq!(reply.status, 204, "{}", reply.text);
    let message = &app.get("/_mock/outbox").json()[0];
    assert_eq!(message["type"], "Sms");
    assert_eq!(message["to"], "12345678901");
    assert_eq!(message["content"], "Code: 000000");
    assert!(message.get("subject").is_none());
    assert_eq!(app.get("/api/connectors").json(), json!([]));
}

#[test]
fn test_connector_checks_the_body_like_logto() {
    let app = TestApp::spawn();
    let path = "/api/connectors/mock-short-message-service/test";
    let reply = app.post_json(path, &json!({"phone": "+1 555", "config": {}}));
    reply.assert_error(400, "guard.invalid_input");
    assert_eq!(
        reply.json()["details"],
        "Error in key path \"phone\": (invalid_string) Invalid"
    );
    let reply = app.post_json(path, &json!({"email": "not-an-email", "config": {}}));
    assert_eq!(
        reply.json()["details"],
        "Error in key path \"email\": (invalid_string) Invalid"
    );
    let reply = app.post_json(path, &json!({"phone": "123"}));
    assert_eq!(
        reply.json()["details"],
        "Error in key path \"config\": (invalid_type) Expected object but received undefined."
    );
    let reply = app.post_json(path, &json!({"config": {}}));
    assert_eq!(
        reply.text,
        r#"{"code":"guard.invalid_input","message":"The request {{type}} is invalid."}"#
    );
}

#[test]
fn test_connector_answers_400_not_found_for_unknown_or_social_factories() {
    let app = TestApp::spawn();
    let reply = app.post_json(
        "/api/connectors/nope/test",
        &json!({"phone": "1", "config": {}}),
    );
    reply.assert_error(400, "connector.not_found");
    assert_eq!(
        reply.json()["message"],
        "Cannot find any available connector for type: Sms."
    );
    let reply = app.post_json(
        "/api/connectors/mock-social-connector/test",
        &json!({"email": "a@b.c", "config": {}}),
    );
    assert_eq!(
        reply.json()["message"],
        "Cannot find any available connector for type: Email."
    );
}

#[test]
fn test_connector_refuses_a_factory_of_the_other_type() {
    let app = TestApp::spawn();
    let reply = app.post_json(
        "/api/connectors/mock-email-service/test",
        &json!({"phone": "123", "email": "a@b.c", "config": mail_config()}),
    );
    reply.assert_error(400, "connector.unexpected_type");
    assert_eq!(
        reply.json()["message"],
        "The connector's type is unexpected."
    );
}

#[test]
fn test_connector_validates_the_given_config() {
    let app = TestApp::spawn();
    let reply = app.post_json(
        "/api/connectors/mock-email-service/test",
        &json!({"email": "a@b.c", "config": {}}),
    );
    reply.assert_error(400, "connector.invalid_config");
    assert_eq!(app.get("/_mock/outbox").json(), json!([]));
}

#[test]
fn test_connector_without_a_generic_template_answers_template_not_found() {
    let app = TestApp::spawn();
    let mut config = sms_config();
    config["templates"] = json!([{"usageType": "SignIn", "content": "{{code}}"}]);
    let reply = app.post_json(
        "/api/connectors/mock-short-message-service/test",
        &json!({"phone": "1", "config": config}),
    );
    reply.assert_error(400, "connector.template_not_found");
    assert_eq!(
        reply.json()["data"],
        json!({"message": "Template not found for type: Generic"})
    );
    assert_eq!(
        reply.json()["message"],
        "Unable to find correct template in connector config."
    );
}

#[test]
fn the_outbox_filters_by_recipient_factory_and_time_and_can_be_cleared() {
    let app = TestApp::spawn();
    for phone in ["111", "222"] {
        app.post_json(
            "/api/connectors/mock-short-message-service/test",
            &json!({"phone": phone, "config": sms_config()}),
        );
    }
    app.post_json(
        "/api/connectors/mock-email-service/test",
        &json!({"email": "a@b.c", "config": mail_config()}),
    );
    let all = app.get("/_mock/outbox").json();
    assert_eq!(all.as_array().unwrap().len(), 3);
    assert!(all[0]["id"].as_u64() < all[1]["id"].as_u64());
    assert_eq!(
        app.get("/_mock/outbox?to=222")
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.get("/_mock/outbox?factoryId=mock-email-service").json()[0]["to"],
        "a@b.c"
    );
    let first = all[0]["sentAtMs"].as_u64().unwrap();
    let since_later = app
        .get(&format!("/_mock/outbox?since={}", first + 3_600_000))
        .json();
    assert_eq!(since_later, json!([]));
    let since_iso = app.get("/_mock/outbox?since=2000-01-01T00:00:00Z").json();
    assert_eq!(since_iso.as_array().unwrap().len(), 3);
    app.get("/_mock/outbox?since=yesterday")
        .assert_error(400, "guard.invalid_input");
    assert_eq!(app.delete("/_mock/outbox").status, 204);
    assert_eq!(app.get("/_mock/outbox").json(), json!([]));
}

#[test]
fn authorization_uri_builds_the_mock_social_url() {
    let app = TestApp::spawn();
    let id = app.create_social()["id"].as_str().unwrap().to_owned();
    let reply = app.post_json(
        &format!("/api/connectors/{id}/authorization-uri"),
        &json!({"state": "st ate", "redirectUri": "https://app.example.com/cb"}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json(),
        json!({"redirectTo": "http://mock-social/?state=st+ate&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&scope=email+profile"})
    );
}

#[test]
fn authorization_uri_uses_the_stored_config() {
    let app = TestApp::spawn();
    let connector = app.create(json!({
        "connectorId": "github-universal",
        "config": {"clientId": "gh-client", "clientSecret": "s"}
    }));
    let id = connector["id"].as_str().unwrap();
    let reply = app.post_json(
        &format!("/api/connectors/{id}/authorization-uri"),
        &json!({"state": "xyz", "redirectUri": "http://localhost/cb"}),
    );
    let url = reply.json()["redirectTo"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("https://github.com/login/oauth/authorize?"),
        "{url}"
    );
    assert!(url.contains("client_id=gh-client"), "{url}");
    assert!(url.contains("state=xyz"), "{url}");
}

#[test]
fn authorization_uri_answers_501_for_session_based_connectors() {
    let app = TestApp::spawn();
    let oidc = app.create_oidc("acme");
    let reply = app.post_json(
        &format!(
            "/api/connectors/{}/authorization-uri",
            oidc["id"].as_str().unwrap()
        ),
        &json!({"state": "s", "redirectUri": "http://localhost/cb"}),
    );
    reply.assert_error(501, "connector.not_implemented");
    assert_eq!(
        reply.json()["message"],
        "{{method}}: has not been implemented yet."
    );
}

#[test]
fn authorization_uri_checks_its_input_like_logto() {
    let app = TestApp::spawn();
    let id = app.create_social()["id"].as_str().unwrap().to_owned();
    let path = format!("/api/connectors/{id}/authorization-uri");
    let reply = app.post_json(&path, &json!({"state": "s"}));
    reply.assert_error(400, "guard.invalid_input");
    assert_eq!(
        reply.json()["details"],
        "Error in key path \"redirectUri\": (invalid_type) Expected string but received undefined."
    );
    app.post_json(&path, &json!({"state": "", "redirectUri": "http://x"}))
        .assert_error(400, "session.insufficient_info");
    app.post_json(
        "/api/connectors/missing/authorization-uri",
        &json!({"state": "s", "redirectUri": "http://x"}),
    )
    .assert_error(404, "entity.not_found");
    let email = app.create_flexible_email(json!({}));
    app.post_json(
        &format!(
            "/api/connectors/{}/authorization-uri",
            email["id"].as_str().unwrap()
        ),
        &json!({"state": "s", "redirectUri": "http://x"}),
    )
    .assert_error(400, "connector.unexpected_type");
}

fn authorization_uri(app: &TestApp, id: &str, user_agent: Option<&str>) -> crate::helpers::Reply {
    let body = json!({"state": "st", "redirectUri": "https://app.example.com/cb"}).to_string();
    let headers: Vec<(&str, &str)> = user_agent
        .map(|agent| ("User-Agent", agent))
        .into_iter()
        .collect();
    app.send(
        "POST",
        &format!("/api/connectors/{id}/authorization-uri"),
        &headers,
        Some(("application/json", body.as_bytes())),
    )
}

#[test]
fn wecom_answers_the_in_app_url_to_a_wxwork_user_agent() {
    let app = TestApp::spawn();
    let connector = app.create(json!({
        "connectorId": "wecom-universal",
        "config": {"corpId": "ww1", "appSecret": "s", "agentId": "1000002"}
    }));
    let id = connector["id"].as_str().unwrap();
    let url = |agent| {
        let reply = authorization_uri(&app, id, agent);
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json()["redirectTo"].as_str().unwrap().to_owned()
    };
    let in_app = "https://open.weixin.qq.com/connect/oauth2/authorize?appid=ww1&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&response_type=code&scope=snsapi_userinfo&state=st&agentid=1000002#wechat_redirect";
    assert_eq!(
        url(Some(
            "Mozilla/5.0 (iPhone) wxwork/4.1.20 MicroMessenger/7.0.1"
        )),
        in_app
    );
    assert_eq!(
        url(Some("Mozilla/5.0 (Windows NT 10.0) WXWork/4.1.3")),
        in_app
    );
    let qr_code = in_app.replace(
        "https://open.weixin.qq.com/connect/oauth2/authorize",
        "https://open.work.weixin.qq.com/wwopen/sso/qrConnect",
    );
    assert_eq!(url(Some("Mozilla/5.0 MicroMessenger/8.0")), qr_code);
    assert_eq!(url(None), qr_code);
}

fn azuread(app: &TestApp, config: Value) -> String {
    let mut full = json!({
        "clientId": "cid", "clientSecret": "s",
        "cloudInstance": "https://login.microsoftonline.com", "tenantId": "common"
    });
    full.as_object_mut()
        .unwrap()
        .extend(config.as_object().unwrap().clone());
    let connector = app.create(json!({"connectorId": "azuread-universal", "config": full}));
    connector["id"].as_str().unwrap().to_owned()
}

#[test]
fn azuread_builds_msals_url_with_a_fresh_client_request_id() {
    let app = TestApp::spawn();
    let id = azuread(
        &app,
        json!({"cloudInstance": "https://login.microsoftonline.us/", "tenantId": "Organizations",
               "scopes": "Mail.Read openid", "prompts": ["login"]}),
    );
    let first = authorization_uri(&app, &id, None).json()["redirectTo"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = authorization_uri(&app, &id, None).json()["redirectTo"]
        .as_str()
        .unwrap()
        .to_owned();
    let request_id = |url: &str| {
        let start = url.find("client-request-id=").unwrap() + "client-request-id=".len();
        url[start..start + 36].to_owned()
    };
    let (a, b) = (request_id(&first), request_id(&second));
    assert_ne!(a, b, "a new UUID on every call");
    for id in [&a, &b] {
        assert!(
            connector_mock::factories::authorization::is_uuid_v4(id),
            "{id}"
        );
    }
    assert_eq!(
        first.replace(&a, "ID"),
        "https://login.microsoftonline.us/organizations/oauth2/v2.0/authorize?client_id=cid\
         &scope=User.Read%20Mail.Read%20openid%20profile%20offline_access\
         &redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&client-request-id=ID&response_mode=query\
         &response_type=code&x-client-SKU=msal.js.node&x-client-VER=2.16.3&x-client-OS=linux\
         &x-client-CPU=x64&client_info=1&prompt=login&state=st"
    );
}

#[test]
fn azuread_answers_like_logto_where_msal_throws() {
    // Several prompts: MSAL throws invalid_prompt_value; so does a non-https authority, and
    // `new URL()` on an authority that is no URL. Logto's error handler answers 500.
    for config in [
        json!({"prompts": ["login", "consent"]}),
        json!({"cloudInstance": "http://login.microsoftonline.com"}),
        json!({"cloudInstance": "login.microsoftonline.com"}),
    ] {
        // One Microsoft connector per tenant (target and platform are unique).
        let app = TestApp::spawn();
        let id = azuread(&app, config.clone());
        let reply = authorization_uri(&app, &id, None);
        assert_eq!(reply.status, 500, "{config}: {}", reply.text);
        assert_eq!(
            reply.text, r#"{"message":"Internal server error."}"#,
            "{config}"
        );
    }
}

#[test]
fn the_new_routes_answer_405_for_other_methods() {
    let app = TestApp::spawn();
    let reply = app.get("/api/connectors/x/test");
    assert_eq!(reply.status, 405);
    assert_eq!(reply.allow.as_deref(), Some("POST"));
    let reply = app.send("PUT", "/_mock/outbox", &[], None);
    assert_eq!(reply.allow.as_deref(), Some("HEAD, GET, DELETE"));
}
