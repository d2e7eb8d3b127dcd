//! Durability and concurrency against the real binary: `kill -9` under
//! concurrent load loses no acknowledged write and leaves no half-written
//! record; readers never see a write a crash could undo; concurrent writers
//! respect If-Match and Logto's uniqueness rules; the outbox stays bounded.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::harness::{connector_path, Client, Extra, Sandbox, Server, JSON};

fn oidc_body(id: &str, secret: &str) -> Value {
    json!({
        "id": id,
        "connectorId": "oidc",
        "metadata": {"target": id},
        "config": {
            "authorizationEndpoint": "https://id.example.com/oauth2/authorize",
            "tokenEndpoint": "https://id.example.com/oauth2/token",
            "clientId": "logto-oidc-client",
            "clientSecret": secret,
            "scope": "openid profile",
            "idTokenVerificationConfig": {"jwksUri": "https://id.example.com/oauth2/jwks"}
        }
    })
}

/// What a worker knows about one connector: its state after the last
/// acknowledged write, and the write that was in flight when the server died.
#[derive(Debug, Clone, PartialEq)]
enum Known {
    Exists(String),
    Deleted,
}

#[derive(Debug, Default)]
struct Ledger {
    acknowledged: BTreeMap<String, Known>,
    in_flight: Option<(String, Known)>,
}

/// One worker: creates its own connectors, patches them and deletes some,
/// recording every acknowledged outcome, until the server goes away.
fn work(
    client: Client,
    prefix: String,
    stop: Arc<AtomicBool>,
    acknowledged: Arc<AtomicU64>,
) -> Ledger {
    let mut ledger = Ledger::default();
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let id = format!("{prefix}-{n}");
        let path = connector_path(&id);
        let steps: [(&str, Known); 4] = [
            ("create", Known::Exists("s0".into())),
            ("patch", Known::Exists("s1".into())),
            ("patch", Known::Exists("s2".into())),
            ("delete", Known::Deleted),
        ];
        for (step, outcome) in steps.into_iter().take(if n % 3 == 0 { 4 } else { 3 }) {
            ledger.in_flight = Some((id.clone(), outcome.clone()));
            let result = match (step, &outcome) {
                ("create", Known::Exists(secret)) => client.try_request(
                    "POST",
                    "/api/connectors",
                    &[],
                    Some((JSON, oidc_body(&id, secret).to_string().as_bytes())),
                ),
                ("patch", Known::Exists(secret)) => {
                    let body = json!({"config": {"clientSecret": secret}}).to_string();
                    client.try_request("PATCH", &path, &[], Some((JSON, body.as_bytes())))
                }
                _ => client.try_request("DELETE", &path, &[], None),
            };
            match result {
                Ok(reply) if reply.status == 200 || reply.status == 204 => {
                    ledger.acknowledged.insert(id.clone(), outcome);
                    ledger.in_flight = None;
                    acknowledged.fetch_add(1, Ordering::Relaxed);
                }
                Ok(reply) => panic!("{step} {id}: unexpected {} {}", reply.status, reply.text),
                // The server was killed: the write in flight may or may not have landed.
                Err(_) => return ledger,
            }
        }
    }
    ledger
}

