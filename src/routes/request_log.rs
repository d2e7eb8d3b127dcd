//! One log line per request: method, path (never the query string, which may
//! carry secrets), status and duration. Costs nothing when `info` is off.
//! Also counts the requests in flight, which a stopping server waits for.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    let in_flight = request
        .app_data::<actix_web::web::Data<super::AppState>>()
        .map(|state| InFlight::enter(state.in_flight.clone()));
    let response = service.call(request);
    async move {
        let response = response.await;
        drop(in_flight);
        let response = response?;
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

/// Counts one request in flight until dropped (also when the request is cancelled).
struct InFlight(std::sync::Arc<AtomicUsize>);

impl InFlight {
    fn enter(counter: std::sync::Arc<AtomicUsize>) -> InFlight {
        counter.fetch_add(1, Ordering::AcqRel);
        InFlight(counter)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}
