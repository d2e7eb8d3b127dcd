//! [`TestServer`]: a complete connector-mock inside a Rust test, on a free
//! port, in memory, stopped (in about a millisecond) when dropped.
//!
//! ```
//! use connector_mock::TestServer;
//! use serde_json::json;
//!
//! let server = TestServer::builder()
//!     .seed(json!([{ "id": "github", "connectorId": "github-universal",
//!                    "config": { "clientId": "id", "clientSecret": "secret" } }]))
//!     .start()
//!     .expect("the server starts");
//! // Talk to server.url() with any HTTP client, sending
//! // `Authorization: Bearer {server.token()}`; here, a look at the seeded state:
//! let state = server.state();
//! assert_eq!(state["tenants"]["default"]["connectors"][0]["id"], "github");
//! server.reset().unwrap(); // back to exactly the seed
//! assert!(server.requests().is_empty());
//! ```
//!
//! Many servers run in parallel in one test binary: each has its own port
//! and its own in-memory data.

use serde_json::Value;
use std::net::TcpListener;

use crate::config::{AuthMode, Config};
use crate::connectors::OutboxFilter;
use crate::harness::state_file::StateFile;
use crate::harness::DEFAULT_TENANT;
use crate::routes::AppState;
use crate::startup::{http_server, stop_gracefully, Runtime};

/// A server running on its own thread; it stops when dropped.
pub struct TestServer {
    url: String,
    app: AppState,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Settings for [`TestServer`]; start with [`TestServer::builder`].
#[derive(Debug, Clone)]
pub struct TestServerBuilder {
    config: Config,
    seed: Option<Value>,
    tenants: Vec<String>,
}

impl TestServerBuilder {
    /// Every setting at once (the listen address and storage are kept as given).
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// The seed: an array of `POST /api/connectors` bodies for every tenant,
    /// or an object keyed by tenant name (`"*"` for the others).
    pub fn seed(mut self, seed: Value) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Creates (and seeds) this tenant before [`TestServerBuilder::start`] returns.
    pub fn tenant(mut self, name: &str) -> Self {
        self.tenants.push(name.to_owned());
        self
    }

    /// `AuthMode::Token` (the default) or `AuthMode::None`.
    pub fn auth(mut self, mode: AuthMode) -> Self {
        self.config.auth.mode = mode;
        self
    }

    /// Starts the server; returns once it accepts connections.
    pub fn start(self) -> Result<TestServer, String> {
        let listener = TcpListener::bind(&self.config.server.listen)
            .map_err(|error| format!("cannot listen on {}: {error}", self.config.server.listen))?;
        let url = format!(
            "http://{}",
            listener.local_addr().map_err(|error| error.to_string())?
        );
        let runtime = Runtime::load_with_seed(&self.config, self.seed.as_ref())?;
        for name in &self.tenants {
            let prepared = runtime
                .app
                .harness
                .tenant(name)
                .and_then(|tenant| runtime.app.harness.ready_blocking(&tenant));
            if let Err(error) = prepared {
                let _ = runtime.stop();
                return Err(format!("tenant {name:?}: {error}"));
            }
        }
        let app = runtime.app.clone();
        let mut config = self.config;
        if config.server.workers == 0 {
            config.server.workers = 1;
        }
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let system = actix_web::rt::System::new();
            let server = system.block_on(async {
                http_server(&config, runtime.app.clone(), listener)
                    .map(|server| (server.handle(), server))
            });
            let server = match server {
                Ok((handle, server)) => {
                    let _ = sender.send(Ok(handle));
                    server
                }
                Err(error) => {
                    let _ = runtime.stop();
                    let _ = sender.send(Err(error));
                    return;
                }
            };
            let _ = system.block_on(server);
            if let Err(error) = runtime.stop() {
                log::error!("stopping the storage failed: {error}");
            }
        });
        let handle = receiver
            .recv()
            .map_err(|_| "the server thread stopped while starting".to_owned())??;
        Ok(TestServer {
            url,
            app,
            handle,
            thread: Some(thread),
        })
    }
}

