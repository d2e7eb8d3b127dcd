//! The test-harness features against the real binary: tenants, seed and
//! reset, the request journal, fault injection, reproducible ids and state
//! export/import.

use serde_json::{json, Value};
use std::path::Path;

use crate::harness::{id_of, Client, Extra, Sandbox, Server, JSON};

/// A GitHub connector body with a fixed id.
fn github(id: &str) -> Value {
    json!({"id": id, "connectorId": "github-universal",
           "config": {"clientId": "seeded-id", "clientSecret": "seeded-secret"}})
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a test file");
    path.display().to_string()
}

/// Starts a server whose working directory holds `config` as `config.toml`.
fn start_with_config(sandbox: &Sandbox, config: &str) -> Server {
    write(sandbox.dir.path(), "config.toml", config);
    Server::start_default(&sandbox.data_dir())
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array().expect("a list").iter().map(id_of).collect()
}

fn send_test_email(client: &Client, to: &str) {
    client
        .post(
            "/api/connectors/mock-email-service-alternative/test",
            &json!({"email": to, "config": {}}),
        )
        .expect(204);
}

#[test]
fn tenants_by_host_and_by_prefix_never_see_each_other() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let by_default = server.client();
    let by_prefix = Client::for_tenant_prefix(&server.base, "acme");
    let by_host = Client::for_tenant_host(&server.base, "beta");
    let clients = [
        ("default", &by_default),
        ("acme", &by_prefix),
        ("beta", &by_host),
    ];
    for (tenant, client) in clients {
        assert!(client.authorization().is_some(), "{tenant} got a token");
        client.create(&github(&format!("gh-{tenant}")));
        send_test_email(client, &format!("{tenant}@example.com"));
        client
            .send(
                "PUT",
                "/_mock/faults",
                JSON,
                &json!([{"path": format!("/api/only-{tenant}"), "status": 418}]),
                &[],
            )
            .expect(200);
    }
    for (tenant, client) in clients {
        let connectors = client.get("/api/connectors").expect(200);
        assert_eq!(ids(connectors.json()), [format!("gh-{tenant}")], "{tenant}");
        let outbox = client.get("/_mock/outbox").expect(200);
        let recipients: Vec<&str> = outbox
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|message| message["to"].as_str().unwrap())
            .collect();
        assert_eq!(recipients, [format!("{tenant}@example.com")], "{tenant}");
        let faults = client.get("/_mock/faults").expect(200);
        assert_eq!(faults.json()[0]["path"], format!("/api/only-{tenant}"));
        assert_eq!(faults.json().as_array().unwrap().len(), 1);
        let journal = client
            .get("/_mock/requests?method=POST&path=/api/connectors")
            .expect(200);
        let bodies: Vec<&Value> = journal
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| &entry["body"]["id"])
            .filter(|id| !id.is_null())
            .collect();
        assert_eq!(
            bodies,
            [&json!(format!("gh-{tenant}"))],
            "{tenant}'s journal"
        );
    }
    // The same tenant by host and by prefix is one tenant.
    let acme_by_host = Client::for_tenant_host(&server.base, "acme");
    assert_eq!(
        ids(acme_by_host.get("/api/connectors").expect(200).json()),
        ["gh-acme"]
    );
    // A token is refused by every other tenant, with Logto's audience error.
    let acme_token = by_prefix.authorization().unwrap().to_owned();
    for other in [
        by_default.with_authorization(&acme_token),
        by_host.with_authorization(&acme_token),
    ] {
        let refused = other
            .get("/api/connectors")
            .expect_error(401, "auth.unauthorized");
        assert_eq!(refused.json()["data"]["claim"], "aud");
        other
            .get("/_mock/requests")
            .expect_error(401, "auth.unauthorized");
    }
    let tenants = by_default.get("/_mock/tenants").expect(200);
    let names: Vec<&str> = tenants
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|tenant| tenant["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["acme", "beta", "default"]);
    assert_eq!(tenants.json()[0]["connectors"], 1);
}

