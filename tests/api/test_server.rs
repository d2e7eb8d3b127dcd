//! `TestServer` as a Rust test suite uses it: builder, token, tenant URLs,
//! reset, journal and outbox helpers, many instances in parallel.

use connector_mock::config::AuthMode;
use connector_mock::TestServer;
use serde_json::{json, Value};

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(std::time::Duration::from_secs(30))
        .build()
}

fn call(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let request = agent
        .request(method, url)
        .set("Authorization", &format!("Bearer {token}"));
    let result = match body {
        Some(body) => request.send_json(body),
        None => request.call(),
    };
    let response = match result {
        Ok(response) | Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("{method} {url}: {error}"),
    };
    let status = response.status();
    let text = response.into_string().unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn github(id: &str) -> Value {
    json!({"id": id, "connectorId": "github-universal", "config": {"clientId": "a", "clientSecret": "b"}})
}

#[test]
fn many_test_servers_run_in_parallel_each_with_its_own_state() {
    let threads: Vec<_> = (0..6)
        .map(|n| {
            std::thread::spawn(move || {
                let server = TestServer::builder()
                    .seed(json!([github(&format!("seeded-{n}"))]))
                    .tenant("acme")
                    .start()
                    .expect("the server starts");
                let agent = agent();
                let url = format!("{}/api/connectors", server.url());
                let (status, list) = call(&agent, "GET", &url, &server.token(), None);
                assert_eq!(status, 200);
                assert_eq!(list[0]["id"], format!("seeded-{n}"));
                let body = json!({"connectorId": "mock-email-service-alternative", "config": {}});
                let (status, _) = call(&agent, "POST", &url, &server.token(), Some(body));
                assert_eq!(status, 200);
                let test_url = format!(
                    "{}/api/connectors/mock-email-service-alternative/test",
                    server.url()
                );
                let (status, _) = call(
                    &agent,
                    "POST",
                    &test_url,
                    &server.token(),
                    Some(json!({"email": "a@b.co", "config": {}})),
                );
                assert_eq!(status, 204);
                assert_eq!(server.outbox().len(), 1);
                assert_eq!(server.outbox()[0]["to"], "a@b.co");
                let paths: Vec<String> = server
                    .requests()
                    .iter()
                    .map(|entry| {
                        format!(
                            "{} {}",
                            entry["method"].as_str().unwrap(),
                            entry["path"].as_str().unwrap()
                        )
                    })
                    .collect();
                assert_eq!(
                    paths,
                    [
                        "GET /api/connectors",
                        "POST /api/connectors",
                        "POST /api/connectors/mock-email-service-alternative/test"
                    ]
                );
                server.reset().unwrap();
                let (_, list) = call(&agent, "GET", &url, &server.token(), None);
                assert_eq!(list.as_array().unwrap().len(), 1, "back to the seed");
                assert!(server.outbox().is_empty());
                // The tenant prepared by the builder, with its own token.
                let acme = format!("{}/api/connectors", server.tenant_url("acme"));
                let (status, list) = call(&agent, "GET", &acme, &server.token_for("acme"), None);
                assert_eq!(
                    (status, list[0]["id"].clone()),
                    (200, json!(format!("seeded-{n}")))
                );
                let (status, _) = call(&agent, "GET", &acme, &server.token(), None);
                assert_eq!(status, 401, "the default tenant's token is refused by acme");
                server.url().to_owned()
            })
        })
        .collect();
    let mut urls: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    urls.sort();
    urls.dedup();
    assert_eq!(urls.len(), 6, "each server has its own port");
}

#[test]
fn auth_can_be_turned_off_and_a_bad_seed_is_an_error() {
    let server = TestServer::builder().auth(AuthMode::None).start().unwrap();
    let response = agent()
        .get(&format!("{}/api/connectors", server.url()))
        .call()
        .unwrap();
    assert_eq!(response.status(), 200);
    let error = TestServer::builder()
        .seed(json!([{"connectorId": "nope"}]))
        .start()
        .err()
        .expect("a bad seed stops the start");
    assert!(
        error.contains("entry 0") && error.contains("connector.not_found_with_connector_id"),
        "{error}"
    );
}

#[test]
fn a_dropped_server_frees_its_port() {
    let server = TestServer::builder().start().unwrap();
    let address = server.url().trim_start_matches("http://").to_owned();
    drop(server);
    assert!(
        std::net::TcpStream::connect(&address).is_err(),
        "nothing listens after drop"
    );
}
