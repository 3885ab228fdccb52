//! Hybrid logical clocks and version vectors.
//!
//! A clock is physical milliseconds, a counter for changes in the same millisecond (or made
//! while the wall clock was behind the last clock), and the device that made the change.
//! Clocks compare as numbers — (ms, counter, device) — never as text: a counter past 99 999
//! is written with more digits and would sort before its predecessors as a string.
//!
//! A version vector is, for one field, the newest clock of each device that a laptop has
//! merged. A version "saw" another when its vector covers the other's; two versions that do
//! not cover each other were made concurrently, and both are kept until someone chooses.
//!
//! Everything here is pure: no clock is read, nothing is random, nothing is stored.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The largest millisecond a clock writes (13 digits: the year 2286).
pub const MAX_MS: u64 = 9_999_999_999_999;
/// The longest clock accepted, in bytes.
pub const MAX_LEN: usize = 100;

/// The device of the origin versions of what the app ships ([`Hlc::origin`]): no laptop's
/// (laptops are UUIDs).
pub const ORIGIN_DEVICE: &str = "du-lieu-goc";

/// A hybrid logical clock. Text form: "<ms, 13 digits>-<counter, at least 5 digits>-<device>",
/// e.g. "1790000000000-00001-5f0c…"; the counter takes more digits from 100 000 on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hlc {
    pub ms: u64,
    pub counter: u32,
    pub device: String,
}

/// A text that is not a clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadClock;

impl fmt::Display for BadClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("đồng hồ không hợp lệ")
    }
}

impl std::error::Error for BadClock {}

/// "<13 digits>-<5 or more digits>" in canonical form (no padding beyond the minimum width).
fn parse_stamp(s: &str) -> Result<(u64, u32), BadClock> {
    let (ms, counter) = s.split_once('-').ok_or(BadClock)?;
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if ms.len() != 13 || !digits(ms) || counter.len() < 5 || !digits(counter) {
        return Err(BadClock);
    }
    // One text per clock: a counter longer than five digits has no leading zero.
    if counter.len() > 5 && counter.starts_with('0') {
        return Err(BadClock);
    }
    let ms: u64 = ms.parse().map_err(|_| BadClock)?;
    let counter: u32 = counter.parse().map_err(|_| BadClock)?;
    Ok((ms, counter))
}

fn valid_device(d: &str) -> bool {
    !d.is_empty() && d.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

impl Hlc {
    pub fn new(ms: u64, counter: u32, device: impl Into<String>) -> Hlc {
        Hlc {
            ms,
            counter,
            device: device.into(),
        }
    }

    /// The clock of the next change on `device`: the wall clock `now_ms` when it is ahead of
    /// the last clock `last`, else the last clock's millisecond with the counter one up. The
    /// counter never wraps: past its largest value the millisecond moves on instead.
    pub fn next(last: Option<(u64, u32)>, now_ms: u64, device: &str) -> Hlc {
        let now_ms = now_ms.min(MAX_MS);
        let (ms, counter) = match last {
            Some((lms, lc)) if lms >= now_ms => match lc.checked_add(1) {
                Some(c) => (lms, c),
                None if lms < MAX_MS => (lms + 1, 0),
                None => (lms, lc),
            },
            _ => (now_ms, 0),
        };
        Hlc::new(ms, counter, device)
    }

    /// The clock of the origin version of a value the app itself ships (the sample plan's
    /// records, a checklist, whose id is its content's hash): millisecond 0, so before any
    /// real change; device [`ORIGIN_DEVICE`]; and a counter taken from the value (`None`:
    /// no value), so that it is the same on every laptop for the same value, and two
    /// laptops whose shipped copies differ (an older app's sample) still settle on the same
    /// one of them. Its version vector is empty: it has seen nothing, and every real change
    /// covers it.
    pub fn origin(value: Option<&str>) -> Hlc {
        let digest = crate::domain::digest::sha256_hex(value.unwrap_or("\u{0}null").as_bytes());
        let counter = u32::from_str_radix(&digest[..8], 16).expect("hex digits");
        Hlc::new(0, counter, ORIGIN_DEVICE)
    }

    /// Whether this is the clock of an origin version ([`Hlc::origin`]).
    pub fn is_origin(&self) -> bool {
        self.ms == 0 && self.device == ORIGIN_DEVICE
    }

    /// The time part, "<ms>-<counter>", as the store keeps its last clock.
    pub fn stamp(&self) -> String {
        format!("{:013}-{:05}", self.ms, self.counter)
    }

    /// Read a time part written by [`Hlc::stamp`].
    pub fn parse_stamp(s: &str) -> Result<(u64, u32), BadClock> {
        if s.len() > MAX_LEN {
            return Err(BadClock);
        }
        parse_stamp(s)
    }

    /// Milliseconds and counter, what orders clocks of different devices first.
    pub fn time(&self) -> (u64, u32) {
        (self.ms, self.counter)
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:013}-{:05}-{}", self.ms, self.counter, self.device)
    }
}

