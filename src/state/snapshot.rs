//! Immutable snapshots of one tenant's data.
//!
//! A snapshot is built from persistent (structure-sharing) collections, so
//! deriving the next one after a write costs O(log n) in the number of
//! connectors, and readers keep whatever snapshot they loaded for as long as
//! they need it, without locks.

use bytes::Bytes;
use imbl::{OrdMap, OrdSet, Vector};
use std::sync::{Arc, OnceLock};

use crate::store::{ConnectorRecord, EmailTemplateRecord, Key, OutboxMessage, Write};

/// A connector's answer body and its ETag, rendered once.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub body: Bytes,
    pub etag: String,
}

/// One connector: its record, its stored bytes, the index keys the domain
/// gave it, and its rendered view (built on first use for records loaded at
/// start-up; `None` when the domain hides the record).
#[derive(Debug)]
pub struct Entry {
    /// The record's id, shared with the snapshot's maps (cheap to copy).
    id: Arc<str>,
    record: ConnectorRecord,
    stored: Bytes,
    index_keys: Vec<String>,
    rendered: OnceLock<Option<Rendered>>,
}

/// Deepest stored record serde_json reads back (its recursion limit is 128).
const READABLE_DEPTH: usize = 127;

/// A record that would not read back as written (never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

impl Entry {
    /// A new version of a record, checked to read back: serde_json reads
    /// whatever it wrote unless it nests deeper than its recursion limit, so
    /// the stored text's depth is checked (in one pass over the bytes). That
    /// it reads back *equal* follows from serde_json's round-trip guarantees
    /// (floats included, with the `float_roundtrip` feature) and is proven by
    /// the property tests.
    pub fn new(
        record: ConnectorRecord,
        index_keys: Vec<String>,
        rendered: Option<Rendered>,
    ) -> Result<Entry, Unreadable> {
        let stored = record.encode();
        let depth = crate::limits::json_text_depth(&stored);
        if depth > READABLE_DEPTH {
            return Err(Unreadable(format!(
                "the record nests {depth} levels deep; at most {READABLE_DEPTH} read back"
            )));
        }
        Ok(Entry {
            id: Arc::from(record.id.as_str()),
            record,
            stored: Bytes::from(stored),
            index_keys,
            rendered: OnceLock::from(rendered),
        })
    }

    /// A record read from the database at start-up; rendered when first needed.
    pub fn loaded(record: ConnectorRecord, stored: Bytes, index_keys: Vec<String>) -> Entry {
        Entry {
            id: Arc::from(record.id.as_str()),
            record,
            stored,
            index_keys,
            rendered: OnceLock::new(),
        }
    }

    pub fn record(&self) -> &ConnectorRecord {
        &self.record
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// The rendered view, rendering it with `render` the first time.
    pub fn rendered(
        &self,
        render: impl FnOnce(&ConnectorRecord) -> Option<Rendered>,
    ) -> Option<&Rendered> {
        self.rendered.get_or_init(|| render(&self.record)).as_ref()
    }
}

/// A recorded outbox message, its body (stored and served as is) and its ETag.
#[derive(Debug)]
pub struct OutboxEntry {
    pub message: OutboxMessage,
    pub body: Bytes,
    pub etag: String,
}

impl OutboxEntry {
    pub fn new(message: OutboxMessage) -> OutboxEntry {
        let body = Bytes::from(message.encode());
        OutboxEntry::stored(message, body)
    }

    /// A message read back from the store with its stored bytes.
    pub fn stored(message: OutboxMessage, body: Bytes) -> OutboxEntry {
        let etag = crate::etag::etag_of_bytes(&body);
        OutboxEntry {
            message,
            body,
            etag,
        }
    }
}

/// A stored i18n email template and its stored bytes.
#[derive(Debug)]
pub struct TemplateEntry {
    pub record: EmailTemplateRecord,
    pub stored: Bytes,
}

impl TemplateEntry {
    pub fn new(record: EmailTemplateRecord) -> TemplateEntry {
        let stored = Bytes::from(record.encode());
        TemplateEntry { record, stored }
    }

