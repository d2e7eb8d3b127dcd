//! Our OpenAPI document against Logto's own, for every path both have.
//!
//! `data/logto-openapi.json` is Logto's document reduced to its structure by
//! `tools/logto-openapi/reduce.mjs` (see its README to regenerate it). Our document is
//! reduced the same way here, then every path present in both is compared: the same
//! methods, and for each operation the same operationId, summary and description, Logto's
//! parameters (name, in, required, schema), the request body (required, content types,
//! schema), the same success statuses, every error status Logto documents, and the same
//! response schemas (property names, required lists, types, enums, nullability, variants and,
//! where the reference has them, lengths). Where ours is more precise than Logto's (a
//! free-form object of Logto's that ours describes) it passes; where it is looser or
//! different it fails, unless listed in [`DEVIATIONS`] with the reason.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

const REFERENCE: &str = include_str!("data/logto-openapi.json");

/// Paths that must be in both documents; the others (email templates, ...) are compared as
/// soon as both documents have them.
const REQUIRED_SHARED_PATHS: &[&str] = &[
    "/api/connector-factories",
    "/api/connector-factories/{id}",
    "/api/connectors",
    "/api/connectors/{id}",
    "/api/connectors/{factoryId}/test",
    "/api/connectors/{connectorId}/authorization-uri",
    "/api/status",
];

/// What ours may do differently at one place of one operation.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Allowance {
    /// Ours accepts `null` where Logto's schema does not (at this place and below).
    Nullable,
    /// Logto documents a property that ours leaves out.
    PropertyLeftOut,
}

/// Known, deliberate differences: (path, method, place in the reduced operation, allowance, why).
const DEVIATIONS: &[(&str, &str, &str, Allowance, &str)] = &[
    (
        "/api/connectors/{id}",
        "patch",
        "/requestBody/schema",
        Allowance::Nullable,
        "PATCH merges the body into the stored connector (RFC 7396) unless [patch] config = \
         \"replace\": null removes a field, so the document admits it",
    ),
    (
        "/api/connectors/{connectorId}/authorization-uri",
        "post",
        "/responses/200/schema/properties/redirectUri",
        Allowance::PropertyLeftOut,
        "Logto's supplement describes a `redirectUri` response property that its response guard \
         never returns (the answer is `{redirectTo}`)",
    ),
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn ours() -> Value {
    reduce_document(&connector_mock::openapi::document("http://127.0.0.1"))
}

fn logto() -> Value {
    serde_json::from_str(REFERENCE).expect("the reference is JSON")
}

/// Follows `$ref`s (only local ones occur).
fn resolve<'a>(document: &'a Value, mut node: &'a Value) -> &'a Value {
    while let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        let pointer = reference.strip_prefix('#').expect("a local $ref");
        node = document
            .pointer(pointer)
            .unwrap_or_else(|| panic!("unresolved {reference}"));
    }
    node
}

