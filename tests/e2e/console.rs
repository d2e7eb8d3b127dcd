//! The web console served by the real binary over TCP.

use std::io::{Read, Write};
use std::time::Duration;

use crate::harness::{Extra, Sandbox, Server};

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

#[test]
fn a_browser_gets_the_console_and_an_api_client_the_json_404() {
    let sandbox = Sandbox::new();
    let server = Server::start(
        &sandbox.data_dir(),
        Extra {
            env: &[("RUST_LOG", "info")],
            ..Extra::default()
        },
    );
    let client = server.client().anonymous();

    let page = client.request("GET", "/", &[("Accept", BROWSER)], None);
    let page = page.expect(200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert!(page
        .header("content-security-policy")
        .is_some_and(|policy| policy.starts_with("default-src 'none';")));
    // Bound to 127.0.0.1: the default client is prefilled.
    assert!(
        page.text
            .contains("&quot;defaultClient&quot;:{&quot;id&quot;:&quot;mock-m2m&quot;"),
        "{}",
        page.text
    );

    let script = client.get("/console/console.js").expect(200);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.header("etag").is_some());
    assert_eq!(script.header("x-frame-options"), Some("DENY"));

    // No Accept header at all (ureq would send `*/*`): a raw request.
    let address = server.base.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 404 "), "{head}");
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["code"], "mock.route_not_found");
    assert_eq!(body["data"]["path"], "/");

    let log = server.stderr();
    assert!(
        log.contains(&format!("console: open {}/ in a browser", server.base)),
        "{log}"
    );
}
