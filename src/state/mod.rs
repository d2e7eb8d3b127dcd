//! The in-memory state every answer is served from.
//!
//! Each tenant's data lives in an immutable [`Snapshot`]. Readers load the
//! tenant's *published* snapshot without taking a lock. Writers take the
//! tenant's writer lock, derive the next snapshot from the *pending* one (the
//! published state plus writes still being stored), queue its writes to the
//! commit thread ([`commit`]) and release the lock; the commit thread
//! publishes the snapshot once it is stored. The cost of a write inside the
//! lock is O(log n) in the tenant's size, and tenants never wait for each
//! other.
//!
//! This module knows nothing of connectors' rules: the domain decides the
//! changes and renders the views; the state keeps them and the store persists them.

pub mod commit;
mod snapshot;

pub use commit::{Ack, CommitOptions, CommitQueue, FlushHook, Unavailable};
pub use snapshot::{Change, Entry, OutboxEntry, Rendered, Snapshot, TemplateEntry, Unreadable};

use arc_swap::ArcSwap;
use bytes::Bytes;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use crate::store::backup::{Backup, BackupTenant, BACKUP_FORMAT};
use crate::store::{Committed, Key, Loaded, Store, Write};

/// One tenant's data: what readers see and what writers build on.
pub struct TenantState {
    name: String,
    published: ArcSwap<Snapshot>,
    writer: Mutex<Writer>,
    /// Bumped when failed writes are rolled back; queued writes built on an
    /// older epoch are refused.
    epoch: AtomicU64,
    queue: Arc<CommitQueue>,
    outbox_capacity: usize,
    /// Set when the tenant is dropped: later writes are refused.
    retired: AtomicBool,
}

struct Writer {
    pending: Arc<Snapshot>,
}

impl TenantState {
    /// The tenant's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What readers see: only stored (acknowledged) writes.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.published.load_full()
    }

    /// [`TenantState::snapshot`] for a short read: no reference count is
    /// taken (hold it briefly, never across an `await`).
    pub fn read(&self) -> arc_swap::Guard<Arc<Snapshot>> {
        self.published.load()
    }

    /// What the next write builds on (includes writes still being stored).
    pub fn pending(&self) -> Arc<Snapshot> {
        self.lock_writer().pending.clone()
    }

    fn lock_writer(&self) -> std::sync::MutexGuard<'_, Writer> {
        self.writer
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// One atomic write. `decide` runs under the tenant's writer lock and sees
    /// the pending snapshot; it returns the changes to make and a result. The
    /// [`Ack`] resolves when the changes are stored and visible to readers.
    /// A write that changes nothing still waits for earlier writes, so its
    /// answer never reflects state that is not yet stored.
    pub fn commit<T, E>(
        self: &Arc<Self>,
        decide: impl FnOnce(&Snapshot) -> Result<(Vec<Change>, T), E>,
    ) -> Result<(T, Ack), E>
    where
        E: From<Unavailable>,
    {
        self.queue.check_available()?;
        let mut writer = self.lock_writer();
        if self.retired.load(Ordering::Acquire) {
            return Err(E::from(Unavailable(format!(
                "tenant {:?} was dropped while this request ran",
                self.name
            ))));
        }
        let (changes, result) = decide(&writer.pending)?;
        if changes.is_empty() && writer.pending.version() == self.published.load().version() {
            return Ok((result, Ack::ready()));
        }
        let applied = writer
            .pending
            .apply(&self.name, changes, self.outbox_capacity);
        let snapshot = Arc::new(applied.snapshot);
        writer.pending = snapshot.clone();
        let epoch = self.epoch.load(Ordering::Acquire);
        let ack = self.queue.enqueue(|ack| commit::CommitItem {
            writes: applied.writes,
            count_delta: applied.count_delta,
            is_current: {
                let tenant = self.clone();
                Box::new(move || tenant.epoch.load(Ordering::Acquire) == epoch)
            },
            publish: {
                let tenant = self.clone();
                Box::new(move || tenant.publish(snapshot))
            },
            roll_back: {
                let tenant = self.clone();
                Box::new(move || tenant.roll_back(epoch))
            },
            ack,
        });
        drop(writer);
        Ok((result, ack))
    }

    fn publish(&self, snapshot: Arc<Snapshot>) {
        if snapshot.version() > self.published.load().version() {
            self.published.store(snapshot);
        }
    }

    /// Drops every pending write: writers build on the published state again.
    fn roll_back(&self, epoch: u64) {
        let mut writer = self.lock_writer();
        if self.epoch.load(Ordering::Acquire) == epoch {
            writer.pending = self.published.load_full();
            self.epoch.fetch_add(1, Ordering::AcqRel);
        }
    }
}

