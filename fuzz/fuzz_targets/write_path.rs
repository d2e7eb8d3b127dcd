//! Fuzz target: request body → create / merge patch / JSON Patch → validation
//! → in-memory state → store. Every input must end in a 4xx refusal or a
//! stored connector that respects the limits and reads back equal to itself
//! (the same invariant the property tests check, with coverage guidance).
//!
//! Input: one selector byte (bits 0–1: create, merge patch or JSON Patch;
//! bit 2: replace mode), then up to four request bodies separated by 0xff
//! (a byte that never occurs in UTF-8 text).

#![no_main]

use connector_mock::connectors::PatchMode;
use connector_mock::routes::body::parse_json;
use connector_mock::testing::{assert_refusal, ProbeRequest, WriteProbe};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bodies)) = data.split_first() else {
        return;
    };
    let mode = if selector & 4 == 0 {
        PatchMode::Merge
    } else {
        PatchMode::Replace
    };
    let probe = WriteProbe::start(None, mode);
    probe.send(&ProbeRequest::Create(json!({
        "connectorId": "anything",
        "config": {"a": {"b": [1, "x", null]}, "s": "text"}
    })));
    for bytes in bodies.split(|byte| *byte == 0xff).take(4) {
        let body = match parse_json(bytes) {
            Ok(body) => body,
            Err(error) => {
                assert_refusal(&error);
                continue;
            }
        };
        let request = match selector % 3 {
            0 => ProbeRequest::Create(body),
            1 => ProbeRequest::Merge(body),
            _ => ProbeRequest::JsonPatch(body),
        };
        probe.send(&request);
        probe.assert_readable();
    }
    probe.stop();
});
