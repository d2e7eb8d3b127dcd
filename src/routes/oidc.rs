//! `POST /oidc/token` (client credentials) and `GET /oidc/jwks`.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

use super::body::{media_type, read_limited};
use super::{AppState, RequestTenant};
use crate::auth::client_credentials::{OidcError, TokenRequest};
use crate::error::ApiError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/oidc")
            .route("/token", web::post().to(create_token))
            .route("/jwks", web::get().to(get_jwks))
            .default_service(web::to(unknown_oidc_route)),
    );
}

async fn create_token(
    tenant: RequestTenant,
    request: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = read_limited(&request, payload, &state).await?;
    let params = match token_params(&request, &bytes) {
        Ok(params) => params,
        Err(error) => return Ok(oidc_error(&error)),
    };
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|value| value.to_str().unwrap_or(""));
    let info = request.connection_info();
    let token_request = TokenRequest {
        params: &params,
        authorization,
        issuer: format!(
            "{}://{}{}/oidc",
            info.scheme(),
            info.host(),
            tenant.prefix()
        ),
        tenant: tenant.name(),
        jti: tenant.ids.token_id(),
    };
    Ok(match state.auth.issue_token(&token_request) {
        Ok(answer) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .content_type("application/json; charset=utf-8")
            .body(answer.to_string()),
        Err(error) => {
            log::info!(
                "token request refused: {} ({})",
                error.error,
                error.description
            );
            oidc_error(&error)
        }
    })
}

/// Form fields (`application/x-www-form-urlencoded`) or a flat JSON object.
fn token_params(request: &HttpRequest, bytes: &[u8]) -> Result<Vec<(String, String)>, OidcError> {
    let content_type = media_type(request).unwrap_or_default();
    let unsupported = || {
        OidcError {
        status: 400,
        error: "invalid_request",
        description: "only application/x-www-form-urlencoded content-type bodies are supported on POST /token"
            .into(),
    }
    };
    match content_type.as_str() {
        "application/x-www-form-urlencoded" => {
            serde_urlencoded::from_bytes(bytes).map_err(|_| unsupported())
        }
        "application/json" => {
            let value: Value = serde_json::from_slice(bytes).map_err(|_| unsupported())?;
            let object = value.as_object().ok_or_else(unsupported)?;
            Ok(object
                .iter()
                .map(|(key, value)| {
                    let text = match value {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    (key.clone(), text)
                })
                .collect())
        }
        _ => Err(unsupported()),
    }
}

fn oidc_error(error: &OidcError) -> HttpResponse {
    HttpResponse::build(StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST))
        .content_type("application/json; charset=utf-8")
        .body(error.body().to_string())
}

async fn get_jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .body(state.auth.jwks().clone())
}

/// oidc-provider's answer for anything else under `/oidc`.
async fn unknown_oidc_route(request: HttpRequest) -> HttpResponse {
    let path = request
        .path()
        .strip_prefix("/oidc")
        .unwrap_or(request.path());
    let error = OidcError {
        status: 404,
        error: "invalid_request",
        description: format!(
            "unrecognized route or not allowed method ({} on {path})",
            request.method()
        ),
    };
    oidc_error(&error)
}
