//! The core's integration tests, one binary: the store as the app uses it (`store`) and
//! exchange files between simulated laptops, with property tests (`exchange`).

#[path = "../support/db.rs"]
mod support;

mod exchange;
mod store;
