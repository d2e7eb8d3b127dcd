//! Starting the binary and talking HTTP to it.

use serde_json::Value;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Longest wait for the "listening" line (a bound, not an assertion).
const START_TIMEOUT: Duration = Duration::from_secs(60);
const LISTENING_PREFIX: &str = "connector-mock listening on http://";

/// A fresh temporary directory: the server's working directory, with `data/` inside.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::Builder::new()
                .prefix("connector-mock-e2e-")
                .tempdir()
                .expect("create a temporary directory"),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }
}

/// Extra command-line arguments and environment variables for one start.
#[derive(Default, Clone)]
pub struct Extra<'a> {
    pub args: &'a [&'a str],
    pub env: &'a [(&'a str, &'a str)],
}

/// A running `connector-mock`; killed (SIGKILL) when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    stderr_log: PathBuf,
}

impl Server {
    /// Starts the binary on `127.0.0.1:0` with `--data data_dir`, working directory
    /// the parent of `data_dir`, `RUST_LOG=warn` and no inherited `CONNECTOR_MOCK_*`.
    pub fn start(data_dir: &Path, extra: Extra<'_>) -> Server {
        let cwd = data_dir
            .parent()
            .expect("the data directory has a parent")
            .to_path_buf();
        let stderr_log = unique_path(&cwd, "stderr", "log");
        let stderr = File::create(&stderr_log).expect("create the stderr log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_connector-mock"));
        command
            .current_dir(&cwd)
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--data")
            .arg(data_dir)
            .args(extra.args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(stderr));
        for (key, _) in std::env::vars() {
            if key.starts_with("CONNECTOR_MOCK_") {
                command.env_remove(key);
            }
        }
        for (key, value) in extra.env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("spawn connector-mock");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let first = reader.read_line(&mut line).map(|_| line);
            let _ = sender.send(first);
            // Keep draining so the server can never block on a full stdout pipe.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let mut server = Server {
            child,
            base: String::new(),
            stderr_log,
        };
        let line = match receiver.recv_timeout(START_TIMEOUT) {
            Ok(Ok(line)) => line,
            Ok(Err(error)) => server.fail(&format!("reading stdout failed: {error}")),
            Err(_) => server.fail(&format!(
                "no stdout line within {}s",
                START_TIMEOUT.as_secs()
            )),
        };
        if line.is_empty() {
            server.fail("stdout closed before the first line (the process probably exited)");
        }
        let line = line.trim_end_matches(['\r', '\n']);
        let Some(address) = line.strip_prefix(LISTENING_PREFIX) else {
            server.fail(&format!("unexpected first stdout line {line:?}"));
        };
        let valid = address.rsplit_once(':').is_some_and(|(host, port)| {
            !host.is_empty() && port.parse::<u16>().is_ok_and(|p| p > 0)
        });
        if !valid {
            server.fail(&format!("bad address in first stdout line {line:?}"));
        }
        server.base = format!("http://{address}");
        server
    }

    /// Starts with no extra arguments.
    pub fn start_default(data_dir: &Path) -> Server {
        Server::start(data_dir, Extra::default())
    }

    /// SIGKILLs the process and waits for it to be gone (the crash in crash tests).
    pub fn kill_9(mut self) {
        self.reap();
    }

    /// Sends SIGTERM and waits (bounded) for the process to exit; returns its status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(
            sent.is_ok_and(|status| status.success()),
            "kill -TERM {pid} failed"
        );
        for _ in 0..600 {
            if let Some(status) = self.child.try_wait().expect("wait for connector-mock") {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.fail("did not exit within 30s of SIGTERM");
    }

    /// What the server has written to stderr so far (its log).
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_log).unwrap_or_default()
    }

    /// A client with its own agent.
    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    fn reap(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn fail(&mut self, why: &str) -> ! {
        self.reap();
        let status = self
            .child
            .try_wait()
            .ok()
            .flatten()
            .map_or("exit status unknown".to_owned(), |status| {
                status.to_string()
            });
        let mut stderr = String::new();
        if let Ok(mut file) = File::open(&self.stderr_log) {
            let _ = file.read_to_string(&mut stderr);
        }
        panic!("connector-mock did not start: {why}; {status}; stderr:\n{stderr}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.reap();
    }
}

fn unique_path(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    (0u32..)
        .map(|n| dir.join(format!("{stem}-{n}.{ext}")))
        .find(|path| !path.exists())
        .expect("a free file name")
}

/// One HTTP answer, whatever its status.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// Parsed JSON body; `None` when the body is empty or not JSON.
    pub body: Option<Value>,
    pub text: String,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The JSON body, or a panic naming the status and text.
    pub fn json(&self) -> &Value {
        self.body
            .as_ref()
            .unwrap_or_else(|| panic!("expected a JSON body, got {} {:?}", self.status, self.text))
    }

    /// The `code` of an error body.
    pub fn code(&self) -> Option<&str> {
        self.body.as_ref()?.get("code")?.as_str()
    }

    /// Panics unless the status is `status`.
    #[track_caller]
    pub fn expect(self, status: u16) -> Reply {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    /// Panics unless the status is `status` and the error code is `code`.
    #[track_caller]
    pub fn expect_error(self, status: u16, code: &str) -> Reply {
        assert_eq!(
            (self.status, self.code()),
            (status, Some(code)),
            "unexpected answer; body: {}",
            self.text
        );
        self
    }
}

/// An HTTP client bound to one server, with its own connection pool.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    base: String,
    /// `Authorization` header sent with every request (a token from `/oidc/token`).
    authorization: Option<String>,
}

