//! The request journal: a bounded ring of the requests one tenant received,
//! with secrets masked before they are stored.

use actix_web::http::header::{HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// What a masked secret is replaced with.
pub const MASK: &str = "******";

/// One recorded request. Kept as the raw parts (cheap to record on every
/// request); rendered as JSON only when `GET /_mock/requests` asks.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    /// Increases by one per recorded request (per tenant).
    pub id: u64,
    pub method: String,
    /// The path within the tenant (without a `/t/{tenant}` prefix).
    pub path: String,
    /// The query string, without the leading `?` (empty when there was none).
    pub query: String,
    pub status: u16,
    /// Request headers as received; `authorization` and `cookie` masked.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The request body: JSON as sent (form bodies as an object), secrets
    /// masked; a string when it was neither; `null` when there was none.
    pub body: Value,
    pub duration_ms: f64,
    /// When the request arrived (epoch milliseconds).
    pub time_ms: u64,
}

impl Serialize for JournalEntry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut sorted: Vec<&(HeaderName, HeaderValue)> = self.headers.iter().collect();
        sorted.sort_by(|(a, _), (b, _)| a.as_str().cmp(b.as_str()));
        let headers: Map<String, Value> = sorted
            .into_iter()
            .map(|(name, value)| {
                let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), Value::from(text))
            })
            .collect();
        let mut map = serializer.serialize_map(Some(9))?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("method", &self.method)?;
        map.serialize_entry("path", &self.path)?;
        map.serialize_entry("query", &self.query)?;
        map.serialize_entry("status", &self.status)?;
        map.serialize_entry("headers", &headers)?;
        map.serialize_entry("body", &self.body)?;
        map.serialize_entry("durationMs", &self.duration_ms)?;
        map.serialize_entry("time", &crate::time::rfc3339(self.time_ms))?;
        map.end()
    }
}

/// Which entries `GET /_mock/requests` returns.
#[derive(Debug, Clone, Default)]
pub struct JournalFilter {
    /// Upper-cased method.
    pub method: Option<String>,
    /// A path prefix, or a glob when it contains `*`.
    pub path: Option<PathFilter>,
    pub status: Option<StatusFilter>,
    /// Only requests that arrived at or after this time (epoch milliseconds).
    pub since_ms: Option<u64>,
    /// Only the newest `limit` matches.
    pub limit: Option<usize>,
}

/// `path=`: a prefix (`/api/connectors`) or a glob (`/api/connectors/*/test`).
#[derive(Debug, Clone)]
pub enum PathFilter {
    Prefix(String),
    Glob(super::glob::Glob),
}

/// `status=`: one status (`404`) or a class (`4xx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Exact(u16),
    Class(u16),
}

impl StatusFilter {
    /// Parses `404` or `4xx`.
    pub fn parse(text: &str) -> Option<StatusFilter> {
        let lower = text.to_ascii_lowercase();
        if let Some(class) = lower.strip_suffix("xx") {
            let class: u16 = class.parse().ok()?;
            return (1..=5)
                .contains(&class)
                .then_some(StatusFilter::Class(class));
        }
        let status: u16 = lower.parse().ok()?;
        (100..=599)
            .contains(&status)
            .then_some(StatusFilter::Exact(status))
    }

    fn matches(self, status: u16) -> bool {
        match self {
            StatusFilter::Exact(exact) => status == exact,
            StatusFilter::Class(class) => status / 100 == class,
        }
    }
}

impl JournalFilter {
    fn matches(&self, entry: &JournalEntry) -> bool {
        self.method
            .as_ref()
            .is_none_or(|method| *method == entry.method)
            && self.path.as_ref().is_none_or(|path| match path {
                PathFilter::Prefix(prefix) => entry.path.starts_with(prefix.as_str()),
                PathFilter::Glob(glob) => glob.matches(&entry.path),
            })
            && self
                .status
                .is_none_or(|status| status.matches(entry.status))
            && self.since_ms.is_none_or(|since| entry.time_ms >= since)
    }
}

/// One tenant's journal: the newest `capacity` requests.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    entries: Mutex<VecDeque<JournalEntry>>,
    next_id: AtomicU64,
}

impl Journal {
    /// An empty journal; `capacity` 0 records nothing.
    pub fn new(capacity: usize) -> Journal {
        Journal {
            capacity,
            entries: Mutex::new(VecDeque::new()),
            next_id: AtomicU64::new(1),
        }
    }

