//! `POST /api/connectors/{factoryId}/test` and `POST /api/connectors/{id}/authorization-uri`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::body::read_json;
use super::{json_answer, other_methods, stored, AppState, RequestTenant};
use crate::error::ApiError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/connectors/{factory_id}/test")
            .route(web::post().to(test_connector))
            .default_service(other_methods("POST")),
    )
    .service(
        web::resource("/connectors/{id}/authorization-uri")
            .route(web::post().to(create_authorization_uri))
            .default_service(other_methods("POST")),
    );
}

/// Sends nothing: the rendered message lands in the outbox (`GET /_mock/outbox`).
async fn test_connector(
    tenant: RequestTenant,
    request: HttpRequest,
    state: web::Data<AppState>,
    factory_id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (_, body) = read_json(&request, payload, &state, &[]).await?;
    let (message, ack) = state
        .service
        .send_test_message(tenant.data(), &factory_id, &body)?;
    stored(ack).await?;
    log::info!(
        "test message for {} recorded in the outbox (id {})",
        message.factory_id,
        message.id
    );
    if state.record_files {
        write_record_file(message).await;
    }
    Ok(HttpResponse::NoContent().finish())
}

async fn create_authorization_uri(
    tenant: RequestTenant,
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (_, body) = read_json(&request, payload, &state, &[]).await?;
    // Rules may read the request's headers (Logto hands the connector its User-Agent).
    let headers: Vec<(&str, &[u8])> = request
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_bytes()))
        .collect();
    let answer = state
        .service
        .authorization_uri(tenant.data(), &id, &body, &headers)?;
    Ok(json_answer(StatusCode::OK, &answer))
}

/// Mirrors the message into Logto's mock-connector record file; a failure is
/// logged (the outbox already has the message).
async fn write_record_file(message: crate::store::OutboxMessage) {
    use crate::harness::record_files::{write_record, RECORD_DIR};
    let written =
        web::block(move || write_record(std::path::Path::new(RECORD_DIR), &message)).await;
    match written {
        Ok(Ok(path)) => log::debug!("record file {} written", path.display()),
        Ok(Err(error)) => log::warn!("cannot write the record file in {RECORD_DIR}: {error}"),
        Err(error) => log::warn!("cannot write the record file in {RECORD_DIR}: {error}"),
    }
}
