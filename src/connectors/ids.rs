//! Generated ids: 12 characters of `[0-9a-z]`, as Logto's `generateStandardShortId`,
//! from the OS's random source or, with `[ids] seed`, from a reproducible
//! sequence per tenant.

use std::sync::Mutex;

const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// Length of a generated instance id.
pub const GENERATED_ID_LENGTH: usize = 12;
/// Length of Logto's `generateStandardId` ids (email templates).
pub const STANDARD_ID_LENGTH: usize = 21;

/// A new random id.
pub fn generate_id() -> String {
    random_id(GENERATED_ID_LENGTH)
}

/// A new random id of `length` characters.
fn random_id(length: usize) -> String {
    let mut id = String::with_capacity(length);
    let mut buffer = [0u8; 32];
    while id.len() < length {
        getrandom::getrandom(&mut buffer).expect("the OS random source is available");
        // 252 = 7 * 36: rejecting larger bytes keeps every character equally likely.
        for byte in buffer.iter().filter(|byte| **byte < 252) {
            if id.len() == length {
                break;
            }
            id.push(ALPHABET[usize::from(*byte) % ALPHABET.len()] as char);
        }
    }
    id
}

/// Where a tenant's new ids come from.
#[derive(Debug)]
pub enum IdSource {
    /// The OS's random source.
    Random,
    /// A reproducible sequence (SplitMix64), the same on every fresh start.
    Seeded { start: u64, state: Mutex<u64> },
}

impl IdSource {
    /// Random ids without a seed; with one, a sequence that depends only on
    /// `seed` and `tenant`.
    pub fn new(seed: Option<u64>, tenant: &str) -> IdSource {
        match seed {
            None => IdSource::Random,
            Some(seed) => {
                // FNV-1a of the tenant name mixed with the seed: each tenant
                // gets its own sequence.
                let name_hash = tenant.bytes().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
                    (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
                });
                let start = seed ^ name_hash.rotate_left(17);
                IdSource::Seeded {
                    start,
                    state: Mutex::new(start),
                }
            }
        }
    }

    /// A new 12-character id (connector instances).
    pub fn generate(&self) -> String {
        self.generate_of_length(GENERATED_ID_LENGTH)
    }

    /// A new 21-character id (Logto's `generateStandardId`, e.g. email templates).
    pub fn generate_standard(&self) -> String {
        self.generate_of_length(STANDARD_ID_LENGTH)
    }

    fn generate_of_length(&self, length: usize) -> String {
        match self {
            IdSource::Random => random_id(length),
            IdSource::Seeded { state, .. } => {
                let mut state = state.lock().unwrap_or_else(|poison| poison.into_inner());
                let mut id = String::with_capacity(length);
                while id.len() < length {
                    let mut word = split_mix(&mut state);
                    // Six characters per word keep the bias below 2^-30.
                    for _ in 0..6 {
                        if id.len() == length {
                            break;
                        }
                        id.push(ALPHABET[(word % 36) as usize] as char);
                        word /= 36;
                    }
                }
                id
            }
        }
    }

    /// A new token id (`jti`): 16 random bytes in base64url, or the next
    /// id of the reproducible sequence.
    pub fn token_id(&self) -> String {
        match self {
            IdSource::Random => random_token_id(),
            IdSource::Seeded { .. } => self.generate(),
        }
    }

    /// Starts the sequence again (a reset returns the tenant to its first state).
    pub fn restart(&self) {
        if let IdSource::Seeded { start, state } = self {
            *state.lock().unwrap_or_else(|poison| poison.into_inner()) = *start;
        }
    }
}

/// 16 random bytes in base64url (a token's `jti`).
pub fn random_token_id() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).expect("the OS random source is available");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// One step of SplitMix64.
fn split_mix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_sources_repeat_per_tenant_and_differ_between_tenants() {
        let first: Vec<String> = {
            let source = IdSource::new(Some(7), "acme");
            (0..5).map(|_| source.generate()).collect()
        };
        let again = IdSource::new(Some(7), "acme");
        let second: Vec<String> = (0..5).map(|_| again.generate()).collect();
        assert_eq!(first, second);
        let other = IdSource::new(Some(7), "beta");
        assert_ne!(other.generate(), first[0]);
        let reseeded = IdSource::new(Some(8), "acme");
        assert_ne!(reseeded.generate(), first[0]);
        again.restart();
        assert_eq!(again.generate(), first[0]);
        assert!(first.iter().all(|id| id.len() == GENERATED_ID_LENGTH
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())));
        let distinct: std::collections::BTreeSet<&String> = first.iter().collect();
        assert_eq!(distinct.len(), first.len());
    }

    #[test]
    fn generated_ids_have_twelve_lowercase_alphanumerics() {
        for _ in 0..100 {
            let id = generate_id();
            assert_eq!(id.len(), 12);
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()),
                "{id}"
            );
        }
        assert_ne!(generate_id(), generate_id());
    }
}
