//! The unit's own self-assessment (tự đánh giá, the self-inspection outline of domain.md),
//! done in the same app on the unit's laptop: its self scores and their explanations, its
//! figures and the evidence it provides. They are kept apart from the team's work (the
//! `self_score`/`self_note` fields of a response, the `self_figure` table, evidence with
//! source `don_vi`), so the unit's exchange file pre-fills the team's checklist without
//! touching a team score.
//!
//! A laptop in "unit mode" (set once, on the unit's laptop) refuses the team's fields and
//! other units' inspections: the write path's rules (`rules`) hold that for every write.

use serde::Serialize;

use crate::app::checklist::{figure_list, figure_map, parse_figure_text, FigureTable, ResponsePatch};
use crate::domain::model::*;
use crate::error::Result;
use crate::store::{Ctx, Store};

const MODE_KEY: &str = crate::store::meta::SELF_ASSESSMENT_UNIT;

/// A unit's self-assessment at a glance (the team sees it once the unit's file is imported).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct SelfAssessment {
    pub inspection_id: String,
    pub unit_name: String,
    /// Criteria the unit scored, of those it can score.
    pub scored_items: usize,
    pub scorable_items: usize,
    pub self_total: f64,
    /// The team's total, for comparison.
    pub team_total: f64,
    /// Per area: code, title, self score, team score.
    pub areas: Vec<(String, String, f64, f64)>,
    pub figures: Vec<FigureValue>,
    pub evidence_from_unit: usize,
}

impl Store {
    /// The unit this laptop self-assesses for (unit mode), if any.
    pub fn self_assessment_unit(&self) -> Result<Option<String>> {
        crate::store::meta::get(&self.conn, MODE_KEY)
    }

    /// Put this laptop in unit mode for a unit (Some), or back to the team's (None).
    pub fn set_self_assessment_unit(&mut self, unit_id: Option<&str>) -> Result<Option<Unit>> {
        match unit_id {
            Some(id) => {
                let u = self.unit(id)?;
                self.inspection_for_unit(&u.id)?;
                crate::store::meta::set(&self.conn, MODE_KEY, &u.id)?;
                Ok(Some(u))
            }
            None => {
                crate::store::meta::remove(&self.conn, MODE_KEY)?;
                Ok(None)
            }
        }
    }

    /// The unit's self score of a criterion and its explanation (None leaves a field as it
    /// is; Some(None) clears the score).
    pub fn set_self_score(
        &mut self,
        ctx: &Ctx,
        inspection_id: &str,
        code: &str,
        score: Option<Option<f64>>,
        note: Option<&str>,
    ) -> Result<usize> {
        let p = ResponsePatch {
            self_score: score,
            self_note: note.map(str::to_string),
            ..Default::default()
        };
        self.set_response(ctx, inspection_id, code, &p)
    }

    /// A figure as the unit reports it, typed the Vietnamese way ("1.081", "12,82").
    pub fn set_self_figure_text(&mut self, ctx: &Ctx, inspection_id: &str, key: &str, value: &str) -> Result<f64> {
        let (key, v) = parse_figure_text(key, value)?;
        self.set_self_figure(ctx, inspection_id, key, v)?;
        Ok(v)
    }

    /// A figure as the unit reports it, with the same checks as the team's.
    pub fn set_self_figure(&mut self, ctx: &Ctx, inspection_id: &str, key: &str, value: f64) -> Result<()> {
        self.store_figure(ctx, FigureTable::Unit, inspection_id, key, value)
    }

    pub fn clear_self_figure(&mut self, ctx: &Ctx, inspection_id: &str, key: &str) -> Result<bool> {
        self.remove_figure(ctx, FigureTable::Unit, inspection_id, key)
    }

    /// Every known figure with the value the unit reported (if any).
    pub fn self_figures(&self, inspection_id: &str) -> Result<Vec<FigureValue>> {
        Ok(figure_list(&figure_map(&self.conn, FigureTable::Unit, inspection_id)?))
    }

    /// The unit's self-assessment beside the team's scores.
    pub fn self_assessment(&self, inspection_id: &str) -> Result<SelfAssessment> {
        let (t, card) = self.score_card(inspection_id)?;
        let row = self.inspection_row_scored(inspection_id, &card)?;
        let responses = self.responses(inspection_id)?;
        let scorable: Vec<&crate::domain::scoring::ItemScore> = card
            .items
            .iter()
            // Only criteria scored themselves (a criterion with sub-criteria is their sum).
            .filter(|i| t.item(&i.code).is_some_and(|x| x.rule.is_some()))
            .filter(|i| i.state != crate::domain::scoring::ItemState::NotApplicable)
            .collect();
        let scored = scorable
            .iter()
            .filter(|i| responses.get(&i.code).and_then(|r| r.self_score).is_some())
            .count();
        let evidence_from_unit: i64 = crate::store::responses::unit_evidence_count(&self.conn, inspection_id)?;
        Ok(SelfAssessment {
            inspection_id: inspection_id.into(),
            unit_name: row.unit_name,
            scored_items: scored,
            scorable_items: scorable.len(),
            self_total: card.self_total,
            team_total: card.total,
            areas: card
                .areas
                .iter()
                .map(|a| (a.code.clone(), a.title.clone(), a.self_score, a.score))
                .collect(),
            figures: self.self_figures(inspection_id)?,
            evidence_from_unit: evidence_from_unit as usize,
        })
    }
}
