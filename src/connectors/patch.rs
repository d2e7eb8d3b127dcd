//! Turning a PATCH body into what the connector should become: RFC 7396 merge
//! patch (or Logto's wholesale replacement) for plain JSON bodies, RFC 6902
//! operations for `application/json-patch+json`.

use json_patch::{PatchErrorKind, PatchOperation};
use serde_json::{json, Map, Value};

use super::clean::{clean_object, clean_object_in_place};
use super::guard::{configurable_metadata, Field, Guard};
use super::view::effective_target;
use super::{check_token_storage, refuse_demo, Attempt, ConnectorService, PatchMode};
use crate::error::{ApiError, ErrorCode};
use crate::etag::header_matches;
use crate::factories::{ConnectorType, Factory};
use crate::issues::Issue;
use crate::limits::Limits;
use crate::state::{Ack, Change, Entry, Rendered, TenantState};
use crate::store::ConnectorRecord;
use std::sync::Arc;

/// Attempts to patch without holding the tenant's lock before computing the
/// patch under it (when other writers keep changing the same connector).
const OPTIMISTIC_ATTEMPTS: usize = 8;

impl ConnectorService {
    /// `PATCH /api/connectors/{id}`; `if_match` is the request's `If-Match`
    /// header. The patched view, acknowledged once stored.
    ///
    /// The patch is computed and validated against the connector as it is
    /// now, outside the lock; under the lock it is published only if the
    /// connector is still that version, otherwise it is computed again.
    pub fn patch(
        &self,
        tenant: &Arc<TenantState>,
        id: &str,
        body: &PatchBody,
        if_match: Option<&str>,
    ) -> Result<(Rendered, Ack), ApiError> {
        let request = match body {
            PatchBody::Plain(value) => {
                Request::Plain(PatchConnector::parse(value)?, self.patch_mode)
            }
            PatchBody::MergePatch(value) => {
                Request::Plain(PatchConnector::parse(value)?, PatchMode::Merge)
            }
            PatchBody::JsonPatch(operations) => {
                self.limits
                    .check_patch_operations(operations.len())
                    .map_err(|limit| ApiError::limit_exceeded(&limit, "JSON Patch"))?;
                Request::JsonPatch(operations)
            }
        };
        for attempt in 0..=OPTIMISTIC_ATTEMPTS {
            let optimistic = attempt < OPTIMISTIC_ATTEMPTS;
            let precomputed = optimistic.then(|| {
                let base = tenant.pending().get(id).cloned();
                let outcome = self.patched(base.as_ref(), &request, if_match);
                (base, outcome)
            });
            let committed = tenant.commit(|pending| {
                let now = pending.get(id);
                let outcome = match precomputed {
                    Some((base, outcome)) => {
                        let unchanged = match (&base, now) {
                            (Some(base), Some(now)) => Arc::ptr_eq(base, now),
                            (None, None) => true,
                            _ => false,
                        };
                        if !unchanged {
                            return Err(Attempt::Retry);
                        }
                        outcome?
                    }
                    None => self.patched(now, &request, if_match)?,
                };
                let changes = match &outcome.updated {
                    Some(updated) => vec![Change::Put(updated.clone())],
                    None => Vec::new(),
                };
                Ok((changes, outcome))
            });
            match committed {
                Ok((outcome, ack)) => {
                    let entry = outcome.updated.as_ref().unwrap_or(&outcome.current);
                    return Ok((self.view_of(&outcome.factory, entry), ack));
                }
                Err(Attempt::Retry) => continue,
                Err(Attempt::Refused(error)) => return Err(error),
            }
        }
        unreachable!("the last attempt computes under the lock and cannot conflict")
    }

    /// What the connector `current` becomes under `request`.
    fn patched(
        &self,
        current: Option<&Arc<Entry>>,
        request: &Request<'_>,
        if_match: Option<&str>,
    ) -> Result<Patched, ApiError> {
        let (factory, current) = self.installed(current)?;
        refuse_demo(factory)?;
        if let Some(expected) = if_match {
            let etag = self.view_of(factory, current).etag;
            if !header_matches(expected, &etag, false) {
                return Err(ApiError::new(ErrorCode::MockPreconditionFailed));
            }
        }
        let record = current.record();
        let desired = match request {
            Request::Plain(patch, mode) => patch.desired(record, *mode),
            Request::JsonPatch(operations) => apply_json_patch(record, operations, &self.limits)?,
        };
        let updated = self.apply_desired(factory, record, desired)?;
        let updated = if &updated == record {
            None
        } else {
            Some(self.new_entry(factory, updated)?)
        };
        Ok(Patched {
            factory: factory.clone(),
            current: current.clone(),
            updated,
        })
    }
}

