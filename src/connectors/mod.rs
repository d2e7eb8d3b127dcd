//! The connector domain: Logto's rules for creating, reading, patching and
//! deleting connectors. No HTTP and no sled here: routes call these methods,
//! these methods decide, and [`TenantState::commit`] publishes the result
//! once the store has it.
//!
//! Reads are served from the tenant's published snapshot. Writes parse and
//! validate outside any lock; only the checks that need the current state
//! (existence, `If-Match`, uniqueness, one Email / one SMS) run inside
//! [`TenantState::commit`], at a cost independent of the tenant's size.

mod actions;
mod clean;
mod create;
pub mod guard;
pub mod ids;
pub mod language_tags;
pub mod passwordless;
mod patch;
#[cfg(test)]
mod properties;
pub mod view;

use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

use crate::error::{ApiError, ErrorCode};
use crate::etag::etag_of_list;
use crate::factories::{Catalog, ConnectorType, Factory};
use crate::limits::Limits;
use crate::state::{Ack, Change, Entry, Rendered, Snapshot, TenantState};
use crate::store::ConnectorRecord;
pub use actions::OutboxFilter;
pub use patch::PatchBody;
use view::{effective_target, render, ConnectorView, FactoryView, RawMetadata};

/// The tenant used when none is selected.
pub const DEFAULT_TENANT: &str = "default";

/// How `PATCH` treats `config` (and `metadata`) sent as plain JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum PatchMode {
    /// RFC 7396 merge patch into the stored value.
    Merge,
    /// Logto's behaviour: the sent object replaces the stored one.
    Replace,
}

/// A JSON array answer: its items' bytes (served one after the other) and its ETag.
pub struct JsonList {
    pub items: Vec<Bytes>,
    pub etag: String,
}

/// The connector API's logic over one catalog; stateless apart from the
/// factory answers it renders once.
pub struct ConnectorService {
    catalog: Arc<Catalog>,
    patch_mode: PatchMode,
    limits: Limits,
    factory_list: Rendered,
    factory_views: HashMap<String, Rendered>,
    /// Each factory's metadata serialized once, for connector views.
    raw_metadata: HashMap<String, RawMetadata>,
    /// Each factory's confidential config keys.
    confidential: HashMap<String, Vec<String>>,
}

