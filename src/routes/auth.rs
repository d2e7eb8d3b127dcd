//! The bearer check, as middleware on the `/api` and `/_mock` scopes: every
//! operation the OpenAPI document secures needs a token for the request's
//! tenant, so a new handler cannot forget it. Paths the document lists only
//! as public (`security: []`) pass without one.

use actix_web::body::EitherBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::{web, HttpMessage};
use futures_util::future::{ready, Either, MapOk, Ready, TryFutureExt};
use serde_json::Value;

use super::tenancy::RequestTenant;
use super::AppState;
use crate::error::ApiError;

/// Which operations need a token, read from the OpenAPI document.
#[derive(Debug, Default)]
pub struct SecurityTable {
    /// Each documented operation: its path template split into segments
    /// (`{id}` matches any one segment), its method and whether it is secured.
    operations: Vec<(Vec<String>, Method, bool)>,
}

impl SecurityTable {
    /// Reads `security` of every operation of `document` (top-level `security` is the default).
    pub fn from_document(document: &Value) -> SecurityTable {
        const METHODS: &[&str] = &[
            "get", "put", "post", "delete", "patch", "head", "options", "trace",
        ];
        let secured_by_default = document
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(|list| !list.is_empty());
        let mut operations = Vec::new();
        for (template, item) in document["paths"].as_object().into_iter().flatten() {
            let segments: Vec<String> = template.split('/').map(str::to_owned).collect();
            for (method, operation) in item.as_object().into_iter().flatten() {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let Ok(method) = method.to_ascii_uppercase().parse::<Method>() else {
                    continue;
                };
                let secured = match operation.get("security").and_then(Value::as_array) {
                    Some(list) => !list.is_empty(),
                    None => secured_by_default,
                };
                operations.push((segments.clone(), method, secured));
            }
        }
        SecurityTable { operations }
    }

    /// Whether `method` on `path` is a documented operation that needs a
    /// token. Anything else passes on to the router, which answers 404 or
    /// 405 (`HEAD` is checked as `GET`).
    pub fn requires_token(&self, method: &Method, path: &str) -> bool {
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        self.operations
            .iter()
            .any(|(segments, operation, secured)| {
                if operation != method {
                    return false;
                }
                let mut given = path.split('/');
                let same_shape = segments.iter().all(|segment| match given.next() {
                    Some(part) => segment == part || (segment.starts_with('{') && !part.is_empty()),
                    None => false,
                }) && given.next().is_none();
                same_shape && *secured
            })
    }
}

/// The answer of [`require_bearer`]: the refusal, or the scope's own answer.
pub type Checked<F, B> = Either<
    Ready<Result<ServiceResponse<EitherBody<B>>, actix_web::Error>>,
    MapOk<F, fn(ServiceResponse<B>) -> ServiceResponse<EitherBody<B>>>,
>;

/// The `wrap_fn` middleware on the protected scopes: refuses a request that
/// needs a token and has no valid one, before anything else reads it.
pub fn require_bearer<S, B>(request: ServiceRequest, service: &S) -> Checked<S::Future, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    if let Err(error) = check(&request) {
        // Keeps the error in the answer, for `localize_errors`.
        let response = request.error_response(error).map_into_right_body();
        return Either::Left(ready(Ok(response)));
    }
    let left: fn(ServiceResponse<B>) -> ServiceResponse<EitherBody<B>> =
        ServiceResponse::map_into_left_body;
    Either::Right(service.call(request).map_ok(left))
}

fn check(request: &ServiceRequest) -> Result<(), ApiError> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("application state missing"))?;
    if !state
        .security
        .requires_token(request.method(), request.path())
    {
        return Ok(());
    }
    let tenant = request
        .extensions()
        .get::<RequestTenant>()
        .map(|tenant| tenant.tenant.clone())
        .ok_or_else(|| ApiError::internal("the tenant middleware did not run"))?;
    let header = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|value| value.to_str().unwrap_or(""));
    state.auth.check_bearer(header, tenant.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_secured_operations_need_a_token() {
        let table = SecurityTable::from_document(&crate::openapi::document("http://x"));
        assert!(!table.requires_token(&Method::GET, "/api/status"));
        assert!(!table.requires_token(&Method::HEAD, "/api/swagger.json"));
        assert!(table.requires_token(&Method::GET, "/api/connectors"));
        assert!(table.requires_token(&Method::HEAD, "/api/connectors"));
        assert!(table.requires_token(&Method::PATCH, "/api/connectors/abc"));
        assert!(table.requires_token(&Method::POST, "/api/connectors/abc/test"));
        assert!(table.requires_token(&Method::GET, "/_mock/outbox"));
        assert!(
            !table.requires_token(&Method::PUT, "/api/connectors/abc"),
            "405 from the router"
        );
        assert!(
            !table.requires_token(&Method::GET, "/api/unknown"),
            "404 from the router"
        );
        assert!(!table.requires_token(&Method::GET, "/api/connectors//"));
    }
}
