//! Checklist templates (bộ tiêu chí): a human-editable TOML file, parsed strictly and
//! validated so that a province's edited copy is refused with a message naming the item
//! and the field at fault. Two defaults (sở; xã/phường) ship inside the binary.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::domain::figures;
use crate::domain::model::TemplateKind;
use crate::domain::text::nfc;
use crate::error::{Error, Result};

pub const DEFAULT_SO: &str = include_str!("../../../../assets/templates/so-2026.toml");
pub const DEFAULT_XA: &str = include_str!("../../../../assets/templates/xa-2026.toml");
/// The default for an agency's internal inspection of its phòng, ban and đơn vị.
pub const DEFAULT_CO_QUAN: &str = include_str!("../../../../assets/templates/co-quan-2026.toml");

/// How an item is scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// Đạt / không đạt: full points or 0.
    Done,
    /// Levels, each a fraction of the maximum (on time: full; late: half; missing: 0).
    Graded { levels: Vec<Level> },
    /// A rate from two figures against thresholds in percent, highest first.
    Ratio {
        numerator: String,
        denominator: String,
        thresholds: Vec<Threshold>,
    },
    /// Minus `per` points for each occurrence counted by `figure`, floored at 0.
    Penalty { figure: String, per: f64 },
    /// The team judges a score between 0 and the maximum.
    Manual,
    /// Survey, bonus and penalty parts an on-site inspection does not observe.
    NotObserved { reason: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub key: String,
    pub label: String,
    pub fraction: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub min: f64,
    pub fraction: f64,
}

