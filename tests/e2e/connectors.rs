//! The connector API end to end: CRUD, persistence across restarts, PATCH
//! semantics (merge patch, JSON Patch, replace mode), concurrency and If-Match.

use serde_json::{json, Value};
use std::sync::{Arc, Barrier};

use crate::harness::{
    connector_path, id_of, Client, Extra, Sandbox, Server, JSON, JSON_PATCH, MERGE_PATCH,
};

const FACTORY_IDS: [&str; 10] = [
    "mock-social-connector",
    "mock-email-service-alternative",
    "mock-email-service",
    "mock-short-message-service",
    "oidc",
    "github-universal",
    "google-universal",
    "oauth2",
    "simple-mail-transfer-protocol",
    "twilio-short-message-service",
];

fn social_body(client_id: &str, secret: &str) -> Value {
    json!({
        "connectorId": "mock-social-connector",
        "config": {"clientId": client_id, "clientSecret": secret}
    })
}

fn email_alt_body(config: Value) -> Value {
    json!({"connectorId": "mock-email-service-alternative", "config": config})
}

fn oidc_config() -> Value {
    json!({
        "authorizationEndpoint": "https://id.example.com/oauth2/authorize",
        "tokenEndpoint": "https://id.example.com/oauth2/token",
        "clientId": "logto-oidc-client",
        "clientSecret": "b7f1c0d2e3a4958671f0e2d3c4b5a697",
        "tokenEndpointAuthMethod": "client_secret_post",
        "scope": "openid profile email",
        "idTokenVerificationConfig": {
            "jwksUri": "https://id.example.com/oauth2/jwks",
            "issuer": "https://id.example.com",
            "algorithms": ["RS256"]
        },
        "authRequestOptionalConfig": {"prompt": "login"}
    })
}

fn oidc_body(target: &str) -> Value {
    json!({"connectorId": "oidc", "config": oidc_config(), "metadata": {"target": target}})
}

fn template(usage: &str) -> Value {
    json!({"usageType": usage, "type": "text/plain", "subject": usage, "content": "code {{code}}"})
}

fn ids_in(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("expected an array, got {list}"))
        .iter()
        .map(id_of)
        .collect()
}

#[test]
fn the_full_connector_lifecycle_works_over_tcp() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();

    let status = client.get("/api/status").expect(204);
    assert!(status.text.is_empty(), "204 with a body: {:?}", status.text);

    let factories = client.get("/api/connector-factories").expect(200);
    let factory_ids = ids_in(factories.json());
    for id in FACTORY_IDS {
        assert!(
            factory_ids.contains(&id.to_owned()),
            "factory {id} missing from {factory_ids:?}"
        );
    }
    let oidc = client.get("/api/connector-factories/oidc").expect(200);
    assert_eq!(id_of(oidc.json()), "oidc");
    client
        .get("/api/connector-factories/no-such-factory")
        .expect_error(404, "entity.not_found");

    let created = client.create(&social_body("cid", "secret"));
    let id = id_of(&created);
    assert_eq!(id.len(), 12, "id {id:?}");
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()),
        "id {id:?} is not [0-9a-z]"
    );
    assert_eq!(created["connectorId"], "mock-social-connector");
    assert_eq!(created["type"], "Social");
    assert_eq!(
        created["config"],
        json!({"clientId": "cid", "clientSecret": "secret"})
    );

    assert_eq!(client.connector(&id), created);
    let list = client.get("/api/connectors").expect(200);
    assert_eq!(ids_in(list.json()), vec![id.clone()]);
    let by_target = client.get("/api/connectors?target=mock-social").expect(200);
    assert_eq!(ids_in(by_target.json()), vec![id.clone()]);
    let other_target = client.get("/api/connectors?target=oidc").expect(200);
    assert!(ids_in(other_target.json()).is_empty());

    // Only one instance of this (non-standard) social factory.
    client
        .post("/api/connectors", &social_body("x", "y"))
        .expect_error(422, "connector.multiple_instances_not_supported");

    let patched = client
        .patch(
            &connector_path(&id),
            &json!({"config": {"clientSecret": "rotated"}}),
        )
        .expect(200);
    let expected = json!({"clientId": "cid", "clientSecret": "rotated"});
    assert_eq!(patched.json()["config"], expected);
    assert_eq!(client.config(&id), expected);

    let deleted = client.delete(&connector_path(&id)).expect(204);
    assert!(deleted.text.is_empty());
    client
        .get(&connector_path(&id))
        .expect_error(404, "entity.not_found");
    client
        .delete(&connector_path(&id))
        .expect_error(404, "entity.not_found");
    let list = client.get("/api/connectors").expect(200);
    assert!(ids_in(list.json()).is_empty());
}

