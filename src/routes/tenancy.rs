//! Tenant selection, fault injection and the request journal, in one
//! middleware in front of every route.
//!
//! A request selects its tenant by a `/t/{tenant}` path prefix (removed
//! before routing) or by the first label of its `Host` before
//! `[tenants] base_domain`; otherwise it is on `default`. Requests to
//! `/api`, `/oidc` and `/_mock` get their [`Tenant`] (created and seeded on
//! first use) as a [`RequestTenant`]; fault rules run before `/api` and
//! `/oidc` are handled; [`super::recording`] keeps the journal. Requests to
//! other paths (the console) only learn the selection, as a [`SelectedTenant`].

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::uri::{PathAndQuery, Uri};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use bytes::Bytes;
use serde_json::Value;
use std::future::{ready, Ready};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use super::AppState;
use crate::error::{ApiError, ErrorCode};
use crate::harness::{valid_tenant_name, Fault, Tenant, DEFAULT_TENANT};

/// The tenant a request works on (for handlers).
#[derive(Clone)]
pub struct RequestTenant {
    pub tenant: Arc<Tenant>,
    /// The `/t/{tenant}` prefix the request came with.
    prefix: Option<Rc<str>>,
}

impl RequestTenant {
    pub fn name(&self) -> &str {
        self.tenant.name()
    }

    /// The `/t/{tenant}` prefix the request came with (empty when none).
    pub fn prefix(&self) -> &str {
        self.prefix.as_deref().unwrap_or("")
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

/// The tenant a request to any other path selects (for the console page), by
/// name only: the tenant is neither created nor looked up.
pub struct SelectedTenant {
    /// Empty for `default`.
    name: String,
    /// The `/t/{tenant}` prefix the request came with (empty when none).
    prefix: String,
}

impl SelectedTenant {
    /// The tenant's name (empty for `default`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The `/t/{tenant}` prefix the request came with (empty when none).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

/// The raw socket of a connection (for fault rules that drop it).
#[derive(Clone, Copy)]
pub struct ConnectionSocket(pub std::os::fd::RawFd);

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
        Err(error) => return Ok(refuse(request, error)),
    };
    if !prefix.is_empty() {
        strip_prefix(&mut request, prefix.len());
    }
    let area = area_of(request.path());
    if area == Area::Other {
        request
            .extensions_mut()
            .insert(SelectedTenant { name, prefix });
        return Ok(next.call(request).await?.map_into_left_body());
    }
    let name = if name.is_empty() {
        DEFAULT_TENANT
    } else {
        name.as_str()
    };
    let tenant = match state.harness.tenant(name) {
        Ok(tenant) => tenant,
        Err(error) => return Ok(refuse(request, error)),
    };
    if let Err(error) = state.harness.ready(&tenant).await {
        return Ok(refuse(request, error));
    }
    let recording = super::recording::Recording::start(&request, &tenant, started);
    request.extensions_mut().insert(RequestTenant {
        tenant: tenant.clone(),
        prefix: (!prefix.is_empty()).then(|| Rc::from(prefix.as_str())),
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
    if let Some(recording) = recording {
        recording.finish(&response, &tenant, &state);
    }
    Ok(response)
}

fn answer<B>(request: ServiceRequest, response: HttpResponse) -> ServiceResponse<EitherBody<B>> {
    request.into_response(response).map_into_right_body()
}

/// The error's answer, the error kept in it (for `localize_errors`).
fn refuse<B>(request: ServiceRequest, error: ApiError) -> ServiceResponse<EitherBody<B>> {
    request.error_response(error).map_into_right_body()
}

/// The tenant name (empty for `default`) and the `/t/{tenant}` prefix (empty when none).
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
        (None, None) => Ok((String::new(), String::new())),
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
