//! Test-harness routes under `/_mock/` (beyond Logto): the outbox.

use actix_web::{web, HttpRequest, HttpResponse};

use super::{list_answer, other_methods, query_pairs, stored, AppState, Authorized};
use crate::connectors::OutboxFilter;
use crate::error::ApiError;
use crate::issues::Issue;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/_mock").service(
            web::resource("/outbox")
                .route(web::get().to(list_outbox))
                .route(web::head().to(list_outbox))
                .route(web::delete().to(clear_outbox))
                .default_service(other_methods("HEAD, GET, DELETE")),
        ),
    );
}

async fn list_outbox(
    _authorized: Authorized,
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let filter = outbox_filter(request.query_string())?;
    let messages = state.service.outbox(&state.tenant(), &filter);
    Ok(list_answer(&request, messages))
}

async fn clear_outbox(
    _authorized: Authorized,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ack = state.service.clear_outbox(&state.tenant())?;
    stored(ack).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `?to=&factoryId=&since=` (since: RFC 3339 UTC or epoch milliseconds).
fn outbox_filter(query: &str) -> Result<OutboxFilter, ApiError> {
    let invalid = |key: &str, message: &str| {
        ApiError::invalid_input(
            "query",
            &[Issue::plain(
                "custom",
                vec![serde_json::Value::from(key)],
                message,
            )],
        )
    };
    let mut filter = OutboxFilter::default();
    for (key, value) in query_pairs(query)? {
        match key.as_str() {
            "to" => filter.to = Some(value),
            "factoryId" => filter.factory_id = Some(value),
            "since" => {
                filter.since_ms = Some(crate::time::parse_instant(&value).ok_or_else(|| {
                    invalid(
                        "since",
                        "Expected an RFC 3339 UTC time (2026-01-31T12:00:00Z) or epoch milliseconds",
                    )
                })?)
            }
            _ => {}
        }
    }
    Ok(filter)
}