#[test]
fn data_survives_a_kill_9_and_restart_of_the_binary() {
    let sandbox = Sandbox::new();
    let data = sandbox.data_dir();

    let server = Server::start_default(&data);
    let client = server.client();
    let social = client.create(&social_body("cid", "secret"));
    let social_id = id_of(&social);
    let email = client.create(&email_alt_body(json!({"apiKey": "k"})));
    let email_id = id_of(&email);
    client.delete(&connector_path(&email_id)).expect(204);
    server.kill_9();

    let server = Server::start_default(&data);
    let client = server.client();
    assert_eq!(client.connector(&social_id), social);
    client
        .get(&connector_path(&email_id))
        .expect_error(404, "entity.not_found");
    let patched = client
        .patch(
            &connector_path(&social_id),
            &json!({"config": {"clientSecret": "after-restart"}}),
        )
        .expect(200)
        .json()
        .clone();
    server.kill_9();

    let server = Server::start_default(&data);
    let client = server.client();
    let after = client.connector(&social_id);
    assert_eq!(after, patched);
    assert_eq!(
        after["config"],
        json!({"clientId": "cid", "clientSecret": "after-restart"})
    );
    let list = client.get("/api/connectors").expect(200);
    assert_eq!(ids_in(list.json()), vec![social_id]);
}

#[test]
fn merge_patch_merges_nested_objects_and_null_deletes_keys() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let id = id_of(&client.create(&oidc_body("e2e-oidc")));

    let patch = json!({"config": {
        "authRequestOptionalConfig": {"display": "popup"},
        "idTokenVerificationConfig": {"issuer": null},
        "tokenEndpointAuthMethod": null
    }});
    let reply = client.patch(&connector_path(&id), &patch).expect(200);

    let mut expected = oidc_config();
    expected["authRequestOptionalConfig"] = json!({"prompt": "login", "display": "popup"});
    expected["idTokenVerificationConfig"] = json!({
        "jwksUri": "https://id.example.com/oauth2/jwks",
        "algorithms": ["RS256"]
    });
    expected
        .as_object_mut()
        .unwrap()
        .remove("tokenEndpointAuthMethod");
    assert_eq!(reply.json()["config"], expected);
    assert_eq!(client.config(&id), expected);
}

#[test]
fn merge_patch_replaces_arrays_and_config_null_resets_to_empty() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let id = id_of(&client.create(&email_alt_body(json!({
        "apiKey": "k",
        "fromEmail": "a@example.com",
        "fromName": "A",
        "templates": [template("SignIn"), template("Register")]
    }))));
    let path = connector_path(&id);

    client
        .patch(
            &path,
            &json!({"config": {"templates": [template("Generic")]}}),
        )
        .expect(200);
    assert_eq!(
        client.config(&id),
        json!({
            "apiKey": "k",
            "fromEmail": "a@example.com",
            "fromName": "A",
            "templates": [template("Generic")]
        })
    );

    // null deletes; an empty string is cleaned away like Logto's cleanDeep.
    client
        .patch(
            &path,
            &json!({"config": {"fromName": null, "fromEmail": ""}}),
        )
        .expect(200);
    assert_eq!(
        client.config(&id),
        json!({"apiKey": "k", "templates": [template("Generic")]})
    );

    let reply = client.patch(&path, &json!({"config": null})).expect(200);
    assert_eq!(reply.json()["config"], json!({}));
    assert_eq!(client.config(&id), json!({}));
}