/// All tenants, the server's settings and the commit thread.
pub struct State {
    /// Read on every request without a lock; replaced whole when a tenant appears.
    tenants: ArcSwap<BTreeMap<String, Arc<TenantState>>>,
    /// Serializes the creation of tenants.
    tenant_creation: Mutex<()>,
    settings: Mutex<BTreeMap<String, Bytes>>,
    queue: Arc<CommitQueue>,
    outbox_capacity: usize,
}

/// How loaded records become entries (the domain's index keys and views).
pub type LoadEntry<'a> = &'a dyn Fn(&str, crate::store::ConnectorRecord, Bytes) -> Entry;

impl State {
    /// Opens the store `options` name and starts the state on it, committing
    /// with the same durability and flush interval; returns what opening
    /// noticed (e.g. what a repair moved aside) for the caller to report.
    pub fn open(
        options: &crate::store::StoreOptions,
        outbox_capacity: usize,
        load_entry: LoadEntry<'_>,
    ) -> Result<(Arc<State>, crate::store::OpenReport), String> {
        let (store, loaded, report) = Store::open(options).map_err(|error| error.to_string())?;
        let commit = CommitOptions {
            durability: options.durability,
            flush_interval: options.flush_interval,
            flush_hook: None,
        };
        let state = State::start(store, loaded, commit, outbox_capacity, load_entry)?;
        Ok((state, report))
    }

    /// Builds the state from what the store loaded and starts the commit
    /// thread, which owns `store` from now on.
    pub fn start(
        store: Store,
        loaded: Loaded,
        options: CommitOptions,
        outbox_capacity: usize,
        load_entry: LoadEntry<'_>,
    ) -> Result<Arc<State>, String> {
        let committed: Committed = loaded.committed;
        let this: Arc<OnceLock<Weak<State>>> = Arc::new(OnceLock::new());
        let everything: commit::Everything = {
            let this = this.clone();
            Box::new(move || {
                this.get()
                    .and_then(Weak::upgrade)
                    .map_or_else(Vec::new, |state| state.everything())
            })
        };
        let queue = commit::start(store, committed, options, everything)?;
        let state = Arc::new(State {
            tenants: ArcSwap::from_pointee(BTreeMap::new()),
            tenant_creation: Mutex::new(()),
            settings: Mutex::new(
                loaded
                    .settings
                    .into_iter()
                    .map(|(name, value)| (name, Bytes::from(value)))
                    .collect(),
            ),
            queue,
            outbox_capacity,
        });
        let _ = this.set(Arc::downgrade(&state));
        {
            let mut tenants = BTreeMap::new();
            for (name, data) in loaded.tenants {
                let entries = data
                    .connectors
                    .into_iter()
                    .map(|(record, stored)| load_entry(&name, record, stored));
                let outbox = data
                    .outbox
                    .into_iter()
                    .map(|(message, body)| OutboxEntry::stored(message, body));
                let templates = data
                    .email_templates
                    .into_iter()
                    .map(|(template, stored)| TemplateEntry::loaded(template, stored));
                let snapshot = Snapshot::from_loaded(entries, outbox, data.registered)
                    .with_templates(templates);
                let tenant = state.new_tenant(&name, snapshot);
                tenants.insert(name, tenant);
            }
            state.tenants.store(Arc::new(tenants));
        }
        Ok(state)
    }

