//! `TestApp`: a server on port 0 with a temporary database, and a small HTTP client.

use connector_mock::connectors::PatchMode;
use connector_mock::{Config, TestServer};
use serde_json::{json, Value};
use std::time::Duration;

/// The static token every `TestApp` request carries unless it sets its own `Authorization`.
pub const TEST_TOKEN: &str = "test-token";

pub struct TestApp {
    server: TestServer,
    agent: ureq::Agent,
}

/// An answer: status, headers we look at, and the body (JSON when it parses).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub etag: Option<String>,
    pub allow: Option<String>,
    pub content_type: Option<String>,
    pub text: String,
    /// Every header, names in lower case, in order.
    pub headers: Vec<(String, String)>,
}

impl Reply {
    /// The first value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|_| panic!("not JSON ({}): {:?}", self.status, self.text))
    }

    /// `code` of an error body.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }

    /// Asserts status and Logto error code together (clear failure messages).
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(
            (self.status, self.code().as_str()),
            (status, code),
            "body: {}",
            self.text
        );
    }
}

impl TestApp {
    pub fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {})
    }

    pub fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = Config::default();
        config.server.listen = "127.0.0.1:0".into();
        config.storage.ephemeral = true;
        config.auth.static_tokens = vec![TEST_TOKEN.to_owned()];
        adjust(&mut config);
        let server = TestServer::start(config).expect("the test server starts");
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(30))
            .build();
        TestApp { server, agent }
    }

    /// Base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> &str {
        self.server.url()
    }

    pub fn replace_mode() -> TestApp {
        TestApp::spawn_with(|config| config.patch.config = PatchMode::Replace)
    }

    /// Any request; `body` is sent with `content_type`. Carries the test token
    /// unless `headers` set their own `Authorization`.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> Reply {
        let bearer = format!("Bearer {TEST_TOKEN}");
        let mut all = headers.to_vec();
        if !headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        {
            all.insert(0, ("Authorization", &bearer));
        }
        self.send_anonymous(method, path, &all, body)
    }

    /// A request with exactly `headers` (no default `Authorization`).
    pub fn send_anonymous(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> Reply {
        let mut request = self
            .agent
            .request(method, &format!("{}{path}", self.server.url()));
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let result = match body {
            Some((content_type, bytes)) => {
                request.set("Content-Type", content_type).send_bytes(bytes)
            }
            None => request.call(),
        };
        reply_of(method, path, result)
    }

    pub fn get(&self, path: &str) -> Reply {
        self.send("GET", path, &[], None)
    }

    pub fn delete(&self, path: &str) -> Reply {
        self.send("DELETE", path, &[], None)
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.send(
            "POST",
            path,
            &[],
            Some(("application/json", body.to_string().as_bytes())),
        )
    }

    pub fn patch_json(&self, path: &str, body: &Value) -> Reply {
        self.send(
            "PATCH",
            path,
            &[],
            Some(("application/json", body.to_string().as_bytes())),
        )
    }

    /// Creates a connector and returns its body (asserting 200).
    pub fn create(&self, body: Value) -> Value {
        let reply = self.post_json("/api/connectors", &body);
        assert_eq!(reply.status, 200, "create failed: {}", reply.text);
        reply.json()
    }

    /// A `mock-social-connector` with a valid config.
    pub fn create_social(&self) -> Value {
        self.create(json!({
            "connectorId": "mock-social-connector",
            "config": {"clientId": "client-id", "clientSecret": "client-secret"}
        }))
    }

    /// A `mock-email-service-alternative` (every config key optional).
    pub fn create_flexible_email(&self, config: Value) -> Value {
        self.create(json!({"connectorId": "mock-email-service-alternative", "config": config}))
    }

    /// An `oidc` connector (standard) with the given target.
    pub fn create_oidc(&self, target: &str) -> Value {
        self.create(json!({
            "connectorId": "oidc",
            "metadata": {"target": target},
            "config": oidc_config()
        }))
    }

    pub fn connector(&self, id: &str) -> Value {
        let reply = self.get(&format!("/api/connectors/{id}"));
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json()
    }
}

fn reply_of(method: &str, path: &str, result: Result<ureq::Response, ureq::Error>) -> Reply {
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("{method} {path}: {error}"),
    };
    let header = |name: &str| response.header(name).map(str::to_owned);
    let headers = response
        .headers_names()
        .into_iter()
        .flat_map(|name| {
            response
                .all(&name)
                .into_iter()
                .map(|value| (name.clone(), value.to_owned()))
                .collect::<Vec<_>>()
        })
        .collect();
    Reply {
        headers,
        status: response.status(),
        etag: header("etag"),
        allow: header("allow"),
        content_type: header("content-type"),
        text: response.into_string().unwrap_or_default(),
    }
}

/// The `oidc` factory's sample config.
pub fn oidc_config() -> Value {
    let manifest: Value =
        serde_json::from_str(include_str!("../../fixtures/oidc/manifest.json")).unwrap();
    manifest["sampleConfig"].clone()
}

/// The keys of a JSON object, in order.
pub fn keys(value: &Value) -> Vec<String> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect()
}

/// `path` in `details` lines etc.: the first issue of a zod-style `data`.
pub fn first_issue(reply: &Reply) -> Value {
    reply.json()["data"]["issues"][0].clone()
}