impl Rule {
    pub fn type_name(&self) -> &'static str {
        match self {
            Rule::Done => "done",
            Rule::Graded { .. } => "graded",
            Rule::Ratio { .. } => "ratio",
            Rule::Penalty { .. } => "penalty",
            Rule::Manual => "manual",
            Rule::NotObserved { .. } => "not_observed",
        }
    }

    /// A short Vietnamese description of the rule, for the checklist screen.
    pub fn describe(&self) -> String {
        match self {
            Rule::Done => "Đạt: đủ điểm; không đạt: 0".into(),
            Rule::Graded { levels } => levels
                .iter()
                .map(|l| {
                    format!(
                        "{}: {}",
                        l.label,
                        crate::domain::text::fmt_num(l.fraction * 100.0, 0) + " %"
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            Rule::Ratio {
                numerator,
                denominator,
                thresholds,
            } => {
                let mut s = format!(
                    "{} / {}: ",
                    figures::label(numerator),
                    crate::domain::text::lower_first(figures::label(denominator))
                );
                let parts: Vec<String> = thresholds
                    .iter()
                    .map(|t| {
                        format!(
                            "≥ {} % → {} %",
                            crate::domain::text::fmt_num(t.min, 2),
                            crate::domain::text::fmt_num(t.fraction * 100.0, 0)
                        )
                    })
                    .collect();
                s.push_str(&parts.join("; "));
                s.push_str("; thấp hơn → 0");
                s
            }
            Rule::Penalty { figure, per } => format!(
                "Trừ {} điểm mỗi lần ({}), tối thiểu 0",
                crate::domain::text::fmt_score(*per),
                crate::domain::text::lower_first(figures::label(figure))
            ),
            Rule::Manual => "Đoàn kiểm tra chấm từ 0 đến điểm tối đa".into(),
            Rule::NotObserved { reason } => format!("Không chấm khi kiểm tra: {reason}"),
        }
    }
}

// ---- the file as written -------------------------------------------------------------
// Read as plain TOML tables and checked key by key, so that every refusal names the item
// and the field in Vietnamese.

struct FileArea {
    code: String,
    title: String,
}

struct FileItem {
    code: String,
    text: String,
    max: Option<f64>,
    rule: Option<toml::Value>,
    guide: Option<String>,
}

fn toml_type(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "chuỗi",
        toml::Value::Integer(_) | toml::Value::Float(_) => "số",
        toml::Value::Boolean(_) => "đúng/sai",
        toml::Value::Datetime(_) => "ngày giờ",
        toml::Value::Array(_) => "danh sách",
        toml::Value::Table(_) => "bảng",
    }
}

fn check_keys(t: &toml::Table, who: &str, allowed: &[&str]) -> Result<()> {
    for k in t.keys() {
        if !allowed.contains(&k.as_str()) {
            return Err(terr(
                who,
                k,
                format!(
                    "trường «{k}» không có trong định dạng (chỉ nhận: {})",
                    allowed.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

fn get_str(t: &toml::Table, who: &str, key: &str, required: bool) -> Result<Option<String>> {
    match t.get(key) {
        None if required => Err(terr(who, key, "thiếu trường này")),
        None => Ok(None),
        Some(toml::Value::String(v)) => Ok(Some(v.clone())),
        Some(v) => Err(terr(who, key, format!("phải là chuỗi, không phải {}", toml_type(v)))),
    }
}

fn get_num(t: &toml::Table, who: &str, key: &str) -> Result<Option<f64>> {
    match t.get(key) {
        None => Ok(None),
        Some(toml::Value::Float(v)) => Ok(Some(*v)),
        Some(toml::Value::Integer(v)) => Ok(Some(*v as f64)),
        Some(v) => Err(terr(who, key, format!("phải là số, không phải {}", toml_type(v)))),
    }
}

fn get_tables<'a>(t: &'a toml::Table, key: &str) -> Result<Vec<&'a toml::Table>> {
    match t.get(key) {
        None => Ok(vec![]),
        Some(toml::Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_table()
                    .ok_or_else(|| terr("tệp", key, format!("mỗi [[{key}]] phải là một bảng")))
            })
            .collect(),
        Some(_) => Err(terr("tệp", key, format!("phải viết dạng [[{key}]]"))),
    }
}

/// serde's English wording of a malformed rule, said in Vietnamese.
fn vi_serde(msg: &str) -> String {
    let tick = |m: &str| m.split('`').nth(1).unwrap_or("").to_string();
    if msg.starts_with("missing field") {
        format!("thiếu trường «{}»", tick(msg))
    } else if msg.starts_with("unknown field") {
        format!("trường «{}» không có trong định dạng", tick(msg))
    } else if msg.starts_with("invalid type") {
        "sai kiểu dữ liệu (số, chuỗi hay danh sách)".into()
    } else {
        format!("không đúng dạng ({msg})")
    }
}

// ---- the validated template ----------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Template {
    pub kind: TemplateKind,
    pub version: String,
    pub name: String,
    pub note: Option<String>,
    pub areas: Vec<Area>,
    /// Criteria and sub-criteria, parents before their children, in file order.
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Area {
    pub code: String,
    pub title: String,
    pub max: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub code: String,
    pub area: String,
    /// The criterion a sub-criterion belongs to.
    pub parent: Option<String>,
    pub text: String,
    /// For a criterion with sub-criteria: the sum of theirs.
    pub max: f64,
    /// None for a criterion with sub-criteria (it is scored by them).
    pub rule: Option<Rule>,
    pub guide: Option<String>,
}

impl Item {
    pub fn is_leaf(&self) -> bool {
        self.rule.is_some()
    }
    pub fn observed(&self) -> bool {
        !matches!(self.rule, Some(Rule::NotObserved { .. }))
    }
}

impl Template {
    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.code == code)
    }
    pub fn area(&self, code: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.code == code)
    }
    pub fn total_max(&self) -> f64 {
        self.areas.iter().map(|a| a.max).sum()
    }
    pub fn leaves(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.is_leaf())
    }
}

const RULE_TYPES: &[&str] = &["done", "graded", "ratio", "penalty", "manual", "not_observed"];

fn terr(item: &str, field: &str, message: impl Into<String>) -> Error {
    Error::Template {
        item: item.to_string(),
        field: field.to_string(),
        message: message.into(),
    }
}

fn is_quarter(x: f64) -> bool {
    ((x * 4.0) - (x * 4.0).round()).abs() < 1e-9
}

