//! The stored form of a connector.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::StoreError;

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
    pub(super) fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a record always serializes")
    }

    pub(super) fn decode(bytes: &[u8]) -> Result<Self, StoreError> {
        serde_json::from_slice(bytes).map_err(|error| {
            StoreError(format!("corrupt connector record in the database: {error}"))
        })
    }
}
