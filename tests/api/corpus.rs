//! Replays the differential corpus in `tests/corpus/`: configs with the verdict of
//! the real connector package's zod guard, and authorization URIs the real
//! package built. Our schemas and rules must agree with every case.

use connector_mock::factories::authorization::AuthorizationInput;
use connector_mock::factories::Catalog;
use serde_json::Value;
use std::path::Path;

fn corpus_files() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus exists")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

#[test]
fn every_bundled_factory_has_a_corpus_of_at_least_30_configs() {
    let catalog = Catalog::load(&[] as &[&str]).unwrap();
    let files = corpus_files();
    for factory in catalog.all() {
        let corpus = files
            .iter()
            .find(|(_, corpus)| corpus["factoryId"] == factory.id.as_str())
            .unwrap_or_else(|| panic!("no corpus for {}", factory.id));
        assert!(
            corpus.1["configs"].as_array().unwrap().len() >= 30,
            "{}",
            corpus.0
        );
    }
}

#[test]
fn our_schemas_agree_with_the_real_guards_on_every_corpus_config() {
    let catalog = Catalog::load(&[] as &[&str]).unwrap();
    let mut disagreements = Vec::new();
    let mut total = 0;
    for (file, corpus) in corpus_files() {
        let factory = catalog
            .get(corpus["factoryId"].as_str().unwrap())
            .unwrap_or_else(|| panic!("{file}: unknown factory"));
        for case in corpus["configs"].as_array().unwrap() {
            total += 1;
            let ours = factory.config_schema.validate(&case["config"]).is_ok();
            if ours != case["valid"].as_bool().unwrap() {
                disagreements.push(format!("{file}: ours {ours} for {}", case["config"]));
            }
        }
    }
    assert!(total > 0);
    assert!(
        disagreements.is_empty(),
        "{} of {total}:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

#[test]
fn our_url_checks_agree_with_zod_on_every_odd_url() {
    let catalog = Catalog::load(&[] as &[&str]).unwrap();
    let mut disagreements = Vec::new();
    let mut total = 0;
    for (file, corpus) in corpus_files() {
        let factory = catalog.get(corpus["factoryId"].as_str().unwrap()).unwrap();
        for case in corpus["urls"].as_array().into_iter().flatten() {
            total += 1;
            let issues = match factory.config_schema.validate(&case["config"]) {
                Ok(()) => Vec::new(),
                Err(issues) => issues.iter().map(|issue| issue.to_json()).collect(),
            };
            // Same verdict, and the same issues (url, endsWith, ...) in zod's order.
            if Value::Array(issues.clone()) != case["issues"]
                || issues.is_empty() != case["valid"].as_bool().unwrap()
            {
                disagreements.push(format!(
                    "{file}: {}: ours {issues:?}, zod {}",
                    case["config"], case["issues"]
                ));
            }
        }
    }
    assert!(total >= 100, "only {total} URL cases");
    assert!(
        disagreements.is_empty(),
        "{} of {total}:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

#[test]
fn our_authorization_rules_build_the_urls_the_real_connectors_build() {
    let catalog = Catalog::load(&[] as &[&str]).unwrap();
    let mut disagreements = Vec::new();
    for (file, corpus) in corpus_files() {
        let factory = catalog.get(corpus["factoryId"].as_str().unwrap()).unwrap();
        for case in corpus["authorization"].as_array().into_iter().flatten() {
            let input = &case["input"];
            let text = |key: &str| input[key].as_str().unwrap_or_default().to_owned();
            let input = AuthorizationInput {
                state: text("state"),
                redirect_uri: text("redirectUri"),
                connector_id: text("connectorId"),
                connector_factory_id: text("connectorFactoryId"),
            };
            // Stored configs are cleaned (no "", null, {} or []), in Logto as here: a case
            // with such values cannot reach a connector's getAuthorizationUri.
            if !is_clean(&case["config"]) {
                continue;
            }
            let config = case["config"].as_object().cloned().unwrap_or_default();
            let ours = match factory
                .authorization
                .as_ref()
                .map(|rule| rule.build(&config, &input))
            {
                Some(Ok(url)) => serde_json::json!({ "redirectTo": url }),
                Some(Err(_)) | None => serde_json::json!({ "error": "connector.not_implemented" }),
            };
            let expected = &case["expect"];
            // A config the real connector refuses is answered before the rule runs.
            if expected["error"] == "connector.invalid_config" {
                assert!(
                    factory.config_schema.validate(&case["config"]).is_err(),
                    "{file}"
                );
                continue;
            }
            if &ours != expected {
                disagreements.push(format!("{file}: ours {ours} expected {expected}"));
            }
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// Whether Logto's cleanDeep would leave `value` as it is.
fn is_clean(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty() && items.iter().all(is_clean),
        Value::Object(object) => !object.is_empty() && object.values().all(is_clean),
        _ => true,
    }
}
