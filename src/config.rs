//! Configuration: built-in defaults < config file < `CONNECTOR_MOCK_<SECTION>_<KEY>`
//! environment variables < command-line flags.
//!
//! Every option is declared once, as a field of its section's struct: the field's
//! `#[arg]` attribute gives its arg id (`section.key`), flag, environment variable and
//! built-in default; serde reads the same field from the file's `[section]` table.
//! `load` feeds the file's and the environment's values to clap as the args'
//! defaults, so clap itself puts flags over them.

use clap::builder::BoolishValueParser;
use clap::{Arg, ArgAction, Args, Command, FromArgMatches, ValueEnum};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::connectors::PatchMode;
use crate::limits::Limits;
use crate::store::{Durability, StoreOptions};

/// Every setting of the server.
#[derive(Debug, Clone, PartialEq, Default, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[command(mut_args = setting_arg)]
pub struct Config {
    #[command(flatten, next_help_heading = "[server] settings")]
    pub server: ServerConfig,
    #[command(flatten, next_help_heading = "[storage] settings")]
    pub storage: StorageConfig,
    #[command(flatten, next_help_heading = "[patch] settings")]
    pub patch: PatchConfig,
    #[command(flatten, next_help_heading = "[fixtures] settings")]
    pub fixtures: FixturesConfig,
    #[command(flatten, next_help_heading = "[auth] settings")]
    pub auth: AuthConfig,
    #[command(flatten, next_help_heading = "[limits] settings")]
    pub limits: Limits,
    #[command(flatten, next_help_heading = "[outbox] settings")]
    pub outbox: OutboxConfig,
    #[command(flatten, next_help_heading = "[tenants] settings")]
    pub tenants: TenantsConfig,
    #[command(flatten, next_help_heading = "[seed] settings")]
    pub seed: SeedConfig,
    #[command(flatten, next_help_heading = "[journal] settings")]
    pub journal: JournalConfig,
    #[command(flatten, next_help_heading = "[ids] settings")]
    pub ids: IdsConfig,
    #[command(flatten, next_help_heading = "[console] settings")]
    pub console: ConsoleConfig,
}

/// `[server]`
#[derive(Debug, Clone, PartialEq, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address to listen on; port 0 picks a free port.
    #[arg(
        id = "server.listen",
        long = "listen",
        env = "CONNECTOR_MOCK_SERVER_LISTEN",
        value_name = "HOST:PORT",
        default_value = "127.0.0.1:3001"
    )]
    pub listen: String,
    /// Largest accepted request body, in bytes (larger bodies get 413).
    #[arg(
        id = "server.body_limit",
        long = "server-body-limit",
        env = "CONNECTOR_MOCK_SERVER_BODY_LIMIT",
        value_name = "BYTES",
        default_value_t = 1024 * 1024
    )]
    pub body_limit: usize,
    /// HTTP worker threads; 0 = one per CPU core.
    #[arg(
        id = "server.workers",
        long = "server-workers",
        env = "CONNECTOR_MOCK_SERVER_WORKERS",
        value_name = "N",
        default_value_t = 0
    )]
    pub workers: usize,
    /// Longest wait for a request's head or body, in milliseconds (at least 1).
    #[arg(
        id = "server.request_timeout_ms",
        long = "server-request-timeout-ms",
        env = "CONNECTOR_MOCK_SERVER_REQUEST_TIMEOUT_MS",
        value_name = "MS",
        default_value_t = 10_000
    )]
    pub request_timeout_ms: u64,
    /// How long an idle keep-alive connection stays open, in milliseconds.
    #[arg(
        id = "server.keep_alive_ms",
        long = "server-keep-alive-ms",
        env = "CONNECTOR_MOCK_SERVER_KEEP_ALIVE_MS",
        value_name = "MS",
        default_value_t = 5_000
    )]
    pub keep_alive_ms: u64,
    /// Most connections served at once (at least 1); more wait in the listen backlog.
    #[arg(
        id = "server.max_connections",
        long = "server-max-connections",
        env = "CONNECTOR_MOCK_SERVER_MAX_CONNECTIONS",
        value_name = "N",
        default_value_t = 1024
    )]
    pub max_connections: usize,
}

/// `[storage]`
#[derive(Debug, Clone, PartialEq, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    /// sled data directory; created when missing.
    #[arg(
        id = "storage.data",
        long = "data",
        env = "CONNECTOR_MOCK_STORAGE_DATA",
        value_name = "DIR",
        default_value = "./data"
    )]
    pub data: PathBuf,
    /// Keep everything in memory only: nothing is written to disk.
    #[arg(
        id = "storage.ephemeral",
        long = "ephemeral",
        env = "CONNECTOR_MOCK_STORAGE_EPHEMERAL",
        action = ArgAction::SetTrue,
        value_parser = BoolishValueParser::new()
    )]
    pub ephemeral: bool,
    /// When acknowledged writes reach the disk.
    #[arg(
        id = "storage.durability",
        long = "storage-durability",
        env = "CONNECTOR_MOCK_STORAGE_DURABILITY",
        value_enum,
        value_name = "WHEN",
        default_value_t = Durability::Always
    )]
    pub durability: Durability,
    /// Flush interval for `durability = "batched"`, in milliseconds.
    #[arg(
        id = "storage.flush_interval_ms",
        long = "storage-flush-interval-ms",
        env = "CONNECTOR_MOCK_STORAGE_FLUSH_INTERVAL_MS",
        value_name = "MS",
        default_value_t = 100
    )]
    pub flush_interval_ms: u64,
    /// Set by `--accept-data-loss` only (never read from the file or the environment).
    #[arg(skip)]
    #[serde(skip)]
    pub accept_data_loss: bool,
}

