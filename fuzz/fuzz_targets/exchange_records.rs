//! Fuzz what is inside a sealed file: `records.json` and `kiemtra.json` as the reader parses
//! and checks them (the seal makes most mutations of a whole file stop early, so the inner
//! parsers get their own target).
//!
//!     cargo +nightly fuzz run exchange_records -- -max_total_time=60
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = serde_json::from_slice::<kiemtra_core::exchange::file::Records>(data) {
        let _ = r.check();
        let _ = r.field_count();
    }
    let _ = serde_json::from_slice::<kiemtra_core::exchange::file::Manifest>(data);
});