/// Parse and validate a template file.
pub fn parse(source: &str) -> Result<Template> {
    let doc: toml::Table = source.parse().map_err(|e: toml::de::Error| {
        let span = e
            .span()
            .map(|s| {
                let line = source[..s.start.min(source.len())].matches('\n').count() + 1;
                format!(" ở dòng {line}")
            })
            .unwrap_or_default();
        terr(
            "tệp",
            "cú pháp",
            format!("tệp không đúng cú pháp TOML{span} ({})", e.message().trim()),
        )
    })?;
    check_keys(&doc, "tệp", &["kind", "version", "name", "note", "area", "item"])?;
    let kind_s = get_str(&doc, "tệp", "kind", true)?.unwrap_or_default();
    let kind = match kind_s.trim() {
        "so" => TemplateKind::So,
        "xa" => TemplateKind::Xa,
        "co_quan" => TemplateKind::CoQuan,
        other => {
            return Err(terr(
                "tệp",
                "kind",
                format!("loại đơn vị «{other}» không hợp lệ (chỉ nhận «so» cho sở, «xa» cho xã, phường, «co_quan» cho phòng, ban, đơn vị của một cơ quan)"),
            ))
        }
    };
    let version = nfc(&get_str(&doc, "tệp", "version", true)?.unwrap_or_default());
    if version.is_empty() {
        return Err(terr("tệp", "version", "thiếu phiên bản"));
    }
    let name = nfc(&get_str(&doc, "tệp", "name", true)?.unwrap_or_default());
    if name.is_empty() {
        return Err(terr("tệp", "name", "thiếu tên bộ tiêu chí"));
    }
    let note = get_str(&doc, "tệp", "note", false)?;
    let mut file_areas = vec![];
    for (i, t) in get_tables(&doc, "area")?.into_iter().enumerate() {
        let who = t
            .get("code")
            .and_then(|c| c.as_str())
            .map(String::from)
            .unwrap_or(format!("lĩnh vực thứ {}", i + 1));
        check_keys(t, &who, &["code", "title"])?;
        file_areas.push(FileArea {
            code: get_str(t, &who, "code", true)?.unwrap_or_default(),
            title: get_str(t, &who, "title", true)?.unwrap_or_default(),
        });
    }
    let mut file_items = vec![];
    for (i, t) in get_tables(&doc, "item")?.into_iter().enumerate() {
        let who = t
            .get("code")
            .and_then(|c| c.as_str())
            .map(String::from)
            .unwrap_or(format!("mục thứ {}", i + 1));
        check_keys(t, &who, &["code", "text", "max", "rule", "guide"])?;
        file_items.push(FileItem {
            code: get_str(t, &who, "code", true)?.unwrap_or_default(),
            text: get_str(t, &who, "text", true)?.unwrap_or_default(),
            max: get_num(t, &who, "max")?,
            rule: t.get("rule").cloned(),
            guide: get_str(t, &who, "guide", false)?,
        });
    }
    if file_areas.is_empty() {
        return Err(terr("tệp", "area", "chưa có lĩnh vực nào"));
    }

    let mut areas: Vec<Area> = Vec::new();
    for a in &file_areas {
        let code = a.code.trim().to_string();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(terr(&a.code, "code", "mã lĩnh vực phải là số (1, 2, …)"));
        }
        if areas.iter().any(|x| x.code == code) {
            return Err(terr(&code, "code", "mã lĩnh vực bị trùng"));
        }
        let title = nfc(&a.title);
        if title.is_empty() {
            return Err(terr(&code, "title", "thiếu tên lĩnh vực"));
        }
        areas.push(Area { code, title, max: 0.0 });
    }

    let mut items: Vec<Item> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for fi in &file_items {
        let code = fi.code.trim().to_string();
        let parts: Vec<&str> = code.split('.').collect();
        if !(2..=3).contains(&parts.len())
            || parts
                .iter()
                .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(terr(
                &code,
                "code",
                "mã phải có dạng «lĩnh vực.tiêu chí» (3.2) hoặc «lĩnh vực.tiêu chí.tiêu chí thành phần» (3.2.1)",
            ));
        }
        if !seen.insert(code.clone()) {
            return Err(terr(&code, "code", "mã bị trùng"));
        }
        let area = parts[0].to_string();
        if !areas.iter().any(|a| a.code == area) {
            return Err(terr(&code, "code", format!("lĩnh vực «{area}» không có trong tệp")));
        }
        let parent = if parts.len() == 3 {
            let p = format!("{}.{}", parts[0], parts[1]);
            if !seen.contains(&p) {
                return Err(terr(&code, "code", format!("tiêu chí cha «{p}» phải đứng trước")));
            }
            Some(p)
        } else {
            None
        };
        let text = nfc(&fi.text);
        if text.is_empty() {
            return Err(terr(&code, "text", "thiếu nội dung"));
        }
        let rule = match &fi.rule {
            None => None,
            Some(v) => Some(parse_rule(&code, v)?),
        };
        if let Some(m) = fi.max {
            if !m.is_finite() || m <= 0.0 {
                return Err(terr(&code, "max", "điểm tối đa phải lớn hơn 0"));
            }
            if !is_quarter(m) {
                return Err(terr(&code, "max", "điểm tối đa phải là bội của 0,25"));
            }
        }
        if let Some(Rule::Penalty { per, .. }) = &rule {
            if let Some(m) = fi.max {
                if *per > m {
                    return Err(terr(&code, "rule.per", "điểm trừ mỗi lần lớn hơn điểm tối đa"));
                }
            }
        }
        items.push(Item {
            code,
            area,
            parent,
            text,
            max: fi.max.unwrap_or(0.0),
            rule,
            guide: fi.guide.as_deref().map(nfc).filter(|g| !g.is_empty()),
        });
    }

    // Criteria with sub-criteria take neither max nor rule; leaves need both.
    let has_children: HashSet<String> = items.iter().filter_map(|i| i.parent.clone()).collect();
    for (fi, it) in file_items.iter().zip(items.iter()) {
        if has_children.contains(&it.code) {
            if fi.rule.is_some() {
                return Err(terr(
                    &it.code,
                    "rule",
                    "tiêu chí có tiêu chí thành phần thì không ghi quy tắc chấm",
                ));
            }
            if fi.max.is_some() {
                return Err(terr(&it.code, "max", "tiêu chí có tiêu chí thành phần thì điểm tối đa là tổng của các tiêu chí thành phần, không ghi riêng"));
            }
        } else {
            if fi.max.is_none() {
                return Err(terr(&it.code, "max", "thiếu điểm tối đa"));
            }
            if it.rule.is_none() {
                return Err(terr(&it.code, "rule", "thiếu quy tắc chấm điểm"));
            }
        }
    }
    // Parent max = sum of children.
    let mut sums: HashMap<String, f64> = HashMap::new();
    for it in &items {
        if let Some(p) = &it.parent {
            *sums.entry(p.clone()).or_default() += it.max;
        }
    }
    for it in items.iter_mut() {
        if let Some(s) = sums.get(&it.code) {
            it.max = *s;
        }
    }
    for a in areas.iter_mut() {
        a.max = items
            .iter()
            .filter(|i| i.area == a.code && i.parent.is_none())
            .map(|i| i.max)
            .sum();
        if a.max <= 0.0 {
            return Err(terr(&a.code, "area", "lĩnh vực chưa có tiêu chí nào"));
        }
    }
    let total: f64 = areas.iter().map(|a| a.max).sum();
    if (total - 100.0).abs() > 1e-6 {
        return Err(terr(
            "tệp",
            "max",
            format!(
                "tổng điểm tối đa các tiêu chí là {}, phải đúng 100 ({})",
                crate::domain::text::fmt_score(total),
                areas
                    .iter()
                    .map(|a| format!("lĩnh vực {}: {}", a.code, crate::domain::text::fmt_score(a.max)))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        ));
    }

    Ok(Template {
        kind,
        version,
        name,
        note: note.as_deref().map(nfc).filter(|n| !n.is_empty()),
        areas,
        items,
    })
}