/// `[patch]`
#[derive(Debug, Clone, PartialEq, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PatchConfig {
    /// How PATCH treats `config` and `metadata` sent as application/json.
    #[arg(
        id = "patch.config",
        long = "patch-config",
        env = "CONNECTOR_MOCK_PATCH_CONFIG",
        value_enum,
        value_name = "MODE",
        default_value_t = PatchMode::Merge
    )]
    pub config: PatchMode,
}

/// `[fixtures]`
#[derive(Debug, Clone, PartialEq, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FixturesConfig {
    /// Extra folders of `<factory>/manifest.json` manifests (custom connectors), comma-separated.
    #[arg(
        id = "fixtures.dirs",
        long = "fixtures-dirs",
        env = "CONNECTOR_MOCK_FIXTURES_DIRS",
        value_name = "DIR",
        value_delimiter = ','
    )]
    pub dirs: Vec<PathBuf>,
}

/// `[auth]`
#[derive(Debug, Clone, PartialEq, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// `token`: `/api` needs a Bearer token; `none`: no checks.
    #[arg(
        id = "auth.mode",
        long = "auth-mode",
        env = "CONNECTOR_MOCK_AUTH_MODE",
        value_enum,
        value_name = "MODE",
        default_value_t = AuthMode::Token
    )]
    pub mode: AuthMode,
    /// Lifetime of issued access tokens, in seconds.
    #[arg(
        id = "auth.token_ttl",
        long = "auth-token-ttl",
        env = "CONNECTOR_MOCK_AUTH_TOKEN_TTL",
        value_name = "SECONDS",
        default_value_t = 3600
    )]
    pub token_ttl: u64,
    /// Tokens accepted as they are, with scope `all` (for scripts and benchmarks), comma-separated.
    #[arg(
        id = "auth.static_tokens",
        long = "auth-static-tokens",
        env = "CONNECTOR_MOCK_AUTH_STATIC_TOKENS",
        value_name = "TOKEN",
        value_delimiter = ','
    )]
    pub static_tokens: Vec<String>,
    /// Machine-to-machine clients that may ask `/oidc/token` for tokens
    /// (`[[auth.clients]]`, set in the file only).
    #[arg(skip = default_clients())]
    pub clients: Vec<AuthClient>,
}

/// `[auth] mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    /// Every /api and /_mock route needs `Authorization: Bearer <token>`.
    Token,
    /// No checks at all (logged loudly at start-up).
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

fn default_clients() -> Vec<AuthClient> {
    vec![AuthClient {
        id: "mock-m2m".into(),
        secret: "mock-m2m-secret".into(),
        scopes: all_scopes(),
    }]
}

/// `[outbox]`
#[derive(Debug, Clone, PartialEq, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutboxConfig {
    /// Messages kept per tenant (at least 1); the oldest are dropped beyond it.
    #[arg(
        id = "outbox.capacity",
        long = "outbox-capacity",
        env = "CONNECTOR_MOCK_OUTBOX_CAPACITY",
        value_name = "N",
        default_value_t = 1000
    )]
    pub capacity: usize,
    /// Also write each message the way Logto's mock connectors do, to
    /// /tmp/logto/mock_email_record.txt and /tmp/logto/mock_sms_record.txt (the last one only).
    #[arg(
        id = "outbox.record_files",
        long = "outbox-record-files",
        env = "CONNECTOR_MOCK_OUTBOX_RECORD_FILES",
        action = ArgAction::SetTrue,
        value_parser = BoolishValueParser::new()
    )]
    pub record_files: bool,
}

/// `[tenants]`
#[derive(Debug, Clone, PartialEq, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TenantsConfig {
    /// Host header suffix whose first label selects a tenant (acme.localhost:3001 → acme).
    #[arg(
        id = "tenants.base_domain",
        long = "tenants-base-domain",
        env = "CONNECTOR_MOCK_TENANTS_BASE_DOMAIN",
        value_name = "DOMAIN",
        default_value = "localhost"
    )]
    pub base_domain: String,
    /// Most tenants that may exist at once (at least 1).
    #[arg(
        id = "tenants.max",
        long = "tenants-max",
        env = "CONNECTOR_MOCK_TENANTS_MAX",
        value_name = "N",
        default_value_t = 1000
    )]
    pub max: usize,
}

