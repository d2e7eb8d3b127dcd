//! `GET /_mock/tenants`, `DELETE /_mock/tenants/{name}` and `POST /_mock/reset`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::error::{ApiError, ErrorCode};
use crate::harness::valid_tenant_name;
use crate::routes::{json_answer, other_methods, stored, AppState, RequestTenant};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/tenants")
            .route(web::get().to(list_tenants))
            .route(web::head().to(list_tenants))
            .default_service(other_methods("HEAD, GET")),
    )
    .service(
        web::resource("/tenants/{name}")
            .route(web::delete().to(drop_tenant))
            .default_service(other_methods("DELETE")),
    )
    .service(
        web::resource("/reset")
            .route(web::post().to(reset_tenant))
            .default_service(other_methods("POST")),
    );
}

async fn list_tenants(state: web::Data<AppState>) -> HttpResponse {
    json_answer(StatusCode::OK, &state.harness.describe())
}

async fn drop_tenant(
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    if !valid_tenant_name(&name) {
        return Err(ApiError::new(ErrorCode::MockInvalidTenant)
            .with_data(serde_json::json!({ "tenant": name.as_str(), "from": "path" })));
    }
    match state.harness.drop_tenant(&name)? {
        Some(ack) => {
            stored(ack).await?;
            Ok(HttpResponse::NoContent().finish())
        }
        None => Err(ApiError::new(ErrorCode::MockTenantNotFound)
            .with_data(serde_json::json!({ "tenant": name.as_str() }))),
    }
}

async fn reset_tenant(
    tenant: RequestTenant,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ack = state.harness.reset(&tenant)?;
    stored(ack).await?;
    Ok(HttpResponse::NoContent().finish())
}
