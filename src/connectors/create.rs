//! `POST /api/connectors`: Logto's creation rules.

use serde_json::{Map, Value};

use super::clean::clean_object;
use super::guard::{configurable_metadata, Field, Guard};
use super::view::{connector_view, effective_target, merged_metadata};
use super::{check_token_storage, ids, validate_config, ConnectorService};
use crate::error::{ApiError, ErrorCode};
use crate::factories::{ConnectorType, Factory};
use crate::store::{Change, ConnectorRecord};

impl ConnectorService {
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
