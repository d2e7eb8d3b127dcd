//! Error answers in the request's language, as Logto gives them.
//!
//! Error bodies are rendered in English where they arise (actix's
//! `ResponseError::error_response` does not see the request). This middleware
//! looks only at answers that carry an [`ApiError`]: when the request asks for
//! a language with its own phrase for that error (`?locale=`, then
//! `Accept-Language`; see [`crate::i18n`]), the body is rendered again in that
//! language, status and headers unchanged. Successful answers pass through
//! untouched; an error answer to a request that asks for no language costs a
//! look at its query string and headers, and nothing is allocated.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use std::future::Future;

use crate::error::ApiError;
use crate::i18n;

/// The `wrap_fn` middleware that localizes error answers.
pub fn localize_errors<S, B>(
    request: ServiceRequest,
    service: &S,
) -> impl Future<Output = Result<ServiceResponse<EitherBody<B, String>>, actix_web::Error>> + 'static
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    S::Future: 'static,
    B: MessageBody,
{
    let response = service.call(request);
    async move { Ok(localized(response.await?)) }
}

/// The answer, its body in the request's language when it is a localizable error.
fn localized<B>(response: ServiceResponse<B>) -> ServiceResponse<EitherBody<B, String>> {
    let body = response
        .response()
        .error()
        .and_then(|error| error.as_error::<ApiError>())
        .and_then(|error| {
            let request = response.request();
            let language = i18n::negotiate(
                request.query_string(),
                request
                    .headers()
                    .get_all(header::ACCEPT_LANGUAGE)
                    .map(|value| value.as_bytes()),
            )?;
            error.localized_body(language)
        });
    match body {
        None => response.map_into_left_body(),
        Some(body) => response.map_body(|_, _| EitherBody::right(body.to_string())),
    }
}
