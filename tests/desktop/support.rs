//! Xvfb and tauri-driver for the end-to-end tests and the desktop benchmark, one window at
//! a time.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// One window at a time: the tests of the binary run on parallel threads, but share the
/// process's X display (its number comes from the process id), so each driver waits for the
/// one before it to be dropped.
static ONE_WINDOW: Mutex<()> = Mutex::new(());

/// A process stopped with SIGTERM when dropped (SIGKILL would leave WebKitWebDriver
/// holding its port).
pub struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.0.id().to_string()).status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn find_tool(name: &str) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join(name))
        .find(|p| p.exists())
        .unwrap_or_else(|| {
            panic!(
                "{name} is not installed: the end-to-end test needs tauri-driver \
             (cargo install tauri-driver --version '^2' --locked) and WebKitWebDriver \
             (apt install webkit2gtk-driver); .ci/run installs both"
            )
        })
}

pub struct Driver {
    pub port: u16,
    pub display: String,
    _xvfb: Option<Proc>,
    _driver: Proc,
    // Last: released once Xvfb and tauri-driver have stopped.
    _one: MutexGuard<'static, ()>,
}

/// Xvfb (unless a display is given) and tauri-driver, with the app pointed at `db` and given
/// `env` (the test stand-ins for native dialogs: set on the driver, which the app inherits,
/// never on the test process). Waits while another test's window is open.
pub fn start_driver(db: &Path, env: &[(&str, &Path)]) -> Driver {
    // A test that failed with its window open leaves the lock poisoned: the next one goes on.
    let one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let (display, xvfb) = match std::env::var("KIEMTRA_E2E_DISPLAY") {
        Ok(d) if !d.is_empty() => (d, None),
        _ => {
            let n = 90 + (std::process::id() % 400);
            let display = format!(":{n}");
            let child = Command::new(find_tool("Xvfb"))
                .args([display.as_str(), "-screen", "0", "1366x860x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb");
            std::thread::sleep(Duration::from_millis(500));
            (display, Some(Proc(child)))
        }
    };
    let port = free_port();
    let native = free_port();
    let child = Command::new(find_tool("tauri-driver"))
        .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
        .arg("--native-driver")
        .arg(find_tool("WebKitWebDriver"))
        .env("DISPLAY", display.as_str())
        .env("KIEMTRA_DB", db)
        // The app's working folder: where a test's print to file lands.
        .current_dir(db.parent().expect("the database's folder"))
        .env("KIEMTRA_INSPECTOR", "Bế Thị Hà")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("tauri-driver");
    // tauri-driver listens before WebKitWebDriver does: a session asked for in between is
    // dropped (tauri-driver cannot reach the native driver), which a loaded machine makes
    // likely. Wait for both.
    let start = Instant::now();
    for (p, what) in [(port, "tauri-driver"), (native, "WebKitWebDriver")] {
        while std::net::TcpStream::connect(("127.0.0.1", p)).is_err() {
            assert!(start.elapsed() < Duration::from_secs(20), "{what} did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    Driver {
        port,
        display,
        _xvfb: xvfb,
        _driver: Proc(child),
        _one: one,
    }
}
