//! `GET /api/.well-known/management.openapi.json` and `GET /api/swagger.json` (no auth, as Logto).

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::{other_methods, AppState};
use crate::etag::etag_of_bytes;

pub fn configure(cfg: &mut web::ServiceConfig) {
    for path in ["/.well-known/management.openapi.json", "/swagger.json"] {
        cfg.service(
            web::resource(path)
                .route(web::get().to(get_openapi_document))
                .route(web::head().to(get_openapi_document))
                .default_service(other_methods("HEAD, GET")),
        );
    }
}

async fn get_openapi_document(request: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let info = request.connection_info();
    let origin = format!("{}://{}", info.scheme(), info.host());
    let body = state.openapi.for_origin(&origin);
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag_of_bytes(&body)))
        .content_type("application/json; charset=utf-8")
        .body(body)
}
