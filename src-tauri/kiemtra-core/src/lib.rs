//! Kiểm tra CCHC: the whole product without a window.
//!
//! The model, the SQLite store and its migrations, checklist templates, scoring, figures,
//! findings and recommendations, and search. No Tauri, no dialogs, no global state:
//! every function takes the time (`store::Ctx`) and the paths it works on.

pub mod calendar;
pub mod checklist;
pub mod document;
pub mod error;
pub mod exchange;
pub mod figures;
pub mod findings;
pub mod followup;
pub mod model;
pub mod paths;
pub mod plan;
pub mod rules;
pub mod scoring;
pub mod search;
pub mod selfassess;
pub mod store;
mod stored;
pub mod template;
pub mod template_store;
pub mod text;
pub mod undo;
pub mod xlsx;

pub use error::{Error, Refusal, Result};
pub use store::{Ctx, Store};