fn parse_rule(code: &str, v: &toml::Value) -> Result<Rule> {
    if !v.is_table() {
        return Err(terr(
            code,
            "rule",
            "quy tắc phải là một bảng, ví dụ rule = { type = \"done\" }",
        ));
    }
    let ty = v
        .get("type")
        .and_then(|t| t.as_str())
        .ok_or_else(|| terr(code, "rule.type", "thiếu loại quy tắc (type)"))?;
    if !RULE_TYPES.contains(&ty) {
        return Err(terr(
            code,
            "rule.type",
            format!(
                "loại quy tắc «{ty}» không tồn tại (chỉ nhận: {})",
                RULE_TYPES.join(", ")
            ),
        ));
    }
    let rule: Rule = v
        .clone()
        .try_into()
        .map_err(|e: toml::de::Error| terr(code, "rule", format!("quy tắc «{ty}»: {}", vi_serde(e.message()))))?;
    let fig = |field: &str, key: &str| -> Result<()> {
        if figures::figure(key).is_none() {
            return Err(terr(
                code,
                field,
                format!("chỉ số «{key}» không tồn tại (xem danh sách chỉ số: kiemtra figure keys)"),
            ));
        }
        Ok(())
    };
    match &rule {
        Rule::Graded { levels } => {
            if levels.len() < 2 {
                return Err(terr(code, "rule.levels", "cần ít nhất hai mức"));
            }
            let mut keys = HashSet::new();
            for l in levels {
                let key_ok = !l.key.is_empty()
                    && l.key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !key_ok {
                    return Err(terr(
                        code,
                        "rule.levels",
                        format!(
                            "mã mức «{}» chỉ được gồm chữ thường không dấu, chữ số và dấu gạch dưới (ví dụ dung_han)",
                            l.key
                        ),
                    ));
                }
                if !keys.insert(l.key.as_str()) {
                    return Err(terr(code, "rule.levels", format!("mã mức «{}» bị trùng", l.key)));
                }
                if l.label.trim().is_empty() {
                    return Err(terr(code, "rule.levels", format!("mức «{}» thiếu tên (label)", l.key)));
                }
                if !(0.0..=1.0).contains(&l.fraction) {
                    return Err(terr(
                        code,
                        "rule.levels",
                        format!("mức «{}»: tỷ lệ điểm phải từ 0 đến 1", l.key),
                    ));
                }
            }
            if !levels.iter().any(|l| (l.fraction - 1.0).abs() < 1e-9) {
                return Err(terr(code, "rule.levels", "cần một mức đạt đủ điểm (fraction = 1)"));
            }
        }
        Rule::Ratio {
            numerator,
            denominator,
            thresholds,
        } => {
            fig("rule.numerator", numerator)?;
            fig("rule.denominator", denominator)?;
            if thresholds.is_empty() {
                return Err(terr(code, "rule.thresholds", "cần ít nhất một ngưỡng"));
            }
            for w in thresholds.windows(2) {
                if w[1].min >= w[0].min || w[1].fraction > w[0].fraction {
                    return Err(terr(code, "rule.thresholds", "các ngưỡng phải xếp từ cao xuống thấp"));
                }
            }
            for t in thresholds {
                if !(0.0..=100.0).contains(&t.min) || !(0.0..=1.0).contains(&t.fraction) {
                    return Err(terr(
                        code,
                        "rule.thresholds",
                        "ngưỡng phải từ 0 đến 100 %, tỷ lệ điểm từ 0 đến 1",
                    ));
                }
            }
        }
        Rule::Penalty { figure, per } => {
            fig("rule.figure", figure)?;
            if !per.is_finite() || *per <= 0.0 {
                return Err(terr(code, "rule.per", "điểm trừ mỗi lần phải lớn hơn 0"));
            }
        }
        Rule::NotObserved { reason } if reason.trim().is_empty() => {
            return Err(terr(code, "rule.reason", "cần ghi lý do không chấm"));
        }
        _ => {}
    }
    Ok(rule)
}

