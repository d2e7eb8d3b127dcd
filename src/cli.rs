//! The command line.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

use crate::config::Config;
use crate::connectors::ConnectorService;
use crate::factories::{load_dir, Catalog};
use crate::harness::state_file::StateFile;
use crate::store::backup::{Backup, BackupTenant};
use crate::store::{Committed, Store, StoreOptions};

const AFTER_HELP: &str = "\
Settings come from built-in defaults, then ./config.toml (or --config FILE), then
CONNECTOR_MOCK_<SECTION>_<KEY> environment variables (shown as [env: ...]; lists are
comma-separated), then the flags above. Unknown keys and variables are errors.
Logging: RUST_LOG (default \"info\").";

// Build it with `Cli::parse_args` (or `Cli::parse_with`), not `Cli::parse`: the
// configuration is loaded from the command line it keeps.
/// Offline stand-in for the connector part of the Logto Management API.
#[derive(Debug, Parser)]
#[command(name = "connector-mock", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// Configuration file (default: ./config.toml when it exists). A named file must exist.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Start even when the data directory is damaged: unreadable records are
    /// moved to DIR/lost+found/ and what was lost is logged. Without it the
    /// server refuses a damaged directory and changes nothing.
    #[arg(long, global = true)]
    pub accept_data_loss: bool,
    // The settings' flags, over built-in defaults only: use `load_config`.
    #[command(flatten)]
    flags: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
    // The command line, for `load_config`.
    #[arg(skip)]
    args: Vec<OsString>,
}

/// Why the command line could not be used.
#[derive(Debug)]
pub enum CliError {
    /// Help, version or a usage error: `error.exit()` prints it as clap does.
    Clap(clap::Error),
    /// A configuration problem (file, environment, value): print it and exit 1.
    Config(String),
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Clap(error) => write!(f, "{error}"),
            CliError::Config(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for CliError {}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// List the connector factories (bundled and from [fixtures] dirs): id, type, target, platform.
    Factories,
    /// Validate a folder of manifests (<factory-id>/manifest.json); non-zero exit on the first problem.
    CheckFixtures {
        /// Folder holding one sub-folder per factory.
        dir: PathBuf,
    },
    /// Check the data directory (--data) without changing it; non-zero exit when it is damaged.
    /// The server must not be running on it.
    Verify,
    /// Open a damaged data directory, keep every readable record, move the rest to
    /// lost+found/ and say what was lost. The server must not be running on it.
    Repair,
    /// Write a backup of the data directory (--data) to OUT as JSON. The server must not be
    /// running on it; a running server writes one with POST /_mock/backup.
    Backup {
        /// The backup file to write (replaced atomically).
        out: PathBuf,
    },
    /// Replace everything in the data directory (--data) with a backup written by `backup`
    /// or POST /_mock/backup. The server must not be running on it.
    Restore {
        /// The backup file to read.
        file: PathBuf,
    },
    /// Exit 0 when a server answers GET /api/status with 204, non-zero with a one-line
    /// reason otherwise (for compose files and scripts).
    Healthcheck {
        /// The server's base URL (http only), e.g. http://127.0.0.1:3001; default: from
        /// [server] listen.
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// Give up after this many milliseconds.
        #[arg(long, value_name = "MS", default_value_t = 3000)]
        timeout_ms: u64,
    },
    /// Print the connectors of every tenant (or one) of the data directory (--data) as a
    /// state file (JSON). The server must not be running on it; a running server answers
    /// GET /_mock/state per tenant.
    Export {
        /// Only this tenant.
        #[arg(long, value_name = "NAME")]
        tenant: Option<String>,
    },
    /// Replace the tenants named in a state file (written by `export` or GET /_mock/state)
    /// in the data directory (--data): each named tenant gets exactly the file's connectors
    /// and an empty outbox. Checked first; all or nothing. The server must not be running on it.
    Import {
        /// The state file to read.
        file: PathBuf,
    },
}

impl Cli {
    /// Parses the command line (program name first). Environment variables are not
    /// read here; clap's errors (help, version, usage) come back for `error.exit()`.
    pub fn parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let command = Cli::command().mut_args(|arg| arg.env(None));
        let matches = match command.try_get_matches_from(&args) {
            Ok(matches) => matches,
            Err(error) => {
                use clap::error::ErrorKind;
                if matches!(
                    error.kind(),
                    ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
                ) {
                    // The same help from the command that still names each flag's [env: ...].
                    return Err(Cli::command()
                        .try_get_matches_from(&args)
                        .err()
                        .unwrap_or(error));
                }
                return Err(error);
            }
        };
        let mut cli =
            Cli::from_arg_matches(&matches).map_err(|error| error.format(&mut Cli::command()))?;
        cli.args = args;
        Ok(cli)
    }

