//! The hostile-request corpus, `tests/hostile/*.json` (format in its README), replayed
//! against the compiled binary over raw TCP. Whatever a client sends, the answer is never
//! a 5xx, an error body is always JSON, and the server keeps answering: after every case
//! `GET /api/status` must answer 204, the store must still list its connectors, and the
//! stderr log must show no panic. Every case runs even when an earlier one fails (the
//! server is restarted on a fresh data directory after a crash); the test then fails
//! with one paragraph per failing case.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde::{Deserialize, Deserializer};
use serde_json::{json, Map, Value};
use std::fmt::Write as _;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::harness::{Reply, Sandbox, Server};

/// Default wait for one answer (the server is a debug build).
const CASE_TIMEOUT: Duration = Duration::from_secs(10);
/// A server using more memory than this (resident) is killed: the case failed.
const MEMORY_LIMIT_BYTES: u64 = 1 << 30;
/// How much of a body a failure message shows.
const SHOWN_BODY_CHARS: usize = 600;
/// Crash markers in the server's stderr.
const CRASH_MARKERS: [&str; 2] = ["panicked", "overflowed its stack"];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

#[test]
fn hostile_requests_never_get_a_5xx_or_a_non_json_error_and_the_server_survives() {
    let started = Instant::now();
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("read tests/hostile")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus files in tests/hostile");

    let mut failures = Vec::new();
    let mut total = 0;
    for path in &files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let cases = load_cases(path);
        total += cases.len();
        let file_started = Instant::now();
        let before = failures.len();
        run_file(&file, &cases, &mut failures);
        eprintln!(
            "hostile: {file}: {} cases, {} failed, {:.1}s",
            cases.len(),
            failures.len() - before,
            file_started.elapsed().as_secs_f64()
        );
    }
    eprintln!(
        "hostile: {total} cases in {} files, {:.1}s",
        files.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} hostile cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------------------
// The corpus format.

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Case {
    name: String,
    /// Why the expectation is what it is (shown when the case fails).
    why: Option<String>,
    #[serde(default = "default_method")]
    method: String,
    path: Option<String>,
    path_generator: Option<Repeat>,
    /// A whole request, sent as-is after placeholder substitution.
    raw_text: Option<String>,
    raw_base64: Option<String>,
    /// Header name to a value, a list of values (one line each) or `null` (leave out
    /// the header the runner would add: Host, Authorization, Content-Length, Connection).
    #[serde(default)]
    headers: Map<String, Value>,
    header_generator: Option<HeaderGenerator>,
    /// `false`: no `Authorization` header unless `headers` gives one.
    #[serde(default = "default_true")]
    auth: bool,
    #[serde(default, deserialize_with = "present")]
    body: Option<Value>,
    body_text: Option<String>,
    body_base64: Option<String>,
    body_generator: Option<Generator>,
    /// Send the body with `Transfer-Encoding: chunked`, in chunks of this many bytes.
    chunk_size: Option<usize>,
    stall: Option<Stall>,
    timeout_ms: Option<u64>,
    #[serde(default)]
    expect: Expect,
}

fn default_method() -> String {
    "GET".to_owned()
}

fn default_true() -> bool {
    true
}

/// Keeps an explicit `null` as `Some(Value::Null)` (absent stays `None`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Expect {
    status: Option<Statuses>,
    /// `"2xx"`, `"4xx"`, ...
    status_class: Option<String>,
    /// The `code` of the JSON error body.
    code: Option<String>,
    /// The exact set of top-level keys of the JSON body.
    body_keys: Option<Vec<String>>,
    /// The exact JSON body.
    #[serde(default, deserialize_with = "present")]
    body: Option<Value>,
    /// An error answer with no body at all is accepted (actix-web's HTTP/1 parser).
    #[serde(default)]
    allow_empty_body: bool,
    /// The server may close the connection without answering.
    #[serde(default)]
    allow_no_response: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Statuses {
    One(u16),
    Any(Vec<u16>),
}

impl Statuses {
    fn contains(&self, status: u16) -> bool {
        match self {
            Statuses::One(one) => *one == status,
            Statuses::Any(any) => any.contains(&status),
        }
    }

    fn describe(&self) -> String {
        match self {
            Statuses::One(one) => one.to_string(),
            Statuses::Any(any) => format!("one of {any:?}"),
        }
    }
}

/// `prefix` + `fill` × `count` + `suffix`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Repeat {
    #[serde(default)]
    prefix: String,
    fill: String,
    count: usize,
    #[serde(default)]
    suffix: String,
}

impl Repeat {
    fn text(&self) -> String {
        let mut text = String::with_capacity(
            self.prefix.len() + self.fill.len() * self.count + self.suffix.len(),
        );
        text.push_str(&self.prefix);
        for _ in 0..self.count {
            text.push_str(&self.fill);
        }
        text.push_str(&self.suffix);
        text
    }
}

/// `count` headers `name` (numbered `name-0`, `name-1`, ... when `count` > 1), each with
/// the value `prefix` + `fill` × `bytes`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderGenerator {
    name: String,
    #[serde(default = "one")]
    count: usize,
    #[serde(default)]
    prefix: String,
    #[serde(default = "default_fill")]
    fill: String,
    #[serde(default = "one")]
    bytes: usize,
}

fn one() -> usize {
    1
}

fn default_fill() -> String {
    "a".to_owned()
}

