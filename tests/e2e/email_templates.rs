//! Email templates over real TCP: stored durably, in backups, and used by the test endpoint.

use serde_json::{json, Value};
use std::process::Command;

use crate::harness::{Client, Sandbox, Server, JSON};

fn put_templates(client: &Client, templates: Value) -> Value {
    client
        .send(
            "PUT",
            "/api/email-templates",
            JSON,
            &json!({ "templates": templates }),
            &[],
        )
        .expect(200)
        .json()
        .clone()
}

#[test]
fn templates_survive_a_kill_9_and_come_back_from_a_backup() {
    let sandbox = Sandbox::new();
    let data = sandbox.data_dir();
    let server = Server::start_default(&data);
    let client = server.client();
    let stored = put_templates(
        &client,
        json!([
            {"languageTag": "de", "templateType": "Generic", "details": {"subject": "Code {{code}}", "content": "Dein Code: {{code}}"}},
            {"languageTag": "en", "templateType": "SignIn", "details": {"subject": "Sign in", "content": "{{code}}"}}
        ]),
    );
    let id = stored[0]["id"].as_str().unwrap().to_owned();
    client
        .patch(
            &format!("/api/email-templates/{id}/details"),
            &json!({"subject": "Ihr Code {{code}}"}),
        )
        .expect(200);
    server.kill_9();

    let server = Server::start_default(&data);
    let client = server.client();
    let list = client
        .get("/api/email-templates")
        .expect(200)
        .json()
        .clone();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["details"]["subject"], "Ihr Code {{code}}");

    // The test endpoint renders the stored German template for locale `de`.
    client
        .post(
            "/api/connectors/mock-email-service/test",
            &json!({
                "email": "ada@example.com",
                "locale": "de",
                "config": {"apiKey": "k", "fromEmail": "a@b.c", "templates": [
                    {"usageType": "Generic", "type": "text/plain", "subject": "s", "content": "c"}
                ]}
            }),
        )
        .expect(204);
    let outbox = client.get("/_mock/outbox").expect(200).json().clone();
    assert_eq!(outbox[0]["subject"], "Ihr Code 000000");
    assert_eq!(outbox[0]["emailTemplate"]["id"], id.as_str());

    let summary = client
        .request("POST", "/_mock/backup", &[], None)
        .expect(200)
        .json()
        .clone();
    let file = summary["file"].as_str().unwrap().to_owned();
    let backup: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(
        backup["tenants"]["default"]["emailTemplates"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(server.terminate().success());

    std::fs::write(data.join("db"), b"garbage").unwrap();
    let restore = Command::new(env!("CARGO_BIN_EXE_connector-mock"))
        .current_dir(sandbox.dir.path())
        .arg("--data")
        .arg(&data)
        .args(["restore", &file])
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        restore.status.success(),
        "{}",
        String::from_utf8_lossy(&restore.stderr)
    );
    let server = Server::start_default(&data);
    let after = client
        .rebase(&server)
        .get("/api/email-templates")
        .expect(200)
        .json()
        .clone();
    assert_eq!(after, list);
}
