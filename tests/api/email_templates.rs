//! `/api/email-templates` and the test endpoint's use of stored templates.

use serde_json::{json, Value};

use crate::helpers::{first_issue, keys, Reply, TestApp};

fn put(app: &TestApp, body: &Value) -> Reply {
    app.send(
        "PUT",
        "/api/email-templates",
        &[],
        Some(("application/json", body.to_string().as_bytes())),
    )
}

fn template(language_tag: &str, template_type: &str, subject: &str) -> Value {
    json!({
        "languageTag": language_tag,
        "templateType": template_type,
        "details": {"subject": subject, "content": format!("<p>{language_tag}: {{{{code}}}}</p>"), "contentType": "text/html"}
    })
}

fn mail_config() -> Value {
    json!({
        "apiKey": "key",
        "fromEmail": "noreply@example.com",
        "templates": [
            {"usageType": "Generic", "type": "text/plain", "subject": "Config {{code}}", "content": "Config template {{code}}"}
        ]
    })
}

/// Sends a test email with `locale` and returns the outbox message it recorded.
fn test_email(app: &TestApp, factory: &str, locale: Option<&str>) -> Value {
    let mut body = json!({"email": "ada@example.com", "config": mail_config()});
    if let Some(locale) = locale {
        body["locale"] = json!(locale);
    }
    let reply = app.post_json(&format!("/api/connectors/{factory}/test"), &body);
    assert_eq!(reply.status, 204, "{}", reply.text);
    let outbox = app.get("/_mock/outbox").json();
    outbox.as_array().unwrap().last().unwrap().clone()
}

