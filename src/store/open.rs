//! Opening a data directory without ever making damage permanent.
//!
//! sled repairs a damaged log silently when it opens it, by truncating it (a
//! garbled header even makes it start empty), and writes the result back. So
//! the server never opens a database in place before a copy of it has been
//! opened and checked against the commit marker:
//!
//! 1. lock the directory (one process per data directory);
//! 2. copy sled's files to a temporary directory, open the copy, read every
//!    record, and compare with the marker: the newest acknowledged commit must
//!    be there, the record count must match, and every record must decode;
//! 3. only then open the real database, load it, and carry on.
//!
//! Any problem stops start-up with a message and leaves every file as it was.
//! `--accept-data-loss` (and `connector-mock repair`) opens it anyway, sets
//! unreadable records aside in `lost+found/`, and says what was lost.

use bytes::Bytes;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use super::keys::{Key, META_COUNT, META_PREFIX, META_SEQ};
use super::marker::{Committed, Marker, MarkerProblem, MARKER_FILE};
use super::{ConnectorRecord, Disk, EmailTemplateRecord, Loaded, OutboxMessage, Store, StoreError};

const LOCK_FILE: &str = "connector-mock.lock";
const LOST_AND_FOUND: &str = "lost+found";

/// What opening found worth telling (legacy layout migrated, data set aside).
#[derive(Debug, Default, Clone)]
pub struct OpenReport {
    pub notes: Vec<String>,
}

/// What a database holds, read record by record.
struct Inspection {
    /// The commit record (`m\0seq`, `m\0count`) as stored, if any.
    meta: Option<Committed>,
    /// Data keys present, readable or not.
    present: u64,
    /// Keys that did not decode, with the reason.
    unreadable: Vec<(Vec<u8>, Vec<u8>, String)>,
    loaded: Loaded,
    /// Trees of the first storage layout (before the commit marker existed).
    legacy_trees: Vec<sled::IVec>,
}

impl Inspection {
    /// Everything that shows the database lost or garbled acknowledged data.
    fn problems(&self, marker: Option<Committed>) -> Vec<String> {
        let mut problems = Vec::new();
        if !self.unreadable.is_empty() {
            let listed: Vec<String> = self
                .unreadable
                .iter()
                .take(10)
                .map(|(key, _, reason)| format!("{} ({reason})", describe_key(key)))
                .collect();
            problems.push(format!(
                "{} record(s) cannot be read: {}{}",
                self.unreadable.len(),
                listed.join("; "),
                if self.unreadable.len() > 10 {
                    "; …"
                } else {
                    ""
                }
            ));
        }
        if let Some(meta) = self.meta {
            if meta.count != self.present {
                problems.push(format!(
                    "the database says it holds {} records, but {} are present",
                    meta.count, self.present
                ));
            }
        }
        if let Some(marker) = marker {
            match self.meta {
                None if marker.seq > 0 => problems.push(format!(
                    "the database holds no commit record, but commit #{} with {} records was acknowledged",
                    marker.seq, marker.count
                )),
                Some(meta) if meta.seq < marker.seq => problems.push(format!(
                    "the database ends at commit #{}, but commit #{} was acknowledged: the newest writes are missing",
                    meta.seq, marker.seq
                )),
                Some(meta) if meta.seq == marker.seq && meta.count != marker.count => {
                    problems.push(format!(
                        "commit #{} left {} records, but the database has {}",
                        marker.seq, marker.count, meta.count
                    ))
                }
                _ => {}
            }
        }
        problems
    }
}

fn describe_key(key: &[u8]) -> String {
    Key::decode(key).map_or_else(
        || format!("unknown key {:?}", String::from_utf8_lossy(key)),
        |key| key.describe(),
    )
}

