#![allow(dead_code)] // shared by the end-to-end test and the benchmark, each using part of it
//! Just enough of the W3C WebDriver protocol to drive the real app through tauri-driver
//! (which hands the session to WebKitWebDriver): sessions, elements, keys, scripts and
//! screenshots.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Session {
    base: String,
    id: String,
    display: String,
}

#[derive(Clone)]
pub struct Element(String);

pub const ENTER: &str = "\u{E007}";
pub const TAB: &str = "\u{E004}";

fn call(method: &str, url: &str, body: Option<Value>) -> Result<Value, String> {
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

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{}", self.base, self.id, path)
    }

    pub fn quit(self) {
        let _ = call("DELETE", &self.url(""), None);
    }

    pub fn find(&self, css: &str) -> Result<Element, String> {
        let v = call(
            "POST",
            &self.url("/element"),
            Some(json!({"using": "css selector", "value": css})),
        )?;
        Ok(Element(v[ELEMENT].as_str().ok_or("no element id")?.to_string()))
    }

    pub fn find_all(&self, css: &str) -> Vec<Element> {
        call(
            "POST",
            &self.url("/elements"),
            Some(json!({"using": "css selector", "value": css})),
        )
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e[ELEMENT].as_str().map(|s| Element(s.to_string())))
        .collect()
    }

    /// Wait until the element exists (the UI loads asynchronously).
    pub fn wait(&self, css: &str) -> Element {
        let start = Instant::now();
        loop {
            match self.find(css) {
                Ok(e) => return e,
                Err(err) if start.elapsed() > Duration::from_secs(20) => {
                    self.screenshot("failure-wait");
                    panic!("{css} did not appear: {err}")
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    /// Wait until `f` holds for the element's text (or value).
    pub fn wait_text(&self, css: &str, what: &str, f: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut last = String::new();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(e) = self.find(css) {
                last = self.text(&e);
                if f(&last) {
                    return last;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.screenshot("failure-wait-text");
        panic!("{css}: expected {what}, found «{last}»");
    }

    pub fn wait_value(&self, css: &str, want: &str) {
        let start = Instant::now();
        let mut last = String::new();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(e) = self.find(css) {
                last = self.value(&e);
                if last == want {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.screenshot("failure-wait-value");
        panic!("{css}: expected value «{want}», found «{last}»");
    }

    pub fn click(&self, e: &Element) {
        call("POST", &self.url(&format!("/element/{}/click", e.0)), Some(json!({}))).unwrap();
    }

    pub fn click_css(&self, css: &str) {
        let e = self.wait(css);
        self.click(&e);
    }

    pub fn type_keys(&self, e: &Element, text: &str) {
        call(
            "POST",
            &self.url(&format!("/element/{}/value", e.0)),
            Some(json!({"text": text})),
        )
        .unwrap();
    }

    /// Replace what a field holds with `text`, as a user does: select what is there, type.
    /// (WebDriver's clear would fire a change event of its own.)
    pub fn fill(&self, css: &str, text: &str) {
        let e = self.wait(css);
        self.click(&e);
        self.script("document.querySelector(arguments[0]).select();", json!([css]));
        self.type_keys(&e, text);
    }

    pub fn text(&self, e: &Element) -> String {
        call("GET", &self.url(&format!("/element/{}/text", e.0)), None)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    pub fn value(&self, e: &Element) -> String {
        call("GET", &self.url(&format!("/element/{}/property/value", e.0)), None)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    pub fn script(&self, js: &str, args: Value) -> Value {
        call(
            "POST",
            &self.url("/execute/sync"),
            Some(json!({"script": js, "args": args})),
        )
        .unwrap()
    }

    /// Run a script that calls its last argument when done; returns what it passed.
    pub fn script_async(&self, js: &str, args: Value) -> Value {
        call(
            "POST",
            &self.url("/execute/async"),
            Some(json!({"script": js, "args": args})),
        )
        .unwrap()
    }

    /// Choose an option of a <select> by its value (as picking it from the list does:
    /// the change event fires).
    pub fn select(&self, css: &str, value: &str) {
        self.wait(css);
        self.script(
            "const s = document.querySelector(arguments[0]); s.focus(); s.value = arguments[1]; \
             s.dispatchEvent(new Event('change', {bubbles: true}));",
            json!([css, value]),
        );
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

pub fn artifacts_dir() -> std::path::PathBuf {
    std::env::var_os("KIEMTRA_ARTIFACTS")
        .map(Into::into)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/artifacts"))
}
