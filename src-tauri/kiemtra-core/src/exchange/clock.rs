//! Version vectors: for one field, the newest clock of each device that a laptop has merged.
//! A version "saw" another when its vector covers the other's; two versions that do not
//! cover each other were made concurrently, and both are kept until someone chooses.

use std::collections::BTreeMap;

/// Device id → hybrid logical clock ("<13-digit ms>-<5-digit counter>-<device>"); clocks of
/// one device compare as strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Vv(pub BTreeMap<String, String>);

impl Vv {
    pub fn parse(json: &str) -> Vv {
        serde_json::from_str(json).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).expect("a map of strings serialises")
    }

    pub fn set(&mut self, device: &str, hlc: &str) {
        let e = self.0.entry(device.to_string()).or_default();
        if hlc > e.as_str() {
            *e = hlc.to_string();
        }
    }

    pub fn join(&mut self, other: &Vv) {
        for (d, h) in &other.0 {
            self.set(d, h);
        }
    }

    /// Every change this vector records, `other` records too.
    pub fn le(&self, other: &Vv) -> bool {
        self.0
            .iter()
            .all(|(d, h)| other.0.get(d).is_some_and(|o| o.as_str() >= h.as_str()))
    }
}

/// The device part of a clock.
pub fn device_of(hlc: &str) -> &str {
    hlc.get(20..).unwrap_or("")
}

/// "0001763900000000-00001-<uuid>": 13 digits, a dash, 5 digits, a dash, a device id.
pub fn valid_hlc(h: &str) -> bool {
    let b = h.as_bytes();
    b.len() > 20
        && b.len() <= 100
        && b[..13].iter().all(u8::is_ascii_digit)
        && b[13] == b'-'
        && b[14..19].iter().all(u8::is_ascii_digit)
        && b[19] == b'-'
        && h[20..].chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vv(pairs: &[(&str, &str)]) -> Vv {
        Vv(pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect())
    }

    #[test]
    fn concurrency_is_mutual_non_coverage() {
        let a = vv(&[("A", "0000000000001-00000-A")]);
        let b = vv(&[("B", "0000000000002-00000-B")]);
        let mut ab = a.clone();
        ab.join(&b);
        assert!(!a.le(&b) && !b.le(&a), "concurrent");
        assert!(a.le(&ab) && b.le(&ab), "the join saw both");
        assert!(Vv::default().le(&a));
        assert!(valid_hlc("0000000000001-00000-A") && !valid_hlc("1-0-A") && !valid_hlc("0000000000001-00000-"));
    }
}