/// `[seed]`
#[derive(Debug, Clone, PartialEq, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SeedConfig {
    /// JSON seed file applied to each tenant on first use and on reset (default: none).
    #[arg(
        id = "seed.file",
        long = "seed-file",
        env = "CONNECTOR_MOCK_SEED_FILE",
        value_name = "FILE"
    )]
    pub file: Option<PathBuf>,
}

/// `[journal]`
#[derive(Debug, Clone, PartialEq, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JournalConfig {
    /// Requests kept per tenant in the request journal; 0 turns it off.
    #[arg(
        id = "journal.capacity",
        long = "journal-capacity",
        env = "CONNECTOR_MOCK_JOURNAL_CAPACITY",
        value_name = "N",
        default_value_t = 1000
    )]
    pub capacity: usize,
}

/// `[ids]`
#[derive(Debug, Clone, PartialEq, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IdsConfig {
    /// Seed that makes generated ids reproducible (default: none, random ids).
    #[arg(
        id = "ids.seed",
        long = "ids-seed",
        env = "CONNECTOR_MOCK_IDS_SEED",
        value_name = "N"
    )]
    pub seed: Option<u64>,
}

/// `[console]`
#[derive(Debug, Clone, PartialEq, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleConfig {
    /// Serve the web console: the page at / (for browsers) and its assets under /console/.
    #[arg(
        id = "console.enabled",
        long = "console-enabled",
        env = "CONNECTOR_MOCK_CONSOLE_ENABLED",
        value_name = "BOOL",
        action = ArgAction::Set,
        value_parser = BoolishValueParser::new(),
        default_value_t = true
    )]
    pub enabled: bool,
}

macro_rules! defaults_from_clap {
    ($($section:ty),* $(,)?) => {$(
        impl Default for $section {
            /// The built-in defaults declared on the fields' `#[arg]` attributes.
            fn default() -> Self {
                built_in_defaults()
            }
        }
    )*};
}

defaults_from_clap!(
    ServerConfig,
    StorageConfig,
    PatchConfig,
    FixturesConfig,
    AuthConfig,
    OutboxConfig,
    TenantsConfig,
    SeedConfig,
    JournalConfig,
    IdsConfig,
    ConsoleConfig,
);

/// Keys set in the file only: they have no flag and no environment variable.
pub const FILE_ONLY_KEYS: &[&str] = &["auth.clients"];

/// Prefix of every environment variable the server reads.
pub const ENV_PREFIX: &str = "CONNECTOR_MOCK_";

/// Whether `arg` is a setting (its id is `section.key`), not a plain command-line option.
pub fn is_setting(arg: &Arg) -> bool {
    arg.get_id().as_str().contains('.')
}

/// Applied to every arg once [`Config`]'s args are added: settings may be given before
/// or after the subcommand, and `--help` never shows their environment values (secrets).
fn setting_arg(arg: Arg) -> Arg {
    if is_setting(&arg) {
        arg.global(true).hide_env_values(true)
    } else {
        arg
    }
}

/// A section's built-in defaults: what clap gives when nothing is set.
pub(crate) fn built_in_defaults<T: Args + FromArgMatches>() -> T {
    let command = T::augment_args(Command::new("defaults").no_binary_name(true))
        .mut_args(|arg| arg.env(None));
    let matches = command
        .try_get_matches_from(Vec::<OsString>::new())
        .expect("the built-in defaults parse");
    T::from_arg_matches(&matches).expect("the built-in defaults fit their fields")
}

impl Config {
    /// How to open the store.
    pub fn store_options(&self) -> StoreOptions {
        StoreOptions {
            path: (!self.storage.ephemeral).then(|| self.storage.data.clone()),
            durability: self.storage.durability,
            flush_interval: Duration::from_millis(self.storage.flush_interval_ms.max(1)),
            accept_data_loss: self.storage.accept_data_loss,
        }
    }

    /// Refuses values every layer accepts one by one but the server cannot run with.
    fn validate(&self) -> Result<(), String> {
        self.limits.validate()?;
        if self.outbox.capacity == 0 {
            return Err("[outbox] capacity must be at least 1".to_owned());
        }
        if self.server.request_timeout_ms == 0 || self.server.max_connections == 0 {
            return Err(
                "[server] request_timeout_ms and max_connections must be at least 1".to_owned(),
            );
        }
        if self.tenants.max == 0 {
            return Err("[tenants] max must be at least 1".to_owned());
        }
        Ok(())
    }
}

