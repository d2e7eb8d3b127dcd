//! Property tests of the write path: whatever a client sends as a create
//! body, a merge patch or a JSON Patch, the answer is either a 4xx error or a
//! stored connector that respects the limits and reads back equal to itself,
//! also after the database is closed and opened again.

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use super::{ConnectorService, PatchBody, PatchMode};
use crate::error::{ApiError, ErrorCode};
use crate::factories::{Catalog, Factory};
use crate::limits::{depth_exceeds, size_exceeds, Limits};
use crate::state::{CommitOptions, Entry, State, TenantState};
use crate::store::{ConnectorRecord, Durability, Store, StoreOptions};

/// Small limits, so that random documents often cross them.
const LIMITS: Limits = Limits {
    max_depth: 6,
    max_config_bytes: 2048,
    max_patch_operations: 12,
};

/// A social factory that accepts any config (so the store path is exercised).
fn catalog() -> Arc<Catalog> {
    let manifest = json!({
        "type": "Social",
        "metadata": {
            "id": "anything", "target": "anything", "platform": "Universal",
            "name": {"en": "Anything"}, "description": {"en": "Accepts any config"},
            "logo": "./logo.svg", "logoDark": null, "readme": "./README.md"
        },
        "configSchema": {"type": "object"},
        "sampleConfig": {}
    });
    let factory = Factory::load("test", manifest.to_string().as_bytes(), &HashMap::new()).unwrap();
    Arc::new(Catalog::from_factories(vec![factory]).unwrap())
}

fn start(path: Option<&std::path::Path>, service: &ConnectorService) -> Arc<State> {
    let options = StoreOptions {
        path: path.map(|path| path.to_path_buf()),
        durability: Durability::Always,
        flush_interval: Duration::from_millis(10),
        accept_data_loss: false,
    };
    let (store, loaded, _) = Store::open(&options).unwrap();
    let commit = CommitOptions {
        durability: Durability::Always,
        flush_interval: Duration::from_millis(10),
        flush_hook: None,
    };
    State::start(store, loaded, commit, 10, &|_, record, stored| {
        service.load_entry(record, stored)
    })
    .unwrap()
}

/// Any JSON value: odd numbers, unicode and escapes, nesting past the limit.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        Just(Value::from("")),
        Just(Value::from("\u{0}\u{ffff}\"\\")),
    ];
    leaf.prop_recursive(10, 64, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,3}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn any_object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map("[a-z]{1,3}", any_json(), 0..5)
        .prop_map(|map| map.into_iter().collect())
}

/// JSON pointers into a connector's writable document: mostly inside
/// `config`, over a few keys, so that operations often apply.
fn any_pointer() -> impl Strategy<Value = String> {
    let root = prop_oneof![
        6 => Just("/config".to_owned()),
        1 => Just("/metadata".to_owned()),
        1 => Just(String::new()),
        1 => "/[a-z]{1,2}",
    ];
    let part = prop_oneof![
        Just("a".to_owned()),
        Just("b".to_owned()),
        Just("0".to_owned()),
        Just("-".to_owned()),
        "[a-z~]{1,2}",
    ];
    (root, prop::collection::vec(part, 0..4)).prop_map(|(root, parts)| {
        parts
            .iter()
            .fold(root, |path, part| format!("{path}/{part}"))
    })
}

fn any_operation() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            4 => Just("add"),
            1 => Just("remove"),
            2 => Just("replace"),
            1 => Just("move"),
            3 => Just("copy"),
            1 => Just("test")
        ],
        any_pointer(),
        any_pointer(),
        any_json(),
    )
        .prop_map(
            |(op, path, from, value)| json!({"op": op, "path": path, "from": from, "value": value}),
        )
}

/// A request body and how it is sent.
#[derive(Debug, Clone)]
enum Request {
    Create(Value),
    Merge(Value),
    JsonPatch(Value),
}