/// A parsed PATCH request.
enum Request<'a> {
    Plain(PatchConnector, PatchMode),
    JsonPatch(&'a [PatchOperation]),
}

/// The outcome of one patch: the connector before, and after when it changed.
struct Patched {
    factory: Arc<Factory>,
    current: Arc<Entry>,
    updated: Option<Arc<Entry>>,
}

/// A PATCH body as the route received it.
#[derive(Debug)]
pub enum PatchBody {
    /// `application/json`: merged or replaced according to `[patch] config`.
    Plain(Value),
    /// `application/merge-patch+json`: always an RFC 7396 merge patch.
    MergePatch(Value),
    /// `application/json-patch+json`: RFC 6902 operations.
    JsonPatch(Vec<PatchOperation>),
}

impl PatchBody {
    /// Parses RFC 6902 operations; a malformed document is 400 `mock.invalid_json_patch`.
    pub fn json_patch(value: Value) -> Result<PatchBody, ApiError> {
        serde_json::from_value(value)
            .map(PatchBody::JsonPatch)
            .map_err(|error| {
                ApiError::new(ErrorCode::MockInvalidJsonPatch)
                    .with_data(json!({ "reason": error.to_string() }))
            })
    }
}

/// A validated plain PATCH body: `Absent` keeps, `Null` resets, `Set` patches.
#[derive(Debug)]
pub(crate) struct PatchConnector {
    config: Field<Map<String, Value>>,
    metadata: Field<Map<String, Value>>,
    sync_profile: Field<bool>,
    enable_token_storage: Field<bool>,
}

impl PatchConnector {
    /// Checks the body's shape (before the connector is looked up, as Logto does).
    pub fn parse(body: &Value) -> Result<Self, ApiError> {
        let mut guard = Guard::new(body, Vec::new());
        let sync_profile = guard.boolean("syncProfile", true);
        let enable_token_storage = guard.boolean("enableTokenStorage", true);
        let config = guard.object("config", true);
        let metadata = guard.object("metadata", true);
        if let Field::Set(metadata) = &metadata {
            configurable_metadata(metadata, true, &mut guard.issues);
        }
        if !guard.issues.is_empty() {
            return Err(ApiError::invalid_input("body", &guard.issues));
        }
        Ok(PatchConnector {
            config,
            metadata,
            sync_profile,
            enable_token_storage,
        })
    }

    /// The connector's new state under `mode`.
    pub fn desired(&self, current: &ConnectorRecord, mode: PatchMode) -> Desired {
        let patched = |field: &Field<Map<String, Value>>, stored: &Map<String, Value>| match field {
            Field::Absent => None,
            Field::Null => Some(Map::new()),
            Field::Set(patch) => Some(match mode {
                PatchMode::Merge => {
                    let mut merged = Value::Object(stored.clone());
                    merge_object(&mut merged, patch);
                    into_object(merged)
                }
                PatchMode::Replace => patch.clone(),
            }),
        };
        let flag = |field: &Field<bool>| match field {
            Field::Absent => None,
            Field::Null => Some(false),
            Field::Set(flag) => Some(*flag),
        };
        Desired {
            // Merging `{}` into the stored config changes nothing: skip the re-validation too.
            config: match (&self.config, mode) {
                (Field::Set(patch), PatchMode::Merge) if patch.is_empty() => None,
                _ => patched(&self.config, &current.config),
            },
            metadata: patched(&self.metadata, &current.metadata),
            sync_profile: flag(&self.sync_profile),
            enable_token_storage: flag(&self.enable_token_storage),
        }
    }
}

