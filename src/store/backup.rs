//! Backups: every tenant's connectors and outbox and the server's settings as
//! one JSON file, written atomically (temporary file, `fsync`, rename).
//!
//! `POST /_mock/backup` and `connector-mock backup` write one;
//! `connector-mock restore` puts one back into a data directory.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use super::{
    ConnectorRecord, EmailTemplateRecord, Key, Loaded, OutboxMessage, StoreError, TENANT_MARK,
};

/// The `format` field of every backup file.
pub const BACKUP_FORMAT: &str = "connector-mock-backup";

/// A backup file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Backup {
    /// Always [`BACKUP_FORMAT`].
    pub format: String,
    pub version: u32,
    /// RFC 3339 UTC time the backup was taken.
    pub created_at: String,
    /// The commit the backup reflects.
    pub commit: u64,
    /// Server settings (e.g. the token signing key), base64.
    pub settings: BTreeMap<String, String>,
    pub tenants: BTreeMap<String, BackupTenant>,
}

/// One tenant in a backup.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackupTenant {
    pub connectors: Vec<ConnectorRecord>,
    pub outbox: Vec<OutboxMessage>,
    /// The tenant was seeded (absent in older backups: seeded again on first use).
    #[serde(default)]
    pub registered: bool,
    /// I18n email templates (absent when there are none, and in older backups).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_templates: Vec<EmailTemplateRecord>,
}

/// Backups kept in a data directory's `backups/` folder by `POST /_mock/backup`.
pub const BACKUPS_KEPT: usize = 10;

/// Writes `backup` into `data_dir/backups/` and removes all but the newest
/// [`BACKUPS_KEPT`] there; returns the new file and its size.
pub fn write_into(
    data_dir: &Path,
    backup: &Backup,
) -> Result<(std::path::PathBuf, u64), StoreError> {
    let folder = data_dir.join("backups");
    let name = format!(
        "backup-{}-commit-{}.json",
        backup.created_at.replace(':', "-"),
        backup.commit
    );
    let path = folder.join(name);
    let bytes = backup.write(&path)?;
    let mut existing: Vec<std::path::PathBuf> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| {
                    path.file_name()
                        .and_then(|name| name.to_str())
                        .is_some_and(|name| name.starts_with("backup-") && name.ends_with(".json"))
                })
                .collect()
        })
        .unwrap_or_default();
    existing.sort();
    let surplus = existing.len().saturating_sub(BACKUPS_KEPT);
    for old in existing.into_iter().take(surplus) {
        let _ = std::fs::remove_file(old);
    }
    Ok((path, bytes))
}

impl Backup {
    /// Every key and value the backup stands for.
    pub fn entries(&self) -> Result<Vec<(Key, Bytes)>, String> {
        if self.format != BACKUP_FORMAT || self.version != 1 {
            return Err(format!(
                "not a connector-mock backup (format {:?}, version {})",
                self.format, self.version
            ));
        }
        let mut entries = Vec::new();
        for (name, value) in &self.settings {
            let bytes = STANDARD
                .decode(value)
                .map_err(|_| format!("settings.{name} is not base64"))?;
            entries.push((Key::Setting { name: name.clone() }, Bytes::from(bytes)));
        }
        for (tenant, data) in &self.tenants {
            if data.registered {
                let key = Key::Tenant {
                    name: tenant.clone(),
                };
                entries.push((key, Bytes::from_static(TENANT_MARK)));
            }
            for record in &data.connectors {
                let key = Key::Connector {
                    tenant: tenant.clone(),
                    id: record.id.clone(),
                };
                entries.push((key, Bytes::from(record.encode())));
            }
            for message in &data.outbox {
                let key = Key::Outbox {
                    tenant: tenant.clone(),
                    id: message.id,
                };
                entries.push((key, Bytes::from(message.encode())));
            }
            for template in &data.email_templates {
                let key = Key::EmailTemplate {
                    tenant: tenant.clone(),
                    id: template.id.clone(),
                };
                entries.push((key, Bytes::from(template.encode())));
            }
        }
        Ok(entries)
    }

    /// A backup of what a store loaded (used by the offline `backup` command).
    pub fn of_loaded(loaded: &Loaded) -> Backup {
        Backup {
            format: BACKUP_FORMAT.to_owned(),
            version: 1,
            created_at: crate::time::rfc3339(crate::time::now_millis()),
            commit: loaded.committed.seq,
            settings: loaded
                .settings
                .iter()
                .map(|(name, value)| (name.clone(), STANDARD.encode(value)))
                .collect(),
            tenants: loaded
                .tenants
                .iter()
                .map(|(name, data)| {
                    let tenant = BackupTenant {
                        connectors: data.connectors.iter().map(|(r, _)| r.clone()).collect(),
                        outbox: data.outbox.iter().map(|(m, _)| m.clone()).collect(),
                        registered: data.registered,
                        email_templates: data
                            .email_templates
                            .iter()
                            .map(|(t, _)| t.clone())
                            .collect(),
                    };
                    (name.clone(), tenant)
                })
                .collect(),
        }
    }

    /// Reads a backup file.
    pub fn read(path: &Path) -> Result<Backup, String> {
        let bytes = std::fs::read(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        serde_json::from_slice(&bytes)
            .map_err(|error| format!("{} is not a valid backup: {error}", path.display()))
    }

    /// Writes the backup to `path` atomically (never a half-written file).
    pub fn write(&self, path: &Path) -> Result<u64, StoreError> {
        let text = serde_json::to_vec_pretty(self).expect("a backup always serializes");
        let dir = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let io = |what: &str| StoreError::io(format!("{what} {}", path.display()));
        std::fs::create_dir_all(dir).map_err(io("cannot create the folder of"))?;
        let mut file = tempfile::NamedTempFile::new_in(dir).map_err(io("cannot write"))?;
        file.write_all(&text).map_err(io("cannot write"))?;
        file.as_file().sync_all().map_err(io("cannot write"))?;
        file.persist(path)
            .map_err(|error| error.error)
            .map_err(io("cannot write"))?;
        if let Ok(folder) = std::fs::File::open(dir) {
            let _ = folder.sync_all();
        }
        Ok(text.len() as u64)
    }
}