#[test]
fn bad_tenant_names_and_conflicting_selections_are_clear_400s() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    for path in [
        "/t/ACME/api/connectors",
        "/t/a_b/api/status",
        &format!("/t/{}/api/status", "a".repeat(64)),
    ] {
        client.get(path).expect_error(400, "mock.invalid_tenant");
    }
    let reply = Client::for_tenant_host(&server.base, "acme")
        .get("/t/beta/api/status")
        .expect_error(400, "mock.invalid_tenant");
    assert!(reply.json()["message"].as_str().unwrap().contains("beta"));
    client
        .delete("/_mock/tenants/nope")
        .expect_error(404, "mock.tenant_not_found");
    client
        .delete("/_mock/tenants/NOPE")
        .expect_error(400, "mock.invalid_tenant");
}

#[test]
fn tenants_are_dropped_with_their_data_and_bounded_in_number() {
    let sandbox = Sandbox::new();
    let server = start_with_config(&sandbox, "[tenants]\nmax = 3\n");
    let client = server.client();
    let acme = Client::for_tenant_prefix(&server.base, "acme");
    acme.create(&github("gh"));
    Client::for_tenant_prefix(&server.base, "beta")
        .get("/api/status")
        .expect(204);
    let refused = client
        .get("/t/gamma/api/status")
        .expect_error(400, "mock.limit_exceeded");
    assert_eq!(refused.json()["data"]["limit"], "tenants.max");
    client.delete("/_mock/tenants/acme").expect(204);
    client.get("/t/gamma/api/status").expect(204);
    // acme comes back empty on its next use (gamma took its place, so drop beta first).
    client.delete("/_mock/tenants/beta").expect(204);
    let acme = Client::for_tenant_prefix(&server.base, "acme");
    assert_eq!(acme.get("/api/connectors").expect(200).json(), &json!([]));
    // Dropped data stays dropped across a restart.
    drop(acme);
    assert!(server.terminate().success());
    let server = Server::start_default(&sandbox.data_dir());
    let acme = Client::for_tenant_prefix(&server.base, "acme");
    assert_eq!(acme.get("/api/connectors").expect(200).json(), &json!([]));
}

#[test]
fn reset_restores_the_seed_exactly_and_atomically_under_concurrent_readers() {
    let sandbox = Sandbox::new();
    let seed = json!({
        "*": [github("gh"), {"connectorId": "mock-email-service-alternative", "config": {}, "id": "mail"}],
        "empty": [],
    });
    let seed_file = write(sandbox.dir.path(), "seed.json", &seed.to_string());
    let env = [("CONNECTOR_MOCK_SEED_FILE", seed_file.as_str())];
    let server = Server::start(
        &sandbox.data_dir(),
        Extra {
            args: &[],
            env: &env,
        },
    );
    let client = server.client();
    let seeded = client.get("/_mock/state").expect(200).text;
    assert_eq!(
        ids(client.get("/api/connectors").expect(200).json()),
        ["gh", "mail"]
    );
    let empty = Client::for_tenant_prefix(&server.base, "empty");
    assert_eq!(empty.get("/api/connectors").expect(200).json(), &json!([]));

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let client = client.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut seen = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let list = client.get("/api/connectors").expect(200);
                    let list = list.json().as_array().unwrap().clone();
                    let gh = list
                        .iter()
                        .find(|c| c["id"] == "gh")
                        .expect("gh is always there");
                    let extra = list.iter().any(|c| c["id"] == "extra");
                    // "extra" is created after gh's change; a reset undoes both at once.
                    if extra {
                        assert_eq!(
                            gh["config"]["clientId"], "changed",
                            "a half-reset state was visible"
                        );
                    }
                    seen += 1;
                }
                seen
            })
        })
        .collect();
    for _ in 0..15 {
        client
            .patch(
                "/api/connectors/gh",
                &json!({"config": {"clientId": "changed"}}),
            )
            .expect(200);
        client.create(&json!({"id": "extra", "connectorId": "google-universal",
            "config": {"clientId": "x", "clientSecret": "y"}}));
        send_test_email(&client, "a@example.com");
        client
            .send(
                "PUT",
                "/_mock/faults",
                JSON,
                &json!([{"path": "/api/nothing", "status": 500}]),
                &[],
            )
            .expect(200);
        client.post("/_mock/reset", &json!({})).expect(204);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for reader in readers {
        assert!(reader.join().expect("no reader saw a half reset") > 0);
    }
    // The readers' requests after the last reset are in the journal: reset once more.
    client.post("/_mock/reset", &json!({})).expect(204);
    assert_eq!(client.get("/_mock/requests").expect(200).json(), &json!([]));
    assert_eq!(
        client.get("/_mock/state").expect(200).text,
        seeded,
        "exactly the seed"
    );
    assert_eq!(client.get("/_mock/outbox").expect(200).json(), &json!([]));
    assert_eq!(client.get("/_mock/faults").expect(200).json(), &json!([]));
    // The seed is stored: a restart does not seed again, and keeps changes.
    client.delete("/api/connectors/mail").expect(204);
    drop(client);
    assert!(server.terminate().success());
    let server = Server::start(
        &sandbox.data_dir(),
        Extra {
            args: &[],
            env: &env,
        },
    );
    assert_eq!(
        ids(server.client().get("/api/connectors").expect(200).json()),
        ["gh"]
    );
}

