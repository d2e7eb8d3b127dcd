//! HTTP: one module per resource, each with its own `configure`.

mod auth;
pub mod body;
mod connector_actions;
mod connectors;
mod factories;
mod mock_admin;
mod oidc;
mod openapi;
mod status;

use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse, Route};
use serde_json::Value;
use std::sync::Arc;

pub use auth::Authorized;

use crate::auth::Authenticator;
use crate::connectors::ConnectorService;
use crate::error::{ApiError, ErrorCode};
use crate::etag::{etag_of_text, header_matches};
use crate::issues::Issue;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub service: Arc<ConnectorService>,
    pub auth: Arc<Authenticator>,
    pub body_limit: usize,
}

/// Every route of the API under `/api`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api")
            .configure(factories::configure)
            .configure(connectors::configure)
            .configure(connector_actions::configure)
            .configure(status::configure)
            .configure(openapi::configure),
    )
    .configure(mock_admin::configure)
    .configure(oidc::configure);
}

/// Answer for paths this server does not implement.
pub async fn route_not_found(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(
        ApiError::new(ErrorCode::MockRouteNotFound).with_data(serde_json::json!({
            "method": request.method().as_str(),
            "path": request.path(),
        })),
    )
}

/// The fallback of a resource: 405 with `Allow`, or 200 with `Allow` for `OPTIONS`.
pub fn other_methods(allow: &'static str) -> Route {
    web::route().to(move |request: HttpRequest| async move {
        if request.method() == Method::OPTIONS {
            return HttpResponse::Ok()
                .insert_header((header::ALLOW, allow))
                .finish();
        }
        let mut error = ApiError::new(ErrorCode::MockMethodNotAllowed);
        error.allow = Some(allow);
        actix_web::ResponseError::error_response(&error)
    })
}

/// Runs blocking domain/storage work off the async executor.
pub async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    web::block(work).await.map_err(ApiError::internal)?
}

/// A `GET` answer: JSON with an `ETag`, or 304 when `If-None-Match` names it.
pub fn json_with_etag(request: &HttpRequest, body: &Value) -> HttpResponse {
    let text = body.to_string();
    let etag = etag_of_text(&text);
    let fresh = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| header_matches(value, &etag, true));
    if fresh {
        return HttpResponse::build(StatusCode::NOT_MODIFIED)
            .insert_header((header::ETAG, etag))
            .finish();
    }
    json_text_answer(StatusCode::OK, text, etag)
}

/// A JSON answer with Logto's content type and the body's `ETag` (so a client
/// can chain `If-Match` after a write).
pub fn json_answer(status: StatusCode, body: &Value) -> HttpResponse {
    let text = body.to_string();
    let etag = etag_of_text(&text);
    json_text_answer(status, text, etag)
}

fn json_text_answer(status: StatusCode, text: String, etag: String) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag))
        .content_type("application/json; charset=utf-8")
        .body(text)
}

/// The pairs of a query string; an unparsable one is 400 `guard.invalid_input` (query).
pub fn query_pairs(query: &str) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_str(query).map_err(|_| {
        ApiError::invalid_input(
            "query",
            &[Issue::plain("custom", Vec::new(), "Invalid query string")],
        )
    })
}
