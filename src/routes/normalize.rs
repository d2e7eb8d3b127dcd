//! Trailing-slash tolerance: `/api/connectors/` and `/api//connectors` route
//! like `/api/connectors`. Only paths that need it are rewritten; the common
//! case costs one scan of the path.

use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::uri::{PathAndQuery, Uri};
use actix_web::web::Bytes;

/// The `wrap_fn` middleware that normalizes the path before routing.
pub fn normalize_path<S, B>(mut request: ServiceRequest, service: &S) -> S::Future
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    if let Some(uri) = normalized_uri(&request.head().uri) {
        request.match_info_mut().get_mut().update(&uri);
        request.head_mut().uri = uri;
    }
    service.call(request)
}

/// The URI with repeated slashes merged and trailing slashes removed, or
/// `None` when it needs no change.
fn normalized_uri(uri: &Uri) -> Option<Uri> {
    let path = uri.path();
    let needs_work = path.len() > 1 && (path.ends_with('/') || path.contains("//"));
    if !needs_work {
        return None;
    }
    let mut normalized = String::with_capacity(path.len());
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        normalized.push('/');
        normalized.push_str(segment);
    }
    if normalized.is_empty() {
        normalized.push('/');
    }
    if let Some(query) = uri.query() {
        normalized.push('?');
        normalized.push_str(query);
    }
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(PathAndQuery::from_maybe_shared(Bytes::from(normalized)).ok()?);
    Uri::from_parts(parts).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(uri: &str) -> Option<String> {
        normalized_uri(&uri.parse().unwrap()).map(|uri| uri.to_string())
    }

    #[test]
    fn only_paths_that_need_it_are_rewritten() {
        assert_eq!(normalized("/api/connectors"), None);
        assert_eq!(normalized("/"), None);
        assert_eq!(
            normalized("/api/connectors/").as_deref(),
            Some("/api/connectors")
        );
        assert_eq!(
            normalized("//api//connectors//?a=b//").as_deref(),
            Some("/api/connectors?a=b//")
        );
        assert_eq!(normalized("///").as_deref(), Some("/"));
    }
}