#[test]
fn a_bad_seed_stops_start_up_naming_the_file_entry_and_error() {
    let sandbox = Sandbox::new();
    let seed =
        json!([github("ok"), {"connectorId": "google-universal", "config": {"clientId": 5}}]);
    write(sandbox.dir.path(), "seed.json", &seed.to_string());
    write(
        sandbox.dir.path(),
        "config.toml",
        "[seed]\nfile = \"seed.json\"\n",
    );
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_connector-mock"))
        .current_dir(sandbox.dir.path())
        .args(["--listen", "127.0.0.1:0", "--ephemeral"])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run connector-mock");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(output.stdout.is_empty());
    for part in ["seed.json", "entry 1", "connector.invalid_config"] {
        assert!(stderr.contains(part), "{part} in {stderr}");
    }
}

#[test]
fn the_journal_records_masks_filters_and_stays_bounded() {
    let sandbox = Sandbox::new();
    let manifests = sandbox.dir.path().join("manifests");
    let folder = manifests.join("secretive");
    std::fs::create_dir_all(&folder).unwrap();
    let manifest = json!({
        "type": "Social",
        "metadata": {
            "id": "secretive", "target": "secretive", "platform": "Universal",
            "name": {"en": "Secretive"}, "description": {"en": "test factory"},
            "logo": "./logo.svg", "logoDark": null, "readme": "./README.md",
            "formItems": [
                {"key": "apiKey", "label": "API key", "type": "Text", "required": true, "isConfidential": true},
                {"key": "region", "label": "Region", "type": "Text", "required": false}
            ]
        },
        "configSchema": {"type": "object"},
        "sampleConfig": {}
    });
    std::fs::write(folder.join("manifest.json"), manifest.to_string()).unwrap();
    std::fs::write(
        folder.join("logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    std::fs::write(folder.join("README.md"), "# test").unwrap();
    let config = format!(
        "[journal]\ncapacity = 8\n[fixtures]\ndirs = [{:?}]\n",
        manifests.display().to_string()
    );
    let server = start_with_config(&sandbox, &config);
    let client = server.client();
    client.create(&json!({"id": "s", "connectorId": "secretive", "config": {"apiKey": "k-123", "region": "eu"}}));
    client
        .patch(
            "/api/connectors/s?dryRun=1",
            &json!({"config": {"apiKey": "k-456"}}),
        )
        .expect(200);
    client.get("/api/connectors/missing").expect(404);

    let journal = client.get("/_mock/requests").expect(200);
    let entries = journal.json().as_array().unwrap().clone();
    // The client's own token request comes first.
    let token = &entries[0];
    assert_eq!(
        (token["method"].as_str(), token["path"].as_str()),
        (Some("POST"), Some("/oidc/token"))
    );
    assert_eq!(token["headers"]["authorization"], "Basic ******");
    let create = &entries[1];
    assert_eq!(create["status"], 200);
    assert_eq!(
        create["body"]["config"],
        json!({"apiKey": "******", "region": "eu"})
    );
    assert_eq!(create["headers"]["authorization"], "Bearer ******");
    assert!(create["durationMs"].as_f64().unwrap() >= 0.0);
    assert!(create["time"].as_str().unwrap().ends_with('Z'));
    let patch = &entries[2];
    assert_eq!(
        (patch["path"].as_str(), patch["query"].as_str()),
        (Some("/api/connectors/s"), Some("dryRun=1"))
    );
    assert_eq!(patch["body"]["config"]["apiKey"], "******");
    assert!(!journal.text.contains("k-123") && !journal.text.contains("k-456"));
    assert!(!journal.text.contains("mock-m2m-secret"));
    // Filters.
    let only = |query: &str| -> Vec<String> {
        let reply = client.get(&format!("/_mock/requests?{query}")).expect(200);
        reply
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} {} {}",
                    e["method"].as_str().unwrap(),
                    e["path"].as_str().unwrap(),
                    e["status"]
                )
            })
            .collect()
    };
    assert_eq!(only("method=patch"), ["PATCH /api/connectors/s 200"]);
    assert_eq!(only("status=404"), ["GET /api/connectors/missing 404"]);
    assert_eq!(only("status=4xx"), ["GET /api/connectors/missing 404"]);
    assert_eq!(
        only("path=/api/connectors/*"),
        [
            "PATCH /api/connectors/s 200",
            "GET /api/connectors/missing 404"
        ]
    );
    assert_eq!(only("path=/oidc"), ["POST /oidc/token 200"]);
    assert_eq!(
        only("path=/api/**&limit=1"),
        ["GET /api/connectors/missing 404"]
    );
    assert_eq!(only("since=99999999999999"), Vec::<String>::new());
    client
        .get("/_mock/requests?status=abc")
        .expect_error(400, "guard.invalid_input");
    client
        .get("/_mock/requests?limit=0")
        .expect_error(400, "guard.invalid_input");
    client
        .get("/_mock/requests?path=nope*")
        .expect_error(400, "guard.invalid_input");
    // Bounded: the newest 8 are kept; reading the journal is not recorded.
    for n in 0..20 {
        client.get(&format!("/api/connectors/n{n}")).expect(404);
    }
    let kept = client.get("/_mock/requests").expect(200);
    let kept = kept.json().as_array().unwrap().clone();
    assert_eq!(kept.len(), 8);
    assert_eq!(kept[7]["path"], "/api/connectors/n19");
    assert!(kept.iter().all(|e| e["path"] != "/_mock/requests"));
    client.delete("/_mock/requests").expect(204);
    assert_eq!(client.get("/_mock/requests").expect(200).json(), &json!([]));
}

