//! Access tokens: compact JWS with EdDSA (Ed25519), and their verification
//! with jose-style error descriptions (what Logto puts in `auth.unauthorized`'s `data`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde_json::{json, Map, Value};

/// The signing key pair and its key id.
pub struct TokenKeys {
    signing: SigningKey,
    kid: String,
}

/// Why a token was refused, in the shape jose's errors serialize to.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRejection(pub Value);

impl TokenRejection {
    fn invalid(name: &str, code: &str) -> Self {
        TokenRejection(json!({ "code": code, "name": name }))
    }

    fn claim(name: &str, code: &str, claim: &str, reason: &str) -> Self {
        TokenRejection(json!({ "code": code, "name": name, "claim": claim, "reason": reason }))
    }
}

impl TokenKeys {
    /// Keys from a 32-byte Ed25519 seed.
    pub fn from_seed(seed: &[u8]) -> Option<TokenKeys> {
        let seed: [u8; 32] = seed.try_into().ok()?;
        let signing = SigningKey::from_bytes(&seed);
        let public = signing.verifying_key().to_bytes();
        let kid = URL_SAFE_NO_PAD.encode(&public[..12]);
        Some(TokenKeys { signing, kid })
    }

    /// A fresh random seed.
    pub fn new_seed() -> Vec<u8> {
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed).expect("the OS random source is available");
        seed.to_vec()
    }

    /// The public key as a JWK set (`GET /oidc/jwks`).
    pub fn jwks(&self) -> Value {
        json!({
            "keys": [{
                "kty": "OKP",
                "crv": "Ed25519",
                "x": URL_SAFE_NO_PAD.encode(self.signing.verifying_key().to_bytes()),
                "kid": self.kid,
                "alg": "EdDSA",
                "use": "sig",
            }]
        })
    }

    /// Signs `claims` into a compact JWT.
    pub fn sign(&self, claims: &Map<String, Value>) -> String {
        let header = json!({ "alg": "EdDSA", "typ": "at+jwt", "kid": self.kid });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(Value::Object(claims.clone()).to_string())
        );
        let signature = self.signing.sign(signing_input.as_bytes());
        format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }

    /// Checks the signature, `exp` (against `now` seconds) and `aud`; returns the claims.
    pub fn verify(
        &self,
        token: &str,
        audience: &str,
        now: u64,
    ) -> Result<Map<String, Value>, TokenRejection> {
        let invalid = || TokenRejection::invalid("JWSInvalid", "ERR_JWS_INVALID");
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let header: Value = decode_json(header).ok_or_else(invalid)?;
        if header.get("alg") != Some(&json!("EdDSA")) {
            return Err(TokenRejection::invalid(
                "JOSEAlgNotAllowed",
                "ERR_JOSE_ALG_NOT_ALLOWED",
            ));
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .ok()
            .and_then(|bytes| Signature::from_slice(&bytes).ok())
            .ok_or_else(invalid)?;
        let verifying: VerifyingKey = self.signing.verifying_key();
        let signing_input = &token[..header_and_payload_length(token)];
        if verifying
            .verify(signing_input.as_bytes(), &signature)
            .is_err()
        {
            return Err(TokenRejection::invalid(
                "JWSSignatureVerificationFailed",
                "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
            ));
        }
        let claims = decode_json(payload)
            .and_then(|value: Value| value.as_object().cloned())
            .ok_or_else(|| TokenRejection::invalid("JWTInvalid", "ERR_JWT_INVALID"))?;
        let expires = claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
        if expires <= now {
            return Err(TokenRejection::claim(
                "JWTExpired",
                "ERR_JWT_EXPIRED",
                "exp",
                "check_failed",
            ));
        }
        let audience_ok = match claims.get("aud") {
            Some(Value::String(aud)) => aud == audience,
            Some(Value::Array(auds)) => auds.iter().any(|aud| aud == audience),
            _ => false,
        };
        if !audience_ok {
            return Err(TokenRejection::claim(
                "JWTClaimValidationFailed",
                "ERR_JWT_CLAIM_VALIDATION_FAILED",
                "aud",
                "check_failed",
            ));
        }
        Ok(claims)
    }
}

fn header_and_payload_length(token: &str) -> usize {
    token.rfind('.').unwrap_or(token.len())
}

fn decode_json(part: &str) -> Option<Value> {
    let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::from_seed(&[7u8; 32]).unwrap()
    }

    fn claims(exp: u64, aud: &str) -> Map<String, Value> {
        json!({"sub": "c", "aud": aud, "exp": exp, "scope": "all"})
            .as_object()
            .unwrap()
            .clone()
    }

    #[test]
    fn a_signed_token_verifies_and_returns_its_claims() {
        let token = keys().sign(&claims(200, "https://default.logto.app/api"));
        let verified = keys()
            .verify(&token, "https://default.logto.app/api", 100)
            .unwrap();
        assert_eq!(verified["sub"], "c");
    }

    #[test]
    fn expired_tampered_and_foreign_tokens_are_refused() {
        let token = keys().sign(&claims(200, "aud"));
        let rejection = keys().verify(&token, "aud", 300).unwrap_err();
        assert_eq!(rejection.0["code"], "ERR_JWT_EXPIRED");
        let rejection = keys().verify(&token, "other", 100).unwrap_err();
        assert_eq!(rejection.0["claim"], "aud");
        let other = TokenKeys::from_seed(&[8u8; 32])
            .unwrap()
            .sign(&claims(200, "aud"));
        let rejection = keys().verify(&other, "aud", 100).unwrap_err();
        assert_eq!(rejection.0["code"], "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
        assert_eq!(
            keys().verify("abc", "aud", 100).unwrap_err().0["code"],
            "ERR_JWS_INVALID"
        );
    }
}
