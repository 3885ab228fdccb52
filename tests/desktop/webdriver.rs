//! Just enough of the W3C WebDriver protocol to drive the real app through tauri-driver
//! (which hands the session to WebKitWebDriver): sessions, waiting for an element, scripts
//! and screenshots, what the end-to-end tests and the desktop benchmark both use. What only
//! the tests do with elements (click, type, read) is in `elements.rs`.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The key of an element's id in WebDriver's answers.
pub const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Session {
    base: String,
    id: String,
    display: String,
}

pub fn call(method: &str, url: &str, body: Option<Value>) -> Result<Value, String> {
    let t = Instant::now();
    let r = call_inner(method, url, body);
    if t.elapsed() > Duration::from_secs(2) {
        eprintln!("slow WebDriver call: {method} {url} took {:?}", t.elapsed());
    }
    r
}

fn call_inner(method: &str, url: &str, body: Option<Value>) -> Result<Value, String> {
    let req = ureq::request(method, url).timeout(Duration::from_secs(60));
    let resp = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    let v: Value = match resp {
        Ok(r) => r.into_json().map_err(|e| e.to_string())?,
        Err(ureq::Error::Status(code, r)) => {
            let text = r.into_string().unwrap_or_default();
            return Err(format!("{method} {url}: HTTP {code}: {text}"));
        }
        Err(e) => return Err(format!("{method} {url}: {e}")),
    };
    Ok(v.get("value").cloned().unwrap_or(Value::Null))
}

impl Session {
    pub fn start(port: u16, display: &str, application: &str) -> Session {
        let base = format!("http://127.0.0.1:{port}");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": application}
        }}});
        let v = call("POST", &format!("{base}/session"), Some(caps)).expect("a WebDriver session");
        let id = v["sessionId"].as_str().expect("session id").to_string();
        Session {
            base,
            id,
            display: display.to_string(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/session/{}{}", self.base, self.id, path)
    }

    pub fn quit(self) {
        let _ = call("DELETE", &self.url(""), None);
    }

    /// The WebDriver id of the element `css` selects.
    pub fn find_id(&self, css: &str) -> Result<String, String> {
        let v = call(
            "POST",
            &self.url("/element"),
            Some(json!({"using": "css selector", "value": css})),
        )?;
        Ok(v[ELEMENT].as_str().ok_or("no element id")?.to_string())
    }

    /// Wait until the element exists (the UI loads asynchronously); its WebDriver id.
    pub fn wait_id(&self, css: &str) -> String {
        let start = Instant::now();
        loop {
            match self.find_id(css) {
                Ok(id) => return id,
                Err(err) if start.elapsed() > Duration::from_secs(20) => {
                    self.screenshot("failure-wait");
                    panic!("{css} did not appear: {err}")
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    pub fn script(&self, js: &str, args: Value) -> Value {
        call(
            "POST",
            &self.url("/execute/sync"),
            Some(json!({"script": js, "args": args})),
        )
        .unwrap()
    }

    /// Save a screenshot of the window, as the X display shows it, to the artifacts folder.
    /// (WebKitWebDriver's own screenshot hangs under Xvfb.)
    pub fn screenshot(&self, name: &str) {
        let dir = artifacts_dir();
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::process::Command::new("import")
            .args(["-display", &self.display, "-window", "root"])
            .arg(dir.join(format!("{name}.png")))
            .status();
    }
}

fn artifacts_dir() -> std::path::PathBuf {
    std::env::var_os("KIEMTRA_ARTIFACTS")
        .map(Into::into)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/artifacts"))
}
