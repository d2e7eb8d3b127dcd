//! Error messages in the request's language (`?locale=`, then `Accept-Language`),
//! as Logto answers them; our own `mock.*` codes stay English.

use connector_mock::error::{ApiError, ErrorCode};
use connector_mock::i18n::{negotiate, phrases, Language, MAX_SCANNED_BYTES};
use serde_json::{json, Value};
use std::collections::BTreeSet;

use crate::helpers::TestApp;

#[test]
fn the_phrase_file_covers_exactly_our_logto_codes_with_our_english() {
    let phrases = phrases();
    let mut logto_codes = BTreeSet::new();
    for &code in ErrorCode::ALL {
        let (_, Some(logto), english) = code.describe() else {
            continue;
        };
        if logto.starts_with("mock.") {
            assert!(phrases.english().get(logto).is_none(), "{logto}");
            continue;
        }
        assert_eq!(
            phrases.english().get(logto),
            Some(english),
            "{logto}: src/error.rs and src/i18n/phrases.json disagree (regenerate: tools/phrases)"
        );
        logto_codes.insert(logto.to_owned());
    }
    let covered: BTreeSet<String> = phrases.codes.iter().cloned().collect();
    assert_eq!(
        covered, logto_codes,
        "regenerate src/i18n/phrases.json (tools/phrases)"
    );
    assert!(phrases.languages().len() >= 18);
}

/// Header values as Node reads them: each character one Latin-1 byte.
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 header"))
        .collect()
}

#[test]
fn negotiation_agrees_with_logto_on_every_corpus_case() {
    let text = include_str!("../corpus/i18n/negotiation.json");
    let corpus: Value = serde_json::from_str(text).unwrap();
    let cases = corpus["cases"].as_array().unwrap();
    assert!(cases.len() >= 100);
    for case in cases {
        let query = case["query"].as_str().unwrap();
        let headers: Vec<Vec<u8>> = case["acceptLanguage"]
            .as_array()
            .map(|values| values.iter().map(|v| latin1(v.as_str().unwrap())).collect())
            .unwrap_or_default();
        let language = negotiate(query, headers.iter().map(Vec::as_slice));
        let tag = language.map_or("en", Language::tag);
        assert_eq!(tag, case["expect"]["language"], "{case}");
        let error = ApiError::invalid_input("body", &[]);
        let body = language
            .and_then(|language| error.localized_body(language))
            .unwrap_or_else(|| error.body());
        assert_eq!(body["message"], case["expect"]["message"], "{case}");
    }
}

#[test]
fn every_language_has_a_message_for_every_code() {
    for table in phrases().languages() {
        let language = Language::Phrases(table);
        for code in &phrases().codes {
            let code: &'static str = Box::leak(code.clone().into_boxed_str());
            assert!(language.template(code).is_some(), "{} {code}", table.tag());
        }
    }
}

fn message(reply: &crate::helpers::Reply) -> String {
    reply.json()["message"].as_str().unwrap().to_owned()
}

fn german(code: &str) -> &'static str {
    phrases().language("de").unwrap().get(code).unwrap()
}

#[test]
fn accept_language_and_locale_pick_the_language_of_the_message() {
    let app = TestApp::spawn();
    let path = "/api/connectors/nope";
    let english = app.get(path);
    english.assert_error(404, "entity.not_found");
    assert_eq!(message(&english), "The resource does not exist.");
    for (query, header, tag) in [
        ("", "de", "de"),
        ("?locale=fr", "", "fr"),
        ("", "zh-CN", "zh-CN"),
        ("?locale=ja", "de", "ja"),
        ("", "zh-cn,en;q=0.5", "zh-CN"),
        ("", "en-US, de-AT, ko;q=0.3, fr;q=0.2", "ko"),
        ("", "fr;q=0.5, ja;q=0.8", "ja"),
        ("?locale=xx&locale=pt-br", "fr", "pt-BR"),
    ] {
        let headers: &[(&str, &str)] = if header.is_empty() {
            &[]
        } else {
            &[("Accept-Language", header)]
        };
        let reply = app.send("GET", &format!("{path}{query}"), headers, None);
        reply.assert_error(404, "entity.not_found");
        let expected = phrases().language(tag).unwrap().get("entity.not_found");
        assert_eq!(Some(message(&reply).as_str()), expected, "{query} {header}");
        assert_ne!(message(&reply), message(&english), "{tag}");
        assert_eq!(
            reply.content_type.as_deref(),
            Some("application/json; charset=utf-8")
        );
    }
}

