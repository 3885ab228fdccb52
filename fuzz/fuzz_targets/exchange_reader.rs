//! Fuzz the exchange-file reader: whatever the bytes, `Package::open` returns a package or a
//! Vietnamese refusal; it never panics, never loops, never allocates without bound.
//!
//!     cargo +nightly fuzz run exchange_reader -- -max_total_time=60
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut pkg) = kiemtra_core::exchange::file::Package::open(std::io::Cursor::new(data)) {
        let shas: Vec<String> = pkg.manifest.attachments.iter().map(|a| a.sha256.clone()).collect();
        for s in shas {
            let _ = pkg.attachment(&s);
        }
        let _ = pkg.records.check();
    }
});
