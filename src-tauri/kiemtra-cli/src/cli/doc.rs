//! `kiemtra doc …`: the Biên bản and the Thông báo as Decree-30 PDFs, headless.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args as ClapArgs, Subcommand};
use kiemtra_core::document::{status_label, DocEdits, DocPatch, DocumentInfo, Signer};
use kiemtra_core::model::{DocumentKind, DocumentStatus};
use kiemtra_core::report::{ReportBy, ReportEdits, ReportInfo, ReportPatch};
use kiemtra_core::unitdocs::Numbering;
use kiemtra_core::{Error, Refusal, Result, Store};
use serde_json::json;

use super::App;
use crate::output::{json, json_ok, table};

#[derive(Subcommand)]
pub enum DocCmd {
    /// Các văn bản của một đơn vị: phiên bản, tình trạng, còn thiếu gì để ban hành
    Show { unit: Option<String> },
    /// Ghi văn bản ra tệp PDF: bản đã ban hành (đúng từng byte) hoặc dự thảo (để trống số, ngày)
    Pdf {
        /// Đơn vị (không ghi với --kind bao-cao: báo cáo của cả kế hoạch)
        unit: Option<String>,
        #[command(flatten)]
        kind: KindArg,
        /// Tệp PDF ra
        #[arg(long, value_name = "TỆP")]
        out: PathBuf,
        /// Phiên bản (mặc định: mới nhất)
        #[arg(long)]
        version: Option<u32>,
        /// Đề cương, báo cáo tự kiểm tra: số văn thư đã cấp, in vào văn bản (cùng --date)
        #[arg(long)]
        number: Option<String>,
        /// Đề cương, báo cáo tự kiểm tra: ngày của văn bản (dd/mm/yyyy)
        #[arg(long)]
        date: Option<String>,
    },
    /// In nội dung văn bản ra màn hình (đúng chữ sẽ in)
    Text {
        unit: Option<String>,
        #[command(flatten)]
        kind: KindArg,
    },
    /// Sửa văn bản trước khi ban hành (sửa văn bản đã ban hành sẽ tạo phiên bản mới)
    Edit(Box<DocEdit>),
    /// Ban hành: đặt số và ngày, khóa nội dung, lưu bản PDF và mã băm
    Issue {
        unit: Option<String>,
        #[command(flatten)]
        kind: KindArg,
        /// Số văn bản (chỉ số thứ tự, ví dụ 5 → 05)
        #[arg(long, default_value = "")]
        number: String,
        /// Ngày ban hành
        #[arg(long, default_value = "")]
        date: String,
        /// Vẫn ban hành khi có điều cần xác nhận (bảng tiêu chí chưa chấm hết, biên bản chưa
        /// ban hành)
        #[arg(long)]
        force: bool,
        /// Ghi luôn bản PDF ra tệp
        #[arg(long, value_name = "TỆP")]
        out: Option<PathBuf>,
    },
    /// Ghi văn bản của mọi đơn vị trong kế hoạch vào một thư mục
    Batch {
        #[command(flatten)]
        kind: KindArg,
        /// Thư mục ra (tạo nếu chưa có; không ghi đè tệp đã có)
        #[arg(long, value_name = "THƯ MỤC")]
        out: PathBuf,
    },
    /// Đo thời gian tạo văn bản (bản phát hành): một đơn vị nhiều lần, rồi cả kế hoạch
    Bench {
        unit: String,
        #[command(flatten)]
        kind: KindArg,
        #[arg(long, default_value_t = 50)]
        runs: usize,
    },
}

#[derive(ClapArgs)]
pub struct KindArg {
    /// Loại văn bản: bien-ban (biên bản kiểm tra), thong-bao (thông báo kết quả), bao-cao
    /// (báo cáo kết quả kiểm tra của cả kế hoạch), de-cuong (đề cương báo cáo tự kiểm tra),
    /// tu-kiem-tra (báo cáo kết quả tự kiểm tra của đơn vị)
    #[arg(long = "kind", value_name = "LOẠI", default_value = "thong-bao")]
    kind: String,
}

