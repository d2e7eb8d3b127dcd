//! In-process API tests: each test starts the real application (the same
//! `build_app` the binary serves) on port 0 with a fresh temporary database.

mod helpers;

mod auth;
mod connector_actions;
mod connectors_create;
mod connectors_delete;
mod connectors_patch;
mod connectors_read;
mod console;
mod corpus;
mod email_templates;
mod factories;
mod fixtures;
mod guard_edges;
mod i18n;
mod openapi;
mod openapi_logto;
mod routing;
mod stored_states;
mod test_server;