#[test]
fn fault_rules_fire_exactly_times_delay_and_drop_connections() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let rules = json!([
        {"method": "GET", "path": "/api/connectors", "status": 503, "times": 2,
         "body": {"code": "custom.down"}, "headers": {"retry-after": "1"}},
        {"path": "/api/connectors/slow", "delayMs": 300},
        {"path": "/api/connector-factories/*", "action": "reset", "times": 1},
        {"path": "/oidc/**", "status": 500},
    ]);
    let shown = client
        .send("PUT", "/_mock/faults", JSON, &rules, &[])
        .expect(200);
    assert_eq!(shown.json()[0]["remaining"], 2);
    for _ in 0..2 {
        let reply = client.get("/api/connectors").expect(503);
        assert_eq!(reply.json(), &json!({"code": "custom.down"}));
        assert_eq!(reply.header("retry-after"), Some("1"));
    }
    client.get("/api/connectors").expect(200);
    assert_eq!(
        client.get("/_mock/faults").expect(200).json()[0]["remaining"],
        0
    );
    let started = std::time::Instant::now();
    client.get("/api/connectors/slow").expect(404);
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(300),
        "delayed, then handled"
    );
    // POST: an HTTP client may retry an idempotent request on a dropped pooled connection.
    let dropped = client.try_request(
        "POST",
        "/api/connector-factories/github-universal",
        &[],
        Some((JSON, b"{}")),
    );
    assert!(dropped.is_err(), "the connection was dropped: {dropped:?}");
    client
        .get("/api/connector-factories/github-universal")
        .expect(200);
    let token = client
        .anonymous()
        .request(
            "POST",
            "/oidc/token",
            &[],
            Some(("application/x-www-form-urlencoded", b"")),
        )
        .expect_error(500, "mock.injected_fault");
    assert!(token.json()["message"].as_str().is_some());
    client.delete("/_mock/faults").expect(204);
    assert_eq!(client.get("/_mock/faults").expect(200).json(), &json!([]));
    // Invalid rules: 400 naming the rule and field; the old rules stay.
    client
        .send(
            "PUT",
            "/_mock/faults",
            JSON,
            &json!([{"path": "/a", "status": 500}]),
            &[],
        )
        .expect(200);
    for (rules, index, field) in [
        (
            json!([{"path": "/a", "status": 500}, {"path": "/b", "status": 99}]),
            1,
            "status",
        ),
        (json!([{"status": 500}]), 0, "path"),
        (
            json!([{"path": "/a", "times": 0, "status": 500}]),
            0,
            "times",
        ),
        (json!([{"path": "/a", "delayMs": "slow"}]), 0, "delayMs"),
        (json!([{"path": "/a", "action": "explode"}]), 0, "action"),
    ] {
        let reply = client
            .send("PUT", "/_mock/faults", JSON, &rules, &[])
            .expect_error(400, "mock.invalid_fault_rule");
        assert_eq!(
            (
                reply.json()["data"]["index"].as_u64(),
                reply.json()["data"]["field"].as_str()
            ),
            (Some(index), Some(field)),
            "{rules}"
        );
    }
    assert_eq!(
        client.get("/_mock/faults").expect(200).json()[0]["path"],
        "/a"
    );
}

