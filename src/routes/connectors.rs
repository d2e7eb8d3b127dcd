//! `/api/connectors` and `/api/connectors/{id}`.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

use super::body::{read_json, BodyKind};
use super::{
    blocking, json_answer, json_with_etag, other_methods, query_pairs, AppState, Authorized,
};
use crate::connectors::{PatchBody, DEFAULT_TENANT};
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
    _authorized: Authorized,
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let target = target_query(request.query_string())?;
    let service = state.service.clone();
    let list = blocking(move || service.list(DEFAULT_TENANT, target.as_deref())).await?;
    Ok(json_with_etag(&request, &list))
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
    _authorized: Authorized,
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let service = state.service.clone();
    let id = id.into_inner();
    let connector = blocking(move || service.get(DEFAULT_TENANT, &id)).await?;
    Ok(json_with_etag(&request, &connector))
}

async fn create_connector(
    _authorized: Authorized,
    request: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    // Logto reads a json-patch+json body on POST as plain JSON; so does the mock.
    let accepted = [BodyKind::JsonPatch];
    let (_, body) = read_json(&request, payload, state.body_limit, &accepted).await?;
    let service = state.service.clone();
    let connector = blocking(move || service.create(DEFAULT_TENANT, &body)).await?;
    Ok(json_answer(StatusCode::OK, &connector))
}

async fn patch_connector(
    _authorized: Authorized,
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let accepted = [BodyKind::MergePatch, BodyKind::JsonPatch];
    let (kind, body) = read_json(&request, payload, state.body_limit, &accepted).await?;
    let body = match kind {
        BodyKind::JsonPatch => PatchBody::json_patch(body)?,
        BodyKind::MergePatch => PatchBody::MergePatch(body),
        BodyKind::Json => PatchBody::Plain(body),
    };
    let if_match = request
        .headers()
        .get(header::IF_MATCH)
        .map(|value| value.to_str().unwrap_or("").to_owned());
    let service = state.service.clone();
    let id = id.into_inner();
    let connector =
        blocking(move || service.patch(DEFAULT_TENANT, &id, &body, if_match.as_deref())).await?;
    Ok(json_answer(StatusCode::OK, &connector))
}

async fn delete_connector(
    _authorized: Authorized,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let service = state.service.clone();
    let id = id.into_inner();
    blocking(move || service.delete(DEFAULT_TENANT, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
