//! Recording requests into their tenant's journal, secrets masked.
//!
//! Cheap on the hot path: before the request is handled only the time is
//! taken (and, for requests that carry a body, a slot for the body reader to
//! leave a copy in); the entry is built from the answered request afterwards.

use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{HttpMessage, HttpRequest};
use bytes::Bytes;
use serde_json::Value;
use std::cell::RefCell;
use std::time::Instant;

use super::AppState;
use crate::harness::journal::{mask_authorization, mask_body, JournalEntry, MASK};
use crate::harness::Tenant;

/// Largest request body the journal keeps (larger ones are noted by size),
/// so a tenant's journal holds at most `journal.capacity` × this many body bytes.
pub const MAX_JOURNAL_BODY: usize = 16 * 1024;

/// Where the body reader leaves a copy of the body for the journal.
#[derive(Default)]
pub struct JournalBody(RefCell<Option<Bytes>>);

impl JournalBody {
    /// Keeps `bytes` for the journal when this request is being recorded.
    pub fn keep(request: &HttpRequest, bytes: &[u8]) {
        if let Some(slot) = request.extensions().get::<JournalBody>() {
            *slot.0.borrow_mut() = Some(Bytes::copy_from_slice(bytes));
        }
    }
}

/// A request that will be recorded once answered.
pub struct Recording {
    started: Instant,
    time_ms: u64,
}

impl Recording {
    /// Starts recording, unless the tenant's journal is off or the path is
    /// one the journal leaves out (`/_mock/requests`, and `/_mock/reset`,
    /// which empties the journal).
    pub fn start(request: &ServiceRequest, tenant: &Tenant, started: Instant) -> Option<Recording> {
        let path = request.path();
        if !tenant.journal.is_on() || path == "/_mock/requests" || path == "/_mock/reset" {
            return None;
        }
        if may_have_body(request) {
            request.extensions_mut().insert(JournalBody::default());
        }
        Some(Recording {
            started,
            time_ms: crate::time::now_millis(),
        })
    }

    /// Records the answered request.
    pub fn finish<B>(self, response: &ServiceResponse<B>, tenant: &Tenant, state: &AppState) {
        let request = response.request();
        let method = request.method().as_str();
        let path = request.path();
        let bytes = request
            .extensions_mut()
            .remove::<JournalBody>()
            .and_then(|slot| slot.0.into_inner());
        let body = match bytes {
            None => Value::Null,
            Some(bytes) if bytes.is_empty() => Value::Null,
            Some(bytes) if bytes.len() > MAX_JOURNAL_BODY => Value::from(format!(
                "({} bytes; bodies over {MAX_JOURNAL_BODY} bytes are not kept)",
                bytes.len()
            )),
            Some(bytes) => {
                let content_type = request
                    .headers()
                    .get(header::CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or("");
                let mut body = readable_body(&bytes, content_type);
                let confidential = confidential_keys(method, path, &body, tenant, state);
                mask_body(&mut body, confidential);
                mask_patch_operations(&mut body, confidential);
                body
            }
        };
        let headers = request
            .headers()
            .iter()
            .map(|(name, value)| (name.clone(), masked_header(name, value)))
            .collect();
        tenant.journal.record(JournalEntry {
            id: 0,
            method: method.to_owned(),
            path: path.to_owned(),
            query: request.query_string().to_owned(),
            status: response.status().as_u16(),
            headers,
            body,
            duration_ms: self.started.elapsed().as_secs_f64() * 1000.0,
            time_ms: self.time_ms,
        });
    }
}

/// Whether the request announces a body (`Content-Length` above 0 or chunked).
fn may_have_body(request: &ServiceRequest) -> bool {
    let headers = request.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0")
}

/// The value to keep: credentials masked, everything else as sent.
fn masked_header(name: &HeaderName, value: &HeaderValue) -> HeaderValue {
    let masked = match name.as_str() {
        "authorization" | "proxy-authorization" => {
            let bytes = value.as_bytes();
            if bytes.starts_with(b"Bearer ") {
                return HeaderValue::from_static("Bearer ******");
            }
            if bytes.starts_with(b"Basic ") {
                return HeaderValue::from_static("Basic ******");
            }
            mask_authorization(&String::from_utf8_lossy(bytes))
        }
        "cookie" => MASK.to_owned(),
        _ => return value.clone(),
    };
    HeaderValue::from_str(&masked).unwrap_or_else(|_| HeaderValue::from_static(MASK))
}

/// JSON as JSON, a form as an object, anything else as text.
fn readable_body(bytes: &[u8], content_type: &str) -> Value {
    if content_type.starts_with("application/x-www-form-urlencoded") {
        if let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes) {
            return Value::Object(
                pairs
                    .into_iter()
                    .map(|(key, value)| (key, Value::from(value)))
                    .collect(),
            );
        }
    }
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::from(String::from_utf8_lossy(bytes).into_owned()))
}

/// The confidential config keys of the factory a request's config belongs to.
fn confidential_keys<'s>(
    method: &str,
    path: &str,
    body: &Value,
    tenant: &Tenant,
    state: &'s AppState,
) -> &'s [String] {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let factory_id = match (method, segments.as_slice()) {
        ("POST", ["api", "connectors"]) => body
            .get("connectorId")
            .and_then(Value::as_str)
            .map(str::to_owned),
        ("POST", ["api", "connectors", factory, "test"]) => Some((*factory).to_owned()),
        ("PATCH", ["api", "connectors", id]) => tenant
            .data()
            .read()
            .get(id)
            .map(|entry| entry.record().connector_id.clone()),
        _ => None,
    };
    factory_id.map_or(&[], |factory| state.service.confidential_keys(&factory))
}

/// JSON Patch operations that set a confidential config key get their value masked.
fn mask_patch_operations(body: &mut Value, confidential: &[String]) {
    let Some(operations) = body.as_array_mut() else {
        return;
    };
    for operation in operations.iter_mut().filter_map(Value::as_object_mut) {
        let touches_secret = operation
            .get("path")
            .and_then(Value::as_str)
            .and_then(|path| path.strip_prefix("/config/"))
            .is_some_and(|key| {
                confidential
                    .iter()
                    .any(|secret| secret == key.split('/').next().unwrap_or(key))
            });
        if touches_secret {
            if let Some(value) = operation.get_mut("value") {
                *value = Value::from(MASK);
            }
        }
    }
}
