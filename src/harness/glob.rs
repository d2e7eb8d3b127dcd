//! Path globs for fault rules and journal filters: `*` matches within one
//! path segment, `**` across segments, everything else literally.
//!
//! Matching walks the pattern once over the set of reachable positions in
//! the path, so it costs O(pattern parts × path length) whatever the input
//! (no backtracking).

/// Longest pattern accepted, in bytes.
pub const MAX_GLOB_LENGTH: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    /// `*`: any run of characters other than `/`.
    Star,
    /// `**`: any run of characters.
    Stars,
}

/// A compiled glob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    text: String,
    parts: Vec<Part>,
}

impl Glob {
    /// Compiles `pattern`; it must start with `/` and be at most
    /// [`MAX_GLOB_LENGTH`] bytes.
    pub fn new(pattern: &str) -> Result<Glob, String> {
        if !pattern.starts_with('/') {
            return Err("must start with '/'".to_owned());
        }
        if pattern.len() > MAX_GLOB_LENGTH {
            return Err(format!("must be at most {MAX_GLOB_LENGTH} bytes"));
        }
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = pattern.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '*' {
                literal.push(c);
                continue;
            }
            if !literal.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut literal)));
            }
            let mut stars = 1;
            while chars.peek() == Some(&'*') {
                chars.next();
                stars += 1;
            }
            let part = if stars == 1 { Part::Star } else { Part::Stars };
            // `*` after `**` (or the reverse) adds nothing.
            match (parts.last(), &part) {
                (Some(Part::Stars), _) => {}
                (Some(Part::Star), Part::Stars) => *parts.last_mut().expect("exists") = Part::Stars,
                _ => parts.push(part),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Glob {
            text: pattern.to_owned(),
            parts,
        })
    }

    /// The pattern as given.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the whole of `path` matches.
    pub fn matches(&self, path: &str) -> bool {
        let bytes = path.as_bytes();
        let n = bytes.len();
        let mut reachable = vec![false; n + 1];
        reachable[0] = true;
        let mut next = vec![false; n + 1];
        for part in &self.parts {
            next.iter_mut().for_each(|slot| *slot = false);
            match part {
                Part::Literal(literal) => {
                    let literal = literal.as_bytes();
                    for start in 0..=n {
                        if reachable[start] && bytes[start..].starts_with(literal) {
                            next[start + literal.len()] = true;
                        }
                    }
                }
                Part::Star => {
                    let mut open = false;
                    for position in 0..=n {
                        open |= reachable[position];
                        next[position] = open;
                        if position < n && bytes[position] == b'/' {
                            open = false;
                        }
                    }
                }
                Part::Stars => {
                    let mut open = false;
                    for position in 0..=n {
                        open |= reachable[position];
                        next[position] = open;
                    }
                }
            }
            std::mem::swap(&mut reachable, &mut next);
            if !reachable.contains(&true) {
                return false;
            }
        }
        reachable[n]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, path: &str) -> bool {
        Glob::new(pattern).unwrap().matches(path)
    }

    #[test]
    fn one_star_stays_within_a_segment_two_cross_them() {
        assert!(matches("/api/connectors", "/api/connectors"));
        assert!(!matches("/api/connectors", "/api/connectors/x"));
        assert!(matches("/api/connectors/*", "/api/connectors/abc"));
        assert!(matches("/api/connectors/*", "/api/connectors/"));
        assert!(!matches("/api/connectors/*", "/api/connectors/a/test"));
        assert!(matches("/api/connectors/*/test", "/api/connectors/a/test"));
        assert!(matches("/api/**", "/api/connectors/a/test"));
        assert!(matches("/**/test", "/api/connectors/a/test"));
        assert!(matches("/api/*-x", "/api/a-b-x"));
        assert!(!matches("/api/*-x", "/api/a-b-y"));
        assert!(matches("/**", "/"));
        assert!(matches("/***", "/a/b"));
    }

    #[test]
    fn bad_patterns_are_refused_and_matching_stays_linear() {
        assert!(Glob::new("api").is_err());
        assert!(Glob::new(&format!("/{}", "a".repeat(600))).is_err());
        let hostile = Glob::new(&"/*a".repeat(100)).unwrap();
        let path = format!("/{}", "a".repeat(20_000));
        assert!(!hostile.matches(&path));
    }
}
