//! `POST /oidc/token` with `grant_type=client_credentials`, answering and
//! failing the way Logto's OIDC provider does.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Map, Value};

use super::{management_resource, Authenticator};

/// An OAuth error as Logto renders it: `{code, message, error, error_description}`.
#[derive(Debug, Clone, PartialEq)]
pub struct OidcError {
    pub status: u16,
    pub error: &'static str,
    pub description: String,
}

impl OidcError {
    fn new(status: u16, error: &'static str, description: impl Into<String>) -> Self {
        OidcError {
            status,
            error,
            description: description.into(),
        }
    }

    fn invalid_request(description: impl Into<String>) -> Self {
        OidcError::new(400, "invalid_request", description)
    }

    /// The body, with Logto's `code` and English `message` first.
    pub fn body(&self) -> Value {
        let code = format!("oidc.{}", self.error);
        let message = match self.error {
            "invalid_request" => "Request is invalid.".to_owned(),
            "invalid_target" => "Invalid resource indicator.".to_owned(),
            "unsupported_grant_type" => "Unsupported `grant_type` requested.".to_owned(),
            _ => format!("An OIDC error occurred: {code}."),
        };
        json!({
            "code": code,
            "message": message,
            "error": self.error,
            "error_description": self.description,
        })
    }
}

/// The token request: form or JSON fields, plus the `Authorization` header.
pub struct TokenRequest<'a> {
    pub params: &'a [(String, String)],
    pub authorization: Option<&'a str>,
    /// `iss` of the issued token: `<origin>/oidc`.
    pub issuer: String,
    pub tenant: &'a str,
    /// The new token's `jti` (from the tenant's id source).
    pub jti: String,
}

impl TokenRequest<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

impl Authenticator {
    /// Issues an access token, or says why not.
    pub fn issue_token(&self, request: &TokenRequest<'_>) -> Result<Value, OidcError> {
        let (client_id, secret) = client_credentials(request)?;
        let client = self
            .config
            .clients
            .iter()
            .find(|client| client.id == client_id)
            .ok_or_else(|| {
                OidcError::new(400, "invalid_client", format!("invalid client {client_id}"))
            })?;
        if !super::secrets_equal(&secret, &client.secret) {
            return Err(OidcError::new(
                401,
                "invalid_client",
                "client authentication failed",
            ));
        }
        match request.param("grant_type") {
            None | Some("") => {
                return Err(OidcError::invalid_request(
                    "missing required parameter 'grant_type'",
                ))
            }
            Some("client_credentials") => {}
            Some(_) => {
                return Err(OidcError::new(
                    400,
                    "unsupported_grant_type",
                    "unsupported grant_type requested",
                ))
            }
        }
        let resource = management_resource(request.tenant);
        match request.param("resource") {
            None | Some("") => {
                return Err(OidcError::new(
                    400,
                    "invalid_target",
                    "both `resource` and `organization_id` are not provided",
                ))
            }
            Some(given) if given != resource => {
                return Err(OidcError::new(
                    400,
                    "invalid_target",
                    "resource indicator is missing, or unknown",
                ))
            }
            Some(_) => {}
        }
        let mut granted: Vec<&str> = Vec::new();
        for scope in request.param("scope").unwrap_or("").split(' ') {
            if client.scopes.iter().any(|allowed| allowed == scope) && !granted.contains(&scope) {
                granted.push(scope);
            }
        }
        let (access_token, ttl) = self.sign_for(
            client,
            &granted,
            request.tenant,
            &request.issuer,
            &request.jti,
        );
        let mut answer = Map::new();
        answer.insert("access_token".into(), Value::from(access_token));
        answer.insert("expires_in".into(), Value::from(ttl));
        answer.insert("token_type".into(), Value::from("Bearer"));
        if !granted.is_empty() {
            answer.insert("scope".into(), Value::from(granted.join(" ")));
        }
        Ok(Value::Object(answer))
    }

    /// A ready access token of the first configured client (all its scopes)
    /// for `tenant`'s Management API, as `/oidc/token` would issue it.
    pub fn token_for(&self, tenant: &str, issuer: &str) -> Option<String> {
        let client = self.config.clients.first()?;
        let scopes: Vec<&str> = client.scopes.iter().map(String::as_str).collect();
        Some(
            self.sign_for(
                client,
                &scopes,
                tenant,
                issuer,
                &crate::connectors::ids::random_token_id(),
            )
            .0,
        )
    }

    /// Signs an access token; returns it and its lifetime in seconds.
    fn sign_for(
        &self,
        client: &crate::config::AuthClient,
        granted: &[&str],
        tenant: &str,
        issuer: &str,
        jti: &str,
    ) -> (String, u64) {
        let resource = management_resource(tenant);
        let now = crate::time::now_millis() / 1000;
        let ttl = self.config.token_ttl;
        let mut claims = Map::new();
        claims.insert("jti".into(), Value::from(jti));
        claims.insert("sub".into(), Value::from(client.id.clone()));
        claims.insert("iat".into(), Value::from(now));
        claims.insert("exp".into(), Value::from(now + ttl));
        if !granted.is_empty() {
            claims.insert("scope".into(), Value::from(granted.join(" ")));
        }
        claims.insert("client_id".into(), Value::from(client.id.clone()));
        claims.insert("iss".into(), Value::from(issuer));
        claims.insert("aud".into(), Value::from(resource));
        (self.keys.sign(&claims), ttl)
    }
}

/// Client id and secret from HTTP Basic or the body (`client_secret_basic` / `_post`).
fn client_credentials(request: &TokenRequest<'_>) -> Result<(String, String), OidcError> {
    let body_id = request.param("client_id").filter(|id| !id.is_empty());
    if let Some(header) = request.authorization {
        let (id, secret) = parse_basic(header).ok_or_else(|| {
            OidcError::invalid_request("invalid authorization header value format")
        })?;
        if body_id.is_some_and(|body_id| body_id != id) {
            return Err(OidcError::invalid_request("client_id mismatch"));
        }
        return Ok((id, secret));
    }
    match (body_id, request.param("client_secret")) {
        (Some(id), Some(secret)) => Ok((id.to_owned(), secret.to_owned())),
        _ => Err(OidcError::invalid_request(
            "no client authentication mechanism provided",
        )),
    }
}

/// `Basic base64(urlencode(id):urlencode(secret))`.
fn parse_basic(header: &str) -> Option<(String, String)> {
    let encoded = header.strip_prefix("Basic ")?.trim();
    let decoded = String::from_utf8(STANDARD.decode(encoded).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape = |text: &str| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={text}"))
            .ok()
            .and_then(|pairs| pairs.into_iter().next().map(|(_, value)| value))
    };
    let (id, secret) = (unescape(id)?, unescape(secret)?);
    (!id.is_empty()).then_some((id, secret))
}