impl ConnectorService {
    pub fn new(catalog: Arc<Catalog>, patch_mode: PatchMode, limits: Limits) -> Self {
        let views: Vec<FactoryView<'_>> =
            catalog.all().iter().map(|f| FactoryView::new(f)).collect();
        let factory_list = render(&views);
        let factory_views = catalog
            .all()
            .iter()
            .map(|factory| (factory.id.clone(), render(&FactoryView::new(factory))))
            .collect();
        let raw_metadata = catalog
            .all()
            .iter()
            .map(|factory| (factory.id.clone(), RawMetadata::of(factory)))
            .collect();
        let confidential = catalog
            .all()
            .iter()
            .map(|factory| (factory.id.clone(), confidential_keys_of(factory)))
            .collect();
        ConnectorService {
            catalog,
            patch_mode,
            limits,
            factory_list,
            factory_views,
            raw_metadata,
            confidential,
        }
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// `GET /api/connector-factories` (rendered at start-up).
    pub fn list_factories(&self) -> &Rendered {
        &self.factory_list
    }

    /// `GET /api/connector-factories/{id}`.
    pub fn get_factory(&self, id: &str) -> Result<&Rendered, ApiError> {
        self.factory_views
            .get(id)
            .ok_or_else(|| ApiError::new(ErrorCode::EntityNotFound))
    }

    /// `GET /api/connectors?target=`: every connector whose factory is installed, by id.
    pub fn list(&self, tenant: &TenantState, target: Option<&str>) -> Result<JsonList, ApiError> {
        let snapshot = tenant.read();
        check_list_invariants(&snapshot)?;
        let target = target.filter(|target| !target.is_empty());
        let mut items = Vec::new();
        let mut etags = Vec::new();
        for entry in snapshot.entries() {
            let Some(factory) = self.catalog.get(&entry.record().connector_id) else {
                continue;
            };
            if target
                .is_some_and(|target| effective_target(factory, &entry.record().metadata) != target)
            {
                continue;
            }
            if let Some(rendered) = self.rendered(entry) {
                items.push(rendered.body.clone());
                etags.push(rendered.etag.as_str());
            }
        }
        let etag = match target {
            None => snapshot
                .list_etag(|| etag_of_list(etags.iter().copied()))
                .to_owned(),
            Some(_) => etag_of_list(etags.iter().copied()),
        };
        Ok(JsonList { items, etag })
    }

    /// `GET /api/connectors/{id}`.
    pub fn get(&self, tenant: &TenantState, id: &str) -> Result<Rendered, ApiError> {
        let snapshot = tenant.read();
        let (factory, entry) = self.installed(snapshot.get(id))?;
        refuse_demo(factory)?;
        Ok(self.view_of(factory, entry))
    }

    /// `DELETE /api/connectors/{id}`: works even when the factory is not installed.
    pub fn delete(&self, tenant: &Arc<TenantState>, id: &str) -> Result<Ack, ApiError> {
        let ((), ack) = tenant.commit(|pending| {
            if !pending.contains(id) {
                return Err(ApiError::new(ErrorCode::EntityNotFound));
            }
            Ok((vec![Change::Delete(id.to_owned())], ()))
        })?;
        Ok(ack)
    }

    /// The entry of a record loaded at start-up (its view is rendered on first use).
    pub fn load_entry(&self, record: ConnectorRecord, stored: Bytes) -> Entry {
        let keys = self.index_keys(&record);
        Entry::loaded(record, stored, keys)
    }

    /// The entry of an imported record (`PUT /_mock/state`, `import`): its
    /// factory must be installed and its config and metadata must pass the
    /// factory's schema and the storage limits.
    pub fn imported_entry(&self, record: ConnectorRecord) -> Result<Arc<Entry>, ApiError> {
        if record.id.is_empty() || record.id.len() > 128 {
            return Err(ApiError::new(ErrorCode::GuardInvalidInput)
                .with_message("a connector id is 1 to 128 characters"));
        }
        let factory = self
            .catalog
            .get(&record.connector_id)
            .ok_or_else(|| ApiError::new(ErrorCode::ConnectorNotFoundWithConnectorId))?
            .clone();
        self.validate_config(&factory, &Value::Object(record.config.clone()))?;
        self.check_metadata_limits(&record.metadata)?;
        self.new_entry(&factory, record)
    }

    /// Config keys of `factory_id` whose form items are marked
    /// `isConfidential` (masked in the request journal).
    pub fn confidential_keys(&self, factory_id: &str) -> &[String] {
        self.confidential
            .get(factory_id)
            .map_or(&[], |keys| keys.as_slice())
    }

    /// The view of `record` of `factory`.
    fn render_connector(&self, factory: &Factory, record: &ConnectorRecord) -> Rendered {
        match self.raw_metadata.get(&factory.id) {
            Some(raw) => render(&ConnectorView::new(factory, raw, record)),
            None => render(&ConnectorView::new(
                factory,
                &RawMetadata::of(factory),
                record,
            )),
        }
    }

    /// A new version of a record, rendered, checked to read back.
    fn new_entry(
        &self,
        factory: &Factory,
        record: ConnectorRecord,
    ) -> Result<Arc<Entry>, ApiError> {
        let rendered = self.render_connector(factory, &record);
        let keys = self.index_keys(&record);
        Entry::new(record, keys, Some(rendered))
            .map(Arc::new)
            .map_err(|unreadable| {
                ApiError::new(ErrorCode::MockUnstorable)
                    .with_data(serde_json::json!({ "reason": unreadable.0 }))
            })
    }

    /// The keys the tenant's index keeps for a record, one per uniqueness
    /// rule, so that each key is held by at most one connector in a healthy
    /// tenant (and index updates stay cheap however large the tenant grows):
    /// Email and SMS connectors by type (one of each), social connectors by
    /// platform and target, non-standard social ones also by factory (one
    /// instance).
    fn index_keys(&self, record: &ConnectorRecord) -> Vec<String> {
        let Some(factory) = self.catalog.get(&record.connector_id) else {
            return Vec::new();
        };
        if factory.connector_type != ConnectorType::Social {
            return vec![type_key(factory.connector_type)];
        }
        let social = social_key(factory, effective_target(factory, &record.metadata));
        if factory.is_standard {
            vec![social]
        } else {
            vec![social, factory_key(&factory.id)]
        }
    }

    /// The entry's view (hidden when its factory is not installed).
    fn rendered<'e>(&self, entry: &'e Entry) -> Option<&'e Rendered> {
        entry.rendered(|record| {
            let factory = self.catalog.get(&record.connector_id)?;
            Some(self.render_connector(factory, record))
        })
    }

    /// The view of an installed connector.
    fn view_of(&self, factory: &Factory, entry: &Entry) -> Rendered {
        self.rendered(entry)
            .cloned()
            .unwrap_or_else(|| self.render_connector(factory, entry.record()))
    }

    /// The entry and its factory, or 404 when either is missing (Logto hides
    /// connectors whose factory is not installed).
    fn installed<'e>(
        &self,
        entry: Option<&'e Arc<Entry>>,
    ) -> Result<(&Arc<Factory>, &'e Arc<Entry>), ApiError> {
        entry
            .and_then(|entry| Some((self.catalog.get(&entry.record().connector_id)?, entry)))
            .ok_or_else(|| ApiError::new(ErrorCode::EntityNotFound))
    }

    /// Config checks shared by create, patch and the test endpoint: the
    /// storage limits, then the factory's schema.
    fn validate_config(&self, factory: &Factory, config: &Value) -> Result<(), ApiError> {
        self.limits
            .check_document(config)
            .map_err(|limit| ApiError::limit_exceeded(&limit, "config"))?;
        factory
            .config_schema
            .validate(config)
            .map_err(|issues| ApiError::invalid_config(&issues))
    }

    /// The storage limits for a connector's metadata overrides.
    fn check_metadata_limits(&self, metadata: &Map<String, Value>) -> Result<(), ApiError> {
        self.limits
            .check_document(&Value::Object(metadata.clone()))
            .map_err(|limit| ApiError::limit_exceeded(&limit, "metadata"))
    }
}