    /// Parses `args` and loads the configuration with `env` as the environment
    /// (the process environment is not read).
    pub fn parse_with<I, T, E, K, V>(args: I, env: E) -> Result<(Cli, Config), CliError>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
        E: IntoIterator<Item = (K, V)>,
        K: Into<OsString>,
        V: Into<OsString>,
    {
        let cli = Cli::parse_args(args).map_err(CliError::Clap)?;
        let config = cli.load_config_with(env).map_err(CliError::Config)?;
        Ok((cli, config))
    }

    /// The configuration these arguments and the process environment select.
    pub fn load_config(&self) -> Result<Config, String> {
        self.load_config_with(std::env::vars_os())
    }

    /// The configuration these arguments and `env` select: built-in defaults < the
    /// config file < `env` < the flags.
    pub fn load_config_with<E, K, V>(&self, env: E) -> Result<Config, String>
    where
        E: IntoIterator<Item = (K, V)>,
        K: Into<OsString>,
        V: Into<OsString>,
    {
        let env = env
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()));
        let mut config =
            crate::config::load(Cli::command(), &self.args, self.config.as_deref(), env)?;
        config.storage.accept_data_loss = self.accept_data_loss;
        Ok(config)
    }
}

/// `connector-mock factories`: one line per factory.
pub fn print_factories(config: &Config) -> Result<(), String> {
    use std::fmt::Write;
    let catalog = Catalog::load(&config.fixtures.dirs)?;
    let mut text = format!("{:<40} {:<7} {:<24} PLATFORM\n", "ID", "TYPE", "TARGET");
    for factory in catalog.all() {
        let platform = factory
            .platform
            .map_or("-".to_owned(), |platform| format!("{platform:?}"));
        let _ = writeln!(
            text,
            "{:<40} {:<7} {:<24} {platform}",
            factory.id,
            factory.connector_type.as_str(),
            factory.target
        );
    }
    print_bytes(text.as_bytes())
}

/// `connector-mock check-fixtures DIR`.
pub fn check_fixtures(dir: &std::path::Path) -> Result<(), String> {
    let factories = load_dir(dir)?;
    let count = factories.len();
    for factory in &factories {
        factory.check_invalid_configs()?;
    }
    Catalog::from_factories(factories)?;
    println!("{count} manifests OK in {}", dir.display());
    Ok(())
}

/// The data directory the storage subcommands work on.
fn data_dir(config: &Config) -> Result<&std::path::Path, String> {
    if config.storage.ephemeral {
        return Err("--ephemeral has no data directory; name one with --data DIR".to_owned());
    }
    Ok(&config.storage.data)
}

/// `connector-mock verify`.
pub fn verify(config: &Config) -> Result<(), String> {
    let summary =
        crate::store::inspect_dir(data_dir(config)?).map_err(|error| error.to_string())?;
    println!("{summary}");
    Ok(())
}

/// `connector-mock repair`.
pub fn repair(config: &Config) -> Result<(), String> {
    let dir = data_dir(config)?;
    let report = crate::store::repair_dir(dir).map_err(|error| error.to_string())?;
    if report.notes.is_empty() {
        println!("{}: nothing to repair", dir.display());
    }
    for note in report.notes {
        println!("{}: {note}", dir.display());
    }
    Ok(())
}

fn open_offline(
    config: &Config,
    accept_data_loss: bool,
) -> Result<(Store, crate::store::Loaded), String> {
    let options = StoreOptions {
        path: Some(data_dir(config)?.to_path_buf()),
        accept_data_loss,
        ..config.store_options()
    };
    let (store, loaded, report) = Store::open(&options).map_err(|error| error.to_string())?;
    for note in report.notes {
        eprintln!("connector-mock: {note}");
    }
    Ok((store, loaded))
}

/// `connector-mock backup OUT`.
pub fn backup(config: &Config, out: &std::path::Path) -> Result<(), String> {
    let (store, loaded) = open_offline(config, false)?;
    let backup = Backup::of_loaded(&loaded);
    let bytes = backup.write(out).map_err(|error| error.to_string())?;
    store
        .close(loaded.committed)
        .map_err(|error| error.to_string())?;
    println!(
        "wrote {} ({bytes} bytes): commit #{}, {} tenant(s)",
        out.display(),
        backup.commit,
        backup.tenants.len()
    );
    Ok(())
}

/// Rewrites the whole database as `entries`, atomically, as the next commit, and closes it.
fn replace_everything(
    mut store: Store,
    loaded: &crate::store::Loaded,
    entries: &[(crate::store::Key, bytes::Bytes)],
) -> Result<(), String> {
    let committed = Committed {
        seq: loaded.committed.seq + 1,
        count: entries.len() as u64,
    };
    store
        .recover(entries, committed)
        .and_then(|()| store.close(committed))
        .map_err(|error| error.to_string())
}