/// Large or repetitive bodies, built by the runner. Those with `base` are placed in it:
/// `base` is serialized and its one string `"$generated"` replaced by the generated text.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
enum Generator {
    /// `depth` nested objects `{"key":{"key":...{}}}` (arrays `[[...]]` with `array`);
    /// with `leaf`, the innermost container holds it.
    Nested {
        depth: usize,
        #[serde(default = "default_key")]
        key: String,
        #[serde(default)]
        array: bool,
        leaf: Option<Value>,
        base: Option<Value>,
    },
    /// A JSON string of `bytes` copies of `fill` (default `x`).
    LongString {
        bytes: usize,
        fill: Option<String>,
        base: Option<Value>,
    },
    /// Raw text: `prefix` + `fill` × `count` + `suffix`.
    Repeat {
        #[serde(flatten)]
        repeat: Repeat,
        base: Option<Value>,
    },
    /// Raw text: the parts one after the other; a part is literal text or
    /// `{"fill": ..., "count": n}`.
    Concat { parts: Vec<Part> },
    /// JSON Patch: add `/config/k0` (a string of `valueBytes`), then `ops` × copy
    /// `/config` into `/config/kN`: the config doubles with every operation.
    CopyAmplification {
        ops: usize,
        #[serde(rename = "valueBytes", default = "default_value_bytes")]
        value_bytes: usize,
    },
    /// JSON Patch wrapping the config one level deeper per round of three operations
    /// (add `/t` = {}, move `/config` to `/t/a`, move `/t` to `/config`).
    DeepAddMove { levels: usize },
    /// JSON Patch: add `depth` nested objects ending in `"x"` at `/config/deep`, then
    /// replace that `"x"` with the same value: 2 × `depth` levels, while each operation
    /// stays within the parser's limit.
    DeepReplace { depth: usize },
    /// JSON Patch of `count` operations (default: add `/config/k` = "v").
    ManyOps { count: usize, op: Option<Value> },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Part {
    Text(String),
    Fill { fill: String, count: usize },
}

fn default_key() -> String {
    "a".to_owned()
}

fn default_value_bytes() -> usize {
    100
}

/// Send the head and `sendBytes` bytes of the body, wait `holdMs` (checking meanwhile
/// that the server answers others), then half-close the connection.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Stall {
    send_bytes: usize,
    hold_ms: u64,
}

fn load_cases(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("read {}: {error}", path.display()));
    let cases: Vec<Case> = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{}: not a valid corpus file: {error}", path.display()));
    let mut names = std::collections::HashSet::new();
    for case in &cases {
        let where_ = format!("{}: case {:?}", path.display(), case.name);
        assert!(names.insert(case.name.as_str()), "{where_}: duplicate name");
        let targets = [
            case.path.is_some(),
            case.path_generator.is_some(),
            case.raw_text.is_some(),
            case.raw_base64.is_some(),
        ];
        assert_eq!(
            targets.iter().filter(|given| **given).count(),
            1,
            "{where_}: give exactly one of path, pathGenerator, rawText, rawBase64"
        );
        let bodies = [
            case.body.is_some(),
            case.body_text.is_some(),
            case.body_base64.is_some(),
            case.body_generator.is_some(),
        ];
        assert!(
            bodies.iter().filter(|given| **given).count() <= 1,
            "{where_}: give at most one of body, bodyText, bodyBase64, bodyGenerator"
        );
        let raw = case.raw_text.is_some() || case.raw_base64.is_some();
        assert!(
            !raw || (bodies.iter().all(|given| !given)
                && case.headers.is_empty()
                && case.header_generator.is_none()
                && case.chunk_size.is_none()),
            "{where_}: a raw request takes no headers or body fields"
        );
        if let Some(class) = &case.expect.status_class {
            assert!(
                class.len() == 3 && class.ends_with("xx"),
                "{where_}: statusClass is like \"4xx\""
            );
        }
    }
    cases
}

// ---------------------------------------------------------------------------------------
// Running a file.

/// One running server with everything needed to talk to it.
struct Target {
    /// Kept for its `Drop` (SIGKILL); declared before `sandbox` so it goes first.
    _server: Server,
    sandbox: Sandbox,
    address: String,
    token: String,
    pid: Option<u32>,
    stderr_seen: usize,
}

impl Target {
    fn start() -> Target {
        let sandbox = Sandbox::new();
        let server = Server::start_default(&sandbox.data_dir());
        let address = server
            .base
            .strip_prefix("http://")
            .expect("an http base URL")
            .to_owned();
        let pid = find_pid(&sandbox.data_dir());
        let token = fetch_token(&address).unwrap_or_else(|error| panic!("no token: {error}"));
        Target {
            _server: server,
            sandbox,
            address,
            token,
            pid,
            stderr_seen: 0,
        }
    }