impl KindArg {
    fn get(&self) -> Result<DocumentKind> {
        parse_kind(&self.kind)
    }
}

pub fn parse_kind(s: &str) -> Result<DocumentKind> {
    let f = kiemtra_core::text::fold(s).replace(['-', '_', ' '], "");
    match f.as_str() {
        "bb" | "bienban" | "bienbankiemtra" => Ok(DocumentKind::BienBan),
        "tb" | "thongbao" | "thongbaoketquakiemtra" => Ok(DocumentKind::ThongBao),
        "bc" | "baocao" | "baocaoketquakiemtra" => Ok(DocumentKind::BaoCao),
        "tkt" | "tukiemtra" | "baocaotukiemtra" | "baocaoketquatukiemtra" => Ok(DocumentKind::TuKiemTra),
        "dc" | "decuong" | "decuongbaocaotukiemtra" => Ok(DocumentKind::DeCuong),
        _ => Err(Refusal::BadChoice.err(format!(
            "Loại văn bản «{}» không hợp lệ. Chọn bien-ban (biên bản kiểm tra), thong-bao (thông báo kết quả kiểm tra), bao-cao (báo cáo kết quả kiểm tra của cả kế hoạch), de-cuong (đề cương báo cáo tự kiểm tra của đơn vị) hoặc tu-kiem-tra (báo cáo kết quả tự kiểm tra của đơn vị).",
            s.trim()
        ))),
    }
}

#[derive(ClapArgs)]
pub struct DocEdit {
    unit: Option<String>,
    #[command(flatten)]
    kind: KindArg,
    /// Tên cơ quan ban hành ở đầu văn bản (để trống để dùng tên đoàn)
    #[arg(long)]
    issuing_body: Option<String>,
    /// Đoạn mở đầu (để trống để dùng đoạn tự tạo)
    #[arg(long)]
    opening: Option<String>,
    /// Đoạn kết
    #[arg(long)]
    closing: Option<String>,
    /// Thông báo: hạn đơn vị báo cáo kết quả khắc phục
    #[arg(long)]
    report_due: Option<String>,
    /// Biên bản: giờ bắt đầu ("8 giờ 00")
    #[arg(long)]
    start_time: Option<String>,
    /// Biên bản: giờ kết thúc
    #[arg(long)]
    end_time: Option<String>,
    /// Biên bản: người dự của đơn vị (ghi nhiều lần; thay cả danh sách)
    #[arg(long = "attendee", value_name = "NGƯỜI DỰ")]
    attendees: Vec<String>,
    /// Biên bản: ý kiến của đơn vị
    #[arg(long)]
    unit_comments: Option<String>,
    /// Biên bản: yêu cầu của trưởng đoàn
    #[arg(long)]
    requests: Option<String>,
    /// Biên bản: số bản
    #[arg(long)]
    copies: Option<u32>,
    /// Nơi nhận (ghi nhiều lần; thay cả danh sách; dòng «Lưu: VT, …» được thêm nếu thiếu)
    #[arg(long = "recipient", value_name = "NƠI NHẬN")]
    recipients: Vec<String>,
    /// Dùng lại nơi nhận mặc định
    #[arg(long)]
    default_recipients: bool,
    /// Quyền hạn ký: TM., KT., TL., TUQ., Q. (để trống nếu ký trực tiếp)
    #[arg(long)]
    signer_authority: Option<String>,
    /// Ký thay mặt/thay cho: "ĐOÀN KIỂM TRA", "TRƯỞNG ĐOÀN"
    #[arg(long)]
    signer_on_behalf: Option<String>,
    /// Chức danh trong đoàn: "TRƯỞNG ĐOÀN", "PHÓ TRƯỞNG ĐOÀN"
    #[arg(long)]
    signer_title: Option<String>,
    /// Chức vụ ở cơ quan (khi đoàn dùng dấu của cơ quan): "PHÓ GIÁM ĐỐC SỞ NỘI VỤ"
    #[arg(long)]
    signer_agency_title: Option<String>,
    /// Họ tên người ký
    #[arg(long)]
    signer_name: Option<String>,
    /// Báo cáo: ai ban hành, ký: doan (trưởng đoàn) hoặc so-noi-vu (cơ quan thường trực tổng hợp)
    #[arg(long, value_name = "AI")]
    by: Option<String>,
    /// Báo cáo: kết quả đạt được chung (ghi nhiều lần; thay phần tự tổng hợp từ nhận xét)
    #[arg(long = "achievement")]
    achievements: Vec<String>,
    /// Báo cáo: tồn tại, hạn chế và nguyên nhân chung (ghi nhiều lần)
    #[arg(long = "shortcoming")]
    shortcomings: Vec<String>,
    /// Báo cáo: kiến nghị với UBND tỉnh (ghi nhiều lần; đánh số khi in)
    #[arg(long = "to-province")]
    to_province: Vec<String>,
    /// Báo cáo: kiến nghị với các cơ quan, đơn vị (ghi nhiều lần)
    #[arg(long = "to-unit")]
    to_units: Vec<String>,
}

