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

/// The limits, as configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Deepest nesting of a stored `config` or `metadata` (the object itself is level 1).
    pub max_depth: usize,
    /// Largest stored `config` (and `metadata`), as compact JSON, in bytes.
    pub max_config_bytes: usize,
    /// Most operations in one JSON Patch (RFC 6902) request.
    pub max_patch_operations: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 32,
            max_config_bytes: 256 * 1024,
            max_patch_operations: 100,
        }
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
    /// Checks a document that is about to be stored: depth first (so the size
    /// walk, which recurses, only ever sees bounded depth), then size.
    pub fn check_document(&self, value: &Value) -> Result<(), LimitExceeded> {
        if depth_exceeds(value, self.max_depth) {
            return Err(LimitExceeded::Depth {
                limit: self.max_depth,
            });
        }
        if size_exceeds(value, self.max_config_bytes) {
            return Err(LimitExceeded::Size {
                limit: self.max_config_bytes,
            });
        }
        Ok(())
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

/// Whether `value` nests deeper than `limit` levels (scalars are level 0, a
/// container is one more than its deepest child). Iterative: safe on any input.
pub fn depth_exceeds(value: &Value, limit: usize) -> bool {
    let mut stack: Vec<(&Value, usize)> = vec![(value, 1)];
    while let Some((value, level)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(object) => Box::new(object.values()),
            _ => continue,
        };
        if level > limit {
            return true;
        }
        stack.extend(children.map(|child| (child, level + 1)));
    }
    false
}

/// Whether `value` serializes to more than `limit` bytes of compact JSON.
/// Stops writing as soon as the limit is passed. Call it on values of bounded
/// depth only (serialization recurses).
pub fn size_exceeds(value: &Value, limit: usize) -> bool {
    let mut counter = CountingWriter { written: 0, limit };
    serde_json::to_writer(&mut counter, value).is_err()
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
