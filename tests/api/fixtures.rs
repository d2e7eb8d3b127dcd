//! Table-driven checks over every manifest in `fixtures/`.

use connector_mock::factories::{load_dir, Catalog, ConnectorType};
use serde_json::Value;
use std::path::Path;

fn fixtures() -> Vec<connector_mock::factories::Factory> {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")).expect("every manifest loads")
}

#[test]
fn every_manifest_parses_compiles_and_accepts_its_sample_config() {
    // `load_dir` parses each manifest, compiles its schema and validates its sample.
    let factories = fixtures();
    assert!(factories.len() >= 10, "{} manifests", factories.len());
    for factory in &factories {
        assert!(
            factory
                .config_schema
                .validate(&Value::Object(factory.sample_config.clone()))
                .is_ok(),
            "{}",
            factory.origin
        );
    }
}

#[test]
fn every_manifest_accepts_its_sample_cut_down_to_the_required_keys() {
    for factory in fixtures() {
        let required: Vec<&str> = factory.config_schema.schema()["required"]
            .as_array()
            .map(|keys| keys.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let minimal: serde_json::Map<String, Value> = factory
            .sample_config
            .iter()
            .filter(|(key, _)| required.contains(&key.as_str()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        assert_eq!(
            minimal.len(),
            required.len(),
            "{}: sample lacks a required key",
            factory.origin
        );
        assert!(
            factory
                .config_schema
                .validate(&Value::Object(minimal))
                .is_ok(),
            "{}: the minimal config is rejected",
            factory.origin
        );
    }
}

#[test]
fn every_social_manifest_says_how_its_authorization_uri_is_built() {
    for factory in fixtures() {
        if factory.connector_type == ConnectorType::Social {
            assert!(
                factory.authorization.is_some(),
                "{}: no authorization rule",
                factory.origin
            );
        }
    }
}

#[test]
fn every_manifest_rejects_its_known_invalid_configs() {
    for factory in fixtures() {
        assert!(
            !factory.invalid_configs.is_empty(),
            "{} lists no invalid configs",
            factory.origin
        );
        for (index, config) in factory.invalid_configs.iter().enumerate() {
            assert!(
                factory.config_schema.validate(config).is_err(),
                "{}: invalidConfigs[{index}] was accepted",
                factory.origin
            );
        }
    }
}

#[test]
fn every_manifest_folder_is_named_after_its_factory_and_has_logtos_metadata() {
    for factory in fixtures() {
        let folder = Path::new(&factory.origin)
            .parent()
            .unwrap()
            .file_name()
            .unwrap();
        assert_eq!(folder.to_str().unwrap(), factory.id, "{}", factory.origin);
        let metadata = &factory.metadata;
        assert!(metadata["name"]["en"].is_string(), "{}", factory.origin);
        assert!(
            metadata["description"]["en"].is_string(),
            "{}",
            factory.origin
        );
        assert!(
            metadata["logo"]
                .as_str()
                .unwrap()
                .starts_with("data:image/"),
            "{}: logo file missing",
            factory.origin
        );
        assert!(
            !metadata["readme"].as_str().unwrap().starts_with("./"),
            "{}: readme file missing",
            factory.origin
        );
        match factory.connector_type {
            ConnectorType::Social => assert!(factory.platform.is_some(), "{}", factory.origin),
            _ => assert!(factory.platform.is_none(), "{}", factory.origin),
        }
    }
}

#[test]
fn the_bundled_catalog_is_exactly_the_fixtures_folder() {
    let on_disk: Vec<String> = fixtures().into_iter().map(|f| f.id).collect();
    let bundled: Vec<String> = Catalog::load(&[] as &[&str])
        .unwrap()
        .all()
        .iter()
        .map(|f| f.id.clone())
        .collect();
    let mut on_disk_sorted = on_disk.clone();
    on_disk_sorted.sort();
    assert_eq!(bundled, on_disk_sorted);
}

#[test]
fn the_logto_test_connectors_are_bundled_with_their_rules() {
    let catalog = Catalog::load(&[] as &[&str]).unwrap();
    let alternative = catalog.get("mock-email-service-alternative").unwrap();
    assert!(alternative
        .config_schema
        .validate(&serde_json::json!({}))
        .is_ok());
    let email = catalog.get("mock-email-service").unwrap();
    assert!(email
        .config_schema
        .validate(&serde_json::json!({}))
        .is_err());
    let social = catalog.get("mock-social-connector").unwrap();
    assert!(social.is_token_storage_supported);
    assert_eq!(social.target, "mock-social");
    assert_eq!(
        catalog.get("mock-short-message-service").unwrap().target,
        "mock-sms"
    );
    assert!(catalog.get("oidc").unwrap().is_standard);
}