    fn stderr_path(&self) -> Option<PathBuf> {
        let entries = std::fs::read_dir(self.sandbox.dir.path()).ok()?;
        entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|path| {
                path.file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| name.starts_with("stderr-") && name.ends_with(".log"))
            })
    }

    /// What the server wrote on stderr since the last call.
    fn new_stderr(&mut self) -> String {
        let Some(path) = self.stderr_path() else {
            return String::new();
        };
        let bytes = std::fs::read(path).unwrap_or_default();
        let fresh =
            String::from_utf8_lossy(bytes.get(self.stderr_seen..).unwrap_or(&[])).into_owned();
        self.stderr_seen = bytes.len();
        fresh
    }

    /// `Err` with the reason when the process is gone (or a zombie).
    fn alive(&self) -> Result<(), String> {
        let Some(pid) = self.pid else {
            return Ok(());
        };
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map_err(|_| format!("the server process {pid} is gone"))?;
        let state = stat
            .rsplit_once(") ")
            .and_then(|(_, rest)| rest.chars().next());
        match state {
            Some('Z') | Some('X') | None => Err(format!("the server process {pid} has exited")),
            Some(_) => Ok(()),
        }
    }

    fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<RawResponse, String> {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n",
            self.address, self.token
        );
        let body = body.map(Value::to_string).unwrap_or_default();
        if !body.is_empty() {
            let _ = write!(
                head,
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            );
        }
        head.push_str("\r\n");
        head.push_str(&body);
        Ok(exchange(
            &self.address,
            head.as_bytes(),
            None,
            CASE_TIMEOUT,
            method == "HEAD",
        )?)
    }

    /// Creates a connector for a placeholder; returns its id.
    fn create(&self, body: Value) -> Result<String, String> {
        let reply = self
            .request("POST", "/api/connectors", Some(&body))?
            .into_reply();
        match (
            reply.status,
            reply.body.as_ref().and_then(|b| b["id"].as_str()),
        ) {
            (200, Some(id)) => Ok(id.to_owned()),
            _ => Err(format!(
                "creating {body} answered {} {}",
                reply.status,
                shown(&reply.text)
            )),
        }
    }

    /// After a case: the process lives, answers `/api/status`, lists its connectors
    /// (the store still reads) and deletes them all, and logged no panic.
    fn check_health(&mut self) -> Result<(), String> {
        let result = self.check_answers();
        let stderr = self.new_stderr();
        let crash = CRASH_MARKERS.iter().find(|marker| stderr.contains(*marker));
        let result = match (result, crash) {
            (Ok(()), None) => Ok(()),
            (Ok(()), Some(marker)) => Err(format!("the server's stderr says {marker:?}")),
            (Err(error), _) => Err(error),
        };
        result.map_err(|error| {
            let excerpt = stderr_excerpt(&stderr);
            if excerpt.is_empty() {
                error
            } else {
                format!("{error}\n  server stderr:\n{}", indent(&excerpt, "    "))
            }
        })
    }

    fn check_answers(&self) -> Result<(), String> {
        let status = status_check(&self.address);
        self.alive()?;
        status?;
        let list = self.request("GET", "/api/connectors", None)?;
        let ids = match scan_json(&list.body) {
            Ok(ids) if list.status == 200 => ids,
            _ => {
                return Err(format!(
                    "GET /api/connectors afterwards answered {} {}",
                    list.status,
                    shown(&String::from_utf8_lossy(&list.body))
                ))
            }
        };
        for id in ids {
            let path = format!("/api/connectors/{}", percent_encode(&id));
            let reply = self.request("DELETE", &path, None)?.into_reply();
            if reply.status != 204 {
                return Err(format!(
                    "DELETE of connector {id:?} ({path}) afterwards answered {} {}",
                    reply.status,
                    shown(&reply.text)
                ));
            }
        }
        Ok(())
    }
}

fn run_file(file: &str, cases: &[Case], failures: &mut Vec<String>) {
    let mut target = Target::start();
    for case in cases {
        let outcome = run_case(&target, case);
        let health = target.check_health();
        let mut problems = Vec::new();
        if let Err(problem) = outcome {
            problems.push(problem);
        }
        let healthy = health.is_ok();
        if let Err(problem) = health {
            problems.push(format!("after the case: {problem}"));
        }
        if !problems.is_empty() {
            let mut message = format!("tests/hostile/{file} › {:?}", case.name);
            if let Some(why) = &case.why {
                let _ = write!(message, " ({why})");
            }
            for problem in problems {
                let _ = write!(message, "\n  {problem}");
            }
            failures.push(message);
        }
        if !healthy {
            // Later cases get a fresh server and data directory.
            target = Target::start();
        }
    }
    // The end: the last server is still there and answering.
    if let Err(problem) = target.check_health() {
        failures.push(format!(
            "tests/hostile/{file}: at the end of the file: {problem}"
        ));
    }
}

fn run_case(target: &Target, case: &Case) -> Result<(), String> {
    let mut context = Context {
        host: target.address.clone(),
        token: target.token.clone(),
        id: None,
        email_id: None,
    };
    if case.mentions("{id}") {
        context.id = Some(target.create(json!({
            "connectorId": "mock-social-connector",
            "config": {"clientId": "a", "clientSecret": "b"}
        }))?);
    }
    if case.mentions("{emailId}") {
        context.email_id = Some(target.create(json!({
            "connectorId": "mock-email-service-alternative",
            "config": {}
        }))?);
    }
    let request = build_request(case, &context)?;
    let timeout = case.timeout_ms.map_or(CASE_TIMEOUT, Duration::from_millis);
    let watchdog = Watchdog::start(target.pid);
    let head = request.method.eq_ignore_ascii_case("HEAD");
    let stall = case.stall.as_ref().map(|stall| (stall, request.head_len));
    let answer = exchange(&target.address, &request.bytes, stall, timeout, head);
    let peak = watchdog.stop();
    let describe = |problem: String| {
        format!(
            "{problem}\n  request: {}{}",
            request.summary,
            peak.map(|rss| format!("\n  the server used {} MB and was killed", rss >> 20))
                .unwrap_or_default()
        )
    };
    let raw = match answer {
        Ok(raw) => raw,
        Err(Problem::NoResponse(_)) if case.expect.allow_no_response => return Ok(()),
        Err(problem) => return Err(describe(problem.to_string())),
    };
    let json = scan_json(&raw.body).map(|_| ());
    let reply = raw.into_reply();
    check_expectation(&case.expect, &reply, json, head).map_err(|problem| {
        describe(format!(
            "{problem}; got {} {}",
            reply.status,
            if reply.text.is_empty() {
                "(empty body)".to_owned()
            } else {
                shown(&reply.text)
            }
        ))
    })
}

impl Case {
    fn mentions(&self, placeholder: &str) -> bool {
        let in_headers = self
            .headers
            .values()
            .any(|value| value.to_string().contains(placeholder));
        let in_body = self
            .body
            .as_ref()
            .is_some_and(|body| body.to_string().contains(placeholder));
        let in_raw_bytes = self
            .raw_base64
            .as_ref()
            .and_then(|encoded| BASE64.decode(encoded).ok())
            .is_some_and(|raw| {
                raw.windows(placeholder.len())
                    .any(|window| window == placeholder.as_bytes())
            });
        [&self.path, &self.raw_text, &self.body_text]
            .iter()
            .any(|text| text.as_deref().is_some_and(|t| t.contains(placeholder)))
            || in_headers
            || in_body
            || in_raw_bytes
    }
}

