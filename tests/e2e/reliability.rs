//! What a hostile client or a damaged disk could do to the server, each
//! reproduced against the real binary: documents that amplify or nest without
//! bound, a damaged data directory, a stalled request body, a full disk, and
//! an outbox filter far in the future. Nothing may crash, brick the database
//! or silently lose data.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::harness::{connector_path, Client, Extra, Sandbox, Server, JSON_PATCH};

fn social(client: &Client) -> String {
    let created = client.create(&json!({
        "id": "s",
        "connectorId": "mock-social-connector",
        "config": {"clientId": "a", "clientSecret": "b"}
    }));
    created["id"].as_str().unwrap().to_owned()
}

fn nested(depth: usize) -> Value {
    (0..depth).fold(json!({}), |inner, _| json!({ "a": inner }))
}

#[test]
fn copy_amplification_and_deep_moves_answer_4xx_and_the_server_stays_up() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let id = social(&client);
    let path = connector_path(&id);

    // 22 copies of the config into itself would double it 22 times.
    let mut copies = vec![json!({"op": "add", "path": "/config/k0", "value": "x".repeat(1000)})];
    copies.extend(
        (1..=22).map(|n| json!({"op": "copy", "from": "/config", "path": format!("/config/k{n}")})),
    );
    let reply = client.send("PATCH", &path, JSON_PATCH, &Value::Array(copies), &[]);
    reply.expect_error(400, "mock.limit_exceeded");

    // Copying the whole document into itself, at the root.
    let roots: Vec<Value> = (1..=22)
        .map(|n| json!({"op": "copy", "from": "", "path": format!("/k{n}")}))
        .collect();
    let reply = client.send("PATCH", &path, JSON_PATCH, &Value::Array(roots), &[]);
    reply.expect_error(400, "mock.limit_exceeded");

    // Nesting deeper and deeper with add and move (within the operation limit).
    let mut deeper = vec![json!({"op": "add", "path": "/config/n", "value": {}})];
    for _ in 0..40 {
        deeper.push(json!({"op": "add", "path": "/config/m", "value": {}}));
        deeper.push(json!({"op": "move", "from": "/config/n", "path": "/config/m/n"}));
        deeper.push(json!({"op": "move", "from": "/config/m", "path": "/config/n"}));
    }
    deeper.truncate(100);
    let reply = client.send("PATCH", &path, JSON_PATCH, &Value::Array(deeper), &[]);
    reply.expect_error(400, "mock.limit_exceeded");

    // Too many operations at all.
    let many: Vec<Value> = (0..5000)
        .map(|_| json!({"op": "test", "path": "/syncProfile", "value": false}))
        .collect();
    let reply = client.send("PATCH", &path, JSON_PATCH, &Value::Array(many), &[]);
    let reply = reply.expect_error(400, "mock.limit_exceeded");
    assert_eq!(reply.json()["data"]["limit"], "max_patch_operations");

    // A config over 256 KB, by merge patch and on create.
    let big = json!({"config": {"big": "x".repeat(300_000)}});
    client
        .patch(&path, &big)
        .expect_error(400, "mock.limit_exceeded");

    assert_eq!(
        client.config(&id),
        json!({"clientId": "a", "clientSecret": "b"}),
        "nothing of the refused patches was stored"
    );
    client.get("/api/status").expect(204);
}

