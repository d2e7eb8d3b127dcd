//! `GET /_mock/requests` and `DELETE /_mock/requests`: the tenant's request journal.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::{invalid_query, since_query};
use crate::error::ApiError;
use crate::harness::glob::Glob;
use crate::harness::journal::{JournalFilter, PathFilter, StatusFilter};
use crate::routes::{json_answer, other_methods, query_pairs, RequestTenant};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/requests")
            .route(web::get().to(list_requests))
            .route(web::head().to(list_requests))
            .route(web::delete().to(clear_requests))
            .default_service(other_methods("HEAD, GET, DELETE")),
    );
}

async fn list_requests(
    tenant: RequestTenant,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let filter = journal_filter(request.query_string())?;
    let entries = tenant.journal.list(&filter);
    let body = serde_json::to_value(entries).map_err(ApiError::internal)?;
    Ok(json_answer(StatusCode::OK, &body))
}

async fn clear_requests(tenant: RequestTenant) -> HttpResponse {
    tenant.journal.clear();
    HttpResponse::NoContent().finish()
}

/// `?method=&path=&status=&since=&limit=`.
fn journal_filter(query: &str) -> Result<JournalFilter, ApiError> {
    let mut filter = JournalFilter::default();
    for (key, value) in query_pairs(query)? {
        match key.as_str() {
            "method" => filter.method = Some(value.to_ascii_uppercase()),
            "path" if value.contains('*') => {
                let glob = Glob::new(&value)
                    .map_err(|reason| invalid_query("path", &format!("The glob {reason}")))?;
                filter.path = Some(PathFilter::Glob(glob));
            }
            "path" => filter.path = Some(PathFilter::Prefix(value)),
            "status" => {
                filter.status = Some(StatusFilter::parse(&value).ok_or_else(|| {
                    invalid_query(
                        "status",
                        "Expected a status such as 404 or a class such as 4xx",
                    )
                })?)
            }
            "since" => filter.since_ms = Some(since_query(&value)?),
            "limit" => {
                filter.limit = Some(
                    value
                        .parse::<usize>()
                        .ok()
                        .filter(|limit| *limit >= 1)
                        .ok_or_else(|| {
                            invalid_query("limit", "Expected a whole number of at least 1")
                        })?,
                )
            }
            _ => {}
        }
    }
    Ok(filter)
}
