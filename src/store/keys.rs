//! The key layout of the database: one sled tree, keys prefixed by kind.
//!
//! ```text
//! c\0<tenant>\0<connector id>   a connector record (JSON)
//! o\0<tenant>\0<u64 BE id>      an outbox message (JSON)
//! e\0<tenant>\0<template id>    an i18n email template (JSON)
//! t\0<tenant>                   the tenant exists (was seeded); value: `{}`
//! s\0<name>                     a server setting (raw bytes), e.g. the token signing key
//! m\0seq / m\0count             the last commit number and the number of data keys
//! ```
//! Tenant names never contain `\0`; connector ids may (they come last).
//! Iterating a prefix gives connectors in id byte order and messages oldest first.

/// What a data key holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Connector {
        tenant: String,
        id: String,
    },
    Outbox {
        tenant: String,
        id: u64,
    },
    EmailTemplate {
        tenant: String,
        id: String,
    },
    /// Marks a tenant as created (and seeded): it is not seeded again.
    Tenant {
        name: String,
    },
    Setting {
        name: String,
    },
}

pub(super) const META_SEQ: &[u8] = b"m\0seq";
pub(super) const META_COUNT: &[u8] = b"m\0count";
pub(super) const META_PREFIX: &[u8] = b"m\0";

impl Key {
    /// The bytes of the key.
    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        match self {
            Key::Connector { tenant, id } => {
                bytes.extend_from_slice(b"c\0");
                bytes.extend_from_slice(tenant.as_bytes());
                bytes.push(0);
                bytes.extend_from_slice(id.as_bytes());
            }
            Key::Outbox { tenant, id } => {
                bytes.extend_from_slice(b"o\0");
                bytes.extend_from_slice(tenant.as_bytes());
                bytes.push(0);
                bytes.extend_from_slice(&id.to_be_bytes());
            }
            Key::EmailTemplate { tenant, id } => {
                bytes.extend_from_slice(b"e\0");
                bytes.extend_from_slice(tenant.as_bytes());
                bytes.push(0);
                bytes.extend_from_slice(id.as_bytes());
            }
            Key::Tenant { name } => {
                bytes.extend_from_slice(b"t\0");
                bytes.extend_from_slice(name.as_bytes());
            }
            Key::Setting { name } => {
                bytes.extend_from_slice(b"s\0");
                bytes.extend_from_slice(name.as_bytes());
            }
        }
        bytes
    }

    /// Parses a data key; `None` for meta keys and anything unknown.
    pub fn decode(bytes: &[u8]) -> Option<Key> {
        let (kind, rest) = (bytes.get(..2)?, bytes.get(2..)?);
        let text = |bytes: &[u8]| String::from_utf8(bytes.to_vec()).ok();
        match kind {
            b"c\0" => {
                let split = rest.iter().position(|byte| *byte == 0)?;
                Some(Key::Connector {
                    tenant: text(&rest[..split])?,
                    id: text(&rest[split + 1..])?,
                })
            }
            b"o\0" => {
                let split = rest.iter().position(|byte| *byte == 0)?;
                let id: [u8; 8] = rest[split + 1..].try_into().ok()?;
                Some(Key::Outbox {
                    tenant: text(&rest[..split])?,
                    id: u64::from_be_bytes(id),
                })
            }
            b"e\0" => {
                let split = rest.iter().position(|byte| *byte == 0)?;
                Some(Key::EmailTemplate {
                    tenant: text(&rest[..split])?,
                    id: text(&rest[split + 1..])?,
                })
            }
            b"t\0" => Some(Key::Tenant { name: text(rest)? }),
            b"s\0" => Some(Key::Setting { name: text(rest)? }),
            _ => None,
        }
    }

    /// Describes the key for messages, e.g. `connector "abc" of tenant "default"`.
    pub fn describe(&self) -> String {
        match self {
            Key::Connector { tenant, id } => format!("connector {id:?} of tenant {tenant:?}"),
            Key::Outbox { tenant, id } => format!("outbox message {id} of tenant {tenant:?}"),
            Key::EmailTemplate { tenant, id } => {
                format!("email template {id:?} of tenant {tenant:?}")
            }
            Key::Tenant { name } => format!("tenant {name:?}"),
            Key::Setting { name } => format!("setting {name:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_including_odd_ids() {
        for key in [
            Key::Connector {
                tenant: "default".into(),
                id: "a\0b/c d".into(),
            },
            Key::Outbox {
                tenant: "acme".into(),
                id: 42,
            },
            Key::Tenant {
                name: "acme".into(),
            },
            Key::EmailTemplate {
                tenant: "acme".into(),
                id: "t1".into(),
            },
            Key::Setting {
                name: "token-signing-key".into(),
            },
        ] {
            assert_eq!(Key::decode(&key.encode()), Some(key));
        }
        assert_eq!(Key::decode(META_SEQ), None);
        assert_eq!(Key::decode(b"x"), None);
    }

    #[test]
    fn outbox_keys_sort_by_id() {
        let key = |id| {
            Key::Outbox {
                tenant: "t".into(),
                id,
            }
            .encode()
        };
        assert!(key(2) < key(256));
    }
}
