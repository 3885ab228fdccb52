//! The domain: what an inspection is, in plain Rust. Text and numbers the Vietnamese way,
//! the kinds and records of the model, checklist templates and their rules, scoring, the
//! figures and their rates, the calendar of working days and the conclusion deadline, and
//! the clocks exchange files merge by. No I/O, no clock, no randomness: what changes comes
//! in as arguments (today's date, the holidays, the responses), so every rule here is a
//! function a unit test can call.

pub mod calendar;
pub mod clock;
pub mod deadline;
pub mod digest;
pub mod figures;
pub mod model;
pub mod scoring;
pub mod template;
pub mod text;
pub mod trust;
