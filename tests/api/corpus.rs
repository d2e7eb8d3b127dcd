//! Replays the differential corpus in `tests/corpus/`: configs with the verdict of
//! the real connector package's zod guard, and authorization URIs the real
//! package built. Our schemas and rules must agree with every case.

use connector_mock::factories::authorization::{is_uuid_v4, AuthorizationInput, Refusal};
use connector_mock::factories::Catalog;
use serde_json::Value;
use std::collections::HashMap;
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
    let (mut total, mut random, mut thrown, mut by_header) = (0, 0, 0, 0);
    for (file, corpus) in corpus_files() {
        let factory = catalog.get(corpus["factoryId"].as_str().unwrap()).unwrap();
        for case in corpus["authorization"].as_array().into_iter().flatten() {
            // Stored configs are cleaned (no "", null, {} or []), in Logto as here: a case
            // with such values cannot reach a connector's getAuthorizationUri.
            if !is_clean(&case["config"]) {
                continue;
            }
            let expected = &case["expect"];
            // A config the real connector refuses is answered before the rule runs.
            if expected["error"] == "connector.invalid_config" {
                assert!(
                    factory.config_schema.validate(&case["config"]).is_err(),
                    "{file}"
                );
                continue;
            }
            total += 1;
            let input = input_of(&case["input"]);
            by_header += usize::from(!input.headers.is_empty());
            let config = case["config"].as_object().cloned().unwrap_or_default();
            let answer = factory
                .authorization
                .as_ref()
                .map(|rule| rule.build(&config, &input));
            let random_params: Vec<&str> = case["randomParams"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            random += usize::from(!random_params.is_empty());
            let agrees = match (answer, expected["redirectTo"].as_str()) {
                (Some(Ok(url)), Some(real)) => same_url(&url, real, &random_params),
                (Some(Err(Refusal::Thrown(_))), None) => {
                    thrown += 1;
                    expected["error"] == "internal"
                }
                (Some(Err(Refusal::NotImplemented)) | None, None) => {
                    expected["error"] == "connector.not_implemented"
                }
                _ => false,
            };
            if !agrees {
                let ours = factory
                    .authorization
                    .as_ref()
                    .map(|rule| rule.build(&config, &input));
                disagreements.push(format!(
                    "{file}: {} {}: ours {ours:?} expected {expected}",
                    case["config"], case["input"]
                ));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {total}:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    // The corpus does reach random parameters, throws and request headers.
    assert!(
        random >= 10 && thrown >= 3 && by_header >= 10,
        "{random} {thrown} {by_header}"
    );
}

/// The corpus input as the route builds it; headers as Node presents them to Logto.
fn input_of(input: &Value) -> AuthorizationInput {
    let text = |key: &str| input[key].as_str().unwrap_or_default().to_owned();
    AuthorizationInput {
        state: text("state"),
        redirect_uri: text("redirectUri"),
        connector_id: text("connectorId"),
        connector_factory_id: text("connectorFactoryId"),
        headers: input["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, value)| (name.clone(), value.as_str().unwrap_or_default().to_owned()))
            .collect::<HashMap<_, _>>(),
    }
}

/// `ours` equals `real` once every random parameter is masked; ours must be a UUID v4.
fn same_url(ours: &str, real: &str, random_params: &[&str]) -> bool {
    let mut masked = String::with_capacity(ours.len());
    let (base, rest) = ours.split_once('?').unwrap_or((ours, ""));
    let (query, fragment) = match rest.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (rest, None),
    };
    masked.push_str(base);
    for (index, pair) in query.split('&').filter(|pair| !pair.is_empty()).enumerate() {
        masked.push(if index == 0 { '?' } else { '&' });
        match pair.split_once('=') {
            Some((name, value)) if random_params.contains(&name) => {
                if !is_uuid_v4(value) {
                    return false;
                }
                masked.push_str(name);
                masked.push_str("=<random>");
            }
            _ => masked.push_str(pair),
        }
    }
    if let Some(fragment) = fragment {
        masked.push('#');
        masked.push_str(fragment);
    }
    masked == real
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
