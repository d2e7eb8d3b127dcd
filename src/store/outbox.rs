//! The outbox: messages the passwordless test endpoint "sent".

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One recorded message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessage {
    /// Increasing number, unique per database.
    pub id: u64,
    pub factory_id: String,
    /// `Email` or `Sms`.
    #[serde(rename = "type")]
    pub connector_type: String,
    /// Recipient: email address or phone number.
    pub to: String,
    /// The template usage type asked for (the test endpoint always asks for `Generic`).
    pub usage_type: String,
    pub payload: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<Value>,
    /// The stored i18n email template used (`{id, languageTag, templateType}`);
    /// absent when the config's template was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_template: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// RFC 3339 UTC time with milliseconds.
    pub sent_at: String,
    /// The same instant in milliseconds since the Unix epoch.
    pub sent_at_ms: u64,
}

impl OutboxMessage {
    /// The stored bytes, which are also what `GET /_mock/outbox` serves (JSON).
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a message always serializes")
    }

    /// Reads stored bytes back.
    pub fn decode(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}
