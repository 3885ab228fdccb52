//! Files the product writes for the user (exports, backups, documents, workbooks): whole or
//! not at all. The content goes into a temporary file beside the target, is flushed to
//! disk, then moved into place in one step (tempfile's persist); a full disk, a pulled USB
//! stick or a crash leaves the old file, or none, never half of one. Without `overwrite`
//! the move refuses an existing file atomically, so two writers cannot both "check, then
//! rename" over each other.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Refusal, Result};

/// Write `out` through `write`, which fills the temporary file at the path it is given.
pub fn write_whole<T>(
    out: &Path,
    overwrite: bool,
    action: &'static str,
    write: impl FnOnce(&Path) -> Result<T>,
) -> Result<T> {
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(Error::Io {
            action,
            path: dir.display().to_string(),
            reason: "thư mục không tồn tại".into(),
        });
    }
    let tmp = tempfile::Builder::new()
        .prefix(".kiemtra-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(action, out, e))?
        .into_temp_path();
    // The temporary file is removed when `tmp` is dropped, whatever happens below.
    let value = write(&tmp)?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(action, out, e))?;
    let moved = if overwrite {
        tmp.persist(out)
    } else {
        tmp.persist_noclobber(out)
    };
    moved.map_err(|e| match e.error.kind() {
        std::io::ErrorKind::AlreadyExists => Refusal::FileExists.err(format!(
            "Đã có tệp {}; hãy chọn tên khác (không ghi đè).",
            out.display()
        )),
        _ => Error::io(action, out, e.error),
    })?;
    Ok(value)
}

/// Write `bytes` to `out`, whole or not at all.
pub fn write_bytes(out: &Path, bytes: &[u8], overwrite: bool) -> Result<()> {
    if !overwrite && out.exists() {
        return Err(Refusal::FileExists.err(format!(
            "Đã có tệp {}; hãy chọn tên khác (không ghi đè).",
            out.display()
        )));
    }
    write_whole(out, overwrite, "ghi được tệp", |tmp| {
        std::fs::File::create(tmp)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(|e| Error::io("ghi được tệp", out, e))
    })
}

/// Read a file the user chose, refused (before reading) when it is larger than `max` bytes.
pub fn read_bounded(path: &Path, max: u64, what: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let f = std::fs::File::open(path).map_err(|e| Error::io("mở được", path, e))?;
    let meta = f.metadata().map_err(|e| Error::io("đọc được", path, e))?;
    if !meta.is_file() {
        return Err(Refusal::BadPath.err(format!("{} không phải là một tệp.", path.display())));
    }
    if meta.len() > max {
        return Err(Refusal::FileTooLarge.err(format!(
            "{} lớn hơn {} MiB: không phải {what}.",
            path.display(),
            max >> 20
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow while it is read: never more than `max` + 1 bytes.
    f.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("đọc được", path, e))?;
    if bytes.len() as u64 > max {
        return Err(Refusal::FileTooLarge.err(format!("{} lớn hơn giới hạn.", path.display())));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_nothing_and_an_existing_file_is_kept() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("a.pdf");
        write_bytes(&out, b"one", false).unwrap();
        let e = write_bytes(&out, b"two", false).unwrap_err();
        assert_eq!(e.code(), "file_exists");
        assert_eq!(std::fs::read(&out).unwrap(), b"one");
        // Someone made the file after the caller looked: the move refuses it.
        let e = write_whole(&out, false, "ghi được tệp", |tmp| {
            std::fs::write(tmp, b"three").map_err(|e| Error::io("ghi được tệp", tmp, e))
        })
        .unwrap_err();
        assert_eq!(e.code(), "file_exists");
        assert_eq!(std::fs::read(&out).unwrap(), b"one");
        let r: Result<()> = write_whole(&d.path().join("b.pdf"), false, "ghi được tệp", |_| {
            Err(Refusal::WriteFailed.err("hỏng giữa chừng"))
        });
        assert!(r.is_err());
        write_bytes(&out, b"four", true).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"four");
        let left: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 1, "no temporary file left: {left:?}");
    }
}
