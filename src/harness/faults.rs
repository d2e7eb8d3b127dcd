//! Fault injection: rules checked in order before a tenant's `/api` and
//! `/oidc` requests are handled; the first match wins.

use serde_json::{json, Map, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use super::glob::Glob;

/// Most rules one tenant may hold.
pub const MAX_RULES: usize = 100;
/// Longest delay a rule may ask for, in milliseconds.
pub const MAX_DELAY_MS: u64 = 60_000;

/// What a matching rule does.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Wait, then handle the request normally.
    Delay(Duration),
    /// Wait, then answer with this instead of handling the request.
    Answer {
        delay: Duration,
        status: u16,
        body: Option<Value>,
        headers: Vec<(String, String)>,
    },
    /// Wait, then close the connection without an answer.
    Reset(Duration),
}

/// One validated rule and what is left of it.
#[derive(Debug, Clone)]
struct Rule {
    /// The rule as given (for `GET /_mock/faults`).
    given: Map<String, Value>,
    method: Option<String>,
    path: Glob,
    fault: Fault,
    /// `None`: until cleared.
    remaining: Option<u64>,
}

/// A refused rule: its index, the offending field and why.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidRule {
    pub index: usize,
    pub field: String,
    pub message: String,
}

/// One tenant's rules.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<Rule>>,
    /// Whether any rule may still fire: requests skip the lock when not.
    armed: AtomicBool,
}

impl Faults {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Rule>> {
        self.rules
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Replaces every rule with `rules` (a JSON array), all or nothing.
    pub fn replace(&self, rules: &Value) -> Result<(), InvalidRule> {
        let parsed = parse_rules(rules)?;
        let mut current = self.lock();
        *current = parsed;
        self.armed.store(!current.is_empty(), Ordering::Release);
        Ok(())
    }

    /// Removes every rule.
    pub fn clear(&self) {
        let mut current = self.lock();
        current.clear();
        self.armed.store(false, Ordering::Release);
    }

    /// How many rules there are (spent ones included).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rules as given, each with `remaining` (`null`: until cleared).
    pub fn describe(&self) -> Value {
        let rules: Vec<Value> = self
            .lock()
            .iter()
            .map(|rule| {
                let mut shown = rule.given.clone();
                shown.insert("remaining".into(), json!(rule.remaining));
                Value::Object(shown)
            })
            .collect();
        Value::Array(rules)
    }

