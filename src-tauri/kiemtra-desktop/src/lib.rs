//! The desktop shell of Kiểm tra CCHC: a Tauri 2 window over `kiemtra-core`.
//!
//! Everything the product does lives in the core. This crate opens the database in the
//! per-user data folder the command line also uses, answers the UI's commands (one core
//! call each, see `commands`), and owns what only a window has: native file dialogs and
//! the window itself.

use std::path::PathBuf;
use std::sync::Mutex;

use kiemtra_core::{Ctx, Store};
use tauri::Manager;

pub mod commands;
pub mod ipc;

/// What the running app holds: the open store and who is working on this laptop.
pub struct AppState {
    pub store: Mutex<Store>,
    /// Who works here before the laptop is in a team (`KIEMTRA_INSPECTOR`, the user's login).
    pub default_inspector: String,
    /// The member's name of this laptop in the team, once it has joined or set up the team
    /// key (`Store::member_name`): changes are recorded under it.
    pub member: Mutex<Option<String>>,
    pub db_path: PathBuf,
    /// Set when the database had to be created (first start): the sample plan was loaded.
    pub created: bool,
    /// When the store was last used by a command (milliseconds since the epoch; 0: the
    /// database file is whole). A quiet second later the write-ahead log is checkpointed
    /// into the file (`checkpoint_when_quiet`).
    pub touched: std::sync::atomic::AtomicU64,
}

/// Milliseconds since the epoch, for `AppState::touched`.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(1)
}

/// After changes, once the window has been quiet for a second, write the log into the
/// database file and empty it: the data folder, copied by hand at any moment the inspector
/// is not typing, is a complete copy (the window closing does the same; a killed process
/// leaves at most the last second in the log, which SQLite applies on the next open).
fn checkpoint_when_quiet(app: tauri::AppHandle) {
    use std::sync::atomic::Ordering;
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_millis(400));
        let Some(shared) = app.try_state::<Shared>() else {
            continue;
        };
        let Shared(Ok(state)) = shared.inner() else { return };
        let t = state.touched.load(Ordering::Acquire);
        if t == 0 || now_ms().saturating_sub(t) < 1000 {
            continue;
        }
        // Never wait for the store: a command holding it goes first, the next turn retries.
        let Ok(store) = state.store.try_lock() else { continue };
        if matches!(store.checkpoint(), Ok(true)) {
            let _ = state
                .touched
                .compare_exchange(t, 0, Ordering::AcqRel, Ordering::Acquire);
        }
    });
}

impl AppState {
    /// Who the changes made in the window are recorded under: the laptop's member in the
    /// team, else the default.
    pub fn inspector(&self) -> String {
        self.member
            .lock()
            .ok()
            .and_then(|m| m.clone())
            .unwrap_or_else(|| self.default_inspector.clone())
    }

    /// After setting up or joining a team: the member's name the store now holds.
    pub fn set_member(&self, member: Option<String>) {
        if let Ok(mut m) = self.member.lock() {
            *m = member;
        }
    }

    pub fn ctx(&self) -> Ctx {
        Ctx::new(chrono::Utc::now(), self.inspector())
    }
}

/// The database the app works on: `KIEMTRA_DB` if set (tests, a second team), else the
/// per-user data folder shared with the `kiemtra` command line.
pub fn db_path() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("KIEMTRA_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    kiemtra_core::paths::default_db_path()
        .ok_or_else(|| "Không xác định được thư mục dữ liệu của người dùng.".to_string())
}

fn inspector() -> String {
    ["KIEMTRA_INSPECTOR", "USER", "USERNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "người dùng".into())
}

/// Open the database, creating it with the sample 2026 plan on first start.
pub fn open_state() -> Result<AppState, kiemtra_core::Error> {
    let path = db_path().map_err(|m| kiemtra_core::Refusal::BadPath.err(m))?;
    let inspector = inspector();
    let ctx = Ctx::new(chrono::Utc::now(), inspector.clone());
    let (mut store, created) = if path.exists() {
        (Store::open(&path)?, false)
    } else {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| kiemtra_core::Error::io("tạo thư mục dữ liệu", dir, e))?;
        }
        Store::init(&path, &ctx)?
    };
    if store.plans()?.is_empty() {
        store.load_sample_plan(&ctx)?;
    }
    let member = store.member_name()?;
    Ok(AppState {
        store: Mutex::new(store),
        default_inspector: inspector,
        member: Mutex::new(member),
        db_path: path,
        created,
        touched: std::sync::atomic::AtomicU64::new(0),
    })
}

/// The app's state, or why the database could not be opened.
pub struct Shared(pub Result<AppState, ipc::CmdError>);

pub fn run() {
    // WebKitGTK's accelerated compositing costs about 90 MB in the web process and gains
    // nothing for these screens (tables and forms), and on machines without a working GPU
    // driver it falls back to software GL. Off unless the user asks for it. Set before
    // any thread starts.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    // The window's size and place are kept beside the database (a test's temporary folder
    // keeps its own), not in the user's config folder.
    let window_state = db_path()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("window-state.json")))
        .unwrap_or_else(|| std::path::PathBuf::from("window-state.json"));
    let state = open_state();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_filename(window_state.to_string_lossy())
                .build(),
        )
        .setup(move |app| {
            // If the database cannot be opened the window still opens and says why; nothing
            // is written to the file.
            app.manage(Shared(state.map_err(|e| ipc::CmdError::from(&e))));
            checkpoint_when_quiet(app.handle().clone());
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!())
        .expect("không mở được cửa sổ ứng dụng")
        .run(|app, event| {
            // When the window closes the database file alone is a complete copy: the
            // write-ahead log is written into it and emptied (a data folder copied by hand
            // afterwards is whole).
            if let tauri::RunEvent::Exit = event {
                if let Some(Shared(Ok(state))) = app.try_state::<Shared>().as_deref() {
                    if let Ok(store) = state.store.lock() {
                        let _ = store.checkpoint();
                    }
                }
            }
        });
}
