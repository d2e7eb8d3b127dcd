//! Reading request bodies: size limit, content type and JSON parsing, with
//! Logto's answers for malformed JSON and ours for the rest (413, 415).

use actix_web::http::header;
use actix_web::{web, HttpRequest};
use futures_util::StreamExt;
use serde_json::Value;

use super::AppState;
use crate::error::{ApiError, ErrorCode};

/// How a JSON body is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/json` (or no body at all).
    Json,
    /// `application/merge-patch+json` (RFC 7396).
    MergePatch,
    /// `application/json-patch+json` (RFC 6902).
    JsonPatch,
}

/// Reads and parses the body. `accepted` lists the content types this route
/// takes besides `application/json`. An empty body is read as `{}` (as Logto).
pub async fn read_json(
    request: &HttpRequest,
    payload: web::Payload,
    state: &AppState,
    accepted: &[BodyKind],
) -> Result<(BodyKind, Value), ApiError> {
    let bytes = read_limited(request, payload, state).await?;
    let kind = match content_kind(request) {
        ContentType::Known(kind) if kind == BodyKind::Json || accepted.contains(&kind) => kind,
        ContentType::Missing if bytes.is_empty() => BodyKind::Json,
        ContentType::Missing => return Err(unsupported("")),
        ContentType::Known(_) | ContentType::Other => {
            let given = request
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("");
            return Err(unsupported(given));
        }
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok((kind, Value::Object(Default::default())));
    }
    Ok((kind, parse_json(&bytes)?))
}

/// The raw body, refused with 413 past `[server] body_limit` bytes (by
/// `Content-Length` or as it streams) and with 408 when it does not arrive
/// within `[server] request_timeout_ms` (the connection is then closed).
pub async fn read_limited(
    request: &HttpRequest,
    payload: web::Payload,
    state: &AppState,
) -> Result<web::BytesMut, ApiError> {
    let read = read_within(request, payload, state.body_limit);
    match actix_web::rt::time::timeout(state.request_timeout, read).await {
        Ok(result) => {
            if let Ok(bytes) = &result {
                super::recording::JournalBody::keep(request, bytes);
            }
            result
        }
        Err(_) => {
            log::info!(
                "request body of {} {} not received within {} ms; closing the connection",
                request.method(),
                request.path(),
                state.request_timeout.as_millis()
            );
            Err(ApiError::new(ErrorCode::MockRequestTimeout))
        }
    }
}

async fn read_within(
    request: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<web::BytesMut, ApiError> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large(limit));
    }
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|error| ApiError::body_syntax(error.to_string()))?;
        if bytes.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(ErrorCode::MockPayloadTooLarge).with_data(serde_json::json!({ "limit": limit }))
}

fn unsupported(content_type: &str) -> ApiError {
    ApiError::new(ErrorCode::MockUnsupportedMediaType)
        .with_data(serde_json::json!({ "contentType": content_type }))
}

enum ContentType {
    Missing,
    Known(BodyKind),
    Other,
}

/// The media type of `Content-Type`, lowercase, without parameters such as
/// `charset`; `None` when the header is missing.
pub fn media_type(request: &HttpRequest) -> Option<String> {
    let value = request.headers().get(header::CONTENT_TYPE)?;
    let text = value.to_str().unwrap_or("");
    Some(
        text.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

/// The body kind named by `Content-Type`.
fn content_kind(request: &HttpRequest) -> ContentType {
    let Some(essence) = media_type(request) else {
        return ContentType::Missing;
    };
    match essence.as_str() {
        // The JSON types Logto's body parser reads as JSON.
        "application/json"
        | "application/vnd.api+json"
        | "application/csp-report"
        | "application/reports+json" => ContentType::Known(BodyKind::Json),
        "application/merge-patch+json" => ContentType::Known(BodyKind::MergePatch),
        "application/json-patch+json" => ContentType::Known(BodyKind::JsonPatch),
        _ => ContentType::Other,
    }
}

/// Logto's strict JSON parsing: objects and arrays only, no `__proto__` keys.
pub fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|error| ApiError::body_syntax(error.to_string()))?;
    if !value.is_object() && !value.is_array() {
        return Err(ApiError::body_syntax(
            "invalid JSON, only supports object and array",
        ));
    }
    if has_proto_key(&value) {
        return Err(ApiError::body_syntax(
            "Object contains forbidden prototype property",
        ));
    }
    Ok(value)
}

fn has_proto_key(value: &Value) -> bool {
    match value {
        Value::Object(object) => object
            .iter()
            .any(|(key, child)| key == "__proto__" || has_proto_key(child)),
        Value::Array(items) => items.iter().any(has_proto_key),
        _ => false,
    }
}