    /// A template read back from the store with its stored bytes.
    pub fn loaded(record: EmailTemplateRecord, stored: Bytes) -> TemplateEntry {
        TemplateEntry { record, stored }
    }

    /// The `(languageTag, templateType)` pair that is unique per tenant.
    fn slot(&self) -> (String, String) {
        (
            self.record.language_tag.clone(),
            self.record.template_type.clone(),
        )
    }
}

/// One change a write makes to a tenant.
#[derive(Debug)]
pub enum Change {
    /// Insert or replace a connector.
    Put(Arc<Entry>),
    /// Remove a connector (must exist).
    Delete(String),
    /// Record an outbox message; its id must be [`Snapshot::next_outbox_id`].
    Append(Box<OutboxMessage>),
    /// Forget every outbox message.
    ClearOutbox,
    /// Insert or replace an email template (by id; the caller keeps
    /// `(languageTag, templateType)` unique).
    PutTemplate(Arc<TemplateEntry>),
    /// Remove an email template (nothing when it does not exist).
    DeleteTemplate(String),
    /// Mark the tenant as created and seeded (stored, so it is not seeded again).
    Register,
    /// Remove the tenant's marker (when the tenant is dropped).
    Unregister,
}

/// One tenant's data at one version.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    version: u64,
    connectors: OrdMap<Arc<str>, Arc<Entry>>,
    index: OrdMap<String, OrdSet<Arc<str>>>,
    /// Index keys held by two or more connectors.
    crowded: OrdSet<String>,
    outbox: Vector<Arc<OutboxEntry>>,
    next_outbox_id: u64,
    /// Email templates by id.
    templates: OrdMap<Arc<str>, Arc<TemplateEntry>>,
    /// Template ids by `(languageTag, templateType)`: Logto's listing order.
    template_slots: OrdMap<(String, String), Arc<str>>,
    /// Whether the tenant's marker is stored (it was created and seeded).
    registered: bool,
    list_etag: OnceLock<String>,
}

/// What applying changes produced: the next snapshot and what to store.
pub(crate) struct Applied {
    pub snapshot: Snapshot,
    pub writes: Vec<Write>,
    /// Stored keys added minus keys removed.
    pub count_delta: i64,
}

impl Snapshot {
    /// A snapshot of loaded data (version 0).
    pub fn from_loaded(
        entries: impl IntoIterator<Item = Entry>,
        outbox: impl IntoIterator<Item = OutboxEntry>,
        registered: bool,
    ) -> Snapshot {
        let mut snapshot = Snapshot {
            registered,
            ..Snapshot::default()
        };
        for entry in entries {
            snapshot.insert(Arc::new(entry));
        }
        for entry in outbox {
            snapshot.next_outbox_id = snapshot.next_outbox_id.max(entry.message.id + 1);
            snapshot.outbox.push_back(Arc::new(entry));
        }
        snapshot.next_outbox_id = snapshot.next_outbox_id.max(1);
        snapshot
    }

    /// Adds loaded email templates (start-up).
    pub fn with_templates(
        mut self,
        templates: impl IntoIterator<Item = TemplateEntry>,
    ) -> Snapshot {
        for template in templates {
            self.insert_template(Arc::new(template));
        }
        self
    }

    /// Email templates ordered by language tag, then template type (Logto's order).
    pub fn templates(&self) -> impl Iterator<Item = &Arc<TemplateEntry>> {
        self.template_slots
            .values()
            .filter_map(|id| self.templates.get(id))
    }

    pub fn template_count(&self) -> usize {
        self.templates.len()
    }

    pub fn template(&self, id: &str) -> Option<&Arc<TemplateEntry>> {
        self.templates.get(id)
    }

    /// The template for `language_tag` and `template_type`, if stored.
    pub fn template_for(
        &self,
        language_tag: &str,
        template_type: &str,
    ) -> Option<&Arc<TemplateEntry>> {
        let slot = (language_tag.to_owned(), template_type.to_owned());
        self.template_slots
            .get(&slot)
            .and_then(|id| self.templates.get(id))
    }

