//! Limits on what a client can make the server store (`[limits]`).
//!
//! Every stored document (a connector's `config`, its `metadata`, a seeded or
//! imported connector) is checked against these limits after every change:
//! after a merge patch, after *each* operation of a JSON Patch, on create and
//! on import. Nothing deeper or larger than the limits is ever kept, so every
//! recursive walk elsewhere (cleaning, validation, rendering, decoding a
//! stored record) runs on documents of bounded depth and size.

use serde::Deserialize;
use serde_json::Value;
use std::io;

/// Highest accepted `[limits] max_depth`: a stored record nests its config
/// one level down, and serde_json refuses to decode more than 128 levels.
pub const DEPTH_CEILING: usize = 100;

/// The limits, as configured (`[limits]`; see [`crate::config`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::Args)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Deepest nesting of a stored `config` or `metadata` (the object itself is level 1; 1..100).
    #[arg(
        id = "limits.max_depth",
        long = "limits-max-depth",
        env = "CONNECTOR_MOCK_LIMITS_MAX_DEPTH",
        value_name = "LEVELS",
        default_value_t = 32
    )]
    pub max_depth: usize,
    /// Largest stored `config` (and `metadata`), as compact JSON, in bytes.
    #[arg(
        id = "limits.max_config_bytes",
        long = "limits-max-config-bytes",
        env = "CONNECTOR_MOCK_LIMITS_MAX_CONFIG_BYTES",
        value_name = "BYTES",
        default_value_t = 256 * 1024
    )]
    pub max_config_bytes: usize,
    /// Most operations in one JSON Patch (RFC 6902) request.
    #[arg(
        id = "limits.max_patch_operations",
        long = "limits-max-patch-operations",
        env = "CONNECTOR_MOCK_LIMITS_MAX_PATCH_OPERATIONS",
        value_name = "N",
        default_value_t = 100
    )]
    pub max_patch_operations: usize,
}

impl Default for Limits {
    /// The built-in defaults declared on the fields' `#[arg]` attributes.
    fn default() -> Self {
        crate::config::built_in_defaults()
    }
}

/// Which limit a document broke, with the numbers for the error message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitExceeded {
    /// Nested deeper than `limit` levels.
    Depth { limit: usize },
    /// Larger than `limit` bytes as compact JSON.
    Size { limit: usize },
    /// A JSON Patch with more than `limit` operations (it had `given`).
    PatchOperations { limit: usize, given: usize },
}

impl LimitExceeded {
    /// The setting that names the limit, e.g. `max_depth`.
    pub fn setting(&self) -> &'static str {
        match self {
            LimitExceeded::Depth { .. } => "max_depth",
            LimitExceeded::Size { .. } => "max_config_bytes",
            LimitExceeded::PatchOperations { .. } => "max_patch_operations",
        }
    }

    /// The configured value of the limit.
    pub fn limit(&self) -> usize {
        match self {
            LimitExceeded::Depth { limit }
            | LimitExceeded::Size { limit }
            | LimitExceeded::PatchOperations { limit, .. } => *limit,
        }
    }

    /// One sentence for the error body.
    pub fn describe(&self, what: &str) -> String {
        match self {
            LimitExceeded::Depth { limit } => format!(
                "The {what} would be nested deeper than {limit} levels ([limits] max_depth)."
            ),
            LimitExceeded::Size { limit } => format!(
                "The {what} would be larger than {limit} bytes as JSON ([limits] max_config_bytes)."
            ),
            LimitExceeded::PatchOperations { limit, given } => format!(
                "The JSON Patch has {given} operations; at most {limit} are accepted ([limits] max_patch_operations)."
            ),
        }
    }
}

impl Limits {
    /// Checks a document that is about to be stored, in one iterative walk
    /// that stops at the first limit passed: nesting depth and the exact size
    /// of its compact JSON. Safe on any input, whatever its depth.
    pub fn check_document(&self, value: &Value) -> Result<(), LimitExceeded> {
        measure(value, self.max_depth, self.max_config_bytes)
    }