#[test]
fn only_the_message_changes_and_placeholders_are_filled_in() {
    let app = TestApp::spawn();
    let body = json!({"connectorId": 42});
    let english = app.post_json("/api/connectors", &body);
    english.assert_error(400, "guard.invalid_input");
    let german_reply = app.send(
        "POST",
        "/api/connectors",
        &[("Accept-Language", "de")],
        Some(("application/json", body.to_string().as_bytes())),
    );
    let (mut english, mut german_body) = (english.json(), german_reply.json());
    assert_eq!(german_body["message"], "Die Anfrage body ist ungültig.");
    english.as_object_mut().unwrap().remove("message");
    german_body.as_object_mut().unwrap().remove("message");
    assert_eq!(german_body, english, "code, data and details are the same");

    let reply = app.send(
        "POST",
        "/api/connectors/nope/test?locale=de",
        &[],
        Some(("application/json", br#"{"phone":"1","config":{}}"#)),
    );
    reply.assert_error(400, "connector.not_found");
    assert_eq!(
        message(&reply),
        german("connector.not_found").replace("{{type}}", "Sms")
    );
    assert!(!message(&reply).contains("{{"), "{}", reply.text);
}

#[test]
fn errors_raised_before_the_handler_are_localized_too() {
    let app = TestApp::spawn();
    let reply = app.send_anonymous("GET", "/api/connectors", &[("Accept-Language", "de")], None);
    reply.assert_error(401, "auth.authorization_header_missing");
    assert_eq!(message(&reply), german("auth.authorization_header_missing"));
}

#[test]
fn unknown_languages_our_own_codes_and_successes_stay_as_they_are() {
    let app = TestApp::spawn();
    let english = "The resource does not exist.";
    for header in ["de-AT", "DE", "zh", "xx, *", "en", ""] {
        let reply = app.send(
            "GET",
            "/api/connectors/nope",
            &[("Accept-Language", header)],
            None,
        );
        assert_eq!(message(&reply), english, "{header:?}");
    }
    let reply = app.get("/api/connectors/nope?locale=en&locale=de");
    assert_eq!(message(&reply), english);

    let reply = app.send(
        "GET",
        "/api/nothing-here",
        &[("Accept-Language", "de")],
        None,
    );
    reply.assert_error(404, "mock.route_not_found");
    assert!(message(&reply).starts_with("connector-mock implements only"));
    let reply = app.send("PUT", "/api/connectors?locale=ja", &[], None);
    reply.assert_error(405, "mock.method_not_allowed");
    assert_eq!(reply.allow.as_deref(), Some("HEAD, GET, POST"));

    let plain = app.get("/api/connector-factories");
    let asked = app.send(
        "GET",
        "/api/connector-factories?locale=de",
        &[("Accept-Language", "fr")],
        None,
    );
    assert_eq!(asked.status, 200);
    assert_eq!(asked.text, plain.text);
}

#[test]
fn cimode_answers_with_the_code_as_i18next_does() {
    let app = TestApp::spawn();
    let reply = app.get("/api/connectors/nope?locale=cimode");
    assert_eq!(message(&reply), "entity.not_found");
}

#[test]
fn an_absurd_accept_language_header_is_read_only_up_to_the_bound() {
    let app = TestApp::spawn();
    let filler = "xx;q=1e999999999,".repeat(1000);
    assert!(filler.len() > MAX_SCANNED_BYTES);
    let reply = app.send(
        "GET",
        "/api/connectors/nope",
        &[("Accept-Language", &format!("{filler}de"))],
        None,
    );
    reply.assert_error(404, "entity.not_found");
    assert_eq!(message(&reply), "The resource does not exist.");
    let reply = app.send(
        "GET",
        "/api/connectors/nope",
        &[("Accept-Language", &format!("de;q=0.001,{filler}"))],
        None,
    );
    assert_eq!(message(&reply), german("entity.not_found"));
}
