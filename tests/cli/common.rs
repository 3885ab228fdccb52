//! Run the real `kiemtra` binary as a user would, on a database in a temporary folder.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub struct Kiemtra {
    dir: tempfile::TempDir,
    pub db: PathBuf,
    /// The clock every run reads (`KIEMTRA_NOW`), if not the real one. Passed to each command,
    /// never set for the test process: the other tests run in it at the same time.
    now: Option<&'static str>,
}

impl Kiemtra {
    pub fn new() -> Kiemtra {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("du-lieu").join("kiemtra.sqlite3");
        Kiemtra { dir, db, now: None }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn run_on(db: &Path, args: &[&str]) -> Out {
        Self::exec(db, None, args)
    }

    fn exec(db: &Path, now: Option<&str>, args: &[&str]) -> Out {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiemtra"));
        cmd.arg("--db")
            .arg(db)
            .args(args)
            .env_remove("KIEMTRA_DB")
            .env("KIEMTRA_INSPECTOR", "Bế Thị Hà");
        match now {
            Some(now) => cmd.env("KIEMTRA_NOW", now),
            None => cmd.env_remove("KIEMTRA_NOW"),
        };
        let out = cmd.output().expect("kiemtra runs");
        Out {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("UTF-8 output"),
            stderr: String::from_utf8(out.stderr).expect("UTF-8 errors"),
        }
    }

    pub fn run(&self, args: &[&str]) -> Out {
        Self::exec(&self.db, self.now, args)
    }

    /// Run and expect success; return stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(o.code, 0, "kiemtra {args:?} failed:\n{}{}", o.stdout, o.stderr);
        o.stdout
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        serde_json::from_str(&self.ok(&a)).expect("valid JSON")
    }

    /// Run and expect a refusal (exit 1, a Vietnamese message); return the message.
    pub fn refused(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(
            o.code, 1,
            "kiemtra {args:?} should be refused:\n{}{}",
            o.stdout, o.stderr
        );
        assert!(o.stderr.starts_with("Lỗi: "), "{}", o.stderr);
        o.stderr
    }

    /// Run with --json and expect a refusal: return `{code, message}` as printed.
    pub fn json_refused(&self, args: &[&str]) -> serde_json::Value {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        let o = self.run(&a);
        assert_eq!(o.code, 1, "kiemtra {a:?} should be refused:\n{}{}", o.stdout, o.stderr);
        serde_json::from_str(&o.stdout).expect("a JSON refusal")
    }

    /// A created database without a plan, whose every run happens at `now`.
    pub fn empty_at(now: &'static str) -> Kiemtra {
        let k = Kiemtra {
            now: Some(now),
            ..Kiemtra::new()
        };
        k.ok(&["init"]);
        k
    }

    /// A ready database: created, with the 2026 plan.
    pub fn ready() -> Kiemtra {
        Kiemtra::new().prepared()
    }

    /// A ready database whose every run happens at `now` (`KIEMTRA_NOW`).
    pub fn ready_at(now: &'static str) -> Kiemtra {
        Kiemtra {
            now: Some(now),
            ..Kiemtra::new()
        }
        .prepared()
    }

    fn prepared(self) -> Kiemtra {
        self.ok(&["init"]);
        self.ok(&["plan", "load-sample"]);
        self
    }
}

#[path = "../support/db.rs"]
mod db;
pub use db::{assert_vietnamese, dump};