#[test]
fn a_200_deep_config_is_refused_and_the_server_restarts_with_everything_readable() {
    let sandbox = Sandbox::new();
    let data = sandbox.data_dir();
    let server = Server::start_default(&data);
    let client = server.client();
    let id = social(&client);
    let deep_pointer: String = "/config/deep".to_owned() + &"/a".repeat(99);
    let operations = json!([
        {"op": "add", "path": "/config/deep", "value": nested(100)},
        {"op": "replace", "path": deep_pointer, "value": nested(100)},
    ]);
    let reply = client.send("PATCH", &connector_path(&id), JSON_PATCH, &operations, &[]);
    let reply = reply.expect_error(400, "mock.limit_exceeded");
    assert_eq!(reply.json()["data"]["limit"], "max_depth");
    // The deepest config the limit allows is stored and reads back, also after a restart.
    let allowed = json!({"config": {"deep": nested(30)}});
    let stored = client
        .patch(&connector_path(&id), &allowed)
        .expect(200)
        .json()
        .clone();
    client.create(&json!({"connectorId": "mock-email-service-alternative", "config": {}}));
    server.kill_9();

    let server = Server::start_default(&data);
    let client = server.client();
    assert_eq!(client.connector(&id), stored);
    let list = client.get("/api/connectors").expect(200);
    assert_eq!(list.json().as_array().unwrap().len(), 2);
    client
        .post(
            "/api/connectors",
            &json!({"connectorId": "mock-short-message-service", "config": {}}),
        )
        .expect(400);
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn run(dir: &Path, data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_connector-mock"))
        .current_dir(dir)
        .arg("--data")
        .arg(data)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run connector-mock")
}

/// A data directory holding 200 connectors, cleanly stopped.
fn two_hundred_connectors(sandbox: &Sandbox) -> PathBuf {
    let data = sandbox.data_dir();
    let server = Server::start_default(&data);
    let client = server.client();
    for n in 0..200 {
        client.create(&json!({
            "id": format!("c{n:03}"),
            "connectorId": "oidc",
            "metadata": {"target": format!("t{n}")},
            "config": {
                "authorizationEndpoint": "https://id.example.com/oauth2/authorize",
                "tokenEndpoint": "https://id.example.com/oauth2/token",
                "clientId": "logto-oidc-client",
                "clientSecret": "secret",
                "scope": "openid profile",
                "idTokenVerificationConfig": {"jwksUri": "https://id.example.com/oauth2/jwks"}
            }
        }));
    }
    assert!(server.terminate().success());
    data
}

fn damage_is_refused_untouched_then_repaired(damage: impl FnOnce(&Path), what: &str) {
    let sandbox = Sandbox::new();
    let data = two_hundred_connectors(&sandbox);
    damage(&data.join("db"));
    let before = snapshot(&data);

    let output = run(sandbox.dir.path(), &data, &["--listen", "127.0.0.1:0"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{what}: the server must refuse to start; stderr: {stderr}"
    );
    assert!(
        output.stdout.is_empty(),
        "{what}: it never said it was listening"
    );
    assert!(
        stderr.contains("is damaged") && stderr.contains("Nothing was changed on disk"),
        "{what}: {stderr}"
    );
    assert!(snapshot(&data) == before, "{what}: every file is untouched");

    let verify = run(sandbox.dir.path(), &data, &["verify"]);
    assert_eq!(
        verify.status.code(),
        Some(1),
        "{what}: verify reports the damage"
    );
    assert!(snapshot(&data) == before, "{what}: verify changes nothing");

    let repair = run(sandbox.dir.path(), &data, &["repair"]);
    let report = String::from_utf8_lossy(&repair.stdout);
    assert!(
        repair.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&repair.stderr)
    );
    // 200 connectors, the token signing key and the tenant's marker.
    assert!(
        report.contains("acknowledged: 202 records"),
        "{what}: repair says what was lost: {report}"
    );
    let verify = run(sandbox.dir.path(), &data, &["verify"]);
    assert!(
        verify.status.success(),
        "{what}: repaired directories verify"
    );
    let server = Server::start_default(&data);
    server.client().get("/api/connectors").expect(200);
}

#[test]
fn a_garbled_database_is_refused_with_every_file_untouched() {
    damage_is_refused_untouched_then_repaired(
        |db| {
            let mut bytes = std::fs::read(db).unwrap();
            for byte in bytes.iter_mut().take(64) {
                *byte ^= 0xff;
            }
            std::fs::write(db, bytes).unwrap();
        },
        "first 64 bytes garbled",
    );
}

#[test]
fn a_truncated_database_is_refused_with_every_file_untouched() {
    damage_is_refused_untouched_then_repaired(
        |db| {
            let length = std::fs::metadata(db).unwrap().len();
            std::fs::OpenOptions::new()
                .write(true)
                .open(db)
                .unwrap()
                .set_len(length / 2)
                .unwrap();
        },
        "truncated to half",
    );
}

#[test]
fn a_backup_restores_a_damaged_directory() {
    let sandbox = Sandbox::new();
    let data = sandbox.data_dir();
    let server = Server::start_default(&data);
    let client = server.client();
    let id = social(&client);
    let summary = client
        .request("POST", "/_mock/backup", &[], None)
        .expect(200)
        .json()
        .clone();
    assert_eq!(summary["connectors"], 1);
    let file = PathBuf::from(summary["file"].as_str().unwrap());
    assert!(file.starts_with(data.join("backups")));
    let token_before = client.get(&connector_path(&id)).expect(200);
    assert!(server.terminate().success());

    std::fs::write(data.join("db"), b"garbage").unwrap();
    assert_eq!(
        run(sandbox.dir.path(), &data, &["verify"]).status.code(),
        Some(1)
    );
    let restore = run(
        sandbox.dir.path(),
        &data,
        &["restore", file.to_str().unwrap()],
    );
    assert!(
        restore.status.success(),
        "{}",
        String::from_utf8_lossy(&restore.stderr)
    );

    let server = Server::start_default(&data);
    // The signing key came back too: the old token still works.
    let reply = client.rebase(&server).get(&connector_path(&id)).expect(200);
    assert_eq!(reply.json(), token_before.json());

    // The offline backup command writes the same kind of file.
    assert!(server.terminate().success());
    let offline = sandbox.dir.path().join("offline.json");
    let backup = run(
        sandbox.dir.path(),
        &data,
        &["backup", offline.to_str().unwrap()],
    );
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    let written: Value = serde_json::from_slice(&std::fs::read(&offline).unwrap()).unwrap();
    assert_eq!(written["tenants"]["default"]["connectors"][0]["id"], "s");
}

#[test]
fn an_ephemeral_server_needs_no_data_directory_and_has_no_backup_folder() {
    let sandbox = Sandbox::new();
    let server = Server::start(
        &sandbox.data_dir(),
        Extra {
            args: &["--ephemeral"],
            env: &[],
        },
    );
    let client = server.client();
    social(&client);
    client
        .request("POST", "/_mock/backup", &[], None)
        .expect_error(409, "mock.no_data_directory");
    server.kill_9();
    assert!(
        !sandbox.data_dir().exists(),
        "--ephemeral writes nothing to disk"
    );
}

#[test]
fn a_stalled_request_body_is_answered_and_closed_within_the_timeout() {
    let sandbox = Sandbox::new();
    let env = [
        ("CONNECTOR_MOCK_SERVER_REQUEST_TIMEOUT_MS", "300"),
        ("CONNECTOR_MOCK_AUTH_MODE", "none"),
    ];
    let server = Server::start(
        &sandbox.data_dir(),
        Extra {
            args: &[],
            env: &env,
        },
    );
    let address = server.base.trim_start_matches("http://").to_owned();
    let stalled: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut stream = TcpStream::connect(&address).unwrap();
            stream
                .write_all(b"POST /api/connectors HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                .unwrap();
            stream
        })
        .collect();
    for mut stream in stalled {
        // A bound, not a speed check: a connection that stays open fails the read.
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut answer = Vec::new();
        stream
            .read_to_end(&mut answer)
            .expect("the server closes the connection");
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 408"), "{text}");
        assert!(text.contains("\"code\":\"mock.request_timeout\""), "{text}");
    }
    server.client().get("/api/status").expect(204);
}

