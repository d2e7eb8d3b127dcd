//! Connector factories: the catalog of manifests (bundled and from user folders).

pub mod authorization;
pub mod form_item;
pub mod manifest;
pub mod schema;

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

pub use authorization::AuthorizationRule;
use manifest::Manifest;
pub use manifest::{ConnectorType, Platform};
use schema::ConfigSchema;

/// The manifests compiled into the binary: `(folder, [(file, bytes)])`.
/// One bundled manifest folder: its name and its files (name, contents).
type BundledFolder = (&'static str, &'static [(&'static str, &'static [u8])]);

const BUNDLED: &[BundledFolder] = include!(concat!(env!("OUT_DIR"), "/bundled_fixtures.rs"));

/// One loaded factory.
#[derive(Debug)]
pub struct Factory {
    pub id: String,
    pub connector_type: ConnectorType,
    pub target: String,
    pub platform: Option<Platform>,
    pub is_standard: bool,
    pub is_token_storage_supported: bool,
    /// Resolved metadata in Logto's key order (what the factory endpoints serve).
    pub metadata: Map<String, Value>,
    pub config_schema: ConfigSchema,
    pub sample_config: Map<String, Value>,
    pub invalid_configs: Vec<Value>,
    /// How the authorization URI is built (social factories).
    pub authorization: Option<AuthorizationRule>,
    /// Sending looks up the stored i18n email templates first (Email factories).
    pub uses_email_templates: bool,
    /// Where the manifest came from (`bundled:<folder>` or a file path), for messages.
    pub origin: String,
}

/// Demo factories that Logto refuses to instantiate (none are bundled, but user manifests may use the ids).
pub const DEMO_FACTORY_IDS: &[&str] = &["logto-sms", "logto-social-demo"];

impl Factory {
    /// Parses and compiles one manifest; `files` holds the other files of its folder.
    pub fn load(
        origin: &str,
        manifest_bytes: &[u8],
        files: &HashMap<String, Vec<u8>>,
    ) -> Result<Factory, String> {
        let mut parser = serde_json::Deserializer::from_slice(manifest_bytes);
        let manifest: Manifest =
            serde_path_to_error::deserialize(&mut parser).map_err(|error| {
                format!(
                    "{origin}: {}: {}",
                    json_pointer(&error.path().to_string()),
                    error.inner()
                )
            })?;
        let config_schema = ConfigSchema::compile(&manifest.config_schema)
            .map_err(|error| format!("{origin}: /configSchema does not compile: {error}"))?;
        if let Err(issues) = config_schema.validate(&Value::Object(manifest.sample_config.clone()))
        {
            let reasons: Vec<String> = issues.iter().map(|issue| issue.detail_line()).collect();
            return Err(format!(
                "{origin}: /sampleConfig is not valid under /configSchema: {}",
                reasons.join("; ")
            ));
        }
        let authorization = manifest
            .authorization
            .as_ref()
            .map(AuthorizationRule::parse)
            .transpose()
            .map_err(|error| format!("{origin}: {error}"))?;
        if manifest.email_templates && manifest.connector_type != ConnectorType::Email {
            return Err(format!(
                "{origin}: /emailTemplates is only for Email factories"
            ));
        }
        let metadata = &manifest.metadata;
        if metadata.name.get("en").and_then(Value::as_str).is_none() {
            return Err(format!("{origin}: /metadata/name/en must be a string"));
        }
        for (index, item) in metadata.form_items.iter().flatten().enumerate() {
            item.check().map_err(|(place, problem)| {
                format!("{origin}: /metadata/formItems/{index}{place}: {problem}")
            })?;
        }
        Ok(Factory {
            id: metadata.id.clone(),
            connector_type: manifest.connector_type,
            target: metadata.target.clone(),
            platform: metadata.platform,
            is_standard: metadata.is_standard.unwrap_or(false),
            is_token_storage_supported: metadata.is_token_storage_supported.unwrap_or(false),
            metadata: metadata.resolve(files),
            config_schema,
            sample_config: manifest.sample_config,
            invalid_configs: manifest.invalid_configs,
            authorization,
            uses_email_templates: manifest.email_templates,
            origin: origin.to_owned(),
        })
    }

