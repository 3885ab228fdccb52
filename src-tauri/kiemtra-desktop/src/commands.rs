//! The commands the UI calls. Each is one call into `kiemtra-core` (plus reading back the
//! view the screen shows); dialogs are opened here, never in the core. Errors reach the UI
//! as `{code, message}` with a Vietnamese message.

use std::path::{Path, PathBuf};

use base64::Engine;
use kiemtra_core::checklist::{criteria, ResponsePatch};
use kiemtra_core::document::{status_label, DocPatch, DocumentInfo, Rendered};
use kiemtra_core::model::*;
use kiemtra_core::plan::{InspectionPatch, NewPlan, NewUnit, PlanPatch, TeamPatch};
use kiemtra_core::team::TeamView;
use kiemtra_core::text::parse_number;
use kiemtra_core::unitdocs::{Numbering, UnitDocument};
use kiemtra_core::{Ctx, Store};
use tauri::{Manager, State};
use tauri_plugin_dialog::DialogExt;

use crate::ipc::*;
use crate::{AppState, Shared};

type Res<T> = Result<T, CmdError>;

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app_info,
        plan_view,
        ranking_view,
        inspection_view,
        set_response,
        set_figure,
        add_evidence,
        delete_evidence,
        attachment_data,
        add_finding,
        update_finding,
        delete_finding,
        add_recommendation,
        update_recommendation,
        delete_recommendation,
        set_recommendation_state,
        update_plan,
        update_team,
        use_plan,
        create_plan,
        close_plan,
        add_units,
        import_units_xlsx,
        remove_unit,
        add_new_unit,
        rename_unit,
        merge_units,
        unit_history,
        templates,
        export_template,
        import_template,
        add_member,
        remove_member,
        update_inspection,
        undo,
        backup,
        search,
        document_view,
        edit_document,
        issue_document,
        save_document_pdf,
        print_document,
        unit_documents,
        unit_document_view,
        save_unit_document_pdf,
        report_view,
        edit_report,
        issue_report,
        save_report_pdf,
        export_exchange,
        pick_exchange_file,
        preview_exchange,
        import_exchange,
        received_files,
        team_view,
        team_create,
        team_invite,
        team_join,
        team_revoke,
        self_invite,
        self_join,
        conflicts,
        resolve_conflict,
        followup_view,
        update_followup,
        reinspect,
        export_xlsx,
        holidays,
        set_holiday,
        remove_holiday,
        set_self_mode,
        set_self_figure,
    ]
}

fn app<'a>(s: &'a State<'_, Shared>) -> Res<&'a AppState> {
    s.0.as_ref().map_err(Clone::clone)
}

/// Run `f` on the store (one lock, held for one action).
fn with<T>(s: &State<'_, Shared>, f: impl FnOnce(&mut Store, &AppState) -> kiemtra_core::Result<T>) -> Res<T> {
    let a = app(s)?;
    let mut store = a
        .store
        .lock()
        .map_err(|_| CmdError::new("internal", "Lỗi nội bộ: hãy khởi động lại ứng dụng."))?;
    let r = f(&mut store, a);
    // Read or written, the log is checkpointed once the window is quiet (lib.rs).
    a.touched.store(crate::now_ms(), std::sync::atomic::Ordering::Release);
    Ok(r?)
}

/// A change to one inspection: run it, then read back the view its screen shows.
fn change<T>(
    s: &State<'_, Shared>,
    inspection_id: &str,
    f: impl FnOnce(&mut Store, &Ctx) -> kiemtra_core::Result<T>,
) -> Res<InspectionLive> {
    with(s, |store, a| {
        f(store, &a.ctx())?;
        live(store, inspection_id)
    })
}

/// A change to the plan or its team, then the plan screen's view.
fn change_plan<T>(
    s: &State<'_, Shared>,
    f: impl FnOnce(&mut Store, &Ctx, &str) -> kiemtra_core::Result<T>,
) -> Res<PlanView> {
    with(s, |store, a| {
        let p = store.current_plan()?;
        f(store, &a.ctx(), &p.id)?;
        plan(store, &a.ctx())
    })
}

fn live(store: &Store, id: &str) -> kiemtra_core::Result<InspectionLive> {
    let (_, checklist) = store.checklist_live(id)?;
    let (figures, rates) = store.figures(id)?;
    let (figure_warnings, self_figure_warnings) = store.figure_contradictions(id)?;
    Ok(InspectionLive {
        checklist,
        figures,
        self_figures: store.self_figures(id)?,
        rates,
        figure_warnings,
        self_figure_warnings,
        evidence: store.evidence(id, None)?,
        findings: store.findings(id)?,
        recommendations: store.recommendations(id)?,
        undoable: store.last_undoable()?,
    })
}

fn plan(store: &Store, ctx: &Ctx) -> kiemtra_core::Result<PlanView> {
    let p = store.current_plan()?;
    Ok(PlanView {
        overview: store.plan_overview(&p.id, ctx.today())?,
        plans: store.plans()?,
        welcome: store.sample_untouched()?,
        undoable: store.last_undoable()?,
    })
}

#[tauri::command]
fn app_info(s: State<'_, Shared>) -> Res<AppInfo> {
    with(&s, |store, a| {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            db_path: a.db_path.display().to_string(),
            data_dir: a.db_path.parent().map(|p| p.display().to_string()).unwrap_or_default(),
            schema_version: store.schema_version()?,
            device_id: store.device_id().to_string(),
            inspector: a.inspector(),
            created: a.created,
            undoable: store.last_undoable()?,
            labels: Labels::new(),
            self_unit: match store.self_assessment_unit()? {
                Some(u) => Some(store.unit(&u)?),
                None => None,
            },
            today: a.ctx().today().to_string(),
            conclusion_working_days: kiemtra_core::followup::CONCLUSION_WORKING_DAYS,
            sign_authorities: kiemtra_core::document::AUTHORITIES
                .iter()
                .map(|a| a.to_string())
                .collect(),
        })
    })
}

#[tauri::command]
fn plan_view(s: State<'_, Shared>) -> Res<PlanView> {
    with(&s, |store, a| plan(store, &a.ctx()))
}

#[tauri::command]
fn ranking_view(s: State<'_, Shared>, area: Option<String>) -> Res<RankingView> {
    with(&s, |store, _| {
        let p = store.current_plan()?;
        let area = area.filter(|a| !a.is_empty());
        Ok(RankingView {
            ranking: store.ranking_by(&p.id, area.as_deref())?,
            areas: store.plan_areas(&p.id)?,
            area,
        })
    })
}

#[tauri::command]
fn inspection_view(s: State<'_, Shared>, inspection_id: String) -> Res<InspectionView> {
    with(&s, |store, _| {
        let t = store.template(&store.inspection_template_id(&inspection_id)?)?;
        let live = live(store, &inspection_id)?;
        Ok(InspectionView {
            unit: store.unit(&live.checklist.inspection.unit_id)?,
            template_name: t.name.clone(),
            template_version: t.version.clone(),
            criteria: criteria(&t),
            live,
        })
    })
}