    fn new_tenant(&self, name: &str, snapshot: Snapshot) -> Arc<TenantState> {
        let snapshot = Arc::new(snapshot);
        Arc::new(TenantState {
            name: name.to_owned(),
            published: ArcSwap::new(snapshot.clone()),
            writer: Mutex::new(Writer { pending: snapshot }),
            epoch: AtomicU64::new(0),
            queue: self.queue.clone(),
            outbox_capacity: self.outbox_capacity,
            retired: AtomicBool::new(false),
        })
    }

    /// The tenant `name`, created empty (in memory) on first use.
    pub fn tenant(&self, name: &str) -> Arc<TenantState> {
        self.tenant_within(name, usize::MAX)
            .expect("no limit on the number of tenants")
    }

    /// The tenant `name`, created empty (in memory) on first use unless
    /// `max` tenants exist already (then `None`).
    pub fn tenant_within(&self, name: &str, max: usize) -> Option<Arc<TenantState>> {
        if let Some(tenant) = self.tenants.load().get(name) {
            return Some(tenant.clone());
        }
        let _creating = self.lock_tenant_creation();
        let tenants = self.tenants.load();
        if let Some(tenant) = tenants.get(name) {
            return Some(tenant.clone());
        }
        if tenants.len() >= max {
            return None;
        }
        let tenant = self.new_tenant(name, Snapshot::from_loaded([], [], false));
        let mut tenants = BTreeMap::clone(&tenants);
        tenants.insert(name.to_owned(), tenant.clone());
        self.tenants.store(Arc::new(tenants));
        Some(tenant)
    }

    fn lock_tenant_creation(&self) -> std::sync::MutexGuard<'_, ()> {
        self.tenant_creation
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// The tenant `name` if it exists.
    pub fn existing_tenant(&self, name: &str) -> Option<Arc<TenantState>> {
        self.tenants.load().get(name).cloned()
    }

    /// Every tenant, by name.
    pub fn tenants(&self) -> Arc<BTreeMap<String, Arc<TenantState>>> {
        self.tenants.load_full()
    }

    /// Drops the tenant `name` and all its stored data; `None` when it does
    /// not exist. Requests still holding the tenant can no longer write to it;
    /// its next use creates it afresh.
    pub fn drop_tenant(&self, name: &str) -> Result<Option<Ack>, Unavailable> {
        let _creating = self.lock_tenant_creation();
        let Some(tenant) = self.tenants.load().get(name).cloned() else {
            return Ok(None);
        };
        let ((), ack) = tenant.commit(|pending| {
            tenant.retired.store(true, Ordering::Release);
            let mut changes: Vec<Change> = pending
                .entries()
                .map(|entry| Change::Delete(entry.id().to_owned()))
                .collect();
            changes.extend(
                pending
                    .templates()
                    .map(|template| Change::DeleteTemplate(template.record.id.clone())),
            );
            changes.push(Change::ClearOutbox);
            changes.push(Change::Unregister);
            Ok::<_, Unavailable>((changes, ()))
        })?;
        let mut tenants = BTreeMap::clone(&self.tenants.load());
        tenants.remove(name);
        self.tenants.store(Arc::new(tenants));
        Ok(Some(ack))
    }

    /// Names of the tenants known so far, sorted.
    pub fn tenant_names(&self) -> Vec<String> {
        self.tenants.load().keys().cloned().collect()
    }

    /// A stored server setting.
    pub fn setting(&self, name: &str) -> Option<Bytes> {
        self.lock_settings().get(name).cloned()
    }

