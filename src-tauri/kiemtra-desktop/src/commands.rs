//! The commands the UI calls. Each is one call into `kiemtra-core` (plus reading back the
//! view the screen shows); dialogs are opened here, never in the core. Errors reach the UI
//! as `{code, message}` with a Vietnamese message.

use std::path::PathBuf;

use base64::Engine;
use kiemtra_core::checklist::ResponsePatch;
use kiemtra_core::model::*;
use kiemtra_core::plan::{InspectionPatch, PlanPatch, TeamPatch};
use kiemtra_core::text::parse_number;
use kiemtra_core::undo::Undone;
use kiemtra_core::Store;
use tauri::State;
use tauri_plugin_dialog::DialogExt;

use crate::ipc::*;
use crate::{AppState, Shared};

type Res<T> = Result<T, CmdError>;

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app_info,
        plan_view,
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
        add_member,
        remove_member,
        update_inspection,
        undo,
        backup,
        search,
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
    Ok(f(&mut store, a)?)
}

fn inspection(store: &Store, id: &str) -> kiemtra_core::Result<InspectionView> {
    let checklist = store.checklist(id)?;
    let (figures, rates) = store.figures(id)?;
    Ok(InspectionView {
        checklist,
        figures,
        rates,
        evidence: store.evidence(id, None)?,
        findings: store.findings(id)?,
        recommendations: store.recommendations(id)?,
        undoable: store.last_undoable()?,
    })
}

fn plan(store: &Store) -> kiemtra_core::Result<PlanView> {
    let p = store.current_plan()?;
    let overview = store.plan_overview(&p.id)?;
    let ranking = store.ranking(&p.id)?;
    let mut areas: Vec<AreaTitle> = Vec::new();
    if let Some(first) = overview.inspections.first() {
        let t = store.template(&store.inspection_template_id(&first.id)?)?;
        areas = t
            .areas
            .iter()
            .map(|a| AreaTitle {
                code: a.code.clone(),
                title: a.title.clone(),
            })
            .collect();
    }
    Ok(PlanView {
        overview,
        ranking,
        areas,
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
            inspector: a.inspector.clone(),
            created: a.created,
            undoable: store.last_undoable()?,
            labels: Labels::new(),
        })
    })
}

#[tauri::command]
fn plan_view(s: State<'_, Shared>) -> Res<PlanView> {
    with(&s, |store, _| plan(store))
}