    /// Checks that every `invalidConfigs` entry is rejected by the schema.
    pub fn check_invalid_configs(&self) -> Result<(), String> {
        for (index, config) in self.invalid_configs.iter().enumerate() {
            if self.config_schema.validate(config).is_ok() {
                return Err(format!(
                    "{}: /invalidConfigs/{index}: accepted by /configSchema but listed as invalid",
                    self.origin
                ));
            }
        }
        Ok(())
    }

    pub fn is_demo(&self) -> bool {
        DEMO_FACTORY_IDS.contains(&self.id.as_str())
    }
}

/// All factories, ordered by id.
#[derive(Debug, Default)]
pub struct Catalog {
    factories: Vec<Arc<Factory>>,
    by_id: HashMap<String, Arc<Factory>>,
}

impl Catalog {
    /// The bundled manifests plus every `<folder>/manifest.json` under each of `dirs`.
    /// A bad manifest or two factories with one id is an error naming the file(s).
    pub fn load(dirs: &[impl AsRef<Path>]) -> Result<Catalog, String> {
        let mut factories = Vec::new();
        for (folder, files) in BUNDLED {
            let files: HashMap<String, Vec<u8>> = files
                .iter()
                .map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec()))
                .collect();
            let manifest = &files["manifest.json"];
            factories.push(Factory::load(
                &format!("bundled fixtures/{folder}/manifest.json"),
                manifest,
                &files,
            )?);
        }
        for dir in dirs {
            factories.extend(load_dir(dir.as_ref())?);
        }
        Catalog::from_factories(factories)
    }

    /// A catalog of the given factories; duplicate ids are an error.
    pub fn from_factories(factories: Vec<Factory>) -> Result<Catalog, String> {
        let mut catalog = Catalog::default();
        for factory in factories {
            if let Some(existing) = catalog.by_id.get(&factory.id) {
                return Err(format!(
                    "factory id `{}` is defined twice: {} and {}",
                    factory.id, existing.origin, factory.origin
                ));
            }
            let factory = Arc::new(factory);
            catalog.by_id.insert(factory.id.clone(), factory.clone());
            catalog.factories.push(factory);
        }
        catalog.factories.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(catalog)
    }

    pub fn all(&self) -> &[Arc<Factory>] {
        &self.factories
    }

    pub fn get(&self, id: &str) -> Option<&Arc<Factory>> {
        self.by_id.get(id)
    }

    /// Ids of every factory of one type (Logto's replacement list for Email/SMS).
    pub fn ids_of_type(&self, connector_type: ConnectorType) -> Vec<&str> {
        self.factories
            .iter()
            .filter(|factory| factory.connector_type == connector_type)
            .map(|factory| factory.id.as_str())
            .collect()
    }
}

/// serde's path (`metadata.formItems[0].key`) as a JSON pointer (`/metadata/formItems/0/key`).
fn json_pointer(path: &str) -> String {
    if path == "." || path.is_empty() {
        return "/".to_owned();
    }
    let mut pointer = String::new();
    for part in path.split('.') {
        let (key, indexes) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            pointer.push('/');
            pointer.push_str(key);
        }
        for index in indexes.split('[').filter(|index| !index.is_empty()) {
            pointer.push('/');
            pointer.push_str(index.trim_end_matches(']'));
        }
    }
    pointer
}

/// Loads every `<sub-folder>/manifest.json` under `dir`.
pub fn load_dir(dir: &Path) -> Result<Vec<Factory>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|error| format!("{}: cannot read fixtures folder: {error}", dir.display()))?;
    let mut folders: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.join("manifest.json").is_file())
        .collect();
    folders.sort();
    if folders.is_empty() {
        return Err(format!(
            "{}: no <factory>/manifest.json folders found",
            dir.display()
        ));
    }
    folders.iter().map(|folder| load_folder(folder)).collect()
}