/// The `key`s of the form items marked `isConfidential`.
fn confidential_keys_of(factory: &Factory) -> Vec<String> {
    factory
        .metadata
        .get("formItems")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|item| item.get("isConfidential") == Some(&Value::Bool(true)))
        .filter_map(|item| item.get("key").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

/// Why one attempt of a write did not go through.
enum Attempt {
    /// Decided on a state that changed (or a generated id that was taken): try again.
    Retry,
    Refused(ApiError),
}

impl From<ApiError> for Attempt {
    fn from(error: ApiError) -> Self {
        Attempt::Refused(error)
    }
}

impl From<crate::state::Unavailable> for Attempt {
    fn from(error: crate::state::Unavailable) -> Self {
        Attempt::Refused(error.into())
    }
}

fn factory_key(id: &str) -> String {
    format!("factory:{id}")
}

fn type_key(connector_type: ConnectorType) -> String {
    format!("type:{}", connector_type.as_str())
}

/// Social connectors are unique per platform and target; `none` when the factory has no platform.
fn social_key(factory: &Factory, target: &str) -> String {
    let platform = factory
        .platform
        .map_or("none".to_owned(), |platform| format!("{platform:?}"));
    format!("social:{platform}:{target}")
}

fn check_token_storage(factory: &Factory) -> Result<(), ApiError> {
    if factory.connector_type == ConnectorType::Social && factory.is_token_storage_supported {
        Ok(())
    } else {
        Err(ApiError::new(ErrorCode::ConnectorTokenStorageNotSupported))
    }
}

fn refuse_demo(factory: &Factory) -> Result<(), ApiError> {
    if factory.is_demo() {
        Err(ApiError::new(ErrorCode::ConnectorNotFound))
    } else {
        Ok(())
    }
}

/// The list endpoint refuses states Logto considers broken: two social
/// connectors with one target on one platform, more than one Email or SMS
/// connector. The index knows, so this costs nothing per connector.
fn check_list_invariants(snapshot: &Snapshot) -> Result<(), ApiError> {
    let crowded: Vec<&String> = snapshot.crowded().collect();
    if crowded
        .iter()
        .any(|key| key.starts_with("social:") && !key.starts_with("social:none:"))
    {
        return Err(ApiError::new(
            ErrorCode::ConnectorMultipleTargetWithSamePlatformOnList,
        ));
    }
    if crowded.contains(&&type_key(ConnectorType::Email)) {
        return Err(ApiError::new(ErrorCode::ConnectorMoreThanOneEmail));
    }
    if crowded.contains(&&type_key(ConnectorType::Sms)) {
        return Err(ApiError::new(ErrorCode::ConnectorMoreThanOneSms));
    }
    Ok(())
}
