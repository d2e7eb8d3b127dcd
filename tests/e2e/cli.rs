//! The subcommands `factories` and `check-fixtures`; `--help` and setting flags.

use std::process::Command;

use crate::harness::Sandbox;

fn run(args: &[&str]) -> std::process::Output {
    let sandbox = Sandbox::new();
    Command::new(env!("CARGO_BIN_EXE_connector-mock"))
        .current_dir(sandbox.dir.path())
        .args(args)
        .output()
        .expect("run connector-mock")
}

#[test]
fn factories_lists_all_48_bundled_factories() {
    let output = run(&["factories"]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("ID"), "{stdout}");
    assert_eq!(lines.len(), 49, "{stdout}");
    assert!(stdout.contains("simple-mail-transfer-protocol"));
    assert!(lines
        .iter()
        .any(|line| line.starts_with("wechat-native") && line.contains("Native")));
}

#[test]
fn check_fixtures_accepts_the_bundled_folder() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    let output = run(&["check-fixtures", fixtures]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("48 manifests OK"));
}

#[test]
fn check_fixtures_names_the_file_pointer_and_reason_of_a_bad_manifest() {
    let sandbox = Sandbox::new();
    let folder = sandbox.dir.path().join("bad").join("broken");
    std::fs::create_dir_all(&folder).unwrap();
    let manifest = folder.join("manifest.json");
    std::fs::write(
        &manifest,
        r#"{"type": "Email", "metadata": {"id": "broken", "target": 7}}"#,
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_connector-mock"))
        .args([
            "check-fixtures",
            sandbox.dir.path().join("bad").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&manifest.display().to_string()), "{stderr}");
    assert!(stderr.contains("/metadata/target"), "{stderr}");
    assert!(stderr.contains("invalid type"), "{stderr}");

    let schema_problem = r#"{"type": "Email", "metadata": {"id": "broken", "target": "t", "platform": null,
        "name": {"en": "B"}, "description": {"en": "d"}, "logo": "./logo.svg", "logoDark": null,
        "readme": "./README.md"}, "configSchema": {"type": "object", "required": ["key"]},
        "sampleConfig": {}}"#;
    std::fs::write(&manifest, schema_problem).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_connector-mock"))
        .args([
            "check-fixtures",
            sandbox.dir.path().join("bad").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/sampleConfig"), "{stderr}");
}

#[test]
fn help_lists_every_setting_with_its_flag_and_environment_variable() {
    let output = run(&["--help"]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "--listen",
        "[env: CONNECTOR_MOCK_SERVER_LISTEN]",
        "--storage-durability",
        "[env: CONNECTOR_MOCK_STORAGE_DURABILITY]",
        "--seed-file",
        "[env: CONNECTOR_MOCK_SEED_FILE]",
        "--tenants-base-domain",
        "[env: CONNECTOR_MOCK_TENANTS_BASE_DOMAIN]",
        "then ./config.toml (or --config FILE)",
    ] {
        assert!(
            stdout.contains(expected),
            "--help lacks {expected}:\n{stdout}"
        );
    }
}

#[test]
fn setting_flags_work_after_the_subcommand_and_bad_ones_are_usage_errors() {
    let output = run(&["factories", "--fixtures-dirs", "/nonexistent-fixtures"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/nonexistent-fixtures"), "{stderr}");

    let output = run(&["factories", "--storage-durability", "sometimes"]);
    assert_eq!(output.status.code(), Some(2), "clap's usage error");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("sometimes"), "{stderr}");
}

#[test]
fn output_into_a_reader_that_went_away_ends_quietly() {
    let sandbox = Sandbox::new();
    for args in [&["factories"][..], &["export", "--data", "data"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_connector-mock"))
            .current_dir(sandbox.dir.path())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run connector-mock");
        // Close the reading end at once, as `| head -0` would.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("wait for connector-mock");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn healthcheck_says_whether_a_server_answers() {
    let sandbox = Sandbox::new();
    let server = crate::harness::Server::start_default(&sandbox.data_dir());
    let up = run(&["healthcheck", "--url", &server.base]);
    assert!(
        up.status.success(),
        "{}",
        String::from_utf8_lossy(&up.stderr)
    );
    assert!(String::from_utf8_lossy(&up.stdout).contains("healthy"));
    let prefixed = run(&["healthcheck", "--url", &format!("{}/t/acme/", server.base)]);
    assert!(
        prefixed.status.success(),
        "{}",
        String::from_utf8_lossy(&prefixed.stderr)
    );
    let address = server.base.clone();
    drop(server);
    let down = run(&["healthcheck", "--url", &address, "--timeout-ms", "500"]);
    assert_eq!(down.status.code(), Some(1));
    let reason = String::from_utf8_lossy(&down.stderr);
    assert_eq!(reason.lines().count(), 1, "one line: {reason}");
    assert!(reason.contains("cannot connect"), "{reason}");
    let wrong = run(&["healthcheck", "--url", "https://example.com"]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("only http://"));
}
