//! `/api/email-templates`, `/api/email-templates/{id}` and `/api/email-templates/{id}/details`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::body::read_json;
use super::{json_answer, other_methods, query_pairs, stored, AppState, RequestTenant};
use crate::email_templates::{self, guard::filter_query};
use crate::error::ApiError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/email-templates")
            .route(web::get().to(list_templates))
            .route(web::head().to(list_templates))
            .route(web::put().to(upsert_templates))
            .route(web::delete().to(delete_templates))
            .default_service(other_methods("HEAD, GET, PUT, DELETE")),
    )
    .service(
        web::resource("/email-templates/{id}")
            .route(web::get().to(get_template))
            .route(web::head().to(get_template))
            .route(web::delete().to(delete_template))
            .default_service(other_methods("HEAD, GET, DELETE")),
    )
    .service(
        web::resource("/email-templates/{id}/details")
            .route(web::patch().to(patch_details))
            .default_service(other_methods("PATCH")),
    );
}

async fn list_templates(
    tenant: RequestTenant,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let filter = filter_query(&query_pairs(request.query_string())?)?;
    let list = email_templates::list(tenant.data(), &filter);
    Ok(json_answer(StatusCode::OK, &list))
}

async fn upsert_templates(
    tenant: RequestTenant,
    request: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (_, body) = read_json(&request, payload, &state, &[]).await?;
    let (answer, ack) =
        email_templates::upsert(tenant.data(), &body, &tenant.ids, state.service.limits())?;
    stored(ack).await?;
    Ok(json_answer(StatusCode::OK, &answer))
}

async fn delete_templates(
    tenant: RequestTenant,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let filter = filter_query(&query_pairs(request.query_string())?)?;
    let (answer, ack) = email_templates::delete_many(tenant.data(), &filter)?;
    stored(ack).await?;
    Ok(json_answer(StatusCode::OK, &answer))
}

async fn get_template(
    tenant: RequestTenant,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let answer = email_templates::get(tenant.data(), &id)?;
    Ok(json_answer(StatusCode::OK, &answer))
}

async fn delete_template(
    tenant: RequestTenant,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let ack = email_templates::delete(tenant.data(), &id)?;
    stored(ack).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn patch_details(
    tenant: RequestTenant,
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (_, body) = read_json(&request, payload, &state, &[]).await?;
    let (answer, ack) =
        email_templates::patch_details(tenant.data(), &id, &body, state.service.limits())?;
    stored(ack).await?;
    Ok(json_answer(StatusCode::OK, &answer))
}
