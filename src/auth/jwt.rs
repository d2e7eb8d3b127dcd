//! Access tokens: compact JWS with EdDSA (Ed25519), signed and verified by the
//! `jsonwebtoken` crate, with its errors described the way jose does (what Logto
//! puts in `auth.unauthorized`'s `data`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::dangerous::insecure_decode_claims;
use jsonwebtoken::errors::{Error, ErrorKind};
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk};
use jsonwebtoken::{decode, decode_header, encode, Algorithm, DecodingKey, EncodingKey, Header};
use jsonwebtoken::{TokenData, Validation};
use serde_json::{json, Map, Value};

/// PKCS#8 v1 `PrivateKeyInfo` for Ed25519 (RFC 8410) up to the 32-byte seed:
/// SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }.
const PKCS8_ED25519_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// The signing key pair and its key id.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// The public key, base64url (the JWK's `x`).
    public: String,
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

    fn jws_invalid() -> Self {
        TokenRejection::invalid("JWSInvalid", "ERR_JWS_INVALID")
    }

    fn alg_not_allowed() -> Self {
        TokenRejection::invalid("JOSEAlgNotAllowed", "ERR_JOSE_ALG_NOT_ALLOWED")
    }

    fn signature_failed() -> Self {
        TokenRejection::invalid(
            "JWSSignatureVerificationFailed",
            "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
        )
    }

    fn jwt_invalid() -> Self {
        TokenRejection::invalid("JWTInvalid", "ERR_JWT_INVALID")
    }

    fn expired() -> Self {
        TokenRejection::claim("JWTExpired", "ERR_JWT_EXPIRED", "exp", "check_failed")
    }

    fn audience() -> Self {
        TokenRejection::claim(
            "JWTClaimValidationFailed",
            "ERR_JWT_CLAIM_VALIDATION_FAILED",
            "aud",
            "check_failed",
        )
    }
}

impl TokenKeys {
    /// Keys from a 32-byte Ed25519 seed.
    pub fn from_seed(seed: &[u8]) -> Option<TokenKeys> {
        if seed.len() != 32 {
            return None;
        }
        let mut der = Vec::with_capacity(48);
        der.extend_from_slice(&PKCS8_ED25519_PREFIX);
        der.extend_from_slice(seed);
        let encoding = EncodingKey::from_ed_der(&der);
        let jwk = Jwk::from_encoding_key(&encoding, Algorithm::EdDSA).ok()?;
        let AlgorithmParameters::OctetKeyPair(pair) = jwk.algorithm else {
            return None;
        };
        let public = pair.x;
        let decoding = DecodingKey::from_ed_components(&public).ok()?;
        let public_bytes = URL_SAFE_NO_PAD.decode(&public).ok()?;
        let kid = URL_SAFE_NO_PAD.encode(public_bytes.get(..12)?);
        Some(TokenKeys {
            encoding,
            decoding,
            public,
            kid,
        })
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
                "x": self.public,
                "kid": self.kid,
                "alg": "EdDSA",
                "use": "sig",
            }]
        })
    }

    /// Signs `claims` into a compact JWT.
    pub fn sign(&self, claims: &Map<String, Value>) -> String {
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some("at+jwt".to_owned());
        header.kid = Some(self.kid.clone());
        encode(&header, claims, &self.encoding).expect("an Ed25519 key signs any JSON object")
    }

    /// Checks the signature, `exp` (against `now` seconds) and `aud`, in that
    /// order; returns the claims.
    pub fn verify(
        &self,
        token: &str,
        audience: &str,
        now: u64,
    ) -> Result<Map<String, Value>, TokenRejection> {
        let mut validation = Validation::new(Algorithm::EdDSA);
        // `exp` is checked below against `now` (jsonwebtoken reads the system clock).
        validation.validate_exp = false;
        validation.required_spec_claims = ["aud".to_owned()].into();
        validation.set_audience(&[audience]);
        let claims = match decode::<Map<String, Value>>(token, &self.decoding, &validation) {
            Ok(TokenData { claims, .. }) => claims,
            // Audience errors come only after the signature has been verified. The
            // mock has always reported an expired token first (jose checks `aud`
            // first), so look at `exp` before answering.
            Err(error) if is_audience_error(&error) => {
                let claims = insecure_decode_claims::<Map<String, Value>>(token)
                    .map_err(|_| TokenRejection::jwt_invalid())?;
                check_expiry(&claims, now)?;
                return Err(TokenRejection::audience());
            }
            Err(error) => return Err(rejection(token, &error)),
        };
        check_expiry(&claims, now)?;
        Ok(claims)
    }
}

/// `exp` must be a whole number of seconds after `now`; a missing one has expired.
fn check_expiry(claims: &Map<String, Value>, now: u64) -> Result<(), TokenRejection> {
    let expires = claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
    if expires <= now {
        return Err(TokenRejection::expired());
    }
    Ok(())
}

fn is_audience_error(error: &Error) -> bool {
    match error.kind() {
        ErrorKind::InvalidAudience => true,
        ErrorKind::MissingRequiredClaim(claim) | ErrorKind::InvalidClaimFormat(claim) => {
            claim == "aud"
        }
        _ => false,
    }
}