impl FromStr for Hlc {
    type Err = BadClock;

    fn from_str(s: &str) -> Result<Hlc, BadClock> {
        if s.len() > MAX_LEN {
            return Err(BadClock);
        }
        // The time part has exactly two dashes; the device may have more.
        let second = s
            .char_indices()
            .filter(|(_, c)| *c == '-')
            .nth(1)
            .map(|(i, _)| i)
            .ok_or(BadClock)?;
        let (ms, counter) = parse_stamp(&s[..second])?;
        let device = &s[second + 1..];
        if !valid_device(device) {
            return Err(BadClock);
        }
        Ok(Hlc::new(ms, counter, device))
    }
}

impl serde::Serialize for Hlc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

struct HlcVisitor;

impl serde::de::Visitor<'_> for HlcVisitor {
    type Value = Hlc;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a clock \"<13 digits>-<5 or more digits>-<device>\"")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Hlc, E> {
        v.parse().map_err(E::custom)
    }
}

impl<'de> serde::Deserialize<'de> for Hlc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Hlc, D::Error> {
        d.deserialize_str(HlcVisitor)
    }
}

/// A clock that may be absent (a value nobody has changed), written "" when it is.
pub mod opt {
    use super::Hlc;

    pub fn serialize<S: serde::Serializer>(h: &Option<Hlc>, s: S) -> Result<S::Ok, S::Error> {
        match h {
            Some(h) => s.collect_str(h),
            None => s.serialize_str(""),
        }
    }

    struct V;

    impl serde::de::Visitor<'_> for V {
        type Value = Option<Hlc>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a clock or \"\"")
        }

        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<Hlc>, E> {
            if v.is_empty() {
                Ok(None)
            } else {
                v.parse().map(Some).map_err(E::custom)
            }
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Hlc>, D::Error> {
        d.deserialize_str(V)
    }
}

/// Device id → the newest clock of that device merged.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Vv(pub BTreeMap<String, Hlc>);

