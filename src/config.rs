//! Configuration: built-in defaults < `config.toml` < `CONNECTOR_MOCK_<SECTION>_<KEY>`
//! environment variables < command-line flags. Unknown keys are errors.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::connectors::PatchMode;
use crate::limits::Limits;
use crate::store::{Durability, StoreOptions};

/// Every setting of the server.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub server: ServerConfig,
    pub storage: StorageConfig,
    pub patch: PatchConfig,
    pub fixtures: FixturesConfig,
    pub auth: AuthConfig,
    pub limits: Limits,
    pub outbox: OutboxConfig,
    pub tenants: TenantsConfig,
    pub seed: SeedConfig,
    pub journal: JournalConfig,
    pub ids: IdsConfig,
}

/// `[tenants]` (temporary until the config refactor lands)
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TenantsConfig {
    pub base_domain: String,
    pub max: usize,
}
impl Default for TenantsConfig {
    fn default() -> Self {
        TenantsConfig { base_domain: "localhost".into(), max: 1000 }
    }
}
/// `[seed]`
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct SeedConfig {
    pub file: Option<PathBuf>,
}
/// `[journal]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct JournalConfig {
    pub capacity: usize,
}
impl Default for JournalConfig {
    fn default() -> Self {
        JournalConfig { capacity: 1000 }
    }
}
/// `[ids]`
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct IdsConfig {
    pub seed: Option<u64>,
}

/// `[outbox]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct OutboxConfig {
    /// Messages kept per tenant; the oldest are dropped beyond it.
    pub capacity: usize,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        OutboxConfig { capacity: 1000 }
    }
}

/// `[server]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address to listen on; port 0 picks a free port.
    pub listen: String,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// HTTP worker threads; 0 = one per CPU core.
    pub workers: usize,
    /// Longest wait for a request's head or body, in milliseconds.
    pub request_timeout_ms: u64,
    /// How long an idle keep-alive connection stays open, in milliseconds.
    pub keep_alive_ms: u64,
    /// Most connections served at once; more wait in the listen backlog.
    pub max_connections: usize,
}

/// `[storage]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    /// sled data directory.
    pub data: PathBuf,
    /// Keep everything in a temporary database removed on exit.
    pub ephemeral: bool,
    /// `always` | `batched` | `none`.
    pub durability: Durability,
    /// Flush interval for `durability = "batched"`, in milliseconds.
    pub flush_interval_ms: u64,
    /// Set by `--accept-data-loss` only (never read from the file).
    #[serde(skip)]
    pub accept_data_loss: bool,
}

/// `[patch]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PatchConfig {
    /// `merge` (RFC 7396) | `replace` (Logto's wholesale replacement).
    pub config: PatchMode,
}

/// `[fixtures]`
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct FixturesConfig {
    /// Extra folders of `<factory>/manifest.json` manifests (custom connectors).
    pub dirs: Vec<PathBuf>,
}

/// `[auth]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// `token`: `/api` needs a Bearer token; `none`: no checks.
    pub mode: AuthMode,
    /// Lifetime of issued access tokens, in seconds.
    pub token_ttl: u64,
    /// Tokens accepted as they are (for scripts and benchmarks); they grant scope `all`.
    pub static_tokens: Vec<String>,
    /// Machine-to-machine clients that may ask `/oidc/token` for tokens.
    pub clients: Vec<AuthClient>,
}

/// `[auth] mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    Token,
    None,
}

/// One `[[auth.clients]]` entry.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AuthClient {
    pub id: String,
    pub secret: String,
    /// Scopes the client may be granted (`all` opens the Management API).
    #[serde(default = "all_scopes")]
    pub scopes: Vec<String>,
}

fn all_scopes() -> Vec<String> {
    vec!["all".to_owned()]
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            mode: AuthMode::Token,
            token_ttl: 3600,
            static_tokens: Vec::new(),
            clients: vec![AuthClient {
                id: "mock-m2m".into(),
                secret: "mock-m2m-secret".into(),
                scopes: all_scopes(),
            }],
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: "127.0.0.1:3001".into(),
            body_limit: 1024 * 1024,
            workers: 0,
            request_timeout_ms: 10_000,
            keep_alive_ms: 5_000,
            max_connections: 1024,
        }
    }
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            data: PathBuf::from("./data"),
            ephemeral: false,
            durability: Durability::Always,
            flush_interval_ms: 100,
            accept_data_loss: false,
        }
    }
}