/// A schema reduced as `tools/logto-openapi/reduce.mjs` reduces Logto's.
fn reduce_schema(document: &Value, node: &Value) -> Value {
    let node = resolve(document, node);
    let mut out = Map::new();
    if let Some(variants) = node.get("oneOf").or_else(|| node.get("anyOf")) {
        let variants = variants.as_array().expect("oneOf is an array");
        out.insert(
            "oneOf".into(),
            variants
                .iter()
                .map(|variant| reduce_schema(document, variant))
                .collect(),
        );
    }
    for key in ["type", "minLength", "maxLength", "minimum", "maximum"] {
        if let Some(value) = node.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    if node.get("nullable") == Some(&Value::Bool(true)) {
        out.insert("nullable".into(), Value::Bool(true));
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        let values: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
        out.insert("enum".into(), Value::Array(values));
    }
    if let Some(properties) = node.get("properties").and_then(Value::as_object) {
        let properties: Map<String, Value> = properties
            .iter()
            .map(|(key, property)| (key.clone(), reduce_schema(document, property)))
            .collect();
        out.insert("properties".into(), Value::Object(properties));
    }
    if let Some(required) = node.get("required").and_then(Value::as_array) {
        if !required.is_empty() {
            let mut required = required.clone();
            required.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            out.insert("required".into(), Value::Array(required));
        }
    }
    if let Some(items) = node.get("items") {
        out.insert("items".into(), reduce_schema(document, items));
    }
    if let Some(extra) = node.get("additionalProperties").filter(|v| v.is_object()) {
        let extra = reduce_schema(document, extra);
        if extra.as_object().is_some_and(|extra| !extra.is_empty()) {
            out.insert("additionalProperties".into(), extra);
        }
    }
    Value::Object(out)
}

/// Our whole document reduced to the reference's format.
fn reduce_document(document: &Value) -> Value {
    let mut paths = Map::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut operations = Map::new();
        for method in METHODS {
            let Some(operation) = item.get(*method) else {
                continue;
            };
            let own = operation
                .get("parameters")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let parameters: Vec<Value> = shared
                .iter()
                .chain(own.iter())
                .map(|parameter| {
                    let parameter = resolve(document, parameter);
                    serde_json::json!({
                        "name": parameter["name"],
                        "in": parameter["in"],
                        "required": parameter.get("required") == Some(&Value::Bool(true)),
                        "schema": reduce_schema(document, &parameter["schema"]),
                    })
                })
                .collect();
            let mut out = serde_json::json!({
                "operationId": operation["operationId"],
                "summary": operation["summary"],
                "description": operation["description"],
                "parameters": parameters,
            });
            if let Some(body) = operation.get("requestBody") {
                let body = resolve(document, body);
                let content = body["content"].as_object().expect("content");
                out["requestBody"] = serde_json::json!({
                    "required": body.get("required") == Some(&Value::Bool(true)),
                    "contentTypes": content.keys().collect::<Vec<_>>(),
                    "schema": reduce_schema(document, &content["application/json"]["schema"]),
                });
            }
            let mut responses = Map::new();
            for (status, response) in operation["responses"].as_object().expect("responses") {
                let response = resolve(document, response);
                let mut reduced = serde_json::json!({ "description": response["description"] });
                if let Some(schema) = response.pointer("/content/application~1json/schema") {
                    reduced["schema"] = reduce_schema(document, schema);
                }
                responses.insert(status.clone(), reduced);
            }
            out["responses"] = Value::Object(responses);
            operations.insert((*method).to_owned(), out);
        }
        paths.insert(path.clone(), Value::Object(operations));
    }
    serde_json::json!({ "paths": paths })
}

/// One difference, at a place of one operation.
struct Difference {
    place: String,
    allowance: Option<Allowance>,
    message: String,
}

struct Comparison {
    differences: Vec<Difference>,
}

impl Comparison {
    fn differ(&mut self, place: &str, allowance: Option<Allowance>, message: String) {
        self.differences.push(Difference {
            place: place.to_owned(),
            allowance,
            message,
        });
    }

