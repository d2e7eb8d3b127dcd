use crate::helpers::{keys, TestApp};

#[test]
fn list_factories_returns_every_bundled_factory_in_logtos_key_order() {
    let app = TestApp::spawn();
    let reply = app.get("/api/connector-factories");
    assert_eq!(reply.status, 200);
    let factories = reply.json();
    assert_eq!(factories.as_array().unwrap().len(), 48);
    let count = |kind: &str| {
        factories
            .as_array()
            .unwrap()
            .iter()
            .filter(|factory| factory["type"] == kind)
            .count()
    };
    assert_eq!((count("Social"), count("Email"), count("Sms")), (30, 9, 9));
    let ids: Vec<&str> = factories
        .as_array()
        .unwrap()
        .iter()
        .map(|factory| factory["id"].as_str().unwrap())
        .collect();
    for expected in [
        "mock-email-service",
        "mock-email-service-alternative",
        "mock-short-message-service",
        "mock-social-connector",
        "github-universal",
        "oidc",
    ] {
        assert!(ids.contains(&expected), "{expected} missing from {ids:?}");
    }
    let social = factories
        .as_array()
        .unwrap()
        .iter()
        .find(|factory| factory["id"] == "mock-social-connector")
        .unwrap();
    assert_eq!(
        keys(social),
        [
            "type",
            "isDemo",
            "id",
            "target",
            "name",
            "description",
            "logo",
            "logoDark",
            "readme",
            "configTemplate",
            "platform",
            "isTokenStorageSupported"
        ]
    );
    assert_eq!(social["type"], "Social");
    assert_eq!(social["isDemo"], false);
    assert_eq!(social["logoDark"], serde_json::Value::Null);
    assert!(social["logo"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;base64,"));
    assert!(social["configTemplate"]
        .as_str()
        .unwrap()
        .contains("clientId"));
}

#[test]
fn get_factory_returns_one_factory() {
    let app = TestApp::spawn();
    let reply = app.get("/api/connector-factories/mock-email-service");
    assert_eq!(reply.status, 200);
    let factory = reply.json();
    assert_eq!(factory["type"], "Email");
    assert_eq!(factory["target"], "mock-mail");
    assert_eq!(factory["platform"], serde_json::Value::Null);
    assert_eq!(factory["name"]["en"], "Mock Mail Service");
}

#[test]
fn get_factory_returns_404_for_an_unknown_id() {
    let app = TestApp::spawn();
    let reply = app.get("/api/connector-factories/no-such-factory");
    reply.assert_error(404, "entity.not_found");
    assert_eq!(
        reply.text,
        r#"{"code":"entity.not_found","message":"The resource does not exist."}"#
    );
}

#[test]
fn get_factory_answers_304_when_if_none_match_names_its_etag() {
    let app = TestApp::spawn();
    let first = app.get("/api/connector-factories/oidc");
    let etag = first.etag.expect("an ETag");
    let again = app.send(
        "GET",
        "/api/connector-factories/oidc",
        &[("If-None-Match", &etag)],
        None,
    );
    assert_eq!(again.status, 304);
    assert!(again.text.is_empty());
    let other = app.send(
        "GET",
        "/api/connector-factories/oidc",
        &[("If-None-Match", "\"something-else\"")],
        None,
    );
    assert_eq!(other.status, 200);
}

#[test]
fn select_items_come_out_as_value_then_title_as_logtos_response_guard_orders_them() {
    let app = TestApp::spawn();
    let reply = app.get("/api/connector-factories");
    assert_eq!(reply.status, 200);
    let mut seen = 0;
    for factory in reply.json().as_array().unwrap() {
        for item in factory["formItems"].as_array().into_iter().flatten() {
            for choice in item["selectItems"].as_array().into_iter().flatten() {
                let keys = crate::helpers::keys(choice);
                // `title` is optional in Logto's select item guard; `value` always comes first.
                let expected: &[&str] = if keys.len() == 1 {
                    &["value"]
                } else {
                    &["value", "title"]
                };
                assert_eq!(keys, expected, "{} {}", factory["id"], item["key"]);
                seen += 1;
            }
        }
    }
    assert!(seen > 10, "only {seen} select items in the catalog");
    // The raw text too: serde_json keeps insertion order.
    let text = app.get("/api/connector-factories/alipay-web").text;
    assert!(text.contains(r#""selectItems":[{"value":"#), "{text}");
}