/// Applies RFC 6902 operations to `{config, metadata, syncProfile, enableTokenStorage}`.
/// All operations apply or none do; a failing `test` is 422, a bad path 400.
/// The document is checked against the storage limits after *each*
/// operation, so a patch that copies the document into itself or nests it
/// deeper and deeper is refused before it costs memory or stack.
pub(crate) fn apply_json_patch(
    current: &ConnectorRecord,
    operations: &[PatchOperation],
    limits: &Limits,
) -> Result<Desired, ApiError> {
    let mut document = json!({
        "config": current.config,
        "metadata": current.metadata,
        "syncProfile": current.sync_profile,
        "enableTokenStorage": current.enable_token_storage,
    });
    // The document holds config and metadata one level down.
    let document_limits = Limits {
        max_depth: limits.max_depth + 1,
        max_config_bytes: limits
            .max_config_bytes
            .saturating_mul(2)
            .saturating_add(1024),
        ..*limits
    };
    for (index, operation) in operations.iter().enumerate() {
        json_patch::patch(&mut document, std::slice::from_ref(operation)).map_err(|error| {
            let code = match error.kind {
                PatchErrorKind::TestFailed => ErrorCode::MockJsonPatchTestFailed,
                _ => ErrorCode::MockInvalidJsonPatch,
            };
            ApiError::new(code).with_data(json!({
                "operation": index,
                "path": error.path.to_string(),
                "reason": error.kind.to_string(),
            }))
        })?;
        if let Err(limit) = document_limits.check_document(&document) {
            let limit = match limit {
                crate::limits::LimitExceeded::Depth { .. } => crate::limits::LimitExceeded::Depth {
                    limit: limits.max_depth,
                },
                crate::limits::LimitExceeded::Size { .. } => crate::limits::LimitExceeded::Size {
                    limit: limits.max_config_bytes,
                },
                other => other,
            };
            return Err(ApiError::limit_exceeded(&limit, "connector").with_operation(index));
        }
    }
    let mut guard = Guard::new(&document, Vec::new());
    let config = guard.object("config", false);
    let metadata = guard.object("metadata", false);
    let sync_profile = guard.boolean("syncProfile", false);
    let enable_token_storage = guard.boolean("enableTokenStorage", false);
    let mut issues = guard.issues;
    for (key, missing) in [
        ("config", config.is_absent()),
        ("metadata", metadata.is_absent()),
    ] {
        if missing && issues.is_empty() {
            issues.push(Issue::invalid_type(
                vec![Value::from(key)],
                "object",
                "undefined",
            ));
        }
    }
    if !issues.is_empty() {
        return Err(ApiError::invalid_input("body", &issues));
    }
    let changed = |field: Field<Map<String, Value>>, stored: &Map<String, Value>| match field {
        Field::Set(value) if &value != stored => Some(value),
        _ => None,
    };
    let flag = |field: Field<bool>, stored: bool| match field {
        Field::Set(value) if value != stored => Some(value),
        _ => None,
    };
    Ok(Desired {
        config: changed(config, &current.config),
        metadata: changed(metadata, &current.metadata),
        sync_profile: flag(sync_profile, current.sync_profile),
        enable_token_storage: flag(enable_token_storage, current.enable_token_storage),
    })
}

/// RFC 7396 merge of the object `patch` into `target` (without copying the patch).
fn merge_object(target: &mut Value, patch: &Map<String, Value>) {
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(object) = target else {
        return;
    };
    for (key, value) in patch {
        match value {
            Value::Null => {
                object.shift_remove(key);
            }
            Value::Object(inner) => {
                merge_object(object.entry(key.clone()).or_insert(Value::Null), inner)
            }
            other => {
                object.insert(key.clone(), other.clone());
            }
        }
    }
}

fn into_object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(object) => object,
        _ => Map::new(),
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

impl ConnectorService {
    /// Logto's PATCH checks (in Logto's order), then the new record (built
    /// from the parts that changed and copies of the rest).
    fn apply_desired(
        &self,
        factory: &Factory,
        current: &ConnectorRecord,
        desired: Desired,
    ) -> Result<ConnectorRecord, ApiError> {
        let mut new_metadata = None;
        if let Some(metadata) = desired.metadata {
            let mut issues = Vec::new();
            let metadata = configurable_metadata(&metadata, false, &mut issues);
            if !issues.is_empty() {
                return Err(ApiError::invalid_input("body", &issues));
            }
            if factory.is_standard
                && effective_target(factory, &metadata)
                    != effective_target(factory, &current.metadata)
            {
                return Err(ApiError::new(ErrorCode::ConnectorCanNotModifyTarget));
            }
            if !factory.is_standard {
                return Err(ApiError::new(ErrorCode::ConnectorCannotOverwriteMetadata));
            }
            self.check_metadata_limits(&metadata)?;
            new_metadata = Some(clean_object(&metadata));
        }
        if desired.sync_profile == Some(true) && factory.connector_type != ConnectorType::Social {
            return Err(ApiError::new(
                ErrorCode::ConnectorInvalidTypeForSyncingProfile,
            ));
        }
        if desired.enable_token_storage == Some(true) {
            check_token_storage(factory)?;
        }
        let new_config = match desired.config {
            Some(config) => {
                let config = Value::Object(config);
                self.validate_config(factory, &config)?;
                let mut config = into_object(config);
                clean_object_in_place(&mut config);
                Some(config)
            }
            None => None,
        };
        Ok(ConnectorRecord {
            id: current.id.clone(),
            connector_id: current.connector_id.clone(),
            config: new_config.unwrap_or_else(|| current.config.clone()),
            metadata: new_metadata.unwrap_or_else(|| current.metadata.clone()),
            sync_profile: desired.sync_profile.unwrap_or(current.sync_profile),
            enable_token_storage: desired
                .enable_token_storage
                .unwrap_or(current.enable_token_storage),
            created_at: current.created_at,
        })
    }
}
