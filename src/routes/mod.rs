//! HTTP: one module per resource, each with its own `configure`.

mod answers;
mod auth;
pub mod body;
mod connector_actions;
mod connectors;
mod console;
mod email_templates;
mod factories;
pub mod localize;
mod mock;
pub mod normalize;
mod oidc;
mod openapi;
pub mod recording;
pub mod request_log;
mod status;
pub mod tenancy;

use actix_web::http::{header, Method};
use actix_web::{web, HttpRequest, HttpResponse, Route};
use std::sync::Arc;
use std::time::Duration;

pub use answers::{json_answer, list_answer, rendered_answer};
pub use auth::SecurityTable;
pub use tenancy::RequestTenant;

use crate::auth::Authenticator;
use crate::connectors::ConnectorService;
use crate::console::Console;
use crate::error::{ApiError, ErrorCode};
use crate::harness::Harness;
use crate::issues::Issue;
use crate::openapi::OpenApiDocument;
use crate::state::{Ack, State};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub service: Arc<ConnectorService>,
    pub state: Arc<State>,
    pub auth: Arc<Authenticator>,
    pub openapi: Arc<OpenApiDocument>,
    pub body_limit: usize,
    /// Longest wait for a request body.
    pub request_timeout: Duration,
    /// Where backups go (`None` with `--ephemeral`).
    pub data_dir: Option<std::path::PathBuf>,
    /// Tenants, seed, journal and faults.
    pub harness: Arc<Harness>,
    /// `[tenants] base_domain`.
    pub base_domain: Arc<str>,
    /// Which operations need no token (from the OpenAPI document).
    pub security: Arc<SecurityTable>,
    /// `[outbox] record_files`: also write Logto's mock-connector record files.
    pub record_files: bool,
    /// Requests being handled (waited for when stopping).
    pub in_flight: Arc<std::sync::atomic::AtomicUsize>,
    /// The web console (`[console]`), for the address the server is bound to.
    pub console: Arc<Console>,
}

/// Waits until a write is stored (and visible to readers).
pub async fn stored(ack: Ack) -> Result<(), ApiError> {
    ack.durable().await.map_err(ApiError::from)
}

/// Every route: the API under `/api`, `/_mock`, `/oidc` and the web console.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        // Resources are tried in order (dynamic segments cost a regex each):
        // the busiest first.
        web::scope("/api")
            .wrap_fn(auth::require_bearer)
            .configure(connectors::configure)
            .configure(connector_actions::configure)
            .configure(factories::configure)
            .configure(email_templates::configure)
            .configure(status::configure)
            .configure(openapi::configure),
    )
    .configure(mock::configure)
    .configure(oidc::configure)
    .configure(console::configure);
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
        HttpResponse::from_error(error)
    })
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
