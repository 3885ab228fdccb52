//! The core's integration tests, one binary: the store as the app uses it (`store`) and
//! exchange files between simulated laptops, with property tests (`exchange`), and the rules
//! every write obeys on each path a write takes (`rules`), and the team's keys: who made a
//! file, what it may change (`trust`).

#[path = "../support/db.rs"]
mod support;

mod exchange;
mod layers;
mod plans;
mod report;
mod rules;
mod store;
mod trust;
mod ui_vectors;
mod unitdocs;
mod window;
