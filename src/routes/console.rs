//! The web console over HTTP: the page at `GET /` for browsers (requests whose
//! `Accept` lists `text/html`) and its assets under `/console/`. Everything
//! else at these paths, and all of them when `[console] enabled = false`,
//! answers as an unknown path (JSON 404 `mock.route_not_found`).
//!
//! The page works on the tenant the request selects (`/t/{tenant}/` or the
//! `Host` label); asking for it never creates that tenant.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse, HttpResponseBuilder};

use super::tenancy::SelectedTenant;
use super::{route_not_found, AppState};
use crate::console::{accepts_html, Asset};
use crate::error::ApiError;
use crate::etag::header_matches;

/// What the console's answers allow a browser to do: load the console's own
/// script, style and API, nothing else.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/")
            .route(web::get().to(get_console_page))
            .route(web::head().to(get_console_page))
            .default_service(web::to(route_not_found)),
    )
    .service(
        web::resource("/console/console.js")
            .route(web::get().to(get_console_script))
            .route(web::head().to(get_console_script))
            .default_service(web::to(route_not_found)),
    )
    .service(
        web::resource("/console/console.css")
            .route(web::get().to(get_console_style))
            .route(web::head().to(get_console_style))
            .default_service(web::to(route_not_found)),
    );
}

/// The page, for a browser; JSON 404 for API clients (no `text/html` in `Accept`).
async fn get_console_page(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let wants_html = request
        .headers()
        .get_all(header::ACCEPT)
        .filter_map(|value| value.to_str().ok())
        .any(accepts_html);
    if !state.console.enabled || !wants_html {
        return route_not_found(request).await;
    }
    let page = {
        let extensions = request.extensions();
        let selected = extensions.get::<SelectedTenant>();
        state.console.page(
            selected.map_or("", SelectedTenant::name),
            selected.map_or("", SelectedTenant::prefix),
        )
    };
    Ok(secured(&mut HttpResponse::Ok())
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::VARY, "Accept"))
        .body(page))
}

async fn get_console_script(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    asset_answer(request, &state, &state.console.script).await
}

async fn get_console_style(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    asset_answer(request, &state, &state.console.style).await
}

/// An asset with its `ETag` (revalidated every time), or 304.
async fn asset_answer(
    request: HttpRequest,
    state: &AppState,
    asset: &Asset,
) -> Result<HttpResponse, ApiError> {
    if !state.console.enabled {
        return route_not_found(request).await;
    }
    let fresh = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| header_matches(value, &asset.etag, true));
    let mut response = HttpResponse::build(if fresh {
        StatusCode::NOT_MODIFIED
    } else {
        StatusCode::OK
    });
    secured(&mut response)
        .insert_header((header::ETAG, asset.etag.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-cache"));
    Ok(if fresh {
        response.finish()
    } else {
        response.content_type(asset.content_type).body(asset.body)
    })
}

/// The security headers of every console answer.
fn secured(response: &mut HttpResponseBuilder) -> &mut HttpResponseBuilder {
    response
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
}