/// What a `doc` command is about: the plan (its report) or one unit's inspection.
enum Target {
    Plan(String),
    Unit(kiemtra_core::model::Unit, String),
}

fn target(store: &Store, unit: &Option<String>, kind: DocumentKind) -> Result<Target> {
    match (unit, kind) {
        (None, DocumentKind::BaoCao) => Ok(Target::Plan(store.current_plan()?.id)),
        (Some(u), DocumentKind::BaoCao) => Err(Refusal::BadArgument.err(format!(
            "Báo cáo kết quả kiểm tra là của cả kế hoạch: bỏ tên đơn vị «{u}» («kiemtra doc pdf --kind bao-cao --out TỆP»)."
        ))),
        (Some(u), _) => {
            let (unit, id) = store.resolve_inspection(u)?;
            Ok(Target::Unit(unit, id))
        }
        (None, _) => Err(Refusal::BadArgument.err(
            "Hãy chỉ ra đơn vị (ví dụ «kiemtra doc pdf ha lang --out tb.pdf»); chỉ báo cáo kết quả kiểm tra (--kind bao-cao) là của cả kế hoạch.",
        )),
    }
}

fn print_report(i: &ReportInfo) {
    println!("Báo cáo kết quả kiểm tra: {}", status_label(i));
    if let Some(sha) = &i.snapshot_sha256 {
        println!("  SHA-256 bản PDF: {sha}");
    }
    if i.changed_since_issue {
        println!("  Dữ liệu kế hoạch đã thay đổi sau khi ban hành; báo cáo đã ban hành giữ nguyên.");
    }
    println!(
        "  Ban hành: {}",
        match i.by {
            ReportBy::Team => "đoàn kiểm tra (trưởng đoàn ký)",
            ReportBy::StandingAgency => "cơ quan thường trực tổng hợp",
        }
    );
    print_signing(&i.signer, &i.recipients);
    if i.status == DocumentStatus::Draft {
        print_readiness(&i.missing, &i.warnings);
    }
}

