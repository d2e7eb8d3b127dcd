//! The connector domain: Logto's rules for creating, reading, patching and
//! deleting connectors. No HTTP and no sled here: routes call these methods,
//! these methods decide, and [`Store::update`] persists atomically.

mod actions;
mod clean;
mod create;
pub mod guard;
pub mod ids;
pub mod language_tags;
pub mod passwordless;
mod patch;
pub mod view;

use serde::Deserialize;
use serde_json::{Map, Value};
use std::sync::Arc;

use crate::error::{ApiError, ErrorCode};
use crate::etag::{etag_of, header_matches};
use crate::factories::{Catalog, ConnectorType, Factory};
use crate::store::{Change, ConnectorRecord, Store, StoreError};
pub use actions::OutboxFilter;
pub use patch::PatchBody;
use view::{connector_view, effective_target, factory_view};

/// The tenant used when none is selected.
pub const DEFAULT_TENANT: &str = "default";

/// How `PATCH` treats `config` (and `metadata`) sent as plain JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PatchMode {
    /// RFC 7396 merge patch into the stored value.
    Merge,
    /// Logto's behaviour: the sent object replaces the stored one.
    Replace,
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        ApiError::internal(error)
    }
}

/// The connector API's logic over one catalog and one store.
pub struct ConnectorService {
    catalog: Arc<Catalog>,
    store: Arc<Store>,
    patch_mode: PatchMode,
}

impl ConnectorService {
    pub fn new(catalog: Arc<Catalog>, store: Arc<Store>, patch_mode: PatchMode) -> Self {
        ConnectorService {
            catalog,
            store,
            patch_mode,
        }
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// `GET /api/connector-factories`.
    pub fn list_factories(&self) -> Value {
        Value::Array(self.catalog.all().iter().map(|f| factory_view(f)).collect())
    }

    /// `GET /api/connector-factories/{id}`.
    pub fn get_factory(&self, id: &str) -> Result<Value, ApiError> {
        self.catalog
            .get(id)
            .map(|factory| factory_view(factory))
            .ok_or_else(|| ApiError::new(ErrorCode::EntityNotFound))
    }

    /// `GET /api/connectors?target=`: every connector whose factory is installed, by id.
    pub fn list(&self, tenant: &str, target: Option<&str>) -> Result<Value, ApiError> {
        let records = self.store.list(tenant)?;
        let installed: Vec<(&Arc<Factory>, &ConnectorRecord)> = records
            .iter()
            .filter_map(|record| Some((self.catalog.get(&record.connector_id)?, record)))
            .collect();
        check_list_invariants(&installed)?;
        let views = installed
            .iter()
            .filter(|(factory, record)| match target {
                Some(target) if !target.is_empty() => {
                    effective_target(factory, &record.metadata) == target
                }
                _ => true,
            })
            .map(|(factory, record)| connector_view(factory, record))
            .collect();
        Ok(Value::Array(views))
    }

    /// `GET /api/connectors/{id}`.
    pub fn get(&self, tenant: &str, id: &str) -> Result<Value, ApiError> {
        let record = self.store.get(tenant, id)?;
        let (factory, record) = self.installed(record.as_ref())?;
        refuse_demo(factory)?;
        Ok(connector_view(factory, record))
    }

    /// `PATCH /api/connectors/{id}`; `if_match` is the request's `If-Match` header.
    pub fn patch(
        &self,
        tenant: &str,
        id: &str,
        body: &PatchBody,
        if_match: Option<&str>,
    ) -> Result<Value, ApiError> {
        let plain_request = match body {
            PatchBody::Plain(value) => {
                Some((patch::PatchConnector::parse(value)?, self.patch_mode))
            }
            PatchBody::MergePatch(value) => {
                Some((patch::PatchConnector::parse(value)?, PatchMode::Merge))
            }
            PatchBody::JsonPatch(_) => None,
        };
        let (factory, record) = self.store.update(tenant, |records| {
            let current = records.iter().find(|record| record.id == id);
            let (factory, current) = self.installed(current)?;
            refuse_demo(factory)?;
            if let Some(expected) = if_match {
                if !header_matches(expected, &etag_of(&connector_view(factory, current)), false) {
                    return Err(ApiError::new(ErrorCode::MockPreconditionFailed));
                }
            }
            let desired = match (&plain_request, body) {
                (Some((request, mode)), _) => request.desired(current, *mode),
                (None, PatchBody::JsonPatch(operations)) => {
                    patch::apply_json_patch(current, operations)?
                }
                (None, _) => unreachable!("plain bodies are parsed above"),
            };
            let updated = patch::apply_desired(factory, current, desired)?;
            let changes = if &updated == current {
                Vec::new()
            } else {
                vec![Change::Put(updated.clone())]
            };
            Ok((changes, (factory.clone(), updated)))
        })?;
        Ok(connector_view(&factory, &record))
    }

    /// `DELETE /api/connectors/{id}`: works even when the factory is not installed.
    pub fn delete(&self, tenant: &str, id: &str) -> Result<(), ApiError> {
        self.store.update(tenant, |records| {
            if !records.iter().any(|record| record.id == id) {
                return Err(ApiError::new(ErrorCode::EntityNotFound));
            }
            Ok((vec![Change::Delete(id.to_owned())], ()))
        })
    }

    /// The record and its factory, or 404 when either is missing (Logto hides
    /// connectors whose factory is not installed).
    fn installed<'r>(
        &self,
        record: Option<&'r ConnectorRecord>,
    ) -> Result<(&Arc<Factory>, &'r ConnectorRecord), ApiError> {
        record
            .and_then(|record| Some((self.catalog.get(&record.connector_id)?, record)))
            .ok_or_else(|| ApiError::new(ErrorCode::EntityNotFound))
    }
}

fn validate_config(factory: &Factory, config: &Map<String, Value>) -> Result<(), ApiError> {
    factory
        .config_schema
        .validate(&Value::Object(config.clone()))
        .map_err(|issues| ApiError::invalid_config(&issues))
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

/// The list endpoint refuses states Logto considers broken.
fn check_list_invariants(installed: &[(&Arc<Factory>, &ConnectorRecord)]) -> Result<(), ApiError> {
    let mut seen = Vec::new();
    for (factory, record) in installed {
        if factory.connector_type == ConnectorType::Social && factory.platform.is_some() {
            let key = (
                effective_target(factory, &record.metadata),
                factory.platform,
            );
            if seen.contains(&key) {
                return Err(ApiError::new(
                    ErrorCode::ConnectorMultipleTargetWithSamePlatformOnList,
                ));
            }
            seen.push(key);
        }
    }
    let count = |kind: ConnectorType| {
        installed
            .iter()
            .filter(|(factory, _)| factory.connector_type == kind)
            .count()
    };
    if count(ConnectorType::Email) > 1 {
        return Err(ApiError::new(ErrorCode::ConnectorMoreThanOneEmail));
    }
    if count(ConnectorType::Sms) > 1 {
        return Err(ApiError::new(ErrorCode::ConnectorMoreThanOneSms));
    }
    Ok(())
}
