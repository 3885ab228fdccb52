//! Template versions in the store: install the shipped defaults, import a province's
//! edited file as a new version, export one for editing, and load one for scoring.

use std::sync::Arc;

use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::domain::model::TemplateKind;
use crate::domain::template::{self, Template};
use crate::error::{Error, Refusal, Result};
use crate::store::stored::RowExt;
use crate::store::{text, Ctx, Store, W};

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct TemplateInfo {
    pub id: String,
    pub kind: TemplateKind,
    pub version: String,
    pub name: String,
    pub imported_at: String,
    pub items: i64,
    pub in_use: i64,
}

pub(crate) fn insert_template(w: &W<'_>, source: &str) -> Result<(String, bool)> {
    let t = template::parse(source)?;
    let sha = crate::domain::digest::sha256_hex(source.as_bytes());
    let existing: Option<(String, String)> = w
        .conn()
        .query_row(
            "SELECT id, source_sha256 FROM template WHERE kind = ?1 AND version = ?2",
            params![t.kind.as_str(), t.version],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((id, old_sha)) = existing {
        if old_sha == sha {
            return Ok((id, false));
        }
        return Err(Refusal::Duplicate.err(format!(
            "Bộ tiêu chí {} phiên bản «{}» đã có với nội dung khác. Các cuộc kiểm tra đang dùng phiên bản cũ giữ nguyên nó; hãy đặt «version» mới cho bản đã sửa.",
            t.kind.label(),
            t.version
        )));
    }
    let id = crate::store::stable_id(&["template", t.kind.as_str(), &t.version, &sha]);
    // Its content is fixed by its id: every laptop writes the same version of it.
    let was_origin = w.origin.replace(true);
    let inserted = w.insert(
        "template",
        &id,
        &[
            ("kind", Value::Text(t.kind.as_str().into())),
            ("version", text(&t.version)),
            ("name", text(&t.name)),
            ("note", Value::Text(t.note.clone().unwrap_or_default())),
            ("source", Value::Text(source.to_string())),
            ("source_sha256", Value::Text(sha)),
            ("imported_at", Value::Text(w.ctx.stamp())),
        ],
    );
    w.origin.set(was_origin);
    inserted?;
    let mut pos = 0i64;
    for a in &t.areas {
        w.conn().execute(
            "INSERT INTO template_item(template_id, code, position, level, area_code, parent_code, text, max_points, rule, guide)
             VALUES (?1, ?2, ?3, 0, ?2, NULL, ?4, ?5, NULL, '')",
            params![id, a.code, pos, a.title, a.max],
        )?;
        pos += 1;
    }
    for it in &t.items {
        let level = if it.parent.is_some() { 2 } else { 1 };
        let rule = it
            .rule
            .as_ref()
            .map(|r| serde_json::to_string(r).expect("rule serialises"));
        w.conn().execute(
            "INSERT INTO template_item(template_id, code, position, level, area_code, parent_code, text, max_points, rule, guide)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![id, it.code, pos, level, it.area, it.parent, it.text, it.max, rule, it.guide.clone().unwrap_or_default()],
        )?;
        crate::store::search::index(
            w.conn(),
            "criterion",
            &format!("{id}:{}", it.code),
            None,
            &it.code,
            &it.text,
        )?;
        pos += 1;
    }
    Ok((id, true))
}

/// The current template of a kind as a write sees it; when the laptop has none yet (the
/// agency checklist, shipped after the first two), the shipped default is installed in the
/// same write. Returns the id and whether it was installed now.
pub(crate) fn template_for_kind(w: &W<'_>, kind: TemplateKind) -> Result<(String, bool)> {
    let current: Option<String> = w
        .conn()
        .query_row(
            "SELECT id FROM template WHERE kind = ?1 AND deleted = 0 ORDER BY imported_at DESC, rowid DESC LIMIT 1",
            [kind.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    match current {
        Some(id) => Ok((id, false)),
        None => insert_template(w, template::default_source(kind)),
    }
}

impl Store {
    pub(crate) fn install_default_templates(&mut self, ctx: &Ctx) -> Result<()> {
        // Part of creating the database (no user, no rule to check yet).
        self.transact(ctx, "cài bộ tiêu chí mặc định", |w| {
            w.barrier = true;
            insert_template(w, template::DEFAULT_SO)?;
            insert_template(w, template::DEFAULT_XA)?;
            Ok(())
        })
    }

    pub fn templates(&self) -> Result<Vec<TemplateInfo>> {
        let mut st = self.conn.prepare(
            "SELECT t.id, t.kind, t.version, t.name, t.imported_at,
                    (SELECT count(*) FROM template_item i WHERE i.template_id = t.id AND i.rule IS NOT NULL),
                    (SELECT count(*) FROM inspection s WHERE s.template_id = t.id AND s.deleted = 0)
             FROM template t WHERE t.deleted = 0 ORDER BY t.kind, t.imported_at, t.version",
        )?;
        let rows = st
            .query_map([], |r| {
                let id: String = r.get(0)?;
                Ok(TemplateInfo {
                    kind: r.stored(1, "template", &id)?,
                    id,
                    version: r.get(2)?,
                    name: r.get(3)?,
                    imported_at: r.get(4)?,
                    items: r.get(5)?,
                    in_use: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The version new inspections of this kind start on: the most recently imported.
    pub fn current_template_id(&self, kind: TemplateKind) -> Result<String> {
        self.conn
            .query_row(
                "SELECT id FROM template WHERE kind = ?1 AND deleted = 0 ORDER BY imported_at DESC, rowid DESC LIMIT 1",
                [kind.as_str()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::NotFound {
                what: "bộ tiêu chí",
                key: kind.label().to_string(),
            })
    }

    /// The file of a template version, exactly as it was imported (comments included).
    pub fn export_template(&self, kind: TemplateKind, version: Option<&str>) -> Result<String> {
        let id = match version {
            Some(v) => self
                .conn
                .query_row(
                    "SELECT id FROM template WHERE kind = ?1 AND version = ?2 AND deleted = 0",
                    params![kind.as_str(), v],
                    |r| r.get::<_, String>(0),
                )
                .optional()?
                .ok_or_else(|| Error::NotFound {
                    what: "phiên bản bộ tiêu chí",
                    key: v.to_string(),
                })?,
            None => match self.current_template_id(kind) {
                Ok(id) => id,
                // The agency checklist is installed when a plan first takes a phòng, ban or
                // đơn vị; until then its file is the shipped default.
                Err(Error::NotFound { .. }) if kind == TemplateKind::CoQuan => {
                    return Ok(template::default_source(kind).to_string())
                }
                Err(e) => return Err(e),
            },
        };
        Ok(self
            .conn
            .query_row("SELECT source FROM template WHERE id = ?1", [id], |r| r.get(0))?)
    }

    /// A stored template version, parsed (versions never change, so this is cached).
    pub fn template(&self, id: &str) -> Result<Arc<Template>> {
        cached_template(&self.conn, &self.template_cache, id)
    }
}

/// A stored template, parsed once and kept in `cache` (a stored version never changes).
pub(crate) fn cached_template(
    conn: &rusqlite::Connection,
    cache: &crate::store::TemplateCache,
    id: &str,
) -> Result<Arc<Template>> {
    if let Some(t) = cache.borrow().get(id) {
        return Ok(t.clone());
    }
    let source: String = conn
        .query_row("SELECT source FROM template WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound {
            what: "bộ tiêu chí",
            key: id.to_string(),
        })?;
    let t = Arc::new(template::parse(&source)?);
    cache.borrow_mut().insert(id.to_string(), t.clone());
    Ok(t)
}
