//! The stored form of a connector.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A connector row, as Logto's `connectors` table holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectorRecord {
    /// Instance id.
    pub id: String,
    /// Factory id.
    pub connector_id: String,
    pub config: Map<String, Value>,
    /// Stored metadata overrides (`target`, `name`, `logo`, `logoDark`).
    pub metadata: Map<String, Value>,
    pub sync_profile: bool,
    pub enable_token_storage: bool,
    /// Milliseconds since the Unix epoch; never served (as in Logto).
    pub created_at: u64,
}

impl ConnectorRecord {
    /// The stored bytes (JSON).
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a record always serializes")
    }

    /// Reads stored bytes back.
    pub fn decode(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}
