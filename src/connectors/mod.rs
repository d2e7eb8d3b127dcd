//! The connector domain: Logto's rules for creating, reading, patching and
//! deleting connectors. No HTTP and no sled here: routes call these methods,
//! these methods decide, and [`Store::update`] persists atomically.

mod clean;
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
use crate::factories::authorization::{AuthorizationInput, NotImplemented};
use crate::factories::{Catalog, ConnectorType, Factory};
use crate::store::{Change, ConnectorRecord, OutboxMessage, Store, StoreError};
use clean::clean_object;
use guard::{configurable_metadata, Field, Guard};
use passwordless::TestMessage;
pub use patch::PatchBody;
use view::{connector_view, effective_target, factory_view, merged_metadata};

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

    /// `POST /api/connectors`.
    pub fn create(&self, tenant: &str, body: &Value) -> Result<Value, ApiError> {
        let request = CreateConnector::parse(body)?;
        let factory = self
            .catalog
            .get(&request.connector_id)
            .filter(|factory| !factory.is_demo())
            .ok_or_else(|| ApiError::new(ErrorCode::ConnectorNotFoundWithConnectorId))?
            .clone();
        let record = self.store.update(tenant, |records| {
            if factory.connector_type == ConnectorType::Social {
                self.check_social_create(&factory, &request, records)?;
            }
            if let Some(config) = &request.config {
                validate_config(&factory, config)?;
            }
            if request.enable_token_storage == Some(true) {
                check_token_storage(&factory)?;
            }
            let id = match &request.id {
                Some(id) if records.iter().any(|record| &record.id == id) => {
                    return Err(ApiError::new(ErrorCode::EntityUniqueIntegrityViolation)
                        .with_data(serde_json::json!({ "id": id })));
                }
                Some(id) => id.clone(),
                None => loop {
                    let id = ids::generate_id();
                    if !records.iter().any(|record| record.id == id) {
                        break id;
                    }
                },
            };
            let record = ConnectorRecord {
                id,
                connector_id: factory.id.clone(),
                config: request
                    .config
                    .as_ref()
                    .map(clean_object)
                    .unwrap_or_default(),
                metadata: request
                    .metadata
                    .as_ref()
                    .map(clean_object)
                    .unwrap_or_default(),
                sync_profile: request.sync_profile.unwrap_or(false),
                enable_token_storage: request.enable_token_storage.unwrap_or(false),
                created_at: crate::time::now_millis(),
            };
            let mut changes = vec![Change::Put(record.clone())];
            if factory.connector_type != ConnectorType::Social {
                // Logto keeps one Email and one SMS connector: a new one replaces the rest.
                let same_type = self.catalog.ids_of_type(factory.connector_type);
                changes.extend(
                    records
                        .iter()
                        .filter(|old| old.id != record.id)
                        .filter(|old| same_type.contains(&old.connector_id.as_str()))
                        .map(|old| Change::Delete(old.id.clone())),
                );
            }
            Ok((changes, record))
        })?;
        Ok(connector_view(&factory, &record))
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
            let updated = apply_desired(factory, current, desired)?;
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

    /// `POST /api/connectors/{factoryId}/test`: records the rendered message in the outbox.
    pub fn send_test_message(
        &self,
        tenant: &str,
        factory_id: &str,
        body: &Value,
    ) -> Result<OutboxMessage, ApiError> {
        let request = TestMessage::parse(body)?;
        let factory = self
            .catalog
            .get(factory_id)
            .filter(|factory| factory.connector_type != ConnectorType::Social && !factory.is_demo())
            .ok_or_else(|| {
                ApiError::new(ErrorCode::ConnectorNotFound).with_message(format!(
                    "Cannot find any available connector for type: {}.",
                    request.expected_type.as_str()
                ))
            })?;
        let mut message = request.render(factory)?;
        message.sent_at_ms = crate::time::now_millis();
        message.sent_at = crate::time::rfc3339(message.sent_at_ms);
        Ok(self.store.append_outbox(tenant, message)?)
    }

    /// `POST /api/connectors/{id}/authorization-uri`: `{"redirectTo": url}`.
    pub fn authorization_uri(
        &self,
        tenant: &str,
        id: &str,
        body: &Value,
    ) -> Result<Value, ApiError> {
        let mut guard = Guard::new(body, Vec::new());
        let state = guard.string("state", true, 0, u64::MAX);
        let redirect_uri = guard.string("redirectUri", true, 0, u64::MAX);
        if !guard.issues.is_empty() {
            return Err(ApiError::invalid_input("body", &guard.issues));
        }
        let (state, redirect_uri) = (state.unwrap_or_default(), redirect_uri.unwrap_or_default());
        if state.is_empty() || redirect_uri.is_empty() {
            return Err(ApiError::new(ErrorCode::SessionInsufficientInfo));
        }
        let record = self.store.get(tenant, id)?;
        let (factory, record) = self.installed(record.as_ref())?;
        if factory.connector_type != ConnectorType::Social {
            return Err(ApiError::new(ErrorCode::ConnectorUnexpectedType));
        }
        validate_config(factory, &record.config)?;
        let rule = factory
            .authorization
            .as_ref()
            .ok_or_else(|| ApiError::new(ErrorCode::ConnectorNotImplemented))?;
        let input = AuthorizationInput {
            state,
            redirect_uri,
            connector_id: record.id.clone(),
            connector_factory_id: factory.id.clone(),
        };
        let url = rule
            .build(&record.config, &input)
            .map_err(|NotImplemented| ApiError::new(ErrorCode::ConnectorNotImplemented))?;
        Ok(serde_json::json!({ "redirectTo": url }))
    }

    /// `GET /_mock/outbox`: recorded messages, oldest first, filtered.
    pub fn outbox(&self, tenant: &str, filter: &OutboxFilter) -> Result<Value, ApiError> {
        let messages: Vec<Value> = self
            .store
            .list_outbox(tenant)?
            .into_iter()
            .filter(|message| filter.matches(message))
            .map(|message| serde_json::to_value(message).unwrap_or(Value::Null))
            .collect();
        Ok(Value::Array(messages))
    }

    /// `DELETE /_mock/outbox`.
    pub fn clear_outbox(&self, tenant: &str) -> Result<(), ApiError> {
        Ok(self.store.clear_outbox(tenant)?)
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

    /// POST rules (a)–(d) for social factories.
    fn check_social_create(
        &self,
        factory: &Factory,
        request: &CreateConnector,
        records: &[ConnectorRecord],
    ) -> Result<(), ApiError> {
        let requested_target = request
            .metadata
            .as_ref()
            .and_then(|metadata| metadata.get("target"))
            .and_then(Value::as_str)
            .filter(|target| !target.is_empty());
        if factory.is_standard && requested_target.is_none() {
            return Err(ApiError::new(ErrorCode::ConnectorShouldSpecifyTarget));
        }
        if !factory.is_standard && request.metadata.is_some() {
            return Err(ApiError::new(ErrorCode::ConnectorCannotOverwriteMetadata));
        }
        if !factory.is_standard && records.iter().any(|r| r.connector_id == factory.id) {
            return Err(ApiError::new(
                ErrorCode::ConnectorMultipleInstancesNotSupported,
            ));
        }
        let target = requested_target.unwrap_or(&factory.target);
        let clash = records.iter().find_map(|record| {
            let existing = self.catalog.get(&record.connector_id)?;
            (existing.connector_type == ConnectorType::Social
                && effective_target(existing, &record.metadata) == target
                && existing.platform == factory.platform)
                .then_some((existing, record))
        });
        if let Some((existing, record)) = clash {
            let name = merged_metadata(existing, record)
                .get("name")
                .cloned()
                .unwrap_or(Value::Null);
            return Err(
                ApiError::new(ErrorCode::ConnectorMultipleTargetWithSamePlatformOnCreate)
                    .with_data(serde_json::json!({
                        "connectorId": existing.id,
                        "connectorName": name,
                    })),
            );
        }
        Ok(())
    }
}

/// Filters of `GET /_mock/outbox`.
#[derive(Debug, Default, Clone)]
pub struct OutboxFilter {
    pub to: Option<String>,
    pub factory_id: Option<String>,
    /// Only messages sent at or after this instant (milliseconds).
    pub since_ms: Option<u64>,
}

impl OutboxFilter {
    fn matches(&self, message: &OutboxMessage) -> bool {
        self.to.as_ref().is_none_or(|to| &message.to == to)
            && self
                .factory_id
                .as_ref()
                .is_none_or(|id| &message.factory_id == id)
            && self
                .since_ms
                .is_none_or(|since| message.sent_at_ms >= since)
    }
}

/// A validated `POST /api/connectors` body.
struct CreateConnector {
    connector_id: String,
    id: Option<String>,
    config: Option<Map<String, Value>>,
    metadata: Option<Map<String, Value>>,
    sync_profile: Option<bool>,
    enable_token_storage: Option<bool>,
}

impl CreateConnector {
    fn parse(body: &Value) -> Result<Self, ApiError> {
        let mut guard = Guard::new(body, Vec::new());
        let sync_profile = guard.boolean("syncProfile", false);
        let enable_token_storage = guard.boolean("enableTokenStorage", false);
        let connector_id = guard.string("connectorId", true, 1, 128);
        let config = guard.object("config", false);
        let metadata = match guard.object("metadata", false) {
            Field::Set(metadata) => {
                Some(configurable_metadata(&metadata, false, &mut guard.issues))
            }
            _ => None,
        };
        let id = guard.string("id", false, 1, 128);
        if !guard.issues.is_empty() {
            return Err(ApiError::invalid_input("body", &guard.issues));
        }
        let set = |field: Field<bool>| match field {
            Field::Set(flag) => Some(flag),
            _ => None,
        };
        Ok(CreateConnector {
            connector_id: connector_id.unwrap_or_default(),
            id,
            config: match config {
                Field::Set(config) => Some(config),
                _ => None,
            },
            metadata,
            sync_profile: set(sync_profile),
            enable_token_storage: set(enable_token_storage),
        })
    }
}

/// What a PATCH asks the connector to become; `None` = leave as is.
#[derive(Debug, Default)]
pub(crate) struct Desired {
    pub config: Option<Map<String, Value>>,
    /// Overrides after the patch, `null`s still present for keys to remove.
    pub metadata: Option<Map<String, Value>>,
    pub sync_profile: Option<bool>,
    pub enable_token_storage: Option<bool>,
}

/// Logto's PATCH checks (in Logto's order), then the new record.
fn apply_desired(
    factory: &Factory,
    current: &ConnectorRecord,
    desired: Desired,
) -> Result<ConnectorRecord, ApiError> {
    let mut updated = current.clone();
    if let Some(metadata) = desired.metadata {
        let mut issues = Vec::new();
        let metadata = configurable_metadata(&metadata, false, &mut issues);
        if !issues.is_empty() {
            return Err(ApiError::invalid_input("body", &issues));
        }
        if factory.is_standard
            && effective_target(factory, &metadata) != effective_target(factory, &current.metadata)
        {
            return Err(ApiError::new(ErrorCode::ConnectorCanNotModifyTarget));
        }
        if !factory.is_standard {
            return Err(ApiError::new(ErrorCode::ConnectorCannotOverwriteMetadata));
        }
        updated.metadata = clean_object(&metadata);
    }
    if desired.sync_profile == Some(true) && factory.connector_type != ConnectorType::Social {
        return Err(ApiError::new(
            ErrorCode::ConnectorInvalidTypeForSyncingProfile,
        ));
    }
    if desired.enable_token_storage == Some(true) {
        check_token_storage(factory)?;
    }
    if let Some(config) = desired.config {
        validate_config(factory, &config)?;
        updated.config = clean_object(&config);
    }
    if let Some(flag) = desired.sync_profile {
        updated.sync_profile = flag;
    }
    if let Some(flag) = desired.enable_token_storage {
        updated.enable_token_storage = flag;
    }
    Ok(updated)
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
