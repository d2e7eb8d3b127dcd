//! `POST /api/connectors/{factoryId}/test`: validate a config, render the
//! `Generic` template with code `000000`, and record the message in the
//! outbox instead of sending it.

use serde_json::{json, Map, Value};

use super::guard::{Field, Guard};
use crate::error::{ApiError, ErrorCode};
use crate::factories::{ConnectorType, Factory};
use crate::issues::Issue;
use crate::state::TemplateEntry;
use crate::store::OutboxMessage;

/// The usage type the test endpoint asks for (as Logto).
pub const TEST_USAGE_TYPE: &str = "Generic";
/// The code the test endpoint sends (as Logto).
pub const TEST_CODE: &str = "000000";

/// A validated test request.
pub struct TestMessage {
    /// Phone number (digits only) or email address.
    pub to: String,
    pub expected_type: ConnectorType,
    pub config: Map<String, Value>,
    pub locale: Option<String>,
}

impl TestMessage {
    /// Logto's body guard: `phone` digits only, `email` like `a@b.c`, `config` required.
    pub fn parse(body: &Value) -> Result<TestMessage, ApiError> {
        let mut guard = Guard::new(body, Vec::new());
        let phone = matching(&mut guard, "phone", is_phone);
        let email = matching(&mut guard, "email", is_email);
        let config = guard.object("config", false);
        if body.is_object() && body.get("config").is_none() {
            guard.issues.push(Issue::invalid_type(
                vec![json!("config")],
                "object",
                "undefined",
            ));
        }
        let locale = guard.string("locale", false, 0, u64::MAX);
        if !guard.issues.is_empty() {
            return Err(ApiError::invalid_input("body", &guard.issues));
        }
        let config = match config {
            Field::Set(config) => config,
            _ => Map::new(),
        };
        let (to, expected_type) = match (phone, email) {
            (Some(phone), _) => (phone, ConnectorType::Sms),
            (None, Some(email)) => (email, ConnectorType::Email),
            // Logto throws this one by hand, without a `type`: the message stays literal.
            (None, None) => return Err(ApiError::new(ErrorCode::GuardInvalidInput)),
        };
        Ok(TestMessage {
            to,
            expected_type,
            config,
            locale,
        })
    }

    /// Checks the factory's type and renders the template: the message to
    /// record. The caller has validated the config (limits and schema); the
    /// message may not be larger than `max_bytes` as JSON (a long `locale`
    /// repeated by many placeholders could otherwise grow without bound).
    /// `stored` is the i18n email template the lookup found (see
    /// [`crate::email_templates::lookup`]); it wins over the config's templates.
    pub fn render(
        &self,
        factory: &Factory,
        stored: Option<&TemplateEntry>,
        max_bytes: usize,
    ) -> Result<OutboxMessage, ApiError> {
        if factory.connector_type != self.expected_type {
            return Err(ApiError::new(ErrorCode::ConnectorUnexpectedType));
        }
        let mut payload = json!({ "code": TEST_CODE });
        if let Some(locale) = &self.locale {
            payload["locale"] = Value::from(locale.clone());
        }
        let template = match stored {
            Some(stored) => Some(Value::Object(stored.record.details.clone())),
            None => generic_template(&self.config)?,
        };
        let email_template = stored.map(|stored| {
            json!({
                "id": stored.record.id,
                "languageTag": stored.record.language_tag,
                "templateType": stored.record.template_type,
            })
        });
        let too_large = || {
            ApiError::limit_exceeded(
                &crate::limits::LimitExceeded::Size { limit: max_bytes },
                "rendered message",
            )
        };
        let rendered = |keys: &[&str]| -> Result<Option<String>, ApiError> {
            let Some(template) = template.as_ref() else {
                return Ok(None);
            };
            keys.iter()
                .find_map(|key| template.get(*key).and_then(Value::as_str))
                .map(|text| render_handlebars(text, &payload, max_bytes).ok_or_else(too_large))
                .transpose()
        };
        let message = OutboxMessage {
            id: 0,
            factory_id: factory.id.clone(),
            connector_type: factory.connector_type.as_str().to_owned(),
            to: self.to.clone(),
            usage_type: TEST_USAGE_TYPE.to_owned(),
            subject: rendered(&["subject"])?,
            content: rendered(&["content", "text", "html"])?,
            payload,
            template,
            email_template,
            sent_at: String::new(),
            sent_at_ms: 0,
        };
        if crate::limits::size_exceeds(
            &serde_json::to_value(&message).unwrap_or_default(),
            max_bytes,
        ) {
            return Err(too_large());
        }
        Ok(message)
    }
}

