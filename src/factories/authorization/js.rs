//! Small JavaScript behaviours the connector packages rely on when they build
//! URLs, reproduced exactly: Node's `path.posix.join`,
//! `crypto.randomUUID()` and Node's decoding of request headers.

pub use crate::js::trim;

/// Node's `path.posix.join(...parts)`: non-empty parts joined with `/`, then
/// normalized (`.` and `..` resolved, repeated slashes collapsed, a trailing
/// slash kept).
pub fn path_join(parts: &[String]) -> String {
    let joined = parts
        .iter()
        .filter(|part| !part.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("/");
    if joined.is_empty() {
        return ".".to_owned();
    }
    let absolute = joined.starts_with('/');
    let trailing = joined.ends_with('/');
    let mut path = normalize_string(&joined, !absolute);
    if path.is_empty() {
        return match (absolute, trailing) {
            (true, _) => "/".to_owned(),
            (false, true) => "./".to_owned(),
            (false, false) => ".".to_owned(),
        };
    }
    if trailing {
        path.push('/');
    }
    if absolute {
        path.insert(0, '/');
    }
    path
}

/// Node's `normalizeString` for POSIX paths (lib/path.js), on bytes: only `/`
/// and `.` matter, and both are ASCII.
fn normalize_string(path: &str, allow_above_root: bool) -> String {
    let bytes = path.as_bytes();
    let mut res = String::new();
    let mut last_segment_length = 0usize;
    let mut last_slash: isize = -1;
    let mut dots: i32 = 0;
    let mut code = 0u8;
    for i in 0..=bytes.len() {
        if i < bytes.len() {
            code = bytes[i];
        } else if code == b'/' {
            break;
        } else {
            code = b'/';
        }
        if code == b'/' {
            let index = i as isize;
            if last_slash == index - 1 || dots == 1 {
                // Empty segment or `.`: nothing to add.
            } else if dots == 2 {
                let last_is_dot_dot =
                    res.len() >= 2 && last_segment_length == 2 && res.ends_with("..");
                if !last_is_dot_dot {
                    if res.len() > 2 {
                        match res.rfind('/') {
                            None => {
                                res.clear();
                                last_segment_length = 0;
                            }
                            Some(position) => {
                                res.truncate(position);
                                // `res.length - 1 - res.lastIndexOf('/')`.
                                last_segment_length = match res.rfind('/') {
                                    Some(slash) => res.len() - 1 - slash,
                                    None => res.len(),
                                };
                            }
                        }
                        last_slash = index;
                        dots = 0;
                        continue;
                    } else if !res.is_empty() {
                        res.clear();
                        last_segment_length = 0;
                        last_slash = index;
                        dots = 0;
                        continue;
                    }
                }
                if allow_above_root {
                    res.push_str(if res.is_empty() { ".." } else { "/.." });
                    last_segment_length = 2;
                }
            } else {
                let start = (last_slash + 1) as usize;
                if !res.is_empty() {
                    res.push('/');
                }
                res.push_str(&path[start..i]);
                last_segment_length = i - start;
            }
            last_slash = index;
            dots = 0;
        } else if code == b'.' && dots != -1 {
            dots += 1;
        } else {
            dots = -1;
        }
    }
    res
}

/// A random version 4 UUID in lowercase, as `crypto.randomUUID()` writes it.
pub fn random_uuid() -> String {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).expect("the OS random source is available");
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Whether `text` is a lowercase version 4 UUID.
pub fn is_uuid_v4(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            8 | 13 | 18 | 23 => *byte == b'-',
            14 => *byte == b'4',
            19 => matches!(byte, b'8' | b'9' | b'a' | b'b'),
            _ => byte.is_ascii_digit() || (b'a'..=b'f').contains(byte),
        })
}

/// A header value as Node hands it to Logto: each byte read as Latin-1.
pub fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| char::from(*byte)).collect()
}

/// Headers whose repeats Node drops (the first one counts) instead of joining
/// them with `, ` (`IncomingMessage#headers`).
pub const FIRST_VALUE_WINS: &[&str] = &[
    "age",
    "authorization",
    "content-length",
    "content-type",
    "etag",
    "expires",
    "from",
    "host",
    "if-modified-since",
    "if-unmodified-since",
    "last-modified",
    "location",
    "max-forwards",
    "proxy-authorization",
    "referer",
    "retry-after",
    "server",
    "user-agent",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn join(parts: &[&str]) -> String {
        path_join(
            &parts
                .iter()
                .map(|part| (*part).to_owned())
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn path_join_matches_node() {
        // Expected values printed by Node's path.posix.join.
        let cases: &[(&[&str], &str)] = &[
            (
                &["https://login.microsoftonline.com", "common"],
                "https:/login.microsoftonline.com/common",
            ),
            (
                &["https://login.microsoftonline.com/", "/common/"],
                "https:/login.microsoftonline.com/common/",
            ),
            (&["https://a/x/..", "t"], "https:/a/t"),
            (&["https://a", ".."], "https:"),
            (&["https://a", "../.."], "."),
            (&["x", "../../y"], "../y"),
            (&["/a", "../../b"], "/b"),
            (&["", ""], "."),
            (&["a", "/"], "a/"),
            (&["./", "./"], "./"),
            (&["/", ""], "/"),
            (&["ab/cd/..", "..", "e"], "e"),
            (&["..a/b", "../c"], "..a/c"),
            (&["é/ü", ".."], "é"),
            (&["a/b/c/../../d/./e//f/..", "../.."], "a"),
            (&["../a/..", "b"], "../b"),
        ];
        for (parts, expected) in cases {
            assert_eq!(join(parts), *expected, "{parts:?}");
        }
    }

    #[test]
    fn trim_is_javascripts() {
        assert_eq!(trim("\u{FEFF}\u{A0} a b\t\n"), "a b");
        assert_eq!(trim("\u{85}a"), "\u{85}a");
    }

    #[test]
    fn uuids_are_random_v4() {
        let (a, b) = (random_uuid(), random_uuid());
        assert!(is_uuid_v4(&a) && is_uuid_v4(&b), "{a} {b}");
        assert_ne!(a, b);
        assert!(!is_uuid_v4("00000000-0000-0000-0000-000000000000"));
        assert!(!is_uuid_v4(&a.to_uppercase()));
    }
}