    /// Ours against Logto's, both reduced.
    fn schema(&mut self, ours: &Value, logto: &Value, place: &str) {
        let logto = logto.as_object().expect("a reduced schema is an object");
        if logto.is_empty() {
            return; // Logto's says nothing: anything of ours is at least as precise.
        }
        if let Some(variants) = logto.get("oneOf").and_then(Value::as_array) {
            match ours.get("oneOf").and_then(Value::as_array) {
                Some(mine) if mine.len() == variants.len() => {
                    for (index, (mine, theirs)) in mine.iter().zip(variants).enumerate() {
                        self.schema(mine, theirs, &format!("{place}/oneOf/{index}"));
                    }
                }
                _ => self.differ(
                    place,
                    None,
                    format!(
                        "Logto's has {} variants (oneOf), ours: {ours}",
                        variants.len()
                    ),
                ),
            }
        }
        if let Some(kind) = logto.get("type") {
            let same = ours.get("type") == Some(kind)
                || (kind == "number" && ours.get("type") == Some(&Value::from("integer")));
            if !same {
                self.differ(
                    place,
                    None,
                    format!("type {kind} in Logto's, ours {}", ours["type"]),
                );
            }
        }
        let nullable = |schema: &Value| schema.get("nullable") == Some(&Value::Bool(true));
        if nullable(ours) != logto.get("nullable").is_some_and(|v| v == true) {
            let allowance = nullable(ours).then_some(Allowance::Nullable);
            self.differ(
                place,
                allowance,
                format!(
                    "nullable: Logto's {}, ours {}",
                    !nullable(ours),
                    nullable(ours)
                ),
            );
        }
        if let Some(values) = logto.get("enum") {
            if set(ours.get("enum")) != set(Some(values)) {
                self.differ(
                    place,
                    None,
                    format!("enum {values} in Logto's, ours {}", ours["enum"]),
                );
            }
        }
        for key in ["minLength", "maxLength", "minimum", "maximum"] {
            if let Some(value) = logto.get(key) {
                if ours.get(key) != Some(value) {
                    self.differ(
                        place,
                        None,
                        format!("{key} {value} in Logto's, ours {}", ours[key]),
                    );
                }
            }
        }
        if let Some(properties) = logto.get("properties").and_then(Value::as_object) {
            let empty = Map::new();
            let mine = ours
                .get("properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            for (key, theirs) in properties {
                let at = format!("{place}/properties/{key}");
                match mine.get(key) {
                    Some(schema) => self.schema(schema, theirs, &at),
                    None => self.differ(
                        &at,
                        Some(Allowance::PropertyLeftOut),
                        "in Logto's, not in ours".into(),
                    ),
                }
            }
            for key in mine.keys().filter(|key| !properties.contains_key(*key)) {
                self.differ(
                    &format!("{place}/properties/{key}"),
                    None,
                    "in ours, not in Logto's".into(),
                );
            }
            if set(ours.get("required")) != set(logto.get("required")) {
                self.differ(
                    &format!("{place}/required"),
                    None,
                    format!(
                        "Logto's {:?}, ours {:?}",
                        set(logto.get("required")),
                        set(ours.get("required"))
                    ),
                );
            }
        }
        if let Some(items) = logto.get("items") {
            match ours.get("items") {
                Some(mine) => self.schema(mine, items, &format!("{place}/items")),
                None => self.differ(place, None, "Logto's has items, ours none".into()),
            }
        }
    }

    fn operation(&mut self, ours: &Value, logto: &Value) {
        for key in ["operationId", "summary", "description"] {
            if ours[key] != logto[key] {
                self.differ(
                    &format!("/{key}"),
                    None,
                    format!("Logto's {}, ours {}", logto[key], ours[key]),
                );
            }
        }
        self.parameters(ours, logto);
        match (ours.get("requestBody"), logto.get("requestBody")) {
            (None, None) => {}
            (Some(mine), Some(theirs)) => {
                if mine["required"] != theirs["required"] {
                    self.differ(
                        "/requestBody/required",
                        None,
                        format!("Logto's {}", theirs["required"]),
                    );
                }
                let types = set(Some(&mine["contentTypes"]));
                for content_type in set(Some(&theirs["contentTypes"])) {
                    if !types.contains(&content_type) {
                        self.differ(
                            "/requestBody/contentTypes",
                            None,
                            format!("{content_type} missing"),
                        );
                    }
                }
                self.schema(&mine["schema"], &theirs["schema"], "/requestBody/schema");
            }
            (mine, theirs) => self.differ(
                "/requestBody",
                None,
                format!("Logto's {theirs:?}, ours {mine:?}"),
            ),
        }
        let mine = ours["responses"].as_object().expect("responses");
        let theirs = logto["responses"].as_object().expect("responses");
        let success = |responses: &Map<String, Value>| -> BTreeSet<String> {
            responses
                .keys()
                .filter(|status| status.starts_with('2'))
                .cloned()
                .collect()
        };
        if success(mine) != success(theirs) {
            self.differ(
                "/responses",
                None,
                format!(
                    "success statuses: Logto's {:?}, ours {:?}",
                    success(theirs),
                    success(mine)
                ),
            );
        }
        for (status, response) in theirs {
            let at = format!("/responses/{status}");
            match mine.get(status) {
                None => self.differ(&at, None, "documented by Logto, not by ours".into()),
                Some(own) => {
                    if let Some(schema) = response.get("schema") {
                        match own.get("schema") {
                            Some(own) => self.schema(own, schema, &format!("{at}/schema")),
                            None => self.differ(
                                &at,
                                None,
                                "Logto's has a body schema, ours none".into(),
                            ),
                        }
                    }
                }
            }
        }
    }