impl Default for PatchConfig {
    fn default() -> Self {
        PatchConfig {
            config: PatchMode::Merge,
        }
    }
}

/// The kind of value a key holds (how an environment variable is read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Text,
    Integer,
    Boolean,
    /// Comma-separated in the environment.
    TextList,
    /// A table array: set in the file only.
    FileOnly,
}

/// Every key: `(section, key, kind)`. Its env name is `CONNECTOR_MOCK_<SECTION>_<KEY>`.
pub const KEYS: &[(&str, &str, KeyKind)] = &[
    ("server", "listen", KeyKind::Text),
    ("server", "body_limit", KeyKind::Integer),
    ("server", "workers", KeyKind::Integer),
    ("server", "request_timeout_ms", KeyKind::Integer),
    ("server", "keep_alive_ms", KeyKind::Integer),
    ("server", "max_connections", KeyKind::Integer),
    ("storage", "data", KeyKind::Text),
    ("storage", "ephemeral", KeyKind::Boolean),
    ("storage", "durability", KeyKind::Text),
    ("storage", "flush_interval_ms", KeyKind::Integer),
    ("patch", "config", KeyKind::Text),
    ("fixtures", "dirs", KeyKind::TextList),
    ("auth", "mode", KeyKind::Text),
    ("auth", "token_ttl", KeyKind::Integer),
    ("auth", "static_tokens", KeyKind::TextList),
    ("auth", "clients", KeyKind::FileOnly),
    ("limits", "max_depth", KeyKind::Integer),
    ("limits", "max_config_bytes", KeyKind::Integer),
    ("limits", "max_patch_operations", KeyKind::Integer),
    ("outbox", "capacity", KeyKind::Integer),
];

/// Prefix of every environment variable the server reads.
pub const ENV_PREFIX: &str = "CONNECTOR_MOCK_";

/// The environment variable for a key.
pub fn env_name(section: &str, key: &str) -> String {
    format!(
        "{ENV_PREFIX}{}_{}",
        section.to_uppercase(),
        key.to_uppercase()
    )
}

/// Values given on the command line (highest precedence).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub listen: Option<String>,
    pub data: Option<PathBuf>,
    pub ephemeral: bool,
    /// `--accept-data-loss`: open a damaged data directory anyway.
    pub accept_data_loss: bool,
}

impl Config {
    /// Loads the configuration. `file`: `--config FILE` (must exist); without it
    /// `./config.toml` is read when present. `env`: the process environment.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        overrides: &Overrides,
    ) -> Result<Config, String> {
        let mut table = match file {
            Some(path) => read_table(path)?,
            None if Path::new("config.toml").is_file() => read_table(Path::new("config.toml"))?,
            None => toml::Table::new(),
        };
        apply_env(&mut table, env)?;
        let mut config: Config = table.try_into().map_err(|error: toml::de::Error| {
            format!("invalid configuration: {}", error.message())
        })?;
        if let Some(listen) = &overrides.listen {
            config.server.listen = listen.clone();
        }
        if let Some(data) = &overrides.data {
            config.storage.data = data.clone();
        }
        if overrides.ephemeral {
            config.storage.ephemeral = true;
        }
        config.storage.accept_data_loss = overrides.accept_data_loss;
        config.limits.validate()?;
        if config.outbox.capacity == 0 {
            return Err("[outbox] capacity must be at least 1".to_owned());
        }
        if config.server.request_timeout_ms == 0 || config.server.max_connections == 0 {
            return Err(
                "[server] request_timeout_ms and max_connections must be at least 1".to_owned(),
            );
        }
        Ok(config)
    }

    /// How to open the store.
    pub fn store_options(&self) -> StoreOptions {
        StoreOptions {
            path: (!self.storage.ephemeral).then(|| self.storage.data.clone()),
            durability: self.storage.durability,
            flush_interval: Duration::from_millis(self.storage.flush_interval_ms.max(1)),
            accept_data_loss: self.storage.accept_data_loss,
        }
    }
}

fn read_table(path: &Path) -> Result<toml::Table, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read config file {}: {error}", path.display()))?;
    text.parse::<toml::Table>()
        .map_err(|error| format!("config file {}: {}", path.display(), error.message()))
}