/// The shipped default for a kind.
pub fn default_source(kind: TemplateKind) -> &'static str {
    match kind {
        TemplateKind::So => DEFAULT_SO,
        TemplateKind::Xa => DEFAULT_XA,
        TemplateKind::CoQuan => DEFAULT_CO_QUAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_realistic_and_total_100() {
        for (src, kind) in [(DEFAULT_SO, TemplateKind::So), (DEFAULT_XA, TemplateKind::Xa)] {
            let t = parse(src).unwrap();
            assert_eq!(t.kind, kind);
            assert!((t.total_max() - 100.0).abs() < 1e-9);
            let scored = t.leaves().filter(|i| i.observed()).count();
            assert!(scored >= 40, "{kind:?}: only {scored} scored items");
            assert!(t.leaves().any(|i| !i.observed()), "survey/bonus part kept");
            // the on-time threshold rule and a per-occurrence penalty are present
            assert!(t.leaves().any(
                |i| matches!(&i.rule, Some(Rule::Ratio { numerator, denominator, thresholds })
                if numerator == "ho_so_dung_han" && denominator == "ho_so_da_giai_quyet"
                && thresholds.iter().map(|t| t.min).collect::<Vec<_>>() == vec![100.0, 98.0, 95.0, 90.0])
            ));
            assert!(t
                .leaves()
                .any(|i| matches!(&i.rule, Some(Rule::Penalty { figure, .. }) if figure == "bao_cao_tre_han")));
            for a in 1..=7 {
                assert!(t.area(&a.to_string()).is_some());
            }
        }
    }

    #[test]
    fn the_agency_default_covers_the_reform_areas_modestly_and_totals_100() {
        let t = parse(DEFAULT_CO_QUAN).unwrap();
        assert_eq!(t.kind, TemplateKind::CoQuan);
        assert!((t.total_max() - 100.0).abs() < 1e-9);
        for a in 1..=7 {
            let area = t.area(&a.to_string()).expect("every reform area");
            let n = t.leaves().filter(|i| i.area == area.code).count();
            assert!((2..=5).contains(&n), "area {a}: {n} criteria");
        }
        assert!(
            t.leaves().any(|i| !i.observed()),
            "a part the inspection does not score"
        );
        assert_eq!(default_source(TemplateKind::CoQuan), DEFAULT_CO_QUAN);
    }

    const MINI: &str = r#"
kind = "xa"
version = "t1"
name = "Thử"
[[area]]
code = "1"
title = "Chỉ đạo"
[[item]]
code = "1.1"
text = "Kế hoạch"
max = 60.0
rule = { type = "done" }
[[item]]
code = "1.2"
text = "Hồ sơ"
[[item]]
code = "1.2.1"
text = "Đúng hạn"
max = 40.0
rule = { type = "ratio", numerator = "ho_so_dung_han", denominator = "ho_so_da_giai_quyet", thresholds = [ { min = 100.0, fraction = 1.0 }, { min = 98.0, fraction = 0.75 } ] }
"#;

    #[test]
    fn a_small_template_parses_with_parent_sums() {
        let t = parse(MINI).unwrap();
        assert_eq!(t.item("1.2").unwrap().max, 40.0);
        assert!(!t.item("1.2").unwrap().is_leaf());
        assert_eq!(t.area("1").unwrap().max, 100.0);
    }

    fn refused(src: &str) -> String {
        parse(src).unwrap_err().to_string()
    }

    #[test]
    fn malformed_templates_name_the_item_and_field() {
        let e = refused(&MINI.replace("max = 60.0", "max = 50.0"));
        assert!(e.contains("tổng điểm tối đa") && e.contains("90"), "{e}");
        let e = refused(&MINI.replace("type = \"done\"", "type = \"maybe\""));
        assert!(
            e.contains("«1.1»") && e.contains("rule.type") && e.contains("maybe"),
            "{e}"
        );
        let e = refused(&MINI.replace("code = \"1.2.1\"", "code = \"1.1\""));
        assert!(e.contains("«1.1»") && e.contains("trùng"), "{e}");
        let e = refused(&MINI.replace("numerator = \"ho_so_dung_han\"", "numerator = \"ho_so_bay\""));
        assert!(
            e.contains("«1.2.1»") && e.contains("rule.numerator") && e.contains("ho_so_bay"),
            "{e}"
        );
        let e = refused(&MINI.replace("kind = \"xa\"", "kind = \"huyen\""));
        assert!(e.contains("kind"), "{e}");
        let e = refused(&MINI.replace("text = \"Kế hoạch\"", "text = \"Kế hoạch\"\ncolour = 1"));
        assert!(
            e.contains("mục «1.1», trường «colour»") && e.contains("không có trong định dạng"),
            "{e}"
        );
        let e = refused(&MINI.replace("max = 60.0", "max = \"sáu mươi\""));
        assert!(e.contains("mục «1.1», trường «max»: phải là số"), "{e}");
        let e = refused(&MINI.replace("rule = { type = \"done\" }", "rule = { type = \"graded\" }"));
        assert!(
            e.contains("mục «1.1», trường «rule»") && e.contains("thiếu trường «levels»"),
            "{e}"
        );
        let e = refused(&MINI.replace(
            "rule = { type = \"done\" }",
            "rule = { type = \"graded\", levels = [ { key = \"Đúng-hạn\", label = \"Đúng hạn\", fraction = 1.0 }, { key = \"cham\", label = \"Chậm\", fraction = 0.5 } ] }",
        ));
        assert!(e.contains("«1.1»") && e.contains("mã mức «Đúng-hạn»"), "{e}");
        let e = refused("kind = \"xa\"\nversion = \n");
        assert!(e.contains("cú pháp TOML ở dòng 2"), "{e}");
    }
}
