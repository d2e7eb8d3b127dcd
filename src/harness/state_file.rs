//! State files: the connectors of one or more tenants as JSON, written by
//! `GET /_mock/state` and `connector-mock export`, read by `PUT /_mock/state`
//! and `connector-mock import`.
//!
//! The text is canonical (tenants by name, connectors by id, fixed key
//! order, two-space indent, final newline), so export → import → export
//! gives the same bytes.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::connectors::ConnectorService;
use crate::state::{Entry, Snapshot, TemplateEntry};
use crate::store::{ConnectorRecord, EmailTemplateRecord, Loaded};

/// The `format` field of every state file.
pub const STATE_FORMAT: &str = "connector-mock-state";

/// A state file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StateFile {
    /// Always [`STATE_FORMAT`].
    pub format: String,
    pub version: u32,
    pub tenants: BTreeMap<String, StateTenant>,
}

/// One tenant of a state file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StateTenant {
    /// Stored records, ordered by id.
    pub connectors: Vec<ConnectorRecord>,
    /// I18n email templates, ordered by language tag and type (absent when none).
    #[serde(
        rename = "emailTemplates",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub email_templates: Vec<EmailTemplateRecord>,
}

/// A tenant of a state file, checked and ready to replace the stored one.
pub struct CheckedTenant {
    pub name: String,
    pub entries: Vec<Arc<Entry>>,
    pub templates: Vec<Arc<TemplateEntry>>,
}

impl StateFile {
    /// An empty state file.
    pub fn new() -> StateFile {
        StateFile {
            format: STATE_FORMAT.to_owned(),
            version: 1,
            tenants: BTreeMap::new(),
        }
    }

    /// Adds a tenant from its published snapshot.
    pub fn add_snapshot(&mut self, name: &str, snapshot: &Snapshot) {
        let connectors = snapshot
            .entries()
            .map(|entry| entry.record().clone())
            .collect();
        let email_templates = snapshot
            .templates()
            .map(|template| template.record.clone())
            .collect();
        self.tenants.insert(
            name.to_owned(),
            StateTenant {
                connectors,
                email_templates,
            },
        );
    }

    /// The tenants of what a store loaded (all, or only `only`).
    pub fn of_loaded(loaded: &Loaded, only: Option<&str>) -> StateFile {
        let mut file = StateFile::new();
        for (name, data) in &loaded.tenants {
            if only.is_some_and(|only| only != name) {
                continue;
            }
            let connectors = data
                .connectors
                .iter()
                .map(|(record, _)| record.clone())
                .collect();
            let mut email_templates: Vec<EmailTemplateRecord> = data
                .email_templates
                .iter()
                .map(|(template, _)| template.clone())
                .collect();
            email_templates.sort_by(|a, b| {
                (&a.language_tag, &a.template_type).cmp(&(&b.language_tag, &b.template_type))
            });
            file.tenants.insert(
                name.clone(),
                StateTenant {
                    connectors,
                    email_templates,
                },
            );
        }
        if let Some(only) = only {
            file.tenants.entry(only.to_owned()).or_default();
        }
        file
    }

    /// The canonical text.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a state file always serializes");
        bytes.push(b'\n');
        bytes
    }

    /// Parses a state file.
    pub fn parse(bytes: &[u8]) -> Result<StateFile, String> {
        serde_json::from_slice(bytes)
            .map_err(|error| format!("not a connector-mock state file: {error}"))
            .and_then(StateFile::of_this_format)
    }

    /// A state file from a JSON document already parsed (`PUT /_mock/state`).
    pub fn from_value(value: serde_json::Value) -> Result<StateFile, String> {
        serde_json::from_value(value)
            .map_err(|error| format!("not a connector-mock state file: {error}"))
            .and_then(StateFile::of_this_format)
    }

    fn of_this_format(file: StateFile) -> Result<StateFile, String> {
        if file.format != STATE_FORMAT || file.version != 1 {
            return Err(format!(
                "not a connector-mock state file (format {:?}, version {}; expected {STATE_FORMAT:?}, 1)",
                file.format, file.version
            ));
        }
        Ok(file)
    }

    /// Checks every tenant and connector (as `POST /api/connectors` would:
    /// installed factory, valid config, limits; unique ids); the first problem is the error.
    pub fn check(&self, service: &ConnectorService) -> Result<Vec<CheckedTenant>, String> {
        self.tenants
            .iter()
            .map(|(name, tenant)| {
                if !super::valid_tenant_name(name) {
                    return Err(format!(
                        "tenants.{name:?}: not a tenant name (1 to 63 of a-z, 0-9, '-')"
                    ));
                }
                let mut seen = BTreeSet::new();
                let entries = tenant
                    .connectors
                    .iter()
                    .enumerate()
                    .map(|(index, record)| {
                        let place = format!("tenants.{name}.connectors[{index}]");
                        if !seen.insert(record.id.as_str()) {
                            return Err(format!("{place}: id {:?} appears twice", record.id));
                        }
                        service
                            .imported_entry(record.clone())
                            .map_err(|error| format!("{place} ({:?}): {}", record.id, error.body()))
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                let templates = crate::email_templates::imported(&tenant.email_templates).map_err(
                    |(index, reason)| format!("tenants.{name}.emailTemplates[{index}]: {reason}"),
                )?;
                Ok(CheckedTenant {
                    name: name.clone(),
                    entries,
                    templates,
                })
            })
            .collect()
    }
}

impl Default for StateFile {
    fn default() -> Self {
        StateFile::new()
    }
}
