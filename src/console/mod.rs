//! The embedded web console (no HTTP here; [`crate::routes`] serves it).
//!
//! The page (`assets/index.html`) and its script and style sheet are compiled
//! into the binary, so the console works offline. The page learns where it is
//! from a `<meta name="connector-mock-console" content="{{CONSOLE_SETTINGS}}">`
//! tag: the placeholder is replaced, per request, by [`Settings`] as compact
//! JSON, escaped for an HTML attribute.

use serde::Serialize;
use std::net::SocketAddr;

use crate::auth::management_resource;
use crate::config::{AuthClient, AuthMode, Config};
use crate::etag::etag_of_bytes;

/// The page, with the settings placeholder.
pub const INDEX_HTML: &str = include_str!("assets/index.html");
/// The page's script (`/console/console.js`).
pub const SCRIPT: &str = include_str!("assets/console.js");
/// The page's style sheet (`/console/console.css`).
pub const STYLE: &str = include_str!("assets/console.css");

/// What `index.html` holds where the settings go.
pub const SETTINGS_PLACEHOLDER: &str = "{{CONSOLE_SETTINGS}}";

/// One embedded file served as it is, with its `ETag`.
pub struct Asset {
    pub body: &'static str,
    pub content_type: &'static str,
    pub etag: String,
}

impl Asset {
    fn new(body: &'static str, content_type: &'static str) -> Asset {
        Asset {
            body,
            content_type,
            etag: etag_of_bytes(body.as_bytes()),
        }
    }
}

/// The console of one server: on or off, its assets, and what every page holds.
pub struct Console {
    pub enabled: bool,
    auth_mode: AuthMode,
    /// The client whose credentials the page is prefilled with.
    client: Option<AuthClient>,
    pub script: Asset,
    pub style: Asset,
}

impl Console {
    /// The console for `config`, on a server bound to `bound` (`None`: not bound
    /// yet, so nothing is prefilled).
    pub fn new(config: &Config, bound: Option<SocketAddr>) -> Console {
        let client = match (config.auth.mode, bound) {
            (AuthMode::Token, Some(bound)) => prefilled_client(&config.auth.clients, bound),
            _ => None,
        };
        Console {
            enabled: config.console.enabled,
            auth_mode: config.auth.mode,
            client: client.cloned(),
            script: Asset::new(SCRIPT, "text/javascript; charset=utf-8"),
            style: Asset::new(STYLE, "text/css; charset=utf-8"),
        }
    }

    /// Whether the page comes prefilled with a client's credentials.
    pub fn prefills_client(&self) -> bool {
        self.client.is_some()
    }

    /// The settings of the page of `tenant` (`""` for `default`) reached with `prefix`.
    pub fn settings<'a>(&'a self, tenant: &'a str, prefix: &'a str) -> Settings<'a> {
        let tenant = if tenant.is_empty() {
            crate::harness::DEFAULT_TENANT
        } else {
            tenant
        };
        Settings {
            tenant,
            prefix,
            auth_mode: match self.auth_mode {
                AuthMode::Token => "token",
                AuthMode::None => "none",
            },
            resource: management_resource(tenant),
            default_client: self.client.as_ref().map(|client| ClientSettings {
                id: &client.id,
                secret: &client.secret,
            }),
            version: env!("CARGO_PKG_VERSION"),
        }
    }

    /// The page of `tenant` reached with `prefix`: `index.html` with its settings.
    pub fn page(&self, tenant: &str, prefix: &str) -> String {
        let settings =
            serde_json::to_string(&self.settings(tenant, prefix)).expect("the settings serialize");
        INDEX_HTML.replacen(SETTINGS_PLACEHOLDER, &escape_attribute(&settings), 1)
    }
}

/// What the page is told about the server (the `content` of its settings `<meta>`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings<'a> {
    /// The tenant the page works on (`default` when none is selected).
    pub tenant: &'a str,
    /// `/t/{tenant}` when the page was reached with it, else empty.
    pub prefix: &'a str,
    /// `token` or `none` (`[auth] mode`).
    pub auth_mode: &'static str,
    /// The tenant's Management API resource indicator.
    pub resource: String,
    /// Credentials to prefill (loopback servers only), or `null`.
    pub default_client: Option<ClientSettings<'a>>,
    pub version: &'static str,
}

/// A client's credentials in [`Settings`].
#[derive(Debug, Serialize)]
pub struct ClientSettings<'a> {
    pub id: &'a str,
    pub secret: &'a str,
}