/// Who signs (authority, for whom, title, office — name) and the recipients, as `doc show`
/// prints them for every kind.
fn print_signing(signer: &Signer, recipients: &[String]) {
    let title: Vec<&str> = [
        signer.authority.as_str(),
        signer.on_behalf.as_str(),
        signer.title.as_str(),
        signer.agency_title.as_str(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect();
    let name = if signer.name.is_empty() {
        " — chưa có họ tên".to_string()
    } else {
        format!(" — {}", signer.name)
    };
    println!("  Người ký: {}{name}", title.join(" "));
    println!("  Nơi nhận: {}", recipients.join("; "));
}

/// What a draft still lacks before it is issued, and what issuing asks to confirm.
fn print_readiness(missing: &[String], warnings: &[String]) {
    if missing.is_empty() {
        println!("  Đủ thông tin để ban hành.");
    } else {
        println!("  Còn thiếu để ban hành: {}.", missing.join("; "));
    }
    if !warnings.is_empty() {
        println!("  Cần xác nhận khi ban hành (--force): {}.", warnings.join("; "));
    }
}

fn kind_word(k: DocumentKind) -> &'static str {
    match k {
        DocumentKind::BienBan => "Biên bản kiểm tra",
        DocumentKind::ThongBao => "Thông báo kết quả kiểm tra",
        DocumentKind::DeCuong => "Đề cương báo cáo tự kiểm tra",
        DocumentKind::TuKiemTra => "Báo cáo kết quả tự kiểm tra",
        DocumentKind::BaoCao => "Báo cáo kết quả kiểm tra",
    }
}

fn print_info(i: &DocumentInfo) {
    println!("{}: {}", kind_word(i.kind), status_label(i));
    if let Some(sha) = &i.snapshot_sha256 {
        println!("  SHA-256 bản PDF: {sha}");
    }
    if i.changed_since_issue {
        println!(
            "  Dữ liệu cuộc kiểm tra đã thay đổi sau khi ban hành; văn bản đã ban hành giữ nguyên. \
             Muốn ban hành lại, hãy sửa văn bản (kiemtra doc edit) để tạo phiên bản mới."
        );
    }
    print_signing(&i.signer, &i.recipients);
    if i.status == DocumentStatus::Draft {
        print_readiness(&i.missing, &i.warnings);
        let edited: Vec<String> = i
            .sections
            .iter()
            .filter(|x| x.edited)
            .map(|x| {
                if x.stale {
                    format!("{} (cần xem lại)", x.label)
                } else {
                    x.label.clone()
                }
            })
            .collect();
        if !edited.is_empty() {
            println!("  Đã sửa tay: {}; các phần khác tự tạo từ dữ liệu.", edited.join("; "));
        }
    }
}

/// Write a new file; never replace one.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Refusal::FileExists.err(format!("Đã có tệp {}; hãy chọn tên khác.", path.display()))
            } else {
                Error::io("tạo được tệp", path, e)
            }
        })?;
    let r = f.write_all(bytes).and_then(|_| f.sync_all());
    if let Err(e) = r {
        let _ = std::fs::remove_file(path);
        return Err(Error::io("ghi được tệp", path, e));
    }
    Ok(())
}