/// One cell of the checklist: a score typed the Vietnamese way ("0,5"), a status key, or
/// a note. An empty score or status clears it.
#[tauri::command]
fn set_response(
    s: State<'_, Shared>,
    inspection_id: String,
    code: String,
    field: ResponseField,
    value: String,
) -> Res<InspectionLive> {
    change(&s, &inspection_id, |store, ctx| {
        let v = value.trim();
        let score = |what: &str| -> kiemtra_core::Result<Option<f64>> {
            if v.is_empty() {
                Ok(None)
            } else {
                parse_number(v, false, what).map(Some)
            }
        };
        let p = match field {
            // The unit's own fields go through the self-assessment (which keeps a unit's
            // laptop to its own inspection).
            ResponseField::SelfScore => {
                return store.set_self_score(ctx, &inspection_id, &code, Some(score("Điểm tự chấm")?), None)
            }
            ResponseField::SelfNote => return store.set_self_score(ctx, &inspection_id, &code, None, Some(&value)),
            ResponseField::TeamScore => ResponsePatch {
                team_score: Some(score("Điểm đoàn chấm")?),
                ..Default::default()
            },
            ResponseField::Status => ResponsePatch {
                status: Some((!v.is_empty()).then(|| v.to_string())),
                ..Default::default()
            },
            ResponseField::Note => ResponsePatch {
                note: Some(value.clone()),
                ..Default::default()
            },
        };
        store.set_response(ctx, &inspection_id, &code, &p)
    })
}

/// A figure typed the Vietnamese way ("1.081", "86,5"); empty clears it.
#[tauri::command]
fn set_figure(s: State<'_, Shared>, inspection_id: String, key: String, value: String) -> Res<InspectionLive> {
    change(&s, &inspection_id, |store, ctx| {
        if value.trim().is_empty() {
            store.clear_figure(ctx, &inspection_id, &key).map(|_| ())
        } else {
            store.set_figure_text(ctx, &inspection_id, &key, &value).map(|_| ())
        }
    })
}

/// Evidence for a criterion: a document reference, and (when `pick_files`) files chosen
/// in the native dialog, each stored once by its SHA-256. Cancelling the dialog adds nothing.
#[tauri::command]
async fn add_evidence(
    window: tauri::Window,
    s: State<'_, Shared>,
    inspection_id: String,
    input: EvidenceInput,
    pick_files: bool,
) -> Res<InspectionLive> {
    let mut files: Vec<Option<PathBuf>> = vec![None];
    if pick_files {
        let picked = window
            .dialog()
            .file()
            .set_parent(&window)
            .set_title("Chọn ảnh, bản scan tài liệu kiểm chứng")
            .add_filter(
                "Ảnh và tài liệu",
                &[
                    "jpg", "jpeg", "png", "webp", "gif", "pdf", "doc", "docx", "xls", "xlsx", "odt",
                ],
            )
            .add_filter("Mọi tệp", &["*"])
            .blocking_pick_files();
        files = match picked {
            None => vec![],
            Some(list) => list.into_iter().filter_map(|f| f.into_path().ok()).map(Some).collect(),
        };
    }
    change(&s, &inspection_id, |store, ctx| {
        let date = (!input.doc_date.trim().is_empty()).then_some(input.doc_date.as_str());
        for f in &files {
            store.add_evidence(
                ctx,
                &inspection_id,
                &input.code,
                &input.doc_number,
                date,
                &input.description,
                f.as_deref(),
            )?;
        }
        Ok(())
    })
}

#[tauri::command]
fn delete_evidence(s: State<'_, Shared>, inspection_id: String, id: String) -> Res<InspectionLive> {
    change(&s, &inspection_id, |store, ctx| {
        store.delete_evidence(ctx, &inspection_id, &id)
    })
}

/// An attached photo or scan's thumbnail as a data: URL (a small JPEG made by the core,
/// never the whole file); empty for an attachment that is no image.
#[tauri::command]
fn attachment_data(s: State<'_, Shared>, sha256: String) -> Res<String> {
    with(&s, |store, _| {
        Ok(match store.attachment_thumbnail(&sha256)? {
            Some(jpeg) => format!(
                "data:image/jpeg;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(jpeg)
            ),
            None => String::new(),
        })
    })
}

#[tauri::command]
fn add_finding(
    s: State<'_, Shared>,
    inspection_id: String,
    area: String,
    kind: FindingKind,
    text: String,
) -> Res<InspectionLive> {
    change(&s, &inspection_id, |store, ctx| {
        store.add_finding(ctx, &inspection_id, &area, kind, &text)
    })
}

#[tauri::command]
fn update_finding(s: State<'_, Shared>, inspection_id: String, id: String, text: String) -> Res<InspectionLive> {
    change(&s, &inspection_id, |store, ctx| store.update_finding(ctx, &id, &text))
}

#[tauri::command]
fn delete_finding(s: State<'_, Shared>, inspection_id: String, id: String) -> Res<InspectionLive> {
    change(&s, &inspection_id, |store, ctx| store.delete_finding(ctx, &id))
}

#[tauri::command]
fn add_recommendation(s: State<'_, Shared>, inspection_id: String, input: RecommendationInput) -> Res<InspectionLive> {
    change(&s, &inspection_id, |store, ctx| {
        let deadline = (!input.deadline.trim().is_empty()).then_some(input.deadline.as_str());
        store.confirm_deadline(ctx, None, deadline, input.confirm_past)?;
        store.add_recommendation(
            ctx,
            &inspection_id,
            Some(&input.area),
            &input.text,
            &input.owner,
            deadline,
        )
    })
}

#[tauri::command]
fn update_recommendation(
    s: State<'_, Shared>,
    inspection_id: String,
    id: String,
    input: RecommendationInput,
) -> Res<InspectionLive> {
    change(&s, &inspection_id, |store, ctx| {
        store.confirm_deadline(ctx, Some(&id), Some(&input.deadline), input.confirm_past)?;
        store.update_recommendation(
            ctx,
            &id,
            Some(&input.text),
            Some(&input.owner),
            Some(&input.deadline),
            Some(&input.area),
        )
    })
}

#[tauri::command]
fn delete_recommendation(s: State<'_, Shared>, inspection_id: String, id: String) -> Res<InspectionLive> {
    change(&s, &inspection_id, |store, ctx| store.delete_recommendation(ctx, &id))
}

#[tauri::command]
fn set_recommendation_state(
    s: State<'_, Shared>,
    inspection_id: String,
    id: String,
    state: RecommendationState,
) -> Res<InspectionLive> {
    change(&s, &inspection_id, |store, ctx| {
        store.set_recommendation_state(ctx, &id, state, None, None)
    })
}

#[tauri::command]
fn update_inspection(s: State<'_, Shared>, inspection_id: String, input: InspectionPatch) -> Res<InspectionLive> {
    change(&s, &inspection_id, |store, ctx| {
        store.update_inspection(ctx, &inspection_id, &input)
    })
}

#[tauri::command]
fn update_plan(s: State<'_, Shared>, input: PlanPatch) -> Res<PlanView> {
    change_plan(&s, |store, ctx, plan_id| store.update_plan(ctx, plan_id, &input))
}

#[tauri::command]
fn update_team(s: State<'_, Shared>, input: TeamPatch) -> Res<PlanView> {
    change_plan(&s, |store, ctx, plan_id| store.update_team(ctx, plan_id, &input))
}

/// Make a plan the one in use on this laptop (stored in the database): every screen then
/// shows it.
#[tauri::command]
fn use_plan(s: State<'_, Shared>, plan_id: String) -> Res<PlanView> {
    with(&s, |store, a| {
        store.use_plan(&plan_id)?;
        plan(store, &a.ctx())
    })
}

/// Create a plan with its team (optionally from an earlier plan) and use it.
#[tauri::command]
fn create_plan(s: State<'_, Shared>, input: NewPlan) -> Res<PlanCreated> {
    with(&s, |store, a| {
        let created = store.create_plan(&a.ctx(), &input)?;
        store.use_plan(&created.plan_id)?;
        Ok(PlanCreated {
            created,
            view: plan(store, &a.ctx())?,
        })
    })
}