pub const JSON: &str = "application/json";
pub const MERGE_PATCH: &str = "application/merge-patch+json";
pub const JSON_PATCH: &str = "application/json-patch+json";

impl Client {
    /// A client that first gets an access token with the default machine-to-machine
    /// credentials, as an SDK would, and sends it with every request.
    pub fn new(base: &str) -> Client {
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(60))
            .build();
        Client::with_token(agent, base, "default")
    }

    /// A client of tenant `tenant` selected by the `/t/{tenant}` prefix, with
    /// a token from that tenant's `/oidc/token`.
    pub fn for_tenant_prefix(server_base: &str, tenant: &str) -> Client {
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(60))
            .build();
        Client::with_token(agent, &format!("{server_base}/t/{tenant}"), tenant)
    }

    /// A client of tenant `tenant` selected by the Host header
    /// (`http://{tenant}.localhost:{port}`, resolved to the server's address).
    pub fn for_tenant_host(server_base: &str, tenant: &str) -> Client {
        let address = server_base
            .strip_prefix("http://")
            .expect("an http:// base")
            .to_owned();
        let port = address.rsplit_once(':').expect("host:port").1.to_owned();
        let target: std::net::SocketAddr = address.parse().expect("a socket address");
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(60))
            .resolver(move |_: &str| Ok(vec![target]))
            .build();
        Client::with_token(agent, &format!("http://{tenant}.localhost:{port}"), tenant)
    }

    fn with_token(agent: ureq::Agent, base: &str, tenant: &str) -> Client {
        let token = agent
            .post(&format!("{base}/oidc/token"))
            .set("Authorization", "Basic bW9jay1tMm06bW9jay1tMm0tc2VjcmV0")
            .send_form(&[
                ("grant_type", "client_credentials"),
                ("resource", &format!("https://{tenant}.logto.app/api")),
                ("scope", "all"),
            ])
            .ok()
            .and_then(|response| response.into_json::<Value>().ok())
            .and_then(|body| body["access_token"].as_str().map(str::to_owned));
        Client {
            agent,
            base: base.to_owned(),
            authorization: token.map(|token| format!("Bearer {token}")),
        }
    }

    /// The `Authorization` header this client sends.
    pub fn authorization(&self) -> Option<&str> {
        self.authorization.as_deref()
    }

    /// The same client sending `authorization` instead.
    pub fn with_authorization(&self, authorization: &str) -> Client {
        Client {
            authorization: Some(authorization.to_owned()),
            ..self.clone()
        }
    }

    /// The same credentials against another server (e.g. after a restart).
    pub fn rebase(&self, server: &Server) -> Client {
        Client {
            base: server.base.clone(),
            ..self.clone()
        }
    }

    /// The same client without credentials.
    pub fn anonymous(&self) -> Client {
        Client {
            authorization: None,
            ..self.clone()
        }
    }

    /// Any request: `body` is sent as-is with `content_type` when given.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> Reply {
        self.try_request(method, path, headers, body)
            .unwrap_or_else(|error| panic!("{method} {path}: transport error: {error}"))
    }

    /// [`Client::request`], with transport errors (a killed server) as `Err`.
    pub fn try_request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> Result<Reply, String> {
        let url = format!("{}{}", self.base, path);
        let mut request = self.agent.request(method, &url);
        if let Some(authorization) = &self.authorization {
            request = request.set("Authorization", authorization);
        }
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let result = match body {
            Some((content_type, bytes)) => {
                request.set("Content-Type", content_type).send_bytes(bytes)
            }
            None => request.call(),
        };
        try_into_reply(result)
    }

    /// A request whose body is streamed with `Transfer-Encoding: chunked` (no `Content-Length`).
    pub fn request_chunked(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: impl std::io::Read,
    ) -> Reply {
        let url = format!("{}{}", self.base, path);
        let mut request = self.agent.request(method, &url);
        if let Some(authorization) = &self.authorization {
            request = request.set("Authorization", authorization);
        }
        let result = request
            .set("Content-Type", content_type)
            .set("Transfer-Encoding", "chunked")
            .send(body);
        into_reply(method, path, result)
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], None)
    }

    pub fn delete(&self, path: &str) -> Reply {
        self.request("DELETE", path, &[], None)
    }

    pub fn post(&self, path: &str, body: &Value) -> Reply {
        self.send("POST", path, JSON, body, &[])
    }

    pub fn patch(&self, path: &str, body: &Value) -> Reply {
        self.send("PATCH", path, JSON, body, &[])
    }

    /// A JSON body of the given content type, with extra headers.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> Reply {
        let bytes = body.to_string().into_bytes();
        self.request(method, path, headers, Some((content_type, &bytes)))
    }

    /// `POST /api/connectors`, expecting 200; returns the connector.
    #[track_caller]
    pub fn create(&self, body: &Value) -> Value {
        self.post("/api/connectors", body)
            .expect(200)
            .json()
            .clone()
    }

    /// `GET /api/connectors/{id}`, expecting 200; returns the connector.
    #[track_caller]
    pub fn connector(&self, id: &str) -> Value {
        self.get(&connector_path(id)).expect(200).json().clone()
    }

    /// The stored `config` of a connector.
    #[track_caller]
    pub fn config(&self, id: &str) -> Value {
        self.connector(id)["config"].clone()
    }
}