pub fn run(app: &App, c: DocCmd) -> Result<()> {
    let mut store = app.open()?;
    match c {
        DocCmd::Show { unit: None } => {
            let plan = store.current_plan()?;
            let all = store.report_versions(&plan.id)?;
            if app.json {
                return json_ok(&all);
            }
            for i in &all {
                print_report(i);
            }
        }
        DocCmd::Show { unit: Some(unit) } => {
            let (_, id) = store.resolve_inspection(&unit)?;
            let mut all = Vec::new();
            for k in [DocumentKind::BienBan, DocumentKind::ThongBao] {
                all.extend(store.document_versions(&id, k)?);
            }
            if app.json {
                return json_ok(&all);
            }
            for i in &all {
                print_info(i);
            }
        }
        DocCmd::Pdf {
            unit,
            kind,
            out,
            version,
            number,
            date,
        } => {
            let kind = kind.get()?;
            let unit_doc = matches!(kind, DocumentKind::DeCuong | DocumentKind::TuKiemTra);
            let numbering = match (number, date) {
                (None, None) => None,
                _ if !unit_doc => {
                    return Err(Refusal::BadArgument.err(
                        "--number và --date chỉ dùng khi in đề cương hoặc báo cáo tự kiểm tra; văn bản khác có số khi ban hành (kiemtra doc issue).",
                    ))
                }
                (n, d) => Some(Numbering {
                    number: n.unwrap_or_default(),
                    date: d.unwrap_or_default(),
                }),
            };
            let r = match (target(&store, &unit, kind)?, version) {
                (Target::Plan(plan), v) => store.render_report(&plan, v, app.ctx.now)?,
                (Target::Unit(_, id), None) if unit_doc => {
                    store.render_unit_document_as(&id, kind, numbering.as_ref(), app.ctx.now)?
                }
                (Target::Unit(_, id), None) => store.render_document(&id, kind, app.ctx.now)?,
                (Target::Unit(_, id), Some(v)) => {
                    let d = store
                        .document_versions(&id, kind)?
                        .into_iter()
                        .find(|d| d.version == v && d.id.is_some())
                        .ok_or_else(|| Error::NotFound {
                            what: "phiên bản văn bản",
                            key: v.to_string(),
                        })?;
                    store.render_document_version(d.id.as_deref().unwrap_or_default(), app.ctx.now)?
                }
            };
            write_new(&out, &r.bytes)?;
            if app.json {
                json(
                    &json!({ "out": out, "pages": r.pages, "bytes": r.bytes.len(), "issued": r.issued, "draft": r.model.draft }),
                );
            } else {
                println!(
                    "Đã ghi {} ({}, {} trang, {} KB) vào {}.",
                    kind_word(kind),
                    if r.issued {
                        "bản đã ban hành"
                    } else if unit_doc && !r.model.draft {
                        "có số và ngày"
                    } else if unit_doc {
                        "số và ngày để trống"
                    } else {
                        "dự thảo"
                    },
                    r.pages,
                    r.bytes.len().div_ceil(1024),
                    out.display()
                );
            }
        }
        DocCmd::Text { unit, kind } => {
            let kind = kind.get()?;
            let m = match target(&store, &unit, kind)? {
                Target::Plan(plan) => store.report_model(&plan, app.ctx.now)?,
                Target::Unit(_, id) => store.document_model(&id, kind, app.ctx.now)?,
            };
            if app.json {
                return json_ok(&m);
            }
            for t in m.texts() {
                println!("{}", t.replace('\u{a0}', " "));
            }
        }
        DocCmd::Edit(e) => {
            let e = *e;
            let kind = e.kind.get()?;
            if let Target::Plan(plan) = target(&store, &e.unit, kind)? {
                return edit_report(&mut store, app, &plan, e);
            }
            let (_, id) = store.resolve_inspection(e.unit.as_deref().unwrap_or_default())?;
            let cur = store.document(&id, kind)?;
            let signer = signer_edit(&e, &cur.signer);
            let patch = DocPatch {
                edits: Some(DocEdits {
                    issuing_body: e.issuing_body,
                    opening: e.opening,
                    closing: e.closing,
                    report_due: e.report_due,
                    start_time: e.start_time,
                    end_time: e.end_time,
                    unit_attendees: (!e.attendees.is_empty()).then_some(e.attendees),
                    unit_comments: e.unit_comments,
                    requests: e.requests,
                    copies: e.copies,
                }),
                signer,
                recipients: if e.default_recipients {
                    Some(vec![])
                } else {
                    (!e.recipients.is_empty()).then_some(e.recipients)
                },
            };
            let was_issued = cur.status == DocumentStatus::Issued;
            let info = store.edit_document(&app.ctx, &id, kind, &patch)?;
            if app.json {
                return json_ok(&info);
            }
            if was_issued {
                println!(
                    "Văn bản đã ban hành giữ nguyên; thay đổi được ghi vào phiên bản mới {} (dự thảo).",
                    info.version
                );
            } else {
                println!("Đã lưu.");
            }
            print_info(&info);
        }
        DocCmd::Issue {
            unit,
            kind,
            number,
            date,
            force,
            out,
        } => {
            let kind = kind.get()?;
            let t = target(&store, &unit, kind)?;
            // Check the output file first so that a refused path leaves nothing issued.
            if let Some(o) = &out {
                if o.exists() {
                    return Err(Refusal::FileExists.err(format!("Đã có tệp {}; hãy chọn tên khác.", o.display())));
                }
            }
            let (u, id) = match t {
                Target::Unit(u, id) => (u, id),
                Target::Plan(plan) => {
                    let info = store.issue_report(&app.ctx, &plan, &number, &date, force)?;
                    if let Some(o) = &out {
                        write_new(o, &store.render_report(&plan, None, app.ctx.now)?.bytes)?;
                    }
                    if app.json {
                        return json_ok(&info);
                    }
                    println!("Đã ban hành báo cáo kết quả kiểm tra: {}.", status_label(&info));
                    if let Some(sha) = &info.snapshot_sha256 {
                        println!("SHA-256 của bản PDF đã lưu: {sha}");
                    }
                    return Ok(());
                }
            };
            let info = store.issue_document(&app.ctx, &id, kind, &number, &date, force)?;
            if let Some(o) = &out {
                let r = store.render_document(&id, kind, app.ctx.now)?;
                write_new(o, &r.bytes)?;
            }
            if app.json {
                return json_ok(&info);
            }
            println!(
                "Đã ban hành {} của {}: {}.",
                kind_word(kind).to_lowercase(),
                u.name,
                status_label(&info)
            );
            if let Some(sha) = &info.snapshot_sha256 {
                println!("SHA-256 của bản PDF đã lưu: {sha}");
            }
            if let Some(o) = out {
                println!("Đã ghi bản PDF vào {}.", o.display());
            }
        }
        DocCmd::Batch { kind, out } => {
            let kind = kind.get()?;
            let t = Instant::now();
            let written = batch(&store, app, kind, &out)?;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if app.json {
                return json_ok(&json!({ "out": out, "files": written, "ms": ms }));
            }
            table(
                &["Đơn vị", "Tệp", "Trang", "Tình trạng"],
                &written
                    .iter()
                    .map(|w| {
                        vec![
                            w["unit"].as_str().unwrap_or_default().to_string(),
                            w["file"].as_str().unwrap_or_default().to_string(),
                            w["pages"].to_string(),
                            w["status"].as_str().unwrap_or_default().to_string(),
                        ]
                    })
                    .collect::<Vec<_>>(),
                &[2],
            );
            println!("Đã ghi {} tệp vào {} trong {:.0} ms.", written.len(), out.display(), ms);
        }
        DocCmd::Bench { unit, kind, runs } => {
            let (_, id) = store.resolve_inspection(&unit)?;
            let kind = kind.get()?;
            let model = store.document_model(&id, kind, app.ctx.now)?;
            let mut times = Vec::with_capacity(runs);
            let mut last = None;
            for _ in 0..runs.max(1) {
                let t = Instant::now();
                let r = kiemtra_core::document::render_model(&model, app.ctx.now)?;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                last = Some(r);
            }
            times.sort_by(f64::total_cmp);
            let r = last.expect("at least one run");
            let dir = tempdir_in_target()?;
            let t = Instant::now();
            let written = batch(&store, app, kind, &dir)?;
            let batch_ms = t.elapsed().as_secs_f64() * 1000.0;
            let _ = std::fs::remove_dir_all(&dir);
            let p = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
            let out = json!({
                "kind": kind.as_str(), "pages": r.pages, "bytes": r.bytes.len(), "runs": times.len(),
                "median_ms": p(0.5), "p95_ms": p(0.95), "max_ms": p(1.0),
                "batch_units": written.len(), "batch_ms": batch_ms,
            });
            if app.json {
                return json_ok(&out);
            }
            println!(
                "{}: {} trang, {} byte ({:.1} KB); tạo trong bộ nhớ {} lần: trung vị {:.2} ms, p95 {:.2} ms, tối đa {:.2} ms.",
                kind_word(kind),
                r.pages,
                r.bytes.len(),
                r.bytes.len() as f64 / 1024.0,
                times.len(),
                p(0.5),
                p(0.95),
                p(1.0)
            );
            println!(
                "Cả kế hoạch ({} đơn vị, đọc dữ liệu + tạo + ghi tệp): {:.0} ms.",
                written.len(),
                batch_ms
            );
        }
    }
    Ok(())
}

