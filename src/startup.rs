//! Building the application and running the server.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Logger, NormalizePath};
use actix_web::{web, App, HttpServer};
use std::io::Write;
use std::net::TcpListener;
use std::sync::Arc;

use crate::auth::Authenticator;
use crate::config::{AuthMode, Config};
use crate::connectors::ConnectorService;
use crate::factories::Catalog;
use crate::routes::{self, AppState};
use crate::store::Store;

/// Everything a server needs, loaded from a [`Config`].
pub struct Runtime {
    pub state: AppState,
    pub store: Arc<Store>,
}

impl Runtime {
    /// Loads the catalog and opens the store; errors are start-up messages.
    pub fn load(config: &Config) -> Result<Runtime, String> {
        let catalog = Catalog::load(&config.fixtures.dirs)?;
        let store = Arc::new(Store::open(&config.store_options()).map_err(|e| e.to_string())?);
        let auth = Authenticator::load(&config.auth, &store).map_err(|e| e.to_string())?;
        let service = ConnectorService::new(Arc::new(catalog), store.clone(), config.patch.config);
        Ok(Runtime {
            state: AppState {
                service: Arc::new(service),
                auth: Arc::new(auth),
                body_limit: config.server.body_limit,
            },
            store,
        })
    }
}

/// The whole application: routes, JSON fallbacks, trailing-slash tolerance, request log.
/// Used by the server and by the in-process tests.
pub fn build_app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(web::Data::new(state))
        .configure(routes::configure)
        .default_service(web::to(routes::route_not_found))
        .wrap(NormalizePath::trim())
        .wrap(Logger::new("%r %s %Dms"))
}

/// Binds `config.server.listen`, prints `connector-mock listening on http://HOST:PORT`
/// as the first stdout line, and serves until SIGINT/SIGTERM; then flushes storage.
pub async fn serve(config: Config) -> Result<(), String> {
    let runtime = Runtime::load(&config)?;
    let listener = TcpListener::bind(&config.server.listen)
        .map_err(|error| format!("cannot listen on {}: {error}", config.server.listen))?;
    let address = listener.local_addr().map_err(|error| error.to_string())?;
    log_startup(&config, &runtime);
    {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "connector-mock listening on http://{address}");
        let _ = stdout.flush();
    }
    let state = runtime.state.clone();
    let mut server = HttpServer::new(move || build_app(state.clone()))
        .listen(listener)
        .map_err(|error| error.to_string())?
        .shutdown_timeout(10);
    if config.server.workers > 0 {
        server = server.workers(config.server.workers);
    }
    server.run().await.map_err(|error| error.to_string())?;
    runtime.store.flush().map_err(|error| error.to_string())?;
    log::info!("stopped; storage flushed");
    Ok(())
}

fn log_startup(config: &Config, runtime: &Runtime) {
    if config.auth.mode == AuthMode::None {
        log::warn!(
            "AUTHENTICATION IS OFF ([auth] mode = \"none\"): every route answers without a token"
        );
    } else {
        let clients: Vec<&str> = config
            .auth
            .clients
            .iter()
            .map(|client| client.id.as_str())
            .collect();
        log::info!(
            "auth: Bearer tokens required; clients {clients:?}; {} static token(s)",
            config.auth.static_tokens.len()
        );
    }
    let storage = if config.storage.ephemeral {
        "ephemeral (temporary database)".to_owned()
    } else {
        format!("{}", config.storage.data.display())
    };
    log::info!(
        "{} factories loaded; storage: {storage}; durability: {:?}; patch mode: {:?}",
        runtime.state.service.catalog().all().len(),
        config.storage.durability,
        config.patch.config,
    );
}

/// A server running in a background thread, for Rust test suites: starts on
/// the configured address (use port 0), stops when dropped.
pub struct TestServer {
    url: String,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server with `config`; returns once it accepts connections.
    pub fn start(config: Config) -> Result<TestServer, String> {
        let runtime = Runtime::load(&config)?;
        let listener = TcpListener::bind(&config.server.listen)
            .map_err(|error| format!("cannot listen on {}: {error}", config.server.listen))?;
        let url = format!(
            "http://{}",
            listener.local_addr().map_err(|error| error.to_string())?
        );
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let system = actix_web::rt::System::new();
            let state = runtime.state.clone();
            let server = match HttpServer::new(move || build_app(state.clone()))
                .listen(listener)
                .map(|server| server.workers(1).disable_signals().run())
            {
                Ok(server) => server,
                Err(error) => {
                    let _ = sender.send(Err(error.to_string()));
                    return;
                }
            };
            let _ = sender.send(Ok(server.handle()));
            let _ = system.block_on(server);
            let _ = runtime.store.flush();
        });
        let handle = receiver
            .recv()
            .map_err(|_| "the server thread stopped while starting".to_owned())??;
        Ok(TestServer {
            url,
            handle,
            thread: Some(thread),
        })
    }

    /// Base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let stop = self.handle.stop(false);
        actix_web::rt::System::new().block_on(stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
