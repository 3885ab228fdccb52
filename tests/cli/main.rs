//! The `kiemtra` binary driven as a user would, one test binary for the whole CLI: each
//! module is one story, and `common` runs the binary on a database in a temporary folder.
//! The tests run side by side in one process, so none of them sets anything process-wide
//! (environment, working folder): what a run needs is passed to the spawned command.

mod common;

mod after_visit;
mod clerk_layout;
mod documents;
mod exchange;
mod plans;
mod refusals;
mod report;
mod story;
mod trust;
mod unitdocs;
