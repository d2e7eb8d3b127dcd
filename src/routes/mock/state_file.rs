//! `GET` and `PUT /_mock/state`: the tenant's connectors as a state file.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use crate::error::{ApiError, ErrorCode};
use crate::harness::state_file::StateFile;
use crate::routes::body::read_json;
use crate::routes::{json_answer, other_methods, stored, AppState, RequestTenant};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/state")
            .route(web::get().to(export_state))
            .route(web::head().to(export_state))
            .route(web::put().to(import_state))
            .default_service(other_methods("HEAD, GET, PUT")),
    );
}

async fn export_state(tenant: RequestTenant) -> HttpResponse {
    let mut file = StateFile::new();
    file.add_snapshot(tenant.name(), &tenant.data().snapshot());
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"))
        .body(file.to_bytes())
}

/// Replaces the tenant's connectors with the file's entry for this tenant
/// (or its only tenant, whatever its name), checked first, all or nothing.
async fn import_state(
    tenant: RequestTenant,
    request: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (_, body) = read_json(&request, payload, &state, &[]).await?;
    let invalid = |reason: String| {
        ApiError::new(ErrorCode::MockInvalidState)
            .with_message(format!(
                "The state document is invalid; nothing was changed: {reason}"
            ))
            .with_data(json!({ "reason": reason }))
    };
    let mut file = StateFile::from_value(body).map_err(invalid)?;
    let chosen = match file.tenants.remove(tenant.name()) {
        Some(own) => own,
        None if file.tenants.len() == 1 => file.tenants.pop_first().map(|(_, t)| t).unwrap_or_default(),
        None => {
            return Err(invalid(format!(
                "it holds no tenant {:?} (PUT /_mock/state replaces the calling tenant; a file with exactly one tenant is imported into it whatever its name)",
                tenant.name()
            )))
        }
    };
    if !file.tenants.is_empty() {
        let others: Vec<&String> = file.tenants.keys().collect();
        return Err(invalid(format!(
            "it also holds tenants {others:?}; import them through their own /t/{{tenant}}/_mock/state or with `connector-mock import`"
        )));
    }
    let mut single = StateFile::new();
    single.tenants.insert(tenant.name().to_owned(), chosen);
    let checked = single.check(&state.service).map_err(invalid)?;
    let (entries, templates) = checked
        .into_iter()
        .next()
        .map(|t| (t.entries, t.templates))
        .unwrap_or_default();
    let ack = state.harness.replace(&tenant, &entries, &templates)?;
    stored(ack).await?;
    Ok(json_answer(
        StatusCode::OK,
        &json!({ "tenant": tenant.name(), "connectors": entries.len(), "emailTemplates": templates.len() }),
    ))
}
