//! Helpers shared by the core's tests and the CLI's tests (each binary uses both).

use std::path::Path;

/// A message a Vietnamese inspector can read: Vietnamese letters, and none of the English
/// words that leak from libraries ("database is locked", "os error", "invalid type"…).
pub fn assert_vietnamese(m: &str) {
    assert!(
        m.chars()
            .any(|c| "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ".contains(c)),
        "not Vietnamese: {m}"
    );
    let lower = m.to_lowercase();
    for w in [
        "database",
        "error",
        "invalid",
        "failed",
        "locked",
        "expected",
        "missing",
        "unknown",
        "not found",
        "usage",
    ] {
        assert!(!lower.contains(w), "English «{w}» in: {m}");
    }
}

/// Every row of every table, as text: equal dumps mean nothing changed. The laptop's identity
/// in `meta` (its device id and where the file lives) is left out: a copy of the file opened
/// elsewhere takes a new device id by design, and that is not a change to the data.
pub fn dump(path: &Path) -> String {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut out = String::new();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    for t in tables {
        let filter = if t == "meta" {
            " WHERE key NOT IN ('device_id', 'device_home', 'previous_device_ids')"
        } else {
            ""
        };
        let mut st = c.prepare(&format!("SELECT * FROM \"{t}\"{filter} ORDER BY 1")).unwrap();
        let n = st.column_count();
        let rows: Vec<String> = st
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        out.push_str(&format!("{t}\n{}\n", rows.join("\n")));
    }
    out
}
