//! The use cases: one function per user action, as `impl Store` methods. Each opens its write
//! with [`Store::write`](crate::store::Store) (`rules`), which checks every rule on what the
//! action wrote, logs it and keeps the search index, in one transaction; reads build the
//! views the command line and the window show.

pub mod checklist;
pub mod document;
pub mod exchange;
pub mod findings;
pub mod followup;
pub mod plan;
pub mod report;
pub mod rules;
pub mod selfassess;
pub mod team;
pub mod templates;
pub mod undo;
pub mod unitdocs;
pub mod xlsx;
