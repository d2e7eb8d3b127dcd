//! Entity tags for JSON bodies (`GET` answers, `If-None-Match`, `If-Match`).

use serde_json::Value;

/// A strong ETag of the body's compact JSON text: `"<16 hex digits>"` (64-bit FNV-1a).
pub fn etag_of(body: &Value) -> String {
    etag_of_text(&body.to_string())
}

/// [`etag_of`] for a body already serialized (compact JSON text).
pub fn etag_of_text(text: &str) -> String {
    etag_of_bytes(text.as_bytes())
}

/// [`etag_of`] for serialized bytes.
pub fn etag_of_bytes(bytes: &[u8]) -> String {
    format!("\"{:016x}\"", hash64(bytes))
}

/// A fast 64-bit hash of `bytes`, eight bytes at a time (not cryptographic:
/// it tells versions of one resource apart).
fn hash64(bytes: &[u8]) -> u64 {
    const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ (bytes.len() as u64).wrapping_mul(MULTIPLIER);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        hash = (hash ^ word).wrapping_mul(MULTIPLIER);
        hash ^= hash >> 29;
    }
    for byte in words.remainder() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash ^ (hash >> 32)
}

/// The ETag of a list, from the ETags of its items (in order): changes
/// whenever an item, the order or the number of items changes.
pub fn etag_of_list<'a>(item_etags: impl IntoIterator<Item = &'a str>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut count = 0u64;
    for etag in item_etags {
        for byte in etag.bytes().chain([b',']) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        count += 1;
    }
    format!("\"{hash:016x}-{count}\"")
}

/// Whether a conditional header value (`*` or a comma-separated list) names `etag`.
/// `weak_ok` allows `W/` tags to match (`If-None-Match`); `If-Match` compares strongly.
pub fn header_matches(header: &str, etag: &str, weak_ok: bool) -> bool {
    header.split(',').map(str::trim).any(|candidate| {
        if candidate == "*" {
            return true;
        }
        match candidate.strip_prefix("W/") {
            Some(weak) => weak_ok && weak == etag,
            None => candidate == etag,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equal_bodies_have_equal_tags_and_lists_match() {
        let tag = etag_of(&json!({"a": 1}));
        assert_eq!(tag, etag_of(&json!({"a": 1})));
        assert_ne!(tag, etag_of(&json!({"a": 2})));
        assert!(header_matches(&format!("\"x\", {tag}"), &tag, false));
        assert!(!header_matches(&format!("W/{tag}"), &tag, false));
        assert!(header_matches(&format!("W/{tag}"), &tag, true));
        assert!(header_matches("*", &tag, false));
    }

    #[test]
    fn one_changed_byte_anywhere_changes_the_tag() {
        let base = vec![b'x'; 100];
        let mut tags = std::collections::HashSet::new();
        tags.insert(etag_of_bytes(&base));
        for position in 0..base.len() {
            let mut changed = base.clone();
            changed[position] = b'y';
            assert!(
                tags.insert(etag_of_bytes(&changed)),
                "collision at {position}"
            );
        }
        assert_ne!(etag_of_bytes(b""), etag_of_bytes(b"\0"));
    }
}