fn any_request() -> impl Strategy<Value = Request> {
    prop_oneof![
        (any_object(), any::<bool>()).prop_map(|(config, sync)| {
            Request::Create(
                json!({"connectorId": "anything", "config": config, "syncProfile": sync}),
            )
        }),
        any_object().prop_map(|config| Request::Merge(json!({"config": config}))),
        any_json().prop_map(|body| Request::Merge(json!({"config": body}))),
        prop::collection::vec(any_operation(), 0..4)
            .prop_map(|ops| Request::JsonPatch(Value::Array(ops))),
        prop::collection::vec(any_operation(), 0..14)
            .prop_map(|ops| Request::JsonPatch(Value::Array(ops))),
    ]
}

/// Sends `request` to connector `id`; panics on anything but a 4xx refusal or a stored connector.
fn send(service: &ConnectorService, tenant: &Arc<TenantState>, request: &Request) {
    let result = match request {
        Request::Create(body) => {
            let mut body = body.clone();
            body["id"] = json!("c");
            service.create(tenant, &body).map(|(_, ack)| ack)
        }
        Request::Merge(body) => service
            .patch(tenant, "c", &PatchBody::Plain(body.clone()), None)
            .map(|(_, ack)| ack),
        Request::JsonPatch(body) => PatchBody::json_patch(body.clone())
            .and_then(|patch| service.patch(tenant, "c", &patch, None))
            .map(|(_, ack)| ack),
    };
    match result {
        Ok(ack) => ack.wait().expect("the write is stored"),
        Err(error) => assert_refusal(&error),
    }
}

fn assert_refusal(error: &ApiError) {
    let (status, _, _) = error.code.describe();
    assert!(status.is_client_error(), "not a 4xx: {error}");
    assert_ne!(
        error.code,
        ErrorCode::MockUnstorable,
        "a connector that would not read back: {error}"
    );
}

/// Every stored record is within the limits and reads back equal.
fn assert_readable(records: &[ConnectorRecord]) {
    for record in records {
        for document in [&record.config, &record.metadata] {
            let document = Value::Object(document.clone());
            assert!(
                !depth_exceeds(&document, LIMITS.max_depth),
                "too deep: {document}"
            );
            assert!(
                !size_exceeds(&document, LIMITS.max_config_bytes),
                "too large"
            );
        }
        let read_back = ConnectorRecord::decode(&record.encode()).expect("decodes");
        assert_eq!(&read_back, record);
    }
}

fn records(tenant: &TenantState) -> Vec<ConnectorRecord> {
    tenant
        .snapshot()
        .entries()
        .map(|entry: &Arc<Entry>| entry.record().clone())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_request_is_refused_with_a_4xx_or_stored_readable(
        seed in any_object(),
        requests in prop::collection::vec(any_request(), 1..6),
        replace in any::<bool>(),
    ) {
        let mode = if replace { PatchMode::Replace } else { PatchMode::Merge };
        let service = ConnectorService::new(catalog(), mode, LIMITS);
        let state = start(None, &service);
        let tenant = state.tenant("t");
        send(&service, &tenant, &Request::Create(json!({"connectorId": "anything", "config": seed})));
        for request in &requests {
            send(&service, &tenant, request);
            assert_readable(&records(&tenant));
        }
        state.stop().unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn what_is_stored_reads_back_after_a_restart(
        requests in prop::collection::vec(any_request(), 1..12),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let service = ConnectorService::new(catalog(), PatchMode::Merge, LIMITS);
        let state = start(Some(dir.path()), &service);
        let tenant = state.tenant("t");
        send(&service, &tenant, &Request::Create(json!({"connectorId": "anything"})));
        for request in &requests {
            send(&service, &tenant, request);
        }
        let before = records(&tenant);
        state.stop().unwrap();
        let state = start(Some(dir.path()), &service);
        let after = records(&state.tenant("t"));
        state.stop().unwrap();
        prop_assert_eq!(before, after);
    }
}