/// Close the plan in use (read-only, still printable) or reopen it.
#[tauri::command]
fn close_plan(s: State<'_, Shared>, closed: bool) -> Res<PlanView> {
    change_plan(&s, |store, ctx, plan_id| store.close_plan(ctx, plan_id, closed))
}

/// Units pasted one per line ("name", or "name;kind"), of `kind` where a line names none.
#[tauri::command]
fn add_units(s: State<'_, Shared>, lines: String, kind: Option<UnitKind>) -> Res<UnitsAdded> {
    with(&s, |store, a| {
        let p = store.current_plan()?;
        let added = store.add_units_from_lines(&a.ctx(), &p.id, &lines, kind)?;
        Ok(UnitsAdded {
            added: added.len() as u32,
            view: plan(store, &a.ctx())?,
        })
    })
}

/// Units read from an .xlsx list chosen in the open dialog (None: cancelled): a header
/// row, then name, kind, head and title, schedule; a bad row refuses the whole list naming
/// its row and column. (`KIEMTRA_E2E_UNITS_FILE` stands in for the dialog.)
#[tauri::command]
async fn import_units_xlsx(app: tauri::AppHandle, window: tauri::Window) -> Res<Option<UnitsAdded>> {
    let Some(path) = pick_dialog(
        &window,
        "KIEMTRA_E2E_UNITS_FILE",
        "Chọn bảng tính danh sách đơn vị",
        &[("Bảng tính Excel", &["xlsx"])],
    ) else {
        return Ok(None);
    };
    on_blocking_thread(app, move |s| {
        with(&s, |store, a| {
            let p = store.current_plan()?;
            let added = store.add_units_from_xlsx(&a.ctx(), &p.id, &path)?;
            Ok(Some(UnitsAdded {
                added: added.len() as u32,
                view: plan(store, &a.ctx())?,
            }))
        })
    })
    .await
}

/// Take a unit out of the plan in use (refused once anything was recorded for it).
#[tauri::command]
fn remove_unit(s: State<'_, Shared>, unit_id: String) -> Res<PlanView> {
    change_plan(&s, |store, ctx, plan_id| {
        store.remove_unit_from_plan(ctx, plan_id, &unit_id)
    })
}

/// «Thêm đơn vị đột xuất…»: one unit with its head and schedule, added to the plan in use
/// (marked đột xuất when `unannounced`); the screen opens its inspection.
#[tauri::command]
fn add_new_unit(s: State<'_, Shared>, input: NewUnit) -> Res<UnitAdded> {
    with(&s, |store, a| {
        let p = store.current_plan()?;
        let (unit_id, inspection_id) = store.add_new_unit_to_plan(&a.ctx(), &p.id, &input)?;
        Ok(UnitAdded {
            unit_id,
            inspection_id,
            view: plan(store, &a.ctx())?,
        })
    })
}

/// Rename a unit (its old name kept in its history, from `effective`).
#[tauri::command]
fn rename_unit(
    s: State<'_, Shared>,
    unit_id: String,
    new_name: String,
    effective: Option<String>,
    note: String,
) -> Res<UnitChanged> {
    with(&s, |store, a| {
        store.rename_unit(
            &a.ctx(),
            &unit_id,
            &new_name,
            effective.as_deref().filter(|d| !d.trim().is_empty()),
            &note,
        )?;
        Ok(UnitChanged {
            history: store.unit_history(&unit_id)?,
            unit: store.unit(&unit_id)?,
            view: plan(store, &a.ctx())?,
        })
    })
}

/// Merge units into a new one (the old ones stay, inactive, with their inspections and
/// history); `unit` is the new unit and its history.
#[tauri::command]
fn merge_units(
    s: State<'_, Shared>,
    unit_ids: Vec<String>,
    new_name: String,
    kind: UnitKind,
    effective: Option<String>,
) -> Res<UnitChanged> {
    with(&s, |store, a| {
        let id = store.merge_units(
            &a.ctx(),
            &unit_ids,
            &new_name,
            kind,
            effective.as_deref().filter(|d| !d.trim().is_empty()),
        )?;
        Ok(UnitChanged {
            history: store.unit_history(&id)?,
            unit: store.unit(&id)?,
            view: plan(store, &a.ctx())?,
        })
    })
}

/// A unit and its history (renamed, merged), oldest first.
#[tauri::command]
fn unit_history(s: State<'_, Shared>, unit_id: String) -> Res<UnitHistory> {
    with(&s, |store, _| {
        let unit = store.unit(&unit_id)?;
        let successor = match &unit.successor_id {
            Some(id) => Some(store.unit(id)?),
            None => None,
        };
        Ok(UnitHistory {
            history: store.unit_history(&unit_id)?,
            unit,
            successor,
        })
    })
}

// ---- checklist versions ------------------------------------------------------------

/// Every checklist version stored, by kind and import time.
#[tauri::command]
fn templates(s: State<'_, Shared>) -> Res<Vec<kiemtra_core::template_store::TemplateInfo>> {
    with(&s, |store, _| store.templates())
}

/// "bo-tieu-chi-xa-2026.1.toml": what a version is saved as by default.
fn template_file_name(kind: TemplateKind, version: &str) -> String {
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_ascii_alphanumeric() && c != '.')
            .map(|w| w.trim_matches('.').to_string())
            .filter(|w| !w.is_empty())
            .collect()
    };
    let mut slug = words(&kind.as_str().replace('_', "-"));
    // Folded letter by letter: fold reads a dot as a space, and "2026.1" keeps its dot.
    let version: String = version
        .chars()
        .map(|c| match c {
            '.' => ".".to_string(),
            c => kiemtra_core::text::fold(&c.to_string()),
        })
        .map(|f| if f.is_empty() { " ".to_string() } else { f })
        .collect();
    slug.extend(words(&version));
    format!("bo-tieu-chi-{}.toml", slug.join("-"))
}

/// Save one checklist version's file, exactly as imported, where the user chooses (None:
/// cancelled). (`KIEMTRA_E2E_TEMPLATE_EXPORT_FILE` stands in for the dialog.)
#[tauri::command]
async fn export_template(
    window: tauri::Window,
    s: State<'_, Shared>,
    kind: TemplateKind,
    version: String,
) -> Res<Option<String>> {
    let source = with(&s, |store, _| store.export_template(kind, Some(&version)))?;
    let Some(dest) = save_dialog(
        &window,
        "KIEMTRA_E2E_TEMPLATE_EXPORT_FILE",
        "Xuất bộ tiêu chí ra tệp",
        &template_file_name(kind, &version),
        ("Bộ tiêu chí (TOML)", &["toml"]),
    ) else {
        return Ok(None);
    };
    // The save dialog has asked before replacing a file.
    kiemtra_core::store::files::write_bytes(&dest, source.as_bytes(), true)?;
    Ok(Some(dest.display().to_string()))
}

/// Import a province's edited checklist chosen in the open dialog (None: cancelled). A bad
/// file is refused naming the item and field; nothing changes.
/// (`KIEMTRA_E2E_TEMPLATE_FILE` stands in for the dialog.)
#[tauri::command]
async fn import_template(window: tauri::Window, s: State<'_, Shared>) -> Res<Option<TemplateImported>> {
    let Some(path) = pick_dialog(
        &window,
        "KIEMTRA_E2E_TEMPLATE_FILE",
        "Chọn bộ tiêu chí đã sửa để nhập",
        &[("Bộ tiêu chí (TOML)", &["toml"]), ("Mọi tệp", &["*"])],
    ) else {
        return Ok(None);
    };
    with(&s, |store, a| {
        let (info, created) = store.import_template_file(&a.ctx(), &path)?;
        Ok(Some(TemplateImported {
            info,
            created,
            templates: store.templates()?,
            undoable: store.last_undoable()?,
        }))
    })
}

