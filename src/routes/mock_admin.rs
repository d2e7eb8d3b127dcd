//! Test-harness routes under `/_mock/` (beyond Logto): the outbox and backups.

use actix_web::{web, HttpRequest, HttpResponse};

use actix_web::http::StatusCode;
use serde_json::json;

use super::{json_answer, list_answer, other_methods, query_pairs, stored, AppState, Authorized};
use crate::connectors::OutboxFilter;
use crate::error::{ApiError, ErrorCode};
use crate::issues::Issue;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/_mock")
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
async fn create_backup(
    _authorized: Authorized,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
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
