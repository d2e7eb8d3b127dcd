//! `GET /api/connector-factories` and `GET /api/connector-factories/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::{other_methods, rendered_answer, AppState};
use crate::error::ApiError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/connector-factories")
            .route(web::get().to(list_factories))
            .route(web::head().to(list_factories))
            .default_service(other_methods("HEAD, GET")),
    )
    .service(
        web::resource("/connector-factories/{id}")
            .route(web::get().to(get_factory))
            .route(web::head().to(get_factory))
            .default_service(other_methods("HEAD, GET")),
    );
}

async fn list_factories(request: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    rendered_answer(&request, state.service.list_factories())
}

async fn get_factory(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let factory = state.service.get_factory(&id)?;
    Ok(rendered_answer(&request, factory))
}