fn load_folder(folder: &Path) -> Result<Factory, String> {
    let mut files = HashMap::new();
    let entries = std::fs::read_dir(folder)
        .map_err(|error| format!("{}: cannot read: {error}", folder.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_file() {
            let bytes = std::fs::read(&path)
                .map_err(|error| format!("{}: cannot read: {error}", path.display()))?;
            files.insert(entry.file_name().to_string_lossy().into_owned(), bytes);
        }
    }
    let manifest_path = folder.join("manifest.json");
    Factory::load(
        &manifest_path.display().to_string(),
        &files["manifest.json"],
        &files,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_errors_name_the_json_pointer() {
        let files = HashMap::new();
        let error = Factory::load(
            "m.json",
            br#"{"type": "Email", "metadata": {"id": 5}}"#,
            &files,
        )
        .unwrap_err();
        assert!(
            error.starts_with("m.json: /metadata/id: invalid type"),
            "{error}"
        );
        let error = Factory::load("m.json", br#"{"type": "Fax"}"#, &files).unwrap_err();
        assert!(
            error.starts_with("m.json: /type: unknown variant"),
            "{error}"
        );
        assert_eq!(
            json_pointer("metadata.formItems[2].key"),
            "/metadata/formItems/2/key"
        );
    }

    #[test]
    fn a_form_item_outside_connector_kits_shapes_stops_the_load_with_its_pointer() {
        let manifest = |items: &str| {
            format!(
                r#"{{"type": "Social", "configSchema": {{}}, "sampleConfig": {{}}, "metadata": {{
                "id": "f", "target": "f", "platform": null, "name": {{"en": "F"}},
                "description": {{"en": "F"}}, "logo": "", "logoDark": null, "readme": "",
                "formItems": {items}}}}}"#
            )
        };
        let load =
            |items: &str| Factory::load("m.json", manifest(items).as_bytes(), &HashMap::new());
        assert!(load(r#"[{"type": "Text", "key": "k", "label": "K"}]"#).is_ok());
        let error = load(r#"[{"type": "Text", "key": "k", "label": "K"}, {"type": "Password", "key": "p", "label": "P"}]"#)
            .unwrap_err();
        assert!(
            error.starts_with("m.json: /metadata/formItems/1/type: unknown variant"),
            "{error}"
        );
        let error = load(
            r#"[{"type": "Select", "key": "k", "label": "K", "selectItems": [{"value": "a"}]}]"#,
        )
        .unwrap_err();
        assert_eq!(
            error,
            "m.json: /metadata/formItems/0/selectItems/0/title: is required for the Select type"
        );
    }

    #[test]
    fn the_bundled_catalog_loads() {
        let catalog = Catalog::load(&[] as &[&str]).unwrap();
        assert!(catalog.get("mock-social-connector").is_some());
        let ids: Vec<&str> = catalog.all().iter().map(|f| f.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
    }

    #[test]
    fn two_factories_with_one_id_are_refused_with_both_origins() {
        let catalog = Catalog::load(&[] as &[&str]).unwrap();
        let factory = catalog.get("mock-social-connector").unwrap();
        let copy = |origin: &str| {
            let mut files = HashMap::new();
            let manifest = BUNDLED
                .iter()
                .find(|(folder, _)| *folder == "mock-social-connector")
                .unwrap()
                .1
                .iter()
                .find(|(name, _)| *name == "manifest.json")
                .unwrap()
                .1;
            files.insert("manifest.json".to_owned(), manifest.to_vec());
            Factory::load(origin, manifest, &files).unwrap()
        };
        let error = Catalog::from_factories(vec![copy("a.json"), copy("b.json")]).unwrap_err();
        assert!(
            error.contains("a.json") && error.contains("b.json"),
            "{error}"
        );
        assert_eq!(factory.target, "mock-social");
    }
}
