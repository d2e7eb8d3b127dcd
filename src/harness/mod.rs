//! The test harness (beyond Logto): isolated tenants, seed and reset, the
//! request journal, fault injection, reproducible ids and state export.
//!
//! Connectors and outboxes live in [`crate::state`] (durable, per tenant).
//! This module adds what a test suite needs around them: each [`Tenant`]
//! carries its journal, fault rules and id source, and is seeded (durably,
//! exactly once) before its first request is handled.

pub mod faults;
pub mod glob;
pub mod journal;
pub mod record_files;
pub mod seed;
pub mod state_file;

use arc_swap::ArcSwap;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use crate::connectors::ids::IdSource;
use crate::error::{ApiError, ErrorCode};
use crate::state::{Ack, Change, Entry, Snapshot, State, TemplateEntry, TenantState};
pub use faults::{Fault, Faults};
pub use journal::Journal;
pub use seed::Seed;

/// The tenant of requests that select none.
pub const DEFAULT_TENANT: &str = crate::connectors::DEFAULT_TENANT;

/// Whether `name` is a tenant name: 1 to 63 characters of `a-z`, `0-9`, `-`.
pub fn valid_tenant_name(name: &str) -> bool {
    (1..=63).contains(&name.len())
        && name
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
}

/// Harness settings (from `[tenants]`, `[journal]` and `[ids]`).
#[derive(Debug, Clone)]
pub struct HarnessOptions {
    /// Most tenants at once.
    pub max_tenants: usize,
    /// Requests kept per tenant (0: no journal).
    pub journal_capacity: usize,
    /// Makes generated ids reproducible.
    pub ids_seed: Option<u64>,
}

/// One tenant: its stored data plus the harness's per-tenant parts.
pub struct Tenant {
    name: String,
    data: Arc<TenantState>,
    pub journal: Journal,
    pub faults: Faults,
    pub ids: IdSource,
    /// Set once the tenant is seeded (stored).
    seeded: tokio::sync::OnceCell<()>,
}

impl Tenant {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The tenant's connectors and outbox.
    pub fn data(&self) -> &Arc<TenantState> {
        &self.data
    }
}

/// Every tenant of the server and the seed they start from.
pub struct Harness {
    state: Arc<State>,
    seed: Seed,
    options: HarnessOptions,
    tenants: ArcSwap<HashMap<String, Arc<Tenant>>>,
    /// Serializes creating and dropping tenants.
    changing: Mutex<()>,
}

impl Harness {
    /// The harness over `state`; tenants already stored are known (and not seeded again).
    pub fn new(state: Arc<State>, seed: Seed, options: HarnessOptions) -> Harness {
        let harness = Harness {
            state,
            seed,
            options,
            tenants: ArcSwap::from_pointee(HashMap::new()),
            changing: Mutex::new(()),
        };
        let loaded: HashMap<String, Arc<Tenant>> = harness
            .state
            .tenants()
            .iter()
            .map(|(name, data)| (name.clone(), harness.wrap(name, data.clone())))
            .collect();
        harness.tenants.store(Arc::new(loaded));
        harness
    }

    fn wrap(&self, name: &str, data: Arc<TenantState>) -> Arc<Tenant> {
        let seeded = if data.snapshot().is_registered() {
            tokio::sync::OnceCell::new_with(Some(()))
        } else {
            tokio::sync::OnceCell::new()
        };
        Arc::new(Tenant {
            name: name.to_owned(),
            data,
            journal: Journal::new(self.options.journal_capacity),
            faults: Faults::default(),
            ids: IdSource::new(self.options.ids_seed, name),
            seeded,
        })
    }

    fn lock_changing(&self) -> std::sync::MutexGuard<'_, ()> {
        self.changing
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// The tenant `name`, created on first use (not yet seeded: see
    /// [`Harness::ready`]). 400 `mock.limit_exceeded` beyond `[tenants] max`.
    pub fn tenant(&self, name: &str) -> Result<Arc<Tenant>, ApiError> {
        if let Some(tenant) = self.tenants.load().get(name) {
            return Ok(tenant.clone());
        }
        let _changing = self.lock_changing();
        let tenants = self.tenants.load();
        if let Some(tenant) = tenants.get(name) {
            return Ok(tenant.clone());
        }
        let data = self
            .state
            .tenant_within(name, self.options.max_tenants)
            .ok_or_else(|| {
                ApiError::new(ErrorCode::MockLimitExceeded)
                    .with_message(format!(
                        "This server holds {} tenants already ([tenants] max); drop one with DELETE /_mock/tenants/{{name}}.",
                        self.options.max_tenants
                    ))
                    .with_data(json!({ "limit": "tenants.max", "value": self.options.max_tenants }))
            })?;
        let tenant = self.wrap(name, data);
        let mut next = HashMap::clone(&tenants);
        next.insert(name.to_owned(), tenant.clone());
        self.tenants.store(Arc::new(next));
        Ok(tenant)
    }

    /// The tenant `name` if it exists.
    pub fn existing(&self, name: &str) -> Option<Arc<Tenant>> {
        self.tenants.load().get(name).cloned()
    }