#[tauri::command]
fn add_member(s: State<'_, Shared>, input: MemberInput) -> Res<PlanView> {
    change_plan(&s, |store, ctx, plan_id| {
        store.add_member(ctx, plan_id, &input.name, input.role, &input.agency, &input.title)
    })
}

#[tauri::command]
fn remove_member(s: State<'_, Shared>, id: String) -> Res<PlanView> {
    change_plan(&s, |store, ctx, plan_id| store.remove_member(ctx, plan_id, &id))
}

/// Undo the last change made on this laptop; the screen reloads its view afterwards.
#[tauri::command]
fn undo(s: State<'_, Shared>) -> Res<UndoView> {
    with(&s, |store, a| {
        let undone = store.undo_last(&a.ctx())?;
        Ok(UndoView {
            undone,
            undoable: store.last_undoable()?,
        })
    })
}

/// A consistent copy of the database, saved where the user chooses. The copy is made
/// beside the chosen file and only then moved over it, so a failed backup never costs the
/// older backup of the same name.
#[tauri::command]
async fn backup(window: tauri::Window, s: State<'_, Shared>) -> Res<Option<BackupDone>> {
    let name = format!(
        "kiemtra-sao-luu-{}.sqlite3",
        chrono::Local::now().format("%Y-%m-%d-%H%M")
    );
    let dest = window
        .dialog()
        .file()
        .set_parent(&window)
        .set_title("Lưu bản sao lưu dữ liệu")
        .set_file_name(&name)
        .add_filter("Cơ sở dữ liệu SQLite", &["sqlite3"])
        .blocking_save_file();
    let Some(dest) = dest.and_then(|d| d.into_path().ok()) else {
        return Ok(None);
    };
    with(&s, |store, _| {
        let bytes = store.backup_replacing(&dest)?;
        Ok(Some(BackupDone {
            path: dest.display().to_string(),
            bytes: bytes as i64,
        }))
    })
}

/// The search box: units, criteria, findings, recommendations, evidence and notes of the
/// plan in use, ignoring diacritics; each hit says where it opens (inspection, area, code).
#[tauri::command]
fn search(s: State<'_, Shared>, query: String) -> Res<Vec<SearchHit>> {
    with(&s, |store, _| {
        let p = store.current_plan()?;
        store.search_plan(&p.id, &query, 50)
    })
}

/// The Văn bản tab's view of one document: its versions and the current one's PDF.
fn document(store: &Store, inspection_id: &str, kind: DocumentKind) -> kiemtra_core::Result<DocumentView> {
    let versions = store.document_versions(inspection_id, kind)?;
    let rendered = store.render_document(inspection_id, kind, chrono::Utc::now())?;
    Ok(DocumentView {
        current: versions[0].clone(),
        status: status_label(&versions[0]),
        versions: versions
            .into_iter()
            .map(|info| DocumentVersion {
                status: status_label(&info),
                info,
            })
            .collect(),
        pdf_base64: base64::engine::general_purpose::STANDARD.encode(&rendered.bytes),
        pages: rendered.pages as u32,
        texts: rendered.model.editable_texts(),
        printed: rendered.model.texts(),
        model: rendered.model,
        inspection_state: store.inspection_row(inspection_id)?.state,
        undoable: store.last_undoable()?,
    })
}

#[tauri::command]
fn document_view(s: State<'_, Shared>, inspection_id: String, kind: DocumentKind) -> Res<DocumentView> {
    with(&s, |store, _| document(store, &inspection_id, kind))
}

/// A change to a document's text, signer or recipients (an issued one gets a new draft
/// version); an empty text or list goes back to what the data gives.
#[tauri::command]
fn edit_document(
    s: State<'_, Shared>,
    inspection_id: String,
    kind: DocumentKind,
    patch: DocPatch,
) -> Res<DocumentView> {
    with(&s, |store, a| {
        store.edit_document(&a.ctx(), &inspection_id, kind, &patch)?;
        document(store, &inspection_id, kind)
    })
}

/// Issue the current version with its number ("5") and date ("20/10/2026"): refused, with
/// everything missing, until the document has all it needs; refused with
/// `document_unconfirmed` while it has warnings (`DocumentInfo.warnings`) unless
/// `confirm_warnings`; then frozen.
#[tauri::command]
fn issue_document(
    s: State<'_, Shared>,
    inspection_id: String,
    kind: DocumentKind,
    number: String,
    date: String,
    confirm_warnings: Option<bool>,
) -> Res<DocumentView> {
    with(&s, |store, a| {
        store.issue_document(
            &a.ctx(),
            &inspection_id,
            kind,
            &number,
            &date,
            confirm_warnings.unwrap_or(false),
        )?;
        document(store, &inspection_id, kind)
    })
}

/// "thong-bao-05-xa-ha-lang.pdf" for an issued version, "thong-bao-xa-ha-lang-du-thao.pdf"
/// for a draft.
fn pdf_file_name(info: &DocumentInfo, unit_name: &str) -> String {
    let slug = |t: &str| kiemtra_core::text::fold(t).replace(' ', "-");
    let kind = info.kind.as_str().replace('_', "-");
    let unit = slug(unit_name);
    match info.status {
        DocumentStatus::Issued if !info.number.is_empty() => format!("{kind}-{}-{unit}.pdf", slug(&info.number)),
        _ => format!("{kind}-{unit}-du-thao.pdf"),
    }
}

/// Save a document's PDF where the user chooses: the current version, or the version
/// `document_id` (an issued one byte for byte, as it was issued). None: the dialog was
/// cancelled.
#[tauri::command]
async fn save_document_pdf(
    window: tauri::Window,
    s: State<'_, Shared>,
    inspection_id: String,
    kind: DocumentKind,
    document_id: Option<String>,
) -> Res<Option<String>> {
    let name = with(&s, |store, _| {
        let versions = store.document_versions(&inspection_id, kind)?;
        let info = match &document_id {
            Some(id) => versions.iter().find(|v| v.id.as_deref() == Some(id.as_str())),
            None => versions.first(),
        };
        let unit = store.inspection_row(&inspection_id)?.unit_name;
        Ok(info
            .map(|i| pdf_file_name(i, &unit))
            .unwrap_or_else(|| "van-ban.pdf".into()))
    })?;
    let dest = window
        .dialog()
        .file()
        .set_parent(&window)
        .set_title("Lưu văn bản thành tệp PDF")
        .set_file_name(&name)
        .add_filter("Tệp PDF", &["pdf"])
        .blocking_save_file();
    let Some(dest) = dest.and_then(|d| d.into_path().ok()) else {
        return Ok(None);
    };
    with(&s, |store, _| {
        let Rendered { bytes, .. } = match &document_id {
            Some(id) => store.render_document_version(id, chrono::Utc::now())?,
            None => store.render_document(&inspection_id, kind, chrono::Utc::now())?,
        };
        kiemtra_core::store::files::write_bytes(&dest, &bytes, true)?;
        Ok(Some(dest.display().to_string()))
    })
}

/// The unit's self-inspection documents this laptop prints for the inspection (the
/// Văn bản tab's entries beside the Biên bản and the Thông báo; on the unit's laptop, its
/// only documents).
#[tauri::command]
fn unit_documents(s: State<'_, Shared>, inspection_id: String) -> Res<Vec<UnitDocument>> {
    with(&s, |store, _| store.unit_documents(&inspection_id))
}

