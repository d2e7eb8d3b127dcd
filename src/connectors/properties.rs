//! Property tests of the write path: whatever a client sends as a create
//! body, a merge patch or a JSON Patch, the answer is either a 4xx error or a
//! stored connector that respects the limits and reads back equal to itself,
//! also after the database is closed and opened again. The fuzz target in
//! `fuzz/` drives the same [`WriteProbe`] with coverage guidance.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

use super::PatchMode;
use crate::testing::{ProbeRequest as Request, WriteProbe};

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

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_request_is_refused_with_a_4xx_or_stored_readable(
        seed in any_object(),
        requests in prop::collection::vec(any_request(), 1..6),
        replace in any::<bool>(),
    ) {
        let mode = if replace { PatchMode::Replace } else { PatchMode::Merge };
        let probe = WriteProbe::start(None, mode);
        probe.send(&Request::Create(json!({"connectorId": "anything", "config": seed})));
        for request in &requests {
            probe.send(request);
            probe.assert_readable();
        }
        probe.stop();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn what_is_stored_reads_back_after_a_restart(
        requests in prop::collection::vec(any_request(), 1..12),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let probe = WriteProbe::start(Some(dir.path()), PatchMode::Merge);
        probe.send(&Request::Create(json!({"connectorId": "anything"})));
        for request in &requests {
            probe.send(request);
        }
        let before = probe.records();
        probe.stop();
        let probe = WriteProbe::start(Some(dir.path()), PatchMode::Merge);
        let after = probe.records();
        probe.stop();
        prop_assert_eq!(before, after);
    }
}