impl TestServer {
    /// A builder with test defaults: a free port on 127.0.0.1, in-memory
    /// storage, one worker, tokens required.
    pub fn builder() -> TestServerBuilder {
        let mut config = Config::default();
        config.server.listen = "127.0.0.1:0".into();
        config.server.workers = 1;
        config.storage.ephemeral = true;
        TestServerBuilder {
            config,
            seed: None,
            tenants: Vec::new(),
        }
    }

    /// Starts a server with exactly `config` (use port 0 and `ephemeral`).
    pub fn start(config: Config) -> Result<TestServer, String> {
        TestServer::builder().config(config).start()
    }

    /// Base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Base URL of a tenant: `{url}/t/{name}`.
    pub fn tenant_url(&self, name: &str) -> String {
        format!("{}/t/{name}", self.url)
    }

    /// A ready bearer token of the default client for the default tenant.
    pub fn token(&self) -> String {
        self.token_for(DEFAULT_TENANT)
    }

    /// A ready bearer token of the default client for `tenant` (refused by every other tenant).
    pub fn token_for(&self, tenant: &str) -> String {
        let issuer = if tenant == DEFAULT_TENANT {
            format!("{}/oidc", self.url)
        } else {
            format!("{}/oidc", self.tenant_url(tenant))
        };
        self.app
            .auth
            .token_for(tenant, &issuer)
            .expect("the configuration names at least one client ([[auth.clients]])")
    }

    /// Returns the default tenant to exactly its seed (`POST /_mock/reset`).
    pub fn reset(&self) -> Result<(), String> {
        self.reset_tenant(DEFAULT_TENANT)
    }

    /// Returns `tenant` to exactly its seed.
    pub fn reset_tenant(&self, tenant: &str) -> Result<(), String> {
        let harness = &self.app.harness;
        let tenant = harness.tenant(tenant).map_err(|error| error.to_string())?;
        harness
            .ready_blocking(&tenant)
            .map_err(|error| error.to_string())?;
        let ack = harness.reset(&tenant).map_err(|error| error.to_string())?;
        ack.wait().map_err(|error| error.0)
    }

    /// The default tenant's request journal, oldest first (`GET /_mock/requests`).
    pub fn requests(&self) -> Vec<Value> {
        self.requests_of(DEFAULT_TENANT)
    }

    /// A tenant's request journal, oldest first.
    pub fn requests_of(&self, tenant: &str) -> Vec<Value> {
        let Some(tenant) = self.app.harness.existing(tenant) else {
            return Vec::new();
        };
        let entries = tenant.journal.list(&Default::default());
        entries
            .into_iter()
            .filter_map(|entry| serde_json::to_value(entry).ok())
            .collect()
    }

    /// The default tenant's outbox, oldest first (`GET /_mock/outbox`).
    pub fn outbox(&self) -> Vec<Value> {
        self.outbox_of(DEFAULT_TENANT)
    }

    /// A tenant's outbox, oldest first.
    pub fn outbox_of(&self, tenant: &str) -> Vec<Value> {
        let Some(tenant) = self.app.harness.existing(tenant) else {
            return Vec::new();
        };
        let list = self
            .app
            .service
            .outbox(tenant.data(), &OutboxFilter::default());
        list.items
            .iter()
            .filter_map(|item| serde_json::from_slice(item).ok())
            .collect()
    }

    /// The default tenant's connectors as a state file (`GET /_mock/state`),
    /// seeding the tenant first if it was never used.
    pub fn state(&self) -> Value {
        let harness = &self.app.harness;
        let mut file = StateFile::new();
        if let Ok(tenant) = harness.tenant(DEFAULT_TENANT) {
            if harness.ready_blocking(&tenant).is_ok() {
                file.add_snapshot(tenant.name(), &tenant.data().snapshot());
            }
        }
        serde_json::to_value(file).unwrap_or(Value::Null)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        let in_flight = self.app.in_flight.clone();
        actix_web::rt::System::new().block_on(async move {
            stop_gracefully(&handle, &in_flight).await;
        });
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
