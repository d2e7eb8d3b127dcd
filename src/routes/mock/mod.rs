//! Test-harness routes under `/_mock/` (beyond Logto), one module per
//! resource. The bearer check runs as middleware on the whole scope.

mod faults;
mod journal;
mod state_file;
mod tenants;

use actix_web::{web, HttpRequest, HttpResponse};

use actix_web::http::StatusCode;
use serde_json::json;

use super::{
    json_answer, list_answer, other_methods, query_pairs, stored, AppState, RequestTenant,
};
use crate::connectors::OutboxFilter;
use crate::error::{ApiError, ErrorCode};
use crate::issues::Issue;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/_mock")
            .wrap_fn(super::auth::require_bearer)
            .configure(journal::configure)
            .configure(faults::configure)
            .configure(tenants::configure)
            .configure(state_file::configure)
            .service(
                web::resource("/outbox")
                    .route(web::get().to(list_outbox))
                    .route(web::head().to(list_outbox))
                    .route(web::delete().to(clear_outbox))
                    .default_service(other_methods("HEAD, GET, DELETE")),
            )
            .service(
                web::resource("/backup")
                    .route(web::post().to(create_backup))
                    .default_service(other_methods("POST")),
            ),
    );
}

/// Writes a backup of every tenant into `<data dir>/backups/` (the newest ten are kept).
async fn create_backup(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let Some(data_dir) = state.data_dir.clone() else {
        return Err(ApiError::new(ErrorCode::MockNoDataDirectory));
    };
    let backup = state.state.backup();
    let summary = json!({
        "commit": backup.commit,
        "createdAt": backup.created_at,
        "tenants": backup.tenants.len(),
        "connectors": backup.tenants.values().map(|tenant| tenant.connectors.len()).sum::<usize>(),
    });
    let written = web::block(move || crate::store::backup::write_into(&data_dir, &backup))
        .await
        .map_err(|error| ApiError::internal_error(&error))?;
    let (path, bytes) = written.map_err(|error| {
        log::error!(
            "backup failed: {}",
            crate::state::commit::error_chain(&error)
        );
        ApiError::from(crate::state::Unavailable(error.to_string()))
    })?;
    let mut summary = summary;
    summary["file"] = json!(path.display().to_string());
    summary["bytes"] = json!(bytes);
    Ok(json_answer(StatusCode::OK, &summary))
}

async fn list_outbox(
    tenant: RequestTenant,
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let filter = outbox_filter(request.query_string())?;
    let messages = state.service.outbox(tenant.data(), &filter);
    Ok(list_answer(&request, messages))
}

async fn clear_outbox(
    tenant: RequestTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ack = state.service.clear_outbox(tenant.data())?;
    stored(ack).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// 400 `guard.invalid_input` for the query parameter `key`.
fn invalid_query(key: &str, message: &str) -> ApiError {
    ApiError::invalid_input(
        "query",
        &[Issue::plain(
            "custom",
            vec![serde_json::Value::from(key)],
            message,
        )],
    )
}

/// `since=`: RFC 3339 UTC or epoch milliseconds.
fn since_query(value: &str) -> Result<u64, ApiError> {
    crate::time::parse_instant(value).ok_or_else(|| {
        invalid_query(
            "since",
            "Expected an RFC 3339 UTC time (2026-01-31T12:00:00Z) or epoch milliseconds",
        )
    })
}

/// `?to=&factoryId=&since=`.
fn outbox_filter(query: &str) -> Result<OutboxFilter, ApiError> {
    let mut filter = OutboxFilter::default();
    for (key, value) in query_pairs(query)? {
        match key.as_str() {
            "to" => filter.to = Some(value),
            "factoryId" => filter.factory_id = Some(value),
            "since" => filter.since_ms = Some(since_query(&value)?),
            _ => {}
        }
    }
    Ok(filter)
}
