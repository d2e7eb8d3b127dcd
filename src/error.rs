//! The one error type of the HTTP API and its table of Logto codes.
//!
//! Every failure a client can see is an [`ApiError`]: an [`ErrorCode`] (which
//! fixes the status, the Logto code and the English message) plus optional
//! `data` and `details`. The body is Logto's `{code, data?, details?, message}`;
//! [`ApiError::localized_body`] renders it in another language (see [`crate::i18n`]).

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

use crate::i18n::{self, Language};
use crate::issues::{zod_error_data, zod_error_details, Issue};

/// Declares [`ErrorCode`] and [`ErrorCode::ALL`] from one list.
macro_rules! error_codes {
    ($($(#[$meta:meta])* $variant:ident,)*) => {
        /// Every error this server answers with. Variants named after Logto's codes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorCode {
            $($(#[$meta])* $variant,)*
        }

        impl ErrorCode {
            /// Every variant, in declaration order (for checks over all codes).
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];
        }
    };
}

error_codes! {
    /// Body is not parseable JSON; Logto answers `{"message"}` only.
    BodySyntax,
    GuardInvalidInput,
    AuthHeaderMissing,
    AuthTokenTypeNotSupported,
    AuthUnauthorized,
    AuthJwtSubMissing,
    AuthForbidden,
    EntityNotFound,
    EntityNotExistsWithId,
    EntityUniqueIntegrityViolation,
    ConnectorNotFound,
    ConnectorNotFoundWithConnectorId,
    ConnectorShouldSpecifyTarget,
    ConnectorCannotOverwriteMetadata,
    ConnectorMultipleInstancesNotSupported,
    ConnectorMultipleTargetWithSamePlatformOnCreate,
    ConnectorMultipleTargetWithSamePlatformOnList,
    ConnectorMoreThanOneEmail,
    ConnectorMoreThanOneSms,
    ConnectorCanNotModifyTarget,
    ConnectorInvalidTypeForSyncingProfile,
    ConnectorTokenStorageNotSupported,
    ConnectorInvalidConfig,
    ConnectorUnexpectedType,
    ConnectorTemplateNotFound,
    ConnectorNotImplemented,
    ConnectorEmailBulkDeletionNoFilter,
    SessionInsufficientInfo,
    MockRouteNotFound,
    MockMethodNotAllowed,
    MockPayloadTooLarge,
    MockUnsupportedMediaType,
    MockPreconditionFailed,
    MockInvalidJsonPatch,
    MockJsonPatchTestFailed,
    MockLimitExceeded,
    MockUnstorable,
    MockStorageUnavailable,
    MockRequestTimeout,
    MockNoDataDirectory,
    MockInvalidTenant,
    MockTenantNotFound,
    MockInvalidFaultRule,
    MockInvalidState,
    MockInjectedFault,
    Internal,
}

impl ErrorCode {
    /// Status, Logto code (absent for body syntax and internal errors) and English message.
    pub fn describe(self) -> (StatusCode, Option<&'static str>, &'static str) {
        use ErrorCode::*;
        use StatusCode as S;
        match self {
            BodySyntax => (S::BAD_REQUEST, None, "invalid JSON"),
            GuardInvalidInput => (
                S::BAD_REQUEST,
                Some("guard.invalid_input"),
                "The request {{type}} is invalid.",
            ),
            AuthHeaderMissing => (
                S::UNAUTHORIZED,
                Some("auth.authorization_header_missing"),
                "Authorization header is missing.",
            ),
            AuthTokenTypeNotSupported => (
                S::UNAUTHORIZED,
                Some("auth.authorization_token_type_not_supported"),
                "Authorization type is not supported.",
            ),
            AuthUnauthorized => (
                S::UNAUTHORIZED,
                Some("auth.unauthorized"),
                "Unauthorized. Please check credentials and its scope.",
            ),
            AuthJwtSubMissing => (
                S::UNAUTHORIZED,
                Some("auth.jwt_sub_missing"),
                "Missing `sub` in JWT.",
            ),
            AuthForbidden => (
                S::FORBIDDEN,
                Some("auth.forbidden"),
                "Forbidden. Please check your user roles and permissions.",
            ),
            EntityNotFound => (
                S::NOT_FOUND,
                Some("entity.not_found"),
                "The resource does not exist.",
            ),
            EntityNotExistsWithId => (
                S::NOT_FOUND,
                Some("entity.not_exists_with_id"),
                "The {{name}} with ID `{{id}}` does not exist.",
            ),
            EntityUniqueIntegrityViolation => (
                S::UNPROCESSABLE_ENTITY,
                Some("entity.unique_integrity_violation"),
                "The entity already exists. Please check the input and try again.",
            ),
            ConnectorNotFound => (
                S::BAD_REQUEST,
                Some("connector.not_found"),
                "Cannot find any available connector for type: {{type}}.",
            ),
            ConnectorNotFoundWithConnectorId => (
                S::UNPROCESSABLE_ENTITY,
                Some("connector.not_found_with_connector_id"),
                "Can not find connector with given standard connector id.",
            ),
            ConnectorShouldSpecifyTarget => (
                S::BAD_REQUEST,
                Some("connector.should_specify_target"),
                "You should specify 'target'.",
            ),
            ConnectorCannotOverwriteMetadata => (
                S::BAD_REQUEST,
                Some("connector.cannot_overwrite_metadata_for_non_standard_connector"),
                "This connector's 'metadata' cannot be overwritten.",
            ),
            ConnectorMultipleInstancesNotSupported => (
                S::UNPROCESSABLE_ENTITY,
                Some("connector.multiple_instances_not_supported"),
                "Can not create multiple instance with picked standard connector.",
            ),
            ConnectorMultipleTargetWithSamePlatformOnCreate => (
                S::UNPROCESSABLE_ENTITY,
                Some("connector.multiple_target_with_same_platform"),
                "You can not have multiple social connectors that have same target and platform.",
            ),
            ConnectorMultipleTargetWithSamePlatformOnList => (
                S::BAD_REQUEST,
                Some("connector.multiple_target_with_same_platform"),
                "You can not have multiple social connectors that have same target and platform.",
            ),
            ConnectorMoreThanOneEmail => (
                S::BAD_REQUEST,
                Some("connector.more_than_one_email"),
                "The number of Email connectors is larger then 1.",
            ),
            ConnectorMoreThanOneSms => (
                S::BAD_REQUEST,
                Some("connector.more_than_one_sms"),
                "The number of SMS connectors is larger then 1.",
            ),
            ConnectorCanNotModifyTarget => (
                S::BAD_REQUEST,
                Some("connector.can_not_modify_target"),
                "The connector 'target' can not be modified.",
            ),
            ConnectorInvalidTypeForSyncingProfile => (
                S::UNPROCESSABLE_ENTITY,
                Some("connector.invalid_type_for_syncing_profile"),
                "You can only sync user profile with social connectors.",
            ),
            ConnectorTokenStorageNotSupported => (
                S::UNPROCESSABLE_ENTITY,
                Some("connector.token_storage_not_supported"),
                "This connector does not support token storage. ",
            ),
            ConnectorInvalidConfig => (
                S::BAD_REQUEST,
                Some("connector.invalid_config"),
                "The connector's config is invalid.",
            ),
            ConnectorUnexpectedType => (
                S::BAD_REQUEST,
                Some("connector.unexpected_type"),
                "The connector's type is unexpected.",
            ),
            ConnectorEmailBulkDeletionNoFilter => (
                S::UNPROCESSABLE_ENTITY,
                Some("connector.email_connector.bulk_deletion_no_filter"),
                "At least one filter condition must be provided to perform bulk deletion by properties. Supported properties are: languageTag and templateType.",
            ),
            ConnectorTemplateNotFound => (
                S::BAD_REQUEST,
                Some("connector.template_not_found"),
                "Unable to find correct template in connector config.",
            ),
            ConnectorNotImplemented => (
                S::NOT_IMPLEMENTED,
                Some("connector.not_implemented"),
                "{{method}}: has not been implemented yet.",
            ),
            SessionInsufficientInfo => (
                S::BAD_REQUEST,
                Some("session.insufficient_info"),
                "Insufficient sign-in info.",
            ),
            MockRouteNotFound => (
                S::NOT_FOUND,
                Some("mock.route_not_found"),
                "connector-mock implements only the connector endpoints of the Logto Management API (/api/connectors, /api/connector-factories, /api/email-templates, /api/status) and its own /_mock/ routes; see its README for the full list.",
            ),
            MockMethodNotAllowed => (
                S::METHOD_NOT_ALLOWED,
                Some("mock.method_not_allowed"),
                "This path does not support this method; the Allow header lists the ones it does.",
            ),
            MockPayloadTooLarge => (
                S::PAYLOAD_TOO_LARGE,
                Some("mock.payload_too_large"),
                "The request body is larger than the limit ([server] body_limit).",
            ),
            MockUnsupportedMediaType => (
                S::UNSUPPORTED_MEDIA_TYPE,
                Some("mock.unsupported_media_type"),
                "Send the body as application/json (PATCH also takes application/merge-patch+json and application/json-patch+json).",
            ),
            MockPreconditionFailed => (
                S::PRECONDITION_FAILED,
                Some("mock.precondition_failed"),
                "The connector has changed since the ETag given in If-Match.",
            ),
            MockInvalidJsonPatch => (
                S::BAD_REQUEST,
                Some("mock.invalid_json_patch"),
                "The JSON Patch (RFC 6902) document could not be applied.",
            ),
            MockJsonPatchTestFailed => (
                S::UNPROCESSABLE_ENTITY,
                Some("mock.json_patch_test_failed"),
                "A JSON Patch `test` operation failed; nothing was changed.",
            ),
            MockLimitExceeded => (
                S::BAD_REQUEST,
                Some("mock.limit_exceeded"),
                "The request would store more than the configured [limits] allow.",
            ),
            MockUnstorable => (
                S::UNPROCESSABLE_ENTITY,
                Some("mock.unstorable"),
                "The connector cannot be stored: it would not read back as sent.",
            ),
            MockStorageUnavailable => (
                S::SERVICE_UNAVAILABLE,
                Some("mock.storage_unavailable"),
                "The change could not be stored (e.g. the disk is full); nothing was changed. Reads keep working; retry later.",
            ),
            MockRequestTimeout => (
                S::REQUEST_TIMEOUT,
                Some("mock.request_timeout"),
                "The request body did not arrive within [server] request_timeout_ms.",
            ),
            MockNoDataDirectory => (
                S::CONFLICT,
                Some("mock.no_data_directory"),
                "This server keeps nothing on disk (--ephemeral), so it has no data directory to write a backup to.",
            ),
            MockInvalidTenant => (
                S::BAD_REQUEST,
                Some("mock.invalid_tenant"),
                "Tenant names are 1 to 63 characters of a-z, 0-9 and '-' (from /t/{tenant} or the first label of the Host header).",
            ),
            MockTenantNotFound => (
                S::NOT_FOUND,
                Some("mock.tenant_not_found"),
                "No tenant of this name exists on this server.",
            ),
            MockInvalidFaultRule => (
                S::BAD_REQUEST,
                Some("mock.invalid_fault_rule"),
                "A fault rule is invalid; data.index and data.field name it.",
            ),
            MockInvalidState => (
                S::BAD_REQUEST,
                Some("mock.invalid_state"),
                "The state document is invalid; nothing was changed.",
            ),
            MockInjectedFault => (
                S::INTERNAL_SERVER_ERROR,
                Some("mock.injected_fault"),
                "This answer was injected by a fault rule (PUT /_mock/faults).",
            ),
            Internal => (
                S::INTERNAL_SERVER_ERROR,
                None,
                "Internal server error.",
            ),
        }
    }
}

/// An error answer: the code plus what Logto would put in `data`/`details`.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: ErrorCode,
    /// `Allow` header value for 405 answers.
    pub allow: Option<&'static str>,
    /// Boxed so that `Result<_, ApiError>` stays small.
    extra: Option<Box<ErrorExtra>>,
}

#[derive(Debug, Clone, Default)]
struct ErrorExtra {
    /// Replaces the table's message in every language (our own wording, JSON syntax errors).
    message: Option<String>,
    /// Values for the message's `{{name}}` placeholders.
    arguments: Vec<(&'static str, String)>,
    data: Option<Value>,
    details: Option<String>,
    /// Logged, never sent: what went wrong inside (for 5xx).
    cause: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode) -> Self {
        ApiError {
            code,
            allow: None,
            extra: None,
        }
    }

    fn extra_mut(&mut self) -> &mut ErrorExtra {
        self.extra.get_or_insert_with(Default::default)
    }

    fn extra(&self) -> Option<&ErrorExtra> {
        self.extra.as_deref()
    }

    pub fn with_data(mut self, data: Value) -> Self {
        self.extra_mut().data = Some(data);
        self
    }

    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.extra_mut().message = Some(message.into());
        self
    }

    /// A value for the `{{name}}` placeholder of the message (in every language).
    pub fn with_argument(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.extra_mut().arguments.push((name, value.into()));
        self
    }

    pub fn with_details(mut self, details: impl Into<String>) -> Self {
        self.extra_mut().details = Some(details.into());
        self
    }

    /// The `data` of the body, if any.
    pub fn data(&self) -> Option<&Value> {
        self.extra().and_then(|extra| extra.data.as_ref())
    }

    /// 400 `guard.invalid_input` for the request part `kind` (`body`, `query`, `params`).
    pub fn invalid_input(kind: &str, issues: &[Issue]) -> Self {
        ApiError::new(ErrorCode::GuardInvalidInput)
            .with_argument("type", kind)
            .with_data(zod_error_data(issues))
            .with_details(zod_error_details(issues))
    }

    /// 400 `connector.invalid_config` with the schema problems.
    pub fn invalid_config(issues: &[Issue]) -> Self {
        ApiError::new(ErrorCode::ConnectorInvalidConfig)
            .with_data(zod_error_data(issues))
            .with_details(zod_error_details(issues))
    }

    /// 400 `{"message": ...}` for a body that is not JSON, as Logto answers.
    pub fn body_syntax(message: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::BodySyntax).with_message(message)
    }

    /// 400 `mock.limit_exceeded`: `what` would break `limit`.
    pub fn limit_exceeded(limit: &crate::limits::LimitExceeded, what: &str) -> Self {
        ApiError::new(ErrorCode::MockLimitExceeded)
            .with_message(limit.describe(what))
            .with_data(serde_json::json!({ "limit": limit.setting(), "value": limit.limit() }))
    }

    /// Adds the index of the JSON Patch operation at fault to `data`.
    pub fn with_operation(mut self, index: usize) -> Self {
        if let Some(Value::Object(data)) = self.extra_mut().data.as_mut() {
            data.insert("operation".into(), Value::from(index));
        }
        self
    }

    /// 500 with a short body; `cause` goes to the log.
    pub fn internal(cause: impl fmt::Display) -> Self {
        let mut error = ApiError::new(ErrorCode::Internal);
        error.extra_mut().cause = Some(cause.to_string());
        error
    }

    /// 500 with a short body; the error and its whole chain of causes go to the log.
    pub fn internal_error(cause: &dyn std::error::Error) -> Self {
        ApiError::internal(crate::state::commit::error_chain(cause))
    }

    /// The Logto-shaped JSON body, in English.
    pub fn body(&self) -> Value {
        self.body_with(self.message())
    }

    /// The body in `language`, or `None` when the message is the same in
    /// every language: English asked for, our own codes (`mock.*`), messages
    /// of our own wording, bodies without a code.
    pub fn localized_body(&self, language: Language) -> Option<Value> {
        if language.is_english() || self.extra().is_some_and(|extra| extra.message.is_some()) {
            return None;
        }
        let (_, code, _) = self.code.describe();
        let template = language.template(code?)?;
        Some(self.body_with(self.interpolated(template)))
    }

    /// The English message: our own wording if set, else the table's with
    /// the arguments filled in.
    fn message(&self) -> Cow<'_, str> {
        match self.extra().and_then(|extra| extra.message.as_deref()) {
            Some(message) => Cow::Borrowed(message),
            None => self.interpolated(self.code.describe().2),
        }
    }

    fn interpolated(&self, template: &'static str) -> Cow<'static, str> {
        match self.extra() {
            Some(extra) if !extra.arguments.is_empty() => {
                let arguments: Vec<(&str, &str)> = extra
                    .arguments
                    .iter()
                    .map(|(name, value)| (*name, value.as_str()))
                    .collect();
                Cow::Owned(i18n::interpolate(template, &arguments))
            }
            _ => Cow::Borrowed(template),
        }
    }

    fn body_with(&self, message: Cow<'_, str>) -> Value {
        let (_, code, _) = self.code.describe();
        let extra = self.extra();
        let mut body = Map::new();
        if let Some(code) = code {
            body.insert("code".into(), Value::from(code));
        }
        if let Some(data) = extra.and_then(|extra| extra.data.as_ref()) {
            body.insert("data".into(), data.clone());
        }
        if let Some(details) = extra.and_then(|extra| extra.details.as_ref()) {
            body.insert("details".into(), Value::from(details.clone()));
        }
        body.insert("message".into(), Value::from(message.into_owned()));
        Value::Object(body)
    }
}

