//! The command line.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

use crate::config::{Config, Overrides};
use crate::factories::{load_dir, Catalog};

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
    /// Keep everything in a temporary database that is removed on exit.
    #[arg(long, global = true)]
    pub ephemeral: bool,
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
}

impl Cli {
    /// The configuration these arguments and the environment select.
    pub fn load_config(&self) -> Result<Config, String> {
        let overrides = Overrides {
            listen: self.listen.clone(),
            data: self.data.clone(),
            ephemeral: self.ephemeral,
        };
        Config::load(self.config.as_deref(), std::env::vars(), &overrides)
    }
}

/// `connector-mock factories`: one line per factory.
pub fn print_factories(config: &Config) -> Result<(), String> {
    let catalog = Catalog::load(&config.fixtures.dirs)?;
    println!("{:<40} {:<7} {:<24} PLATFORM", "ID", "TYPE", "TARGET");
    for factory in catalog.all() {
        let platform = factory
            .platform
            .map_or("-".to_owned(), |platform| format!("{platform:?}"));
        println!(
            "{:<40} {:<7} {:<24} {platform}",
            factory.id,
            factory.connector_type.as_str(),
            factory.target
        );
    }
    Ok(())
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