/// Creates three connectors with generated ids on `client`; returns the ids.
fn generated_ids(client: &Client) -> Vec<String> {
    let manifest: Value =
        serde_json::from_str(include_str!("../../fixtures/oidc/manifest.json")).unwrap();
    let mut ids = Vec::new();
    for n in 0..3 {
        let connector = client.create(
            &json!({"connectorId": "oidc", "metadata": {"target": format!("t{n}")},
            "config": manifest["sampleConfig"]}),
        );
        ids.push(id_of(&connector));
    }
    ids
}

#[test]
fn ids_repeat_across_fresh_starts_with_the_same_seed() {
    let run = |seed: &str| -> (Vec<String>, Vec<String>) {
        let sandbox = Sandbox::new();
        let args = ["--ids-seed", seed];
        let server = Server::start(
            &sandbox.data_dir(),
            Extra {
                args: &args,
                env: &[],
            },
        );
        let default = generated_ids(&server.client());
        let acme = generated_ids(&Client::for_tenant_prefix(&server.base, "acme"));
        (default, acme)
    };
    let first = run("7");
    let second = run("7");
    assert_eq!(first, second, "same seed, same ids on a fresh start");
    assert_ne!(first.0, first.1, "each tenant has its own sequence");
    assert_ne!(run("8").0, first.0, "another seed, other ids");
}

