//! Starting and stopping the binary: graceful shutdown, start-up errors.

use serde_json::json;
use std::process::Command;

use crate::harness::{Sandbox, Server};

#[test]
fn sigterm_stops_the_server_cleanly_and_keeps_the_data() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let created = server.client().create(&json!({
        "connectorId": "mock-social-connector",
        "config": {"clientId": "a", "clientSecret": "b"}
    }));
    let status = server.terminate();
    assert!(status.success(), "exit status after SIGTERM: {status}");
    let server = Server::start_default(&sandbox.data_dir());
    let id = created["id"].as_str().unwrap();
    let reply = server.client().get(&format!("/api/connectors/{id}"));
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["config"], created["config"]);
}

fn run_failing(args: &[&str], env: &[(&str, &str)]) -> String {
    let sandbox = Sandbox::new();
    let output = Command::new(env!("CARGO_BIN_EXE_connector-mock"))
        .current_dir(sandbox.dir.path())
        .args(["--listen", "127.0.0.1:0", "--ephemeral"])
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run connector-mock");
    assert_eq!(
        output.status.code(),
        Some(1),
        "expected exit 1 for {args:?} {env:?}"
    );
    assert!(
        output.stdout.is_empty(),
        "nothing is printed on stdout on failure"
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn start_up_errors_exit_non_zero_with_a_clear_message() {
    let stderr = run_failing(&["--config", "/nonexistent/connector-mock.toml"], &[]);
    assert!(
        stderr.contains("/nonexistent/connector-mock.toml"),
        "{stderr}"
    );
    let stderr = run_failing(&[], &[("CONNECTOR_MOCK_SERVER_PORT", "1")]);
    assert!(stderr.contains("CONNECTOR_MOCK_SERVER_PORT"), "{stderr}");
    let stderr = run_failing(&[], &[("CONNECTOR_MOCK_STORAGE_DURABILITY", "sometimes")]);
    assert!(
        stderr.contains("durability") || stderr.contains("sometimes"),
        "{stderr}"
    );
    let stderr = run_failing(
        &[],
        &[("CONNECTOR_MOCK_FIXTURES_DIRS", "/nonexistent-fixtures")],
    );
    assert!(stderr.contains("/nonexistent-fixtures"), "{stderr}");
}

#[test]
fn an_unknown_key_in_config_toml_is_refused() {
    let sandbox = Sandbox::new();
    std::fs::write(
        sandbox.dir.path().join("config.toml"),
        "[server]\nlisen = \"x\"\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_connector-mock"))
        .current_dir(sandbox.dir.path())
        .args(["--ephemeral"])
        .output()
        .expect("run connector-mock");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("lisen"), "{stderr}");
}

#[test]
fn the_api_needs_the_token_from_oidc_token_and_the_signing_key_survives_a_restart() {
    let sandbox = Sandbox::new();
    let server = Server::start_default(&sandbox.data_dir());
    let client = server.client();
    let reply = client.anonymous().get("/api/connectors");
    assert_eq!(reply.status, 401);
    assert_eq!(reply.code(), Some("auth.authorization_header_missing"));
    assert_eq!(client.get("/api/connectors").status, 200);
    server.kill_9();
    let server = Server::start_default(&sandbox.data_dir());
    let reply = client.rebase(&server).get("/api/connectors");
    assert_eq!(
        reply.status, 200,
        "a token issued before the restart still verifies: {}",
        reply.text
    );
}