#[test]
fn merge_patch_with_an_empty_config_changes_nothing() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    // mock-social requires both keys, so `{}` as a replacement would be invalid.
    let id = id_of(&client.create(&social_body("cid", "secret")));
    let before = client.get(&connector_path(&id)).expect(200);

    let reply = client
        .patch(&connector_path(&id), &json!({"config": {}}))
        .expect(200);
    assert_eq!(reply.json(), before.json());

    let after = client.get(&connector_path(&id)).expect(200);
    assert_eq!(after.json(), before.json());
    assert_eq!(after.header("ETag"), before.header("ETag"));
}

#[test]
fn a_merge_patch_giving_an_invalid_config_is_rejected_and_changes_nothing() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let id = id_of(&client.create(&oidc_body("e2e-oidc")));
    let path = connector_path(&id);
    let before = client.connector(&id);

    for patch in [
        // A required top-level key removed, alongside a valid change.
        json!({"config": {"clientSecret": null, "scope": "openid"}}),
        // A required nested key removed.
        json!({"config": {"idTokenVerificationConfig": {"jwksUri": null}}}),
        // A wrong type.
        json!({"config": {"trustUnverifiedEmail": "yes"}}),
        // A value outside an enum.
        json!({"config": {"tokenEndpointAuthMethod": "none"}}),
    ] {
        for content_type in [JSON, MERGE_PATCH] {
            client
                .send("PATCH", &path, content_type, &patch, &[])
                .expect_error(400, "connector.invalid_config");
            assert_eq!(
                client.connector(&id),
                before,
                "after {content_type} {patch}"
            );
        }
    }
}

#[test]
fn merge_patch_json_content_type_behaves_like_application_json() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let plain = id_of(&client.create(&oidc_body("e2e-plain")));
    let merge = id_of(&client.create(&oidc_body("e2e-merge")));

    let patches = [
        json!({"config": {"authRequestOptionalConfig": {"display": "page", "prompt": null}}}),
        json!({"config": {"idTokenVerificationConfig": {"algorithms": ["ES256", "PS256"]}}}),
        json!({"config": {"customConfig": {"x": "1"}, "scope": "openid"}}),
        json!({"config": {}}),
    ];
    for patch in &patches {
        let a = client
            .send("PATCH", &connector_path(&plain), JSON, patch, &[])
            .expect(200);
        let b = client
            .send("PATCH", &connector_path(&merge), MERGE_PATCH, patch, &[])
            .expect(200);
        assert_eq!(a.json()["config"], b.json()["config"], "after {patch}");
    }
    let mut expected = oidc_config();
    expected["authRequestOptionalConfig"] = json!({"display": "page"});
    expected["idTokenVerificationConfig"]["algorithms"] = json!(["ES256", "PS256"]);
    expected["customConfig"] = json!({"x": "1"});
    expected["scope"] = json!("openid");
    assert_eq!(client.config(&plain), expected);
    assert_eq!(client.config(&merge), expected);
}