    fn lock_settings(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Bytes>> {
        self.settings
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Stores a server setting once: returns the stored value, which is
    /// `create()` unless one was already there. Blocks until it is stored.
    pub fn setting_or_create(
        &self,
        name: &str,
        create: impl FnOnce() -> Vec<u8>,
    ) -> Result<Bytes, Unavailable> {
        let settings = self.lock_settings();
        if let Some(value) = settings.get(name) {
            return Ok(value.clone());
        }
        let value = Bytes::from(create());
        let write = Write {
            key: Key::Setting {
                name: name.to_owned(),
            },
            value: Some(value.clone()),
        };
        let ack = self.queue.enqueue(|ack| commit::CommitItem {
            writes: vec![write],
            count_delta: 1,
            is_current: Box::new(|| true),
            publish: Box::new(|| {}),
            roll_back: Box::new(|| {}),
            ack,
        });
        drop(settings);
        ack.wait()?;
        self.lock_settings().insert(name.to_owned(), value.clone());
        Ok(value)
    }

    /// Every stored key and value readers can see (what recovery rewrites).
    fn everything(&self) -> Vec<(Key, Bytes)> {
        let mut all: Vec<(Key, Bytes)> = self
            .lock_settings()
            .iter()
            .map(|(name, value)| (Key::Setting { name: name.clone() }, value.clone()))
            .collect();
        for tenant in self.tenants.load().values() {
            all.extend(tenant.snapshot().stored(&tenant.name));
        }
        all
    }

    /// A backup of everything readers can see.
    pub fn backup(&self) -> Backup {
        use base64::Engine;
        let settings = self
            .lock_settings()
            .iter()
            .map(|(name, value)| {
                let text = base64::engine::general_purpose::STANDARD.encode(value);
                (name.clone(), text)
            })
            .collect();
        let tenants = self
            .tenants
            .load()
            .values()
            .map(|tenant| {
                let snapshot = tenant.snapshot();
                let data = BackupTenant {
                    connectors: snapshot
                        .entries()
                        .map(|entry| entry.record().clone())
                        .collect(),
                    outbox: snapshot
                        .outbox()
                        .map(|entry| entry.message.clone())
                        .collect(),
                    registered: snapshot.is_registered(),
                    email_templates: snapshot
                        .templates()
                        .map(|template| template.record.clone())
                        .collect(),
                };
                (tenant.name.clone(), data)
            })
            .filter(|(_, data)| {
                data.registered
                    || !data.connectors.is_empty()
                    || !data.outbox.is_empty()
                    || !data.email_templates.is_empty()
            })
            .collect();
        Backup {
            format: BACKUP_FORMAT.to_owned(),
            version: 1,
            created_at: crate::time::rfc3339(crate::time::now_millis()),
            commit: self.queue.committed_seq(),
            settings,
            tenants,
        }
    }

    /// Whether writes are accepted right now.
    pub fn check_available(&self) -> Result<(), Unavailable> {
        self.queue.check_available()
    }

    /// Stores everything still queued, flushes and closes the database.
    pub fn stop(&self) -> Result<(), String> {
        self.queue.stop()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ConnectorRecord, Durability, StoreOptions};
    use std::sync::mpsc;
    use std::time::Duration;

    fn record(id: &str) -> ConnectorRecord {
        ConnectorRecord {
            id: id.into(),
            connector_id: "f".into(),
            config: serde_json::Map::new(),
            metadata: serde_json::Map::new(),
            sync_profile: false,
            enable_token_storage: false,
            created_at: 1,
        }
    }

    fn put(id: &str) -> Change {
        Change::Put(Arc::new(Entry::new(record(id), Vec::new(), None).unwrap()))
    }

    fn open(dir: &std::path::Path, hook: Option<FlushHook>) -> Arc<State> {
        let options = StoreOptions {
            path: Some(dir.to_path_buf()),
            durability: Durability::Always,
            flush_interval: Duration::from_millis(10),
            accept_data_loss: false,
        };
        let (store, loaded, _) = Store::open(&options).unwrap();
        let commit = CommitOptions {
            durability: Durability::Always,
            flush_interval: Duration::from_millis(10),
            flush_hook: hook,
        };
        State::start(store, loaded, commit, 10, &|_, record, stored| {
            Entry::loaded(record, stored, Vec::new())
        })
        .unwrap()
    }

    fn write(tenant: &Arc<TenantState>, change: Change) -> Ack {
        let ((), ack) = tenant
            .commit(|_| Ok::<_, Unavailable>((vec![change], ())))
            .unwrap();
        ack
    }

    /// A hook that reports each flush and waits for a verdict (Ok or a failure).
    fn gate() -> (FlushHook, mpsc::Receiver<()>, mpsc::Sender<bool>) {
        let (entered, entered_rx) = mpsc::channel();
        let (verdict_tx, verdict) = mpsc::channel::<bool>();
        let verdict = Mutex::new(verdict);
        let hook: FlushHook = Arc::new(move || {
            let _ = entered.send(());
            let ok = verdict.lock().unwrap().recv().unwrap_or(true);
            if ok {
                Ok(())
            } else {
                Err(std::io::Error::other("injected flush failure"))
            }
        });
        (hook, entered_rx, verdict_tx)
    }

    #[test]
    fn a_write_becomes_visible_only_after_its_flush() {
        let dir = tempfile::tempdir().unwrap();
        let (hook, entered, verdict) = gate();
        let state = open(dir.path(), Some(hook));
        let tenant = state.tenant("t");
        let ack = write(&tenant, put("a"));
        entered.recv().unwrap();
        assert!(
            !tenant.snapshot().contains("a"),
            "readers must not see an unflushed write"
        );
        assert!(tenant.pending().contains("a"), "writers build on it");
        verdict.send(true).unwrap();
        ack.wait().unwrap();
        assert!(tenant.snapshot().contains("a"));
        drop(verdict);
        state.stop().unwrap();
    }

    #[test]
    fn a_failed_flush_is_never_visible_and_drops_the_writes_built_on_it() {
        let dir = tempfile::tempdir().unwrap();
        let (hook, entered, verdict) = gate();
        let state = open(dir.path(), Some(hook));
        let tenant = state.tenant("t");
        let first = write(&tenant, put("a"));
        entered.recv().unwrap();
        // Queued behind the failing group and built on it: must fail too.
        let second = write(&tenant, put("b"));
        verdict.send(false).unwrap();
        assert!(first.wait().is_err());
        assert!(second.wait().is_err());
        assert!(!tenant.snapshot().contains("a"));
        assert!(!tenant.pending().contains("a") && !tenant.pending().contains("b"));
        // The next write reopens the database, rewrites it and goes through.
        let third = write(&tenant, put("c"));
        entered.recv().unwrap();
        verdict.send(true).unwrap();
        third.wait().unwrap();
        drop(verdict);
        state.stop().unwrap();
        let state = open(dir.path(), None);
        let snapshot = state.tenant("t").snapshot();
        let ids: Vec<&str> = snapshot.entries().map(|entry| entry.id()).collect();
        assert_eq!(ids, ["c"], "only the acknowledged write is on disk");
        state.stop().unwrap();
    }

    #[test]
    fn concurrent_writers_share_flushes_and_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let flushes = Arc::new(AtomicU64::new(0));
        let counter = flushes.clone();
        let hook: FlushHook = Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(2));
            Ok(())
        });
        let state = open(dir.path(), Some(hook));
        let tenant = state.tenant("t");
        let writers: Vec<_> = (0..8)
            .map(|writer| {
                let tenant = tenant.clone();
                std::thread::spawn(move || {
                    for n in 0..25 {
                        write(&tenant, put(&format!("w{writer}-{n}")))
                            .wait()
                            .unwrap();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
        assert_eq!(tenant.snapshot().len(), 200);
        assert!(
            flushes.load(Ordering::SeqCst) < 200,
            "writers waiting together share a flush"
        );
        state.stop().unwrap();
        let state = open(dir.path(), None);
        assert_eq!(state.tenant("t").snapshot().len(), 200);
        state.stop().unwrap();
    }
}