/// The config's template for `Generic`: an entry of `templates` (most
/// connectors) or `deliveries.Generic` (Mailgun). A config with neither has
/// no template (e.g. the HTTP connectors); one without a `Generic` entry is
/// Logto's `template_not_found`.
fn generic_template(config: &Map<String, Value>) -> Result<Option<Value>, ApiError> {
    let not_found = || {
        ApiError::new(ErrorCode::ConnectorTemplateNotFound).with_data(json!({
            "message": format!("Template not found for type: {TEST_USAGE_TYPE}")
        }))
    };
    if let Some(Value::Array(templates)) = config.get("templates") {
        return templates
            .iter()
            .find(|template| template.get("usageType") == Some(&json!(TEST_USAGE_TYPE)))
            .cloned()
            .map(Some)
            .ok_or_else(not_found);
    }
    if let Some(Value::Object(deliveries)) = config.get("deliveries") {
        return deliveries
            .get(TEST_USAGE_TYPE)
            .cloned()
            .map(Some)
            .ok_or_else(not_found);
    }
    Ok(None)
}

/// An optional string that must match `pattern` (zod's `regex` check).
fn matching(guard: &mut Guard<'_>, key: &str, pattern: fn(&str) -> bool) -> Option<String> {
    let text = guard.string(key, false, 0, u64::MAX)?;
    if pattern(&text) {
        Some(text)
    } else {
        guard.issues.push(
            Issue::plain("invalid_string", vec![json!(key)], "Invalid")
                .with_field("validation", "regex"),
        );
        None
    }
}

/// `/^\d+$/`.
fn is_phone(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// `/^\S+@\S+\.\S+$/`, in linear time: some `@` after the first character,
/// then a `.` at least one character later and before the last character.
fn is_email(text: &str) -> bool {
    if text.chars().any(crate::js::is_whitespace) {
        return false;
    }
    let first_at = text.char_indices().skip(1).find(|(_, c)| *c == '@');
    let last_dot = text
        .char_indices()
        .rev()
        .find(|(index, c)| *c == '.' && index + 1 < text.len());
    match (first_at, last_dot) {
        (Some((at, _)), Some((dot, _))) => dot > at + 1,
        _ => false,
    }
}

/// Replaces `{{ key }}` / `{{a.b}}` whose root key exists in `payload`; a
/// missing nested value becomes `""`, unknown roots stay as written.
/// `None` when the result would be longer than `max_bytes`.
pub fn render_handlebars(text: &str, payload: &Value, max_bytes: usize) -> Option<String> {
    let mut out = String::with_capacity(text.len().min(max_bytes));
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(length) = rest[start + 2..].find("}}") else {
            break;
        };
        let inner = rest[start + 2..start + 2 + length].trim();
        let placeholder = &rest[start..start + 2 + length + 2];
        out.push_str(&rest[..start]);
        let mut path = inner.split('.');
        match path.next().and_then(|root| payload.get(root)) {
            Some(root) => {
                let value = path.try_fold(root, |value, key| value.get(key));
                out.push_str(&match value {
                    Some(Value::String(text)) => text.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                });
            }
            None => out.push_str(placeholder),
        }
        rest = &rest[start + 2 + length + 2..];
        if out.len() > max_bytes {
            return None;
        }
    }
    out.push_str(rest);
    (out.len() <= max_bytes).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handlebars_are_rendered_like_logtos_mock_connectors() {
        let payload = json!({"code": "000000", "user": {"name": "Ada"}});
        assert_eq!(
            render_handlebars(
                "Code {{code}} / {{ code }} for {{user.name}}{{user.age}} {{other}}",
                &payload,
                100
            )
            .unwrap(),
            "Code 000000 / 000000 for Ada {{other}}"
        );
        assert_eq!(
            render_handlebars("{{code", &payload, 100).unwrap(),
            "{{code"
        );
        assert_eq!(
            render_handlebars(&"{{code}}".repeat(100), &payload, 599),
            None
        );
        assert!(render_handlebars(&"{{code}}".repeat(100), &payload, 600).is_some());
    }

    #[test]
    fn phone_and_email_patterns_match_logtos() {
        assert!(is_phone("12345678901"));
        assert!(!is_phone("+1 234"));
        assert!(is_email("a@b.c"));
        assert!(is_email("a@b@c.d"));
        assert!(!is_email("a@b."));
        assert!(!is_email("a@.b"));
        assert!(!is_email("@b.c"));
        assert!(!is_email("a b@c.d"));
        assert!(
            !is_email("a\u{feff}b@c.d"),
            "U+FEFF is JavaScript whitespace"
        );
        assert!(is_email("a\u{85}b@c.d"), "U+0085 is not");
        assert!(is_email("a@b.c."));
        assert!(is_email("a@b.c.d"));
        assert!(is_email("é@é.é"));
        assert!(!is_email("@@."));
        assert!(is_email("a@.@b.c"));
        assert!(!is_email(&"@".repeat(1_000_000)));
    }
}
