//! Reference server for `tools/bench/run.sh`.
//!
//! At start-up it copies the connectors of a running connector-mock, then serves them
//! with about the least work an actix-web + sled server can do: answers are kept
//! pre-serialized in memory, a PATCH is one parse + RFC 7396 merge + re-serialization,
//! and in `--mode sled` every write is also stored in sled and flushed (blocking
//! `Db::flush`, off the async executor) before the answer. connector-mock is measured
//! against it in the same run, so the benchmark reports ratios, not machine-bound numbers.
//!
//! Not a mock: no validation, the bearer token is checked by a route guard (a wrong one
//! gets 404), and the list answer is the snapshot taken at start-up (writes do not
//! update it).

use actix_web::error::ErrorInternalServerError as Internal;
use actix_web::http::StatusCode;
use actix_web::{guard, web, App, HttpResponse, HttpServer};
use bytes::Bytes;
use clap::{Parser, ValueEnum};
use serde_json::Value;
use std::collections::HashMap;
use std::error::Error;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::RwLock;

/// What a handler answers; errors become 500.
type Answer = Result<HttpResponse, actix_web::Error>;

/// Command line.
#[derive(Debug, Parser)]
#[command(name = "bench-reference")]
struct Cli {
    /// Address to listen on; port 0 picks a free port (printed on the first stdout line).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// Base URL of the running connector-mock to copy, e.g. http://127.0.0.1:3001.
    #[arg(long)]
    from: String,
    /// Bearer token for connector-mock; the reference accepts the same one.
    #[arg(long)]
    token: String,
    /// `memory`: writes stay in memory; `sled`: writes are also stored and flushed.
    #[arg(long, value_enum, default_value = "memory")]
    mode: Mode,
    /// sled directory for `--mode sled` (default: a temporary database).
    #[arg(long)]
    data: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    Memory,
    Sled,
}

/// Shared by every worker.
struct State {
    /// Connector id → the exact bytes of its JSON answer.
    connectors: RwLock<HashMap<String, Bytes>>,
    /// The `GET /api/connectors` answer copied at start-up, one buffer.
    list: Bytes,
    /// Body used for `POST` (one of the copied connectors); its `id` is replaced.
    template: Value,
    /// The sled database in `--mode sled`.
    db: Option<sled::Db>,
}

impl State {
    /// Stores (or with `None` removes) `id` in memory and, in `--mode sled`, in sled.
    /// The caller holds the write lock, so sled sees the writes in the same order.
    /// Returns the previous bytes.
    fn write(
        &self,
        connectors: &mut HashMap<String, Bytes>,
        id: &str,
        bytes: Option<Bytes>,
    ) -> Result<Option<Bytes>, sled::Error> {
        match (&self.db, &bytes) {
            (Some(db), Some(bytes)) => db.insert(id, bytes.as_ref()).map(drop)?,
            (Some(db), None) => db.remove(id).map(drop)?,
            (None, _) => {}
        }
        Ok(match bytes {
            Some(bytes) => connectors.insert(id.to_owned(), bytes),
            None => connectors.remove(id),
        })
    }
}

/// In `--mode sled`, one blocking `Db::flush` on actix's blocking thread pool
/// (never `flush_async`: it deadlocks on sled 0.34 with concurrent writers).
async fn flush(state: &web::Data<State>) -> Result<(), actix_web::Error> {
    if state.db.is_some() {
        let state = state.clone();
        web::block(move || state.db.as_ref().map(|db| db.flush()).transpose())
            .await?
            .map_err(Internal)?;
    }
    Ok(())
}

/// Minimal blocking HTTP/1.1 GET: one connection per request, Content-Length bodies.
fn http_get(base: &str, path: &str, token: &str) -> Result<Bytes, Box<dyn Error>> {
    let host = base
        .strip_prefix("http://")
        .ok_or("--from must be http://")?;
    let host = host.trim_end_matches('/');
    let mut stream = TcpStream::connect(host)?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let split = answer
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .ok_or(format!("GET {path}: no end of headers"))?;
    let head = String::from_utf8_lossy(&answer[..split]).to_ascii_lowercase();
    if !head.starts_with("http/1.1 200") {
        return Err(format!("GET {path}: {}", head.lines().next().unwrap_or("")).into());
    }
    if head.contains("transfer-encoding: chunked") {
        return Err(format!("GET {path}: chunked answers are not supported").into());
    }
    Ok(Bytes::copy_from_slice(&answer[split + 4..]))
}

/// Copies the list answer and every single-connector answer of a running connector-mock.
fn copy_state(cli: &Cli) -> Result<(Bytes, HashMap<String, Bytes>), Box<dyn Error>> {
    let list = http_get(&cli.from, "/api/connectors", &cli.token)?;
    let mut connectors = HashMap::new();
    for connector in serde_json::from_slice::<Vec<Value>>(&list)? {
        let id = connector["id"]
            .as_str()
            .ok_or("a listed connector has no id")?;
        let bytes = http_get(&cli.from, &format!("/api/connectors/{id}"), &cli.token)?;
        connectors.insert(id.to_owned(), bytes);
    }
    Ok((list, connectors))
}