#[test]
fn json_patch_operations_apply_all_or_nothing() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let id = id_of(&client.create(&email_alt_body(
        json!({"apiKey": "k1", "fromEmail": "a@example.com"}),
    )));
    let path = connector_path(&id);
    let json_patch = |ops: Value| client.send("PATCH", &path, JSON_PATCH, &ops, &[]);

    let reply = json_patch(json!([
        {"op": "add", "path": "/config/fromName", "value": "N"},
        {"op": "replace", "path": "/config/apiKey", "value": "k2"},
        {"op": "remove", "path": "/config/fromEmail"},
        {"op": "add", "path": "/config/templates", "value": [template("SignIn")]},
        {"op": "add", "path": "/config/templates/-", "value": template("Register")}
    ]))
    .expect(200);
    let expected = json!({
        "apiKey": "k2",
        "fromName": "N",
        "templates": [template("SignIn"), template("Register")]
    });
    assert_eq!(reply.json()["config"], expected);
    assert_eq!(client.config(&id), expected);

    // A valid operation before a failing `test` must not be applied.
    json_patch(json!([
        {"op": "replace", "path": "/config/apiKey", "value": "k3"},
        {"op": "test", "path": "/config/apiKey", "value": "not-the-value"}
    ]))
    .expect_error(422, "mock.json_patch_test_failed");
    assert_eq!(client.config(&id), expected);

    // A path that does not resolve: 400, and the earlier valid op is not applied.
    json_patch(json!([
        {"op": "add", "path": "/config/fromEmail", "value": "b@example.com"},
        {"op": "remove", "path": "/config/noSuchKey"}
    ]))
    .expect_error(400, "mock.invalid_json_patch");
    json_patch(json!([{"op": "replace", "path": "/nowhere/deep", "value": 1}]))
        .expect_error(400, "mock.invalid_json_patch");
    // Not an array of operations at all.
    json_patch(json!({"op": "add", "path": "/config/x", "value": 1}))
        .expect_error(400, "mock.invalid_json_patch");
    assert_eq!(client.config(&id), expected);

    // A passing `test` lets the rest apply.
    json_patch(json!([
        {"op": "test", "path": "/config/apiKey", "value": "k2"},
        {"op": "replace", "path": "/config/apiKey", "value": "k4"}
    ]))
    .expect(200);
    assert_eq!(client.config(&id)["apiKey"], "k4");

    // The patched config is validated like any other.
    let social = id_of(&client.create(&social_body("cid", "secret")));
    client
        .send(
            "PATCH",
            &connector_path(&social),
            JSON_PATCH,
            &json!([{"op": "remove", "path": "/config/clientId"}]),
            &[],
        )
        .expect_error(400, "connector.invalid_config");
    assert_eq!(
        client.config(&social),
        json!({"clientId": "cid", "clientSecret": "secret"})
    );
}

fn check_replace_mode(client: &Client) {
    let email = id_of(&client.create(&email_alt_body(
        json!({"apiKey": "k", "fromEmail": "a@example.com"}),
    )));
    let reply = client
        .patch(
            &connector_path(&email),
            &json!({"config": {"fromName": "N"}}),
        )
        .expect(200);
    assert_eq!(reply.json()["config"], json!({"fromName": "N"}));
    assert_eq!(client.config(&email), json!({"fromName": "N"}));

    let social = id_of(&client.create(&social_body("cid", "secret")));
    client
        .patch(
            &connector_path(&social),
            &json!({"config": {"clientSecret": "only-this"}}),
        )
        .expect_error(400, "connector.invalid_config");
    assert_eq!(
        client.config(&social),
        json!({"clientId": "cid", "clientSecret": "secret"})
    );
    client
        .patch(
            &connector_path(&social),
            &json!({"config": {"clientId": "c2", "clientSecret": "s2"}}),
        )
        .expect(200);
    assert_eq!(
        client.config(&social),
        json!({"clientId": "c2", "clientSecret": "s2"})
    );
}

#[test]
fn replace_mode_from_the_environment_replaces_config_wholesale() {
    let sandbox = Sandbox::new();
    let server = Server::start(
        &sandbox.data_dir(),
        Extra {
            env: &[("CONNECTOR_MOCK_PATCH_CONFIG", "replace")],
            ..Extra::default()
        },
    );
    check_replace_mode(&server.client());
}