    fn parameters(&mut self, ours: &Value, logto: &Value) {
        let find = |list: &Value, name: &Value, place: &Value| -> Option<Value> {
            list.as_array()?
                .iter()
                .find(|parameter| &parameter["name"] == name && &parameter["in"] == place)
                .cloned()
        };
        for theirs in logto["parameters"].as_array().expect("parameters") {
            let at = format!(
                "/parameters/{}:{}",
                theirs["in"].as_str().unwrap(),
                theirs["name"].as_str().unwrap()
            );
            match find(&ours["parameters"], &theirs["name"], &theirs["in"]) {
                None => self.differ(&at, None, "documented by Logto, not by ours".into()),
                Some(mine) => {
                    if mine["required"] != theirs["required"] {
                        self.differ(
                            &at,
                            None,
                            format!("required: Logto's {}", theirs["required"]),
                        );
                    }
                    self.schema(&mine["schema"], &theirs["schema"], &format!("{at}/schema"));
                }
            }
        }
        for mine in ours["parameters"].as_array().expect("parameters") {
            if find(&logto["parameters"], &mine["name"], &mine["in"]).is_none()
                && mine["required"] == true
            {
                self.differ(
                    &format!(
                        "/parameters/{}:{}",
                        mine["in"].as_str().unwrap(),
                        mine["name"].as_str().unwrap()
                    ),
                    None,
                    "a required parameter Logto's does not have".into(),
                );
            }
        }
    }
}

fn set(values: Option<&Value>) -> BTreeSet<String> {
    values
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|value| {
            value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned)
        })
        .collect()
}

/// The deviation that allows a difference, if any.
fn allowed(path: &str, method: &str, difference: &Difference) -> Option<usize> {
    DEVIATIONS.iter().position(|(p, m, place, allowance, _)| {
        *p == path
            && *m == method
            && difference.allowance == Some(*allowance)
            && (difference.place == *place || difference.place.starts_with(&format!("{place}/")))
    })
}

#[test]
fn the_reference_holds_the_connector_paths_and_is_reduced() {
    let logto = logto();
    assert!(
        logto["source"].as_str().is_some_and(|s| !s.is_empty()),
        "the reference names its source"
    );
    let paths = logto["paths"].as_object().unwrap();
    for path in REQUIRED_SHARED_PATHS {
        assert!(
            paths.contains_key(*path),
            "{path} is not in Logto's reference"
        );
    }
    // Each operation carries only the reduced fields.
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let keys: BTreeSet<&str> = operation
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let allowed: BTreeSet<&str> = [
                "operationId",
                "summary",
                "description",
                "parameters",
                "requestBody",
                "responses",
            ]
            .into();
            assert!(keys.is_subset(&allowed), "{method} {path}: {keys:?}");
        }
    }
}

