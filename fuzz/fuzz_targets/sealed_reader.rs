//! Fuzz the protected exchange file's reader: whatever the bytes, the header check and
//! `sealed::open` refuse or decrypt, never panic, never loop, never try a key on a header past
//! its bounds; the invitation parser the same.
//!
//!     cargo +nightly fuzz run sealed_reader -- -max_total_time=60
#![no_main]

use std::io::Read;
use std::sync::OnceLock;

use kiemtra_core::format::sealed::{self, Identity};
use libfuzzer_sys::fuzz_target;

static ID: OnceLock<Identity> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let id = ID.get_or_init(Identity::generate);
    let _ = sealed::check_header(data);
    if let Ok(mut r) = sealed::open(std::io::Cursor::new(data), &[id]) {
        let mut out = Vec::new();
        let _ = r.read_to_end(&mut out);
    }
    let _ = kiemtra_core::format::invite::Invite::parse(data);
});
