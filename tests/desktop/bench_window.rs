//! Figures of the desktop app, measured on the real window (a benchmark, not a test):
//!
//!   cargo bench -p kiemtra-desktop --bench window
//!
//! cold start to the plan screen, the round trip of saving one score (UI → IPC → SQLite
//! commit → UI), and memory when idle (the app and its WebKit processes).

mod support;
mod webdriver;

use std::time::{Duration, Instant};

use serde_json::json;

impl webdriver::Session {
    /// Run a script that calls its last argument when done; returns what it passed.
    fn script_async(&self, js: &str, args: serde_json::Value) -> serde_json::Value {
        webdriver::call(
            "POST",
            &self.url("/execute/async"),
            Some(json!({"script": js, "args": args})),
        )
        .unwrap()
    }
}

/// One field of /proc/PID/smaps_rollup, in KB.
fn smaps(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// The processes WebKit started for the app (its children).
fn children(pid: u32) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_string_lossy().parse::<u32>().ok())
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/status"))
                .unwrap_or_default()
                .lines()
                .any(|l| l.starts_with("PPid:") && l.split_whitespace().nth(1) == Some(&pid.to_string()))
        })
        .collect()
}

/// Idle memory of the app started as a user starts it (not under WebDriver, whose
/// automation mode adds its own), 6 s after start on the plan screen.
fn idle_memory(display: &str, db: &std::path::Path) {
    let mut app = std::process::Command::new(env!("CARGO_BIN_EXE_kiemtra-desktop"))
        .env("DISPLAY", display)
        .env("KIEMTRA_DB", db)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(6));
    let pid = app.id();
    let kids = children(pid);
    let mb = |kb: u64| kb as f64 / 1024.0;
    let all: Vec<u32> = std::iter::once(pid).chain(kids.iter().copied()).collect();
    let pss: u64 = all.iter().map(|p| smaps(*p, "Pss:")).sum();
    let private: u64 = all
        .iter()
        .map(|p| smaps(*p, "Private_Clean:") + smaps(*p, "Private_Dirty:"))
        .sum();
    eprintln!(
        "idle memory: app process RSS {:.0} MB (of which its own anonymous memory {:.0} MB); with WebKit's {} processes: PSS {:.0} MB, private {:.0} MB",
        mb(smaps(pid, "Rss:")),
        mb(smaps(pid, "Anonymous:")),
        kids.len(),
        mb(pss),
        mb(private)
    );
    let _ = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status();
    let _ = app.wait();
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiemtra.sqlite3");
    let d = support::start_driver(&db, &[]);

    // Cold start: the first start creates the database; then five ordinary starts.
    let mut starts = vec![];
    for n in 0..6 {
        let t = Instant::now();
        let s = webdriver::Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
        s.wait_id("[data-test=unit-row]");
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
        // For comparison: a call that returns almost nothing, and reading the view alone.
        for (what, cmd, args) in [
            ("IPC alone (app_info)", "app_info", json!({})),
            (
                "reading the inspection view",
                "inspection_view",
                json!({"inspectionId": id}),
            ),
        ] {
            let v = s.script_async(
                "const [cmd, args, done] = arguments; const inv = window.__TAURI_INTERNALS__.invoke; const times = [];
                 (async () => {
                   for (let k = 0; k < 300; k++) { const t = performance.now(); await inv(cmd, args); times.push(performance.now() - t); }
                   const size = JSON.stringify(await inv(cmd, args)).length;
                   done([times, size]);
                 })();",
                json!([cmd, args]),
            );
            let mut t: Vec<f64> = v[0].as_array().unwrap().iter().filter_map(|x| x.as_f64()).collect();
            eprintln!(
                "{what}: p50 {:.2} ms, p99 {:.2} ms, {} KB of JSON",
                percentile(&mut t, 0.5),
                percentile(&mut t, 0.99),
                v[1].as_u64().unwrap_or(0) / 1024
            );
        }
        let p50 = percentile(&mut times, 0.5);
        let p99 = percentile(&mut times, 0.99);
        eprintln!("save one score, UI → SQLite commit → UI (300 saves; each returns the live part of the inspection view): p50 {p50:.2} ms, p99 {p99:.2} ms");
        s.quit();
    }
    let p50 = percentile(&mut starts, 0.5);
    let max = starts.iter().cloned().fold(0.0, f64::max);
    eprintln!(
        "cold start to the plan screen (launch → 14 units shown, 5 starts): median {p50:.0} ms, worst {max:.0} ms"
    );
    idle_memory(&d.display, &db);
    drop(d);
    if let Some(large) = std::env::var_os("KIEMTRA_BENCH_LARGE_DB") {
        large_plan(std::path::Path::new(&large));
    }
}