#[test]
fn kill_9_under_concurrent_creates_patches_and_deletes_loses_no_acknowledged_write() {
    const ROUNDS: usize = 5;
    const WORKERS: usize = 6;
    let sandbox = Sandbox::new();
    let data = sandbox.data_dir();
    let mut expected: BTreeMap<String, Vec<Known>> = BTreeMap::new();
    for round in 0..ROUNDS {
        let server = Server::start_default(&data);
        let client = server.client();
        let stop = Arc::new(AtomicBool::new(false));
        let acknowledged = Arc::new(AtomicU64::new(0));
        let workers: Vec<_> = (0..WORKERS)
            .map(|worker| {
                let (client, stop, acknowledged) =
                    (client.clone(), stop.clone(), acknowledged.clone());
                std::thread::spawn(move || {
                    work(client, format!("r{round}w{worker}"), stop, acknowledged)
                })
            })
            .collect();
        // Kill once some writes were acknowledged (a count, not a clock).
        while acknowledged.load(Ordering::Relaxed) < 60 + 20 * round as u64 {
            std::thread::sleep(Duration::from_millis(5));
        }
        server.kill_9();
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            let ledger = worker.join().expect("worker");
            for (id, known) in ledger.acknowledged {
                expected.insert(id, vec![known]);
            }
            if let Some((id, possible)) = ledger.in_flight {
                expected
                    .entry(id)
                    .or_insert_with(|| vec![Known::Deleted])
                    .push(possible);
            }
        }
    }

    let server = Server::start_default(&data);
    let client = server.client();
    let list = client.get("/api/connectors").expect(200);
    let listed: BTreeMap<String, Value> = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|connector| {
            (
                connector["id"].as_str().unwrap().to_owned(),
                connector.clone(),
            )
        })
        .collect();
    for (id, allowed) in &expected {
        let found = match listed.get(id) {
            None => Known::Deleted,
            Some(connector) => {
                assert_eq!(
                    connector["config"]["clientId"], "logto-oidc-client",
                    "{id} is whole: {connector}"
                );
                Known::Exists(
                    connector["config"]["clientSecret"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                )
            }
        };
        assert!(
            allowed.contains(&found),
            "{id}: found {found:?}, allowed {allowed:?}"
        );
    }
    for id in listed.keys() {
        assert!(expected.contains_key(id), "{id} was never written");
    }
}

#[test]
fn a_reader_never_sees_a_write_that_a_crash_undoes() {
    const ROUNDS: u64 = 4;
    let sandbox = Sandbox::new();
    let data = sandbox.data_dir();
    let setup = Server::start_default(&data);
    setup.client().create(&json!({"id": "counter", "connectorId": "mock-email-service-alternative", "config": {"n": 0}}));
    drop(setup);
    for round in 0..ROUNDS {
        let server = Server::start_default(&data);
        let client = server.client();
        let seen = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let start = client.config("counter")["n"].as_u64().unwrap();
        let writer = {
            let (client, stop) = (client.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut acknowledged = start;
                for n in start + 1.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let body = json!({"config": {"n": n}}).to_string();
                    match client.try_request(
                        "PATCH",
                        "/api/connectors/counter",
                        &[],
                        Some((JSON, body.as_bytes())),
                    ) {
                        Ok(reply) if reply.status == 200 => acknowledged = n,
                        _ => break,
                    }
                }
                acknowledged
            })
        };
        let readers: Vec<_> = (0..3)
            .map(|_| {
                let (client, seen, stop) = (client.clone(), seen.clone(), stop.clone());
                std::thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let Ok(reply) =
                            client.try_request("GET", "/api/connectors/counter", &[], None)
                        else {
                            break;
                        };
                        if let Some(n) = reply
                            .body
                            .as_ref()
                            .and_then(|body| body["config"]["n"].as_u64())
                        {
                            seen.fetch_max(n, Ordering::Relaxed);
                        }
                    }
                })
            })
            .collect();
        while seen.load(Ordering::Relaxed) < start + 30 + round * 10 {
            std::thread::sleep(Duration::from_millis(2));
        }
        server.kill_9();
        stop.store(true, Ordering::Relaxed);
        let acknowledged = writer.join().unwrap();
        for reader in readers {
            reader.join().unwrap();
        }
        let server = Server::start_default(&data);
        let stored = server.client().config("counter")["n"].as_u64().unwrap();
        let max_seen = seen.load(Ordering::Relaxed);
        assert!(
            stored >= max_seen,
            "round {round}: a reader saw n={max_seen}, but after the crash n={stored}"
        );
        assert!(
            stored >= acknowledged,
            "round {round}: n={acknowledged} was acknowledged, but after the crash n={stored}"
        );
    }
}

