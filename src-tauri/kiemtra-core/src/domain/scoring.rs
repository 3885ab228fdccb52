//! Scores from responses and figures, by each item's rule. Nothing here is stored: a
//! score is always derived from what was recorded, so it can never disagree with it.

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::figures;
use crate::domain::model::Response;
use crate::domain::template::{Item, Rule, Template};

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// A score is known (computed by the rule or set by the team).
    Scored,
    /// Nothing recorded yet.
    Unscored,
    /// A rate whose denominator is 0: "không áp dụng"; left out of the maximum.
    NotApplicable,
    /// Survey or bonus part the inspection does not observe.
    NotObserved,
}

impl ItemState {
    pub fn label(self) -> &'static str {
        match self {
            ItemState::Scored => "đã chấm",
            ItemState::Unscored => "chưa chấm",
            ItemState::NotApplicable => "không áp dụng",
            ItemState::NotObserved => "không chấm khi kiểm tra",
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct ItemScore {
    pub code: String,
    pub max: f64,
    /// What the rule gives from the status or the figures.
    pub computed: Option<f64>,
    /// The score that counts: the team's if set, else the computed one.
    pub score: Option<f64>,
    pub self_score: Option<f64>,
    pub state: ItemState,
    /// For ratio rules: the rate in percent.
    pub rate: Option<f64>,
    /// The team's own score says otherwise than the level chosen for the criterion (a
    /// Vietnamese sentence with both): one of the two is probably a slip.
    pub level_conflict: Option<String>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct AreaScore {
    pub code: String,
    pub title: String,
    pub max: f64,
    pub observed_max: f64,
    pub applicable_max: f64,
    pub score: f64,
    pub self_score: f64,
    /// The area's criteria scored (or not applicable), of those the inspection observes:
    /// counted as the card counts them, so a unit ranked on its total is ranked in an area
    /// by the same measure.
    pub scored_items: usize,
    pub scorable_items: usize,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct ScoreCard {
    pub items: Vec<ItemScore>,
    pub areas: Vec<AreaScore>,
    pub total: f64,
    pub self_total: f64,
    pub max: f64,
    pub observed_max: f64,
    /// The maximum of the items that apply and are observed: the base of the percentage.
    pub applicable_max: f64,
    pub percent: Option<f64>,
    pub scored_items: usize,
    pub scorable_items: usize,
}

impl ScoreCard {
    pub fn item(&self, code: &str) -> Option<&ItemScore> {
        self.items.iter().find(|i| i.code == code)
    }
    pub fn area(&self, code: &str) -> Option<&AreaScore> {
        self.areas.iter().find(|a| a.code == code)
    }
}

/// What the rule alone gives, with the rate for ratio rules.
/// Returns (score, state, rate).
pub fn rule_score(
    item: &Item,
    status: Option<&str>,
    fig: &dyn Fn(&str) -> Option<f64>,
) -> (Option<f64>, ItemState, Option<f64>) {
    let max = item.max;
    match item.rule.as_ref() {
        None => (None, ItemState::Unscored, None),
        Some(Rule::NotObserved { .. }) => (None, ItemState::NotObserved, None),
        Some(Rule::Done) => match status {
            Some("dat") => (Some(max), ItemState::Scored, None),
            Some("khong_dat") => (Some(0.0), ItemState::Scored, None),
            _ => (None, ItemState::Unscored, None),
        },
        Some(Rule::Graded { levels }) => match status.and_then(|s| levels.iter().find(|l| l.key == s)) {
            Some(l) => (Some(max * l.fraction), ItemState::Scored, None),
            None => (None, ItemState::Unscored, None),
        },
        Some(Rule::Ratio {
            numerator,
            denominator,
            thresholds,
        }) => match (fig(numerator), fig(denominator)) {
            (Some(n), Some(d)) if d > 0.0 => {
                let pct = n / d * 100.0;
                // Compare n·100 ≥ min·d so that 98 % exactly is 98 %, whatever the float error.
                let fraction = thresholds
                    .iter()
                    .find(|t| n * 100.0 >= t.min * d - 1e-9)
                    .map(|t| t.fraction)
                    .unwrap_or(0.0);
                (Some(max * fraction), ItemState::Scored, Some(pct))
            }
            (Some(_), Some(_)) => (None, ItemState::NotApplicable, None),
            _ => (None, ItemState::Unscored, None),
        },
        Some(Rule::Penalty { figure, per }) => match fig(figure) {
            Some(count) => (Some((max - per * count).max(0.0)), ItemState::Scored, None),
            None => (None, ItemState::Unscored, None),
        },
        Some(Rule::Manual) => (None, ItemState::Unscored, None),
    }
}

/// A team score that contradicts the level chosen: the level gives one score (by the
/// criterion's rule), the team typed another. Only for rules scored by a level.
fn level_conflict(it: &Item, status: Option<&str>, computed: Option<f64>, team: Option<f64>) -> Option<String> {
    let (Some(by_level), Some(team), Some(status)) = (computed, team, status) else {
        return None;
    };
    let label = match it.rule.as_ref()? {
        Rule::Graded { levels } => levels.iter().find(|l| l.key == status)?.label.clone(),
        Rule::Done => match status {
            "dat" => "Đạt".to_string(),
            _ => "Không đạt".to_string(),
        },
        _ => return None,
    };
    ((team - by_level).abs() > 1e-9).then(|| {
        format!(
            "Điểm đoàn chấm {} khác điểm của mức «{}» đã chọn ({}): kiểm tra lại mức đạt hoặc điểm.",
            crate::domain::text::fmt_score(team),
            label,
            crate::domain::text::fmt_score(by_level)
        )
    })
}

/// Score a whole checklist.
pub fn score(t: &Template, responses: &HashMap<String, Response>, figs: &HashMap<String, f64>) -> ScoreCard {
    let fig = |k: &str| figs.get(k).copied();
    let mut items = Vec::with_capacity(t.items.len());
    for it in t.items.iter().filter(|i| i.is_leaf()) {
        let r = responses.get(&it.code);
        let (computed, mut state, rate) = rule_score(it, r.and_then(|r| r.status.as_deref()), &fig);
        let team = r.and_then(|r| r.team_score);
        let score = match state {
            ItemState::NotObserved => None,
            _ => team.or(computed),
        };
        if state == ItemState::Unscored && score.is_some() {
            state = ItemState::Scored;
        }
        if state == ItemState::NotApplicable && team.is_some() {
            state = ItemState::Scored;
        }
        let level_conflict = level_conflict(it, r.and_then(|r| r.status.as_deref()), computed, team);
        items.push(ItemScore {
            code: it.code.clone(),
            max: it.max,
            computed,
            score,
            self_score: r.and_then(|r| r.self_score),
            state,
            rate,
            level_conflict,
        });
    }
    // Where each leaf belongs, looked up once (a template has ~120 items).
    let leaf_items: Vec<&Item> = t.items.iter().filter(|i| i.is_leaf()).collect();
    // Criteria with sub-criteria: sums of their children.
    let mut parents: Vec<ItemScore> = Vec::new();
    for it in t.items.iter().filter(|i| !i.is_leaf()) {
        let kids: Vec<&ItemScore> = items
            .iter()
            .zip(&leaf_items)
            .filter(|(_, li)| li.parent.as_deref() == Some(it.code.as_str()))
            .map(|(s, _)| s)
            .collect();
        let any_scored = kids.iter().any(|k| k.score.is_some());
        let all_na = !kids.is_empty() && kids.iter().all(|k| matches!(k.state, ItemState::NotApplicable));
        let all_no = !kids.is_empty() && kids.iter().all(|k| matches!(k.state, ItemState::NotObserved));
        parents.push(ItemScore {
            code: it.code.clone(),
            max: it.max,
            computed: None,
            score: any_scored.then(|| kids.iter().filter_map(|k| k.score).sum()),
            self_score: kids
                .iter()
                .any(|k| k.self_score.is_some())
                .then(|| kids.iter().filter_map(|k| k.self_score).sum()),
            state: if all_no {
                ItemState::NotObserved
            } else if all_na {
                ItemState::NotApplicable
            } else if kids.iter().all(|k| k.state != ItemState::Unscored) {
                ItemState::Scored
            } else {
                ItemState::Unscored
            },
            rate: None,
            level_conflict: None,
        });
    }
    let mut areas = Vec::new();
    for a in &t.areas {
        let leaves: Vec<&ItemScore> = items
            .iter()
            .zip(&leaf_items)
            .filter(|(_, li)| li.area == a.code)
            .map(|(s, _)| s)
            .collect();
        let observed_max = leaves
            .iter()
            .filter(|s| s.state != ItemState::NotObserved)
            .map(|s| s.max)
            .sum();
        let applicable_max = leaves
            .iter()
            .filter(|s| !matches!(s.state, ItemState::NotObserved | ItemState::NotApplicable))
            .map(|s| s.max)
            .sum();
        areas.push(AreaScore {
            code: a.code.clone(),
            title: a.title.clone(),
            max: a.max,
            observed_max,
            applicable_max,
            score: leaves.iter().filter_map(|s| s.score).sum(),
            self_score: leaves.iter().filter_map(|s| s.self_score).sum(),
            scored_items: leaves.iter().filter(|s| counts_as_scored(s.state)).count(),
            scorable_items: leaves.iter().filter(|s| counts_as_scorable(s.state)).count(),
        });
    }
    let scorable = items.iter().filter(|s| counts_as_scorable(s.state)).count();
    let scored = items.iter().filter(|s| counts_as_scored(s.state)).count();
    let total: f64 = areas.iter().map(|a| a.score).sum();
    let applicable_max: f64 = areas.iter().map(|a| a.applicable_max).sum();
    // Keep items in template order (parents before children).
    let mut all: Vec<ItemScore> = items.into_iter().chain(parents).collect();
    let order: HashMap<&str, usize> = t
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.code.as_str(), i))
        .collect();
    all.sort_by_key(|s| order.get(s.code.as_str()).copied().unwrap_or(usize::MAX));
    ScoreCard {
        items: all,
        total: crate::domain::text::round_to(total, 4),
        self_total: areas.iter().map(|a| a.self_score).sum(),
        max: t.total_max(),
        observed_max: areas.iter().map(|a| a.observed_max).sum(),
        applicable_max,
        percent: (applicable_max > 0.0).then(|| total / applicable_max * 100.0),
        areas,
        scored_items: scored,
        scorable_items: scorable,
    }
}

/// A criterion the inspection observes (what "x of y scored" counts out of).
fn counts_as_scorable(s: ItemState) -> bool {
    s != ItemState::NotObserved
}

/// A criterion settled: scored, or not applicable (a rate over nothing).
fn counts_as_scored(s: ItemState) -> bool {
    matches!(s, ItemState::Scored | ItemState::NotApplicable)
}

/// The derived rates of a set of figures, for display.
pub fn rates(figs: &HashMap<String, f64>) -> Vec<(&'static figures::RateDef, Option<Option<f64>>)> {
    figures::RATES
        .iter()
        .map(|r| {
            (
                r,
                figures::rate_percent(figs.get(r.numerator).copied(), figs.get(r.denominator).copied()),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::template::parse;

    const T: &str = r#"
kind = "xa"
version = "t"
name = "Thử"
[[area]]
code = "1"
title = "A"
[[area]]
code = "2"
title = "B"
[[item]]
code = "1.1"
text = "Kế hoạch"
max = 10.0
rule = { type = "graded", levels = [ { key = "dung_han", label = "Đúng hạn", fraction = 1.0 }, { key = "cham", label = "Chậm", fraction = 0.5 }, { key = "khong", label = "Không", fraction = 0.0 } ] }
[[item]]
code = "1.2"
text = "Báo cáo"
max = 2.0
rule = { type = "penalty", figure = "bao_cao_tre_han", per = 0.25 }
[[item]]
code = "1.3"
text = "Tuyên truyền"
max = 8.0
rule = { type = "done" }
[[item]]
code = "2.1"
text = "Hồ sơ"
[[item]]
code = "2.1.1"
text = "Đúng hạn"
max = 40.0
rule = { type = "ratio", numerator = "ho_so_dung_han", denominator = "ho_so_da_giai_quyet", thresholds = [ { min = 100.0, fraction = 1.0 }, { min = 98.0, fraction = 0.75 }, { min = 95.0, fraction = 0.5 }, { min = 90.0, fraction = 0.25 } ] }
[[item]]
code = "2.1.2"
text = "Khảo sát"
max = 20.0
rule = { type = "not_observed", reason = "Điều tra xã hội học" }
[[item]]
code = "2.2"
text = "Đánh giá"
max = 20.0
rule = { type = "manual" }
"#;

    fn resp(status: Option<&str>, team: Option<f64>) -> Response {
        Response {
            status: status.map(String::from),
            team_score: team,
            ..Default::default()
        }
    }

    fn on_time(n: f64, d: f64) -> Option<f64> {
        let t = parse(T).unwrap();
        let figs: HashMap<String, f64> = [("ho_so_dung_han".into(), n), ("ho_so_da_giai_quyet".into(), d)].into();
        score(&t, &HashMap::new(), &figs).item("2.1.1").unwrap().score
    }

    #[test]
    fn ratio_threshold_boundaries() {
        assert_eq!(on_time(100.0, 100.0), Some(40.0));
        assert_eq!(on_time(99.9, 100.0), Some(30.0));
        assert_eq!(on_time(98.0, 100.0), Some(30.0));
        assert_eq!(on_time(49.0, 50.0), Some(30.0)); // exactly 98 %
        assert_eq!(on_time(97.9, 100.0), Some(20.0));
        assert_eq!(on_time(95.0, 100.0), Some(20.0));
        assert_eq!(on_time(19.0, 20.0), Some(20.0)); // exactly 95 %
        assert_eq!(on_time(94.9, 100.0), Some(10.0));
        assert_eq!(on_time(90.0, 100.0), Some(10.0));
        assert_eq!(on_time(89.9, 100.0), Some(0.0));
        // Hạ Lang: 924/1068 = 86,5 % → 0
        assert_eq!(on_time(924.0, 1068.0), Some(0.0));
    }

    #[test]
    fn zero_denominator_is_not_applicable_and_left_out() {
        let t = parse(T).unwrap();
        let figs: HashMap<String, f64> = [("ho_so_dung_han".into(), 0.0), ("ho_so_da_giai_quyet".into(), 0.0)].into();
        let c = score(&t, &HashMap::new(), &figs);
        let i = c.item("2.1.1").unwrap();
        assert_eq!(i.state, ItemState::NotApplicable);
        assert_eq!(i.score, None);
        assert_eq!(c.applicable_max, 40.0); // 100 − 40 n/a − 20 not observed
        assert!(c.percent.unwrap().is_finite());
    }

    #[test]
    fn penalty_is_floored_at_zero_and_graded_levels_apply() {
        let t = parse(T).unwrap();
        let mut figs: HashMap<String, f64> = [("bao_cao_tre_han".into(), 3.0)].into();
        let rs: HashMap<String, Response> = [
            ("1.1".to_string(), resp(Some("cham"), None)),
            ("1.3".to_string(), resp(Some("dat"), None)),
            ("2.2".to_string(), resp(None, Some(12.5))),
        ]
        .into();
        let c = score(&t, &rs, &figs);
        assert_eq!(c.item("1.2").unwrap().score, Some(1.25));
        assert_eq!(c.item("1.1").unwrap().score, Some(5.0));
        assert_eq!(c.area("1").unwrap().score, 14.25);
        assert_eq!(c.total, 26.75);
        figs.insert("bao_cao_tre_han".into(), 20.0);
        assert_eq!(score(&t, &rs, &figs).item("1.2").unwrap().score, Some(0.0));
    }

    #[test]
    fn team_score_overrides_and_not_observed_stays_out() {
        let t = parse(T).unwrap();
        let rs: HashMap<String, Response> = [("1.3".to_string(), resp(Some("dat"), Some(6.0)))].into();
        let c = score(&t, &rs, &HashMap::new());
        assert_eq!(c.item("1.3").unwrap().score, Some(6.0));
        assert_eq!(c.item("1.3").unwrap().computed, Some(8.0));
        assert_eq!(c.item("2.1.2").unwrap().state, ItemState::NotObserved);
        assert_eq!(c.observed_max, 80.0);
        assert_eq!(c.scorable_items, 5);
        assert_eq!(c.scored_items, 1);
    }
}