#[tauri::command]
fn inspection_view(s: State<'_, Shared>, inspection_id: String) -> Res<InspectionView> {
    with(&s, |store, _| inspection(store, &inspection_id))
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
) -> Res<InspectionView> {
    with(&s, |store, a| {
        let v = value.trim();
        let score = |what: &str| -> kiemtra_core::Result<Option<f64>> {
            if v.is_empty() {
                Ok(None)
            } else {
                parse_number(v, false, what).map(Some)
            }
        };
        let p = match field {
            ResponseField::SelfScore => ResponsePatch {
                self_score: Some(score("Điểm tự chấm")?),
                ..Default::default()
            },
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
        store.set_response(&a.ctx(), &inspection_id, &code, &p)?;
        inspection(store, &inspection_id)
    })
}

/// A figure typed the Vietnamese way ("1.081", "86,5"); empty clears it.
#[tauri::command]
fn set_figure(s: State<'_, Shared>, inspection_id: String, key: String, value: String) -> Res<InspectionView> {
    with(&s, |store, a| {
        if value.trim().is_empty() {
            store.clear_figure(&a.ctx(), &inspection_id, &key)?;
        } else {
            store.set_figure_text(&a.ctx(), &inspection_id, &key, &value)?;
        }
        inspection(store, &inspection_id)
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
) -> Res<InspectionView> {
    let files: Vec<PathBuf> = if pick_files {
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
        match picked {
            None => return with(&s, |store, _| inspection(store, &inspection_id)),
            Some(list) => list.into_iter().filter_map(|f| f.into_path().ok()).collect(),
        }
    } else {
        Vec::new()
    };
    with(&s, |store, a| {
        let date = (!input.doc_date.trim().is_empty()).then_some(input.doc_date.as_str());
        if files.is_empty() {
            store.add_evidence(
                &a.ctx(),
                &inspection_id,
                &input.code,
                &input.doc_number,
                date,
                &input.description,
                None,
            )?;
        }
        for f in &files {
            store.add_evidence(
                &a.ctx(),
                &inspection_id,
                &input.code,
                &input.doc_number,
                date,
                &input.description,
                Some(f),
            )?;
        }
        inspection(store, &inspection_id)
    })
}

#[tauri::command]
fn delete_evidence(s: State<'_, Shared>, inspection_id: String, id: String) -> Res<InspectionView> {
    with(&s, |store, a| {
        store.delete_evidence(&a.ctx(), &inspection_id, &id)?;
        inspection(store, &inspection_id)
    })
}

/// An attached image as a data: URL for its thumbnail (images only).
#[tauri::command]
fn attachment_data(s: State<'_, Shared>, sha256: String) -> Res<String> {
    with(&s, |store, _| {
        let (_name, media_type, bytes) = store.attachment(&sha256)?;
        if !media_type.starts_with("image/") {
            return Ok(String::new());
        }
        Ok(format!(
            "data:{media_type};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    })
}

#[tauri::command]
fn add_finding(
    s: State<'_, Shared>,
    inspection_id: String,
    area: String,
    kind: FindingKind,
    text: String,
) -> Res<InspectionView> {
    with(&s, |store, a| {
        store.add_finding(&a.ctx(), &inspection_id, &area, kind, &text)?;
        inspection(store, &inspection_id)
    })
}

#[tauri::command]
fn update_finding(s: State<'_, Shared>, inspection_id: String, id: String, text: String) -> Res<InspectionView> {
    with(&s, |store, a| {
        store.update_finding(&a.ctx(), &id, &text)?;
        inspection(store, &inspection_id)
    })
}

#[tauri::command]
fn delete_finding(s: State<'_, Shared>, inspection_id: String, id: String) -> Res<InspectionView> {
    with(&s, |store, a| {
        store.delete_finding(&a.ctx(), &id)?;
        inspection(store, &inspection_id)
    })
}

#[tauri::command]
fn add_recommendation(s: State<'_, Shared>, inspection_id: String, input: RecommendationInput) -> Res<InspectionView> {
    with(&s, |store, a| {
        let deadline = (!input.deadline.trim().is_empty()).then_some(input.deadline.as_str());
        store.add_recommendation(
            &a.ctx(),
            &inspection_id,
            Some(input.area.as_str()),
            &input.text,
            &input.owner,
            deadline,
        )?;
        inspection(store, &inspection_id)
    })
}

#[tauri::command]
fn update_recommendation(
    s: State<'_, Shared>,
    inspection_id: String,
    id: String,
    input: RecommendationInput,
) -> Res<InspectionView> {
    with(&s, |store, a| {
        store.update_recommendation(
            &a.ctx(),
            &id,
            Some(&input.text),
            Some(&input.owner),
            Some(&input.deadline),
            Some(&input.area),
        )?;
        inspection(store, &inspection_id)
    })
}

#[tauri::command]
fn delete_recommendation(s: State<'_, Shared>, inspection_id: String, id: String) -> Res<InspectionView> {
    with(&s, |store, a| {
        store.delete_recommendation(&a.ctx(), &id)?;
        inspection(store, &inspection_id)
    })
}

#[tauri::command]
fn set_recommendation_state(
    s: State<'_, Shared>,
    inspection_id: String,
    id: String,
    state: RecommendationState,
) -> Res<InspectionView> {
    with(&s, |store, a| {
        store.set_recommendation_state(&a.ctx(), &id, state, None, None)?;
        inspection(store, &inspection_id)
    })
}

#[tauri::command]
fn update_plan(s: State<'_, Shared>, input: PlanInput) -> Res<PlanView> {
    with(&s, |store, a| {
        let p = store.current_plan()?;
        let patch = PlanPatch {
            number: input.number,
            date: input.date,
            title: input.title,
            issuing_body: input.issuing_body,
            signer_name: input.signer_name,
            signer_title: input.signer_title,
            period_start: input.period_start,
            period_end: input.period_end,
            legal_bases: input.legal_bases,
        };
        store.update_plan(&a.ctx(), &p.id, &patch)?;
        plan(store)
    })
}

#[tauri::command]
fn update_team(s: State<'_, Shared>, input: TeamInput) -> Res<PlanView> {
    with(&s, |store, a| {
        let p = store.current_plan()?;
        let patch = TeamPatch {
            name: input.name,
            decision_number: input.decision_number,
            decision_date: input.decision_date,
            decision_signer: input.decision_signer,
            decision_signer_title: input.decision_signer_title,
            standing_agency: input.standing_agency,
            parent_body: input.parent_body,
        };
        store.update_team(&a.ctx(), &p.id, &patch)?;
        plan(store)
    })
}

#[tauri::command]
fn add_member(s: State<'_, Shared>, input: MemberInput) -> Res<PlanView> {
    with(&s, |store, a| {
        let p = store.current_plan()?;
        store.add_member(&a.ctx(), &p.id, &input.name, input.role, &input.agency, &input.title)?;
        plan(store)
    })
}

#[tauri::command]
fn remove_member(s: State<'_, Shared>, id: String) -> Res<PlanView> {
    with(&s, |store, a| {
        let p = store.current_plan()?;
        store.remove_member(&a.ctx(), &p.id, &id)?;
        plan(store)
    })
}

#[tauri::command]
fn update_inspection(s: State<'_, Shared>, inspection_id: String, input: InspectionInput) -> Res<InspectionView> {
    with(&s, |store, a| {
        let patch = InspectionPatch {
            state: input.state,
            scheduled_start: input.scheduled_start,
            scheduled_end: input.scheduled_end,
            actual_start: input.actual_start,
            actual_end: input.actual_end,
        };
        store.update_inspection(&a.ctx(), &inspection_id, &patch)?;
        inspection(store, &inspection_id)
    })
}

/// Undo the last change made on this laptop; the screen reloads its view afterwards.
#[tauri::command]
fn undo(s: State<'_, Shared>) -> Res<Undone> {
    with(&s, |store, a| store.undo_last(&a.ctx()))
}

/// A consistent copy of the database, saved where the user chooses.
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
        if dest.exists() {
            // The dialog already asked whether to replace it.
            std::fs::remove_file(&dest).map_err(|e| kiemtra_core::Error::io("thay tệp sao lưu cũ", &dest, e))?;
        }
        let bytes = store.backup(&dest)?;
        Ok(Some(BackupDone {
            path: dest.display().to_string(),
            bytes: bytes as i64,
        }))
    })
}

#[tauri::command]
fn search(s: State<'_, Shared>, query: String) -> Res<Vec<SearchHit>> {
    with(&s, |store, _| store.search(&query, 50))
}