/// One of those documents as it prints now: what the core calls it, its pages as PDF and
/// its text. Refused, saying where it is printed, for a kind this laptop does not list.
/// `numbering`: the number and day the văn thư gave it, printed in it (nothing is stored).
fn unit_document(
    store: &Store,
    inspection_id: &str,
    kind: DocumentKind,
    numbering: Option<&Numbering>,
) -> kiemtra_core::Result<UnitDocumentView> {
    let document = store.unit_document(inspection_id, kind)?;
    let rendered = store.render_unit_document_as(inspection_id, kind, numbering, chrono::Utc::now())?;
    Ok(UnitDocumentView {
        document,
        pdf_base64: base64::engine::general_purpose::STANDARD.encode(&rendered.bytes),
        pages: rendered.pages as u32,
        printed: rendered.model.texts(),
    })
}

#[tauri::command]
fn unit_document_view(
    s: State<'_, Shared>,
    inspection_id: String,
    kind: DocumentKind,
    numbering: Option<Numbering>,
) -> Res<UnitDocumentView> {
    with(&s, |store, _| {
        unit_document(store, &inspection_id, kind, numbering.as_ref())
    })
}

/// Save one of the unit's documents as PDF through the save dialog, under the name the core
/// suggests. None: cancelled. (`KIEMTRA_E2E_UNIT_DOC_FILE` stands in for the dialog.)
#[tauri::command]
async fn save_unit_document_pdf(
    window: tauri::Window,
    s: State<'_, Shared>,
    inspection_id: String,
    kind: DocumentKind,
    numbering: Option<Numbering>,
) -> Res<Option<String>> {
    // Rendered once, before the dialog: a refused number or day is said before a file is chosen.
    let (name, bytes) = with(&s, |store, _| {
        let name = store.unit_document(&inspection_id, kind)?.file_name;
        let Rendered { bytes, .. } =
            store.render_unit_document_as(&inspection_id, kind, numbering.as_ref(), chrono::Utc::now())?;
        Ok((name, bytes))
    })?;
    let Some(dest) = save_dialog(
        &window,
        "KIEMTRA_E2E_UNIT_DOC_FILE",
        &format!("Lưu {} thành tệp PDF", kind.label()),
        &name,
        ("Tệp PDF", &["pdf"]),
    ) else {
        return Ok(None);
    };
    kiemtra_core::store::files::write_bytes(&dest, &bytes, true)?;
    Ok(Some(dest.display().to_string()))
}

/// The «Báo cáo» screen: the plan in use's report (the province's summary), its current
/// version rendered as PDF, every version.
fn report(store: &Store) -> kiemtra_core::Result<ReportView> {
    let plan = store.current_plan()?;
    let now = chrono::Utc::now();
    let versions = store.report_versions(&plan.id)?;
    let rendered = store.render_report(&plan.id, None, now)?;
    Ok(ReportView {
        current: versions[0].clone(),
        status: status_label(&versions[0]),
        versions: versions
            .into_iter()
            .map(|info| ReportVersion {
                status: status_label(&info),
                info,
            })
            .collect(),
        pdf_base64: base64::engine::general_purpose::STANDARD.encode(&rendered.bytes),
        pages: rendered.pages as u32,
        printed: rendered.model.texts(),
        texts: store.report_texts(&plan.id, now)?,
        undoable: store.last_undoable()?,
    })
}

#[tauri::command]
fn report_view(s: State<'_, Shared>) -> Res<ReportView> {
    with(&s, |store, _| report(store))
}

/// A change to the report (who signs it, its texts, signer, recipients); an issued version
/// gets a new draft version.
#[tauri::command]
fn edit_report(s: State<'_, Shared>, patch: kiemtra_core::report::ReportPatch) -> Res<ReportView> {
    with(&s, |store, a| {
        let plan = store.current_plan()?;
        store.edit_report(&a.ctx(), &plan.id, &patch)?;
        report(store)
    })
}

/// Issue the report with its number and date: refused with all that is missing, then with
/// `document_unconfirmed` while it has warnings unless `confirm_warnings`; then frozen.
#[tauri::command]
fn issue_report(s: State<'_, Shared>, number: String, date: String, confirm_warnings: Option<bool>) -> Res<ReportView> {
    with(&s, |store, a| {
        let plan = store.current_plan()?;
        store.issue_report(&a.ctx(), &plan.id, &number, &date, confirm_warnings.unwrap_or(false))?;
        report(store)
    })
}

/// Save the report's current version as PDF through the native save dialog (an issued one:
/// its stored bytes). None: cancelled.
#[tauri::command]
async fn save_report_pdf(window: tauri::Window, s: State<'_, Shared>) -> Res<Option<String>> {
    let name = with(&s, |store, _| {
        let plan = store.current_plan()?;
        let info = store.report(&plan.id)?;
        Ok(match info.status {
            DocumentStatus::Issued => format!("bao-cao-{}-{}.pdf", info.number, plan.year),
            DocumentStatus::Draft => format!("bao-cao-ket-qua-kiem-tra-{}-du-thao.pdf", plan.year),
        })
    })?;
    let Some(dest) = save_dialog(
        &window,
        "KIEMTRA_E2E_REPORT_FILE",
        "Lưu báo cáo thành tệp PDF",
        &name,
        ("Tệp PDF", &["pdf"]),
    ) else {
        return Ok(None);
    };
    with(&s, |store, _| {
        let plan = store.current_plan()?;
        let Rendered { bytes, .. } = store.render_report(&plan.id, None, chrono::Utc::now())?;
        kiemtra_core::store::files::write_bytes(&dest, &bytes, true)?;
        Ok(Some(dest.display().to_string()))
    })
}

/// Print what the window shows through the system's print dialog. The screen's print
/// style sheet leaves only the document's rendered pages, each an A4 page with the
/// document's own margins; the dialog starts on A4 paper with no margins of its own (WebKitGTK
/// takes the margins from the dialog, not from CSS `@page`), so the sheet matches the PDF.
#[tauri::command]
async fn print_document(window: tauri::WebviewWindow) -> Res<()> {
    let failed = |e: tauri::Error| CmdError::new("print", format!("Không mở được hộp thoại in: {e}"));
    #[cfg(target_os = "linux")]
    {
        window
            .with_webview(|wv| {
                use gtk::prelude::*;
                use webkit2gtk::PrintOperationExt;
                let webview = wv.inner();
                let setup = gtk::PageSetup::new();
                setup.set_paper_size(&gtk::PaperSize::new(Some(gtk::PAPER_NAME_A4)));
                setup.set_orientation(gtk::PageOrientation::Portrait);
                for set in [
                    gtk::PageSetup::set_top_margin,
                    gtk::PageSetup::set_bottom_margin,
                    gtk::PageSetup::set_left_margin,
                    gtk::PageSetup::set_right_margin,
                ] {
                    set(&setup, 0.0, gtk::Unit::Mm);
                }
                let op = webkit2gtk::PrintOperation::new(&webview);
                op.set_page_setup(&setup);
                let parent = webview.toplevel().and_then(|w| w.downcast::<gtk::Window>().ok());
                op.run_dialog(parent.as_ref());
            })
            .map_err(failed)
    }
    #[cfg(not(target_os = "linux"))]
    {
        window.print().map_err(failed)
    }
}