/// Loads the configuration. `command` holds [`Config`]'s args (flattened) and parses
/// `args` (the whole command line, program name first). `file`: `--config FILE` (must
/// exist); without it `./config.toml` is read when present. `env`: the environment.
///
/// The file's and the environment's values become the args' defaults, so clap puts
/// flags over the environment and the environment over the file. `[[auth.clients]]`
/// comes from the file alone; `storage.accept_data_loss` is left `false`.
pub(crate) fn load(
    command: Command,
    args: &[OsString],
    file: Option<&Path>,
    env: impl IntoIterator<Item = (OsString, OsString)>,
) -> Result<Config, String> {
    let file = match file {
        Some(path) => Some(read_file(path)?),
        None if Path::new("config.toml").is_file() => Some(read_file(Path::new("config.toml"))?),
        None => None,
    };
    let settings: Vec<&Arg> = command
        .get_arguments()
        .filter(|arg| is_setting(arg))
        .collect();
    let mut env = setting_env(&settings, env)?;
    let mut layered: Vec<(String, Vec<String>)> = Vec::new();
    for arg in &settings {
        let id = arg.get_id().as_str();
        let name = env_of(arg);
        let values = if let Some(raw) = env.remove(&name) {
            let values = if arg.get_value_delimiter().is_some() {
                raw.split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(str::to_owned)
                    .collect()
            } else {
                vec![raw]
            };
            check_values(arg, &values).map_err(|problem| format!("{name}: {problem}"))?;
            values
        } else if let Some((file, value)) = file.as_ref().and_then(|file| {
            let (section, key) = id.split_once('.')?;
            Some((file, file.table.get(section)?.get(key)?))
        }) {
            let values = match value {
                toml::Value::Array(items) => items.iter().map(toml_text).collect(),
                value => vec![toml_text(value)],
            };
            check_values(arg, &values).map_err(|problem| {
                let (section, key) = id.split_once('.').unwrap_or_default();
                format!("config file {}: [{section}] {key}: {problem}", file.path)
            })?;
            values
        } else {
            continue;
        };
        layered.push((id.to_owned(), values));
    }
    let mut command = command.mut_args(|arg| arg.env(None));
    for (id, values) in layered {
        command = command.mut_arg(id, |arg| arg.default_values(values));
    }
    let program = [OsString::from("connector-mock")];
    let args = if args.is_empty() { &program[..] } else { args };
    let matches = command
        .try_get_matches_from(args)
        .map_err(|error| error.to_string())?;
    let mut config = Config::from_arg_matches(&matches).map_err(|error| error.to_string())?;
    if let Some(file) = file {
        config.auth.clients = file.parsed.auth.clients;
    }
    config.validate()?;
    Ok(config)
}

/// A configuration file: its table (the values clap gets) and what serde made of it
/// (the check of every value's type, and the file-only keys).
struct ConfigFile {
    path: String,
    table: toml::Table,
    parsed: Config,
}

fn read_file(path: &Path) -> Result<ConfigFile, String> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read config file {shown}: {error}"))?;
    let table = text
        .parse::<toml::Table>()
        .map_err(|error| format!("config file {shown}: {}", error.to_string().trim_end()))?;
    check_keys(&table).map_err(|problem| format!("config file {shown}: {problem}"))?;
    let parsed = toml::from_str::<Config>(&text)
        .map_err(|error| format!("config file {shown}: {}", error.to_string().trim_end()))?;
    Ok(ConfigFile {
        path: shown,
        table,
        parsed,
    })
}

/// Every `section.key` the file may hold: the settings' arg ids and the file-only keys.
fn known_keys() -> Vec<String> {
    Config::augment_args(Command::new("keys"))
        .get_arguments()
        .filter(|arg| is_setting(arg))
        .map(|arg| arg.get_id().as_str().to_owned())
        .chain(FILE_ONLY_KEYS.iter().map(|key| (*key).to_owned()))
        .collect()
}

/// Refuses sections and keys no setting has.
fn check_keys(table: &toml::Table) -> Result<(), String> {
    let known = known_keys();
    for (section, value) in table {
        let keys: Vec<&str> = known
            .iter()
            .filter_map(|id| id.strip_prefix(section.as_str())?.strip_prefix('.'))
            .collect();
        if keys.is_empty() {
            let mut sections: Vec<&str> = Vec::new();
            for (section, _) in known.iter().filter_map(|id| id.split_once('.')) {
                if !sections.contains(&section) {
                    sections.push(section);
                }
            }
            return Err(format!(
                "unknown section [{section}] (known sections: {})",
                sections.join(", ")
            ));
        }
        let toml::Value::Table(entries) = value else {
            return Err(format!("[{section}] must be a table"));
        };
        if let Some(key) = entries.keys().find(|key| !keys.contains(&key.as_str())) {
            return Err(format!(
                "unknown key {key:?} in [{section}] (known keys: {})",
                keys.join(", ")
            ));
        }
    }
    Ok(())
}