    fn insert_template(&mut self, template: Arc<TemplateEntry>) -> Option<Arc<TemplateEntry>> {
        let id: Arc<str> = Arc::from(template.record.id.as_str());
        let previous = self.templates.insert(id.clone(), template.clone());
        if let Some(previous) = &previous {
            self.template_slots.remove(&previous.slot());
        }
        self.template_slots.insert(template.slot(), id);
        previous
    }

    fn remove_template(&mut self, id: &str) -> Option<Arc<TemplateEntry>> {
        let previous = self.templates.remove(id)?;
        if self
            .template_slots
            .get(&previous.slot())
            .map(|slot| &**slot)
            == Some(id)
        {
            self.template_slots.remove(&previous.slot());
        }
        Some(previous)
    }

    /// Whether the tenant was created and seeded (its marker is stored).
    pub fn is_registered(&self) -> bool {
        self.registered
    }

    /// Increases with every write (per tenant, from 0 at start-up).
    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn get(&self, id: &str) -> Option<&Arc<Entry>> {
        self.connectors.get(id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.connectors.contains_key(id)
    }

    /// Every connector, ordered by id.
    pub fn entries(&self) -> impl Iterator<Item = &Arc<Entry>> {
        self.connectors.values()
    }

    /// Number of connectors.
    pub fn len(&self) -> usize {
        self.connectors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.connectors.is_empty()
    }

    /// Ids of the connectors that carry index key `key`, ordered.
    pub fn ids_with(&self, key: &str) -> impl Iterator<Item = &Arc<str>> {
        self.index.get(key).into_iter().flat_map(|ids| ids.iter())
    }

    /// Index keys that two or more connectors share.
    pub fn crowded(&self) -> impl Iterator<Item = &String> {
        self.crowded.iter()
    }

    /// Recorded messages, oldest first.
    pub fn outbox(&self) -> impl Iterator<Item = &Arc<OutboxEntry>> {
        self.outbox.iter()
    }

    pub fn outbox_len(&self) -> usize {
        self.outbox.len()
    }

    /// The id the next outbox message gets.
    pub fn next_outbox_id(&self) -> u64 {
        self.next_outbox_id
    }

    /// The ETag of the full list, computed once per snapshot by `compute`.
    pub fn list_etag(&self, compute: impl FnOnce() -> String) -> &str {
        self.list_etag.get_or_init(compute)
    }

    fn insert(&mut self, entry: Arc<Entry>) -> Option<Arc<Entry>> {
        let previous = self.connectors.insert(entry.id.clone(), entry.clone());
        if let Some(previous) = &previous {
            if previous.index_keys == entry.index_keys {
                return Some(previous.clone());
            }
            self.unindex(previous);
        }
        for key in &entry.index_keys {
            let ids = self.index.entry(key.clone()).or_default();
            ids.insert(entry.id.clone());
            if ids.len() > 1 {
                self.crowded.insert(key.clone());
            }
        }
        previous
    }

    fn remove(&mut self, id: &str) -> Option<Arc<Entry>> {
        let previous = self.connectors.remove(id)?;
        self.unindex(&previous);
        Some(previous)
    }

    fn unindex(&mut self, previous: &Entry) {
        let id = previous.id();
        for key in &previous.index_keys {
            if let Some(ids) = self.index.get_mut(key) {
                ids.remove(id);
                if ids.len() < 2 {
                    self.crowded.remove(key);
                }
                if ids.is_empty() {
                    self.index.remove(key);
                }
            }
        }
    }

    /// The snapshot after `changes`, keeping at most `outbox_capacity`
    /// messages (oldest dropped), and the writes that store it.
    pub(crate) fn apply(
        &self,
        tenant: &str,
        changes: Vec<Change>,
        outbox_capacity: usize,
    ) -> Applied {
        let mut next = Snapshot {
            version: self.version + 1,
            list_etag: OnceLock::new(),
            ..self.clone()
        };
        let mut writes = Vec::new();
        let mut count_delta = 0i64;
        let connector_key = |id: &str| Key::Connector {
            tenant: tenant.to_owned(),
            id: id.to_owned(),
        };
        let outbox_key = |id: u64| Key::Outbox {
            tenant: tenant.to_owned(),
            id,
        };
        for change in changes {
            match change {
                Change::Put(entry) => {
                    let key = connector_key(entry.id());
                    let value = Some(entry.stored.clone());
                    if next.insert(entry).is_none() {
                        count_delta += 1;
                    }
                    writes.push(Write { key, value });
                }
                Change::Delete(id) => {
                    if next.remove(&id).is_some() {
                        count_delta -= 1;
                        writes.push(Write {
                            key: connector_key(&id),
                            value: None,
                        });
                    }
                }
                Change::Append(message) => {
                    let entry = OutboxEntry::new(*message);
                    let id = entry.message.id;
                    next.next_outbox_id = next.next_outbox_id.max(id + 1);
                    writes.push(Write {
                        key: outbox_key(id),
                        value: Some(entry.body.clone()),
                    });
                    next.outbox.push_back(Arc::new(entry));
                    count_delta += 1;
                    while next.outbox.len() > outbox_capacity {
                        if let Some(oldest) = next.outbox.pop_front() {
                            writes.push(Write {
                                key: outbox_key(oldest.message.id),
                                value: None,
                            });
                            count_delta -= 1;
                        }
                    }
                }
                Change::Register | Change::Unregister => {
                    let register = matches!(change, Change::Register);
                    if next.registered != register {
                        next.registered = register;
                        count_delta += if register { 1 } else { -1 };
                        writes.push(Write {
                            key: Key::Tenant {
                                name: tenant.to_owned(),
                            },
                            value: register.then(|| Bytes::from_static(crate::store::TENANT_MARK)),
                        });
                    }
                }
                Change::PutTemplate(template) => {
                    let key = Key::EmailTemplate {
                        tenant: tenant.to_owned(),
                        id: template.record.id.clone(),
                    };
                    let value = Some(template.stored.clone());
                    if next.insert_template(template).is_none() {
                        count_delta += 1;
                    }
                    writes.push(Write { key, value });
                }
                Change::DeleteTemplate(id) => {
                    if next.remove_template(&id).is_some() {
                        count_delta -= 1;
                        writes.push(Write {
                            key: Key::EmailTemplate {
                                tenant: tenant.to_owned(),
                                id,
                            },
                            value: None,
                        });
                    }
                }
                Change::ClearOutbox => {
                    for entry in std::mem::take(&mut next.outbox) {
                        writes.push(Write {
                            key: outbox_key(entry.message.id),
                            value: None,
                        });
                        count_delta -= 1;
                    }
                }
            }
        }
        Applied {
            snapshot: next,
            writes,
            count_delta,
        }
    }

    /// Every stored key and value of this snapshot (for recovery and backups).
    pub(crate) fn stored(&self, tenant: &str) -> impl Iterator<Item = (Key, Bytes)> + '_ {
        let tenant_name = tenant.to_owned();
        let connectors = self.connectors.values().map(move |entry| {
            let key = Key::Connector {
                tenant: tenant_name.clone(),
                id: entry.record.id.clone(),
            };
            (key, entry.stored.clone())
        });
        let tenant_name = tenant.to_owned();
        let outbox = self.outbox.iter().map(move |entry| {
            let key = Key::Outbox {
                tenant: tenant_name.clone(),
                id: entry.message.id,
            };
            (key, entry.body.clone())
        });
        let marker = self.registered.then(|| {
            let key = Key::Tenant {
                name: tenant.to_owned(),
            };
            (key, Bytes::from_static(crate::store::TENANT_MARK))
        });
        let tenant_name = tenant.to_owned();
        let templates = self.templates.values().map(move |template| {
            let key = Key::EmailTemplate {
                tenant: tenant_name.clone(),
                id: template.record.id.clone(),
            };
            (key, template.stored.clone())
        });
        marker
            .into_iter()
            .chain(connectors)
            .chain(outbox)
            .chain(templates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    fn entry(id: &str, keys: &[&str]) -> Arc<Entry> {
        let record = ConnectorRecord {
            id: id.into(),
            connector_id: "f".into(),
            config: Map::new(),
            metadata: Map::new(),
            sync_profile: false,
            enable_token_storage: false,
            created_at: 1,
        };
        let keys = keys.iter().map(|key| (*key).to_owned()).collect();
        Arc::new(Entry::new(record, keys, None).unwrap())
    }

    #[test]
    fn applying_changes_keeps_the_old_snapshot_intact() {
        let empty = Snapshot::default();
        let applied = empty.apply(
            "t",
            vec![Change::Put(entry("b", &[])), Change::Put(entry("a", &[]))],
            10,
        );
        assert_eq!(applied.count_delta, 2);
        assert_eq!(applied.writes.len(), 2);
        let ids: Vec<&str> = applied.snapshot.entries().map(|e| e.id()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert!(empty.is_empty());
        let replaced = applied
            .snapshot
            .apply("t", vec![Change::Put(entry("a", &[]))], 10);
        assert_eq!(replaced.count_delta, 0);
        let deleted = replaced.snapshot.apply(
            "t",
            vec![Change::Delete("zz".into()), Change::Delete("a".into())],
            10,
        );
        assert_eq!((deleted.count_delta, deleted.writes.len()), (-1, 1));
        assert_eq!(deleted.snapshot.version(), 3);
    }

    #[test]
    fn the_index_tracks_shared_keys() {
        let snapshot = Snapshot::default()
            .apply(
                "t",
                vec![
                    Change::Put(entry("a", &["type:Email"])),
                    Change::Put(entry("b", &["type:Email", "x"])),
                ],
                10,
            )
            .snapshot;
        assert_eq!(snapshot.ids_with("type:Email").count(), 2);
        assert_eq!(snapshot.crowded().collect::<Vec<_>>(), ["type:Email"]);
        let snapshot = snapshot
            .apply("t", vec![Change::Delete("a".into())], 10)
            .snapshot;
        assert_eq!(snapshot.crowded().count(), 0);
        let ids: Vec<&str> = snapshot.ids_with("type:Email").map(|id| &**id).collect();
        assert_eq!(ids, ["b"]);
        let snapshot = snapshot
            .apply("t", vec![Change::Put(entry("b", &[]))], 10)
            .snapshot;
        assert_eq!(snapshot.ids_with("x").count(), 0);
    }

    #[test]
    fn the_outbox_keeps_only_the_newest_messages() {
        let message = |id| OutboxMessage {
            id,
            factory_id: "f".into(),
            connector_type: "Email".into(),
            to: "a@b.c".into(),
            usage_type: "Generic".into(),
            payload: serde_json::json!({}),
            template: None,
            email_template: None,
            subject: None,
            content: None,
            sent_at: String::new(),
            sent_at_ms: 0,
        };
        let mut snapshot = Snapshot::from_loaded([], [], false);
        let mut delta = 0;
        for _ in 0..5 {
            let applied = snapshot.apply(
                "t",
                vec![Change::Append(Box::new(message(snapshot.next_outbox_id())))],
                3,
            );
            delta += applied.count_delta;
            snapshot = applied.snapshot;
        }
        let ids: Vec<u64> = snapshot.outbox().map(|e| e.message.id).collect();
        assert_eq!(ids, [3, 4, 5]);
        assert_eq!(delta, 3);
        let cleared = snapshot.apply("t", vec![Change::ClearOutbox], 3);
        assert_eq!(
            (cleared.count_delta, cleared.snapshot.outbox_len()),
            (-3, 0)
        );
        assert_eq!(cleared.snapshot.next_outbox_id(), 6);
    }
}