/// The plan screen at the size of issue 6 (100 units with deadline and overdue markers; the
/// database made by `KIEMTRA_BENCH_KEEP_DB=… cargo bench -p kiemtra-core --bench after_visit`):
/// from the click on "Kế hoạch kiểm tra" (coming from the team screen) to the first screenful
/// of rows with their markers drawn, and to every row drawn, timed in the page; and the plan
/// view's IPC round trip alone.
fn large_plan(db: &std::path::Path) {
    let d = support::start_driver(db, &[]);
    let s = webdriver::Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    s.wait_id("[data-test=unit-row]");
    let v = s.script_async(
        "const done = arguments[0];
         const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
         const rows = () => document.querySelectorAll('[data-test=unit-row]').length;
         const marks = () => document.querySelectorAll('[data-test=deadline] .mark').length;
         (async () => {
           const inv = window.__TAURI_INTERNALS__.invoke;
           const units = (await inv('plan_view')).overview.inspections.length;
           const ipc = [], first = [], all = [];
           for (let k = 0; k < 30; k++) {
             const t = performance.now();
             await inv('plan_view');
             ipc.push(performance.now() - t);
           }
           for (let k = 0; k < 30; k++) {
             document.querySelector('[data-test=nav-team]').click();
             const t0 = performance.now();
             while (rows() > 0) {
               if (performance.now() - t0 > 5000) return done(['the plan screen did not close']);
               await frame();
             }
             await frame();
             const t = performance.now();
             document.querySelector('[data-test=nav-plan]').click();
             let f = null;
             while (rows() < units) {
               if (f === null && rows() >= Math.min(units, 20) && marks() > 0) f = performance.now() - t;
               if (performance.now() - t > 5000) return done(['plan not drawn', rows(), marks()]);
               await new Promise((r) => setTimeout(r, 0));
             }
             first.push(f ?? performance.now() - t);
             all.push(performance.now() - t);
           }
           done([units, ipc, first, all, marks(), document.querySelectorAll('[data-test=recs] .mark').length]);
         })();",
        json!([]),
    );
    assert!(v[1].is_array(), "the plan screen did not open as expected: {v}");
    let series = |i: usize| -> Vec<f64> { v[i].as_array().unwrap().iter().filter_map(|x| x.as_f64()).collect() };
    let (mut ipc, mut first, mut all) = (series(1), series(2), series(3));
    eprintln!(
        "plan screen, {} units ({} deadline marks, {} overdue-recommendation marks), 30 opens from the team screen:",
        v[0], v[4], v[5]
    );
    eprintln!(
        "  click → first screenful drawn with its markers: p50 {:.1} ms, p95 {:.1} ms (goal ≤ 50 ms)",
        percentile(&mut first, 0.5),
        percentile(&mut first, 0.95)
    );
    eprintln!(
        "  click → every row drawn: p50 {:.1} ms, p95 {:.1} ms",
        percentile(&mut all, 0.5),
        percentile(&mut all, 0.95)
    );
    eprintln!(
        "  reading the plan view over IPC alone (plan_view): p50 {:.1} ms, p95 {:.1} ms",
        percentile(&mut ipc, 0.5),
        percentile(&mut ipc, 0.95)
    );
    s.screenshot("bench-ke-hoach-100-don-vi");
    s.quit();
}