/// "kiem-tra-cchc-2026-6112c3df-20261123-1444.kiemtra": the plan's year, this laptop (the
/// short device id the conflict list shows) and when.
fn exchange_file_name(year: i32, device_id: &str, now: chrono::NaiveDateTime) -> String {
    let device: String = device_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(8)
        .collect();
    format!(
        "kiem-tra-cchc-{year}-{device}-{}.{}",
        now.format("%Y%m%d-%H%M"),
        kiemtra_core::exchange::file::EXTENSION
    )
}

/// Export the plan (or the chosen units) into an exchange file where the user chooses.
/// None: the dialog was cancelled. (`KIEMTRA_E2E_EXPORT_FILE` stands in for the dialog in
/// the end-to-end test.)
#[tauri::command]
async fn export_exchange(
    app: tauri::AppHandle,
    window: tauri::Window,
    s: State<'_, Shared>,
    unit_ids: Vec<String>,
) -> Res<Option<kiemtra_core::exchange::Exported>> {
    let name = with(&s, |store, _| {
        Ok(exchange_file_name(
            store.current_plan()?.year,
            store.device_id(),
            chrono::Local::now().naive_local(),
        ))
    })?;
    let dest = save_dialog(
        &window,
        "KIEMTRA_E2E_EXPORT_FILE",
        "Xuất tệp trao đổi",
        &name,
        ("Tệp trao đổi Kiểm tra CCHC", &[kiemtra_core::exchange::file::EXTENSION]),
    );
    let Some(dest) = dest else {
        return Ok(None);
    };
    on_blocking_thread(app, move |s| {
        with(&s, |store, a| {
            let plan = store.current_plan()?;
            let e = store.export_exchange_replacing(&a.ctx(), &plan.id, &unit_ids, &dest)?;
            Ok(Some(e))
        })
    })
    .await
}

/// Run `f` on a thread of its own: a long action (reading a large exchange file, merging it)
/// keeps neither the window nor the async runtime waiting.
async fn on_blocking_thread<T: Send + 'static>(
    app: tauri::AppHandle,
    f: impl FnOnce(State<'_, Shared>) -> Res<T> + Send + 'static,
) -> Res<T> {
    tauri::async_runtime::spawn_blocking(move || f(app.state::<Shared>()))
        .await
        .map_err(|_| CmdError::new("internal", "Lỗi nội bộ: hãy khởi động lại ứng dụng."))?
}

/// Test-only: the file the end-to-end test names in `var`, standing in for a native dialog
/// (which WebDriver cannot drive). Unset in normal use.
fn e2e_file(var: &str) -> Option<PathBuf> {
    std::env::var_os(var).filter(|p| !p.is_empty()).map(PathBuf::from)
}

/// The native "save as" dialog (None: cancelled); in the end-to-end test the file named in
/// `e2e_var` answers it.
fn save_dialog(
    window: &tauri::Window,
    e2e_var: &str,
    title: &str,
    name: &str,
    filter: (&str, &[&str]),
) -> Option<PathBuf> {
    e2e_file(e2e_var).or_else(|| {
        window
            .dialog()
            .file()
            .set_parent(window)
            .set_title(title)
            .set_file_name(name)
            .add_filter(filter.0, filter.1)
            .blocking_save_file()
            .and_then(|d| d.into_path().ok())
    })
}

/// The native "open" dialog for one file (None: cancelled); in the end-to-end test the file
/// named in `e2e_var` answers it.
fn pick_dialog(window: &tauri::Window, e2e_var: &str, title: &str, filters: &[(&str, &[&str])]) -> Option<PathBuf> {
    e2e_file(e2e_var).or_else(|| {
        let mut d = window.dialog().file().set_parent(window).set_title(title);
        for (name, exts) in filters {
            d = d.add_filter(*name, exts);
        }
        d.blocking_pick_file().and_then(|f| f.into_path().ok())
    })
}

/// Choose an exchange file (nothing is read yet). None: the dialog was cancelled.
/// (`KIEMTRA_E2E_IMPORT_FILE` stands in for the dialog in the end-to-end test.)
#[tauri::command]
async fn pick_exchange_file(window: tauri::Window) -> Res<Option<ExchangeFile>> {
    let path = pick_dialog(
        &window,
        "KIEMTRA_E2E_IMPORT_FILE",
        "Chọn tệp trao đổi để nhập",
        &[("Tệp trao đổi Kiểm tra CCHC", &[kiemtra_core::exchange::file::EXTENSION])],
    );
    Ok(path.map(|path| ExchangeFile {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        path: path.display().to_string(),
    }))
}

fn unprotected(allow: bool) -> kiemtra_core::exchange::Unprotected {
    if allow {
        kiemtra_core::exchange::Unprotected::Allow
    } else {
        kiemtra_core::exchange::Unprotected::Refuse
    }
}

/// What importing the chosen file would do (nothing changes yet), and who made it. A file
/// without the team's protection is refused (`exchange_unprotected`) unless the user chose
/// «Vẫn nhập» (`allow_unprotected`).
#[tauri::command]
async fn preview_exchange(app: tauri::AppHandle, path: String, allow_unprotected: bool) -> Res<ExchangePick> {
    on_blocking_thread(app, move |s| {
        with(&s, |store, a| {
            let path = PathBuf::from(&path);
            let summary = store.preview_exchange_with(&a.ctx(), &path, unprotected(allow_unprotected))?;
            Ok(ExchangePick {
                path: path.display().to_string(),
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default(),
                summary,
            })
        })
    })
    .await
}

/// Import a previewed file, after a backup into the data folder's `sao-luu`, sending the
/// progress on `progress` as the records are merged (on a thread of its own: the window
/// stays responsive). An unprotected file only with `allow_unprotected` («Vẫn nhập»).
#[tauri::command]
async fn import_exchange(
    app: tauri::AppHandle,
    path: String,
    allow_unprotected: bool,
    progress: tauri::ipc::Channel<ImportProgress>,
) -> Res<kiemtra_core::exchange::ImportSummary> {
    on_blocking_thread(app, move |s| {
        with(&s, |store, a| {
            // The core reports every 256 records and at the end.
            store.import_exchange_with(
                &a.ctx(),
                Path::new(&path),
                Some(&backup_dir(a)),
                unprotected(allow_unprotected),
                &mut |done, total| {
                    let _ = progress.send(ImportProgress {
                        done: done as u32,
                        total: total as u32,
                    });
                },
            )
        })
    })
    .await
}

/// Where a backup is taken before an import: the data folder's `sao-luu`.
fn backup_dir(a: &AppState) -> PathBuf {
    a.db_path
        .parent()
        .map(|d| d.join("sao-luu"))
        .unwrap_or_else(|| PathBuf::from("sao-luu"))
}

/// The files received here, newest first (the exchange screen's «Tệp đã nhận»).
#[tauri::command]
fn received_files(s: State<'_, Shared>) -> Res<Vec<kiemtra_core::exchange::ReceivedFile>> {
    with(&s, |store, _| store.received_files(100))
}

// ---- the team's keys ---------------------------------------------------------------

/// The team key on this laptop, its short code and the team's laptops (None: no team yet).
#[tauri::command]
fn team_view(s: State<'_, Shared>) -> Res<Option<TeamView>> {
    with(&s, |store, _| store.team_view())
}

/// Set up the team key: this laptop becomes the lead's, and its changes are recorded under
/// `member` from now on.
#[tauri::command]
fn team_create(s: State<'_, Shared>, name: String, member: String) -> Res<TeamView> {
    with(&s, |store, a| {
        let v = store.team_create(&a.ctx(), &name, &member)?;
        a.set_member(store.member_name()?);
        Ok(v)
    })
}

