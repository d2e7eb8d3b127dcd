//! Building the application and running the server.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{web, App, HttpServer};
use std::io::Write;
use std::net::TcpListener;
use std::sync::Arc;

use std::time::Duration;

use crate::auth::Authenticator;
use crate::config::{AuthMode, Config};
use crate::connectors::ConnectorService;
use crate::factories::Catalog;
use crate::openapi::OpenApiDocument;
use crate::routes::{self, AppState};
use crate::state::{CommitOptions, State};
use crate::store::Store;

/// Everything a server needs, loaded from a [`Config`].
pub struct Runtime {
    pub app: AppState,
}

impl Runtime {
    /// Loads the catalog, opens (and verifies) the store and builds the
    /// in-memory state; errors are start-up messages.
    pub fn load(config: &Config) -> Result<Runtime, String> {
        let catalog = Arc::new(Catalog::load(&config.fixtures.dirs)?);
        let options = config.store_options();
        let (store, loaded, report) = Store::open(&options).map_err(|error| error.to_string())?;
        for note in &report.notes {
            log::warn!("storage: {note}");
        }
        let service = Arc::new(ConnectorService::new(
            catalog,
            config.patch.config,
            config.limits,
        ));
        let commit = CommitOptions {
            durability: options.durability,
            flush_interval: options.flush_interval,
            flush_hook: None,
        };
        let state = State::start(
            store,
            loaded,
            commit,
            config.outbox.capacity,
            &|_, record, stored| service.load_entry(record, stored),
        )?;
        let auth = match Authenticator::load(&config.auth, &state) {
            Ok(auth) => auth,
            Err(error) => {
                let _ = state.stop();
                return Err(error);
            }
        };
        Ok(Runtime {
            app: AppState {
                service,
                state,
                auth: Arc::new(auth),
                openapi: Arc::new(OpenApiDocument::render()),
                body_limit: config.server.body_limit,
                request_timeout: Duration::from_millis(config.server.request_timeout_ms),
                data_dir: options.path.clone(),
            },
        })
    }

    /// Stores everything still queued and closes the database.
    pub fn stop(&self) -> Result<(), String> {
        self.app.state.stop()
    }
}

/// The HTTP server for `config`, with its timeouts and connection limit.
fn http_server(
    config: &Config,
    app: AppState,
    listener: TcpListener,
) -> Result<actix_web::dev::Server, String> {
    let timeout = Duration::from_millis(config.server.request_timeout_ms);
    let workers = match config.server.workers {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        workers => workers,
    };
    let server = HttpServer::new(move || build_app(app.clone()))
        .on_connect(|connection, _| {
            // Answers streamed in several writes must not wait for Nagle's algorithm.
            if let Some(stream) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
                let _ = stream.set_nodelay(true);
            }
        })
        .workers(workers)
        .client_request_timeout(timeout)
        .client_disconnect_timeout(Duration::from_secs(1))
        .keep_alive(Duration::from_millis(config.server.keep_alive_ms))
        .max_connections(config.server.max_connections.div_ceil(workers))
        .shutdown_timeout(10)
        .listen(listener)
        .map_err(|error| error.to_string())?;
    Ok(server.run())
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
        .wrap_fn(routes::normalize::normalize_path)
        .wrap_fn(routes::request_log::log_request)
}

/// Binds `config.server.listen`, prints `connector-mock listening on http://HOST:PORT`
/// as the first stdout line, and serves until SIGINT/SIGTERM; then stores
/// everything still queued and closes the database.
pub fn serve(config: Config) -> Result<(), String> {
    let listener = TcpListener::bind(&config.server.listen)
        .map_err(|error| format!("cannot listen on {}: {error}", config.server.listen))?;
    let address = listener.local_addr().map_err(|error| error.to_string())?;
    let runtime = Runtime::load(&config)?;
    log_startup(&config, &runtime);
    let served = actix_web::rt::System::new().block_on(async {
        let server = http_server(&config, runtime.app.clone(), listener)?;
        {
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "connector-mock listening on http://{address}");
            let _ = stdout.flush();
        }
        server.await.map_err(|error| error.to_string())
    });
    let stopped = runtime.stop();
    served?;
    stopped?;
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
        "ephemeral (memory only)".to_owned()
    } else {
        format!("{}", config.storage.data.display())
    };
    log::info!(
        "{} factories loaded; storage: {storage}; durability: {:?}; patch mode: {:?}",
        runtime.app.service.catalog().all().len(),
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
        let listener = TcpListener::bind(&config.server.listen)
            .map_err(|error| format!("cannot listen on {}: {error}", config.server.listen))?;
        let url = format!(
            "http://{}",
            listener.local_addr().map_err(|error| error.to_string())?
        );
        let runtime = Runtime::load(&config)?;
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let system = actix_web::rt::System::new();
            let mut config = config;
            if config.server.workers == 0 {
                config.server.workers = 1;
            }
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