/// The jose error for a `jsonwebtoken` failure other than the audience.
fn rejection(token: &str, error: &Error) -> TokenRejection {
    match error.kind() {
        ErrorKind::InvalidAlgorithm => TokenRejection::alg_not_allowed(),
        ErrorKind::InvalidSignature => TokenRejection::signature_failed(),
        // JSON that is not a claims object (the header, when it is the culprit, is
        // looked at again below).
        ErrorKind::Json(_) if decode_header(token).is_ok() => TokenRejection::jwt_invalid(),
        ErrorKind::Json(_) => header_rejection(token),
        _ => TokenRejection::jws_invalid(),
    }
}

/// A header `jsonwebtoken` cannot read. If it is JSON at all, an `alg` it does not
/// know (`none`, `ES512`, …), a missing one or a header that is not an object is not
/// allowed, as before; an `EdDSA` header with odd other members, or one that is not
/// JSON, is invalid.
fn header_rejection(token: &str) -> TokenRejection {
    let header = token
        .split('.')
        .next()
        .and_then(|part| URL_SAFE_NO_PAD.decode(part).ok())
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok());
    match header {
        Some(header) if header.get("alg") != Some(&json!("EdDSA")) => {
            TokenRejection::alg_not_allowed()
        }
        _ => TokenRejection::jws_invalid(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUD: &str = "https://default.logto.app/api";

    fn keys() -> TokenKeys {
        TokenKeys::from_seed(&[7u8; 32]).unwrap()
    }

    fn claims(exp: u64, aud: Value) -> Map<String, Value> {
        json!({"sub": "c", "aud": aud, "exp": exp, "scope": "all"})
            .as_object()
            .unwrap()
            .clone()
    }

    fn b64(value: &Value) -> String {
        URL_SAFE_NO_PAD.encode(value.to_string())
    }

    fn code(result: Result<Map<String, Value>, TokenRejection>) -> Value {
        result.unwrap_err().0
    }

    #[test]
    fn a_signed_token_verifies_and_returns_its_claims() {
        let token = keys().sign(&claims(200, json!(AUD)));
        let verified = keys().verify(&token, AUD, 100).unwrap();
        assert_eq!(verified, claims(200, json!(AUD)));
        let header: Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(token.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            header,
            json!({"alg": "EdDSA", "typ": "at+jwt", "kid": keys().kid})
        );
    }

    #[test]
    fn a_token_signed_before_jsonwebtoken_still_verifies() {
        // The old hand-written format (header members in the order alg, typ, kid),
        // signed with seed [7; 32] by `openssl pkeyutl -sign -rawin` (Ed25519 is
        // deterministic: the old signer produced these very bytes).
        let token = "eyJhbGciOiJFZERTQSIsInR5cCI6ImF0K2p3dCIsImtpZCI6IjZrcHNZLUtjVWdxLTlWQjcifQ.\
            eyJzdWIiOiJjIiwiYXVkIjoiaHR0cHM6Ly9kZWZhdWx0LmxvZ3RvLmFwcC9hcGkiLCJleHAiOjQxMDI0NDQ4MDAsInNjb3BlIjoiYWxsIn0.\
            Z6SoyYE4B0Ik6W2IYVzYbN12IyLApRhnU-mtQaLDYK7di7R3Z64CB3P2ZrO9_UOBvRhLKaCNGCnd26lNOY5_DQ";
        assert_eq!(keys().kid, "6kpsY-KcUgq-9VB7");
        let verified = keys().verify(token, AUD, 100).unwrap();
        assert_eq!(verified, claims(4102444800, json!(AUD)));
    }

    #[test]
    fn an_audience_array_containing_the_audience_is_accepted() {
        let token = keys().sign(&claims(200, json!(["other", AUD])));
        assert!(keys().verify(&token, AUD, 100).is_ok());
        let token = keys().sign(&claims(200, json!(["other", "more"])));
        assert_eq!(
            code(keys().verify(&token, AUD, 100)),
            json!({"code": "ERR_JWT_CLAIM_VALIDATION_FAILED", "name": "JWTClaimValidationFailed", "claim": "aud", "reason": "check_failed"})
        );
    }

    #[test]
    fn expired_and_foreign_audience_tokens_are_refused_expiry_first() {
        let expired = json!({"code": "ERR_JWT_EXPIRED", "name": "JWTExpired", "claim": "exp", "reason": "check_failed"});
        let token = keys().sign(&claims(200, json!(AUD)));
        assert_eq!(code(keys().verify(&token, AUD, 200)), expired);
        assert_eq!(code(keys().verify(&token, AUD, 300)), expired);
        assert_eq!(code(keys().verify(&token, "other", 300)), expired);
        assert_eq!(
            code(keys().verify(&token, "other", 100)),
            json!({"code": "ERR_JWT_CLAIM_VALIDATION_FAILED", "name": "JWTClaimValidationFailed", "claim": "aud", "reason": "check_failed"})
        );
        let mut no_exp = claims(0, json!(AUD));
        no_exp.remove("exp");
        assert_eq!(
            code(keys().verify(&keys().sign(&no_exp), AUD, 100)),
            expired
        );
        let mut no_aud = claims(200, json!(AUD));
        no_aud.remove("aud");
        assert_eq!(
            code(keys().verify(&keys().sign(&no_aud), AUD, 100))["claim"],
            "aud"
        );
        assert_eq!(
            code(keys().verify(&keys().sign(&no_aud), AUD, 300)),
            expired
        );
        let numeric_aud = keys().sign(&claims(200, json!(5)));
        assert_eq!(code(keys().verify(&numeric_aud, AUD, 100))["claim"], "aud");
    }

    #[test]
    fn tampered_and_foreign_signatures_are_refused() {
        let failed = json!({"code": "ERR_JWS_SIGNATURE_VERIFICATION_FAILED", "name": "JWSSignatureVerificationFailed"});
        let token = keys().sign(&claims(200, json!(AUD)));
        let parts: Vec<&str> = token.split('.').collect();
        let tampered = format!(
            "{}.{}.{}",
            parts[0],
            b64(&json!({"sub": "admin", "aud": AUD, "exp": 200, "scope": "all"})),
            parts[2]
        );
        assert_eq!(code(keys().verify(&tampered, AUD, 100)), failed);
        let other = TokenKeys::from_seed(&[8u8; 32])
            .unwrap()
            .sign(&claims(200, json!(AUD)));
        assert_eq!(code(keys().verify(&other, AUD, 100)), failed);
        let truncated = format!("{}.{}.AAAAAAAAAAAAAA", parts[0], parts[1]);
        assert_eq!(code(keys().verify(&truncated, AUD, 100)), failed);
    }

    #[test]
    fn other_algorithms_are_not_allowed() {
        let not_allowed = json!({"code": "ERR_JOSE_ALG_NOT_ALLOWED", "name": "JOSEAlgNotAllowed"});
        let payload = b64(&Value::Object(claims(200, json!(AUD))));
        let hs256 = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims(200, json!(AUD)),
            &EncodingKey::from_secret(keys().public.as_bytes()).unwrap(),
        )
        .unwrap();
        assert_eq!(code(keys().verify(&hs256, AUD, 100)), not_allowed);
        for header in [
            json!({"alg": "none"}),
            json!({"alg": "ES512", "typ": "JWT"}),
            json!({"typ": "JWT"}),
            json!({"alg": 1}),
            json!([]),
        ] {
            let token = format!("{}.{payload}.", b64(&header));
            assert_eq!(
                code(keys().verify(&token, AUD, 100)),
                not_allowed,
                "{header}"
            );
        }
    }

    #[test]
    fn garbage_is_an_invalid_jws() {
        let invalid = json!({"code": "ERR_JWS_INVALID", "name": "JWSInvalid"});
        let token = keys().sign(&claims(200, json!(AUD)));
        let parts: Vec<&str> = token.split('.').collect();
        for garbage in [
            "abc".to_owned(),
            "".to_owned(),
            "..".to_owned(),
            "not.a.jwt".to_owned(),
            format!("{token}."),
            format!("a.{token}"),
            format!("bm90IGpzb24.{}.{}", parts[1], parts[2]),
            format!("{}.{}.!!", parts[0], parts[1]),
            format!(
                "{}.{}.{}",
                b64(&json!({"alg": "EdDSA", "kid": 5})),
                parts[1],
                parts[2]
            ),
        ] {
            assert_eq!(
                code(keys().verify(&garbage, AUD, 100)),
                invalid,
                "{garbage}"
            );
        }
    }

    #[test]
    fn a_signed_payload_that_is_not_an_object_is_an_invalid_jwt() {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(keys().kid.clone());
        for payload in [json!([1, 2, 3, 4, 5]), json!("claims"), json!(null)] {
            let token = jsonwebtoken::encode(&header, &payload, &keys().encoding).unwrap();
            assert_eq!(
                code(keys().verify(&token, AUD, 100)),
                json!({"code": "ERR_JWT_INVALID", "name": "JWTInvalid"}),
                "{payload}"
            );
        }
    }

    #[test]
    fn the_jwk_publishes_the_public_key_of_the_seed() {
        // RFC 8032 section 7.1, test 1.
        let seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
        let public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
        let hex = |text: &str| -> Vec<u8> {
            (0..text.len())
                .step_by(2)
                .map(|at| u8::from_str_radix(&text[at..at + 2], 16).unwrap())
                .collect()
        };
        let keys = TokenKeys::from_seed(&hex(seed)).unwrap();
        let jwks = keys.jwks();
        assert_eq!(
            jwks,
            json!({"keys": [{
                "kty": "OKP",
                "crv": "Ed25519",
                "x": URL_SAFE_NO_PAD.encode(hex(public)),
                "kid": URL_SAFE_NO_PAD.encode(&hex(public)[..12]),
                "alg": "EdDSA",
                "use": "sig",
            }]})
        );
        assert!(TokenKeys::from_seed(&[7u8; 31]).is_none());
        assert!(TokenKeys::from_seed(&[7u8; 33]).is_none());
        assert_eq!(TokenKeys::new_seed().len(), 32);
    }
}
