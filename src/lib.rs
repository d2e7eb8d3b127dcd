//! connector-mock: an offline stand-in for the connector part of the Logto
//! Management API.
//!
//! A request flows one way: [`routes`] (HTTP) → [`connectors`] (Logto's rules,
//! views) → [`state`] (in-memory snapshots, group commit) → [`store`] (sled).
//! Reads are answered from [`state`] without touching the disk.

pub mod auth;
pub mod cli;
pub mod config;
pub mod connectors;
pub mod console;
pub mod email_templates;
pub mod error;
pub mod etag;
pub mod factories;
pub mod harness;
pub mod i18n;
pub mod issues;
pub mod js;
pub mod limits;
pub mod openapi;
pub mod routes;
pub mod startup;
pub mod state;
pub mod store;
pub mod test_server;
#[doc(hidden)]
pub mod testing;
pub mod time;

pub use config::Config;
pub use startup::{build_app, serve, Runtime};
pub use test_server::{TestServer, TestServerBuilder};

/// The README's Rust example runs as a doc-test, so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
