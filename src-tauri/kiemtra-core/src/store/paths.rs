//! Where the data lives by default: the per-user data folder that the desktop app and the
//! command line share (Linux: ~/.local/share/vn.kiemtra.cchc; Windows: %APPDATA%\vn.kiemtra.cchc).

use std::path::{Path, PathBuf};

/// The app identifier; the desktop app's data folder is named after it.
pub const APP_IDENTIFIER: &str = "vn.kiemtra.cchc";
pub const DB_FILE: &str = "kiemtra.sqlite3";

pub fn default_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_IDENTIFIER))
}

pub fn default_db_path() -> Option<PathBuf> {
    default_data_dir().map(|d| d.join(DB_FILE))
}

/// Write a file beside its target, flush it to disk, then rename it into place: a full disk
/// or a pulled USB stick leaves no half-written file. An existing file is replaced only
/// when `overwrite` (a save dialog has asked the user).
pub fn write_file_atomic(out: &Path, bytes: &[u8], overwrite: bool) -> crate::error::Result<()> {
    use std::io::Write;
    if !overwrite && out.exists() {
        return Err(crate::error::Refusal::FileExists.err(format!(
            "Đã có tệp {}; hãy chọn tên khác (không ghi đè).",
            out.display()
        )));
    }
    let mut tmp = out.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(crate::error::Error::io("ghi được tệp", out, e));
    }
    std::fs::rename(&tmp, out).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        crate::error::Error::io("ghi được tệp", out, e)
    })
}
