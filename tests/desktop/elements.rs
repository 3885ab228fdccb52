//! What the end-to-end tests do with the window's elements, over the WebDriver session of
//! `webdriver.rs`: find them, click, type, read their text and value, choose an option.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::webdriver::{call, Session, ELEMENT};

#[derive(Clone)]
pub struct Element(String);

pub const ENTER: &str = "\u{E007}";
pub const TAB: &str = "\u{E004}";

impl Session {
    pub fn find(&self, css: &str) -> Result<Element, String> {
        self.find_id(css).map(Element)
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
        Element(self.wait_id(css))
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

    /// An attribute of an element, None when it has none.
    pub fn attr(&self, e: &Element, name: &str) -> Option<String> {
        call("GET", &self.url(&format!("/element/{}/attribute/{name}", e.0)), None)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
    }

    /// The `data-test` of the element that has the focus ("" when it has none).
    pub fn focused(&self) -> String {
        self.script("return document.activeElement?.dataset?.test ?? '';", json!([]))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// Wait until `cond` holds (20 s at most; then a screenshot and a failure naming `what`).
pub fn until(s: &Session, what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        if start.elapsed() > Duration::from_secs(20) {
            s.screenshot("failure-until");
            panic!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The units the plan table lists, in order.
pub fn rows(s: &Session) -> Vec<String> {
    s.script(
        "return Array.from(document.querySelectorAll('[data-test=unit-row]')).map((r) => r.dataset.unit);",
        json!([]),
    )
    .as_array()
    .unwrap()
    .iter()
    .map(|v| v.as_str().unwrap_or_default().to_string())
    .collect()
}

/// The plan table's units, once it lists `n` of them.
pub fn wait_rows(s: &Session, n: usize) -> Vec<String> {
    until(s, &format!("{n} unit rows"), || {
        s.find_all("[data-test=unit-row]").len() == n
    });
    rows(s)
}