/// `json`: whether the body is valid JSON (checked without a depth limit).
fn check_expectation(
    expect: &Expect,
    reply: &Reply,
    json: Result<(), String>,
    head: bool,
) -> Result<(), String> {
    let status = reply.status;
    if let Some(statuses) = &expect.status {
        if !statuses.contains(status) {
            return Err(format!("expected status {}", statuses.describe()));
        }
    } else if let Some(class) = &expect.status_class {
        if !class.starts_with(&(status / 100).to_string()) {
            return Err(format!("expected a {class} status"));
        }
    }
    let explicitly_allowed = expect.status.as_ref().is_some_and(|s| s.contains(status));
    if status >= 500 && !explicitly_allowed {
        return Err("a 5xx answer".to_owned());
    }
    let body_is_empty = reply.text.is_empty();
    if body_is_empty {
        if status >= 400 && !head && !expect.allow_empty_body {
            return Err("an error answer with an empty body (errors are JSON)".to_owned());
        }
    } else {
        if let Err(error) = json {
            return Err(format!("a body that is not JSON ({error})"));
        }
        let content_type = reply.header("Content-Type").unwrap_or("");
        if !content_type.contains("json") {
            return Err(format!(
                "a JSON body with Content-Type {content_type:?} (not JSON)"
            ));
        }
    }
    if let Some(code) = &expect.code {
        if reply.code() != Some(code.as_str()) {
            return Err(format!("expected code {code:?}"));
        }
    }
    if let Some(keys) = &expect.body_keys {
        let mut expected: Vec<&str> = keys.iter().map(String::as_str).collect();
        expected.sort_unstable();
        let mut got: Vec<&str> = reply
            .body
            .as_ref()
            .and_then(Value::as_object)
            .map(|object| object.keys().map(String::as_str).collect())
            .unwrap_or_default();
        got.sort_unstable();
        if got != expected {
            return Err(format!("expected exactly the body keys {expected:?}"));
        }
    }
    if let Some(body) = &expect.body {
        if reply.body.as_ref() != Some(body) {
            return Err(format!("expected the body {body}"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Building requests.

struct Context {
    host: String,
    token: String,
    id: Option<String>,
    email_id: Option<String>,
}

impl Context {
    fn substitute(&self, text: &str) -> String {
        let mut text = text
            .replace("{host}", &self.host)
            .replace("{token}", &self.token);
        if let Some(id) = &self.id {
            text = text.replace("{id}", id);
        }
        if let Some(id) = &self.email_id {
            text = text.replace("{emailId}", id);
        }
        text
    }

    fn substitute_bytes(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        let pairs = [
            ("{host}", Some(&self.host)),
            ("{token}", Some(&self.token)),
            ("{id}", self.id.as_ref()),
            ("{emailId}", self.email_id.as_ref()),
        ];
        for (placeholder, value) in pairs {
            if let Some(value) = value {
                out = replace_bytes(&out, placeholder.as_bytes(), value.as_bytes());
            }
        }
        out
    }
}

fn replace_bytes(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = rest
        .windows(needle.len())
        .position(|window| window == needle)
    {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(with);
        rest = &rest[at + needle.len()..];
    }
    out.extend_from_slice(rest);
    out
}

struct Prepared {
    bytes: Vec<u8>,
    /// Length of the head (request line and headers, blank line included).
    head_len: usize,
    method: String,
    summary: String,
}

fn build_request(case: &Case, context: &Context) -> Result<Prepared, String> {
    if let Some(raw) = raw_request(case)? {
        let bytes = context.substitute_bytes(&raw);
        let head_len = bytes
            .windows(4)
            .position(|window| window == b"\r\n\r\n")
            .map_or(bytes.len(), |at| at + 4);
        let first_line = bytes.split(|byte| *byte == b'\n').next().unwrap_or(&[]);
        let method = String::from_utf8_lossy(first_line)
            .split(' ')
            .next()
            .unwrap_or("")
            .to_owned();
        let summary = format!(
            "raw request {:?} ({} bytes)",
            last_chars(&String::from_utf8_lossy(first_line), 200),
            bytes.len()
        );
        return Ok(Prepared {
            bytes,
            head_len,
            method,
            summary,
        });
    }
    let target = match (&case.path, &case.path_generator) {
        (Some(path), _) => context.substitute(path),
        (None, Some(generator)) => generator.text(),
        (None, None) => unreachable!("checked when loading"),
    };
    let mut body = body_bytes(case, context)?;
    let given = |name: &str| {
        let generated = case
            .header_generator
            .as_ref()
            .is_some_and(|generator| generator.name.eq_ignore_ascii_case(name));
        generated
            || case
                .headers
                .keys()
                .any(|key| key.eq_ignore_ascii_case(name))
    };
    let chunked = case.chunk_size.is_some();
    if let (Some(size), Some(bytes)) = (case.chunk_size, &body) {
        body = Some(chunk(bytes, size.max(1)));
    }
    let mut head = format!("{} {target} HTTP/1.1\r\n", case.method).into_bytes();
    let mut line = |name: &str, value: &str| {
        head.extend_from_slice(name.as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    };
    if !given("Host") {
        line("Host", &context.host);
    }
    if case.auth && !given("Authorization") {
        line("Authorization", &format!("Bearer {}", context.token));
    }
    if chunked && !given("Transfer-Encoding") {
        line("Transfer-Encoding", "chunked");
    }
    if let Some(bytes) = &body {
        let framed = given("Content-Length") || given("Transfer-Encoding");
        if !chunked && !framed {
            line("Content-Length", &bytes.len().to_string());
        }
    }
    if !given("Connection") {
        line("Connection", "close");
    }
    for (name, value) in &case.headers {
        match value {
            Value::Null => {}
            Value::String(text) => line(name, &context.substitute(text)),
            Value::Array(values) => {
                for value in values {
                    let text = value
                        .as_str()
                        .ok_or_else(|| format!("header {name}: values are strings"))?;
                    line(name, &context.substitute(text));
                }
            }
            other => return Err(format!("header {name}: unsupported value {other}")),
        }
    }
    if let Some(generator) = &case.header_generator {
        let value = format!(
            "{}{}",
            generator.prefix,
            generator.fill.repeat(generator.bytes)
        );
        for n in 0..generator.count {
            if generator.count == 1 {
                line(&generator.name, &value);
            } else {
                line(&format!("{}-{n}", generator.name), &value);
            }
        }
    }
    head.extend_from_slice(b"\r\n");
    let head_len = head.len();
    let body_len = body.as_ref().map_or(0, Vec::len);
    let mut shown_target = target.clone();
    if shown_target.len() > 200 {
        shown_target = format!(
            "{}... ({} bytes)",
            shown_target.chars().take(120).collect::<String>(),
            target.len()
        );
    }
    let summary = format!(
        "{} {shown_target}, {} header bytes, {body_len} body bytes",
        case.method, head_len
    );
    let mut bytes = head;
    if let Some(body) = body {
        bytes.extend_from_slice(&body);
    }
    Ok(Prepared {
        bytes,
        head_len,
        method: case.method.clone(),
        summary,
    })
}

fn raw_request(case: &Case) -> Result<Option<Vec<u8>>, String> {
    if let Some(text) = &case.raw_text {
        return Ok(Some(text.as_bytes().to_vec()));
    }
    if let Some(encoded) = &case.raw_base64 {
        return BASE64
            .decode(encoded)
            .map(Some)
            .map_err(|error| format!("rawBase64: {error}"));
    }
    Ok(None)
}

fn body_bytes(case: &Case, context: &Context) -> Result<Option<Vec<u8>>, String> {
    if let Some(body) = &case.body {
        return Ok(Some(context.substitute(&body.to_string()).into_bytes()));
    }
    if let Some(text) = &case.body_text {
        return Ok(Some(context.substitute(text).into_bytes()));
    }
    if let Some(encoded) = &case.body_base64 {
        return BASE64
            .decode(encoded)
            .map(Some)
            .map_err(|error| format!("bodyBase64: {error}"));
    }
    match &case.body_generator {
        Some(generator) => generate(generator).map(|text| Some(text.into_bytes())),
        None => Ok(None),
    }
}

fn chunk(bytes: &[u8], size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / size * 8 + 8);
    for piece in bytes.chunks(size) {
        out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        out.extend_from_slice(piece);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

// ---------------------------------------------------------------------------------------
// Body generators.

fn generate(generator: &Generator) -> Result<String, String> {
    let (text, base) = match generator {
        Generator::Nested {
            depth,
            key,
            array,
            leaf,
            base,
        } => (nested(*depth, key, *array, leaf.as_ref()), base),
        Generator::LongString { bytes, fill, base } => {
            let fill = fill.as_deref().unwrap_or("x");
            (Value::from(fill.repeat(*bytes)).to_string(), base)
        }
        Generator::Repeat { repeat, base } => (repeat.text(), base),
        Generator::Concat { parts } => {
            let text = parts
                .iter()
                .map(|part| match part {
                    Part::Text(text) => text.clone(),
                    Part::Fill { fill, count } => fill.repeat(*count),
                })
                .collect();
            (text, &None)
        }
        Generator::CopyAmplification { ops, value_bytes } => {
            let mut operations = vec![json!({
                "op": "add", "path": "/config/k0", "value": "x".repeat(*value_bytes)
            })];
            for n in 1..=*ops {
                operations.push(
                    json!({"op": "copy", "from": "/config", "path": format!("/config/k{n}")}),
                );
            }
            (Value::from(operations).to_string(), &None)
        }
        Generator::DeepAddMove { levels } => {
            let round = concat!(
                r#"{"op":"add","path":"/t","value":{}},"#,
                r#"{"op":"move","from":"/config","path":"/t/a"},"#,
                r#"{"op":"move","from":"/t","path":"/config"}"#
            );
            let mut text = String::with_capacity(levels * (round.len() + 1) + 2);
            text.push('[');
            for level in 0..*levels {
                if level > 0 {
                    text.push(',');
                }
                text.push_str(round);
            }
            text.push(']');
            (text, &None)
        }
        Generator::DeepReplace { depth } => {
            // A non-empty leaf: empty objects would be cleaned away before storing.
            let value = nested(*depth, "a", false, Some(&Value::from("x")));
            let inner = "/a".repeat(*depth);
            let text = format!(
                r#"[{{"op":"add","path":"/config/deep","value":{value}}},{{"op":"replace","path":"/config/deep{inner}","value":{value}}}]"#
            );
            (text, &None)
        }
        Generator::ManyOps { count, op } => {
            let op = op
                .clone()
                .unwrap_or_else(|| json!({"op": "add", "path": "/config/k", "value": "v"}))
                .to_string();
            let mut text = String::with_capacity(count * (op.len() + 1) + 2);
            text.push('[');
            for n in 0..*count {
                if n > 0 {
                    text.push(',');
                }
                text.push_str(&op);
            }
            text.push(']');
            (text, &None)
        }
    };
    match base {
        None => Ok(text),
        Some(base) => {
            let base = base.to_string();
            let marker = "\"$generated\"";
            if base.matches(marker).count() != 1 {
                return Err("bodyGenerator.base must hold the string \"$generated\" once".into());
            }
            Ok(base.replacen(marker, &text, 1))
        }
    }
}

/// `depth` nested containers as JSON text.
fn nested(depth: usize, key: &str, array: bool, leaf: Option<&Value>) -> String {
    let open = if array {
        "[".to_owned()
    } else {
        format!("{{{}:", Value::from(key))
    };
    let close = if array { "]" } else { "}" };
    let empty = if array { "[]" } else { "{}" };
    let (wrappers, innermost) = match leaf {
        Some(leaf) => (depth, leaf.to_string()),
        None => (depth.saturating_sub(1), empty.to_owned()),
    };
    let mut text = String::with_capacity(wrappers * (open.len() + 1) + innermost.len());
    for _ in 0..wrappers {
        text.push_str(&open);
    }
    text.push_str(&innermost);
    for _ in 0..wrappers {
        text.push_str(close);
    }
    text
}

// ---------------------------------------------------------------------------------------
// JSON syntax without a depth limit (answers may nest deeper than serde_json's 128 levels).

/// Checks that `bytes` are one JSON document; returns the `"id"` strings of the objects
/// of a top-level array (the ids of a connector list).
fn scan_json(bytes: &[u8]) -> Result<Vec<String>, String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Next {
        Value,
        ValueOrClose,
        KeyOrClose,
        Key,
        Colon,
        CommaOrClose,
    }
    let text = std::str::from_utf8(bytes).map_err(|error| error.to_string())?;
    let bytes = text.as_bytes();
    let mut stack: Vec<u8> = Vec::new();
    let mut ids = Vec::new();
    let mut key = String::new();
    let mut next = Next::Value;
    let mut at = 0;
    loop {
        while at < bytes.len() && b" \t\r\n".contains(&bytes[at]) {
            at += 1;
        }
        let Some(&byte) = bytes.get(at) else {
            return Err(format!("unexpected end at byte {at}"));
        };
        let fail = move || Err(format!("unexpected {:?} at byte {at}", byte as char));
        match next {
            Next::Value | Next::ValueOrClose => {
                if next == Next::ValueOrClose && byte == b']' {
                    stack.pop();
                    at += 1;
                } else {
                    match byte {
                        b'{' => {
                            stack.push(b'}');
                            at += 1;
                            next = Next::KeyOrClose;
                            continue;
                        }
                        b'[' => {
                            stack.push(b']');
                            at += 1;
                            next = Next::ValueOrClose;
                            continue;
                        }
                        b'"' => {
                            let end = string_end(bytes, at)?;
                            if stack == b"]}" && key == "id" {
                                let id: String = serde_json::from_str(&text[at..end])
                                    .map_err(|error| error.to_string())?;
                                ids.push(id);
                            }
                            at = end;
                        }
                        b't' | b'f' | b'n' => {
                            let word = ["true", "false", "null"]
                                .into_iter()
                                .find(|word| bytes[at..].starts_with(word.as_bytes()));
                            let Some(word) = word else { return fail() };
                            at += word.len();
                        }
                        b'-' | b'0'..=b'9' => at = number_end(bytes, at)?,
                        _ => return fail(),
                    }
                }
                if stack.is_empty() {
                    break;
                }
                next = Next::CommaOrClose;
            }
            Next::KeyOrClose | Next::Key => {
                if next == Next::KeyOrClose && byte == b'}' {
                    stack.pop();
                    at += 1;
                    if stack.is_empty() {
                        break;
                    }
                    next = Next::CommaOrClose;
                } else if byte == b'"' {
                    let end = string_end(bytes, at)?;
                    key = serde_json::from_str(&text[at..end]).map_err(|e| e.to_string())?;
                    at = end;
                    next = Next::Colon;
                } else {
                    return fail();
                }
            }
            Next::Colon if byte == b':' => {
                at += 1;
                next = Next::Value;
            }
            Next::CommaOrClose if byte == b',' => {
                at += 1;
                next = if stack.last() == Some(&b'}') {
                    Next::Key
                } else {
                    Next::Value
                };
            }
            Next::CommaOrClose if stack.last() == Some(&byte) => {
                stack.pop();
                at += 1;
                if stack.is_empty() {
                    break;
                }
            }
            Next::Colon | Next::CommaOrClose => return fail(),
        }
    }
    if bytes[at..].iter().all(|byte| b" \t\r\n".contains(byte)) {
        Ok(ids)
    } else {
        Err(format!("trailing bytes at byte {at}"))
    }
}

/// The index just past the JSON string starting at `start` (a `"`).
fn string_end(bytes: &[u8], start: usize) -> Result<usize, String> {
    let mut at = start + 1;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => return Ok(at + 1),
            b'\\' => {
                let escape = bytes.get(at + 1).copied().unwrap_or(0);
                if escape == b'u' {
                    let hex = bytes.get(at + 2..at + 6).unwrap_or(&[]);
                    if hex.len() != 4 || !hex.iter().all(u8::is_ascii_hexdigit) {
                        return Err(format!("bad \\u escape at byte {at}"));
                    }
                    at += 6;
                } else if b"\"\\/bfnrt".contains(&escape) {
                    at += 2;
                } else {
                    return Err(format!("bad escape at byte {at}"));
                }
            }
            0..=0x1f => return Err(format!("control character in a string at byte {at}")),
            _ => at += 1,
        }
    }
    Err("unterminated string".to_owned())
}

/// The index just past the JSON number starting at `start`.
fn number_end(bytes: &[u8], start: usize) -> Result<usize, String> {
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count()
    };
    let mut at = start + usize::from(bytes[start] == b'-');
    let integer = digits(at);
    if integer == 0 || (integer > 1 && bytes[at] == b'0') {
        return Err(format!("bad number at byte {start}"));
    }
    at += integer;
    if bytes.get(at) == Some(&b'.') {
        let fraction = digits(at + 1);
        if fraction == 0 {
            return Err(format!("bad number at byte {start}"));
        }
        at += 1 + fraction;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 {
            return Err(format!("bad number at byte {start}"));
        }
        at += exponent;
    }
    Ok(at)
}

// ---------------------------------------------------------------------------------------
// Raw HTTP/1.1 over TCP.

#[derive(Debug)]
enum Problem {
    /// The connection closed (or reset) before a complete answer.
    NoResponse(String),
    Other(String),
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::NoResponse(why) | Problem::Other(why) => f.write_str(why),
        }
    }
}

impl From<Problem> for String {
    fn from(problem: Problem) -> String {
        problem.to_string()
    }
}

struct RawResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RawResponse {
    fn into_reply(self) -> Reply {
        Reply {
            status: self.status,
            body: serde_json::from_slice(&self.body).ok(),
            text: String::from_utf8_lossy(&self.body).into_owned(),
            headers: self.headers,
        }
    }
}

/// Writes `bytes` (on another thread, so an early answer is read while the request is
/// still being sent) and reads one answer. With a stall, only the head and part of the
/// body are written, then the writer waits, checks `/api/status` on another connection,
/// and half-closes.
fn exchange(
    address: &str,
    bytes: &[u8],
    stall: Option<(&Stall, usize)>,
    timeout: Duration,
    head_request: bool,
) -> Result<RawResponse, Problem> {
    let socket = address
        .to_socket_addrs()
        .ok()
        .and_then(|mut addresses| addresses.next())
        .ok_or_else(|| Problem::Other(format!("bad address {address}")))?;
    let stream = TcpStream::connect_timeout(&socket, Duration::from_secs(5))
        .map_err(|error| Problem::Other(format!("cannot connect: {error}")))?;
    stream
        .set_write_timeout(Some(timeout))
        .and_then(|()| stream.set_nodelay(true))
        .map_err(|error| Problem::Other(error.to_string()))?;
    let mut writer = stream
        .try_clone()
        .map_err(|error| Problem::Other(error.to_string()))?;
    let to_send = match stall {
        Some((stall, head_len)) => bytes[..(head_len + stall.send_bytes).min(bytes.len())].to_vec(),
        None => bytes.to_vec(),
    };
    let hold = stall.map(|(stall, _)| Duration::from_millis(stall.hold_ms));
    let probe_address = address.to_owned();
    let write_thread = std::thread::spawn(move || -> Result<(), String> {
        // A write error means the server answered early and closed: the reader sees it.
        let _ = writer.write_all(&to_send);
        let _ = writer.flush();
        if let Some(hold) = hold {
            std::thread::sleep(hold / 2);
            status_check(&probe_address)
                .map_err(|error| format!("while a request stalled: {error}"))?;
            std::thread::sleep(hold / 2);
            let _ = writer.shutdown(Shutdown::Write);
        }
        Ok(())
    });
    let mut reader = stream;
    let answer = read_response(&mut reader, Instant::now() + timeout, head_request);
    let _ = reader.shutdown(Shutdown::Both);
    let written = write_thread
        .join()
        .unwrap_or_else(|_| Err("the writer thread panicked".into()));
    let answer = answer?;
    written.map_err(Problem::Other)?;
    Ok(answer)
}

fn read_response(
    stream: &mut TcpStream,
    deadline: Instant,
    head_request: bool,
) -> Result<RawResponse, Problem> {
    let mut buffer = Vec::new();
    loop {
        let head_end = loop {
            if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
                break at + 4;
            }
            if !fill(stream, &mut buffer, deadline)? {
                return Err(Problem::NoResponse(if buffer.is_empty() {
                    "the connection closed without an answer".to_owned()
                } else {
                    format!(
                        "the connection closed in the middle of the answer's head: {:?}",
                        String::from_utf8_lossy(&buffer)
                    )
                }));
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        buffer.drain(..head_end);
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or("");
        let status = status_line
            .strip_prefix("HTTP/1.")
            .and_then(|rest| rest.get(2..5))
            .and_then(|code| code.parse::<u16>().ok())
            .ok_or_else(|| Problem::Other(format!("bad status line {status_line:?}")))?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
            .collect();
        if (100..200).contains(&status) {
            continue; // 100 Continue: the real answer follows.
        }
        let header = |name: &str| {
            headers
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
        };
        let no_body = head_request || status == 204 || status == 304;
        let body = if no_body {
            Vec::new()
        } else if header("Transfer-Encoding").is_some_and(|te| te.contains("chunked")) {
            read_chunked(stream, buffer, deadline)?
        } else if let Some(length) = header("Content-Length") {
            let length: usize = length
                .parse()
                .map_err(|_| Problem::Other(format!("bad Content-Length {length:?}")))?;
            while buffer.len() < length {
                if !fill(stream, &mut buffer, deadline)? {
                    return Err(Problem::NoResponse(format!(
                        "the connection closed after {} of {length} body bytes",
                        buffer.len()
                    )));
                }
            }
            buffer.truncate(length);
            buffer
        } else {
            while fill(stream, &mut buffer, deadline)? {}
            buffer
        };
        return Ok(RawResponse {
            status,
            headers,
            body,
        });
    }
}

fn read_chunked(
    stream: &mut TcpStream,
    mut buffer: Vec<u8>,
    deadline: Instant,
) -> Result<Vec<u8>, Problem> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(at) = buffer.windows(2).position(|window| window == b"\r\n") {
                break at;
            }
            if !fill(stream, &mut buffer, deadline)? {
                return Err(Problem::NoResponse(
                    "the chunked answer was cut short".into(),
                ));
            }
        };
        let size_text = String::from_utf8_lossy(&buffer[..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| Problem::Other(format!("bad chunk size {size_text:?}")))?;
        buffer.drain(..line_end + 2);
        while buffer.len() < size + 2 {
            if !fill(stream, &mut buffer, deadline)? {
                if size == 0 {
                    return Ok(body);
                }
                return Err(Problem::NoResponse(
                    "the chunked answer was cut short".into(),
                ));
            }
        }
        if size == 0 {
            return Ok(body);
        }
        body.extend_from_slice(&buffer[..size]);
        buffer.drain(..size + 2);
    }
}

