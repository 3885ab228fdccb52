//! The real desktop app end to end, one test binary: the release-shaped window under Xvfb,
//! driven through tauri-driver and WebKitWebDriver. `support` starts Xvfb and tauri-driver
//! and lets one window open at a time (the tests run on parallel threads of one process,
//! which has one X display); `webdriver` is the small W3C client the window benchmark shares,
//! `elements` what the tests do with the page's elements.

mod elements;
mod support;
mod webdriver;

mod e2e;
mod exchange_e2e;
mod followup_e2e;
mod plans_e2e;
mod report_e2e;
mod trust_e2e;
mod unitdocs_e2e;
mod window_cli_e2e;
mod window_e2e;
