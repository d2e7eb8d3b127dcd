//! Black-box end-to-end tests: each test starts the real `connector-mock`
//! binary on a free port with its own temporary data directory and talks to it
//! over TCP.

mod harness;

mod bad_input;
mod cli;
mod connectors;
mod console;
mod durability;
mod email_templates;
mod hostile;
mod lifecycle;
mod reliability;
mod test_harness;
