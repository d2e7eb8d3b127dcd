//! States the API itself cannot produce (connectors whose factory is gone,
//! demo connectors, broken invariants), seeded straight into the data
//! directory, plus user manifest folders.

use connector_mock::store::{
    Committed, ConnectorRecord, Durability, Key, Store, StoreOptions, Write,
};
use connector_mock::{Config, TestServer};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::helpers::TestApp;

fn record(id: &str, factory: &str, config: Value) -> ConnectorRecord {
    ConnectorRecord {
        id: id.into(),
        connector_id: factory.into(),
        config: config.as_object().cloned().unwrap_or_default(),
        metadata: Map::new(),
        sync_profile: false,
        enable_token_storage: false,
        created_at: 0,
    }
}

/// Writes `records` straight into a new data directory, bypassing the API's rules.
fn seed(data: &Path, records: Vec<ConnectorRecord>) {
    let (mut store, loaded, _) = Store::open(&StoreOptions {
        path: Some(data.to_path_buf()),
        durability: Durability::Always,
        flush_interval: Duration::from_millis(10),
        accept_data_loss: false,
    })
    .unwrap();
    let committed = Committed {
        seq: loaded.committed.seq + 1,
        count: loaded.committed.count + records.len() as u64,
    };
    let writes: Vec<Write> = records
        .into_iter()
        .map(|record| Write {
            key: Key::Connector {
                tenant: "default".into(),
                id: record.id.clone(),
            },
            value: Some(record.encode().into()),
        })
        .collect();
    store.apply(&writes, committed).unwrap();
    store.close(committed).unwrap();
}

/// A folder with one manifest per `(id, type, target, platform)`.
fn manifests(root: &Path, factories: &[(&str, &str, &str, Value)]) -> PathBuf {
    let dir = root.join("manifests");
    for (id, kind, target, platform) in factories {
        let folder = dir.join(id);
        std::fs::create_dir_all(&folder).unwrap();
        let manifest = json!({
            "type": kind,
            "metadata": {
                "id": id, "target": target, "platform": platform,
                "name": {"en": format!("{id} name")}, "description": {"en": "test factory"},
                "logo": "./logo.svg", "logoDark": null, "readme": "./README.md"
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
    }
    dir
}

fn app_on(data: &Path, dirs: Vec<PathBuf>) -> TestApp {
    let data = data.to_path_buf();
    TestApp::spawn_with(move |config| {
        config.storage.ephemeral = false;
        config.storage.data = data;
        config.fixtures.dirs = dirs;
    })
}

#[test]
fn a_user_manifest_folder_adds_factories() {
    let root = tempfile::tempdir().unwrap();
    let dir = manifests(
        root.path(),
        &[("acme-social", "Social", "acme", json!("Web"))],
    );
    let app = app_on(&root.path().join("data"), vec![dir]);
    let factory = app.get("/api/connector-factories/acme-social").json();
    assert_eq!(factory["target"], "acme");
    assert_eq!(factory["readme"], "# test");
    assert!(factory["logo"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;base64,"));
    let connector = app.create(json!({"connectorId": "acme-social", "config": {"any": "thing"}}));
    assert_eq!(connector["platform"], "Web");
}

#[test]
fn a_factory_id_defined_twice_stops_the_server_naming_both_files() {
    let root = tempfile::tempdir().unwrap();
    let dir = manifests(
        root.path(),
        &[("oidc", "Social", "oidc", json!("Universal"))],
    );
    let mut config = Config::default();
    config.server.listen = "127.0.0.1:0".into();
    config.storage.ephemeral = true;
    config.fixtures.dirs = vec![dir.clone()];
    let error = TestServer::start(config).err().expect("start-up fails");
    assert!(
        error.contains("bundled fixtures/oidc/manifest.json"),
        "{error}"
    );
    assert!(
        error.contains(&dir.join("oidc").join("manifest.json").display().to_string()),
        "{error}"
    );
}

#[test]
fn a_connector_whose_factory_is_not_installed_is_hidden_but_deletable() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    seed(
        &data,
        vec![record("orphan", "uninstalled-factory", json!({}))],
    );
    let app = app_on(&data, vec![]);
    assert_eq!(app.get("/api/connectors").json(), json!([]));
    app.get("/api/connectors/orphan")
        .assert_error(404, "entity.not_found");
    app.patch_json("/api/connectors/orphan", &json!({}))
        .assert_error(404, "entity.not_found");
    assert_eq!(app.delete("/api/connectors/orphan").status, 204);
    app.delete("/api/connectors/orphan")
        .assert_error(404, "entity.not_found");
}

#[test]
fn list_connectors_refuses_more_than_one_email_or_sms_connector() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    seed(
        &data,
        vec![
            record("e1", "mock-email-service-alternative", json!({})),
            record("e2", "mock-email-service-alternative", json!({})),
        ],
    );
    let reply = app_on(&data, vec![]).get("/api/connectors");
    reply.assert_error(400, "connector.more_than_one_email");
    assert_eq!(
        reply.json()["message"],
        "The number of Email connectors is larger then 1."
    );

    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    seed(
        &data,
        vec![
            record("s1", "mock-short-message-service", json!({})),
            record("s2", "twilio-short-message-service", json!({})),
        ],
    );
    app_on(&data, vec![])
        .get("/api/connectors")
        .assert_error(400, "connector.more_than_one_sms");
}

#[test]
fn list_connectors_refuses_two_social_connectors_with_one_target_and_platform() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let mut first = record("o1", "oidc", json!({}));
    first.metadata.insert("target".into(), json!("same"));
    let mut second = record("o2", "oidc", json!({}));
    second.metadata.insert("target".into(), json!("same"));
    seed(&data, vec![first, second]);
    let reply = app_on(&data, vec![]).get("/api/connectors");
    reply.assert_error(400, "connector.multiple_target_with_same_platform");
    assert!(reply.json().get("data").is_none());
}

#[test]
fn demo_connectors_are_listed_with_an_empty_config_but_not_readable_or_creatable() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let dir = manifests(
        root.path(),
        &[("logto-social-demo", "Social", "demo", json!("Universal"))],
    );
    seed(
        &data,
        vec![record("demo", "logto-social-demo", json!({"secret": "x"}))],
    );
    let app = app_on(&data, vec![dir]);
    let list = app.get("/api/connectors").json();
    assert_eq!(list[0]["isDemo"], true);
    assert_eq!(list[0]["config"], json!({}));
    let reply = app.get("/api/connectors/demo");
    reply.assert_error(400, "connector.not_found");
    assert_eq!(
        reply.json()["message"],
        "Cannot find any available connector for type: {{type}}."
    );
    app.patch_json("/api/connectors/demo", &json!({"syncProfile": true}))
        .assert_error(400, "connector.not_found");
    app.post_json(
        "/api/connectors",
        &json!({"connectorId": "logto-social-demo"}),
    )
    .assert_error(422, "connector.not_found_with_connector_id");
    assert_eq!(
        app.get("/api/connector-factories/logto-social-demo").json()["isDemo"],
        true
    );
    assert_eq!(app.delete("/api/connectors/demo").status, 204);
}
