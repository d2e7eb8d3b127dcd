//! `POST /api/connectors`: Logto's creation rules.
//!
//! Parsing, config validation and rendering happen before the tenant's
//! writer lock is taken; inside it only the rules that need the current state
//! run, in Logto's order, using the tenant's index.

use serde_json::{Map, Value};
use std::sync::Arc;

use super::clean::clean_object;
use super::guard::{configurable_metadata, Field, Guard};
use super::view::merged_name;
use super::{
    check_token_storage, factory_key, ids, social_key, type_key, Attempt, ConnectorService,
};
use crate::error::{ApiError, ErrorCode};
use crate::factories::{ConnectorType, Factory};
use crate::state::{Ack, Change, Rendered, Snapshot, TenantState};
use crate::store::ConnectorRecord;

impl ConnectorService {
    /// `POST /api/connectors`: the new connector's view, acknowledged once stored.
    pub fn create(
        &self,
        tenant: &Arc<TenantState>,
        body: &Value,
        ids: &ids::IdSource,
    ) -> Result<(Rendered, Ack), ApiError> {
        let request = CreateConnector::parse(body)?;
        let factory = self
            .catalog
            .get(&request.connector_id)
            .filter(|factory| !factory.is_demo())
            .ok_or_else(|| ApiError::new(ErrorCode::ConnectorNotFoundWithConnectorId))?
            .clone();
        // Stateless checks, decided now and reported in Logto's order below.
        let config_check = match &request.config {
            Some(config) => self.validate_config(&factory, &Value::Object(config.clone())),
            None => Ok(()),
        };
        let metadata_check = match &request.metadata {
            Some(metadata) => self.check_metadata_limits(metadata),
            None => Ok(()),
        };
        let token_check = match request.enable_token_storage {
            Some(true) => check_token_storage(&factory),
            _ => Ok(()),
        };
        loop {
            let id = request.id.clone().unwrap_or_else(|| ids.generate());
            let entry = match (&config_check, &metadata_check, &token_check) {
                (Ok(()), Ok(()), Ok(())) => {
                    Some(self.new_entry(&factory, request.record(&factory, id.clone()))?)
                }
                _ => None,
            };
            let outcome = tenant.commit(|pending| {
                if factory.connector_type == ConnectorType::Social {
                    self.check_social_create(&factory, &request, pending)?;
                }
                config_check.clone()?;
                metadata_check.clone()?;
                token_check.clone()?;
                if pending.contains(&id) {
                    if request.id.is_some() {
                        return Err(Attempt::Refused(
                            ApiError::new(ErrorCode::EntityUniqueIntegrityViolation)
                                .with_data(serde_json::json!({ "id": id })),
                        ));
                    }
                    return Err(Attempt::Retry);
                }
                let entry = entry.clone().expect("built when every check passed");
                let mut changes = vec![Change::Put(entry.clone())];
                if factory.connector_type != ConnectorType::Social {
                    // Logto keeps one Email and one SMS connector: a new one replaces the rest.
                    changes.extend(
                        pending
                            .ids_with(&type_key(factory.connector_type))
                            .map(|old| Change::Delete(old.to_string())),
                    );
                }
                Ok((changes, entry))
            });
            match outcome {
                Ok((entry, ack)) => return Ok((self.view_of(&factory, &entry), ack)),
                Err(Attempt::Retry) => continue,
                Err(Attempt::Refused(error)) => return Err(error),
            }
        }
    }

    /// POST rules (a)–(d) for social factories.
    fn check_social_create(
        &self,
        factory: &Factory,
        request: &CreateConnector,
        pending: &Snapshot,
    ) -> Result<(), ApiError> {
        let requested_target = request.requested_target();
        if factory.is_standard && requested_target.is_none() {
            return Err(ApiError::new(ErrorCode::ConnectorShouldSpecifyTarget));
        }
        if !factory.is_standard && request.metadata.is_some() {
            return Err(ApiError::new(ErrorCode::ConnectorCannotOverwriteMetadata));
        }
        if !factory.is_standard && pending.ids_with(&factory_key(&factory.id)).next().is_some() {
            return Err(ApiError::new(
                ErrorCode::ConnectorMultipleInstancesNotSupported,
            ));
        }
        let target = requested_target.unwrap_or(&factory.target);
        let clash = pending
            .ids_with(&social_key(factory, target))
            .filter_map(|id| pending.get(id))
            .find_map(|entry| Some((self.catalog.get(&entry.record().connector_id)?, entry)));
        if let Some((existing, entry)) = clash {
            return Err(
                ApiError::new(ErrorCode::ConnectorMultipleTargetWithSamePlatformOnCreate)
                    .with_data(serde_json::json!({
                        "connectorId": existing.id,
                        "connectorName": merged_name(existing, entry.record()),
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

    fn requested_target(&self) -> Option<&str> {
        self.metadata
            .as_ref()
            .and_then(|metadata| metadata.get("target"))
            .and_then(Value::as_str)
            .filter(|target| !target.is_empty())
    }

    /// The record to store under `id` (values cleaned as Logto does).
    fn record(&self, factory: &Factory, id: String) -> ConnectorRecord {
        ConnectorRecord {
            id,
            connector_id: factory.id.clone(),
            config: self.config.as_ref().map(clean_object).unwrap_or_default(),
            metadata: self.metadata.as_ref().map(clean_object).unwrap_or_default(),
            sync_profile: self.sync_profile.unwrap_or(false),
            enable_token_storage: self.enable_token_storage.unwrap_or(false),
            created_at: crate::time::now_millis(),
        }
    }
}
