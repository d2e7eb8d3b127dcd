//! Persistence: the only code that knows sled.
//!
//! One sled tree per tenant and collection (`connectors/<tenant>`), keyed by
//! connector id, so iteration is ordered by id. Every change goes through
//! [`Store::update`]: the caller sees a consistent snapshot and returns the
//! puts and deletes to make; they are applied as one atomic batch while a
//! write lock is held, so read-decide-write is one step and concurrent
//! updates never lose each other. With `durability = always` the database is
//! flushed before `update` returns, i.e. before the client gets its answer.

mod outbox;
mod record;

pub use outbox::OutboxMessage;
pub use record::ConnectorRecord;

use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::Deserialize;

/// When acknowledged writes reach the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Durability {
    /// Flush before answering: acknowledged writes survive `kill -9`.
    Always,
    /// A background flush every `flush_interval_ms`: faster, may lose the last interval.
    Batched,
    /// Leave it to sled and the OS.
    None,
}

/// Where and how to open the database.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// `None`: a temporary database removed when the store is dropped.
    pub path: Option<PathBuf>,
    pub durability: Durability,
    pub flush_interval: Duration,
}

/// A storage failure (I/O, corruption, a locked data directory).
#[derive(Debug)]
pub struct StoreError(String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl StoreError {
    /// Data in the store that cannot be used.
    pub fn corrupt(what: &str) -> Self {
        StoreError(format!("corrupt data in the database: {what}"))
    }
}

impl From<sled::Error> for StoreError {
    fn from(error: sled::Error) -> Self {
        StoreError(format!("storage error: {error}"))
    }
}

/// One change decided inside [`Store::update`].
#[derive(Debug, Clone)]
pub enum Change {
    Put(ConnectorRecord),
    Delete(String),
}

/// The connector database.
pub struct Store {
    db: sled::Db,
    write_lock: Mutex<()>,
    durability: Durability,
    flusher: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
}

impl Store {
    /// Opens (or creates) the database.
    pub fn open(options: &StoreOptions) -> Result<Store, StoreError> {
        let config = match &options.path {
            Some(path) => sled::Config::new().path(path),
            None => sled::Config::new().temporary(true),
        };
        let db = config.open().map_err(|error| {
            let place = options
                .path
                .as_ref()
                .map_or("a temporary database".to_owned(), |path| {
                    format!("data directory {}", path.display())
                });
            StoreError(format!(
                "cannot open {place}: {error} (is another connector-mock using it, or is it not a connector-mock database?)"
            ))
        })?;
        let flusher = (options.durability == Durability::Batched)
            .then(|| spawn_flusher(db.clone(), options.flush_interval));
        let store = Store {
            db,
            write_lock: Mutex::new(()),
            durability: options.durability,
            flusher,
        };
        // Read every record once so a corrupt database fails at start-up, not mid-request.
        for name in store.db.tree_names() {
            if name.starts_with(b"connectors/") {
                records_of(&store.db.open_tree(name)?)?;
            }
        }
        Ok(store)
    }

    fn connectors_tree(&self, tenant: &str) -> Result<sled::Tree, StoreError> {
        Ok(self.db.open_tree(format!("connectors/{tenant}"))?)
    }

    /// Every connector of a tenant, ordered by id.
    pub fn list(&self, tenant: &str) -> Result<Vec<ConnectorRecord>, StoreError> {
        records_of(&self.connectors_tree(tenant)?)
    }

    /// One connector by id.
    pub fn get(&self, tenant: &str, id: &str) -> Result<Option<ConnectorRecord>, StoreError> {
        let tree = self.connectors_tree(tenant)?;
        tree.get(id.as_bytes())?
            .map(|value| ConnectorRecord::decode(&value))
            .transpose()
    }

    /// Atomic read-decide-write over a tenant's connectors.
    ///
    /// `decide` sees every record (ordered by id) and returns the changes plus a
    /// result; an `Err` from it changes nothing. Changes are applied as one batch.
    pub fn update<T, E>(
        &self,
        tenant: &str,
        decide: impl FnOnce(&[ConnectorRecord]) -> Result<(Vec<Change>, T), E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tree = self.connectors_tree(tenant)?;
        let (wrote, result) = {
            let _guard = self
                .write_lock
                .lock()
                .unwrap_or_else(|poison| poison.into_inner());
            let records = records_of(&tree)?;
            let (changes, result) = decide(&records)?;
            let wrote = !changes.is_empty();
            if wrote {
                let mut batch = sled::Batch::default();
                for change in changes {
                    match change {
                        Change::Put(record) => batch.insert(record.id.as_bytes(), record.encode()),
                        Change::Delete(id) => batch.remove(id.as_bytes()),
                    }
                }
                tree.apply_batch(batch).map_err(StoreError::from)?;
            }
            (wrote, result)
        };
        if wrote {
            self.flush_if_always()?;
        }
        Ok(result)
    }

    /// The value stored under `key` in the server's own settings, created with
    /// `create` (atomically, once) when absent. Used for the token signing key.
    pub fn setting_or_create(
        &self,
        key: &str,
        create: impl FnOnce() -> Vec<u8>,
    ) -> Result<Vec<u8>, StoreError> {
        let tree = self.db.open_tree("settings")?;
        if let Some(value) = tree.get(key)? {
            return Ok(value.to_vec());
        }
        let fresh = create();
        let value =
            match tree.compare_and_swap(key, None as Option<&[u8]>, Some(fresh.as_slice()))? {
                Ok(()) => fresh,
                Err(conflict) => conflict
                    .current
                    .map(|value| value.to_vec())
                    .unwrap_or(fresh),
            };
        self.db.flush()?;
        Ok(value)
    }

    fn outbox_tree(&self, tenant: &str) -> Result<sled::Tree, StoreError> {
        Ok(self.db.open_tree(format!("outbox/{tenant}"))?)
    }

    /// Records a message; `message.id` is replaced by a new increasing id.
    pub fn append_outbox(
        &self,
        tenant: &str,
        mut message: OutboxMessage,
    ) -> Result<OutboxMessage, StoreError> {
        message.id = self.db.generate_id()? + 1;
        self.outbox_tree(tenant)?
            .insert(message.id.to_be_bytes(), message.encode())?;
        self.flush_if_always()?;
        Ok(message)
    }

    /// Every recorded message of a tenant, oldest first.
    pub fn list_outbox(&self, tenant: &str) -> Result<Vec<OutboxMessage>, StoreError> {
        self.outbox_tree(tenant)?
            .iter()
            .map(|entry| OutboxMessage::decode(&entry?.1))
            .collect()
    }

    /// Forgets every recorded message of a tenant.
    pub fn clear_outbox(&self, tenant: &str) -> Result<(), StoreError> {
        self.outbox_tree(tenant)?.clear()?;
        self.flush_if_always()
    }

    fn flush_if_always(&self) -> Result<(), StoreError> {
        if self.durability == Durability::Always {
            // Blocking flush on purpose: sled 0.34's flush_async deadlocks under concurrent writers.
            self.db.flush()?;
        }
        Ok(())
    }

    /// Writes everything to disk (used at shutdown).
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some((stop, handle)) = self.flusher.take() {
            stop.store(true, Ordering::SeqCst);
            let _ = handle.join();
        }
        let _ = self.db.flush();
    }
}