#[test]
fn concurrent_if_match_patches_have_exactly_one_winner() {
    const WRITERS: usize = 12;
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    client
        .create(&json!({"id": "m", "connectorId": "mock-email-service-alternative", "config": {}}));
    let etag = client
        .get("/api/connectors/m")
        .expect(200)
        .header("ETag")
        .unwrap()
        .to_owned();
    let barrier = Arc::new(Barrier::new(WRITERS));
    let threads: Vec<_> = (0..WRITERS)
        .map(|n| {
            let (client, barrier, etag) = (client.clone(), barrier.clone(), etag.clone());
            std::thread::spawn(move || {
                let body = json!({"config": {"winner": n}});
                barrier.wait();
                client
                    .send(
                        "PATCH",
                        "/api/connectors/m",
                        JSON,
                        &body,
                        &[("If-Match", &etag)],
                    )
                    .status
            })
        })
        .collect();
    let statuses: Vec<u16> = threads
        .into_iter()
        .map(|thread| thread.join().unwrap())
        .collect();
    assert_eq!(
        statuses.iter().filter(|status| **status == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|status| **status == 412).count(),
        WRITERS - 1,
        "{statuses:?}"
    );
    assert!(client.config("m")["winner"].is_u64());
}

#[test]
fn concurrent_creates_keep_social_targets_unique_and_a_single_email_connector() {
    const WRITERS: usize = 12;
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let race = |body: Arc<dyn Fn(usize) -> Value + Send + Sync>| -> Vec<(u16, Option<String>)> {
        let barrier = Arc::new(Barrier::new(WRITERS));
        let threads: Vec<_> = (0..WRITERS)
            .map(|n| {
                let (client, barrier, body) = (client.clone(), barrier.clone(), body.clone());
                std::thread::spawn(move || {
                    let body = body(n);
                    barrier.wait();
                    let reply = client.post("/api/connectors", &body);
                    (reply.status, reply.code().map(str::to_owned))
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|thread| thread.join().unwrap())
            .collect()
    };

    let social = race(Arc::new(|n| {
        let mut body = oidc_body(&format!("o{n}"), "secret");
        body["metadata"]["target"] = json!("same-target");
        body
    }));
    assert_eq!(
        social.iter().filter(|(status, _)| *status == 200).count(),
        1,
        "{social:?}"
    );
    assert!(social
        .iter()
        .filter(|(status, _)| *status != 200)
        .all(|(status, code)| *status == 422
            && code.as_deref() == Some("connector.multiple_target_with_same_platform")));

    let email = race(Arc::new(
        |n| json!({"id": format!("e{n}"), "connectorId": "mock-email-service-alternative", "config": {}}),
    ));
    assert!(email.iter().all(|(status, _)| *status == 200), "{email:?}");
    let list = client.get("/api/connectors").expect(200);
    let emails: Vec<&Value> = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "Email")
        .collect();
    assert_eq!(
        emails.len(),
        1,
        "exactly one Email connector remains: {emails:?}"
    );
}

#[test]
fn the_outbox_keeps_only_the_newest_messages_up_to_its_capacity() {
    let sandbox = Sandbox::new();
    let data = sandbox.data_dir();
    let env = [("CONNECTOR_MOCK_OUTBOX_CAPACITY", "5")];
    let server = Server::start(
        &data,
        Extra {
            args: &[],
            env: &env,
        },
    );
    let client = server.client();
    for n in 0..8 {
        let body = json!({"email": format!("user{n}@example.com"), "config": {}});
        client
            .post("/api/connectors/mock-email-service-alternative/test", &body)
            .expect(204);
    }
    let recipients = |client: &Client| -> Vec<String> {
        let outbox = client.get("/_mock/outbox").expect(200);
        outbox
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["to"].as_str().unwrap().to_owned())
            .collect()
    };
    let newest: Vec<String> = (3..8).map(|n| format!("user{n}@example.com")).collect();
    assert_eq!(recipients(&client), newest);
    server.kill_9();
    let server = Server::start(
        &data,
        Extra {
            args: &[],
            env: &env,
        },
    );
    let client = client.rebase(&server);
    assert_eq!(recipients(&client), newest, "the cap holds on disk too");
    client.delete("/_mock/outbox").expect(204);
    assert!(recipients(&client).is_empty());
}
