//! Logto-compatible authentication: the client-credentials token endpoint and
//! the Bearer check in front of the Management API.

pub mod client_credentials;
pub mod jwt;

use serde_json::{json, Value};

use crate::config::{AuthConfig, AuthMode};
use crate::error::{ApiError, ErrorCode};
use crate::store::{Store, StoreError};
use jwt::TokenKeys;

/// The Management API resource indicator of a tenant (Logto's `getManagementApiResourceIndicator`).
pub fn management_resource(tenant: &str) -> String {
    format!("https://{tenant}.logto.app/api")
}

/// Everything about who may call the API.
pub struct Authenticator {
    config: AuthConfig,
    keys: TokenKeys,
}

impl Authenticator {
    /// Loads (or creates, once) the signing key kept in the store.
    pub fn load(config: &AuthConfig, store: &Store) -> Result<Authenticator, StoreError> {
        let seed = store.setting_or_create("token-signing-key", TokenKeys::new_seed)?;
        let keys = TokenKeys::from_seed(&seed)
            .ok_or_else(|| StoreError::corrupt("the stored token signing key is not 32 bytes"))?;
        Ok(Authenticator {
            config: config.clone(),
            keys,
        })
    }

    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    /// `GET /oidc/jwks`.
    pub fn jwks(&self) -> Value {
        self.keys.jwks()
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
        if self.config.static_tokens.iter().any(|known| known == token) {
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