/// Reads more bytes; `Ok(false)` at the end of the stream (or a reset).
fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>, deadline: Instant) -> Result<bool, Problem> {
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Problem::Other(format!(
                "no complete answer in time ({} bytes received)",
                buffer.len()
            )));
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|error| Problem::Other(error.to_string()))?;
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(false),
            Ok(read) => {
                buffer.extend_from_slice(&chunk[..read]);
                return Ok(true);
            }
            Err(error) if error.kind() == ErrorKind::Interrupted => continue,
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                continue
            }
            Err(error)
                if matches!(
                    error.kind(),
                    ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
                ) =>
            {
                return Ok(false)
            }
            Err(error) => return Err(Problem::Other(format!("reading the answer: {error}"))),
        }
    }
}

/// `GET /api/status` must answer 204.
fn status_check(address: &str) -> Result<(), String> {
    let request =
        format!("GET /api/status HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    let answer = exchange(address, request.as_bytes(), None, CASE_TIMEOUT, false)
        .map_err(|problem| format!("GET /api/status: {problem}"))?;
    if answer.status == 204 {
        Ok(())
    } else {
        Err(format!(
            "GET /api/status answered {} instead of 204",
            answer.status
        ))
    }
}

fn fetch_token(address: &str) -> Result<String, String> {
    let form =
        "grant_type=client_credentials&resource=https%3A%2F%2Fdefault.logto.app%2Fapi&scope=all";
    let request = format!(
        "POST /oidc/token HTTP/1.1\r\nHost: {address}\r\nAuthorization: Basic bW9jay1tMm06bW9jay1tMm0tc2VjcmV0\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    let reply = exchange(address, request.as_bytes(), None, CASE_TIMEOUT, false)?.into_reply();
    reply
        .body
        .as_ref()
        .and_then(|body| body["access_token"].as_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("POST /oidc/token answered {} {}", reply.status, reply.text))
}

// ---------------------------------------------------------------------------------------
// The server process: finding it, watching its memory.

/// The pid of the `connector-mock` serving `data_dir` (Linux `/proc`; `None` elsewhere).
fn find_pid(data_dir: &Path) -> Option<u32> {
    let wanted = data_dir.as_os_str().as_encoded_bytes();
    std::fs::read_dir("/proc").ok()?.find_map(|entry| {
        let entry = entry.ok()?;
        let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
        let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
        let mut args = cmdline.split(|byte| *byte == 0);
        let program = args.next()?;
        let ours = program.ends_with(b"connector-mock") && args.any(|arg| arg == wanted);
        ours.then_some(pid)
    })
}

fn resident_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Kills the server (SIGKILL) when its resident memory passes [`MEMORY_LIMIT_BYTES`].
struct Watchdog {
    done: Arc<AtomicBool>,
    killed_at: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchdog {
    fn start(pid: Option<u32>) -> Watchdog {
        let done = Arc::new(AtomicBool::new(false));
        let killed_at = Arc::new(AtomicU64::new(0));
        let thread = pid.map(|pid| {
            let (done, killed_at) = (done.clone(), killed_at.clone());
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    if let Some(rss) = resident_bytes(pid) {
                        if rss > MEMORY_LIMIT_BYTES {
                            let _ = std::process::Command::new("kill")
                                .args(["-KILL", &pid.to_string()])
                                .status();
                            killed_at.store(rss, Ordering::Relaxed);
                            return;
                        }
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            })
        });
        Watchdog {
            done,
            killed_at,
            thread,
        }
    }

    /// Stops watching; the resident size at which the server was killed, if it was.
    fn stop(mut self) -> Option<u64> {
        self.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        Some(self.killed_at.load(Ordering::Relaxed)).filter(|rss| *rss > 0)
    }
}

// ---------------------------------------------------------------------------------------
// Text helpers.

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-_~".contains(&byte) {
                (byte as char).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

fn shown(text: &str) -> String {
    if text.chars().count() <= SHOWN_BODY_CHARS {
        return text.to_owned();
    }
    let head: String = text.chars().take(SHOWN_BODY_CHARS).collect();
    format!("{head}... ({} bytes)", text.len())
}

/// The lines from the first crash marker on (a panic message, not its backtrace), or
/// the end of the log.
fn stderr_excerpt(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let crash = lines
        .iter()
        .position(|line| CRASH_MARKERS.iter().any(|marker| line.contains(marker)));
    match crash {
        Some(first) => lines[first..]
            .iter()
            .take(6)
            .copied()
            .collect::<Vec<_>>()
            .join("\n"),
        None => last_chars(stderr.trim_end(), 1500),
    }
}

fn last_chars(text: &str, count: usize) -> String {
    let total = text.chars().count();
    text.chars().skip(total.saturating_sub(count)).collect()
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|line| format!("{prefix}{line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn hostile_runner_json_scanner_agrees_with_serde_json_and_has_no_depth_limit() {
    let samples = [
        r#"{"a": [1, -0.5e+3, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9"], "b": {}}"#,
        " [ ] ",
        "0",
        r#""\ud83d\ude00""#,
        "{",
        "[1,]",
        r#"{"a" 1}"#,
        r#"{"a":1,}"#,
        "01",
        "1.",
        "-",
        "1e",
        "tru",
        "[1] x",
        "\"a\u{1}\"",
        r#""\x""#,
        r#""\u12""#,
        "",
        "{}}",
        "[}",
    ];
    for sample in samples {
        assert_eq!(
            scan_json(sample.as_bytes()).is_ok(),
            serde_json::from_str::<Value>(sample).is_ok(),
            "{sample:?}"
        );
    }
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    assert!(scan_json(deep.as_bytes()).is_ok());
    let list = r#"[{"id":"a\u0000b","config":{"id":"inner"}},{"x":[{"id":"no"}],"id":"c"}]"#;
    assert_eq!(scan_json(list.as_bytes()).unwrap(), ["a\u{0}b", "c"]);
}