#[test]
fn put_creates_templates_in_logtos_shape_and_upserts_by_language_and_type() {
    let app = TestApp::spawn();
    let reply = put(
        &app,
        &json!({"templates": [template("de", "SignIn", "Anmelden"), template("en", "Generic", "Code")]}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    let created = reply.json();
    assert_eq!(
        keys(&created[0]),
        [
            "tenantId",
            "id",
            "languageTag",
            "templateType",
            "details",
            "createdAt"
        ]
    );
    assert_eq!(created[0]["tenantId"], "default");
    let id = created[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 21);
    assert!(id
        .bytes()
        .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()));
    assert_eq!(
        created[0]["details"],
        json!({"subject": "Anmelden", "content": "<p>de: {{code}}</p>", "contentType": "text/html"})
    );
    // The same language and type again: same row, new details.
    let again = put(
        &app,
        &json!({"templates": [template("de", "SignIn", "Neu")]}),
    )
    .json();
    assert_eq!(again[0]["id"], id.as_str());
    assert_eq!(again[0]["createdAt"], created[0]["createdAt"]);
    assert_eq!(again[0]["details"]["subject"], "Neu");
    assert_eq!(
        app.get("/api/email-templates")
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Within one request a later entry updates an earlier one.
    let twice = put(
        &app,
        &json!({"templates": [template("fr", "SignIn", "Un"), template("fr", "SignIn", "Deux")]}),
    )
    .json();
    assert_eq!(twice[0]["id"], twice[1]["id"]);
    assert_eq!(twice[1]["details"]["subject"], "Deux");
    let stored = app.get(&format!(
        "/api/email-templates/{}",
        twice[0]["id"].as_str().unwrap()
    ));
    assert_eq!(stored.json()["details"]["subject"], "Deux");
}

#[test]
fn the_list_is_ordered_and_filtered_like_logtos() {
    let app = TestApp::spawn();
    let reply = put(
        &app,
        &json!({"templates": [
            template("fr", "SignIn", "a"),
            template("de", "Register", "b"),
            template("de", "Generic", "c"),
            template("en", "SignIn", "d"),
        ]}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    let pairs = |list: Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|t| {
                format!(
                    "{}/{}",
                    t["languageTag"].as_str().unwrap(),
                    t["templateType"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        pairs(app.get("/api/email-templates").json()),
        ["de/Generic", "de/Register", "en/SignIn", "fr/SignIn"]
    );
    assert_eq!(
        pairs(app.get("/api/email-templates?languageTag=de").json()),
        ["de/Generic", "de/Register"]
    );
    assert_eq!(
        pairs(app.get("/api/email-templates?templateType=SignIn").json()),
        ["en/SignIn", "fr/SignIn"]
    );
    assert_eq!(
        pairs(
            app.get("/api/email-templates?languageTag=de&templateType=Register")
                .json()
        ),
        ["de/Register"]
    );
    assert_eq!(
        app.get("/api/email-templates?languageTag=xx").json(),
        json!([])
    );
    let bad = app.get("/api/email-templates?templateType=Welcome");
    bad.assert_error(400, "guard.invalid_input");
    assert_eq!(first_issue(&bad)["code"], "invalid_enum_value");
    app.get("/api/email-templates?languageTag=")
        .assert_error(400, "guard.invalid_input");
    app.get("/api/email-templates?languageTag=a&languageTag=b")
        .assert_error(400, "guard.invalid_input");
}

#[test]
fn get_patch_and_delete_by_id_answer_logtos_not_found() {
    let app = TestApp::spawn();
    let created = put(
        &app,
        &json!({"templates": [template("en", "SignIn", "Sign in")]}),
    )
    .json();
    let id = created[0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/email-templates/{id}");
    assert_eq!(app.get(&path).json(), created[0]);

    let patched = app.patch_json(
        &format!("{path}/details"),
        &json!({"subject": "New", "replyTo": "r", "unknown": 1}),
    );
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(
        patched.json()["details"],
        json!({"subject": "New", "content": "<p>en: {{code}}</p>", "contentType": "text/html", "replyTo": "r"})
    );
    let bad = app.patch_json(
        &format!("{path}/details"),
        &json!({"contentType": "text/xml"}),
    );
    bad.assert_error(400, "guard.invalid_input");
    assert_eq!(first_issue(&bad)["code"], "invalid_union");
    assert_eq!(
        app.get(&path).json()["details"]["subject"],
        "New",
        "a refused patch changes nothing"
    );

    assert_eq!(app.delete(&path).status, 204);
    let missing = app.get(&path);
    missing.assert_error(404, "entity.not_exists_with_id");
    assert_eq!(
        missing.json()["message"],
        format!("The email_templates with ID `{id}` does not exist.")
    );
    app.delete(&path)
        .assert_error(404, "entity.not_exists_with_id");
    app.patch_json(&format!("{path}/details"), &json!({"subject": "x"}))
        .assert_error(404, "entity.not_exists_with_id");
}

#[test]
fn bulk_deletion_needs_a_filter_and_counts_rows() {
    let app = TestApp::spawn();
    put(
        &app,
        &json!({"templates": [template("de", "SignIn", "a"), template("de", "Generic", "b"), template("en", "SignIn", "c")]}),
    );
    let refused = app.delete("/api/email-templates");
    refused.assert_error(422, "connector.email_connector.bulk_deletion_no_filter");
    assert_eq!(
        refused.json()["message"],
        "At least one filter condition must be provided to perform bulk deletion by properties. Supported properties are: languageTag and templateType."
    );
    let german = app.send(
        "DELETE",
        "/api/email-templates",
        &[("Accept-Language", "de")],
        None,
    );
    german.assert_error(422, "connector.email_connector.bulk_deletion_no_filter");
    assert!(
        german.json()["message"]
            .as_str()
            .unwrap()
            .ends_with("Unterstützte Eigenschaften sind: languageTag und templateType."),
        "{}",
        german.text
    );
    let missing = app.get("/api/email-templates/nope?locale=fr");
    assert_eq!(
        missing.json()["message"],
        "Le email_templates avec l'ID `nope` n'existe pas."
    );
    let deleted = app.delete("/api/email-templates?templateType=SignIn");
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(deleted.json(), json!({"rowCount": 2}));
    assert_eq!(
        app.delete("/api/email-templates?languageTag=fr").json(),
        json!({"rowCount": 0})
    );
    let left = app.get("/api/email-templates").json();
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["languageTag"], "de");
}

#[test]
fn bad_put_bodies_are_logtos_guard_errors_and_store_nothing() {
    let app = TestApp::spawn();
    for (body, code, path) in [
        (json!({}), "invalid_type", json!(["templates"])),
        (json!({"templates": []}), "too_small", json!(["templates"])),
        (
            json!({"templates": [{"languageTag": "", "templateType": "SignIn", "details": {"subject": "s", "content": "c"}}]}),
            "too_small",
            json!(["templates", 0, "languageTag"]),
        ),
        (
            json!({"templates": [{"languageTag": "en", "templateType": 3, "details": {"subject": "s", "content": "c"}}]}),
            "invalid_type",
            json!(["templates", 0, "templateType"]),
        ),
        (
            json!({"templates": [{"languageTag": "en", "templateType": "SignIn"}]}),
            "invalid_type",
            json!(["templates", 0, "details"]),
        ),
        (
            json!({"templates": [template("en", "SignIn", "ok"), {"languageTag": "en", "templateType": "SignIn", "details": {"subject": "s"}}]}),
            "invalid_type",
            json!(["templates", 1, "details", "content"]),
        ),
    ] {
        let reply = put(&app, &body);
        reply.assert_error(400, "guard.invalid_input");
        let issue = first_issue(&reply);
        assert_eq!(
            (issue["code"].clone(), issue["path"].clone()),
            (json!(code), path),
            "{body}"
        );
    }
    assert_eq!(
        app.get("/api/email-templates").json(),
        json!([]),
        "nothing half-written"
    );
}

#[test]
fn a_tenant_keeps_at_most_the_documented_number_of_templates() {
    let app = TestApp::spawn();
    let reply = put(&app, &json!({ "templates": many_templates(1001) }));
    reply.assert_error(400, "mock.limit_exceeded");
    assert_eq!(app.get("/api/email-templates").json(), json!([]));
    assert_eq!(
        put(&app, &json!({ "templates": many_templates(1000) })).status,
        200
    );
    // Updating an existing one is still fine at the limit.
    assert_eq!(
        put(
            &app,
            &json!({"templates": [template("x-0", "SignIn", "again")]})
        )
        .status,
        200
    );
    put(
        &app,
        &json!({"templates": [template("new", "SignIn", "s")]}),
    )
    .assert_error(400, "mock.limit_exceeded");
}

fn many_templates(count: usize) -> Vec<Value> {
    (0..count)
        .map(|n| template(&format!("x-{n}"), "SignIn", "s"))
        .collect()
}

#[test]
fn the_test_endpoint_uses_the_locales_template_then_english_then_the_config() {
    let app = TestApp::spawn();
    // Nothing stored: the config's Generic template.
    let message = test_email(&app, "mock-email-service", Some("de"));
    assert_eq!(message["subject"], "Config 000000");
    assert!(message.get("emailTemplate").is_none());

    let stored = put(
        &app,
        &json!({"templates": [template("de", "Generic", "Dein Code {{code}}"), template("en", "Generic", "Your code {{code}}")]}),
    )
    .json();
    // The request's locale wins.
    let message = test_email(&app, "mock-email-service", Some("de"));
    assert_eq!(message["subject"], "Dein Code 000000");
    assert_eq!(message["content"], "<p>de: 000000</p>");
    assert_eq!(message["template"], stored[0]["details"]);
    assert_eq!(
        message["emailTemplate"],
        json!({"id": stored[0]["id"], "languageTag": "de", "templateType": "Generic"})
    );
    // A locale without a template, or none at all: the fallback language (en).
    for locale in [Some("fr"), None, Some("DE")] {
        let message = test_email(&app, "mock-email-service", locale);
        assert_eq!(message["subject"], "Your code 000000", "locale {locale:?}");
        assert_eq!(message["emailTemplate"]["languageTag"], "en");
    }
    // Real packages that look templates up do too; the alternative mock does not.
    let message = test_email(&app, "mock-email-service-alternative", Some("de"));
    assert_eq!(message["subject"], "Config 000000");
    // Without the English one, an unknown locale falls back to the config.
    app.delete("/api/email-templates?languageTag=en");
    let message = test_email(&app, "mock-email-service", Some("fr"));
    assert_eq!(message["subject"], "Config 000000");
    let message = test_email(&app, "mock-email-service", Some("de"));
    assert_eq!(message["subject"], "Dein Code 000000");
}

#[test]
fn templates_belong_to_their_tenant_and_a_reset_removes_them() {
    let app = TestApp::spawn();
    put(
        &app,
        &json!({"templates": [template("en", "Generic", "default's")]}),
    );
    let other = app.get("/t/other/api/email-templates");
    assert_eq!(other.json(), json!([]), "{}", other.text);
    let request_body = json!({"templates": [template("en", "Generic", "other's")]});
    let reply = app.send(
        "PUT",
        "/t/other/api/email-templates",
        &[],
        Some(("application/json", request_body.to_string().as_bytes())),
    );
    assert_eq!(reply.json()[0]["tenantId"], "other");
    assert_eq!(
        app.get("/api/email-templates").json()[0]["details"]["subject"],
        "default's"
    );
    assert_eq!(app.post_json("/_mock/reset", &json!({})).status, 204);
    assert_eq!(app.get("/api/email-templates").json(), json!([]));
    assert_eq!(
        app.get("/t/other/api/email-templates")
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