/// "moi-tran-thi-binh.kiemtra-moi": what an invitation is saved as by default.
fn invite_file_name(prefix: &str, who: &str) -> String {
    let slug: String = kiemtra_core::text::fold(who)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("{prefix}-{slug}.{}", kiemtra_core::format::invite::EXTENSION)
}

fn invite_dialog(window: &tauri::Window, title: &str, name: &str) -> Option<PathBuf> {
    save_dialog(
        window,
        "KIEMTRA_E2E_INVITE_FILE",
        title,
        name,
        (
            "Lời mời tham gia đoàn Kiểm tra CCHC",
            &[kiemtra_core::format::invite::EXTENSION],
        ),
    )
}

fn join_dialog(window: &tauri::Window, title: &str) -> Option<PathBuf> {
    pick_dialog(
        window,
        "KIEMTRA_E2E_JOIN_FILE",
        title,
        &[(
            "Lời mời tham gia đoàn Kiểm tra CCHC",
            &[kiemtra_core::format::invite::EXTENSION],
        )],
    )
}

/// Invite a member's laptop (lead only): the invitation is saved where the user chooses.
/// None: the dialog was cancelled. (`KIEMTRA_E2E_INVITE_FILE` stands in for the dialog.)
#[tauri::command]
async fn team_invite(window: tauri::Window, s: State<'_, Shared>, member: String) -> Res<Option<InviteDone>> {
    let Some(dest) = invite_dialog(&window, "Lưu tệp mời thành viên", &invite_file_name("moi", &member)) else {
        return Ok(None);
    };
    with(&s, |store, a| {
        // The save dialog asked whether to replace an older file.
        let invited = store.team_invite_replacing(&a.ctx(), &member, &dest)?;
        Ok(Some(InviteDone {
            invited,
            team: store.team_view()?,
        }))
    })
}

/// Join the team from the lead's invitation, chosen in the open dialog (None: cancelled);
/// changes are recorded under the invited member's name from now on.
/// (`KIEMTRA_E2E_JOIN_FILE` stands in for the dialog.)
#[tauri::command]
async fn team_join(window: tauri::Window, s: State<'_, Shared>) -> Res<Option<TeamView>> {
    let Some(path) = join_dialog(&window, "Chọn tệp mời tham gia đoàn") else {
        return Ok(None);
    };
    with(&s, |store, a| {
        let v = store.team_join(&a.ctx(), &path)?;
        a.set_member(store.member_name()?);
        Ok(Some(v))
    })
}

/// Remove a lost or retired laptop from the team (lead only).
#[tauri::command]
fn team_revoke(s: State<'_, Shared>, laptop_id: String) -> Res<TeamView> {
    with(&s, |store, a| store.team_revoke(&a.ctx(), &laptop_id))
}

/// Invite the inspected unit's laptop for its self-assessment (lead only): the invitation,
/// with the unit's checklist, is saved where the user chooses. None: cancelled.
/// (`KIEMTRA_E2E_INVITE_FILE` stands in for the dialog.)
#[tauri::command]
async fn self_invite(
    app: tauri::AppHandle,
    window: tauri::Window,
    s: State<'_, Shared>,
    unit_id: String,
) -> Res<Option<InviteDone>> {
    let unit = with(&s, |store, _| store.unit(&unit_id))?;
    let Some(dest) = invite_dialog(
        &window,
        "Lưu tệp mời đơn vị tự đánh giá",
        &invite_file_name("moi-tu-danh-gia", &unit.name),
    ) else {
        return Ok(None);
    };
    // It exports the unit's checklist and evidence: on a thread of its own.
    on_blocking_thread(app, move |s| {
        with(&s, |store, a| {
            let invited = store.self_invite_replacing(&a.ctx(), &unit_id, &dest)?;
            Ok(Some(InviteDone {
                invited,
                team: store.team_view()?,
            }))
        })
    })
    .await
}

/// On the unit's laptop: open the unit's invitation (the open dialog; None: cancelled),
/// take in its checklist after a backup, and go into unit mode for it.
/// (`KIEMTRA_E2E_JOIN_FILE` stands in for the dialog.)
#[tauri::command]
async fn self_join(app: tauri::AppHandle, window: tauri::Window) -> Res<Option<SelfJoined>> {
    let Some(path) = join_dialog(&window, "Chọn tệp mời đơn vị tự đánh giá") else {
        return Ok(None);
    };
    on_blocking_thread(app, move |s| {
        with(&s, |store, a| {
            let (team, summary) = store.self_join(&a.ctx(), &path, Some(&backup_dir(a)))?;
            a.set_member(store.member_name()?);
            Ok(Some(SelfJoined { team, summary }))
        })
    })
    .await
}

#[tauri::command]
fn conflicts(s: State<'_, Shared>) -> Res<Vec<kiemtra_core::exchange::Conflict>> {
    with(&s, |store, _| store.conflicts())
}

/// Choose a value for a conflict: the version this laptop shows ("mine"), another version
/// ("theirs", `version` its clock or a prefix of it; none: the newest other one), or a
/// rewrite ("value", with `value`). Returns the conflicts left.
#[tauri::command]
fn resolve_conflict(
    s: State<'_, Shared>,
    id: String,
    keep: KeepChoice,
    value: Option<String>,
    version: Option<String>,
) -> Res<Vec<kiemtra_core::exchange::Conflict>> {
    use kiemtra_core::exchange::Keep;
    with(&s, |store, a| {
        let keep = match keep {
            KeepChoice::Mine => Keep::Mine,
            KeepChoice::Theirs => Keep::Theirs(version),
            // The core reads a rewritten figure by its unit, as it is shown ("1.081").
            KeepChoice::Value => Keep::Value(value.unwrap_or_default()),
        };
        store.resolve_conflict(&a.ctx(), &id, keep)?;
        store.conflicts()
    })
}

// ---- after the visit ---------------------------------------------------------------

/// The follow-up screen: every recommendation of the plan (or only the overdue ones).
#[tauri::command]
fn followup_view(s: State<'_, Shared>, overdue_only: bool) -> Res<FollowupPage> {
    with(&s, |store, a| followup_page(store, &a.ctx(), overdue_only))
}

fn followup_page(store: &Store, ctx: &Ctx, overdue_only: bool) -> kiemtra_core::Result<FollowupPage> {
    let p = store.current_plan()?;
    Ok(FollowupPage {
        view: store.followups(&p.id, ctx.today(), overdue_only)?,
        undoable: store.last_undoable()?,
    })
}

/// Record a recommendation's follow-up; with `pick_file`, the native dialog chooses the
/// scan of the unit's report (cancelling it changes nothing: the screen gets its view back).
/// The file path never comes
/// from the window. (`KIEMTRA_E2E_ATTACH_FILE` stands in for the dialog in the end-to-end
/// test.)
#[tauri::command]
async fn update_followup(
    window: tauri::Window,
    s: State<'_, Shared>,
    recommendation_id: String,
    input: kiemtra_core::followup::RemediationPatch,
    pick_file: bool,
    overdue_only: bool,
) -> Res<FollowupPage> {
    let mut input = input;
    input.evidence_file = None;
    if pick_file {
        let picked = pick_dialog(
            &window,
            "KIEMTRA_E2E_ATTACH_FILE",
            "Chọn bản scan báo cáo khắc phục hoặc ảnh kết quả",
            &[
                ("Ảnh và tài liệu", &["jpg", "jpeg", "png", "webp", "pdf", "doc", "docx"]),
                ("Mọi tệp", &["*"]),
            ],
        );
        match picked {
            Some(p) => input.evidence_file = Some(p),
            None => return with(&s, |store, a| followup_page(store, &a.ctx(), overdue_only)),
        }
    }
    with(&s, |store, a| {
        store.update_followup(&a.ctx(), &recommendation_id, &input)?;
        followup_page(store, &a.ctx(), overdue_only)
    })
}