fn into_reply(method: &str, path: &str, result: Result<ureq::Response, ureq::Error>) -> Reply {
    try_into_reply(result).unwrap_or_else(|error| panic!("{method} {path}: {error}"))
}

fn try_into_reply(result: Result<ureq::Response, ureq::Error>) -> Result<Reply, String> {
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => return Err(format!("transport error: {error}")),
    };
    let status = response.status();
    let headers = response
        .headers_names()
        .into_iter()
        .filter_map(|name| {
            let value = response.header(&name)?.to_owned();
            Some((name, value))
        })
        .collect();
    let text = response
        .into_string()
        .map_err(|error| format!("reading the body: {error}"))?;
    let body = serde_json::from_str(&text).ok();
    Ok(Reply {
        status,
        body,
        text,
        headers,
    })
}

/// `/api/connectors/{id}` (the id is used as-is, not encoded).
pub fn connector_path(id: &str) -> String {
    format!("/api/connectors/{id}")
}

/// The `id` of a connector or factory body.
pub fn id_of(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no string id in {value}"))
        .to_owned()
}

/// The keys of a JSON object, in order.
pub fn keys_of(value: &Value) -> Vec<String> {
    value
        .as_object()
        .map(|object| object.keys().cloned().collect())
        .unwrap_or_default()
}
