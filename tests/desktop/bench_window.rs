//! Figures of the desktop app, measured on the real window (a benchmark, not a test):
//!
//!   cargo bench -p kiemtra-desktop --bench window
//!
//! cold start to the plan screen, resident memory when idle (the app and its WebKit
//! processes), and the round trip of saving one score (UI → IPC → SQLite commit → UI).

mod webdriver;

#[path = "e2e_support.rs"]
mod support;

use std::time::{Duration, Instant};

use serde_json::json;

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// Processes whose command line names `needle`, with their RSS in KB.
fn processes(needle: &str) -> Vec<(u32, String, u64)> {
    let mut out = vec![];
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let cmd = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if cmd.contains(needle) {
            out.push((pid, cmd.replace('\0', " "), rss_kb(pid)));
        }
    }
    out
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiemtra.sqlite3");
    let d = support::start_driver(&db);

    // Cold start: the first start creates the database; then five ordinary starts.
    let mut starts = vec![];
    for n in 0..6 {
        let t = Instant::now();
        let s = webdriver::Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
        s.wait("[data-test=unit-row]");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if n > 0 {
            starts.push(ms);
        } else {
            eprintln!("first start (creates the database, loads the plan): {ms:.0} ms");
        }
        if n < 5 {
            s.quit();
            std::thread::sleep(Duration::from_millis(300));
            continue;
        }

        // Idle memory, 3 s after the plan screen is shown.
        std::thread::sleep(Duration::from_secs(3));
        let app = processes("kiemtra-desktop");
        let web = processes("WebKitWebProcess");
        let net = processes("WebKitNetworkProcess");
        let app_kb: u64 = app.iter().filter(|p| !p.1.contains("tauri-driver")).map(|p| p.2).sum();
        let web_kb: u64 = web.iter().chain(net.iter()).map(|p| p.2).sum();
        eprintln!(
            "idle RSS: app {:.1} MB, WebKit web+network processes {:.1} MB, together {:.1} MB",
            app_kb as f64 / 1024.0,
            web_kb as f64 / 1024.0,
            (app_kb + web_kb) as f64 / 1024.0
        );

        // Saving one score, as the checklist does, timed inside the page.
        let id = s.script(
            "return window.__TAURI_INTERNALS__.invoke('plan_view').then(v => v.overview.inspections.find(i => i.unit_name === 'xã Hạ Lang').id);",
            json!([]),
        );
        let id = id.as_str().unwrap().to_string();
        let v = s.script_async(
            "const [id, done] = arguments; const inv = window.__TAURI_INTERNALS__.invoke; const times = [];
             (async () => {
               for (let k = 0; k < 300; k++) {
                 const t = performance.now();
                 await inv('set_response', {inspectionId: id, code: '1.4.1', field: 'team_score', value: k % 2 ? '0,5' : '0,25'});
                 times.push(performance.now() - t);
               }
               done(times);
             })();",
            json!([id]),
        );
        let mut times: Vec<f64> = v.as_array().unwrap().iter().filter_map(|x| x.as_f64()).collect();
        let p50 = percentile(&mut times, 0.5);
        let p99 = percentile(&mut times, 0.99);
        eprintln!("save one score, UI → SQLite commit → UI (300 saves, returns the whole inspection view): p50 {p50:.2} ms, p99 {p99:.2} ms");
        s.quit();
    }
    let p50 = percentile(&mut starts, 0.5);
    let max = starts.iter().cloned().fold(0.0, f64::max);
    eprintln!(
        "cold start to the plan screen (launch → 14 units shown, 5 starts): median {p50:.0} ms, worst {max:.0} ms"
    );
}