#[test]
fn state_export_and_import_round_trip_byte_for_byte() {
    let sandbox = Sandbox::new();
    let data = sandbox.data_dir();
    let server = Server::start_default(&data);
    let client = server.client();
    client.create(&github("gh"));
    client.create(
        &json!({"id": "mail", "connectorId": "mock-email-service-alternative", "config": {}}),
    );
    let acme = Client::for_tenant_prefix(&server.base, "acme");
    acme.create(&github("other"));
    client
        .send(
            "PUT",
            "/api/email-templates",
            JSON,
            &json!({"templates": [
                {"languageTag": "fr", "templateType": "SignIn", "details": {"subject": "s", "content": "c"}},
                {"languageTag": "de", "templateType": "Generic", "details": {"subject": "s", "content": "c"}}
            ]}),
            &[],
        )
        .expect(200);
    let over_http = client.get("/_mock/state").expect(200).text;
    let languages: Vec<String> = serde_json::from_str::<Value>(&over_http).unwrap()["tenants"]
        ["default"]["emailTemplates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["languageTag"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        languages,
        ["de", "fr"],
        "templates are in the state file, ordered"
    );
    // PUT into another tenant: a one-tenant file goes into the calling tenant.
    let copy = Client::for_tenant_prefix(&server.base, "copy");
    let imported = copy
        .send(
            "PUT",
            "/_mock/state",
            JSON,
            &serde_json::from_str(&over_http).unwrap(),
            &[],
        )
        .expect(200);
    assert_eq!(imported.json()["connectors"], 2);
    assert_eq!(imported.json()["emailTemplates"], 2);
    let copied = copy.get("/_mock/state").expect(200).text;
    assert_eq!(copied.replace("\"copy\"", "\"default\""), over_http);
    // Invalid files change nothing.
    let bad = json!({"format": "connector-mock-state", "version": 1,
        "tenants": {"copy": {"connectors": [{"id": "x", "connectorId": "nope", "config": {}, "metadata": {},
            "syncProfile": false, "enableTokenStorage": false, "createdAt": 1}]}}});
    copy.send("PUT", "/_mock/state", JSON, &bad, &[])
        .expect_error(400, "mock.invalid_state");
    copy.send("PUT", "/_mock/state", JSON, &json!({"format": "x"}), &[])
        .expect_error(400, "mock.invalid_state");
    assert_eq!(copy.get("/_mock/state").expect(200).text, copied);
    drop((client, acme, copy));
    assert!(server.terminate().success());

    let cli = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_connector-mock"))
            .current_dir(sandbox.dir.path())
            .arg("--data")
            .arg(&data)
            .args(args)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run connector-mock");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, exported, stderr) = cli(&["export"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (_, default_only, _) = cli(&["export", "--tenant", "default"]);
    assert_eq!(
        default_only, over_http,
        "the CLI and the server write the same text"
    );
    let file = write(sandbox.dir.path(), "state.json", &exported);
    let (code, _, stderr) = cli(&["import", &file]);
    assert_eq!(code, Some(0), "{stderr}");
    let (_, again, _) = cli(&["export"]);
    assert_eq!(
        again, exported,
        "export → import → export gives the same bytes"
    );
    let names: Vec<String> = serde_json::from_str::<Value>(&again).unwrap()["tenants"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(names, ["acme", "copy", "default"]);
    // A bad file is refused as a whole.
    let bad_file = write(sandbox.dir.path(), "bad.json", &bad.to_string());
    let (code, _, stderr) = cli(&["import", &bad_file]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("tenants.copy.connectors[0]"), "{stderr}");
    assert_eq!(cli(&["export"]).1, exported, "nothing changed");
    let server = Server::start(&data, Extra::default());
    assert_eq!(
        ids(server.client().get("/api/connectors").expect(200).json()),
        ["gh", "mail"]
    );
}

#[test]
fn record_files_mirror_the_last_message_as_logtos_mock_connectors_write_them() {
    let sandbox = Sandbox::new();
    let args = ["--outbox-record-files"];
    let server = Server::start(
        &sandbox.data_dir(),
        Extra {
            args: &args,
            env: &[],
        },
    );
    let client = server.client();
    let address = format!("record-{}@example.com", std::process::id());
    let email_config = json!({"apiKey": "k", "fromEmail": "noreply@example.com",
        "templates": [{"usageType": "Generic", "type": "text/plain", "subject": "Code", "content": "Code {{code}}"}]});
    client
        .post(
            "/api/connectors/mock-email-service/test",
            &json!({"email": address, "config": email_config}),
        )
        .expect(204);
    let sms_config = json!({"accountSID": "AC1", "authToken": "t", "fromMessagingServiceSID": "MG1",
        "templates": [{"usageType": "Generic", "content": "Code: {{code}}"}]});
    let phone = format!("1{:010}", std::process::id());
    client
        .post(
            "/api/connectors/mock-short-message-service/test",
            &json!({"phone": phone, "config": sms_config}),
        )
        .expect(204);
    let read = |name: &str| -> Value {
        let text = std::fs::read_to_string(Path::new("/tmp/logto").join(name))
            .expect("the record file exists");
        assert!(
            text.ends_with('\n') && text.lines().count() == 1,
            "one JSON line: {text}"
        );
        serde_json::from_str(&text).unwrap()
    };
    let email = read("mock_email_record.txt");
    assert_eq!(email["address"], address);
    assert_eq!(email["type"], "Generic");
    assert_eq!(email["subject"], "Code");
    assert_eq!(
        email["content"],
        format!("Code {}", email["code"].as_str().unwrap())
    );
    assert_eq!(email["payload"]["code"], email["code"]);
    let sms = read("mock_sms_record.txt");
    assert_eq!(sms["phone"], phone);
    assert_eq!(sms["type"], "Generic");
    assert_eq!(
        crate::harness::keys_of(&sms),
        ["phone", "code", "type", "payload"]
    );
}