#[test]
fn replace_mode_from_a_config_file_replaces_config_wholesale() {
    let sandbox = Sandbox::new();
    let file = sandbox.dir.path().join("replace.toml");
    std::fs::write(&file, "[patch]\nconfig = \"replace\"\n").unwrap();
    let file = file.to_str().unwrap().to_owned();
    let server = Server::start(
        &sandbox.data_dir(),
        Extra {
            args: &["--config", &file],
            ..Extra::default()
        },
    );
    check_replace_mode(&server.client());
}

#[test]
fn merge_patch_json_content_type_still_merges_in_replace_mode() {
    let sandbox = Sandbox::new();
    let server = Server::start(
        &sandbox.data_dir(),
        Extra {
            env: &[("CONNECTOR_MOCK_PATCH_CONFIG", "replace")],
            ..Extra::default()
        },
    );
    let client = server.client();
    let id = id_of(&client.create(&social_body("cid", "secret")));
    let reply = client.send(
        "PATCH",
        &connector_path(&id),
        MERGE_PATCH,
        &json!({"config": {"clientSecret": "merged"}}),
        &[],
    );
    assert_eq!(reply.status, 200, "body: {}", reply.text);
    assert_eq!(
        client.config(&id),
        json!({"clientId": "cid", "clientSecret": "merged"})
    );
}

#[test]
fn twenty_concurrent_patches_to_one_connector_are_all_kept() {
    const WRITERS: usize = 20;
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let id = id_of(&client.create(&email_alt_body(json!({}))));
    let path = connector_path(&id);

    let barrier = Arc::new(Barrier::new(WRITERS));
    let threads: Vec<_> = (0..WRITERS)
        .map(|n| {
            let barrier = barrier.clone();
            let base = server.base.clone();
            let path = path.clone();
            std::thread::spawn(move || {
                let own = Client::new(&base);
                let mut config = serde_json::Map::new();
                config.insert(format!("k{n}"), Value::from(format!("v{n}")));
                let body = json!({"config": config});
                barrier.wait();
                let reply = own.patch(&path, &body);
                (reply.status, reply.text)
            })
        })
        .collect();
    for (n, thread) in threads.into_iter().enumerate() {
        let (status, text) = thread.join().expect("writer thread panicked");
        assert_eq!(status, 200, "writer {n}: {text}");
    }

    let config = client.config(&id);
    let keys = config.as_object().expect("config is an object");
    assert_eq!(keys.len(), WRITERS, "config: {config}");
    for n in 0..WRITERS {
        assert_eq!(
            config[format!("k{n}")],
            json!(format!("v{n}")),
            "config: {config}"
        );
    }
}

#[test]
fn if_match_guards_patches_against_lost_updates() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let id = id_of(&client.create(&social_body("cid", "secret")));
    let path = connector_path(&id);

    let first = client.get(&path).expect(200);
    let old = first.header("ETag").expect("GET has an ETag").to_owned();
    let fresh = client.request("GET", &path, &[("If-None-Match", &old)], None);
    assert_eq!(fresh.status, 304, "body: {}", fresh.text);

    let patched = client
        .send(
            "PATCH",
            &path,
            JSON,
            &json!({"config": {"clientSecret": "s2"}}),
            &[("If-Match", &old)],
        )
        .expect(200);
    let new = patched
        .header("ETag")
        .expect("PATCH has an ETag")
        .to_owned();
    assert_ne!(new, old);
    assert_eq!(
        client.get(&path).expect(200).header("ETag"),
        Some(new.as_str())
    );

    client
        .send(
            "PATCH",
            &path,
            JSON,
            &json!({"config": {"clientSecret": "s3"}}),
            &[("If-Match", &old)],
        )
        .expect_error(412, "mock.precondition_failed");
    assert_eq!(client.config(&id)["clientSecret"], "s2");

    client
        .send(
            "PATCH",
            &path,
            JSON,
            &json!({"config": {"clientSecret": "s4"}}),
            &[("If-Match", "*")],
        )
        .expect(200);
    assert_eq!(client.config(&id)["clientSecret"], "s4");
}