    /// The fault for a request, counting the firing down; `None` when no rule matches.
    pub fn check(&self, method: &str, path: &str) -> Option<Fault> {
        if !self.armed.load(Ordering::Acquire) {
            return None;
        }
        let mut rules = self.lock();
        let rule = rules.iter_mut().find(|rule| {
            rule.remaining != Some(0)
                && rule.method.as_deref().is_none_or(|m| m == method)
                && rule.path.matches(path)
        })?;
        if let Some(remaining) = &mut rule.remaining {
            *remaining -= 1;
        }
        let fault = rule.fault.clone();
        let live = rules.iter().any(|rule| rule.remaining != Some(0));
        self.armed.store(live, Ordering::Release);
        Some(fault)
    }
}

const FIELDS: &[&str] = &[
    "method", "path", "status", "body", "headers", "delayMs", "times", "action",
];

fn parse_rules(rules: &Value) -> Result<Vec<Rule>, InvalidRule> {
    let invalid = |index: usize, field: &str, message: &str| InvalidRule {
        index,
        field: field.to_owned(),
        message: message.to_owned(),
    };
    let Some(list) = rules.as_array() else {
        return Err(invalid(0, "", "expected a JSON array of rules"));
    };
    if list.len() > MAX_RULES {
        return Err(invalid(
            MAX_RULES,
            "",
            &format!("at most {MAX_RULES} rules"),
        ));
    }
    list.iter()
        .enumerate()
        .map(|(index, rule)| {
            parse_rule(rule).map_err(|(field, message)| invalid(index, field, &message))
        })
        .collect()
}

fn parse_rule(rule: &Value) -> Result<Rule, (&'static str, String)> {
    let Some(given) = rule.as_object() else {
        return Err(("", "expected an object".to_owned()));
    };
    if let Some(unknown) = given.keys().find(|key| !FIELDS.contains(&key.as_str())) {
        return Err((
            "",
            format!("unknown field {unknown:?}; known: {}", FIELDS.join(", ")),
        ));
    }
    let method = match given.get("method") {
        None | Some(Value::Null) => None,
        Some(Value::String(method))
            if !method.is_empty() && method.bytes().all(|b| b.is_ascii_alphabetic()) =>
        {
            Some(method.to_ascii_uppercase())
        }
        Some(_) => return Err(("method", "expected an HTTP method such as \"GET\"".into())),
    };
    let path = match given.get("path") {
        Some(Value::String(path)) => {
            Glob::new(path).map_err(|reason| ("path", format!("the glob {reason}")))?
        }
        None => {
            return Err((
                "path",
                "required (a glob such as \"/api/connectors/*\")".into(),
            ))
        }
        Some(_) => return Err(("path", "expected a string".into())),
    };
    let status = match given.get("status") {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_u64() {
            Some(status @ 200..=599) => Some(status as u16),
            _ => return Err(("status", "expected a whole number from 200 to 599".into())),
        },
    };
    let body = given.get("body").cloned();
    let headers = match given.get("headers") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(headers)) => headers
            .iter()
            .map(|(name, value)| {
                let value = value
                    .as_str()
                    .ok_or(("headers", format!("{name}: expected a string value")))?;
                let valid_name =
                    actix_web::http::header::HeaderName::from_bytes(name.as_bytes()).is_ok();
                let valid_value = actix_web::http::header::HeaderValue::from_str(value).is_ok();
                if !valid_name || !valid_value {
                    return Err(("headers", format!("{name}: not a valid header")));
                }
                Ok((name.clone(), value.to_owned()))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err((
                "headers",
                "expected an object of header names to strings".into(),
            ))
        }
    };
    let delay = match given.get("delayMs") {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_u64() {
            Some(ms) if ms <= MAX_DELAY_MS => Some(Duration::from_millis(ms)),
            _ => {
                return Err((
                    "delayMs",
                    format!("expected a whole number of milliseconds from 0 to {MAX_DELAY_MS}"),
                ))
            }
        },
    };
    let remaining = match given.get("times") {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_u64() {
            Some(times) if times >= 1 => Some(times),
            _ => return Err(("times", "expected a whole number of at least 1".into())),
        },
    };
    let reset = match given.get("action") {
        None | Some(Value::Null) => false,
        Some(Value::String(action)) if action == "reset" => true,
        Some(_) => {
            return Err((
                "action",
                "the only action is \"reset\" (drop the connection)".into(),
            ))
        }
    };
    let answers = status.is_some() || body.is_some() || !headers.is_empty();
    let wait = delay.unwrap_or_default();
    let fault = match (reset, answers, delay) {
        (true, true, _) => {
            return Err((
                "action",
                "\"reset\" drops the connection: it cannot also have status, body or headers"
                    .into(),
            ))
        }
        (true, false, _) => Fault::Reset(wait),
        (false, true, _) => Fault::Answer {
            delay: wait,
            status: status.unwrap_or(500),
            body,
            headers,
        },
        (false, false, Some(delay)) => Fault::Delay(delay),
        (false, false, None) => {
            return Err((
                "",
                "a rule needs at least one of status, body, headers, delayMs or action".into(),
            ))
        }
    };
    Ok(Rule {
        given: given.clone(),
        method,
        path,
        fault,
        remaining,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_fires_exactly_times_times_and_the_first_match_wins() {
        let faults = Faults::default();
        faults
            .replace(&json!([
                {"method": "get", "path": "/api/connectors", "status": 503, "times": 2},
                {"path": "/api/**", "delayMs": 5},
            ]))
            .unwrap();
        let answer = |status| Fault::Answer {
            delay: Duration::ZERO,
            status,
            body: None,
            headers: Vec::new(),
        };
        assert_eq!(faults.check("GET", "/api/connectors"), Some(answer(503)));
        assert_eq!(faults.check("GET", "/api/connectors"), Some(answer(503)));
        assert_eq!(
            faults.check("GET", "/api/connectors"),
            Some(Fault::Delay(Duration::from_millis(5)))
        );
        assert_eq!(faults.check("GET", "/oidc/token"), None);
        assert_eq!(faults.describe()[0]["remaining"], json!(0));
        assert_eq!(faults.describe()[1]["remaining"], Value::Null);
        faults.clear();
        assert_eq!(faults.check("GET", "/api/connectors"), None);
    }

    #[test]
    fn invalid_rules_name_their_index_and_field() {
        let faults = Faults::default();
        let error = |rules: Value| faults.replace(&rules).unwrap_err();
        let e = error(json!([{"path": "/a", "status": 500}, {"path": "/b", "status": 99}]));
        assert_eq!((e.index, e.field.as_str()), (1, "status"));
        assert_eq!(error(json!([{"status": 500}])).field, "path");
        assert_eq!(
            error(json!([{"path": "/a", "times": 0, "status": 500}])).field,
            "times"
        );
        assert_eq!(
            error(json!([{"path": "/a", "delayMs": -1}])).field,
            "delayMs"
        );
        assert_eq!(
            error(json!([{"path": "/a", "action": "explode"}])).field,
            "action"
        );
        assert_eq!(
            error(json!([{"path": "/a", "action": "reset", "status": 500}])).field,
            "action"
        );
        assert_eq!(
            error(json!([{"path": "/a", "headers": {"x": 1}}])).field,
            "headers"
        );
        assert_eq!(error(json!([{"path": "/a"}])).field, "");
        assert!(error(json!([{"path": "/a", "colour": 1}]))
            .message
            .contains("colour"));
        assert!(error(json!({"path": "/a"})).message.contains("array"));
        // Nothing was stored by the refused replacements.
        assert_eq!(faults.describe(), json!([]));
    }
}
