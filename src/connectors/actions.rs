//! The passwordless test endpoint, the authorization URI and the outbox.

use serde_json::Value;
use std::sync::Arc;

use super::guard::Guard;
use super::passwordless::TestMessage;
use super::{ConnectorService, JsonList};
use crate::error::{ApiError, ErrorCode};
use crate::etag::etag_of_list;
use crate::factories::authorization::{AuthorizationInput, Refusal};
use crate::factories::ConnectorType;
use crate::state::{Ack, Change, TenantState};
use crate::store::OutboxMessage;

impl ConnectorService {
    /// `POST /api/connectors/{factoryId}/test`: records the rendered message
    /// in the outbox; acknowledged once stored.
    pub fn send_test_message(
        &self,
        tenant: &Arc<TenantState>,
        factory_id: &str,
        body: &Value,
    ) -> Result<(OutboxMessage, Ack), ApiError> {
        let request = TestMessage::parse(body)?;
        let factory = self
            .catalog
            .get(factory_id)
            .filter(|factory| factory.connector_type != ConnectorType::Social && !factory.is_demo())
            .ok_or_else(|| {
                ApiError::new(ErrorCode::ConnectorNotFound)
                    .with_argument("type", request.expected_type.as_str())
            })?;
        if factory.connector_type == request.expected_type {
            self.validate_config(factory, &Value::Object(request.config.clone()))?;
        }
        // Only factories that look up i18n email templates read the stored ones.
        let snapshot = factory.uses_email_templates.then(|| tenant.snapshot());
        let stored = snapshot.as_deref().and_then(|snapshot| {
            crate::email_templates::lookup(
                snapshot,
                super::passwordless::TEST_USAGE_TYPE,
                request.locale.as_deref(),
            )
        });
        let mut message = request.render(
            factory,
            stored.map(|entry| &**entry),
            self.limits.max_config_bytes,
        )?;
        message.sent_at_ms = crate::time::now_millis();
        message.sent_at = crate::time::rfc3339(message.sent_at_ms);
        tenant.commit(|pending| {
            message.id = pending.next_outbox_id();
            Ok::<_, ApiError>((vec![Change::Append(Box::new(message.clone()))], message))
        })
    }

    /// `POST /api/connectors/{id}/authorization-uri`: `{"redirectTo": url}`.
    /// `headers` are the calling request's (name, raw value) pairs, in order.
    pub fn authorization_uri(
        &self,
        tenant: &TenantState,
        id: &str,
        body: &Value,
        headers: &[(&str, &[u8])],
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
        let snapshot = tenant.snapshot();
        let (factory, entry) = self.installed(snapshot.get(id))?;
        let record = entry.record();
        if factory.connector_type != ConnectorType::Social {
            return Err(ApiError::new(ErrorCode::ConnectorUnexpectedType));
        }
        factory
            .config_schema
            .validate(&Value::Object(record.config.clone()))
            .map_err(|issues| ApiError::invalid_config(&issues))?;
        let rule = factory
            .authorization
            .as_ref()
            .ok_or_else(|| ApiError::new(ErrorCode::ConnectorNotImplemented))?;
        let mut input = AuthorizationInput {
            state,
            redirect_uri,
            connector_id: record.id.clone(),
            connector_factory_id: factory.id.clone(),
            headers: Default::default(),
        };
        for (name, value) in headers {
            input.add_header(name, value);
        }
        // What the real package throws reaches Logto's error handler as is: 500.
        let url = rule
            .build(&record.config, &input)
            .map_err(|refusal| match refusal {
                Refusal::NotImplemented => ApiError::new(ErrorCode::ConnectorNotImplemented),
                Refusal::Thrown(reason) => ApiError::internal(format!(
                    "{}: getAuthorizationUri throws: {reason}",
                    factory.id
                )),
            })?;
        Ok(serde_json::json!({ "redirectTo": url }))
    }

    /// `GET /_mock/outbox`: recorded messages, oldest first, filtered.
    pub fn outbox(&self, tenant: &TenantState, filter: &OutboxFilter) -> JsonList {
        let snapshot = tenant.snapshot();
        let mut items = Vec::new();
        let mut etags = Vec::new();
        for entry in snapshot
            .outbox()
            .filter(|entry| filter.matches(&entry.message))
        {
            items.push(entry.body.clone());
            etags.push(entry.etag.as_str());
        }
        let etag = etag_of_list(etags);
        JsonList { items, etag }
    }

    /// `DELETE /_mock/outbox`.
    pub fn clear_outbox(&self, tenant: &Arc<TenantState>) -> Result<Ack, ApiError> {
        let ((), ack) = tenant.commit(|pending| {
            let changes = if pending.outbox_len() == 0 {
                Vec::new()
            } else {
                vec![Change::ClearOutbox]
            };
            Ok::<_, ApiError>((changes, ()))
        })?;
        Ok(ack)
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