/// A file value as clap reads it on the command line.
fn toml_text(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The environment variable of a setting.
fn env_of(arg: &Arg) -> String {
    arg.get_env()
        .and_then(|name| name.to_str())
        .unwrap_or_default()
        .to_owned()
}

/// The `CONNECTOR_MOCK_*` variables of `env`, by name; an unknown one is an error.
fn setting_env(
    settings: &[&Arg],
    env: impl IntoIterator<Item = (OsString, OsString)>,
) -> Result<BTreeMap<String, String>, String> {
    let mut found = BTreeMap::new();
    for (name, value) in env {
        let name = name.to_string_lossy().into_owned();
        if !name.starts_with(ENV_PREFIX) {
            continue;
        }
        if !settings.iter().any(|arg| env_of(arg) == name) {
            return Err(format!(
                "unknown environment variable {name}: every {ENV_PREFIX}* variable is read as a setting; see config.toml or --help for the known ones"
            ));
        }
        let value = value
            .into_string()
            .map_err(|_| format!("{name}: the value is not valid UTF-8"))?;
        found.insert(name, value);
    }
    Ok(found)
}

/// Parses each of `values` as `arg` would, so that a bad value is reported with where
/// it came from rather than as a bad default of a flag.
fn check_values(arg: &Arg, values: &[String]) -> Result<(), String> {
    for value in values {
        let probe = arg
            .clone()
            .env(None)
            .global(false)
            .default_value(value.clone());
        let result = Command::new("check")
            .no_binary_name(true)
            .arg(probe)
            .try_get_matches_from(Vec::<OsString>::new());
        if let Err(error) = result {
            let mut problem = format!("invalid value {value:?}");
            if let Some(source) = std::error::Error::source(&error) {
                problem.push_str(&format!(": {source}"));
            } else if value.is_empty() {
                problem.push_str(": it must not be empty");
            }
            let possible: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|possible| !possible.is_hide_set())
                .map(|possible| possible.get_name().to_owned())
                .collect();
            if !possible.is_empty() {
                problem.push_str(&format!(" (expected one of: {})", possible.join(", ")));
            }
            return Err(problem);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, CliError};

    /// The configuration for `args` (after the program name) and `env` alone.
    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<Config, CliError> {
        let args = std::iter::once("connector-mock").chain(args.iter().copied());
        Cli::parse_with(args, env.iter().copied()).map(|(_, config)| config)
    }

    /// The configuration for a config file holding `toml_text`, then `env`, then `args`.
    fn load(toml_text: &str, env: &[(&str, &str)], args: &[&str]) -> Result<Config, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, toml_text).unwrap();
        let mut all = vec!["--config", path.to_str().unwrap()];
        all.extend_from_slice(args);
        parse(&all, env).map_err(|error| error.to_string())
    }

    /// Every setting's arg: `(section, key, env, long flag)`.
    fn settings() -> Vec<(String, String, String, String)> {
        Cli::command()
            .get_arguments()
            .filter(|arg| is_setting(arg))
            .map(|arg| {
                let (section, key) = arg.get_id().as_str().split_once('.').unwrap();
                let long = arg.get_long().expect("every setting has a flag");
                (section.into(), key.into(), env_of(arg), format!("--{long}"))
            })
            .collect()
    }

    use clap::CommandFactory;

    #[test]
    fn settings_follow_the_naming_rules() {
        let short = [
            ("server.listen", "--listen"),
            ("storage.data", "--data"),
            ("storage.ephemeral", "--ephemeral"),
        ];
        let all = settings();
        assert_eq!(
            all.len(),
            26,
            "the settings with a flag and an env variable"
        );
        for (section, key, env, flag) in all {
            let id = format!("{section}.{key}");
            assert_eq!(
                env,
                format!(
                    "{ENV_PREFIX}{}_{}",
                    section.to_uppercase(),
                    key.to_uppercase()
                )
            );
            let expected = short
                .iter()
                .find(|(short_id, _)| *short_id == id)
                .map(|(_, flag)| flag.to_string())
                .unwrap_or_else(|| format!("--{section}-{}", key.replace('_', "-")));
            assert_eq!(flag, expected, "{id}");
        }
    }

    #[test]
    fn the_shipped_config_toml_equals_the_defaults_and_names_every_key() {
        let shipped = include_str!("../config.toml");
        assert_eq!(
            toml::from_str::<Config>(shipped).unwrap(),
            Config::default()
        );
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/config.toml");
        assert_eq!(parse(&["--config", path], &[]).unwrap(), Config::default());
        for (section, key, env, flag) in settings() {
            let header = format!("\n[{section}]\n");
            let start = shipped
                .find(&header)
                .unwrap_or_else(|| panic!("config.toml lacks {header}"))
                + header.len();
            let block = &shipped[start..];
            let block = &block[..block.find("\n[").unwrap_or(block.len())];
            assert!(
                block.lines().any(|line| line
                    .trim_start_matches("# ")
                    .starts_with(&format!("{key} = "))),
                "config.toml lacks {section}.{key}"
            );
            let names = format!("# env: {env}    flag: {flag}\n");
            assert!(block.contains(&names), "config.toml lacks {names:?}");
        }
        for key in FILE_ONLY_KEYS {
            assert!(
                shipped.contains(&format!("[[{key}]]")),
                "config.toml lacks {key}"
            );
        }
        // The keys shown commented out are valid once uncommented.
        let uncommented = shipped
            .replace("# file = \"seed.json\"", "file = \"seed.json\"")
            .replace("# seed = 42", "seed = 42");
        let config = load(&uncommented, &[], &[]).unwrap();
        assert_eq!(config.seed.file, Some(PathBuf::from("seed.json")));
        assert_eq!(config.ids.seed, Some(42));
    }

    #[test]
    fn defaults() {
        let config = Config::default();
        assert_eq!(config.server.listen, "127.0.0.1:3001");
        assert_eq!(config.server.body_limit, 1024 * 1024);
        assert_eq!(config.storage.data, PathBuf::from("./data"));
        assert!(!config.storage.ephemeral);
        assert_eq!(config.storage.durability, Durability::Always);
        assert_eq!(config.patch.config, PatchMode::Merge);
        assert_eq!(config.auth.mode, AuthMode::Token);
        assert_eq!(config.auth.clients.len(), 1);
        assert_eq!(config.limits.max_depth, 32);
        assert_eq!(config.limits.max_config_bytes, 256 * 1024);
        assert_eq!(config.outbox.capacity, 1000);
        assert_eq!(config.tenants.base_domain, "localhost");
        assert_eq!(config.tenants.max, 1000);
        assert_eq!(config.seed.file, None);
        assert_eq!(config.journal.capacity, 1000);
        assert_eq!(config.ids.seed, None);
        assert!(config.console.enabled);
        assert_eq!(load("", &[], &[]).unwrap(), config);
    }

    #[test]
    fn file_then_env_then_flags_win_in_that_order_for_a_scalar() {
        let file = "[server]\nlisten = \"127.0.0.1:1\"\nbody_limit = 5\n";
        let env = [("CONNECTOR_MOCK_SERVER_LISTEN", "127.0.0.1:2")];
        let config = load(file, &[], &[]).unwrap();
        assert_eq!(config.server.listen, "127.0.0.1:1");
        let config = load(file, &env, &[]).unwrap();
        assert_eq!(config.server.listen, "127.0.0.1:2");
        assert_eq!(config.server.body_limit, 5);
        let config = load(file, &env, &["--listen", "127.0.0.1:3"]).unwrap();
        assert_eq!(config.server.listen, "127.0.0.1:3");
        assert_eq!(config.server.body_limit, 5);
        let config = load(file, &env, &["--server-body-limit", "7"]).unwrap();
        assert_eq!(config.server.listen, "127.0.0.1:2");
        assert_eq!(config.server.body_limit, 7);
    }

    #[test]
    fn file_then_env_then_flags_win_in_that_order_for_a_list() {
        let file = "[fixtures]\ndirs = [\"f1\", \"f2\"]\n";
        let dirs = |config: Config| config.fixtures.dirs;
        let paths = |names: &[&str]| names.iter().map(PathBuf::from).collect::<Vec<_>>();
        assert_eq!(dirs(load(file, &[], &[]).unwrap()), paths(&["f1", "f2"]));
        let env = [("CONNECTOR_MOCK_FIXTURES_DIRS", "a, b")];
        assert_eq!(dirs(load(file, &env, &[]).unwrap()), paths(&["a", "b"]));
        let flags = ["--fixtures-dirs", "c,d"];
        assert_eq!(dirs(load(file, &env, &flags).unwrap()), paths(&["c", "d"]));
        let repeated = ["--fixtures-dirs", "c", "--fixtures-dirs", "d"];
        assert_eq!(
            dirs(load(file, &env, &repeated).unwrap()),
            paths(&["c", "d"])
        );
        let empty = [("CONNECTOR_MOCK_FIXTURES_DIRS", "")];
        assert_eq!(dirs(load(file, &empty, &[]).unwrap()), paths(&[]));

        let file = "[auth]\nstatic_tokens = [\"t1\"]\n";
        let tokens = |config: Config| config.auth.static_tokens;
        assert_eq!(tokens(load(file, &[], &[]).unwrap()), ["t1"]);
        let env = [("CONNECTOR_MOCK_AUTH_STATIC_TOKENS", "t2,t3")];
        assert_eq!(tokens(load(file, &env, &[]).unwrap()), ["t2", "t3"]);
        let flags = ["--auth-static-tokens", "t4"];
        assert_eq!(tokens(load(file, &env, &flags).unwrap()), ["t4"]);
    }

    #[test]
    fn booleans_and_enums_layer_too() {
        let file = "[storage]\nephemeral = true\ndurability = \"batched\"\n";
        let config = load(file, &[], &[]).unwrap();
        assert!(config.storage.ephemeral);
        assert_eq!(config.storage.durability, Durability::Batched);
        let env = [
            ("CONNECTOR_MOCK_STORAGE_EPHEMERAL", "false"),
            ("CONNECTOR_MOCK_STORAGE_DURABILITY", "none"),
        ];
        let config = load(file, &env, &[]).unwrap();
        assert!(!config.storage.ephemeral);
        assert_eq!(config.storage.durability, Durability::None);
        let flags = ["--ephemeral", "--storage-durability", "always"];
        let config = load(file, &env, &flags).unwrap();
        assert!(config.storage.ephemeral);
        assert_eq!(config.storage.durability, Durability::Always);
        let one = [("CONNECTOR_MOCK_STORAGE_EPHEMERAL", "1")];
        assert!(load("", &one, &[]).unwrap().storage.ephemeral);
        let config = load(
            "[patch]\nconfig = \"replace\"\n[auth]\nmode = \"none\"\n",
            &[],
            &[],
        );
        let config = config.unwrap();
        assert_eq!(config.patch.config, PatchMode::Replace);
        assert_eq!(config.auth.mode, AuthMode::None);
    }

    #[test]
    fn settings_may_follow_the_subcommand() {
        let env = [("CONNECTOR_MOCK_STORAGE_DATA", "env-dir")];
        for args in [
            &["--data", "flag-dir", "verify"][..],
            &["verify", "--data", "flag-dir"][..],
        ] {
            let config = load("[storage]\ndata = \"file-dir\"\n", &env, args).unwrap();
            assert_eq!(config.storage.data, PathBuf::from("flag-dir"), "{args:?}");
        }
        let config = load("[storage]\ndata = \"file-dir\"\n", &env, &["verify"]).unwrap();
        assert_eq!(config.storage.data, PathBuf::from("env-dir"));
        let config = load("[storage]\ndata = \"file-dir\"\n", &[], &["verify"]).unwrap();
        assert_eq!(config.storage.data, PathBuf::from("file-dir"));
    }

    #[test]
    fn the_new_keys_parse_from_file_env_and_flag() {
        let file =
            "[tenants]\nbase_domain = \"mock.test\"\nmax = 5\n[seed]\nfile = \"seed.json\"\n\
                    [journal]\ncapacity = 0\n[ids]\nseed = 7\n";
        let config = load(file, &[], &[]).unwrap();
        assert_eq!(config.tenants.base_domain, "mock.test");
        assert_eq!(config.tenants.max, 5);
        assert_eq!(config.seed.file, Some(PathBuf::from("seed.json")));
        assert_eq!(config.journal.capacity, 0);
        assert_eq!(config.ids.seed, Some(7));

        let env = [
            ("CONNECTOR_MOCK_TENANTS_BASE_DOMAIN", "env.test"),
            ("CONNECTOR_MOCK_TENANTS_MAX", "6"),
            ("CONNECTOR_MOCK_SEED_FILE", "env.json"),
            ("CONNECTOR_MOCK_JOURNAL_CAPACITY", "10"),
            ("CONNECTOR_MOCK_IDS_SEED", "18446744073709551615"),
        ];
        let config = load(file, &env, &[]).unwrap();
        assert_eq!(config.tenants.base_domain, "env.test");
        assert_eq!(config.tenants.max, 6);
        assert_eq!(config.seed.file, Some(PathBuf::from("env.json")));
        assert_eq!(config.journal.capacity, 10);
        assert_eq!(config.ids.seed, Some(u64::MAX));

        let flags = [
            "--tenants-base-domain",
            "flag.test",
            "--tenants-max",
            "7",
            "--seed-file",
            "flag.json",
            "--journal-capacity",
            "11",
            "--ids-seed",
            "3",
        ];
        let config = load(file, &env, &flags).unwrap();
        assert_eq!(config.tenants.base_domain, "flag.test");
        assert_eq!(config.tenants.max, 7);
        assert_eq!(config.seed.file, Some(PathBuf::from("flag.json")));
        assert_eq!(config.journal.capacity, 11);
        assert_eq!(config.ids.seed, Some(3));

        let error = load("[tenants]\nmax = 0\n", &[], &[]).unwrap_err();
        assert!(error.contains("[tenants] max"), "{error}");
        let error = load("", &[("CONNECTOR_MOCK_IDS_SEED", "-1")], &[]).unwrap_err();
        assert!(error.contains("CONNECTOR_MOCK_IDS_SEED"), "{error}");
    }

    #[test]
    fn the_console_switch_parses_from_file_env_and_flag() {
        let enabled = |config: Result<Config, String>| config.unwrap().console.enabled;
        let file = "[console]\nenabled = false\n";
        assert!(!enabled(load(file, &[], &[])));
        let on = [("CONNECTOR_MOCK_CONSOLE_ENABLED", "true")];
        assert!(enabled(load(file, &on, &[])));
        let off = [("CONNECTOR_MOCK_CONSOLE_ENABLED", "0")];
        assert!(!enabled(load("", &off, &[])));
        assert!(enabled(load(file, &off, &["--console-enabled", "yes"])));
        assert!(!enabled(load("", &[], &["--console-enabled", "false"])));
        assert!(!enabled(load("", &[], &["serve", "--console-enabled=off"])));

        let error = load("[console]\nenabled = \"maybe\"\n", &[], &[]).unwrap_err();
        assert!(
            error.contains("enabled") && error.contains("maybe"),
            "{error}"
        );
        let error = load("[console]\nenable = true\n", &[], &[]).unwrap_err();
        assert!(error.contains("enable"), "{error}");
        let maybe = [("CONNECTOR_MOCK_CONSOLE_ENABLED", "maybe")];
        let error = load("", &maybe, &[]).unwrap_err();
        assert!(error.contains("CONNECTOR_MOCK_CONSOLE_ENABLED"), "{error}");
        assert!(parse(&["--console-enabled", "maybe"], &[]).is_err());
    }

    #[test]
    fn file_only_keys_and_accept_data_loss() {
        let file = "[[auth.clients]]\nid = \"a\"\nsecret = \"b\"\n";
        let config = load(file, &[], &[]).unwrap();
        assert_eq!(
            config.auth.clients,
            [AuthClient {
                id: "a".into(),
                secret: "b".into(),
                scopes: vec!["all".into()]
            }]
        );
        assert!(!config.storage.accept_data_loss);
        assert!(
            load("", &[], &["--accept-data-loss"])
                .unwrap()
                .storage
                .accept_data_loss
        );
        let error = load("[storage]\naccept_data_loss = true\n", &[], &[]).unwrap_err();
        assert!(error.contains("accept_data_loss"), "{error}");
        let env = [("CONNECTOR_MOCK_STORAGE_ACCEPT_DATA_LOSS", "true")];
        let error = load("", &env, &[]).unwrap_err();
        assert!(
            error.contains("CONNECTOR_MOCK_STORAGE_ACCEPT_DATA_LOSS"),
            "{error}"
        );
        let env = [("CONNECTOR_MOCK_AUTH_CLIENTS", "x")];
        assert!(load("", &env, &[]).is_err());
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        let error = load("[server]\nlisen = \"x\"\n", &[], &[]).unwrap_err();
        assert!(
            error.contains("lisen") && error.contains("[server]"),
            "{error}"
        );
        let error = load("[serve]\nlisten = \"x\"\n", &[], &[]).unwrap_err();
        assert!(error.contains("[serve]"), "{error}");
        let error = load("listen = \"x\"\n", &[], &[]).unwrap_err();
        assert!(error.contains("listen"), "{error}");
        let error = load("[[auth.clients]]\nid = \"a\"\nsecrt = \"b\"\n", &[], &[]).unwrap_err();
        assert!(error.contains("secrt"), "{error}");

        let env = [("CONNECTOR_MOCK_SERVER_LISEN", "x")];
        let error = load("", &env, &[]).unwrap_err();
        assert!(error.contains("CONNECTOR_MOCK_SERVER_LISEN"), "{error}");

        let env = [("CONNECTOR_MOCK_STORAGE_EPHEMERAL", "maybe")];
        let error = load("", &env, &[]).unwrap_err();
        assert!(
            error.contains("CONNECTOR_MOCK_STORAGE_EPHEMERAL") && error.contains("\"maybe\""),
            "{error}"
        );
        let env = [("CONNECTOR_MOCK_STORAGE_DURABILITY", "sometimes")];
        let error = load("", &env, &[]).unwrap_err();
        assert!(
            error.contains("CONNECTOR_MOCK_STORAGE_DURABILITY") && error.contains("batched"),
            "{error}"
        );
        let env = [("CONNECTOR_MOCK_SERVER_WORKERS", "many")];
        let error = load("", &env, &[]).unwrap_err();
        assert!(error.contains("CONNECTOR_MOCK_SERVER_WORKERS"), "{error}");

        let error = load("[storage]\ndurability = \"sometimes\"\n", &[], &[]).unwrap_err();
        assert!(
            error.contains("sometimes") && error.contains("always"),
            "{error}"
        );
        let error = load("[server]\nbody_limit = -1\n", &[], &[]).unwrap_err();
        assert!(error.contains("body_limit"), "{error}");
        let error = load("[storage]\ndata = \"\"\n", &[], &[]).unwrap_err();
        assert!(error.contains("[storage] data"), "{error}");
        let error = load("[server]\nlisten = 5\n", &[], &[]).unwrap_err();
        assert!(error.contains("listen"), "{error}");

        let error = load("[outbox]\ncapacity = 0\n", &[], &[]).unwrap_err();
        assert!(error.contains("[outbox] capacity"), "{error}");
        let error = load("[limits]\nmax_depth = 101\n", &[], &[]).unwrap_err();
        assert!(error.contains("max_depth"), "{error}");
        let env = [("CONNECTOR_MOCK_SERVER_REQUEST_TIMEOUT_MS", "0")];
        assert!(load("", &env, &[]).is_err());

        // A bad flag value is a usage error, reported by clap.
        let error = parse(&["--storage-durability", "sometimes"], &[]).unwrap_err();
        assert!(matches!(error, CliError::Clap(_)), "{error}");
        assert!(error.to_string().contains("sometimes"), "{error}");
    }

    #[test]
    fn a_named_config_file_that_is_missing_is_an_error() {
        let error = parse(&["--config", "/nonexistent/cm.toml"], &[]).unwrap_err();
        assert!(matches!(error, CliError::Config(_)));
        assert!(
            error.to_string().contains("/nonexistent/cm.toml"),
            "{error}"
        );
    }

    #[test]
    fn help_names_every_flag_and_its_environment_variable() {
        let error = Cli::parse_args(["connector-mock", "--help"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::DisplayHelp);
        let help = error.to_string();
        assert!(help.contains("CONNECTOR_MOCK_SEED_FILE"), "{help}");
        for (_, _, env, flag) in settings() {
            assert!(help.contains(&format!("[env: {env}]")), "help lacks {env}");
            assert!(help.contains(&format!("{flag} ")) || help.contains(&format!("{flag}\n")));
        }
        assert!(help.contains("Precedence") || help.contains("then ./config.toml"));
    }
}
