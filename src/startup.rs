//! Building the application and running the server.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{web, App, HttpServer};
use std::io::Write;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use std::time::Duration;

use crate::auth::Authenticator;
use crate::config::{AuthMode, Config};
use crate::connectors::ConnectorService;
use crate::console::Console;
use crate::factories::Catalog;
use crate::harness::{Harness, HarnessOptions, Seed};
use crate::openapi::OpenApiDocument;
use crate::routes::{self, AppState, SecurityTable};
use crate::state::State;

/// Everything a server needs, loaded from a [`Config`].
pub struct Runtime {
    pub app: AppState,
}

impl Runtime {
    /// Loads the catalog, opens (and verifies) the store, resolves the seed
    /// and builds the in-memory state; errors are start-up messages.
    pub fn load(config: &Config) -> Result<Runtime, String> {
        Runtime::load_with_seed(config, None)
    }

    /// [`Runtime::load`] with a seed document that replaces `[seed] file`.
    pub fn load_with_seed(
        config: &Config,
        seed: Option<&serde_json::Value>,
    ) -> Result<Runtime, String> {
        let catalog = Arc::new(Catalog::load(&config.fixtures.dirs)?);
        let service = Arc::new(ConnectorService::new(
            catalog,
            config.patch.config,
            config.limits,
        ));
        let seed = match (seed, &config.seed.file) {
            (Some(document), _) => Seed::from_value(document, &service, config.ids.seed)
                .map_err(|error| format!("seed: {error}"))?,
            (None, Some(path)) => Seed::load(path, &service, config.ids.seed)?,
            (None, None) => Seed::empty(),
        };
        let options = config.store_options();
        let (state, report) =
            State::open(&options, config.outbox.capacity, &|_, record, stored| {
                service.load_entry(record, stored)
            })?;
        for note in &report.notes {
            log::warn!("storage: {note}");
        }
        let auth = match Authenticator::load(&config.auth, &state) {
            Ok(auth) => auth,
            Err(error) => {
                let _ = state.stop();
                return Err(error);
            }
        };
        let harness = Harness::new(
            state.clone(),
            seed,
            HarnessOptions {
                max_tenants: config.tenants.max,
                journal_capacity: config.journal.capacity,
                ids_seed: config.ids.seed,
            },
        );
        let openapi = OpenApiDocument::render();
        let security = SecurityTable::from_document(&crate::openapi::document(""));
        Ok(Runtime {
            app: AppState {
                service,
                state,
                auth: Arc::new(auth),
                openapi: Arc::new(openapi),
                body_limit: config.server.body_limit,
                request_timeout: Duration::from_millis(config.server.request_timeout_ms),
                data_dir: options.path.clone(),
                harness: Arc::new(harness),
                base_domain: Arc::from(config.tenants.base_domain.as_str()),
                security: Arc::new(security),
                record_files: config.outbox.record_files,
                in_flight: Arc::new(AtomicUsize::new(0)),
                // Prefilled with a client once the server is bound (see `http_server`).
                console: Arc::new(Console::new(config, None)),
            },
        })
    }

    /// Stores everything still queued and closes the database.
    pub fn stop(&self) -> Result<(), String> {
        self.app.state.stop()
    }
}

/// The HTTP server for `config`, with its timeouts and connection limit.
/// The console learns the address `listener` is bound to here.
pub(crate) fn http_server(
    config: &Config,
    mut app: AppState,
    listener: TcpListener,
) -> Result<actix_web::dev::Server, String> {
    app.console = Arc::new(Console::new(config, listener.local_addr().ok()));
    let timeout = Duration::from_millis(config.server.request_timeout_ms);
    let workers = match config.server.workers {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        workers => workers,
    };
    let server = HttpServer::new(move || build_app(app.clone()))
        .on_connect(|connection, data| {
            // Answers streamed in several writes must not wait for Nagle's algorithm.
            if let Some(stream) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
                let _ = stream.set_nodelay(true);
                use std::os::fd::AsRawFd;
                data.insert(routes::tenancy::ConnectionSocket(stream.as_raw_fd()));
            }
        })
        .disable_signals()
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

/// The whole application: routes, JSON fallbacks, trailing-slash tolerance, localized
/// error messages, request log.
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
        .wrap(actix_web::middleware::from_fn(
            routes::tenancy::select_tenant,
        ))
        .wrap_fn(routes::normalize::normalize_path)
        .wrap_fn(routes::localize::localize_errors)
        .wrap_fn(routes::request_log::log_request)
}

/// Binds `config.server.listen`, prints `connector-mock listening on http://HOST:PORT`
/// as the first stdout line, and serves until SIGINT/SIGTERM; then finishes the
/// requests in flight, stores everything still queued and closes the database.
pub fn serve(config: Config) -> Result<(), String> {
    let listener = TcpListener::bind(&config.server.listen)
        .map_err(|error| format!("cannot listen on {}: {error}", config.server.listen))?;
    let address = listener.local_addr().map_err(|error| error.to_string())?;
    let runtime = Runtime::load(&config)?;
    log_startup(&config, &runtime, address);
    let served = actix_web::rt::System::new().block_on(async {
        let server = http_server(&config, runtime.app.clone(), listener)?;
        let handle = server.handle();
        let in_flight = runtime.app.in_flight.clone();
        actix_web::rt::spawn(async move {
            let signal = wait_for_stop_signal().await;
            log::info!("{signal} received: finishing requests in flight, then stopping");
            stop_gracefully(&handle, &in_flight).await;
        });
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

/// Longest wait for requests in flight when stopping.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// Resolves with the name of the first SIGINT or SIGTERM.
async fn wait_for_stop_signal() -> &'static str {
    use actix_web::rt::signal::unix::{signal, SignalKind};
    let (Ok(mut interrupt), Ok(mut terminate)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        log::error!("cannot listen for SIGINT/SIGTERM; stop the server with SIGKILL");
        return std::future::pending().await;
    };
    let interrupt = Box::pin(async move {
        interrupt.recv().await;
        "SIGINT"
    });
    let terminate = Box::pin(async move {
        terminate.recv().await;
        "SIGTERM"
    });
    match futures_util::future::select(interrupt, terminate).await {
        futures_util::future::Either::Left((name, _)) => name,
        futures_util::future::Either::Right((name, _)) => name,
    }
}

/// Stops accepting, waits (up to [`STOP_GRACE`]) until no request is being
/// handled, then stops the workers at once: idle keep-alive connections are
/// not waited for, so an idle server stops in milliseconds.
pub async fn stop_gracefully(handle: &actix_web::dev::ServerHandle, in_flight: &AtomicUsize) {
    handle.pause().await;
    let deadline = std::time::Instant::now() + STOP_GRACE;
    while in_flight.load(Ordering::Acquire) > 0 && std::time::Instant::now() < deadline {
        actix_web::rt::time::sleep(Duration::from_millis(1)).await;
    }
    handle.stop(false).await;
}

fn log_startup(config: &Config, runtime: &Runtime, address: std::net::SocketAddr) {
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
    if config.console.enabled {
        let loopback = address.ip().to_canonical().is_loopback();
        let prefill = if config.auth.mode == AuthMode::None || loopback {
            ""
        } else {
            " (its sign-in is not prefilled: the server does not listen on a loopback address)"
        };
        log::info!(
            "console: open http://{}/ in a browser{prefill}",
            browsable(address)
        );
    }
}

/// `address`, with an unspecified IP (`0.0.0.0`, `::`) replaced by loopback,
/// which a browser can open.
fn browsable(address: std::net::SocketAddr) -> std::net::SocketAddr {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    std::net::SocketAddr::new(ip, address.port())
}