#[test]
fn since_far_in_the_future_selects_nothing() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let body = json!({"email": "a@b.c", "config": {}});
    client
        .post("/api/connectors/mock-email-service-alternative/test", &body)
        .expect(204);
    for since in [
        "584556020-01-01T00:00:00Z",
        "9223372036854775807-12-31T23:59:59Z",
        "18446744073709551615",
    ] {
        let reply = client
            .get(&format!("/_mock/outbox?since={since}"))
            .expect(200);
        assert_eq!(reply.json(), &json!([]), "since={since}");
    }
    let reply = client
        .get("/_mock/outbox?since=1970-01-01T00:00:00Z")
        .expect(200);
    assert_eq!(reply.json().as_array().unwrap().len(), 1);
}

/// A small tmpfs mounted for one test, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` (with a message) where this machine cannot mount a tmpfs.
    fn mount(megabytes: u32) -> Option<SmallDisk> {
        let dir = tempfile::Builder::new()
            .prefix("connector-mock-full-")
            .tempdir()
            .ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|output| output.status.success());
        if !mounted {
            eprintln!("SKIPPED: cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)");
            return None;
        }
        Some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the disk completely; returns the filler file.
    fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while file.write_all(&block).is_ok() {}
        let _ = file.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[test]
fn a_write_on_a_full_disk_is_refused_invisible_and_the_server_recovers() {
    let Some(disk) = SmallDisk::mount(4) else {
        return;
    };
    let data = disk.path().join("data");
    let server = Server::start(&data, Extra::default());
    let client = server.client();
    let id = social(&client);
    let before = client.connector(&id);
    let filler = disk.fill();

    let change =
        |secret: &str| json!({"config": {"clientSecret": format!("{secret}{}", "x".repeat(4000))}});
    let reply = client.patch(&connector_path(&id), &change("while-full"));
    reply.expect_error(503, "mock.storage_unavailable");
    assert_eq!(
        client.connector(&id),
        before,
        "the failed write is invisible"
    );
    client
        .post(
            "/api/connectors",
            &json!({"connectorId": "mock-email-service-alternative", "config": {}}),
        )
        .expect_error(503, "mock.storage_unavailable");
    assert_eq!(
        client
            .get("/api/connectors")
            .expect(200)
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );

    std::fs::remove_file(filler).unwrap();
    // Recovery is retried every second; a bounded wait, not a speed check.
    let mut stored = None;
    for _ in 0..100 {
        let reply = client.patch(&connector_path(&id), &change("after"));
        if reply.status == 200 {
            stored = Some(reply.json().clone());
            break;
        }
        reply.expect_error(503, "mock.storage_unavailable");
        std::thread::sleep(Duration::from_millis(100));
    }
    let stored = stored.expect("the server recovers once space returns");
    server.kill_9();
    let server = Server::start(&data, Extra::default());
    assert_eq!(
        client.rebase(&server).connector(&id),
        stored,
        "the write after recovery is durable"
    );
    drop(server);
}

#[test]
fn a_second_server_on_the_same_data_directory_is_refused_clearly() {
    let sandbox = Sandbox::new();
    let data = sandbox.data_dir();
    let _server = Server::start_default(&data);
    let output = run(sandbox.dir.path(), &data, &["--listen", "127.0.0.1:0"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("in use by another connector-mock"),
        "{stderr}"
    );
}
