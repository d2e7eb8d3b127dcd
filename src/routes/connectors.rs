//! `/api/connectors` and `/api/connectors/{id}`.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

use super::answers::written_answer;
use super::body::{read_json, BodyKind};
use super::{
    list_answer, other_methods, query_pairs, rendered_answer, stored, AppState, RequestTenant,
};
use crate::connectors::PatchBody;
use crate::error::ApiError;
use crate::issues::Issue;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/connectors")
            .route(web::get().to(list_connectors))
            .route(web::head().to(list_connectors))
            .route(web::post().to(create_connector))
            .default_service(other_methods("HEAD, GET, POST")),
    )
    .service(
        web::resource("/connectors/{id}")
            .route(web::get().to(get_connector))
            .route(web::head().to(get_connector))
            .route(web::patch().to(patch_connector))
            .route(web::delete().to(delete_connector))
            .default_service(other_methods("HEAD, GET, PATCH, DELETE")),
    );
}

async fn list_connectors(
    tenant: RequestTenant,
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let target = target_query(request.query_string())?;
    let list = state.service.list(tenant.data(), target.as_deref())?;
    Ok(list_answer(&request, list))
}

/// Logto's query guard `{ target?: string }`: other keys ignored, a repeated `target` refused.
fn target_query(query: &str) -> Result<Option<String>, ApiError> {
    let targets: Vec<String> = query_pairs(query)?
        .into_iter()
        .filter(|(key, _)| key == "target")
        .map(|(_, value)| value)
        .collect();
    match targets.len() {
        0 => Ok(None),
        1 => Ok(targets.into_iter().next()),
        _ => Err(ApiError::invalid_input(
            "query",
            &[Issue::invalid_type(
                vec![Value::from("target")],
                "string",
                "array",
            )],
        )),
    }
}

async fn get_connector(
    tenant: RequestTenant,
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let connector = state.service.get(tenant.data(), &id)?;
    Ok(rendered_answer(&request, &connector))
}

async fn create_connector(
    tenant: RequestTenant,
    request: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    // Logto reads a json-patch+json body on POST as plain JSON; so does the mock.
    let accepted = [BodyKind::JsonPatch];
    let (_, body) = read_json(&request, payload, &state, &accepted).await?;
    let (connector, ack) = state.service.create(tenant.data(), &body, &tenant.ids)?;
    stored(ack).await?;
    Ok(written_answer(&connector))
}

async fn patch_connector(
    tenant: RequestTenant,
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let accepted = [BodyKind::MergePatch, BodyKind::JsonPatch];
    let (kind, body) = read_json(&request, payload, &state, &accepted).await?;
    let body = match kind {
        BodyKind::JsonPatch => PatchBody::json_patch(body)?,
        BodyKind::MergePatch => PatchBody::MergePatch(body),
        BodyKind::Json => PatchBody::Plain(body),
    };
    let if_match = request
        .headers()
        .get(header::IF_MATCH)
        .map(|value| value.to_str().unwrap_or("").to_owned());
    let (connector, ack) = state
        .service
        .patch(tenant.data(), &id, &body, if_match.as_deref())?;
    stored(ack).await?;
    Ok(written_answer(&connector))
}

async fn delete_connector(
    tenant: RequestTenant,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let ack = state.service.delete(tenant.data(), &id)?;
    stored(ack).await?;
    Ok(HttpResponse::NoContent().finish())
}
