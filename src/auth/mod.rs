//! Logto-compatible authentication: the client-credentials token endpoint and
//! the Bearer check in front of the Management API.

pub mod client_credentials;
pub mod jwt;

use bytes::Bytes;
use serde_json::{json, Value};
use subtle::ConstantTimeEq;

use crate::config::{AuthConfig, AuthMode};
use crate::error::{ApiError, ErrorCode};
use crate::state::State;
use jwt::TokenKeys;

/// Compares secrets in time that does not depend on where they differ.
pub fn secrets_equal(given: &str, expected: &str) -> bool {
    given.as_bytes().ct_eq(expected.as_bytes()).into()
}

/// The Management API resource indicator of a tenant (Logto's `getManagementApiResourceIndicator`).
pub fn management_resource(tenant: &str) -> String {
    format!("https://{tenant}.logto.app/api")
}

/// Everything about who may call the API.
pub struct Authenticator {
    config: AuthConfig,
    keys: TokenKeys,
    jwks: Bytes,
}

impl Authenticator {
    /// Loads (or creates and stores, once) the token signing key.
    pub fn load(config: &AuthConfig, state: &State) -> Result<Authenticator, String> {
        let seed = state
            .setting_or_create("token-signing-key", TokenKeys::new_seed)
            .map_err(|error| format!("cannot store the token signing key: {error}"))?;
        let keys = TokenKeys::from_seed(&seed)
            .ok_or("the stored token signing key is not 32 bytes (restore a backup)")?;
        let jwks = Bytes::from(keys.jwks().to_string());
        Ok(Authenticator {
            config: config.clone(),
            keys,
            jwks,
        })
    }

    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    /// `GET /oidc/jwks` (rendered once).
    pub fn jwks(&self) -> &Bytes {
        &self.jwks
    }

    /// Logto's `koaAuth`: the `Authorization` header must carry a valid token
    /// for the tenant's Management API with scope `all`.
    pub fn check_bearer(&self, header: Option<&str>, tenant: &str) -> Result<(), ApiError> {
        if self.config.mode == AuthMode::None {
            return Ok(());
        }
        let header = header.ok_or_else(|| ApiError::new(ErrorCode::AuthHeaderMissing))?;
        if !header.starts_with("Bearer") {
            return Err(ApiError::new(ErrorCode::AuthTokenTypeNotSupported)
                .with_data(json!({ "supportedTypes": ["Bearer"] })));
        }
        let token = header.get(7..).unwrap_or("");
        let is_static = self
            .config
            .static_tokens
            .iter()
            .fold(false, |found, known| found | secrets_equal(token, known));
        if is_static {
            return Ok(());
        }
        let claims = self
            .keys
            .verify(
                token,
                &management_resource(tenant),
                crate::time::now_millis() / 1000,
            )
            .map_err(|rejection| {
                ApiError::new(ErrorCode::AuthUnauthorized).with_data(rejection.0)
            })?;
        if !claims.get("sub").is_some_and(Value::is_string) {
            return Err(ApiError::new(ErrorCode::AuthJwtSubMissing));
        }
        let scopes = match claims.get("scope") {
            None => "",
            Some(Value::String(scope)) => scope.as_str(),
            Some(_) => {
                return Err(ApiError::new(ErrorCode::AuthUnauthorized)
                    .with_data(json!({ "name": "ZodError" })))
            }
        };
        if scopes.split(' ').any(|scope| scope == "all") {
            Ok(())
        } else {
            Err(ApiError::new(ErrorCode::AuthForbidden))
        }
    }
}
