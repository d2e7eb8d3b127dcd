//! The stored form of an i18n email template (`/api/email-templates`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An email template row, as Logto's `email_templates` table holds it
/// (without the tenant, which is part of the key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmailTemplateRecord {
    /// 21 characters of `[0-9a-z]`, as Logto's `generateStandardId`.
    pub id: String,
    /// Up to 16 characters; not checked against Logto's language list (Logto does not either).
    pub language_tag: String,
    /// One of Logto's `TemplateType` values.
    pub template_type: String,
    /// `{subject, content, contentType?, replyTo?, sendFrom?}`.
    pub details: Map<String, Value>,
    /// Milliseconds since the Unix epoch.
    pub created_at: u64,
}

impl EmailTemplateRecord {
    /// The stored bytes (JSON).
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a template always serializes")
    }

    /// Reads stored bytes back.
    pub fn decode(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}
