//! Kiểm tra CCHC: the whole product without a window.
//!
//! Five layers, each using only those before it in this list (`tests/core/layers.rs`
//! checks it on the source):
//! - [`error`]: the typed refusals, each with a stable code and a Vietnamese message;
//! - [`domain`]: text, the model, templates, scoring, figures, the calendar and deadlines,
//!   clocks: pure (no I/O, no clock, no randomness);
//! - [`format`]: the exchange file and the PDF layout: bytes in, bytes out;
//! - [`store`]: the SQLite file, its migrations and the write transaction, the audit log,
//!   the search index, stored templates, files written atomically;
//! - [`app`]: one function per user action (`Store::write` checks every rule on what an
//!   action wrote) and the views the shells show.
//!
//! No Tauri, no dialogs, no global state: every function takes the time (`Ctx`) and the
//! paths it works on. The shells (the `kiemtra` command line and the desktop window) call
//! the use cases; the names below keep their paths short.

pub mod app;
pub mod domain;
pub mod error;
pub mod format;
pub mod store;

pub use app::{
    checklist, document, exchange, findings, followup, plan, report, rules, selfassess, team, undo, unitdocs, xlsx,
};
pub use domain::{calendar, figures, model, scoring, template, text};
pub use error::{Error, Refusal, Result};
pub use store::{paths, search, templates as template_store, Ctx, Store};