    /// Checks the number of operations of a JSON Patch.
    pub fn check_patch_operations(&self, given: usize) -> Result<(), LimitExceeded> {
        if given > self.max_patch_operations {
            return Err(LimitExceeded::PatchOperations {
                limit: self.max_patch_operations,
                given,
            });
        }
        Ok(())
    }

    /// Refuses settings that would allow unreadable records.
    pub fn validate(&self) -> Result<(), String> {
        if self.max_depth == 0 || self.max_depth > DEPTH_CEILING {
            return Err(format!(
                "[limits] max_depth must be between 1 and {DEPTH_CEILING}, got {}",
                self.max_depth
            ));
        }
        if self.max_config_bytes == 0 {
            return Err("[limits] max_config_bytes must be at least 1".to_owned());
        }
        Ok(())
    }
}

/// Walks `value` (iteratively) and fails as soon as it nests deeper than
/// `max_depth` levels (scalars are level 0, a container is one more than its
/// deepest child) or its compact JSON passes `max_bytes`.
fn measure(value: &Value, max_depth: usize, max_bytes: usize) -> Result<(), LimitExceeded> {
    let mut size = 0usize;
    let mut stack: Vec<(&Value, usize)> = vec![(value, 1)];
    while let Some((value, level)) = stack.pop() {
        match value {
            Value::Null | Value::Bool(true) => size += 4,
            Value::Bool(false) => size += 5,
            Value::Number(number) => size += number_length(number),
            Value::String(text) => size += string_length(text),
            Value::Array(items) => {
                if level > max_depth {
                    return Err(LimitExceeded::Depth { limit: max_depth });
                }
                size += 2 + items.len().saturating_sub(1);
                stack.extend(items.iter().map(|item| (item, level + 1)));
            }
            Value::Object(object) => {
                if level > max_depth {
                    return Err(LimitExceeded::Depth { limit: max_depth });
                }
                size += 2 + object.len().saturating_sub(1);
                for (key, item) in object {
                    size += string_length(key) + 1;
                    stack.push((item, level + 1));
                }
            }
        }
        if size > max_bytes {
            return Err(LimitExceeded::Size { limit: max_bytes });
        }
    }
    Ok(())
}

/// Length of a string as serde_json writes it: quoted, with `"`, `\\` and
/// control characters escaped.
fn string_length(text: &str) -> usize {
    let escapes: usize = text
        .bytes()
        .map(|byte| match byte {
            b'"' | b'\\' | 0x08 | 0x09 | 0x0a | 0x0c | 0x0d => 1,
            0x00..=0x1f => 5,
            _ => 0,
        })
        .sum();
    text.len() + escapes + 2
}

fn number_length(number: &serde_json::Number) -> usize {
    fn digits(mut value: u64) -> usize {
        let mut count = 1;
        while value >= 10 {
            value /= 10;
            count += 1;
        }
        count
    }
    if let Some(value) = number.as_u64() {
        digits(value)
    } else if let Some(value) = number.as_i64() {
        1 + digits(value.unsigned_abs())
    } else {
        let mut counter = CountingWriter {
            written: 0,
            limit: usize::MAX,
        };
        let _ = serde_json::to_writer(&mut counter, number);
        counter.written
    }
}

/// Whether `value` nests deeper than `limit` levels. Iterative: safe on any input.
pub fn depth_exceeds(value: &Value, limit: usize) -> bool {
    matches!(
        measure(value, limit, usize::MAX),
        Err(LimitExceeded::Depth { .. })
    )
}

/// Whether `value` serializes to more than `limit` bytes of compact JSON.
pub fn size_exceeds(value: &Value, limit: usize) -> bool {
    matches!(
        measure(value, usize::MAX, limit),
        Err(LimitExceeded::Size { .. })
    )
}