fn apply_env(
    table: &mut toml::Table,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<(), String> {
    for (name, raw) in env {
        if !name.starts_with(ENV_PREFIX) {
            continue;
        }
        let (section, key, kind) = KEYS
            .iter()
            .filter(|(_, _, kind)| *kind != KeyKind::FileOnly)
            .find(|(section, key, _)| env_name(section, key) == name)
            .ok_or_else(|| {
                format!("unknown environment variable {name}: every CONNECTOR_MOCK_* variable is read as a setting; see config.toml for the known ones")
            })?;
        let value = match kind {
            KeyKind::Text => toml::Value::String(raw),
            KeyKind::Integer => raw
                .trim()
                .parse::<i64>()
                .map(toml::Value::Integer)
                .map_err(|_| format!("{name}: expected a whole number, got {raw:?}"))?,
            KeyKind::Boolean => match raw.trim() {
                "true" | "1" => toml::Value::Boolean(true),
                "false" | "0" => toml::Value::Boolean(false),
                _ => return Err(format!("{name}: expected true or false, got {raw:?}")),
            },
            KeyKind::FileOnly => unreachable!("file-only keys have no environment variable"),
            KeyKind::TextList => toml::Value::Array(
                raw.split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(|item| toml::Value::String(item.to_owned()))
                    .collect(),
            ),
        };
        let section_table = table
            .entry(section.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        match section_table {
            toml::Value::Table(section_table) => {
                section_table.insert(key.to_string(), value);
            }
            _ => return Err(format!("config: [{section}] must be a table")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(toml_text: &str, env: &[(&str, &str)], overrides: Overrides) -> Result<Config, String> {
        let dir = tempdir();
        let path = dir.join("config.toml");
        std::fs::write(&path, toml_text).unwrap();
        let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Config::load(Some(&path), env, &overrides)
    }

    fn tempdir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "cm-config-{}-{}",
            std::process::id(),
            crate::connectors::ids::generate_id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_shipped_config_toml_equals_the_defaults_and_names_every_key() {
        let shipped = include_str!("../config.toml");
        assert_eq!(
            load(shipped, &[], Overrides::default()).unwrap(),
            Config::default()
        );
        for (section, key, kind) in KEYS {
            if *kind == KeyKind::FileOnly {
                let table = format!("[[{section}.{key}]]");
                assert!(shipped.contains(&table), "config.toml lacks {table}");
                continue;
            }
            assert!(
                shipped.contains(&format!("{key} =")),
                "config.toml lacks {section}.{key}"
            );
            let env = env_name(section, key);
            assert!(shipped.contains(&env), "config.toml lacks {env}");
        }
    }

    #[test]
    fn file_then_env_then_flags_win_in_that_order() {
        let config = load(
            "[server]\nlisten = \"127.0.0.1:1\"\nbody_limit = 5\n",
            &[
                ("CONNECTOR_MOCK_SERVER_LISTEN", "127.0.0.1:2"),
                ("CONNECTOR_MOCK_FIXTURES_DIRS", "a, b"),
            ],
            Overrides::default(),
        )
        .unwrap();
        assert_eq!(config.server.listen, "127.0.0.1:2");
        assert_eq!(config.server.body_limit, 5);
        assert_eq!(
            config.fixtures.dirs,
            [PathBuf::from("a"), PathBuf::from("b")]
        );
        let config = load(
            "",
            &[("CONNECTOR_MOCK_SERVER_LISTEN", "127.0.0.1:2")],
            Overrides {
                listen: Some("127.0.0.1:3".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(config.server.listen, "127.0.0.1:3");
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        assert!(load("[server]\nlisen = \"x\"\n", &[], Overrides::default())
            .unwrap_err()
            .contains("lisen"));
        assert!(load(
            "",
            &[("CONNECTOR_MOCK_SERVER_LISEN", "x")],
            Overrides::default()
        )
        .unwrap_err()
        .contains("CONNECTOR_MOCK_SERVER_LISEN"));
        assert!(load(
            "",
            &[("CONNECTOR_MOCK_STORAGE_EPHEMERAL", "maybe")],
            Overrides::default()
        )
        .is_err());
        assert!(load(
            "[storage]\ndurability = \"sometimes\"\n",
            &[],
            Overrides::default()
        )
        .is_err());
    }

    #[test]
    fn a_named_config_file_that_is_missing_is_an_error() {
        let error = Config::load(
            Some(Path::new("/nonexistent/cm.toml")),
            Vec::new(),
            &Overrides::default(),
        )
        .unwrap_err();
        assert!(error.contains("/nonexistent/cm.toml"));
    }
}