/// Opens `dir` as described in the module documentation.
pub(super) fn open_dir(
    dir: &Path,
    accept_data_loss: bool,
) -> Result<(Store, Loaded, OpenReport), StoreError> {
    fs::create_dir_all(dir).map_err(StoreError::io(format!(
        "cannot create data directory {}",
        dir.display()
    )))?;
    let lock = lock_dir(dir)?;
    let mut report = OpenReport::default();
    let marker = read_marker(dir, accept_data_loss, &mut report)?;
    let has_database = sled_files(dir)?.iter().any(|path| path.ends_with("db"));
    if !accept_data_loss {
        match (marker, has_database) {
            (Some(marker), false) if marker.seq > 0 => {
                return Err(damaged(
                    dir,
                    &[format!(
                    "the database file is missing, but commit #{} with {} records was acknowledged",
                    marker.seq, marker.count
                )],
                ))
            }
            (_, true) => {
                let problems = inspect_copy(dir)?.problems(marker);
                if !problems.is_empty() {
                    return Err(damaged(dir, &problems));
                }
            }
            _ => {}
        }
    }

    let db = match open_sled(dir) {
        Err(error) if accept_data_loss => {
            // Nothing in it can be read: move sled's files aside whole and start afresh.
            let folder = move_database_aside(dir)?;
            report.notes.push(format!(
                "the database could not be opened ({}); its files were moved to {}",
                std::error::Error::source(&error)
                    .map_or_else(|| error.to_string(), ToString::to_string),
                folder.display()
            ));
            open_sled(dir)?
        }
        opened => opened?,
    };
    let mut inspection = inspect(&db, dir)?;
    let problems = inspection.problems(marker);
    if !problems.is_empty() {
        if !accept_data_loss {
            return Err(damaged(dir, &problems));
        }
        set_aside(&db, dir, &mut inspection, &mut report)?;
        report.notes.extend(problems);
        if let Some(marker) = marker {
            report.notes.push(format!(
                "acknowledged: {} records at commit #{}; kept: {} readable records",
                marker.count, marker.seq, inspection.present
            ));
        }
    }
    if !inspection.legacy_trees.is_empty() {
        migrate_legacy(&db, dir, &inspection)?;
        report.notes.push(format!(
            "moved {} records from the old storage layout into the current one",
            inspection.present
        ));
    }
    let committed = Committed {
        seq: inspection
            .meta
            .map_or(0, |meta| meta.seq)
            .max(marker.map_or(0, |marker| marker.seq)),
        count: inspection.present,
    };
    if inspection.meta != Some(committed) {
        let mut batch = sled::Batch::default();
        super::add_meta(&mut batch, committed);
        db.apply_batch(batch)
            .and_then(|()| db.flush().map(|_| ()))
            .map_err(StoreError::database(dir))?;
    }
    let marker_file = Marker::open(dir)
        .and_then(|marker_file| marker_file.write(committed).map(|()| marker_file))
        .map_err(StoreError::io(format!(
            "cannot write the commit marker in {}",
            dir.display()
        )))?;
    let mut loaded = inspection.loaded;
    loaded.committed = committed;
    let disk = Disk {
        dir: dir.to_path_buf(),
        db: Some(db),
        marker: marker_file,
        _lock: lock,
    };
    Ok((Store { disk: Some(disk) }, loaded, report))
}

