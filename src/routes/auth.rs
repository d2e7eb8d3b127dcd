//! The `Authorized` extractor: Logto's Bearer check, run before the body is read.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use std::future::{ready, Ready};

use super::AppState;
use crate::connectors::DEFAULT_TENANT;
use crate::error::ApiError;

/// Proof that the request passed the `[auth]` check. Put it first in a
/// handler's arguments so it runs before anything else is extracted.
pub struct Authorized;

impl FromRequest for Authorized {
    type Error = ApiError;
    type Future = Ready<Result<Authorized, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(state) = request.app_data::<web::Data<AppState>>() else {
            return ready(Err(ApiError::internal("application state missing")));
        };
        let header = request
            .headers()
            .get(header::AUTHORIZATION)
            .map(|value| value.to_str().unwrap_or(""));
        ready(
            state
                .auth
                .check_bearer(header, DEFAULT_TENANT)
                .map(|()| Authorized),
        )
    }
}
