//! Generated connector ids: 12 characters of `[0-9a-z]`, as Logto's `generateStandardShortId`.

const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// Length of a generated instance id.
pub const GENERATED_ID_LENGTH: usize = 12;

/// A new random id.
pub fn generate_id() -> String {
    let mut id = String::with_capacity(GENERATED_ID_LENGTH);
    let mut buffer = [0u8; 32];
    while id.len() < GENERATED_ID_LENGTH {
        getrandom::getrandom(&mut buffer).expect("the OS random source is available");
        // 252 = 7 * 36: rejecting larger bytes keeps every character equally likely.
        for byte in buffer.iter().filter(|byte| **byte < 252) {
            if id.len() == GENERATED_ID_LENGTH {
                break;
            }
            id.push(ALPHABET[usize::from(*byte) % ALPHABET.len()] as char);
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

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
