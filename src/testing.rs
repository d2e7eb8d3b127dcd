//! Support for the project's own property tests and fuzz target (not for
//! users): a [`WriteProbe`] sends create, merge-patch and JSON Patch bodies
//! through the real write path (rules, limits, validation, the in-memory
//! state, the store) and checks the one invariant that must always hold:
//! every answer is a 4xx refusal or a stored connector that respects the
//! limits and reads back equal to itself.

use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::connectors::{ConnectorService, PatchBody, PatchMode};
use crate::error::{ApiError, ErrorCode};
use crate::factories::{Catalog, Factory};
use crate::limits::{depth_exceeds, size_exceeds, Limits};
use crate::state::{State, TenantState};
use crate::store::{ConnectorRecord, Durability, StoreOptions};

/// Small limits, so that random documents often cross them.
pub const PROBE_LIMITS: Limits = Limits {
    max_depth: 6,
    max_config_bytes: 2048,
    max_patch_operations: 12,
};

/// A request body and how it is sent to the probe's connector.
#[derive(Debug, Clone)]
pub enum ProbeRequest {
    /// `POST /api/connectors` (its `id` is set to the probe's connector).
    Create(Value),
    /// `PATCH` with `application/json`.
    Merge(Value),
    /// `PATCH` with `application/json-patch+json`.
    JsonPatch(Value),
}

/// One tenant of one server, with a factory that accepts any config.
pub struct WriteProbe {
    service: ConnectorService,
    state: Arc<State>,
    tenant: Arc<TenantState>,
}

impl WriteProbe {
    /// A probe on a memory store (`path: None`) or on sled in `path`.
    pub fn start(path: Option<&Path>, mode: PatchMode) -> WriteProbe {
        let service = ConnectorService::new(catalog(), mode, PROBE_LIMITS);
        let options = StoreOptions {
            path: path.map(Path::to_path_buf),
            durability: Durability::Always,
            flush_interval: Duration::from_millis(10),
            accept_data_loss: false,
        };
        let (state, _) = State::open(&options, 10, &|_, record, stored| {
            service.load_entry(record, stored)
        })
        .expect("the probe's store opens and its state starts");
        let tenant = state.tenant("probe");
        WriteProbe {
            service,
            state,
            tenant,
        }
    }

    /// Sends `request`; panics unless it is refused with a 4xx or stored.
    pub fn send(&self, request: &ProbeRequest) {
        let (service, tenant) = (&self.service, &self.tenant);
        let result = match request {
            ProbeRequest::Create(body) => {
                let mut body = body.clone();
                if let Some(object) = body.as_object_mut() {
                    object.insert("id".into(), json!("c"));
                }
                service
                    .create(tenant, &body, &crate::connectors::ids::IdSource::Random)
                    .map(|(_, ack)| ack)
            }
            ProbeRequest::Merge(body) => service
                .patch(tenant, "c", &PatchBody::Plain(body.clone()), None)
                .map(|(_, ack)| ack),
            ProbeRequest::JsonPatch(body) => PatchBody::json_patch(body.clone())
                .and_then(|patch| service.patch(tenant, "c", &patch, None))
                .map(|(_, ack)| ack),
        };
        match result {
            Ok(ack) => ack.wait().expect("the write is stored"),
            Err(error) => assert_refusal(&error),
        }
    }

    /// Every stored record, in id order.
    pub fn records(&self) -> Vec<ConnectorRecord> {
        self.tenant
            .snapshot()
            .entries()
            .map(|entry| entry.record().clone())
            .collect()
    }

    /// Panics unless every stored record respects the limits and reads back equal.
    pub fn assert_readable(&self) {
        for record in self.records() {
            for document in [&record.config, &record.metadata] {
                let document = Value::Object(document.clone());
                assert!(
                    !depth_exceeds(&document, PROBE_LIMITS.max_depth),
                    "stored too deep: {document}"
                );
                assert!(
                    !size_exceeds(&document, PROBE_LIMITS.max_config_bytes),
                    "stored too large"
                );
            }
            let read_back = ConnectorRecord::decode(&record.encode()).expect("decodes");
            assert_eq!(read_back, record, "reads back equal");
        }
    }

    /// Stores everything queued and closes the store.
    pub fn stop(self) {
        self.state.stop().expect("the probe's store closes");
    }
}

/// Panics unless `error` is a 4xx that is not "would not read back".
pub fn assert_refusal(error: &ApiError) {
    let (status, _, _) = error.code.describe();
    assert!(status.is_client_error(), "not a 4xx: {error}");
    assert_ne!(
        error.code,
        ErrorCode::MockUnstorable,
        "a connector that would not read back: {error}"
    );
}

/// A social factory that accepts any config (so the store path is exercised).
fn catalog() -> Arc<Catalog> {
    let manifest = json!({
        "type": "Social",
        "metadata": {
            "id": "anything", "target": "anything", "platform": "Universal",
            "name": {"en": "Anything"}, "description": {"en": "Accepts any config"},
            "logo": "./logo.svg", "logoDark": null, "readme": "./README.md"
        },
        "configSchema": {"type": "object"},
        "sampleConfig": {}
    });
    let factory = Factory::load("probe", manifest.to_string().as_bytes(), &HashMap::new())
        .expect("the probe's manifest loads");
    Arc::new(Catalog::from_factories(vec![factory]).expect("one factory"))
}