    /// Whether requests are recorded at all.
    pub fn is_on(&self) -> bool {
        self.capacity > 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<JournalEntry>> {
        self.entries
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Records `entry` (its id is assigned here), dropping the oldest beyond the capacity.
    pub fn record(&self, mut entry: JournalEntry) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.lock();
        entry.id = self.next_id.fetch_add(1, Ordering::Relaxed);
        if entries.len() >= self.capacity {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// The matching entries, oldest first.
    pub fn list(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        let entries = self.lock();
        let mut matches: Vec<JournalEntry> = entries
            .iter()
            .filter(|entry| filter.matches(entry))
            .cloned()
            .collect();
        if let Some(limit) = filter.limit {
            let surplus = matches.len().saturating_sub(limit);
            matches.drain(..surplus);
        }
        matches
    }

    /// Forgets every entry.
    pub fn clear(&self) {
        self.lock().clear();
    }
}

/// The `Authorization` value to store: the scheme kept, the credentials masked.
pub fn mask_authorization(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, _)) => format!("{scheme} {MASK}"),
        None => MASK.to_owned(),
    }
}

/// Masks a request body before it is stored: `client_secret` (and
/// `clientSecret`) at the top level, and the given config keys (form items
/// marked `isConfidential`) inside `config`.
pub fn mask_body(body: &mut Value, confidential: &[String]) {
    let Some(object) = body.as_object_mut() else {
        return;
    };
    for key in ["client_secret", "clientSecret"] {
        if let Some(value) = object.get_mut(key) {
            *value = Value::from(MASK);
        }
    }
    if let Some(Value::Object(config)) = object.get_mut("config") {
        for key in confidential {
            if let Some(value) = config.get_mut(key) {
                *value = Value::from(MASK);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(method: &str, path: &str, status: u16, time_ms: u64) -> JournalEntry {
        JournalEntry {
            id: 0,
            method: method.into(),
            path: path.into(),
            query: String::new(),
            status,
            headers: Vec::new(),
            body: Value::Null,
            duration_ms: 0.1,
            time_ms,
        }
    }

    #[test]
    fn the_ring_keeps_the_newest_and_numbers_every_request() {
        let journal = Journal::new(3);
        for n in 0..5 {
            journal.record(entry("GET", &format!("/api/{n}"), 200, n));
        }
        let all = journal.list(&JournalFilter::default());
        let paths: Vec<&str> = all.iter().map(|entry| entry.path.as_str()).collect();
        assert_eq!(paths, ["/api/2", "/api/3", "/api/4"]);
        assert_eq!(all.iter().map(|e| e.id).collect::<Vec<_>>(), [3, 4, 5]);
        let off = Journal::new(0);
        off.record(entry("GET", "/api", 200, 0));
        assert!(off.list(&JournalFilter::default()).is_empty());
    }

    #[test]
    fn filters_combine_and_limit_keeps_the_newest() {
        let journal = Journal::new(10);
        journal.record(entry("GET", "/api/connectors", 200, 10));
        journal.record(entry("POST", "/api/connectors", 400, 20));
        journal.record(entry("POST", "/api/connectors/x/test", 204, 30));
        journal.record(entry("DELETE", "/api/connectors/y", 404, 40));
        let list = |filter: JournalFilter| -> Vec<u64> {
            journal.list(&filter).iter().map(|e| e.time_ms).collect()
        };
        let post = || JournalFilter {
            method: Some("POST".into()),
            ..JournalFilter::default()
        };
        assert_eq!(list(post()), [20, 30]);
        assert_eq!(
            list(JournalFilter {
                status: StatusFilter::parse("4xx"),
                ..JournalFilter::default()
            }),
            [20, 40]
        );
        assert_eq!(
            list(JournalFilter {
                path: Some(PathFilter::Glob(
                    super::super::glob::Glob::new("/api/connectors/*/test").unwrap()
                )),
                ..JournalFilter::default()
            }),
            [30]
        );
        assert_eq!(
            list(JournalFilter {
                path: Some(PathFilter::Prefix("/api/connectors/".into())),
                since_ms: Some(35),
                ..JournalFilter::default()
            }),
            [40]
        );
        assert_eq!(
            list(JournalFilter {
                limit: Some(1),
                ..post()
            }),
            [30]
        );
        assert_eq!(StatusFilter::parse("6xx"), None);
        assert_eq!(StatusFilter::parse("abc"), None);
    }

    #[test]
    fn secrets_are_masked() {
        let mut body = json!({"client_secret": "s", "config": {"apiKey": "k", "other": 1}});
        mask_body(&mut body, &["apiKey".to_owned()]);
        assert_eq!(
            body,
            json!({"client_secret": MASK, "config": {"apiKey": MASK, "other": 1}})
        );
        assert_eq!(
            mask_authorization("Bearer abc.def"),
            format!("Bearer {MASK}")
        );
        assert_eq!(mask_authorization("garbage"), MASK);
    }
}