/// Every connector record of one tree, ordered by id.
fn records_of(tree: &sled::Tree) -> Result<Vec<ConnectorRecord>, StoreError> {
    tree.iter()
        .map(|entry| ConnectorRecord::decode(&entry?.1))
        .collect()
}

fn spawn_flusher(db: sled::Db, interval: Duration) -> (Arc<AtomicBool>, JoinHandle<()>) {
    let stop = Arc::new(AtomicBool::new(false));
    let stop_flag = stop.clone();
    let handle = std::thread::Builder::new()
        .name("store-flusher".into())
        .spawn(move || {
            while !stop_flag.load(Ordering::SeqCst) {
                std::thread::sleep(interval);
                if let Err(error) = db.flush() {
                    log::error!("background flush failed: {error}");
                }
            }
        })
        .expect("spawning the flusher thread");
    (stop, handle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    fn record(id: &str) -> ConnectorRecord {
        ConnectorRecord {
            id: id.into(),
            connector_id: "mock-social-connector".into(),
            config: Map::new(),
            metadata: Map::new(),
            sync_profile: false,
            enable_token_storage: false,
            created_at: 1,
        }
    }

    fn temporary() -> Store {
        Store::open(&StoreOptions {
            path: None,
            durability: Durability::Always,
            flush_interval: Duration::from_millis(10),
        })
        .unwrap()
    }

    #[test]
    fn records_are_listed_in_id_order() {
        let store = temporary();
        store
            .update("default", |_| {
                Ok::<_, StoreError>((vec![Change::Put(record("b")), Change::Put(record("a"))], ()))
            })
            .unwrap();
        let ids: Vec<String> = store
            .list("default")
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, ["a", "b"]);
        assert!(store.list("other").unwrap().is_empty());
    }

    #[test]
    fn a_refused_update_changes_nothing() {
        let store = temporary();
        let result: Result<(), StoreError> =
            store.update("default", |_| Err(StoreError("no".into())));
        assert!(result.is_err());
        assert!(store.list("default").unwrap().is_empty());
    }

    #[test]
    fn data_survives_reopening_the_directory() {
        let dir = std::env::temp_dir().join(format!("cm-store-{}", std::process::id()));
        let options = StoreOptions {
            path: Some(dir.clone()),
            durability: Durability::Always,
            flush_interval: Duration::from_millis(10),
        };
        {
            let store = Store::open(&options).unwrap();
            store
                .update("default", |_| {
                    Ok::<_, StoreError>((vec![Change::Put(record("x"))], ()))
                })
                .unwrap();
        }
        let store = Store::open(&options).unwrap();
        assert_eq!(store.get("default", "x").unwrap().unwrap().id, "x");
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }
}
