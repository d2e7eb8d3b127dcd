//! Persistence: the only code that knows sled.
//!
//! The store is a write-behind mirror of the in-memory state (see
//! [`crate::state`]): it never serves reads after start-up. It holds every
//! tenant's connectors and outbox and the server's settings in one sled tree
//! (layout in [`keys`]), and applies each group of writes as one atomic sled
//! batch together with the commit number and the record count. A commit
//! marker beside the database ([`marker`]) records what was acknowledged, so
//! that start-up ([`open`]) can refuse a database that lost data.
//!
//! `--ephemeral` stores nothing at all: the memory backend accepts every write.

pub mod backup;
mod email_template;
pub mod keys;
pub mod marker;
mod open;
mod outbox;
mod record;

pub use email_template::EmailTemplateRecord;
pub use keys::Key;
pub use marker::Committed;
pub use open::{inspect_dir, repair_dir, OpenReport};
pub use outbox::OutboxMessage;
pub use record::ConnectorRecord;

/// The value stored under a [`Key::Tenant`] marker.
pub const TENANT_MARK: &[u8] = b"{}";

use bytes::Bytes;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use marker::Marker;

/// When acknowledged writes reach the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Durability {
    /// Flush before answering: acknowledged writes survive `kill -9`.
    Always,
    /// A background flush every `flush_interval_ms`: faster, may lose the last interval.
    Batched,
    /// Leave it to the OS (flushed every few hundred milliseconds and at shutdown).
    None,
}

/// Where and how to open the database.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// `None`: keep nothing on disk (`--ephemeral`).
    pub path: Option<PathBuf>,
    pub durability: Durability,
    pub flush_interval: Duration,
    /// Open a damaged database anyway, setting aside what cannot be read.
    pub accept_data_loss: bool,
}

/// A storage failure. Keeps its cause for the log; clients see a short message.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// sled reported an error (I/O, disk full, corruption).
    #[error("database error in {place}")]
    Database {
        place: String,
        #[source]
        source: sled::Error,
    },
    /// A file beside the database could not be read or written.
    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// Another process holds the data directory.
    #[error("data directory {0} is in use by another connector-mock (or another program holds its lock)")]
    Locked(PathBuf),
    /// The database is not what was acknowledged; nothing was changed on disk.
    #[error("{0}")]
    Damaged(String),
    /// The store gave up after an earlier failure and has not recovered yet.
    #[error("storage is unavailable after an earlier failure: {0}")]
    Unavailable(String),
}

impl StoreError {
    fn database(place: &Path) -> impl FnOnce(sled::Error) -> StoreError + '_ {
        move |source| StoreError::Database {
            place: place.display().to_string(),
            source,
        }
    }

    fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> StoreError {
        let what = what.into();
        move |source| StoreError::Io { what, source }
    }
}

/// One change to one key: `None` removes it.
#[derive(Debug, Clone)]
pub struct Write {
    pub key: Key,
    pub value: Option<Bytes>,
}

/// One tenant's stored data, as loaded at start-up.
#[derive(Debug, Default)]
pub struct TenantData {
    /// Records with their stored bytes, ordered by id.
    pub connectors: Vec<(ConnectorRecord, Bytes)>,
    /// Messages, oldest first.
    pub outbox: Vec<(OutboxMessage, Bytes)>,
    /// I18n email templates with their stored bytes, ordered by id.
    pub email_templates: Vec<(EmailTemplateRecord, Bytes)>,
    /// The tenant was created (and seeded) before: it is not seeded again.
    pub registered: bool,
}

/// Everything the database holds.
#[derive(Debug, Default)]
pub struct Loaded {
    pub committed: Committed,
    pub tenants: BTreeMap<String, TenantData>,
    pub settings: BTreeMap<String, Vec<u8>>,
}

/// The database: sled in a data directory, or nothing (`--ephemeral`).
pub struct Store {
    disk: Option<Disk>,
}

struct Disk {
    dir: PathBuf,
    /// `None` after a failure, until the database is reopened.
    db: Option<sled::Db>,
    marker: Marker,
    /// Held for the life of the store: one process per data directory.
    _lock: File,
}

impl Store {
    /// Opens the store: for a data directory, verifies it first (see [`open`])
    /// and returns everything it holds.
    pub fn open(options: &StoreOptions) -> Result<(Store, Loaded, OpenReport), StoreError> {
        match &options.path {
            None => Ok((
                Store { disk: None },
                Loaded::default(),
                OpenReport::default(),
            )),
            Some(dir) => open::open_dir(dir, options.accept_data_loss),
        }
    }