/// `connector-mock verify`: checks `dir` without changing it; a summary, or the problems.
pub fn inspect_dir(dir: &Path) -> Result<String, StoreError> {
    if !dir.is_dir() {
        return Err(StoreError::Damaged(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    let _lock = lock_dir(dir)?;
    let marker = read_marker(dir, false, &mut OpenReport::default())?;
    if !sled_files(dir)?.iter().any(|path| path.ends_with("db")) {
        return match marker {
            Some(marker) if marker.seq > 0 => Err(damaged(
                dir,
                &["the database file is missing, but commits were acknowledged".to_owned()],
            )),
            _ => Ok(format!("{}: empty (no database yet)", dir.display())),
        };
    }
    let inspection = inspect_copy(dir)?;
    let problems = inspection.problems(marker);
    if !problems.is_empty() {
        return Err(damaged(dir, &problems));
    }
    let tenants: Vec<String> = inspection
        .loaded
        .tenants
        .iter()
        .map(|(name, data)| {
            format!(
                "{name}: {} connectors, {} outbox messages",
                data.connectors.len(),
                data.outbox.len()
            )
        })
        .collect();
    Ok(format!(
        "{}: OK, commit #{}, {} records{}{}",
        dir.display(),
        inspection.meta.map_or(0, |meta| meta.seq),
        inspection.present,
        if tenants.is_empty() { "" } else { "; " },
        tenants.join("; ")
    ))
}

/// `connector-mock repair`: opens `dir` accepting data loss, then closes it.
pub fn repair_dir(dir: &Path) -> Result<OpenReport, StoreError> {
    let (store, loaded, report) = open_dir(dir, true)?;
    store.close(loaded.committed)?;
    Ok(report)
}

/// The commit marker of `dir`. A garbled one is damage, unless
/// `tolerate_garbled` (then it is noted in `report` and read as absent).
fn read_marker(
    dir: &Path,
    tolerate_garbled: bool,
    report: &mut OpenReport,
) -> Result<Option<Committed>, StoreError> {
    match Marker::read(dir) {
        Ok(marker) => Ok(marker),
        Err(MarkerProblem::Garbled) if tolerate_garbled => {
            report.notes.push(format!(
                "the commit marker {MARKER_FILE} was unreadable; a new one is written"
            ));
            Ok(None)
        }
        Err(MarkerProblem::Garbled) => Err(damaged(
            dir,
            &[format!("the commit marker {MARKER_FILE} is garbled")],
        )),
        Err(MarkerProblem::Io(source)) => Err(StoreError::Io {
            what: format!("cannot read {}", dir.join(MARKER_FILE).display()),
            source,
        }),
    }
}

fn damaged(dir: &Path, problems: &[String]) -> StoreError {
    StoreError::Damaged(format!(
        "the data directory {} is damaged: {}. Nothing was changed on disk. \
         Check it with `connector-mock verify --data {0}`; restore a backup with \
         `connector-mock restore --data {0} FILE`, or keep what is readable with \
         `connector-mock repair --data {0}` (or start with --accept-data-loss).",
        dir.display(),
        problems.join("; ")
    ))
}

fn lock_dir(dir: &Path) -> Result<File, StoreError> {
    let path = dir.join(LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(StoreError::io(format!("cannot create {}", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Locked(dir.to_path_buf())),
        Err(std::fs::TryLockError::Error(source)) => Err(StoreError::Io {
            what: format!("cannot lock {}", path.display()),
            source,
        }),
    }
}

/// Opens sled in `dir` with our settings (no background flusher: the commit
/// thread flushes).
pub(super) fn open_sled(dir: &Path) -> Result<sled::Db, StoreError> {
    sled::Config::new()
        .path(dir)
        .flush_every_ms(None)
        .open()
        .map_err(StoreError::database(dir))
}

/// sled's own files in `dir` (the database, its config, snapshots, blobs).
fn sled_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let entries = fs::read_dir(dir).map_err(StoreError::io(format!(
        "cannot read data directory {}",
        dir.display()
    )))?;
    let mut files = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "db" || name == "conf" || name == "blobs" || name.starts_with("snap.") {
            files.push(entry.path());
        }
    }
    Ok(files)
}

/// Opens a throw-away copy of the database and inspects it.
fn inspect_copy(dir: &Path) -> Result<Inspection, StoreError> {
    let copy = tempfile::Builder::new()
        .prefix("connector-mock-verify-")
        .tempdir()
        .map_err(StoreError::io(
            "cannot create a temporary directory to verify the database",
        ))?;
    for source in sled_files(dir)? {
        let target = copy.path().join(source.file_name().unwrap_or_default());
        copy_recursively(&source, &target).map_err(StoreError::io(format!(
            "cannot copy {} to verify it",
            source.display()
        )))?;
    }
    let db = sled::Config::new()
        .path(copy.path())
        .flush_every_ms(None)
        .open()
        .map_err(|error| damaged(dir, &[format!("sled cannot open the database: {error}")]))?;
    let inspection = inspect(&db, dir);
    drop(db);
    inspection
}

fn copy_recursively(source: &Path, target: &Path) -> std::io::Result<()> {
    if source.is_dir() {
        fs::create_dir_all(target)?;
        for entry in fs::read_dir(source)? {
            let entry = entry?;
            copy_recursively(&entry.path(), &target.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        fs::copy(source, target).map(|_| ())
    }
}

/// Reads every key of the database.
fn inspect(db: &sled::Db, dir: &Path) -> Result<Inspection, StoreError> {
    let mut inspection = Inspection {
        meta: None,
        present: 0,
        unreadable: Vec::new(),
        loaded: Loaded::default(),
        legacy_trees: Vec::new(),
    };
    let (mut seq, mut count) = (None, None);
    for entry in db.iter() {
        let (key, value) = entry.map_err(StoreError::database(dir))?;
        if key.starts_with(META_PREFIX) {
            let number = value.as_ref().try_into().ok().map(u64::from_be_bytes);
            match key.as_ref() {
                META_SEQ => seq = number,
                META_COUNT => count = number,
                _ => {}
            }
            continue;
        }
        inspection.present += 1;
        match Key::decode(&key) {
            Some(key_kind) => {
                if let Err(reason) = load_value(&mut inspection.loaded, key_kind, &value) {
                    inspection
                        .unreadable
                        .push((key.to_vec(), value.to_vec(), reason));
                }
            }
            None => inspection.unreadable.push((
                key.to_vec(),
                value.to_vec(),
                "not a key of this program".to_owned(),
            )),
        }
    }
    if let (Some(seq), Some(count)) = (seq, count) {
        inspection.meta = Some(Committed { seq, count });
    }
    for name in db.tree_names() {
        if let Some(kind) = legacy_kind(&name) {
            let tree = db.open_tree(&name).map_err(StoreError::database(dir))?;
            for entry in tree.iter() {
                let (key, value) = entry.map_err(StoreError::database(dir))?;
                inspection.present += 1;
                let key = legacy_key(kind, &key);
                let result = key
                    .clone()
                    .ok_or_else(|| "not a key of this program".to_owned())
                    .and_then(|key| load_value(&mut inspection.loaded, key, &value));
                if let Err(reason) = result {
                    let raw = key.map_or_else(Vec::new, |key| key.encode());
                    inspection.unreadable.push((raw, value.to_vec(), reason));
                }
            }
            inspection.legacy_trees.push(name);
        }
    }
    if !inspection.legacy_trees.is_empty() {
        // The old layout had no commit record: nothing to compare.
        inspection.meta = None;
    }
    Ok(inspection)
}

/// Decodes one stored value into `loaded`.
fn load_value(loaded: &mut Loaded, key: Key, value: &[u8]) -> Result<(), String> {
    let bytes = Bytes::copy_from_slice(value);
    match key {
        Key::Connector { tenant, id } => {
            let record = ConnectorRecord::decode(value).map_err(|error| error.to_string())?;
            if record.id != id {
                return Err(format!(
                    "stored under id {id:?} but holds id {:?}",
                    record.id
                ));
            }
            let data = loaded.tenants.entry(tenant).or_default();
            data.connectors.push((record, bytes));
        }
        Key::Outbox { tenant, id } => {
            let message = OutboxMessage::decode(value).map_err(|error| error.to_string())?;
            if message.id != id {
                return Err(format!("stored under id {id} but holds id {}", message.id));
            }
            loaded
                .tenants
                .entry(tenant)
                .or_default()
                .outbox
                .push((message, bytes));
        }
        Key::EmailTemplate { tenant, id } => {
            let template = EmailTemplateRecord::decode(value).map_err(|error| error.to_string())?;
            if template.id != id {
                return Err(format!(
                    "stored under id {id:?} but holds id {:?}",
                    template.id
                ));
            }
            let data = loaded.tenants.entry(tenant).or_default();
            data.email_templates.push((template, bytes));
        }
        Key::Tenant { name } => {
            loaded.tenants.entry(name).or_default().registered = true;
        }
        Key::Setting { name } => {
            loaded.settings.insert(name, value.to_vec());
        }
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum LegacyKind {
    Connectors,
    Outbox,
    Settings,
}

/// Trees of the first layout: `connectors/<tenant>`, `outbox/<tenant>`, `settings`.
fn legacy_kind(name: &[u8]) -> Option<LegacyKind> {
    if name.starts_with(b"connectors/") {
        Some(LegacyKind::Connectors)
    } else if name.starts_with(b"outbox/") {
        Some(LegacyKind::Outbox)
    } else if name == b"settings" {
        Some(LegacyKind::Settings)
    } else {
        None
    }
}

fn legacy_key(kind: LegacyKind, key: &[u8]) -> Option<Key> {
    let text = |bytes: &[u8]| String::from_utf8(bytes.to_vec()).ok();
    match kind {
        LegacyKind::Connectors => Some(Key::Connector {
            tenant: "default".to_owned(),
            id: text(key)?,
        }),
        LegacyKind::Outbox => Some(Key::Outbox {
            tenant: "default".to_owned(),
            id: u64::from_be_bytes(key.try_into().ok()?),
        }),
        LegacyKind::Settings => Some(Key::Setting { name: text(key)? }),
    }
}

/// Rewrites the first layout's trees into the current layout, then drops them.
fn migrate_legacy(db: &sled::Db, dir: &Path, inspection: &Inspection) -> Result<(), StoreError> {
    let mut batch = sled::Batch::default();
    for (tenant, data) in &inspection.loaded.tenants {
        for (record, bytes) in &data.connectors {
            let key = Key::Connector {
                tenant: tenant.clone(),
                id: record.id.clone(),
            };
            batch.insert(key.encode(), bytes.as_ref());
        }
        for (message, bytes) in &data.outbox {
            let key = Key::Outbox {
                tenant: tenant.clone(),
                id: message.id,
            };
            batch.insert(key.encode(), bytes.as_ref());
        }
    }
    for (name, value) in &inspection.loaded.settings {
        batch.insert(
            Key::Setting { name: name.clone() }.encode(),
            value.as_slice(),
        );
    }
    db.apply_batch(batch).map_err(StoreError::database(dir))?;
    db.flush().map_err(StoreError::database(dir))?;
    for name in &inspection.legacy_trees {
        db.drop_tree(name).map_err(StoreError::database(dir))?;
    }
    db.flush().map_err(StoreError::database(dir))?;
    Ok(())
}

/// `--accept-data-loss`: moves unreadable records to `lost+found/<time>/` and
/// removes them from the database.
/// Moves sled's files into a new folder of [`LOST_AND_FOUND`]; returns the folder.
fn move_database_aside(dir: &Path) -> Result<PathBuf, StoreError> {
    let folder = dir
        .join(LOST_AND_FOUND)
        .join(format!("database-{}", crate::time::now_millis()));
    fs::create_dir_all(&folder).map_err(StoreError::io(format!(
        "cannot create {}",
        folder.display()
    )))?;
    for file in sled_files(dir)? {
        let target = folder.join(file.file_name().unwrap_or_default());
        fs::rename(&file, &target).map_err(StoreError::io(format!(
            "cannot move {} to {}",
            file.display(),
            target.display()
        )))?;
    }
    Ok(folder)
}

fn set_aside(
    db: &sled::Db,
    dir: &Path,
    inspection: &mut Inspection,
    report: &mut OpenReport,
) -> Result<(), StoreError> {
    if inspection.unreadable.is_empty() {
        return Ok(());
    }
    let folder = dir
        .join(LOST_AND_FOUND)
        .join(crate::time::now_millis().to_string());
    fs::create_dir_all(&folder).map_err(StoreError::io(format!(
        "cannot create {}",
        folder.display()
    )))?;
    let mut index = String::new();
    let mut batch = sled::Batch::default();
    for (number, (key, value, reason)) in inspection.unreadable.iter().enumerate() {
        let file = folder.join(format!("{number}.bin"));
        fs::write(&file, value)
            .map_err(StoreError::io(format!("cannot write {}", file.display())))?;
        index.push_str(&format!("{number}.bin\t{}\t{reason}\n", describe_key(key)));
        batch.remove(key.as_slice());
    }
    let index_file = folder.join("index.txt");
    fs::write(&index_file, index).map_err(StoreError::io(format!(
        "cannot write {}",
        index_file.display()
    )))?;
    db.apply_batch(batch).map_err(StoreError::database(dir))?;
    report.notes.push(format!(
        "{} unreadable record(s) were moved to {}",
        inspection.unreadable.len(),
        folder.display()
    ));
    inspection.present -= inspection.unreadable.len() as u64;
    inspection.unreadable.clear();
    Ok(())
}