/// The signer `doc edit` sets: the fields given replace those of `cur`; None when no
/// signer field was given (the signer stays as it is).
fn signer_edit(e: &DocEdit, cur: &Signer) -> Option<Signer> {
    let given = e.signer_authority.is_some()
        || e.signer_on_behalf.is_some()
        || e.signer_title.is_some()
        || e.signer_agency_title.is_some()
        || e.signer_name.is_some();
    given.then(|| Signer {
        authority: e.signer_authority.clone().unwrap_or_else(|| cur.authority.clone()),
        on_behalf: e.signer_on_behalf.clone().unwrap_or_else(|| cur.on_behalf.clone()),
        title: e.signer_title.clone().unwrap_or_else(|| cur.title.clone()),
        agency_title: e
            .signer_agency_title
            .clone()
            .unwrap_or_else(|| cur.agency_title.clone()),
        name: e.signer_name.clone().unwrap_or_else(|| cur.name.clone()),
    })
}

fn edit_report(store: &mut Store, app: &App, plan: &str, e: DocEdit) -> Result<()> {
    let cur = store.report(plan)?;
    let by = match e
        .by
        .as_deref()
        .map(|b| kiemtra_core::text::fold(b).replace(['-', '_', ' '], ""))
    {
        None => None,
        Some(b) if b == "doan" || b == "to" || b == "truongdoan" => Some(ReportBy::Team),
        Some(b) if b == "sonoivu" || b == "snv" || b == "thuongtruc" => Some(ReportBy::StandingAgency),
        Some(_) => {
            return Err(Refusal::BadChoice.err(format!(
                "«{}» không hợp lệ cho --by. Chọn doan (trưởng đoàn ký) hoặc so-noi-vu (cơ quan thường trực tổng hợp).",
                e.by.unwrap_or_default().trim()
            )))
        }
    };
    let signer = signer_edit(&e, &cur.signer);
    let list = |v: Vec<String>| (!v.is_empty()).then_some(v);
    let patch = ReportPatch {
        edits: Some(ReportEdits {
            by,
            issuing_body: e.issuing_body,
            opening: e.opening,
            closing: e.closing,
            achievements: list(e.achievements),
            shortcomings: list(e.shortcomings),
            to_province: list(e.to_province),
            to_units: list(e.to_units),
        }),
        signer,
        recipients: if e.default_recipients {
            Some(vec![])
        } else {
            list(e.recipients)
        },
    };
    let was_issued = cur.status == DocumentStatus::Issued;
    let info = store.edit_report(&app.ctx, plan, &patch)?;
    if app.json {
        return json_ok(&info);
    }
    if was_issued {
        println!(
            "Báo cáo đã ban hành giữ nguyên; thay đổi được ghi vào phiên bản mới {} (dự thảo).",
            info.version
        );
    } else {
        println!("Đã lưu.");
    }
    print_report(&info);
    Ok(())
}

