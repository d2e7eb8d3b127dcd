//! The web console: the page at `/` for browsers, its assets, its settings and its headers.

use crate::helpers::{Reply, TestApp};
use connector_mock::config::{AuthClient, AuthMode};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::time::Duration;

/// What Firefox and Chrome send for a page.
const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn page(app: &TestApp, path: &str, extra: &[(&str, &str)]) -> Reply {
    let mut headers = vec![("Accept", BROWSER)];
    headers.extend_from_slice(extra);
    app.send_anonymous("GET", path, &headers, None)
}

/// The settings the page carries: its `<meta name="connector-mock-console">`
/// content, un-escaped and parsed.
fn settings_of(reply: &Reply) -> Value {
    let marker = "<meta name=\"connector-mock-console\" content=\"";
    let start = reply
        .text
        .find(marker)
        .unwrap_or_else(|| panic!("no settings meta in {:?}", reply.text))
        + marker.len();
    let end = start + reply.text[start..].find('"').expect("a closing quote");
    let raw = &reply.text[start..end];
    assert!(!raw.contains(['<', '>', '\'']), "unescaped: {raw}");
    let text = raw
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}: {text}"))
}

#[track_caller]
fn assert_console_headers(reply: &Reply) {
    assert_eq!(reply.header("content-security-policy"), Some(CSP));
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(reply.header("x-frame-options"), Some("DENY"));
}

/// The JSON 404 every unknown path gets, for `GET path`.
#[track_caller]
fn assert_route_not_found(reply: &Reply, method: &str, path: &str) {
    reply.assert_error(404, "mock.route_not_found");
    assert_eq!(
        reply.content_type.as_deref(),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        reply.json()["data"],
        json!({"method": method, "path": path})
    );
    assert!(reply.header("content-security-policy").is_none());
}

/// A `GET` with exactly the given header lines (no `Accept` unless given), over
/// a fresh connection: ureq always adds `Accept: */*`.
fn raw_get(app: &TestApp, path: &str, lines: &[&str]) -> (u16, String) {
    let address = app.url().strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for line in lines {
        request.push_str(line);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, body.to_owned())
}

#[test]
fn a_browser_gets_the_page_with_its_security_headers() {
    let app = TestApp::spawn();
    let reply = page(&app, "/", &[]);
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_console_headers(&reply);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert!(reply.text.contains("<html"), "{}", reply.text);
    assert!(!reply.text.contains("{{CONSOLE_SETTINGS}}"));

    let head = app.send_anonymous("HEAD", "/", &[("Accept", "text/html")], None);
    assert_eq!(head.status, 200);
    assert!(head.text.is_empty());
    assert_eq!(
        head.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_console_headers(&head);
}

#[test]
fn api_clients_keep_getting_the_json_404_at_the_root() {
    let app = TestApp::spawn();
    for accept in [
        "application/json",
        "*/*",
        "text/*",
        "text/html;q=0, */*",
        "application/xhtml+xml",
    ] {
        let reply = app.send("GET", "/", &[("Accept", accept)], None);
        assert_route_not_found(&reply, "GET", "/");
    }
    // Byte for byte what an unknown path answers, for a request with no Accept at all.
    let (status, body) = raw_get(&app, "/", &[]);
    assert_eq!(status, 404);
    let (_, other) = raw_get(&app, "/nothing", &[]);
    assert_eq!(body, other.replace("\"/nothing\"", "\"/\""));
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["code"], "mock.route_not_found");
    let (status, _) = raw_get(&app, "/", &[&format!("Accept: {BROWSER}")]);
    assert_eq!(status, 200);
}

#[test]
fn other_methods_at_the_root_get_the_json_404() {
    let app = TestApp::spawn();
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let reply = app.send_anonymous(method, "/", &[("Accept", BROWSER)], None);
        assert_route_not_found(&reply, method, "/");
    }
    let reply = app.send_anonymous("POST", "/console/console.js", &[], None);
    assert_route_not_found(&reply, "POST", "/console/console.js");
}

#[test]
fn the_assets_have_their_types_etags_and_304() {
    let app = TestApp::spawn();
    for (path, content_type) in [
        ("/console/console.js", "text/javascript; charset=utf-8"),
        ("/console/console.css", "text/css; charset=utf-8"),
    ] {
        // Whatever the Accept header says.
        let reply = app.send_anonymous("GET", path, &[("Accept", "application/json")], None);
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        assert_eq!(reply.content_type.as_deref(), Some(content_type));
        assert_eq!(reply.header("cache-control"), Some("no-cache"));
        assert_console_headers(&reply);
        assert!(!reply.text.is_empty());
        let etag = reply.etag.clone().expect("an ETag");

        let fresh = app.send_anonymous("GET", path, &[("If-None-Match", &etag)], None);
        assert_eq!(fresh.status, 304, "{path}");
        assert!(fresh.text.is_empty());
        assert_eq!(fresh.etag.as_deref(), Some(etag.as_str()));
        assert_console_headers(&fresh);
        let stale = app.send_anonymous("GET", path, &[("If-None-Match", "\"0\"")], None);
        assert_eq!(stale.status, 200);
        assert_eq!(stale.text, reply.text);

        let head = app.send_anonymous("HEAD", path, &[], None);
        assert_eq!(head.status, 200);
        assert!(head.text.is_empty());
        assert_eq!(head.etag.as_deref(), Some(etag.as_str()));

        let prefixed = app.send_anonymous("GET", &format!("/t/acme{path}"), &[], None);
        assert_eq!(prefixed.status, 200);
        assert_eq!(prefixed.text, reply.text);
    }
    let script = app.send_anonymous("GET", "/console/console.js", &[], None);
    let style = app.send_anonymous("GET", "/console/console.css", &[], None);
    assert_ne!(script.etag, style.etag);
}

