//! The seed: connectors every tenant starts with (and returns to on reset).
//!
//! `[seed] file` is either a JSON array of `POST /api/connectors` bodies,
//! applied to every tenant, or an object keyed by tenant name with `"*"` for
//! every other tenant. Each body goes through the same rules as
//! `POST /api/connectors`, in order, once at start-up: the resulting
//! connectors (ids and all) are what each tenant gets.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::connectors::ids::IdSource;
use crate::connectors::ConnectorService;
use crate::state::{Entry, State};
use crate::store::{Durability, StoreOptions};

/// Most create bodies one seed list may hold.
pub const MAX_SEED_ENTRIES: usize = 1000;

/// The seeded connectors of every tenant, resolved once.
#[derive(Debug, Default, Clone)]
pub struct Seed {
    /// For tenants without their own list (`"*"`, or the whole array).
    others: Arc<[Arc<Entry>]>,
    by_tenant: BTreeMap<String, Arc<[Arc<Entry>]>>,
}

impl Seed {
    /// The empty seed (no `[seed] file`).
    pub fn empty() -> Seed {
        Seed::default()
    }

    /// Reads and resolves `path`; errors name the file, the entry and the reason.
    pub fn load(
        path: &Path,
        service: &ConnectorService,
        ids_seed: Option<u64>,
    ) -> Result<Seed, String> {
        let text = std::fs::read(path)
            .map_err(|error| format!("cannot read seed file {}: {error}", path.display()))?;
        let value: Value = serde_json::from_slice(&text)
            .map_err(|error| format!("seed file {}: not valid JSON: {error}", path.display()))?;
        Seed::from_value(&value, service, ids_seed)
            .map_err(|error| format!("seed file {}: {error}", path.display()))
    }

    /// Resolves a seed document (an array, or an object keyed by tenant).
    pub fn from_value(
        value: &Value,
        service: &ConnectorService,
        ids_seed: Option<u64>,
    ) -> Result<Seed, String> {
        match value {
            Value::Array(bodies) => Ok(Seed {
                others: resolve(bodies, "*", service, ids_seed)?,
                by_tenant: BTreeMap::new(),
            }),
            Value::Object(tenants) => {
                let mut seed = Seed::default();
                for (tenant, bodies) in tenants {
                    if tenant != "*" && !super::valid_tenant_name(tenant) {
                        return Err(format!(
                            "key {tenant:?}: not a tenant name (1 to 63 of a-z, 0-9, '-') nor \"*\""
                        ));
                    }
                    let Value::Array(bodies) = bodies else {
                        return Err(format!(
                            "key {tenant:?}: expected an array of POST /api/connectors bodies"
                        ));
                    };
                    let entries = resolve(bodies, tenant, service, ids_seed)?;
                    if tenant == "*" {
                        seed.others = entries;
                    } else {
                        seed.by_tenant.insert(tenant.clone(), entries);
                    }
                }
                Ok(seed)
            }
            _ => Err(
                "expected an array of POST /api/connectors bodies, or an object of such arrays keyed by tenant name (\"*\" for all others)"
                    .to_owned(),
            ),
        }
    }

    /// The connectors `tenant` is seeded with, ordered by id.
    pub fn for_tenant(&self, tenant: &str) -> &Arc<[Arc<Entry>]> {
        self.by_tenant.get(tenant).unwrap_or(&self.others)
    }
}

/// Creates `bodies` in order on a scratch tenant; its connectors are the seed.
fn resolve(
    bodies: &[Value],
    tenant: &str,
    service: &ConnectorService,
    ids_seed: Option<u64>,
) -> Result<Arc<[Arc<Entry>]>, String> {
    if bodies.len() > MAX_SEED_ENTRIES {
        return Err(format!(
            "tenant {tenant:?}: {} entries; at most {MAX_SEED_ENTRIES}",
            bodies.len()
        ));
    }
    if bodies.is_empty() {
        return Ok(Arc::from(Vec::new()));
    }
    let options = StoreOptions {
        path: None,
        durability: Durability::None,
        flush_interval: Duration::from_millis(100),
        accept_data_loss: false,
    };
    let (scratch, _) = State::open(&options, 1, &|_, record, stored| {
        service.load_entry(record, stored)
    })?;
    let ids = IdSource::new(ids_seed, &format!("seed:{tenant}"));
    let data = scratch.tenant("seed");
    let mut outcome = Ok(());
    for (index, body) in bodies.iter().enumerate() {
        let created = service
            .create(&data, body, &ids)
            .map_err(|error| describe(&error.body()))
            .and_then(|(_, ack)| ack.wait().map_err(|error| error.0));
        if let Err(reason) = created {
            outcome = Err(format!("tenant {tenant:?}, entry {index}: {reason}"));
            break;
        }
    }
    let entries: Vec<Arc<Entry>> = data.snapshot().entries().cloned().collect();
    let _ = scratch.stop();
    outcome.map(|()| Arc::from(entries))
}

/// `code: message (details)` of an error body, for start-up messages.
fn describe(body: &Value) -> String {
    let text = |key: &str| body.get(key).and_then(Value::as_str);
    let mut line = match text("code") {
        Some(code) => format!("{code}: {}", text("message").unwrap_or_default()),
        None => text("message").unwrap_or_default().to_owned(),
    };
    if let Some(details) = text("details") {
        line.push_str(&format!(" ({details})"));
    } else if let Some(data) = body.get("data") {
        line.push_str(&format!(" {data}"));
    }
    line
}
