//! Plain-text tables for people; JSON for scripts.

use serde::Serialize;

/// Print a value as pretty JSON.
pub fn json<T: Serialize>(v: &T) {
    println!("{}", serde_json::to_string_pretty(v).expect("serialisable"));
}

/// Print a value as JSON and finish the command.
pub fn json_ok<T: Serialize>(v: &T) -> kiemtra_core::Result<()> {
    json(v);
    Ok(())
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// A simple aligned table; columns listed in `right` are right-aligned.
pub fn table(headers: &[&str], rows: &[Vec<String>], right: &[usize]) {
    let n = headers.len();
    let mut w: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            w[i] = w[i].max(width(c));
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = w[i].saturating_sub(width(c));
            if i > 0 {
                out.push_str("  ");
            }
            if right.contains(&i) {
                out.push_str(&" ".repeat(pad));
                out.push_str(c);
            } else {
                out.push_str(c);
                if i + 1 < cells.len() {
                    out.push_str(&" ".repeat(pad));
                }
            }
        }
        println!("{}", out.trim_end());
    };
    line(headers.to_vec());
    println!("{}", w.iter().map(|x| "─".repeat(*x)).collect::<Vec<_>>().join("  "));
    for r in rows {
        line(r.iter().map(|s| s.as_str()).collect());
    }
}

/// Cut a long text to `max` characters with an ellipsis.
pub fn clip(s: &str, max: usize) -> String {
    if width(s) <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