    /// Seeds `tenant` on its first use; returns once the seed is stored.
    /// Concurrent first requests wait for the same seeding.
    pub async fn ready(&self, tenant: &Tenant) -> Result<(), ApiError> {
        if tenant.seeded.initialized() {
            return Ok(());
        }
        tenant
            .seeded
            .get_or_try_init(|| async {
                let ack = self.seed_if_new(tenant)?;
                crate::routes::stored(ack).await
            })
            .await
            .map(|_| ())
    }

    /// [`Harness::ready`] for callers outside the server's executor.
    pub fn ready_blocking(&self, tenant: &Tenant) -> Result<(), ApiError> {
        if tenant.seeded.initialized() {
            return Ok(());
        }
        self.seed_if_new(tenant)?.wait().map_err(ApiError::from)?;
        let _ = tenant.seeded.set(());
        Ok(())
    }

    fn seed_if_new(&self, tenant: &Tenant) -> Result<Ack, ApiError> {
        let seed = self.seed.for_tenant(&tenant.name).clone();
        let ((), ack) = tenant.data.commit(|pending| {
            let changes = if pending.is_registered() {
                Vec::new()
            } else if !pending.is_empty()
                || pending.outbox_len() > 0
                || pending.template_count() > 0
            {
                // Data stored before tenants were marked (older versions,
                // restored backups): keep it, only mark the tenant.
                vec![Change::Register]
            } else {
                replacing(pending, &seed, &[])
            };
            Ok::<_, ApiError>((changes, ()))
        })?;
        Ok(ack)
    }

    /// `POST /_mock/reset`: the tenant's connectors become exactly its seed
    /// and its outbox, journal and fault rules are emptied, in one atomic
    /// step for readers. Its id sequence starts again.
    pub fn reset(&self, tenant: &Tenant) -> Result<Ack, ApiError> {
        let seed = self.seed.for_tenant(&tenant.name).clone();
        self.replace(tenant, &seed, &[])
    }

    /// Replaces the tenant's connectors with `entries` and its email
    /// templates with `templates` (reset and import).
    pub fn replace(
        &self,
        tenant: &Tenant,
        entries: &[Arc<Entry>],
        templates: &[Arc<TemplateEntry>],
    ) -> Result<Ack, ApiError> {
        let ((), ack) = tenant
            .data
            .commit(|pending| Ok::<_, ApiError>((replacing(pending, entries, templates), ())))?;
        tenant.faults.clear();
        tenant.journal.clear();
        tenant.ids.restart();
        let _ = tenant.seeded.set(());
        Ok(ack)
    }

    /// `DELETE /_mock/tenants/{name}`: removes the tenant and all its data;
    /// `None` when there is no such tenant.
    pub fn drop_tenant(&self, name: &str) -> Result<Option<Ack>, ApiError> {
        let _changing = self.lock_changing();
        let dropped = self.state.drop_tenant(name)?;
        let mut next = HashMap::clone(&self.tenants.load());
        next.remove(name);
        self.tenants.store(Arc::new(next));
        Ok(dropped)
    }

    /// `GET /_mock/tenants`: every tenant with its connector and outbox counts, by name.
    pub fn describe(&self) -> Value {
        let tenants = self.tenants.load();
        let mut names: Vec<&String> = tenants.keys().collect();
        names.sort();
        let list: Vec<Value> = names
            .into_iter()
            .map(|name| {
                let tenant = &tenants[name];
                let snapshot = tenant.data.read();
                json!({
                    "name": name,
                    "connectors": snapshot.len(),
                    "outbox": snapshot.outbox_len(),
                    "faults": tenant.faults.len(),
                })
            })
            .collect();
        Value::Array(list)
    }
}

/// The changes that make `pending` hold exactly `entries` and `templates`
/// (and no outbox), writing only what differs.
fn replacing(
    pending: &Snapshot,
    entries: &[Arc<Entry>],
    templates: &[Arc<TemplateEntry>],
) -> Vec<Change> {
    let keep: BTreeSet<&str> = entries.iter().map(|entry| entry.id()).collect();
    let mut changes: Vec<Change> = pending
        .entries()
        .filter(|entry| !keep.contains(entry.id()))
        .map(|entry| Change::Delete(entry.id().to_owned()))
        .collect();
    changes.extend(
        entries
            .iter()
            .filter(|entry| {
                pending
                    .get(entry.id())
                    .is_none_or(|current| !Arc::ptr_eq(current, entry))
            })
            .map(|entry| Change::Put(entry.clone())),
    );
    let keep: BTreeSet<&str> = templates
        .iter()
        .map(|template| template.record.id.as_str())
        .collect();
    changes.extend(
        pending
            .templates()
            .filter(|template| !keep.contains(template.record.id.as_str()))
            .map(|template| Change::DeleteTemplate(template.record.id.clone())),
    );
    changes.extend(
        templates
            .iter()
            .filter(|template| {
                pending
                    .template(&template.record.id)
                    .is_none_or(|current| current.record != template.record)
            })
            .map(|template| Change::PutTemplate(template.clone())),
    );
    if pending.outbox_len() > 0 {
        changes.push(Change::ClearOutbox);
    }
    if !pending.is_registered() {
        changes.push(Change::Register);
    }
    changes
}