/// The deepest nesting of `{`/`[` in JSON text (outside strings), in one
/// pass without allocating: serde_json reads back anything it wrote as long
/// as this stays within its recursion limit.
pub fn json_text_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for byte in bytes {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// A writer that counts bytes and fails once more than `limit` were written.
struct CountingWriter {
    written: usize,
    limit: usize,
}

impl io::Write for CountingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.written += buf.len();
        if self.written > self.limit {
            return Err(io::Error::other("limit reached"));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nested(depth: usize) -> Value {
        let mut value = json!("leaf");
        for _ in 0..depth {
            value = json!({ "a": value });
        }
        value
    }

    #[test]
    fn depth_counts_containers_from_one() {
        assert!(!depth_exceeds(&json!("x"), 0));
        assert!(!depth_exceeds(&json!({}), 1));
        assert!(depth_exceeds(&json!({"a": {}}), 1));
        assert!(!depth_exceeds(&nested(32), 32));
        assert!(depth_exceeds(&nested(33), 32));
        assert!(depth_exceeds(&json!([[[1]]]), 2));
    }

    #[test]
    fn a_very_deep_value_is_measured_without_recursion() {
        // Built and dropped iteratively so the test itself cannot overflow.
        let mut value = Value::Null;
        for _ in 0..100_000 {
            value = Value::Array(vec![value]);
        }
        assert!(depth_exceeds(&value, 100));
        let mut current = value;
        while let Value::Array(mut items) = current {
            current = items.pop().unwrap_or(Value::Null);
        }
    }

    #[test]
    fn size_is_the_compact_json_length() {
        let value = json!({"k": "vvvv"});
        let length = value.to_string().len();
        assert!(!size_exceeds(&value, length));
        assert!(size_exceeds(&value, length - 1));
    }

    #[test]
    fn sizes_are_exactly_what_serde_json_writes() {
        for value in [
            json!({"a": "x\"y\\z\n\u{1}\u{7f}é😀", "b": [1, -12, 1.5, -0.0, 1e300, null, true, false]}),
            json!([u64::MAX, i64::MIN, 0.1, 123456789.125, {"": {}}, [], ""]),
            json!("\u{0}\u{1f}\t\r\u{8}\u{c}"),
        ] {
            let length = value.to_string().len();
            assert!(!size_exceeds(&value, length), "{value}");
            assert!(size_exceeds(&value, length - 1), "{value}");
        }
    }

    #[test]
    fn text_depth_ignores_brackets_in_strings() {
        assert_eq!(json_text_depth(br#"{"a":[{"b":"[[{\"}"}]}"#), 3);
        assert_eq!(json_text_depth(b"1"), 0);
        assert_eq!(json_text_depth(nested(40).to_string().as_bytes()), 40);
        let text = |depth: usize| "[".repeat(depth) + &"]".repeat(depth);
        assert!(serde_json::from_str::<Value>(&text(127)).is_ok());
        assert!(
            serde_json::from_str::<Value>(&text(128)).is_err(),
            "serde_json's limit"
        );
    }

    #[test]
    fn check_document_names_the_broken_limit() {
        let limits = Limits {
            max_depth: 3,
            max_config_bytes: 20,
            max_patch_operations: 2,
        };
        assert_eq!(
            limits.check_document(&nested(4)),
            Err(LimitExceeded::Depth { limit: 3 })
        );
        assert_eq!(
            limits.check_document(&json!({"k": "x".repeat(30)})),
            Err(LimitExceeded::Size { limit: 20 })
        );
        assert!(limits.check_document(&json!({"k": "v"})).is_ok());
        assert_eq!(
            limits.check_patch_operations(3).unwrap_err().setting(),
            "max_patch_operations"
        );
        assert!(Limits {
            max_depth: 101,
            ..limits
        }
        .validate()
        .is_err());
    }
}