#[test]
fn the_default_page_names_the_default_tenant_and_prefills_the_client_on_loopback() {
    let app = TestApp::spawn();
    assert_eq!(
        settings_of(&page(&app, "/", &[])),
        json!({
            "tenant": "default",
            "prefix": "",
            "authMode": "token",
            "resource": "https://default.logto.app/api",
            "defaultClient": {"id": "mock-m2m", "secret": "mock-m2m-secret"},
            "version": env!("CARGO_PKG_VERSION"),
        })
    );
}

#[test]
fn a_tenant_prefix_or_host_selects_the_pages_tenant() {
    let app = TestApp::spawn();
    for path in ["/t/acme/", "/t/acme"] {
        let reply = page(&app, path, &[]);
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        let settings = settings_of(&reply);
        assert_eq!(settings["tenant"], "acme", "{path}");
        assert_eq!(settings["prefix"], "/t/acme", "{path}");
        assert_eq!(settings["resource"], "https://acme.logto.app/api");
    }
    let port = app.url().rsplit_once(':').unwrap().1;
    let host = format!("acme.localhost:{port}");
    let settings = settings_of(&page(&app, "/", &[("Host", &host)]));
    assert_eq!(settings["tenant"], "acme");
    assert_eq!(settings["prefix"], "");
    assert_eq!(settings["resource"], "https://acme.logto.app/api");
    assert_eq!(settings["defaultClient"]["id"], "mock-m2m");
}

#[test]
fn the_settings_are_escaped_for_the_attribute() {
    let id = r#"a"<b>&'c"#;
    let app = TestApp::spawn_with(|config| {
        config.auth.clients = vec![
            AuthClient {
                id: "reader".into(),
                secret: "reader-secret".into(),
                scopes: vec!["read".into()],
            },
            AuthClient {
                id: id.into(),
                secret: "<x-secret>&amp;".into(),
                scopes: vec!["all".into()],
            },
        ]
    });
    let reply = page(&app, "/", &[]);
    assert!(!reply.text.contains("<b>") && !reply.text.contains("<x-secret>"));
    assert_eq!(
        settings_of(&reply)["defaultClient"],
        json!({"id": id, "secret": "<x-secret>&amp;"})
    );
}

#[test]
fn requesting_the_page_does_not_create_the_tenant() {
    let app = TestApp::spawn_with(|config| config.auth.mode = AuthMode::None);
    let reply = page(&app, "/t/acme/", &[]);
    assert_eq!(reply.status, 200);
    let settings = settings_of(&reply);
    assert_eq!(settings["authMode"], "none");
    assert_eq!(settings["defaultClient"], Value::Null);
    assert_eq!(
        app.get("/t/acme/console/console.js").status,
        200,
        "the asset under the prefix"
    );
    let tenants = app.get("/_mock/tenants");
    assert_eq!(tenants.status, 200);
    assert!(!tenants.text.contains("\"acme\""), "{}", tenants.text);
    // The check above can fail: using the tenant's API creates it.
    assert_eq!(app.get("/t/acme/api/connectors").status, 200);
    assert!(app.get("/_mock/tenants").text.contains("\"acme\""));
}

#[test]
fn a_disabled_console_answers_the_json_404() {
    let app = TestApp::spawn_with(|config| config.console.enabled = false);
    for path in ["/", "/console/console.js", "/console/console.css"] {
        let reply = page(&app, path, &[]);
        assert_route_not_found(&reply, "GET", path);
    }
    let reply = page(&app, "/t/acme/", &[]);
    assert_route_not_found(&reply, "GET", "/");
}

#[test]
fn the_embedded_assets_stay_under_200_kb() {
    use connector_mock::console::{INDEX_HTML, SCRIPT, STYLE};
    let total = INDEX_HTML.len() + SCRIPT.len() + STYLE.len();
    assert!(
        total < 200 * 1024,
        "the console's assets weigh {total} bytes"
    );
    assert!(INDEX_HTML.contains("{{CONSOLE_SETTINGS}}"));
}