fn tempdir_in_target() -> Result<PathBuf> {
    let d = std::env::temp_dir().join(format!("kiemtra-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    Ok(d)
}

fn batch(store: &Store, app: &App, kind: DocumentKind, out: &Path) -> Result<Vec<serde_json::Value>> {
    std::fs::create_dir_all(out).map_err(|e| Error::io("tạo được thư mục", out, e))?;
    let plan = store.current_plan()?;
    let overview = store.plan_overview(&plan.id, app.ctx.today())?;
    // Render everything first: a refused document (a missing glyph…) leaves no partial folder.
    let mut files = Vec::new();
    for row in &overview.inspections {
        let r = store.render_document(&row.id, kind, app.ctx.now)?;
        let name = format!(
            "{}-{}.pdf",
            kind.as_str().replace('_', "-"),
            kiemtra_core::text::fold(&row.unit_name).replace(' ', "-")
        );
        files.push((row.unit_name.clone(), name, r));
    }
    for (_, name, _) in &files {
        let p = out.join(name);
        if p.exists() {
            return Err(Refusal::FileExists.err(format!(
                "Đã có tệp {}; hãy chọn thư mục khác hoặc xóa tệp cũ.",
                p.display()
            )));
        }
    }
    let mut written = Vec::new();
    for (unit, name, r) in files {
        write_new(&out.join(&name), &r.bytes)?;
        written.push(json!({
            "unit": unit, "file": name, "pages": r.pages, "bytes": r.bytes.len(),
            "status": if r.issued { "đã ban hành" } else { "dự thảo" },
        }));
    }
    Ok(written)
}
