//! Small pieces of JavaScript that Logto and the connector packages lean on,
//! reproduced exactly: its whitespace, `String.prototype.trim` and `Number(text)`.

/// JavaScript's WhiteSpace and LineTerminator characters (what `trim` removes
/// and `\s` matches; unlike Rust's `char::is_whitespace`: U+FEFF yes, U+0085 no).
pub fn is_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// `text.trim()`.
pub fn trim(text: &str) -> &str {
    text.trim_matches(is_whitespace)
}

/// `Number(text)`, `None` where JavaScript gives `NaN`: trimmed; empty is 0;
/// decimal with optional sign, fraction and exponent; `Infinity`; unsigned
/// `0x`/`0o`/`0b` integers.
pub fn number(text: &str) -> Option<f64> {
    let text = trim(text);
    if text.is_empty() {
        return Some(0.0);
    }
    let bytes = text.as_bytes();
    if bytes.len() > 2 && bytes[0] == b'0' {
        let radix = match bytes[1] {
            b'x' | b'X' => Some(16),
            b'o' | b'O' => Some(8),
            b'b' | b'B' => Some(2),
            _ => None,
        };
        if let Some(radix) = radix {
            return integer(&text[2..], radix);
        }
    }
    let (sign, unsigned) = match bytes[0] {
        b'-' => (-1.0, &text[1..]),
        b'+' => (1.0, &text[1..]),
        _ => (1.0, text),
    };
    if unsigned == "Infinity" {
        return Some(sign * f64::INFINITY);
    }
    if !is_decimal(unsigned) {
        return None;
    }
    // The grammar is checked above; Rust reads the same decimal grammar.
    text.parse().ok()
}

/// Digits, an optional `.` with digits on at least one side, an optional exponent.
fn is_decimal(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count()
    };
    let whole = digits(0);
    let mut at = whole;
    let mut fraction = 0;
    if bytes.get(at) == Some(&b'.') {
        fraction = digits(at + 1);
        at += 1 + fraction;
    }
    if whole + fraction == 0 {
        return false;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 {
            return false;
        }
        at += exponent;
    }
    at == bytes.len()
}

/// An unsigned integer in `radix` (at least one digit), rounded to the nearest `f64`
/// for values up to 2^128 (beyond that, within a few units in the last place).
fn integer(digits: &str, radix: u32) -> Option<f64> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let significant = digits.trim_start_matches('0');
    if let Ok(value) = u128::from_str_radix(
        if significant.is_empty() {
            "0"
        } else {
            significant
        },
        radix,
    ) {
        return Some(value as f64);
    }
    Some(significant.chars().fold(0.0, |value, c| {
        value * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_reads_what_javascript_reads() {
        let cases: &[(&str, Option<f64>)] = &[
            ("", Some(0.0)),
            ("  ", Some(0.0)),
            ("0.5", Some(0.5)),
            (" 0.5\u{a0}", Some(0.5)),
            ("1", Some(1.0)),
            ("+.5e1", Some(5.0)),
            ("5.", Some(5.0)),
            (".5", Some(0.5)),
            ("-1", Some(-1.0)),
            ("1e400", Some(f64::INFINITY)),
            ("-Infinity", Some(f64::NEG_INFINITY)),
            ("Infinity", Some(f64::INFINITY)),
            ("0x10", Some(16.0)),
            ("0X1f", Some(31.0)),
            ("0o17", Some(15.0)),
            ("0b101", Some(5.0)),
            ("0x", None),
            ("-0x1", None),
            ("0xg", None),
            ("0b2", None),
            ("inf", None),
            ("infinity", None),
            ("NaN", None),
            ("1_0", None),
            ("1e", None),
            (".", None),
            ("e5", None),
            ("1.2.3", None),
            ("0.5q", None),
            ("\u{85}1", None),
        ];
        for (text, expected) in cases {
            assert_eq!(number(text), *expected, "{text:?}");
        }
        assert_eq!(
            number(&format!("0x{}", "f".repeat(40))),
            Some(16f64.powi(40) - 1.0)
        );
        assert!(number(&"9".repeat(5000)).unwrap().is_infinite());
    }

    #[test]
    fn trim_removes_javascript_whitespace_only() {
        assert_eq!(trim("\t\u{a0}de\u{feff} "), "de");
        assert_eq!(trim("\u{85}de"), "\u{85}de");
    }
}