/// Start a re-inspection of an inspection: a linked inspection carrying the recommendations
/// not yet remedied.
#[tauri::command]
fn reinspect(s: State<'_, Shared>, inspection_id: String) -> Res<kiemtra_core::followup::Reinspection> {
    with(&s, |store, a| store.reinspect(&a.ctx(), &inspection_id))
}

/// Export the plan to an Excel workbook where the user chooses (None: cancelled).
/// (`KIEMTRA_E2E_XLSX_FILE` stands in for the dialog in the end-to-end test.)
#[tauri::command]
async fn export_xlsx(app: tauri::AppHandle, window: tauri::Window, s: State<'_, Shared>) -> Res<Option<XlsxDone>> {
    let name = with(&s, |store, _| {
        Ok(format!(
            "ket-qua-kiem-tra-cchc-{}-{}.xlsx",
            store.current_plan()?.year,
            chrono::Local::now().format("%Y%m%d")
        ))
    })?;
    let dest = save_dialog(
        &window,
        "KIEMTRA_E2E_XLSX_FILE",
        "Xuất bảng tính Excel",
        &name,
        ("Bảng tính Excel", &["xlsx"]),
    );
    let Some(dest) = dest else { return Ok(None) };
    on_blocking_thread(app, move |s| {
        with(&s, |store, a| {
            let p = store.current_plan()?;
            // The save dialog has asked before replacing a file.
            let summary = store.export_xlsx(&p.id, a.ctx().today(), &dest, true)?;
            Ok(Some(XlsxDone {
                path: dest.display().to_string(),
                summary,
            }))
        })
    })
    .await
}

/// The holiday list of a year.
#[tauri::command]
fn holidays(s: State<'_, Shared>, year: i32) -> Res<Vec<kiemtra_core::calendar::Holiday>> {
    with(&s, |store, _| store.holidays(Some(year)))
}

/// Add or change a day off (or a make-up working day); returns that year's list.
#[tauri::command]
fn set_holiday(
    s: State<'_, Shared>,
    date: String,
    kind: kiemtra_core::calendar::HolidayKind,
    name: String,
) -> Res<Vec<kiemtra_core::calendar::Holiday>> {
    with(&s, |store, _| {
        let h = store.set_holiday(&date, kind, &name)?;
        store.holidays(h.date[..4].parse().ok())
    })
}

#[tauri::command]
fn remove_holiday(s: State<'_, Shared>, date: String) -> Res<Vec<kiemtra_core::calendar::Holiday>> {
    with(&s, |store, _| {
        let h = store.remove_holiday(&date)?;
        store.holidays(h.date[..4].parse().ok())
    })
}

/// Put this laptop in unit mode for a unit's self-assessment (Some), or back (None).
#[tauri::command]
fn set_self_mode(s: State<'_, Shared>, unit_id: Option<String>) -> Res<AppInfo> {
    with(&s, |store, _| {
        store.set_self_assessment_unit(unit_id.as_deref())?;
        Ok(())
    })?;
    app_info(s)
}

/// A figure as the unit reports it (empty clears it).
#[tauri::command]
fn set_self_figure(s: State<'_, Shared>, inspection_id: String, key: String, value: String) -> Res<InspectionLive> {
    change(&s, &inspection_id, |store, ctx| {
        if value.trim().is_empty() {
            store.clear_self_figure(ctx, &inspection_id, &key).map(|_| ())
        } else {
            store
                .set_self_figure_text(ctx, &inspection_id, &key, &value)
                .map(|_| ())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The commands get their permissions from build.rs and are granted in the window's
    /// capability: the two lists must name the same commands.
    #[test]
    fn every_command_is_granted_and_nothing_else() {
        let build = include_str!("../build.rs");
        let list = &build[build.find("const COMMANDS").unwrap()..build.find("];").unwrap()];
        let mut commands: Vec<String> = list
            .split('"')
            .skip(1)
            .step_by(2)
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .collect();
        let cap: serde_json::Value = serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
        let mut granted: Vec<String> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        // Besides the app's own commands, only the window-state plugin's (size and place).
        let plugins: Vec<String> = granted.iter().filter(|p| p.contains(':')).cloned().collect();
        assert_eq!(plugins, ["window-state:default"]);
        granted.retain(|p| !p.contains(':'));
        commands.sort();
        granted.sort();
        assert_eq!(commands, granted);
        assert_eq!(commands.len(), 72);
    }

    fn info(status: DocumentStatus, number: &str) -> DocumentInfo {
        DocumentInfo {
            id: None,
            inspection_id: String::new(),
            kind: DocumentKind::ThongBao,
            version: 1,
            status,
            number: number.into(),
            date: None,
            symbol: "TB-ĐKT".into(),
            issued_at: None,
            snapshot_sha256: None,
            supersedes_id: None,
            edits: Default::default(),
            signer: Default::default(),
            signer_edited: false,
            recipients: vec![],
            recipients_edited: false,
            missing: vec![],
            warnings: vec![],
            sections: vec![],
            changed_since_issue: false,
        }
    }

    #[test]
    fn pdf_file_names_say_what_the_document_is_without_diacritics() {
        assert_eq!(
            pdf_file_name(&info(DocumentStatus::Draft, ""), "xã Hạ Lang"),
            "thong-bao-xa-ha-lang-du-thao.pdf"
        );
        assert_eq!(
            pdf_file_name(&info(DocumentStatus::Issued, "05"), "xã Hạ Lang"),
            "thong-bao-05-xa-ha-lang.pdf"
        );
        let mut bb = info(DocumentStatus::Draft, "");
        bb.kind = DocumentKind::BienBan;
        assert_eq!(
            pdf_file_name(&bb, "Sở Khoa học và Công nghệ"),
            "bien-ban-so-khoa-hoc-va-cong-nghe-du-thao.pdf"
        );
    }

    #[test]
    fn invitations_are_named_after_whom_they_invite_without_diacritics() {
        assert_eq!(
            invite_file_name("moi", "Trần Thị Bình"),
            "moi-tran-thi-binh.kiemtra-moi"
        );
        assert_eq!(
            invite_file_name("moi-tu-danh-gia", "xã Hạ Lang"),
            "moi-tu-danh-gia-xa-ha-lang.kiemtra-moi"
        );
        assert_eq!(invite_file_name("moi", "Đỗ  Văn / Đức"), "moi-do-van-duc.kiemtra-moi");
    }

    #[test]
    fn checklist_files_are_named_by_kind_and_version_without_diacritics() {
        assert_eq!(
            template_file_name(TemplateKind::Xa, "2026.1"),
            "bo-tieu-chi-xa-2026.1.toml"
        );
        assert_eq!(
            template_file_name(TemplateKind::CoQuan, "2026 (sửa) ../x"),
            "bo-tieu-chi-co-quan-2026-sua-x.toml"
        );
    }

    #[test]
    fn exchange_files_are_named_by_year_laptop_and_time() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(14, 4, 59)
            .unwrap();
        assert_eq!(
            exchange_file_name(2026, "6112c3df-0b6a-4a43-9f8e-2d1c7f1b5e0a", at),
            "kiem-tra-cchc-2026-6112c3df-20261123-1404.kiemtra"
        );
    }
}