#[test]
fn every_path_shared_with_logto_has_logtos_structure() {
    let ours = ours();
    let logto = logto();
    let ours_paths = ours["paths"].as_object().unwrap();
    let logto_paths = logto["paths"].as_object().unwrap();
    for path in REQUIRED_SHARED_PATHS {
        assert!(
            ours_paths.contains_key(*path),
            "{path} is not in our document"
        );
    }
    let mut problems = Vec::new();
    let mut used = vec![false; DEVIATIONS.len()];
    let mut compared = 0;
    for (path, theirs) in logto_paths {
        let Some(mine) = ours_paths.get(path) else {
            continue;
        };
        let methods = |item: &Value| -> BTreeSet<String> {
            item.as_object().unwrap().keys().cloned().collect()
        };
        if methods(mine) != methods(theirs) {
            problems.push(format!(
                "{path}: methods: Logto's {:?}, ours {:?}",
                methods(theirs),
                methods(mine)
            ));
        }
        for (method, operation) in theirs.as_object().unwrap() {
            let Some(own) = mine.get(method) else {
                continue;
            };
            compared += 1;
            let mut comparison = Comparison {
                differences: Vec::new(),
            };
            comparison.operation(own, operation);
            for difference in comparison.differences {
                match allowed(path, method, &difference) {
                    Some(index) => used[index] = true,
                    None => problems.push(format!(
                        "{} {path} {}: {}",
                        method.to_uppercase(),
                        difference.place,
                        difference.message
                    )),
                }
            }
        }
    }
    for (index, (path, method, place, _, _)) in DEVIATIONS.iter().enumerate() {
        if !used[index] {
            problems.push(format!(
                "deviation {method} {path} {place} no longer occurs: remove it"
            ));
        }
    }
    assert!(compared >= 10, "only {compared} operations compared");
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_comparison_catches_a_looser_or_different_document() {
    // The checker itself: a few mutations of Logto's own reduced operation must be caught.
    let logto = logto();
    let operation = &logto["paths"]["/api/connectors"]["post"];
    let differences = |mutate: &dyn Fn(&mut Value)| {
        let mut ours = operation.clone();
        mutate(&mut ours);
        let mut comparison = Comparison {
            differences: Vec::new(),
        };
        comparison.operation(&ours, operation);
        comparison.differences.len()
    };
    assert_eq!(
        differences(&|_| {}),
        0,
        "Logto's own operation matches itself"
    );
    let pointer = "/responses/200/schema/properties/formItems/items/oneOf/0/properties/selectItems/items/required";
    assert!(
        differences(&|ours| *ours.pointer_mut(pointer).unwrap() = serde_json::json!(["value"])) > 0
    );
    assert!(
        differences(&|ours| {
            ours["responses"]["200"]["schema"]["properties"]["usage"] =
                serde_json::json!({ "type": "string" })
        }) > 0
    );
    assert!(
        differences(&|ours| {
            ours["responses"]["200"]["schema"]["properties"]
                .as_object_mut()
                .unwrap()
                .remove("usage");
        }) > 0
    );
    assert!(
        differences(&|ours| {
            ours["responses"].as_object_mut().unwrap().remove("422");
        }) > 0
    );
    assert!(differences(&|ours| ours["summary"] = "Make connector".into()) > 0);
    assert!(
        differences(
            &|ours| ours["requestBody"]["schema"]["properties"]["config"]["nullable"] = true.into()
        ) > 0
    );
    assert!(
        differences(&|ours| {
            ours["parameters"] =
                serde_json::json!([{ "name": "x", "in": "query", "required": true, "schema": {} }])
        }) > 0
    );
}

/// Lengths the generated types do not carry, checked against Logto's published document by
/// hand: the factory id `connectorId` is 1 to 128 characters wherever it appears in a body or
/// a connector answer, and so is a proposed `id` in the create body.
#[test]
fn connector_ids_have_logtos_lengths() {
    let ours = ours();
    let create = &ours["paths"]["/api/connectors"]["post"];
    for property in ["connectorId", "id"] {
        let schema = &create["requestBody"]["schema"]["properties"][property];
        assert_eq!(
            (&schema["minLength"], &schema["maxLength"]),
            (&Value::from(1), &Value::from(128)),
            "{property}"
        );
    }
    let answers = [
        &create["responses"]["200"]["schema"],
        &ours["paths"]["/api/connectors"]["get"]["responses"]["200"]["schema"]["items"],
        &ours["paths"]["/api/connectors/{id}"]["get"]["responses"]["200"]["schema"],
        &ours["paths"]["/api/connectors/{id}"]["patch"]["responses"]["200"]["schema"],
    ];
    for answer in answers {
        let schema = &answer["properties"]["connectorId"];
        assert_eq!(
            (&schema["minLength"], &schema["maxLength"]),
            (&Value::from(1), &Value::from(128))
        );
    }
}
