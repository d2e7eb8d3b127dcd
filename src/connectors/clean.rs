//! Logto's `cleanDeep`: how values are tidied before they are stored.

use serde_json::{Map, Value};

/// Removes, recursively, empty strings, nulls, empty objects and empty arrays
/// (emptiness judged after cleaning the children; arrays are compacted).
/// `0` and `false` stay. Returns `None` when the value itself is removed.
pub fn clean_deep(value: &Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::String(text) if text.is_empty() => None,
        Value::Array(items) => {
            let items: Vec<Value> = items.iter().filter_map(clean_deep).collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        Value::Object(object) => {
            let object = clean_object(object);
            (!object.is_empty()).then_some(Value::Object(object))
        }
        other => Some(other.clone()),
    }
}

/// `clean_deep` for an object that must stay an object (possibly empty).
pub fn clean_object(object: &Map<String, Value>) -> Map<String, Value> {
    object
        .iter()
        .filter_map(|(key, value)| clean_deep(value).map(|value| (key.clone(), value)))
        .collect()
}

/// [`clean_object`] without copying: removes what cleaning removes, in place.
pub fn clean_object_in_place(object: &mut Map<String, Value>) {
    object.retain(|_, value| keep_after_cleaning(value));
}

/// Cleans `value` in place; `false` when cleaning removes it altogether.
fn keep_after_cleaning(value: &mut Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => {
            items.retain_mut(keep_after_cleaning);
            !items.is_empty()
        }
        Value::Object(object) => {
            clean_object_in_place(object);
            !object.is_empty()
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cleaning_matches_logtos_example() {
        let input =
            json!({"a":"","b":null,"c":[],"d":{},"e":["","x",null],"f":0,"g":false,"h":{"i":""}});
        assert_eq!(
            clean_object(input.as_object().unwrap()),
            *json!({"e":["x"],"f":0,"g":false}).as_object().unwrap()
        );
        let mut in_place = input.as_object().unwrap().clone();
        clean_object_in_place(&mut in_place);
        assert_eq!(in_place, clean_object(input.as_object().unwrap()));
    }
}
