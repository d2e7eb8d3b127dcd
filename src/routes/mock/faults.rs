//! `GET`, `PUT` and `DELETE /_mock/faults`: the tenant's fault rules.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use crate::error::{ApiError, ErrorCode};
use crate::routes::body::read_json;
use crate::routes::{json_answer, other_methods, AppState, RequestTenant};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/faults")
            .route(web::get().to(list_faults))
            .route(web::head().to(list_faults))
            .route(web::put().to(replace_faults))
            .route(web::delete().to(clear_faults))
            .default_service(other_methods("HEAD, GET, PUT, DELETE")),
    );
}

async fn list_faults(tenant: RequestTenant) -> HttpResponse {
    json_answer(StatusCode::OK, &tenant.faults.describe())
}

async fn replace_faults(
    tenant: RequestTenant,
    request: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (_, rules) = read_json(&request, payload, &state, &[]).await?;
    tenant.faults.replace(&rules).map_err(|invalid| {
        ApiError::new(ErrorCode::MockInvalidFaultRule)
            .with_message(format!(
                "Fault rule {}{}: {}",
                invalid.index,
                if invalid.field.is_empty() {
                    String::new()
                } else {
                    format!(", field {:?}", invalid.field)
                },
                invalid.message
            ))
            .with_data(json!({
                "index": invalid.index,
                "field": invalid.field,
                "reason": invalid.message,
            }))
    })?;
    Ok(json_answer(StatusCode::OK, &tenant.faults.describe()))
}

async fn clear_faults(tenant: RequestTenant) -> HttpResponse {
    tenant.faults.clear();
    HttpResponse::NoContent().finish()
}
