//! Tenant selection, fault injection and the request journal, in one
//! middleware in front of every route.
//!
//! A request selects its tenant by a `/t/{tenant}` path prefix (removed
//! before routing) or by the first label of its `Host` before
//! `[tenants] base_domain`; otherwise it is on `default`. Requests to
//! `/api`, `/oidc` and `/_mock` get their [`Tenant`] (created and seeded on
//! first use) as a [`RequestTenant`]; fault rules run before `/api` and
//! `/oidc` are handled; the journal records what was asked and answered.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::uri::{PathAndQuery, Uri};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError};
use bytes::Bytes;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::future::{ready, Ready};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use super::AppState;
use crate::error::{ApiError, ErrorCode};
use crate::harness::journal::{mask_authorization, mask_body, JournalEntry, MASK};
use crate::harness::{valid_tenant_name, Fault, Tenant, DEFAULT_TENANT};

/// The tenant a request works on (for handlers).
#[derive(Clone)]
pub struct RequestTenant {
    pub tenant: Arc<Tenant>,
    /// The `/t/{tenant}` prefix the request came with (empty when none).
    pub prefix: Rc<str>,
}

impl RequestTenant {
    pub fn name(&self) -> &str {
        self.tenant.name()
    }
}

impl std::ops::Deref for RequestTenant {
    type Target = Tenant;

    fn deref(&self) -> &Tenant {
        &self.tenant
    }
}

impl FromRequest for RequestTenant {
    type Error = ApiError;
    type Future = Ready<Result<RequestTenant, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            request
                .extensions()
                .get::<RequestTenant>()
                .cloned()
                .ok_or_else(|| ApiError::internal("the tenant middleware did not run")),
        )
    }
}

/// The raw socket of a connection (for fault rules that drop it).
#[derive(Clone, Copy)]
pub struct ConnectionSocket(pub std::os::fd::RawFd);

/// Where the body reader leaves a copy of the body for the journal.
#[derive(Clone, Default)]
pub struct JournalBody(Rc<RefCell<Option<Bytes>>>);

impl JournalBody {
    /// Keeps `bytes` for the journal when this request is being recorded.
    pub fn keep(request: &HttpRequest, bytes: &[u8]) {
        if let Some(slot) = request.extensions().get::<JournalBody>() {
            *slot.0.borrow_mut() = Some(Bytes::copy_from_slice(bytes));
        }
    }
}

/// What part of the server a path belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Area {
    Api,
    Oidc,
    Mock,
    Other,
}

fn area_of(path: &str) -> Area {
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if under("/api") {
        Area::Api
    } else if under("/oidc") {
        Area::Oidc
    } else if under("/_mock") {
        Area::Mock
    } else {
        Area::Other
    }
}

/// The `from_fn` middleware.
pub async fn select_tenant(
    mut request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let started = Instant::now();
    let Some(state) = request.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(request).await?.map_into_left_body());
    };
    let (name, prefix) = match selected_tenant(&request, &state.base_domain) {
        Ok(selected) => selected,
        Err(error) => return Ok(answer(request, error.error_response())),
    };
    if !prefix.is_empty() {
        strip_prefix(&mut request, prefix.len());
    }
    let area = area_of(request.path());
    if area == Area::Other {
        return Ok(next.call(request).await?.map_into_left_body());
    }
    let tenant = match state.harness.tenant(&name) {
        Ok(tenant) => tenant,
        Err(error) => return Ok(answer(request, error.error_response())),
    };
    if let Err(error) = state.harness.ready(&tenant).await {
        return Ok(answer(request, error.error_response()));
    }
    let recorded = tenant.journal.is_on()
        && request.path() != "/_mock/requests"
        && request.path() != "/_mock/reset";
    let journal = recorded.then(|| Recording::start(&request, &tenant, started));
    request.extensions_mut().insert(RequestTenant {
        tenant: tenant.clone(),
        prefix: Rc::from(prefix.as_str()),
    });
    let fault = match area {
        Area::Api | Area::Oidc => tenant
            .faults
            .check(request.method().as_str(), request.path()),
        _ => None,
    };
    let response = match fault {
        None => next.call(request).await?.map_into_left_body(),
        Some(Fault::Delay(delay)) => {
            actix_web::rt::time::sleep(delay).await;
            next.call(request).await?.map_into_left_body()
        }
        Some(Fault::Answer {
            delay,
            status,
            body,
            headers,
        }) => {
            actix_web::rt::time::sleep(delay).await;
            answer(request, injected(status, body, &headers))
        }
        Some(Fault::Reset(delay)) => {
            actix_web::rt::time::sleep(delay).await;
            drop_connection(&request);
            answer(
                request,
                HttpResponse::build(StatusCode::SERVICE_UNAVAILABLE)
                    .insert_header((header::CONNECTION, "close"))
                    .finish(),
            )
        }
    };
    if let Some(journal) = journal {
        journal.finish(&response, &tenant, &state);
    }
    Ok(response)
}

fn answer<B>(request: ServiceRequest, response: HttpResponse) -> ServiceResponse<EitherBody<B>> {
    request.into_response(response).map_into_right_body()
}

