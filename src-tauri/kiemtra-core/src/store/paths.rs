//! Where the data lives by default: the per-user data folder that the desktop app and the
//! command line share (Linux: ~/.local/share/vn.kiemtra.cchc; Windows: %APPDATA%\vn.kiemtra.cchc).

use std::path::PathBuf;

/// The app identifier; the desktop app's data folder is named after it.
pub const APP_IDENTIFIER: &str = "vn.kiemtra.cchc";
pub const DB_FILE: &str = "kiemtra.sqlite3";

pub fn default_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_IDENTIFIER))
}

pub fn default_db_path() -> Option<PathBuf> {
    default_data_dir().map(|d| d.join(DB_FILE))
}