    /// Whether writes reach a disk at all.
    pub fn is_persistent(&self) -> bool {
        self.disk.is_some()
    }

    /// Applies `writes` and the new commit record as one atomic batch.
    pub fn apply(&mut self, writes: &[Write], committed: Committed) -> Result<(), StoreError> {
        let Some(disk) = &mut self.disk else {
            return Ok(());
        };
        let db = disk.db()?.clone();
        let mut batch = sled::Batch::default();
        for write in writes {
            match &write.value {
                Some(value) => batch.insert(write.key.encode(), value.as_ref()),
                None => batch.remove(write.key.encode()),
            }
        }
        add_meta(&mut batch, committed);
        let result = db.apply_batch(batch);
        disk.check(result)
    }

    /// Makes everything applied so far durable (blocking `fsync`).
    pub fn flush(&mut self) -> Result<(), StoreError> {
        let Some(disk) = &mut self.disk else {
            return Ok(());
        };
        // The blocking flush on purpose: sled 0.34's flush_async deadlocks under concurrent writers.
        let db = disk.db()?.clone();
        let result = db.flush().map(|_| ());
        disk.check(result)
    }

    /// Records a durable commit in the marker (after [`Store::flush`]).
    pub fn mark(&mut self, committed: Committed) -> Result<(), StoreError> {
        let Some(disk) = &mut self.disk else {
            return Ok(());
        };
        let result = disk.marker.write(committed);
        if result.is_err() {
            disk.db = None;
        }
        result.map_err(StoreError::io(format!(
            "cannot write the commit marker {}",
            disk.marker.path().display()
        )))
    }

    /// Closes the database after a failure found outside sled; the next
    /// [`Store::recover`] reopens it.
    pub fn close_after_failure(&mut self) {
        if let Some(disk) = &mut self.disk {
            disk.db = None;
        }
    }

    /// Whether an earlier failure closed the database.
    pub fn is_broken(&self) -> bool {
        self.disk.as_ref().is_some_and(|disk| disk.db.is_none())
    }

    /// After a failure: reopens the database and makes it hold exactly
    /// `everything` (the state clients were told about), flushed and marked.
    pub fn recover(
        &mut self,
        everything: &[(Key, Bytes)],
        committed: Committed,
    ) -> Result<(), StoreError> {
        let Some(disk) = &mut self.disk else {
            return Ok(());
        };
        if disk.db.is_none() {
            disk.db = Some(open::open_sled(&disk.dir)?);
        }
        let db = disk.db()?.clone();
        let wanted: BTreeMap<Vec<u8>, &Bytes> = everything
            .iter()
            .map(|(key, value)| (key.encode(), value))
            .collect();
        let mut batch = sled::Batch::default();
        for entry in db.iter() {
            let (key, value) = match entry {
                Ok(pair) => pair,
                Err(error) => return disk.check(Err(error)),
            };
            let keep = wanted
                .get(key.as_ref())
                .is_some_and(|wanted| wanted.as_ref() == value.as_ref());
            if !keep && !key.starts_with(keys::META_PREFIX) {
                batch.remove(key);
            }
        }
        for (key, value) in wanted {
            batch.insert(key, value.as_ref());
        }
        add_meta(&mut batch, committed);
        let result = db.apply_batch(batch).and_then(|()| db.flush().map(|_| ()));
        disk.check(result)?;
        self.mark(committed)
    }

    /// Flushes, records the final commit and closes the database.
    pub fn close(mut self, committed: Committed) -> Result<(), StoreError> {
        if self.is_broken() {
            return Err(StoreError::Unavailable(
                "the last writes could not be stored".into(),
            ));
        }
        self.flush()?;
        self.mark(committed)
    }
}

impl Disk {
    fn db(&self) -> Result<&sled::Db, StoreError> {
        self.db.as_ref().ok_or_else(|| {
            StoreError::Unavailable(format!("the database in {} is closed", self.dir.display()))
        })
    }

    /// Passes `result` on; an error closes the database (sled refuses every
    /// later operation after an I/O error), so the next write reopens it.
    fn check<T>(&mut self, result: sled::Result<T>) -> Result<T, StoreError> {
        result.map_err(|source| {
            self.db = None;
            StoreError::Database {
                place: self.dir.display().to_string(),
                source,
            }
        })
    }
}

fn add_meta(batch: &mut sled::Batch, committed: Committed) {
    batch.insert(keys::META_SEQ, &committed.seq.to_be_bytes());
    batch.insert(keys::META_COUNT, &committed.count.to_be_bytes());
}
