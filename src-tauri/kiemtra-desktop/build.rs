/// The commands the UI may call: each gets an `allow-…` permission, and
/// `capabilities/main.json` grants exactly these to the main window (nothing else: no
/// shell, fs or http plugin). A command missing here cannot be called from the UI.
const COMMANDS: &[&str] = &[
    "app_info",
    "plan_view",
    "ranking_view",
    "inspection_view",
    "set_response",
    "set_figure",
    "add_evidence",
    "delete_evidence",
    "attachment_data",
    "add_finding",
    "update_finding",
    "delete_finding",
    "add_recommendation",
    "update_recommendation",
    "delete_recommendation",
    "set_recommendation_state",
    "update_plan",
    "update_team",
    "add_member",
    "remove_member",
    "update_inspection",
    "undo",
    "backup",
    "search",
    "document_view",
    "edit_document",
    "issue_document",
    "save_document_pdf",
    "print_document",
    "export_exchange",
    "pick_exchange_file",
    "import_exchange",
    "conflicts",
    "resolve_conflict",
    "followup_view",
    "update_followup",
    "reinspect",
    "export_xlsx",
    "holidays",
    "set_holiday",
    "remove_holiday",
    "set_self_mode",
    "set_self_figure",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build configuration");
}
