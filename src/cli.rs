//! The command line.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

use crate::config::{Config, Overrides};
use crate::factories::{load_dir, Catalog};
use crate::connectors::ConnectorService;
use crate::harness::state_file::StateFile;
use crate::store::backup::{Backup, BackupTenant};
use crate::store::{Committed, Store, StoreOptions};

/// Offline stand-in for the connector part of the Logto Management API.
///
/// Settings come from built-in defaults, then ./config.toml (or --config FILE),
/// then CONNECTOR_MOCK_<SECTION>_<KEY> environment variables, then these flags.
/// Logging: RUST_LOG (default "info").
#[derive(Debug, Parser)]
#[command(name = "connector-mock", version)]
pub struct Cli {
    /// Configuration file (default: ./config.toml when it exists). A named file must exist.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address to listen on, e.g. 127.0.0.1:3001; port 0 picks a free port.
    #[arg(long, global = true, value_name = "HOST:PORT")]
    pub listen: Option<String>,
    /// sled data directory (default ./data).
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Keep everything in memory only: nothing is written to disk.
    #[arg(long, global = true)]
    pub ephemeral: bool,
    /// Start even when the data directory is damaged: unreadable records are
    /// moved to DIR/lost+found/ and what was lost is logged. Without it the
    /// server refuses a damaged directory and changes nothing.
    #[arg(long, global = true)]
    pub accept_data_loss: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

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
    /// The configuration these arguments and the environment select.
    pub fn load_config(&self) -> Result<Config, String> {
        let overrides = Overrides {
            listen: self.listen.clone(),
            data: self.data.clone(),
            ephemeral: self.ephemeral,
            accept_data_loss: self.accept_data_loss,
        };
        Config::load(self.config.as_deref(), std::env::vars(), &overrides)
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

/// `connector-mock restore FILE`.
pub fn restore(config: &Config, file: &std::path::Path) -> Result<(), String> {
    let backup = Backup::read(file)?;
    let entries = backup
        .entries()
        .map_err(|error| format!("{}: {error}", file.display()))?;
    let (mut store, loaded) = open_offline(config, true)?;
    let committed = Committed {
        seq: loaded.committed.seq + 1,
        count: entries.len() as u64,
    };
    store
        .recover(&entries, committed)
        .and_then(|()| store.close(committed))
        .map_err(|error| error.to_string())?;
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
    let (mut store, loaded) = open_offline(config, false)?;
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
        };
        everything.tenants.insert(tenant.name.clone(), data);
    }
    let entries = everything.entries()?;
    let committed = Committed {
        seq: loaded.committed.seq + 1,
        count: entries.len() as u64,
    };
    store
        .recover(&entries, committed)
        .and_then(|()| store.close(committed))
        .map_err(|error| error.to_string())?;
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