impl Vv {
    /// Read a vector as the store keeps it (JSON); a damaged one is an error, never empty.
    pub fn parse(json: &str) -> Result<Vv, serde_json::Error> {
        serde_json::from_str(json)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).expect("a map of clocks serialises")
    }

    pub fn set(&mut self, device: &str, hlc: &Hlc) {
        match self.0.get_mut(device) {
            Some(e) if *e >= *hlc => {}
            Some(e) => *e = hlc.clone(),
            None => {
                self.0.insert(device.to_string(), hlc.clone());
            }
        }
    }

    pub fn join(&mut self, other: &Vv) {
        for (d, h) in &other.0 {
            self.set(d, h);
        }
    }

    /// Every change this vector records, `other` records too.
    pub fn le(&self, other: &Vv) -> bool {
        self.0.iter().all(|(d, h)| other.0.get(d).is_some_and(|o| o >= h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Hlc {
        s.parse().unwrap_or_else(|_| panic!("{s} is a clock"))
    }

    fn vv(pairs: &[(&str, &str)]) -> Vv {
        Vv(pairs.iter().map(|(a, b)| (a.to_string(), h(b))).collect())
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
    }

    #[test]
    fn todays_format_reads_unchanged() {
        let s = "1790000000000-00001-5f0c2e1a-7b3d-4c11-9a2e-0c1d2e3f4a5b";
        let c = h(s);
        assert_eq!((c.ms, c.counter), (1_790_000_000_000, 1));
        assert_eq!(c.device, "5f0c2e1a-7b3d-4c11-9a2e-0c1d2e3f4a5b");
        assert_eq!(c.to_string(), s, "written back as it was");
        assert_eq!(h("0000000000001-00000-A").to_string(), "0000000000001-00000-A");
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, format!("\"{s}\""));
        assert_eq!(serde_json::from_str::<Hlc>(&json).unwrap(), c);
    }

    #[test]
    fn a_counter_past_99_999_orders_after_it() {
        let before = h("1900000000000-99999-A");
        let after = Hlc::new(1_900_000_000_000, 100_000, "A");
        assert_eq!(after.to_string(), "1900000000000-100000-A");
        assert_eq!(h("1900000000000-100000-A"), after, "the wider counter reads back");
        assert!(after > before, "numeric order, not text order");
        assert!(after.to_string() < before.to_string(), "(as text it would sort first)");
        assert!(
            Hlc::new(1_900_000_000_001, 0, "A") > after,
            "a later millisecond is later"
        );
        // The device breaks ties only.
        assert!(h("1900000000000-00001-A") < h("1900000000000-00001-B"));
        assert!(h("1900000000000-00002-A") > h("1900000000000-00001-B"));
        let mut v = vv(&[("A", "1900000000000-99999-A")]);
        v.set("A", &after);
        assert_eq!(v.0["A"], after, "the vector keeps the newest");
        v.set("A", &before);
        assert_eq!(v.0["A"], after, "an older clock does not replace it");
        assert!(vv(&[("A", "1900000000000-99999-A")]).le(&v));
        assert!(!v.le(&vv(&[("A", "1900000000000-99999-A")])));
    }

    #[test]
    fn the_origin_is_before_any_change_and_the_same_everywhere() {
        let o = Hlc::origin(Some("Sở Nội vụ"));
        assert_eq!(o, Hlc::origin(Some("Sở Nội vụ")), "the same value, the same clock");
        assert_ne!(o, Hlc::origin(Some("Sở Tư pháp")), "another value, another clock");
        assert_ne!(Hlc::origin(None), Hlc::origin(Some("")));
        assert!(o.is_origin() && !Hlc::new(1, 0, "A").is_origin());
        assert!(o < Hlc::new(1, 0, "A"), "below any real clock");
        assert_eq!(o.to_string().parse::<Hlc>().unwrap(), o, "it reads back as a clock");
        // Nothing it has seen: any real change's vector covers it, none is covered by it.
        let real = vv(&[("A", "1790000000000-00000-A")]);
        assert!(Vv::default().le(&real) && !real.le(&Vv::default()));
    }

    #[test]
    fn garbage_is_refused() {
        let long = format!("1900000000000-00001-{}", "a".repeat(100));
        for bad in [
            "",
            "1-0-A",
            "0000000000001-00000-",
            "0000000000001-00000",
            "000000000001-00000-A",
            "00000000000001-00000-A",
            "0000000000001-0000-A",
            "0000000000001-000001-A",
            "0000000000001-99999999999-A",
            "0000000000001-00000-A B",
            "0000000000001-00000-Ä",
            "0000000000001-00000-A/..",
            "+000000000001-00000-A",
            "0000000000001--0000-A",
            long.as_str(),
        ] {
            assert!(bad.parse::<Hlc>().is_err(), "{bad:?} is not a clock");
        }
        assert!(serde_json::from_str::<Hlc>("\"1-0-A\"").is_err());
        assert!(serde_json::from_str::<Hlc>("17").is_err());
        assert!(Vv::parse("{\"A\":\"1-0-A\"}").is_err(), "a damaged vector is an error");
        assert!(Vv::parse("not json").is_err());
        assert_eq!(Vv::parse("{}").unwrap(), Vv::default());
    }

    #[test]
    fn the_next_clock_never_goes_back_and_never_wraps() {
        // The wall clock ahead: it is taken.
        assert_eq!(Hlc::next(Some((5, 7)), 9, "A"), Hlc::new(9, 0, "A"));
        assert_eq!(Hlc::next(None, 9, "A"), Hlc::new(9, 0, "A"));
        // Behind (or equal): the last millisecond, the counter up, past five digits.
        assert_eq!(Hlc::next(Some((50, 99_999)), 9, "A"), Hlc::new(50, 100_000, "A"));
        assert_eq!(Hlc::next(Some((9, 3)), 9, "A"), Hlc::new(9, 4, "A"));
        // The counter full: the millisecond moves on.
        assert_eq!(Hlc::next(Some((50, u32::MAX)), 9, "A"), Hlc::new(51, 0, "A"));
        let last = Hlc::next(Some((MAX_MS, u32::MAX)), 9, "A");
        assert_eq!(last.time(), (MAX_MS, u32::MAX), "saturates at the very end");
        assert_eq!(last.to_string().parse::<Hlc>().unwrap(), last);
        assert!(Hlc::next(None, u64::MAX, "A").to_string().parse::<Hlc>().is_ok());
        // The stamp the store keeps reads back.
        let c = Hlc::new(1_900_000_000_000, 100_001, "A");
        assert_eq!(c.stamp(), "1900000000000-100001");
        assert_eq!(Hlc::parse_stamp(&c.stamp()).unwrap(), c.time());
        assert_eq!(
            Hlc::parse_stamp("1790000000000-00042").unwrap(),
            (1_790_000_000_000, 42)
        );
        assert!(Hlc::parse_stamp("garbage").is_err());
    }
}