/// 200 with JSON bytes and Logto's content type.
fn json(bytes: Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .body(bytes)
}

/// An answer without a body.
fn empty(code: StatusCode) -> HttpResponse {
    HttpResponse::build(code).finish()
}

/// `GET /api/connectors`: the pre-built list buffer.
async fn get_list(state: web::Data<State>) -> HttpResponse {
    json(state.list.clone())
}

/// `GET /api/connectors/{id}`: the stored bytes.
async fn get_one(state: web::Data<State>, id: web::Path<String>) -> HttpResponse {
    match state.connectors.read().unwrap().get(id.as_str()) {
        Some(bytes) => json(bytes.clone()),
        None => empty(StatusCode::NOT_FOUND),
    }
}

/// `PATCH /api/connectors/{id}`: RFC 7396 merge of the body's `config` into the stored one.
async fn patch(state: web::Data<State>, id: web::Path<String>, body: Bytes) -> Answer {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return Ok(empty(StatusCode::BAD_REQUEST));
    };
    let updated = {
        // The write lock makes read-merge-write atomic: no update is lost.
        let mut connectors = state.connectors.write().unwrap();
        let Some(stored) = connectors.get(id.as_str()) else {
            return Ok(empty(StatusCode::NOT_FOUND));
        };
        let mut connector: Value = serde_json::from_slice(stored)?;
        if let Some(config) = body.get("config") {
            json_patch::merge(&mut connector["config"], config);
        }
        let updated = Bytes::from(serde_json::to_vec(&connector)?);
        state
            .write(&mut connectors, &id, Some(updated.clone()))
            .map_err(Internal)?;
        updated
    };
    flush(&state).await?;
    Ok(json(updated))
}

/// `POST /api/connectors`: a copy of the template connector under the body's `id`.
async fn create(state: web::Data<State>, body: Bytes) -> Answer {
    let body = serde_json::from_slice::<Value>(&body).unwrap_or_default();
    let Some(id) = body["id"].as_str() else {
        return Ok(empty(StatusCode::BAD_REQUEST));
    };
    let mut connector = state.template.clone();
    connector["id"] = Value::from(id);
    let bytes = Bytes::from(serde_json::to_vec(&connector)?);
    let stored = state.write(
        &mut state.connectors.write().unwrap(),
        id,
        Some(bytes.clone()),
    );
    stored.map_err(Internal)?;
    flush(&state).await?;
    Ok(json(bytes))
}

/// `DELETE /api/connectors/{id}`: 204, or 404 when unknown.
async fn delete(state: web::Data<State>, id: web::Path<String>) -> Answer {
    let removed = state.write(&mut state.connectors.write().unwrap(), &id, None);
    if removed.map_err(Internal)?.is_none() {
        return Ok(empty(StatusCode::NOT_FOUND));
    }
    flush(&state).await?;
    Ok(empty(StatusCode::NO_CONTENT))
}

fn main() -> Result<(), Box<dyn Error>> {
    let cli = Cli::parse();
    let (list, connectors) = copy_state(&cli)?;
    let template = connectors.values().next().ok_or("no connector to copy")?;
    let template = serde_json::from_slice(template)?;
    let db = match (cli.mode, &cli.data) {
        (Mode::Memory, _) => None,
        (Mode::Sled, Some(dir)) => Some(sled::open(dir)?),
        (Mode::Sled, None) => Some(sled::Config::new().temporary(true).open()?),
    };
    if let Some(db) = &db {
        for (id, bytes) in &connectors {
            db.insert(id.as_str(), bytes.as_ref())?;
        }
        db.flush()?;
    }
    let state = web::Data::new(State {
        connectors: RwLock::new(connectors),
        list,
        template,
        db,
    });
    // Route guards want a 'static header value; the process lives as long as the server.
    let bearer: &'static str = Box::leak(format!("Bearer {}", cli.token).into_boxed_str());
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || {
            let connectors = web::scope("/api/connectors")
                .guard(guard::Header("authorization", bearer))
                .route("", web::get().to(get_list))
                .route("", web::post().to(create))
                .route("/{id}", web::get().to(get_one))
                .route("/{id}", web::patch().to(patch))
                .route("/{id}", web::delete().to(delete));
            App::new()
                .app_data(state.clone())
                .route(
                    "/api/status",
                    web::get().to(|| async { empty(StatusCode::NO_CONTENT) }),
                )
                .service(connectors)
        })
        .bind(&cli.listen)?;
        println!("reference listening on http://{}", server.addrs()[0]);
        std::io::stdout().flush()?;
        server.run().await?;
        Ok(())
    })
}