impl From<crate::state::Unavailable> for ApiError {
    fn from(error: crate::state::Unavailable) -> Self {
        ApiError::new(ErrorCode::MockStorageUnavailable)
            .with_data(serde_json::json!({ "reason": error.0 }))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (status, code, _) = self.code.describe();
        write!(f, "{status} {}: {}", code.unwrap_or("-"), self.message())?;
        let extra = self.extra();
        if let Some(cause) = extra.and_then(|extra| extra.cause.as_ref()) {
            write!(f, " (cause: {cause})")?;
        }
        Ok(())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.describe().0
    }

    fn error_response(&self) -> HttpResponse {
        if self.code == ErrorCode::Internal {
            log::error!("{self}");
        }
        let mut response = HttpResponse::build(self.status_code());
        if let Some(allow) = self.allow {
            response.insert_header((header::ALLOW, allow));
        }
        response
            .content_type("application/json; charset=utf-8")
            .body(self.body().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_body_keeps_logtos_key_order_and_omits_absent_keys() {
        let error = ApiError::new(ErrorCode::EntityNotFound);
        assert_eq!(
            error.body().to_string(),
            r#"{"code":"entity.not_found","message":"The resource does not exist."}"#
        );
        let error = ApiError::new(ErrorCode::ConnectorInvalidConfig)
            .with_data(json!({"a": 1}))
            .with_details("line");
        assert_eq!(
            error.body().to_string(),
            r#"{"code":"connector.invalid_config","data":{"a":1},"details":"line","message":"The connector's config is invalid."}"#
        );
    }

    #[test]
    fn a_syntax_error_has_only_a_message() {
        let error = ApiError::body_syntax("Unexpected end of JSON input");
        assert_eq!(
            error.body().to_string(),
            r#"{"message":"Unexpected end of JSON input"}"#
        );
    }
}
