//! `GET /api/status`: 204 when the server is up (no auth, as Logto).

use actix_web::{web, HttpResponse};

use super::other_methods;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/status")
            .route(web::get().to(status))
            .route(web::head().to(status))
            .default_service(other_methods("HEAD, GET")),
    );
}

async fn status() -> HttpResponse {
    HttpResponse::NoContent().finish()
}
