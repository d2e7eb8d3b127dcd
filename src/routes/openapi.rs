//! `GET /api/.well-known/management.openapi.json` and `GET /api/swagger.json` (no auth, as Logto).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::{json_answer, other_methods};

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

async fn get_openapi_document(request: HttpRequest) -> HttpResponse {
    let info = request.connection_info();
    let origin = format!("{}://{}", info.scheme(), info.host());
    json_answer(StatusCode::OK, &crate::openapi::document(&origin))
}