/// `connector-mock restore FILE`.
pub fn restore(config: &Config, file: &std::path::Path) -> Result<(), String> {
    let backup = Backup::read(file)?;
    let entries = backup
        .entries()
        .map_err(|error| format!("{}: {error}", file.display()))?;
    let (store, loaded) = open_offline(config, true)?;
    replace_everything(store, &loaded, &entries)?;
    println!(
        "restored {} into {}: {} tenant(s), {} records",
        file.display(),
        config.storage.data.display(),
        backup.tenants.len(),
        entries.len()
    );
    Ok(())
}

/// Writes `bytes` to stdout; a reader that went away (`| head`) is not an error.
fn print_bytes(bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to stdout: {error}"))
        }
        _ => Ok(()),
    }
}

/// `connector-mock export [--tenant NAME]`.
pub fn export(config: &Config, tenant: Option<&str>) -> Result<(), String> {
    if let Some(name) = tenant {
        if !crate::harness::valid_tenant_name(name) {
            return Err(format!(
                "--tenant {name:?}: tenant names are 1 to 63 characters of a-z, 0-9 and '-'"
            ));
        }
    }
    let (store, loaded) = open_offline(config, false)?;
    let file = StateFile::of_loaded(&loaded, tenant);
    store
        .close(loaded.committed)
        .map_err(|error| error.to_string())?;
    print_bytes(&file.to_bytes())
}

/// `connector-mock import FILE`.
pub fn import(config: &Config, path: &std::path::Path) -> Result<(), String> {
    let bytes =
        std::fs::read(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let file = StateFile::parse(&bytes).map_err(|error| format!("{}: {error}", path.display()))?;
    let catalog = std::sync::Arc::new(Catalog::load(&config.fixtures.dirs)?);
    let service = ConnectorService::new(catalog, config.patch.config, config.limits);
    let checked = file
        .check(&service)
        .map_err(|error| format!("{}: {error}; nothing was changed", path.display()))?;
    let (store, loaded) = open_offline(config, false)?;
    let mut everything = Backup::of_loaded(&loaded);
    for tenant in &checked {
        let data = BackupTenant {
            connectors: tenant
                .entries
                .iter()
                .map(|entry| entry.record().clone())
                .collect(),
            outbox: Vec::new(),
            registered: true,
            email_templates: tenant
                .templates
                .iter()
                .map(|template| template.record.clone())
                .collect(),
        };
        everything.tenants.insert(tenant.name.clone(), data);
    }
    let entries = everything.entries()?;
    replace_everything(store, &loaded, &entries)?;
    let summary: Vec<String> = checked
        .iter()
        .map(|tenant| format!("{} ({} connectors)", tenant.name, tenant.entries.len()))
        .collect();
    println!(
        "imported {} into {}: {}",
        path.display(),
        config.storage.data.display(),
        summary.join(", ")
    );
    Ok(())
}

/// `connector-mock healthcheck [--url URL]`: `Ok` with a line when `/api/status` answers 204.
pub fn healthcheck(config: &Config, url: Option<&str>, timeout_ms: u64) -> Result<(), String> {
    use std::io::{Read, Write};
    use std::net::ToSocketAddrs;
    let base = match url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None if config.server.listen.ends_with(":0") => {
            return Err(format!(
                "[server] listen is {} (a free port): give the server's address with --url",
                config.server.listen
            ))
        }
        None => format!("http://{}", config.server.listen),
    };
    let rest = base
        .strip_prefix("http://")
        .ok_or_else(|| format!("{base}: only http:// URLs are supported"))?;
    let (authority, prefix) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    let target = if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    let timeout = std::time::Duration::from_millis(timeout_ms.max(1));
    let address = target
        .to_socket_addrs()
        .map_err(|error| format!("{base}: cannot resolve {authority}: {error}"))?
        .next()
        .ok_or_else(|| format!("{base}: {authority} has no address"))?;
    let mut stream = std::net::TcpStream::connect_timeout(&address, timeout)
        .map_err(|error| format!("{base}: cannot connect: {error}"))?;
    let _ = stream.set_read_timeout(Some(timeout));
    let _ = stream.set_write_timeout(Some(timeout));
    let request = format!(
        "GET {prefix}/api/status HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|error| format!("{base}: cannot send the request: {error}"))?;
    let mut head = [0u8; 64];
    let read = stream
        .read(&mut head)
        .map_err(|error| format!("{base}: no answer: {error}"))?;
    let line = String::from_utf8_lossy(&head[..read]);
    let status = line
        .split_whitespace()
        .nth(1)
        .filter(|_| line.starts_with("HTTP/"))
        .ok_or_else(|| format!("{base}: not an HTTP answer"))?;
    if status == "204" {
        println!("{base}: healthy (GET /api/status answered 204)");
        Ok(())
    } else {
        Err(format!(
            "{base}: GET /api/status answered {status}, not 204"
        ))
    }
}