/// The tenant name and the `/t/{tenant}` prefix (empty when none).
fn selected_tenant(
    request: &ServiceRequest,
    base_domain: &str,
) -> Result<(String, String), ApiError> {
    let invalid = |name: &str, source: &str| {
        ApiError::new(ErrorCode::MockInvalidTenant)
            .with_data(serde_json::json!({ "tenant": name, "from": source }))
    };
    let mut prefixed = None;
    if let Some(rest) = request.path().strip_prefix("/t/") {
        let name = rest.split('/').next().unwrap_or("");
        if !valid_tenant_name(name) {
            return Err(invalid(name, "path"));
        }
        prefixed = Some(name.to_owned());
    }
    let hosted = match host_label(request, base_domain) {
        Some(label) if !valid_tenant_name(&label) => return Err(invalid(&label, "host")),
        other => other,
    };
    match (prefixed, hosted) {
        (Some(path), Some(host)) if path != host => Err(ApiError::new(
            ErrorCode::MockInvalidTenant,
        )
        .with_message(format!(
            "The Host header selects tenant {host:?} but the path selects {path:?}; use one or make them agree."
        ))
        .with_data(serde_json::json!({ "tenant": path, "from": "path", "host": host }))),
        (Some(path), _) => {
            let prefix = format!("/t/{path}");
            Ok((path, prefix))
        }
        (None, Some(host)) => Ok((host, String::new())),
        (None, None) => Ok((DEFAULT_TENANT.to_owned(), String::new())),
    }
}

/// The first label of `Host` before `.<base_domain>`, if it ends so.
fn host_label(request: &ServiceRequest, base_domain: &str) -> Option<String> {
    let host = request.headers().get(header::HOST)?.to_str().ok()?;
    if host.starts_with('[') {
        return None;
    }
    let hostname = host.split(':').next().unwrap_or(host);
    let hostname = hostname.strip_suffix('.').unwrap_or(hostname);
    if hostname.len() <= base_domain.len() + 1 {
        return None;
    }
    let (labels, domain) = hostname.split_at(hostname.len() - base_domain.len() - 1);
    if !domain[1..].eq_ignore_ascii_case(base_domain) || !domain.starts_with('.') {
        return None;
    }
    let first = labels.split('.').next().unwrap_or(labels);
    Some(first.to_ascii_lowercase())
}

/// Routes the request as if `/t/{tenant}` were not there.
fn strip_prefix(request: &mut ServiceRequest, length: usize) {
    let uri = &request.head().uri;
    let rest = &uri.path()[length..];
    let mut path = if rest.is_empty() {
        "/".to_owned()
    } else {
        rest.to_owned()
    };
    if let Some(query) = uri.query() {
        path.push('?');
        path.push_str(query);
    }
    let Ok(path_and_query) = PathAndQuery::from_maybe_shared(Bytes::from(path)) else {
        return;
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(path_and_query);
    if let Ok(uri) = Uri::from_parts(parts) {
        request.match_info_mut().get_mut().update(&uri);
        request.head_mut().uri = uri;
    }
}

/// A fault rule's answer: its status, headers and body (Logto-style by default).
fn injected(status: u16, body: Option<Value>, headers: &[(String, String)]) -> HttpResponse {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = HttpResponse::build(status);
    response.content_type("application/json; charset=utf-8");
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.insert_header((name, value));
        }
    }
    let body = body.unwrap_or_else(|| ApiError::new(ErrorCode::MockInjectedFault).body());
    response.body(body.to_string())
}

/// Closes the request's connection at once (fault action `reset`).
fn drop_connection(request: &ServiceRequest) {
    use std::os::fd::FromRawFd;
    if let Some(ConnectionSocket(fd)) = request.conn_data::<ConnectionSocket>().copied() {
        // SAFETY: the connection (which owns the descriptor) outlives this
        // request; ManuallyDrop keeps the borrowed descriptor from being closed here.
        let stream = std::mem::ManuallyDrop::new(unsafe { std::net::TcpStream::from_raw_fd(fd) });
        let _ = stream.shutdown(std::net::Shutdown::Both);
    }
}

/// A request being recorded into its tenant's journal.
struct Recording {
    method: String,
    path: String,
    query: String,
    headers: Map<String, Value>,
    body: JournalBody,
    started: Instant,
    time_ms: u64,
}

impl Recording {
    fn start(request: &ServiceRequest, _tenant: &Tenant, started: Instant) -> Recording {
        let mut names: Vec<&HeaderName> = request.headers().keys().collect();
        names.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        names.dedup();
        let headers = names
            .into_iter()
            .filter_map(|name| Some((name, request.headers().get(name)?)))
            .map(|(name, value)| {
                let text = String::from_utf8_lossy(value.as_bytes());
                let shown = match name.as_str() {
                    "authorization" | "proxy-authorization" => mask_authorization(&text),
                    "cookie" => MASK.to_owned(),
                    _ => text.into_owned(),
                };
                (name.as_str().to_owned(), Value::from(shown))
            })
            .collect();
        let body = JournalBody::default();
        request.extensions_mut().insert(body.clone());
        Recording {
            method: request.method().as_str().to_owned(),
            path: request.path().to_owned(),
            query: request.query_string().to_owned(),
            headers,
            body,
            started,
            time_ms: crate::time::now_millis(),
        }
    }

    fn finish<B>(self, response: &ServiceResponse<B>, tenant: &Tenant, state: &AppState) {
        let bytes = self.body.0.borrow_mut().take();
        let body = match bytes {
            None => Value::Null,
            Some(bytes) if bytes.is_empty() => Value::Null,
            Some(bytes) => {
                let content_type = self
                    .headers
                    .get("content-type")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let mut body = readable_body(&bytes, content_type);
                let confidential =
                    confidential_keys(&self.method, &self.path, &body, tenant, state);
                mask_body(&mut body, confidential);
                mask_patch_operations(&mut body, confidential);
                body
            }
        };
        tenant.journal.record(JournalEntry {
            id: 0,
            method: self.method,
            path: self.path,
            query: self.query,
            status: response.status().as_u16(),
            headers: self.headers,
            body,
            duration_ms: self.started.elapsed().as_secs_f64() * 1000.0,
            time: crate::time::rfc3339(self.time_ms),
            time_ms: self.time_ms,
        });
    }
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