/// The client the page may be prefilled with: the first with scope `all`, and
/// only when the server listens on a loopback address (127.0.0.0/8, `::1`),
/// where nobody else can load the page.
pub fn prefilled_client(clients: &[AuthClient], bound: SocketAddr) -> Option<&AuthClient> {
    if !bound.ip().to_canonical().is_loopback() {
        return None;
    }
    clients
        .iter()
        .find(|client| client.scopes.iter().any(|scope| scope == "all"))
}

/// Whether an `Accept` header value lists `text/html` with a weight above 0
/// (wildcards such as `*/*` do not count: API clients send them).
pub fn accepts_html(accept: &str) -> bool {
    accept.split(',').any(|range| {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim();
        if !media.eq_ignore_ascii_case("text/html") {
            return false;
        }
        let weight = parts.find_map(|parameter| {
            let (name, value) = parameter.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("q")
                .then(|| value.trim().trim_matches('"'))
        });
        match weight {
            None => true,
            Some(weight) => weight.parse::<f32>().is_ok_and(|weight| weight > 0.0),
        }
    })
}

/// `text` safe inside a quoted HTML attribute value.
pub fn escape_attribute(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + text.len() / 4);
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(id: &str, scopes: &[&str]) -> AuthClient {
        AuthClient {
            id: id.into(),
            secret: format!("{id}-secret"),
            scopes: scopes.iter().map(|scope| (*scope).to_owned()).collect(),
        }
    }

    fn address(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    #[test]
    fn only_a_loopback_server_prefills_the_first_client_with_scope_all() {
        let clients = [client("reader", &["read"]), client("admin", &["x", "all"])];
        for bound in ["127.0.0.1:3001", "127.1.2.3:0", "[::1]:3001"] {
            let chosen = prefilled_client(&clients, address(bound)).map(|c| c.id.as_str());
            assert_eq!(chosen, Some("admin"), "{bound}");
        }
        for bound in [
            "0.0.0.0:3001",
            "192.168.1.2:3001",
            "[::]:3001",
            "[fe80::1]:1",
        ] {
            assert!(
                prefilled_client(&clients, address(bound)).is_none(),
                "{bound}"
            );
        }
        let readers = [client("reader", &["read"])];
        assert!(prefilled_client(&readers, address("127.0.0.1:3001")).is_none());
        assert!(prefilled_client(&[], address("127.0.0.1:3001")).is_none());
    }

    #[test]
    fn the_settings_follow_the_bound_address_and_the_auth_mode() {
        let mut config = Config::default();
        let loopback = Console::new(&config, Some(address("127.0.0.1:1")));
        let json = serde_json::to_value(loopback.settings("", "")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "tenant": "default", "prefix": "", "authMode": "token",
                "resource": "https://default.logto.app/api",
                "defaultClient": {"id": "mock-m2m", "secret": "mock-m2m-secret"},
                "version": env!("CARGO_PKG_VERSION"),
            })
        );
        let everywhere = Console::new(&config, Some(address("0.0.0.0:1")));
        let json = serde_json::to_value(everywhere.settings("acme", "/t/acme")).unwrap();
        assert_eq!(json["defaultClient"], serde_json::Value::Null);
        assert_eq!(json["resource"], "https://acme.logto.app/api");
        assert!(!Console::new(&config, None).prefills_client());
        config.auth.mode = AuthMode::None;
        let open = Console::new(&config, Some(address("127.0.0.1:1")));
        let json = serde_json::to_value(open.settings("", "")).unwrap();
        assert_eq!(json["authMode"], "none");
        assert_eq!(json["defaultClient"], serde_json::Value::Null);
    }

    #[test]
    fn html_must_be_listed_with_a_positive_weight() {
        for accept in [
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "text/html",
            "application/json, TEXT/HTML ; q=0.5",
            "text/html;level=1;q=1.0",
            "text/html;q=\"0.1\"",
        ] {
            assert!(accepts_html(accept), "{accept}");
        }
        for accept in [
            "",
            "*/*",
            "application/json",
            "text/*",
            "text/html;q=0",
            "text/html; q=0.000",
            "text/html;q=abc",
            "text/htmlx",
            "application/xhtml+xml",
        ] {
            assert!(!accepts_html(accept), "{accept}");
        }
    }

    #[test]
    fn attribute_escaping_covers_the_five_characters() {
        assert_eq!(
            escape_attribute(r#"{"a":"<b>&'c'"}"#),
            "{&quot;a&quot;:&quot;&lt;b&gt;&amp;&#39;c&#39;&quot;}"
        );
    }

    #[test]
    fn the_page_holds_the_escaped_settings() {
        let console = Console::new(&Config::default(), None);
        let page = console.page("acme", "/t/acme");
        assert!(!page.contains(SETTINGS_PLACEHOLDER));
        assert!(page.contains("content=\"{&quot;tenant&quot;:&quot;acme&quot;,"));
    }
}
