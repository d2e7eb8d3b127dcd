//! One log line per request: method, path (never the query string, which may
//! carry secrets), status and duration. Costs nothing when `info` is off.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use std::future::Future;
use std::time::Instant;

/// The `wrap_fn` middleware that writes the request log.
pub fn log_request<S, B>(
    request: ServiceRequest,
    service: &S,
) -> impl Future<Output = Result<ServiceResponse<B>, actix_web::Error>> + 'static
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    S::Future: 'static,
    B: MessageBody,
{
    let line = log::log_enabled!(log::Level::Info).then(|| {
        (
            request.method().clone(),
            request.path().to_owned(),
            Instant::now(),
        )
    });
    let response = service.call(request);
    async move {
        let response = response.await?;
        if let Some((method, path, started)) = line {
            log::info!(
                "{method} {path} {} {:.3}ms",
                response.status().as_u16(),
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        Ok(response)
    }
}
