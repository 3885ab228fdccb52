//! Commands and their arguments (clap), each one a call or two into the core.

use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::{Arg, ArgAction, Args as ClapArgs, Command, Parser, Subcommand};
use kiemtra_core::checklist::ResponsePatch;
use kiemtra_core::model::*;
use kiemtra_core::plan::{InspectionPatch, NewPlan, PlanPatch, TeamPatch};
use kiemtra_core::scoring::ItemState;
use kiemtra_core::text::{fmt_date, fmt_percent, fmt_score, parse_number};
use kiemtra_core::{figures, paths, Ctx, Error, Refusal, Result, Store};
use serde_json::json;

use crate::output::{clip, json, json_ok, table};

mod after;
mod doc;
mod exchange;
mod trust;

#[derive(Parser)]
#[command(
    name = "kiemtra",
    version,
    about = "Kiểm tra CCHC: kiểm tra công tác cải cách hành chính, không cần mạng",
    long_about = "Kiểm tra CCHC từ dòng lệnh: kế hoạch, đơn vị, bộ tiêu chí, chấm điểm, số liệu, \
tài liệu kiểm chứng, nhận xét, kiến nghị, xếp hạng, tìm kiếm và sao lưu.\n\
Đơn vị có thể gọi bằng mã hoặc một phần tên, không cần dấu (\"ha lang\" là xã Hạ Lang)."
)]
pub struct Args {
    /// Tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu của người dùng, dùng chung với ứng dụng)
    #[arg(long, global = true, env = "KIEMTRA_DB", value_name = "TỆP")]
    db: Option<PathBuf>,
    /// In kết quả dạng JSON (cho tập lệnh)
    #[arg(long, global = true)]
    pub json: bool,
    /// Tên người thực hiện, ghi vào nhật ký thay đổi
    #[arg(long, global = true, env = "KIEMTRA_INSPECTOR", value_name = "HỌ TÊN")]
    inspector: Option<String>,
    /// Thời điểm coi là «bây giờ» (RFC 3339), cho tập lệnh và kiểm thử lặp lại được
    #[arg(long, global = true, env = "KIEMTRA_NOW", value_name = "THỜI ĐIỂM", hide = true)]
    now: Option<String>,
    /// Kế hoạch cho lệnh này (mã, năm hoặc một phần tên, không cần dấu); mặc định: kế hoạch
    /// đang dùng (kiemtra plan use)
    #[arg(long, global = true, value_name = "KẾ_HOẠCH")]
    plan: Option<String>,
    #[command(subcommand)]
    cmd: Cmd,
}

// Parsed once per run: the size of its largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Cmd {
    /// Tạo cơ sở dữ liệu (kèm hai bộ tiêu chí mặc định); không làm gì nếu đã có
    Init,
    /// Kế hoạch kiểm tra
    #[command(subcommand)]
    Plan(PlanCmd),
    /// Đoàn kiểm tra và thành viên
    #[command(subcommand)]
    Team(TeamCmd),
    /// Đơn vị được kiểm tra (sở, xã, phường)
    #[command(subcommand)]
    Units(UnitsCmd),
    /// Cuộc kiểm tra của một đơn vị: lịch, trạng thái
    #[command(subcommand)]
    Inspection(InspectionCmd),
    /// Bảng tiêu chí của một đơn vị
    #[command(subcommand)]
    Checklist(ChecklistCmd),
    /// Số liệu (hồ sơ, văn bản, TTHC…) và các tỷ lệ tính từ đó
    #[command(subcommand)]
    Figure(FigureCmd),
    /// Tài liệu kiểm chứng
    #[command(subcommand)]
    Evidence(EvidenceCmd),
    /// Nhận xét theo lĩnh vực: kết quả đạt được, tồn tại, nguyên nhân
    #[command(subcommand)]
    Finding(FindingCmd),
    /// Kiến nghị
    #[command(subcommand)]
    Recommendation(RecommendationCmd),
    /// Điểm của một đơn vị theo lĩnh vực, hoặc xếp hạng các đơn vị (--all)
    Score {
        /// Đơn vị (mã hoặc một phần tên)
        unit: Option<String>,
        /// Xếp hạng tất cả đơn vị của kế hoạch
        #[arg(long)]
        all: bool,
        /// Với --all: xếp hạng theo một lĩnh vực (mã lĩnh vực, ví dụ 3)
        #[arg(long, requires = "all")]
        area: Option<String>,
    },
    /// Tìm kiếm không phân biệt dấu (cả đ/Đ) trong đơn vị, tiêu chí, nhận xét, kiến nghị, tài liệu
    Search {
        text: String,
        #[arg(long, default_value_t = 30)]
        limit: usize,
    },
    /// Sao lưu cơ sở dữ liệu ra một tệp (không ghi đè tệp đã có)
    Backup { file: PathBuf },
    /// Bộ tiêu chí: xem, xuất ra tệp để sửa, nhập phiên bản mới
    #[command(subcommand)]
    Template(TemplateCmd),
    /// Nhật ký thay đổi: ai, khi nào, trên máy nào, sửa gì
    Audit {
        #[arg(long, default_value_t = 30)]
        limit: usize,
    },
    /// Kiểm tra tính toàn vẹn của tệp cơ sở dữ liệu
    Check,
    /// Hoàn tác thay đổi gần nhất trên máy này (gọi lại để lùi thêm một bước)
    Undo,
    /// Văn bản: biên bản kiểm tra, thông báo kết quả kiểm tra (PDF theo Nghị định 30)
    #[command(subcommand)]
    Doc(doc::DocCmd),
    /// Tệp trao đổi giữa các máy (.kiemtra): xuất, xem trước, nhập
    #[command(subcommand)]
    Exchange(exchange::ExchangeCmd),
    /// Xung đột sau khi nhập: hai máy sửa cùng một trường
    #[command(subcommand)]
    Conflicts(exchange::ConflictsCmd),

    /// Theo dõi khắc phục kiến nghị sau kiểm tra
    #[command(subcommand)]
    Followup(after::FollowupCmd),

    /// Hạn ban hành thông báo kết quả kiểm tra (15 ngày làm việc sau khi kết thúc kiểm tra)
    Deadline {
        /// Chỉ đơn vị này
        #[arg(long)]
        unit: Option<String>,
    },

    /// Bắt đầu kiểm tra lại một đơn vị: cuộc kiểm tra mới mang theo các kiến nghị chưa khắc phục
    Reinspect { unit: String },

    /// Xuất dữ liệu ra tệp khác (Excel)
    #[command(subcommand)]
    Export(after::ExportCmd),

    /// Danh sách ngày nghỉ lễ, Tết và ngày làm bù (dùng để tính ngày làm việc)
    #[command(subcommand)]
    Holidays(after::HolidaysCmd),

    /// Đơn vị tự đánh giá: điểm tự chấm, số liệu, tài liệu của đơn vị (giữ riêng với điểm của đoàn)
    #[command(subcommand, name = "self")]
    SelfAssess(after::SelfCmd),
}

// Parsed once per run: the size of its largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum PlanCmd {
    /// Nạp kế hoạch kiểm tra CCHC năm 2026 của tỉnh Cao Bằng (14 đơn vị)
    LoadSample,
    /// Xem kế hoạch: đoàn kiểm tra và các đơn vị với lịch, trạng thái, tiến độ, điểm
    Show,
    /// Danh sách kế hoạch (dấu * là kế hoạch đang dùng)
    List,
    /// Sửa thông tin kế hoạch
    Set(PlanSet),
    /// Lập kế hoạch mới (năm, cơ quan ban hành, đoàn hoặc tổ kiểm tra); trở thành kế hoạch đang dùng
    New(PlanNew),
    /// Đóng kế hoạch (mặc định: kế hoạch đang dùng): chỉ xem, in và tìm kiếm, không sửa được
    Close {
        #[arg(value_name = "KẾ_HOẠCH")]
        query: Option<String>,
    },
    /// Mở lại kế hoạch đã đóng
    Reopen {
        #[arg(value_name = "KẾ_HOẠCH")]
        query: Option<String>,
    },
    /// Chọn kế hoạch đang dùng trên máy này (mã, năm hoặc một phần tên)
    Use {
        #[arg(value_name = "KẾ_HOẠCH")]
        query: String,
    },
}

#[derive(ClapArgs)]
struct PlanNew {
    /// Tên kế hoạch, ví dụ «Kế hoạch kiểm tra công tác cải cách hành chính năm 2020»
    #[arg(long)]
    title: String,
    #[arg(long)]
    year: i32,
    /// Cơ quan ban hành kế hoạch, ví dụ «Thanh tra tỉnh Cao Bằng»
    #[arg(long)]
    issuing_body: String,
    /// Cơ quan cấp trên, ví dụ «UBND tỉnh Cao Bằng»
    #[arg(long, default_value = "")]
    parent_body: String,
    /// Số kế hoạch, ví dụ «22/KH-TTr»
    #[arg(long, default_value = "")]
    number: String,
    /// Ngày ban hành kế hoạch (09/3/2020)
    #[arg(long, default_value = "")]
    date: String,
    /// Địa danh ghi ở dòng ngày tháng (mặc định: tỉnh trong tên cơ quan)
    #[arg(long, default_value = "")]
    place: String,
    /// Căn cứ (ghi nhiều lần cho nhiều căn cứ)
    #[arg(long = "legal-basis", value_name = "CĂN CỨ")]
    legal_bases: Vec<String>,
    #[arg(long, default_value = "")]
    start: String,
    #[arg(long, default_value = "")]
    end: String,
    /// Người ký kế hoạch
    #[arg(long, default_value = "")]
    signer: String,
    #[arg(long, default_value = "")]
    signer_title: String,
    /// Tên đoàn (tổ) kiểm tra
    #[arg(long, default_value = "")]
    team_name: String,
    /// doan (Đoàn kiểm tra) hoặc to (Tổ kiểm tra, dùng con dấu của cơ quan)
    #[arg(long)]
    team_kind: Option<String>,
    /// Ký hiệu văn bản của đoàn (tổ): «ĐKT» cho số «05/TB-ĐKT»
    #[arg(long, default_value = "")]
    team_symbol: String,
    #[arg(long, default_value = "")]
    standing_agency: String,
    /// Số quyết định thành lập đoàn (tổ), ví dụ «114/QĐ-TTr»
    #[arg(long, default_value = "")]
    decision_number: String,
    #[arg(long, default_value = "")]
    decision_date: String,
    /// Người ký quyết định thành lập
    #[arg(long, default_value = "")]
    decision_signer: String,
    /// Chức vụ của người ký quyết định, ví dụ «Chánh Thanh tra tỉnh»
    #[arg(long, default_value = "")]
    decision_signer_title: String,
    /// Sao chép đơn vị, đoàn và bộ tiêu chí từ kế hoạch này; mang theo các kiến nghị chưa khắc phục
    #[arg(long, value_name = "KẾ_HOẠCH")]
    from: Option<String>,
}

#[derive(ClapArgs)]
struct PlanSet {
    #[arg(long)]
    number: Option<String>,
    #[arg(long)]
    date: Option<String>,
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    issuing_body: Option<String>,
    #[arg(long)]
    signer: Option<String>,
    #[arg(long)]
    signer_title: Option<String>,
    #[arg(long)]
    start: Option<String>,
    #[arg(long)]
    end: Option<String>,
    /// Căn cứ (ghi nhiều lần cho nhiều căn cứ; thay toàn bộ danh sách)
    #[arg(long = "basis", value_name = "CĂN CỨ")]
    bases: Vec<String>,
}

// Parsed once per run: the size of its largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum TeamCmd {
    /// Xem đoàn kiểm tra
    Show,
    /// Sửa thông tin đoàn (quyết định thành lập…)
    Set {
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        decision_number: Option<String>,
        #[arg(long)]
        decision_date: Option<String>,
        #[arg(long)]
        decision_signer: Option<String>,
        #[arg(long)]
        decision_signer_title: Option<String>,
        #[arg(long)]
        standing_agency: Option<String>,
        #[arg(long)]
        parent_body: Option<String>,
        /// Ký hiệu văn bản của đoàn: «ĐKT» cho số «05/TB-ĐKT»
        #[arg(long)]
        symbol: Option<String>,
        /// Cơ quan ban hành ghi ở đầu văn bản (để trống: tên đoàn)
        #[arg(long)]
        issuing_body: Option<String>,
        /// doan hoặc to
        #[arg(long)]
        kind: Option<String>,
        /// Người ký văn bản của đoàn ký thay mặt, thay: TM., KT., TL., TUQ., Q. (để trống: ký trực tiếp)
        #[arg(long)]
        sign_authority: Option<String>,
        /// Thay mặt, thay cho ai: «TỔ KIỂM TRA», «CHÁNH THANH TRA»
        #[arg(long)]
        sign_on_behalf: Option<String>,
        /// Chức danh người ký: «PHÓ CHÁNH THANH TRA» (để trống: TRƯỞNG ĐOÀN hoặc TỔ TRƯỞNG)
        #[arg(long)]
        sign_title: Option<String>,
    },
    /// Thêm thành viên
    AddMember {
        name: String,
        /// trưởng đoàn, phó trưởng đoàn, thành viên, thư ký
        #[arg(long, default_value = "thanh_vien")]
        role: String,
        #[arg(long, default_value = "")]
        agency: String,
        #[arg(long, default_value = "")]
        title: String,
    },
    /// Bớt thành viên (theo tên)
    RemoveMember { name: String },
    /// Khóa đoàn: tạo (máy trưởng đoàn), xem mã và các máy của đoàn
    #[command(subcommand)]
    Key(trust::KeyCmd),
    /// Mời một máy thành viên: ghi tệp mời để chép sang máy đó (USB)
    Invite {
        /// Tệp mời (không ghi đè tệp đã có)
        #[arg(long, value_name = "TỆP")]
        out: PathBuf,
        /// Người dùng máy được mời
        #[arg(long, value_name = "HỌ TÊN")]
        member: String,
    },
    /// Tham gia đoàn từ tệp mời của trưởng đoàn
    Join { file: PathBuf },
    /// Thu hồi một máy bị mất hoặc thôi dùng (mã máy hoặc tên người dùng): bắt đầu kỳ khóa mới
    Revoke { laptop: String },
}

#[derive(Subcommand)]
enum UnitsCmd {
    /// Danh sách đơn vị của kế hoạch đang dùng (--all-plans: mọi đơn vị trong dữ liệu)
    List {
        /// Cả đơn vị đã sáp nhập (cùng --all-plans)
        #[arg(long)]
        all: bool,
        /// Mọi đơn vị trong dữ liệu, của mọi kế hoạch
        #[arg(long)]
        all_plans: bool,
    },
    /// Thêm đơn vị vào kế hoạch đang dùng (kiểm tra đột xuất với --unannounced), hoặc cả danh
    /// sách từ một tệp (--from-file: mỗi dòng một tên, có thể kèm «;loại»)
    Add {
        #[arg(required_unless_present = "from_file")]
        name: Option<String>,
        /// so, xa, phuong, phong, ban, don_vi
        #[arg(long, required_unless_present = "from_file")]
        kind: Option<String>,
        /// Tệp văn bản (UTF-8), mỗi dòng một đơn vị: «Phòng Tổ chức cán bộ;phong»; hoặc bảng
        /// tính .xlsx có dòng tiêu đề: Tên đơn vị, Loại, Thủ trưởng, Chức vụ, Từ ngày, Đến ngày
        #[arg(long, value_name = "TỆP", conflicts_with_all = ["name", "unannounced", "start", "end"])]
        from_file: Option<PathBuf>,
        #[arg(long)]
        unannounced: bool,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        end: Option<String>,
    },
    /// Sửa thủ trưởng, chức vụ, địa chỉ
    Set {
        unit: String,
        #[arg(long)]
        head: Option<String>,
        #[arg(long)]
        head_title: Option<String>,
        #[arg(long)]
        address: Option<String>,
    },
    /// Đổi tên đơn vị (giữ lịch sử)
    Rename {
        unit: String,
        new_name: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Sáp nhập các đơn vị thành một đơn vị mới (giữ lịch sử)
    Merge {
        #[arg(required = true, num_args = 2..)]
        units: Vec<String>,
        #[arg(long)]
        into: String,
        #[arg(long)]
        kind: String,
        #[arg(long)]
        date: Option<String>,
    },
    /// Lịch sử đổi tên, sáp nhập
    History { unit: String },
    /// Đưa đơn vị ra khỏi kế hoạch đang dùng khi chưa bắt đầu kiểm tra (giữ lịch sử)
    Remove { unit: String },
}

#[derive(Subcommand)]
enum InspectionCmd {
    /// Xem cuộc kiểm tra của đơn vị
    Show { unit: String },
    /// Sửa lịch, ngày kiểm tra thực tế, trạng thái
    Set {
        unit: String,
        /// kế hoạch, đang kiểm tra, đã ký biên bản, đã ban hành thông báo, đã báo cáo khắc phục, kết thúc
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        end: Option<String>,
        #[arg(long)]
        actual_start: Option<String>,
        #[arg(long)]
        actual_end: Option<String>,
    },
}

#[derive(Subcommand)]
enum ChecklistCmd {
    /// Xem bảng tiêu chí (cả điểm tự chấm, điểm đoàn chấm, điểm tính theo quy tắc)
    Show {
        unit: String,
        /// Chỉ một lĩnh vực
        #[arg(long)]
        area: Option<String>,
        /// Chi tiết một tiêu chí: quy tắc, các mức chọn được, hướng dẫn, tài liệu kiểm chứng
        #[arg(long)]
        code: Option<String>,
    },
    /// Chấm một tiêu chí
    Set {
        unit: String,
        code: String,
        /// Điểm đơn vị tự chấm
        #[arg(long = "self", value_name = "ĐIỂM", allow_hyphen_values = true)]
        self_score: Option<String>,
        /// Điểm đoàn chấm (ghi đè điểm tính theo quy tắc)
        #[arg(long, value_name = "ĐIỂM", allow_hyphen_values = true)]
        team: Option<String>,
        /// Mức đánh giá (đạt/không đạt, hoặc mức của tiêu chí)
        #[arg(long)]
        status: Option<String>,
        /// Ghi chú
        #[arg(long)]
        note: Option<String>,
        /// Xóa điểm đoàn chấm
        #[arg(long)]
        clear_team: bool,
        /// Xóa điểm tự chấm
        #[arg(long)]
        clear_self: bool,
    },
}

#[derive(Subcommand)]
enum FigureCmd {
    /// Nhập một số liệu (ví dụ: ho_so_tiep_nhan 1.081)
    Set {
        unit: String,
        key: String,
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
    /// Xóa một số liệu
    Clear { unit: String, key: String },
    /// Xem số liệu và các tỷ lệ
    List { unit: String },
    /// Các chỉ số có thể nhập
    Keys,
}

#[derive(Subcommand)]
enum EvidenceCmd {
    /// Thêm tài liệu kiểm chứng cho một tiêu chí (số văn bản, ngày, tệp ảnh/bản quét)
    Add {
        unit: String,
        code: String,
        file: Option<PathBuf>,
        #[arg(long, default_value = "")]
        number: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Danh sách tài liệu kiểm chứng
    List { unit: String, code: Option<String> },
    /// Xóa một tài liệu kiểm chứng (MÃ: vài ký tự đầu của mã trong danh sách)
    Remove { unit: String, id: String },
}

#[derive(Subcommand)]
enum FindingCmd {
    /// Thêm nhận xét
    Add {
        unit: String,
        /// Mã lĩnh vực (1–7)
        #[arg(long)]
        area: String,
        /// dat_duoc (kết quả đạt được), ton_tai (tồn tại, hạn chế), nguyen_nhan (nguyên nhân)
        #[arg(long)]
        kind: String,
        text: String,
    },
    /// Danh sách nhận xét
    List { unit: String },
    /// Sửa nội dung nhận xét (MÃ: vài ký tự đầu của mã trong danh sách)
    Edit { unit: String, id: String, text: String },
    /// Xóa nhận xét
    Remove { unit: String, id: String },
}

#[derive(Subcommand)]
enum RecommendationCmd {
    /// Thêm kiến nghị (đánh số tự động)
    Add {
        unit: String,
        text: String,
        /// Người/cơ quan phải thực hiện
        #[arg(long, default_value = "")]
        owner: String,
        /// Thời hạn
        #[arg(long)]
        deadline: Option<String>,
        /// Lĩnh vực
        #[arg(long)]
        area: Option<String>,
        /// Vẫn lưu khi thời hạn đã qua
        #[arg(long)]
        force: bool,
    },
    /// Danh sách kiến nghị
    List { unit: String },
    /// Sửa kiến nghị số SỐ (số không đổi)
    Edit {
        unit: String,
        number: i64,
        /// Nội dung mới
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        /// Thời hạn mới (để trống để xóa)
        #[arg(long)]
        deadline: Option<String>,
        /// Lĩnh vực (để trống để bỏ)
        #[arg(long)]
        area: Option<String>,
        /// Vẫn lưu khi thời hạn mới đã qua
        #[arg(long)]
        force: bool,
    },
    /// Rút kiến nghị số SỐ (các kiến nghị khác giữ nguyên số)
    Remove { unit: String, number: i64 },
    /// Cập nhật tình trạng khắc phục của kiến nghị số SỐ
    State {
        unit: String,
        number: i64,
        /// chua_thuc_hien, dang_thuc_hien, da_khac_phuc
        state: String,
        #[arg(long)]
        report_number: Option<String>,
        #[arg(long)]
        report_date: Option<String>,
    },
}

#[derive(Subcommand)]
enum TemplateCmd {
    /// Các phiên bản bộ tiêu chí
    List,
    /// Xuất bộ tiêu chí ra tệp TOML để sửa
    Export {
        /// so hoặc xa
        #[arg(long, default_value = "xa")]
        kind: String,
        #[arg(long)]
        version: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Nhập bộ tiêu chí đã sửa thành phiên bản mới (các cuộc kiểm tra đã bắt đầu giữ phiên bản cũ)
    Import { file: PathBuf },
}

const HELP_TEMPLATE: &str = "{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}";

/// Vietnamese headings and help flags on every command (clap's defaults are English).
pub fn localize(cmd: Command) -> Command {
    fn walk(mut cmd: Command, root: bool) -> Command {
        cmd = cmd
            .help_template(HELP_TEMPLATE)
            .subcommand_help_heading("Lệnh")
            .disable_help_subcommand(true)
            .disable_help_flag(true)
            .mut_args(|a| {
                if a.is_positional() {
                    a.help_heading("Tham số")
                } else {
                    a.help_heading("Tùy chọn")
                }
            })
            .arg(
                Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help("In trợ giúp")
                    .help_heading("Tùy chọn"),
            );
        if root {
            cmd = cmd.disable_version_flag(true).arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help("In phiên bản")
                    .help_heading("Tùy chọn"),
            );
        }
        let positionals: Vec<String> = cmd.get_positionals().map(|a| a.get_id().to_string()).collect();
        for (i, id) in positionals.iter().enumerate() {
            let (name, help) = positional_vi(id);
            cmd = cmd.mut_arg(id, |a| {
                let a = a.display_order(i).value_name(name);
                if a.get_help().is_none() {
                    a.help(help)
                } else {
                    a
                }
            });
        }
        let names: Vec<String> = cmd.get_subcommands().map(|c| c.get_name().to_string()).collect();
        for n in names {
            cmd = cmd.mut_subcommand(n, |c| walk(c, false));
        }
        cmd
    }
    walk(cmd, true)
}

/// Vietnamese names and help for positional arguments.
fn positional_vi(id: &str) -> (&'static str, &'static str) {
    match id {
        "unit" => ("ĐƠN_VỊ", "Mã đơn vị hoặc một phần tên, không cần dấu (\"ha lang\")"),
        "units" => ("ĐƠN_VỊ", "Các đơn vị (mã hoặc một phần tên)"),
        "code" => ("MÃ", "Mã tiêu chí, ví dụ 3.3.1"),
        "key" => ("CHỈ_SỐ", "Mã chỉ số, ví dụ ho_so_tiep_nhan (xem: kiemtra figure keys)"),
        "value" => ("GIÁ_TRỊ", "Giá trị, viết kiểu Việt Nam: 1.081 hoặc 12,82"),
        "file" => ("TỆP", "Đường dẫn tệp"),
        "text" => ("NỘI_DUNG", "Nội dung"),
        "id" => ("MÃ", "Mã bản ghi (xem trong danh sách)"),
        "name" => ("HỌ_TÊN", "Tên"),
        "new_name" => ("TÊN_MỚI", "Tên mới"),
        "state" => ("TÌNH_TRẠNG", "Tình trạng"),
        "number" => ("SỐ", "Số thứ tự của kiến nghị"),
        _ => ("GIÁ_TRỊ", ""),
    }
}

pub struct App {
    db: PathBuf,
    pub json: bool,
    pub ctx: Ctx,
    /// The plan `--plan` names for this command.
    plan: Option<String>,
}

impl App {
    /// The store, working on the plan `--plan` named, if any.
    pub fn open(&self) -> Result<Store> {
        let mut store = Store::open(&self.db)?;
        if let Some(p) = &self.plan {
            store.choose_plan(p)?;
        }
        Ok(store)
    }
}

fn db_path(args: &Args) -> Result<PathBuf> {
    match &args.db {
        Some(p) => Ok(p.clone()),
        None => paths::default_db_path().ok_or_else(|| {
            Refusal::BadPath.err("Không xác định được thư mục dữ liệu của người dùng; hãy chỉ định --db TỆP.")
        }),
    }
}

fn parse_score(s: &str) -> Result<f64> {
    parse_number(s, false, "Điểm")
}

fn opt_date(d: &Option<String>) -> String {
    d.as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(fmt_date)
        .unwrap_or_default()
}

pub fn run(args: Args) -> Result<()> {
    let inspector = args
        .inspector
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "(không rõ)".into());
    let now = match &args.now {
        None => Utc::now(),
        Some(t) => chrono::DateTime::parse_from_rfc3339(t.trim())
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| {
                Refusal::BadDate.err(format!(
                    "Thời điểm «{t}» không đúng dạng RFC 3339 (ví dụ 2026-10-20T09:00:00+07:00)."
                ))
            })?,
    };
    let db = db_path(&args)?;
    // Once this laptop is in a team, its changes are recorded under its member's name.
    let inspector = match &args.inspector {
        Some(_) => inspector,
        None => Store::open(&db)
            .ok()
            .and_then(|s| s.member_name().ok().flatten())
            .unwrap_or(inspector),
    };
    let app = App {
        db,
        json: args.json,
        ctx: Ctx::new(now, inspector),
        plan: args.plan.clone(),
    };
    match args.cmd {
        Cmd::Init => init(&app),
        Cmd::Plan(c) => plan(&app, c),
        Cmd::Team(c) => team(&app, c),
        Cmd::Units(c) => units(&app, c),
        Cmd::Inspection(c) => inspection(&app, c),
        Cmd::Checklist(c) => checklist(&app, c),
        Cmd::Figure(c) => figure(&app, c),
        Cmd::Evidence(c) => evidence(&app, c),
        Cmd::Finding(c) => finding(&app, c),
        Cmd::Recommendation(c) => recommendation(&app, c),
        Cmd::Score { unit, all, area } => score(&app, unit, all, area),
        Cmd::Search { text, limit } => search(&app, &text, limit),
        Cmd::Backup { file } => backup(&app, &file),
        Cmd::Template(c) => template(&app, c),
        Cmd::Audit { limit } => audit(&app, limit),
        Cmd::Check => check(&app),
        Cmd::Undo => undo(&app),
        Cmd::Doc(c) => doc::run(&app, c),
        Cmd::Exchange(c) => exchange::run(&app, c),
        Cmd::Conflicts(c) => exchange::conflicts(&app, c),
        Cmd::Followup(c) => after::followup(&app, c),
        Cmd::Deadline { unit } => after::deadline(&app, unit),
        Cmd::Reinspect { unit } => after::reinspect(&app, &unit),
        Cmd::Export(c) => after::export(&app, c),
        Cmd::Holidays(c) => after::holidays(&app, c),
        Cmd::SelfAssess(c) => after::self_assess(&app, c),
    }
}

fn init(app: &App) -> Result<()> {
    let (store, created) = Store::init(&app.db, &app.ctx)?;
    if app.json {
        json(
            &json!({ "db": store.path(), "created": created, "schema": store.schema_version()?, "device_id": store.device_id() }),
        );
    } else if created {
        println!(
            "Đã tạo cơ sở dữ liệu tại {} (kèm bộ tiêu chí mặc định cho sở và cho xã, phường).",
            store.path().display()
        );
        println!("Tiếp theo: kiemtra plan load-sample để nạp kế hoạch kiểm tra năm 2026.");
    } else {
        println!("Đã có cơ sở dữ liệu tại {}; không thay đổi gì.", store.path().display());
    }
    Ok(())
}

fn plan(app: &App, c: PlanCmd) -> Result<()> {
    let mut store = app.open()?;
    match c {
        PlanCmd::LoadSample => {
            let (id, loaded) = store.load_sample_plan(&app.ctx)?;
            let ov = store.plan_overview(&id, app.ctx.today())?;
            if app.json {
                json(&json!({ "plan_id": id, "loaded": loaded, "units": ov.inspections.len() }));
            } else if loaded {
                println!("Đã nạp «{}»: {} đơn vị.", ov.plan.title, ov.inspections.len());
            } else {
                println!("«{}» đã có; không nạp lại.", ov.plan.title);
            }
        }
        PlanCmd::List => {
            let plans = store.plans()?;
            let current = store.current_plan().ok().map(|p| p.id);
            if app.json {
                let v: Vec<serde_json::Value> = plans
                    .iter()
                    .map(|p| {
                        let mut v = serde_json::to_value(p).expect("a plan serialises");
                        v["in_use"] = json!(current.as_deref() == Some(p.id.as_str()));
                        v
                    })
                    .collect();
                return json_ok(&v);
            }
            for p in plans {
                let mark = if current.as_deref() == Some(p.id.as_str()) {
                    "*"
                } else {
                    " "
                };
                println!(
                    "{mark} {}  {}  ({})  {}{}",
                    p.id,
                    p.title,
                    p.year,
                    p.issuing_body,
                    if p.closed { "  (đã đóng)" } else { "" }
                );
            }
        }
        PlanCmd::Close { query } => close_plan(app, &mut store, query, true)?,
        PlanCmd::Reopen { query } => close_plan(app, &mut store, query, false)?,
        PlanCmd::Use { query } => {
            let p = store.use_plan(&query)?;
            if app.json {
                json(&json!({ "plan_id": p.id }));
            } else {
                println!("Đang dùng «{}» ({}).", p.title, p.year);
            }
        }
        PlanCmd::New(n) => {
            let team_kind = n
                .team_kind
                .as_deref()
                .map(|k| {
                    parse_enum(k, "Loại đoàn", TeamKind::parse, TeamKind::ALL, |k| {
                        format!("{} ({})", k.as_str(), k.label())
                    })
                })
                .transpose()?;
            let from_plan = n
                .from
                .as_deref()
                .map(|q| store.resolve_plan(q))
                .transpose()?
                .map(|p| p.id);
            let made = store.create_plan(
                &app.ctx,
                &NewPlan {
                    title: n.title,
                    year: n.year,
                    issuing_body: n.issuing_body,
                    parent_body: n.parent_body,
                    number: n.number,
                    symbol: String::new(),
                    date: n.date,
                    place: n.place,
                    legal_bases: n.legal_bases,
                    period_start: n.start,
                    period_end: n.end,
                    signer_name: n.signer,
                    signer_title: n.signer_title.replace("\\n", "\n"),
                    team_name: n.team_name,
                    team_kind,
                    team_symbol: n.team_symbol,
                    team_issuing_body: String::new(),
                    standing_agency: n.standing_agency,
                    decision_number: n.decision_number,
                    decision_date: n.decision_date,
                    decision_signer: n.decision_signer,
                    decision_signer_title: n.decision_signer_title,
                    from_plan,
                },
            )?;
            let p = store.use_plan(&made.plan_id)?;
            if app.json {
                json(&json!(made));
            } else {
                println!("Đã lập «{}» ({}); đây là kế hoạch đang dùng.", p.title, p.year);
                if made.units > 0 || made.carried > 0 {
                    println!(
                        "Đã sao chép {} đơn vị, {} thành viên đoàn; {} kiến nghị chưa khắc phục được đưa vào theo dõi.",
                        made.units, made.members, made.carried
                    );
                }
            }
        }
        PlanCmd::Show => {
            let p = store.current_plan()?;
            let ov = store.plan_overview(&p.id, app.ctx.today())?;
            if app.json {
                return json_ok(&ov);
            }
            let number = if ov.plan.number.is_empty() {
                "…"
            } else {
                &ov.plan.number
            };
            println!("{}", ov.plan.title);
            println!(
                "Số: {}/{} · {} · thời gian: {} – {}",
                number,
                ov.plan.symbol,
                ov.plan.issuing_body,
                opt_date(&ov.plan.period_start),
                opt_date(&ov.plan.period_end)
            );
            for b in &ov.plan.legal_bases {
                println!("Căn cứ: {b}");
            }
            if let Some(t) = &ov.team {
                let lead = t.members.iter().find(|m| m.role == MemberRole::TruongDoan);
                println!(
                    "{} · {} thành viên{}",
                    t.name,
                    t.members.len(),
                    lead.map(|m| format!(" · trưởng đoàn: {} ({})", m.name, m.title))
                        .unwrap_or_default()
                );
            }
            println!();
            let rows: Vec<Vec<String>> = ov
                .inspections
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    vec![
                        (i + 1).to_string(),
                        format!(
                            "{}{}{}",
                            r.unit_name,
                            if r.unannounced { " (đột xuất)" } else { "" },
                            if r.follows_id.is_some() {
                                " (kiểm tra lại)"
                            } else {
                                ""
                            }
                        ),
                        r.unit_kind.label().to_string(),
                        opt_date(&r.scheduled_start),
                        r.state.label().to_string(),
                        format!("{}/{}", r.scored_items, r.scorable_items),
                        fmt_score(r.score),
                        after::deadline_cell(r.deadline.as_ref()),
                        match (r.open_recommendations, r.overdue_recommendations) {
                            (0, _) => String::new(),
                            (n, 0) => format!("{n} chưa xong"),
                            (n, o) => format!("{n} chưa xong, {o} QUÁ HẠN"),
                        },
                    ]
                })
                .collect();
            table(
                &[
                    "TT",
                    "Đơn vị",
                    "Loại",
                    "Lịch",
                    "Trạng thái",
                    "Đã chấm",
                    "Điểm",
                    "Hạn thông báo",
                    "Kiến nghị",
                ],
                &rows,
                &[0, 5, 6],
            );
            let due: Vec<&str> = ov
                .inspections
                .iter()
                .filter(|i| {
                    i.deadline
                        .as_ref()
                        .is_some_and(|d| d.state == kiemtra_core::followup::DeadlineState::DueThisWeek)
                })
                .map(|i| i.unit_name.as_str())
                .collect();
            if !due.is_empty() {
                println!();
                println!("Đến hạn ban hành thông báo trong tuần này: {}.", due.join("; "));
            }
        }
        PlanCmd::Set(s) => {
            let p = store.current_plan()?;
            let n = store.update_plan(
                &app.ctx,
                &p.id,
                &PlanPatch {
                    number: s.number,
                    date: s.date,
                    title: s.title,
                    issuing_body: s.issuing_body,
                    signer_name: s.signer,
                    signer_title: s.signer_title.map(|t| t.replace("\\n", "\n")),
                    period_start: s.start,
                    period_end: s.end,
                    legal_bases: (!s.bases.is_empty()).then_some(s.bases),
                },
            )?;
            report_changed(app, n);
        }
    }
    Ok(())
}

/// `plan close` and `plan reopen`: the plan named, or the one in use.
fn close_plan(app: &App, store: &mut Store, query: Option<String>, closing: bool) -> Result<()> {
    let p = match query {
        Some(q) => store.resolve_plan(&q)?,
        None => store.current_plan()?,
    };
    let changed = store.close_plan(&app.ctx, &p.id, closing)?;
    if app.json {
        json(&json!({ "plan_id": p.id, "closed": closing, "changed": changed }));
    } else if !changed {
        println!(
            "«{}» đã {} từ trước; không thay đổi gì.",
            p.title,
            if closing { "đóng" } else { "mở" }
        );
    } else if closing {
        println!(
            "Đã đóng «{}»: chỉ xem, in và tìm kiếm (mở lại: kiemtra plan reopen).",
            p.title
        );
    } else {
        println!("Đã mở lại «{}».", p.title);
    }
    Ok(())
}

fn report_changed(app: &App, n: usize) {
    if app.json {
        json(&json!({ "changed": n }));
    } else if n == 0 {
        println!("Không có gì thay đổi.");
    } else {
        println!("Đã lưu ({n} trường thay đổi).");
    }
}

fn team(app: &App, c: TeamCmd) -> Result<()> {
    let c = match c {
        TeamCmd::Key(k) => return trust::key(app, k),
        TeamCmd::Invite { out, member } => return trust::invite(app, &member, &out),
        TeamCmd::Join { file } => return trust::join(app, &file),
        TeamCmd::Revoke { laptop } => return trust::revoke(app, &laptop),
        c => c,
    };
    let mut store = app.open()?;
    let plan = store.current_plan()?;
    match c {
        TeamCmd::Key(_) | TeamCmd::Invite { .. } | TeamCmd::Join { .. } | TeamCmd::Revoke { .. } => {
            unreachable!("the team's keys are handled above")
        }
        TeamCmd::Show => {
            let t = store.team(&plan.id)?.ok_or(Error::NotFound {
                what: "đoàn kiểm tra",
                key: plan.title.clone(),
            })?;
            if app.json {
                return json_ok(&t);
            }
            println!("{}", t.name);
            let dn = if t.decision_number.is_empty() {
                "(chưa nhập)".to_string()
            } else {
                t.decision_number.clone()
            };
            println!("Quyết định thành lập: {} {}", dn, opt_date(&t.decision_date));
            println!("Cơ quan thường trực: {}", t.standing_agency);
            let rows: Vec<Vec<String>> = t
                .members
                .iter()
                .map(|m| {
                    vec![
                        m.name.clone(),
                        m.role.label().to_string(),
                        m.title.clone(),
                        m.agency.clone(),
                    ]
                })
                .collect();
            table(&["Họ tên", "Vai trò", "Chức vụ", "Cơ quan"], &rows, &[]);
        }
        TeamCmd::Set {
            name,
            decision_number,
            decision_date,
            decision_signer,
            decision_signer_title,
            standing_agency,
            parent_body,
            symbol,
            issuing_body,
            kind,
            sign_authority,
            sign_on_behalf,
            sign_title,
        } => {
            let kind = kind
                .as_deref()
                .map(|k| {
                    parse_enum(k, "Loại đoàn", TeamKind::parse, TeamKind::ALL, |k| {
                        format!("{} ({})", k.as_str(), k.label())
                    })
                })
                .transpose()?;
            let n = store.update_team(
                &app.ctx,
                &plan.id,
                &TeamPatch {
                    name,
                    decision_number,
                    decision_date,
                    decision_signer,
                    decision_signer_title,
                    standing_agency,
                    parent_body,
                    symbol,
                    issuing_body,
                    kind,
                    sign_authority,
                    sign_on_behalf,
                    sign_title,
                },
            )?;
            report_changed(app, n);
        }
        TeamCmd::AddMember {
            name,
            role,
            agency,
            title,
        } => {
            let role = parse_enum(&role, "Vai trò", MemberRole::parse, MemberRole::ALL, |r| {
                r.label().to_string()
            })?;
            let id = store.add_member(&app.ctx, &plan.id, &name, role, &agency, &title)?;
            if app.json {
                json(&json!({ "id": id }));
            } else {
                println!("Đã thêm {} ({}) vào đoàn.", name.trim(), role.label());
            }
        }
        TeamCmd::RemoveMember { name } => {
            let m = store.remove_member(&app.ctx, &plan.id, &name)?;
            if app.json {
                json(&json!({ "id": m.id }));
            } else {
                println!("Đã bớt {} khỏi đoàn.", m.name);
            }
        }
    }
    Ok(())
}

fn parse_kind(s: &str) -> Result<UnitKind> {
    parse_enum(s, "Loại đơn vị", UnitKind::parse, UnitKind::ALL, |k| {
        format!("{} ({})", k.as_str(), k.label())
    })
}

fn units(app: &App, c: UnitsCmd) -> Result<()> {
    let mut store = app.open()?;
    match c {
        UnitsCmd::List { all, all_plans } => {
            let units = if all || all_plans {
                store.units(all)?
            } else {
                store.plan_units(&store.current_plan()?.id)?
            };
            if app.json {
                return json_ok(&units);
            }
            let rows: Vec<Vec<String>> = units
                .iter()
                .map(|u| {
                    vec![
                        u.name.clone(),
                        u.kind.label().to_string(),
                        if u.active {
                            String::new()
                        } else {
                            "đã sáp nhập".into()
                        },
                        u.id.clone(),
                    ]
                })
                .collect();
            table(&["Đơn vị", "Loại", "", "Mã"], &rows, &[]);
        }
        UnitsCmd::Add {
            from_file: Some(file),
            kind,
            ..
        } => {
            let kind = kind.as_deref().map(parse_kind).transpose()?;
            let plan = store.current_plan()?;
            let xlsx = file
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
            if xlsx {
                if kind.is_some() {
                    return Err(Refusal::BadArgument.err("Bảng tính ghi loại của từng đơn vị ở cột «Loại»; bỏ --kind."));
                }
                let added = store.add_units_from_xlsx(&app.ctx, &plan.id, &file)?;
                if app.json {
                    let v: Vec<_> = added
                        .iter()
                        .map(|(u, i)| json!({ "unit_id": u, "inspection_id": i }))
                        .collect();
                    json(&json!(v));
                } else {
                    println!("Đã thêm {} đơn vị từ bảng tính vào «{}».", added.len(), plan.title);
                }
                return Ok(());
            }
            let bytes = std::fs::read(&file).map_err(|e| Error::io("đọc được", &file, e))?;
            let text = String::from_utf8(bytes).map_err(|_| {
                Refusal::BadArgument.err(format!(
                    "{} không phải tệp văn bản UTF-8; hãy lưu danh sách dạng văn bản (UTF-8), mỗi dòng một đơn vị.",
                    file.display()
                ))
            })?;
            let added = store.add_units_from_lines(&app.ctx, &plan.id, &text, kind)?;
            if app.json {
                let v: Vec<_> = added
                    .iter()
                    .map(|(u, i)| json!({ "unit_id": u, "inspection_id": i }))
                    .collect();
                json(&json!(v));
            } else {
                println!("Đã thêm {} đơn vị vào «{}».", added.len(), plan.title);
            }
        }
        UnitsCmd::Add {
            name,
            kind,
            unannounced,
            start,
            end,
            from_file: None,
        } => {
            let (Some(name), Some(kind)) = (name, kind) else {
                return Err(Refusal::Required.err("Hãy ghi tên đơn vị và --kind, hoặc --from-file TỆP."));
            };
            let kind = parse_kind(&kind)?;
            let plan = store.current_plan()?;
            let (uid, insp) = store.add_unit_to_plan(
                &app.ctx,
                &plan.id,
                kind,
                &name,
                unannounced,
                start.as_deref(),
                end.as_deref(),
            )?;
            if app.json {
                json(&json!({ "unit_id": uid, "inspection_id": insp }));
            } else {
                println!(
                    "Đã thêm {} vào kế hoạch{}.",
                    name.trim(),
                    if unannounced { " (kiểm tra đột xuất)" } else { "" }
                );
            }
        }
        UnitsCmd::Set {
            unit,
            head,
            head_title,
            address,
        } => {
            let u = store.resolve_unit(&unit)?;
            let n = store.update_unit(
                &app.ctx,
                &u.id,
                head.as_deref(),
                head_title.as_deref(),
                address.as_deref(),
            )?;
            report_changed(app, n);
        }
        UnitsCmd::Rename {
            unit,
            new_name,
            date,
            note,
        } => {
            let u = store.resolve_unit(&unit)?;
            store.rename_unit(&app.ctx, &u.id, &new_name, date.as_deref(), &note)?;
            if !app.json {
                println!(
                    "Đã đổi tên «{}» thành «{}»; tên cũ được giữ trong lịch sử.",
                    u.name,
                    new_name.trim()
                );
            } else {
                json(&json!({ "id": u.id }));
            }
        }
        UnitsCmd::Merge {
            units,
            into,
            kind,
            date,
        } => {
            let kind = parse_kind(&kind)?;
            let ids: Vec<String> = units
                .iter()
                .map(|q| store.resolve_unit(q).map(|u| u.id))
                .collect::<Result<_>>()?;
            let id = store.merge_units(&app.ctx, &ids, &into, kind, date.as_deref())?;
            if app.json {
                json(&json!({ "id": id }));
            } else {
                println!("Đã sáp nhập {} đơn vị thành «{}».", ids.len(), into.trim());
            }
        }
        UnitsCmd::Remove { unit } => {
            let (plan, u) = store.resolve_plan_unit(&unit)?;
            store.remove_unit_from_plan(&app.ctx, &plan.id, &u.id)?;
            if app.json {
                json(&json!({ "unit_id": u.id, "plan_id": plan.id }));
            } else {
                println!(
                    "Đã đưa «{}» ra khỏi «{}»; đơn vị và lịch sử của nó vẫn được giữ.",
                    u.name, plan.title
                );
            }
        }
        UnitsCmd::History { unit } => {
            let u = store.resolve_unit(&unit)?;
            let h = store.unit_history(&u.id)?;
            if app.json {
                return json_ok(&h);
            }
            println!("{}{}", u.name, if u.active { "" } else { " (đã sáp nhập)" });
            if h.is_empty() {
                println!("Chưa đổi tên hay sáp nhập lần nào.");
            }
            for e in h {
                let when = opt_date(&e.effective_date);
                match e.event.as_str() {
                    "rename" => println!("{when} đổi tên: {} → {}", e.old_name, e.new_name),
                    "merged_into" => println!("{when} sáp nhập vào {}", e.new_name),
                    _ => println!("{when} hình thành từ sáp nhập, có {}", e.old_name),
                }
            }
        }
    }
    Ok(())
}

fn inspection(app: &App, c: InspectionCmd) -> Result<()> {
    let mut store = app.open()?;
    match c {
        InspectionCmd::Show { unit } => {
            let (_, id) = store.resolve_inspection(&unit)?;
            let r = store.inspection_row(&id)?;
            if app.json {
                return json_ok(&r);
            }
            println!("{} · {}", r.unit_name, r.state.label());
            println!(
                "Lịch: {} – {}",
                opt_date(&r.scheduled_start),
                opt_date(&r.scheduled_end)
            );
            println!("Thực tế: {} – {}", opt_date(&r.actual_start), opt_date(&r.actual_end));
            println!(
                "Bộ tiêu chí phiên bản {} · đã chấm {}/{} · {} điểm",
                r.template_version,
                r.scored_items,
                r.scorable_items,
                fmt_score(r.score)
            );
        }
        InspectionCmd::Set {
            unit,
            state,
            start,
            end,
            actual_start,
            actual_end,
        } => {
            let (_, id) = store.resolve_inspection(&unit)?;
            let state = match state {
                Some(s) => Some(parse_enum(
                    &s,
                    "Trạng thái",
                    InspectionState::parse,
                    InspectionState::ALL,
                    |s| s.label().to_string(),
                )?),
                None => None,
            };
            let n = store.update_inspection(
                &app.ctx,
                &id,
                &InspectionPatch {
                    state,
                    scheduled_start: start,
                    scheduled_end: end,
                    actual_start,
                    actual_end,
                },
            )?;
            report_changed(app, n);
        }
    }
    Ok(())
}

fn checklist(app: &App, c: ChecklistCmd) -> Result<()> {
    let mut store = app.open()?;
    match c {
        ChecklistCmd::Show { unit, area, code } => {
            let (_, id) = store.resolve_inspection(&unit)?;
            let cl = store.checklist(&id)?;
            if let Some(code) = code {
                return show_item(app, &store, &cl, &id, code.trim());
            }
            let t = store.template(&store.inspection_template_id(&id)?)?;
            if let Some(a) = area.as_deref().map(str::trim) {
                if t.area(a).is_none() {
                    return Err(Refusal::BadChoice.err(format!(
                        "Lĩnh vực «{a}» không có trong bộ tiêu chí. Chọn một trong: {}.",
                        t.areas.iter().map(|a| a.code.as_str()).collect::<Vec<_>>().join(", ")
                    )));
                }
            }
            if app.json {
                return json_ok(&cl);
            }
            println!(
                "{} · {} (phiên bản {})",
                cl.unit.name, cl.template_name, cl.template_version
            );
            println!(
                "Đã chấm {}/{} tiêu chí · {} điểm",
                cl.card.scored_items,
                cl.card.scorable_items,
                fmt_score(cl.card.total)
            );
            for a in &t.areas {
                if area.as_deref().is_some_and(|x| x.trim() != a.code) {
                    continue;
                }
                println!();
                println!("{}. {} (tối đa {})", a.code, a.title, fmt_score(a.max));
                let rows: Vec<Vec<String>> = cl
                    .items
                    .iter()
                    .filter(|i| i.criterion.area == a.code)
                    .map(|i| {
                        let indent = if i.criterion.level == 2 { "  " } else { "" };
                        let status = i
                            .response
                            .status
                            .as_ref()
                            .and_then(|s| i.criterion.choices.iter().find(|c| &c.key == s))
                            .map(|c| c.label.clone())
                            .or_else(|| i.rate.map(fmt_percent))
                            .unwrap_or_default();
                        vec![
                            format!("{indent}{}", i.criterion.code),
                            format!("{indent}{}", clip(&i.criterion.text, 60)),
                            fmt_score(i.criterion.max),
                            i.response.self_score.map(fmt_score).unwrap_or_default(),
                            match i.state {
                                ItemState::NotApplicable if i.score.is_none() => "KAD".into(),
                                ItemState::NotObserved => "—".into(),
                                _ => i.score.map(fmt_score).unwrap_or_default(),
                            },
                            clip(&status, 24),
                            if i.evidence > 0 {
                                i.evidence.to_string()
                            } else {
                                String::new()
                            },
                        ]
                    })
                    .collect();
                table(
                    &["Mã", "Tiêu chí", "Tối đa", "Tự chấm", "Đoàn", "Mức / tỷ lệ", "TLKC"],
                    &rows,
                    &[2, 3, 4, 6],
                );
            }
            println!();
            println!("KAD: không áp dụng (mẫu số bằng 0) · —: không chấm khi kiểm tra · TLKC: số tài liệu kiểm chứng");
        }
        ChecklistCmd::Set {
            unit,
            code,
            self_score,
            team,
            status,
            note,
            clear_team,
            clear_self,
        } => {
            let (u, id) = store.resolve_inspection(&unit)?;
            if self_score.is_none()
                && team.is_none()
                && status.is_none()
                && note.is_none()
                && !clear_team
                && !clear_self
            {
                return Err(Refusal::BadArgument.err("Hãy cho biết cần lưu gì: --self, --team, --status hoặc --note."));
            }
            let patch = ResponsePatch {
                self_score: if clear_self {
                    Some(None)
                } else {
                    self_score.as_deref().map(parse_score).transpose()?.map(Some)
                },
                team_score: if clear_team {
                    Some(None)
                } else {
                    team.as_deref().map(parse_score).transpose()?.map(Some)
                },
                status: status.map(Some),
                note,
                self_note: None,
            };
            let n = store.set_response(&app.ctx, &id, &code, &patch)?;
            let (_, card) = store.score_card(&id)?;
            let item = card.item(code.trim());
            if app.json {
                json(&json!({ "changed": n, "item": item, "total": card.total }));
            } else {
                let s = item
                    .and_then(|i| i.score)
                    .map(fmt_score)
                    .unwrap_or_else(|| "chưa chấm".into());
                println!(
                    "Đã lưu tiêu chí {}: {} điểm. Tổng của {}: {} điểm.",
                    code.trim(),
                    s,
                    u.name,
                    fmt_score(card.total)
                );
                if let Some(conflict) = item.and_then(|i| i.level_conflict.as_deref()) {
                    println!("Lưu ý: {conflict}");
                }
            }
        }
    }
    Ok(())
}

/// One criterion in full: what the team checks, how it is scored, what can be chosen.
fn show_item(
    app: &App,
    store: &Store,
    cl: &kiemtra_core::checklist::Checklist,
    inspection_id: &str,
    code: &str,
) -> Result<()> {
    let item = cl
        .items
        .iter()
        .find(|i| i.criterion.code == code)
        .ok_or_else(|| Error::NotFound {
            what: "tiêu chí",
            key: code.to_string(),
        })?;
    let evidence = store.evidence(inspection_id, Some(code))?;
    if app.json {
        return json_ok(&json!({ "item": item, "evidence": evidence }));
    }
    println!("{} {} · {}", item.criterion.code, item.criterion.text, cl.unit.name);
    println!("Điểm tối đa: {}", fmt_score(item.criterion.max));
    if let Some(rule) = &item.criterion.rule {
        println!("Cách chấm: {rule}");
    }
    if !item.criterion.choices.is_empty() {
        println!("Các mức (--status):");
        for c in &item.criterion.choices {
            let mark = if item.response.status.as_deref() == Some(c.key.as_str()) {
                "  ← đã chọn"
            } else {
                ""
            };
            println!("  {:<20} {}{mark}", c.key, c.label);
        }
    }
    if let Some(g) = &item.criterion.guide {
        println!("Hướng dẫn kiểm tra: {g}");
    }
    println!(
        "Tự chấm: {} · đoàn chấm: {} · theo quy tắc: {} · {}",
        item.response.self_score.map(fmt_score).unwrap_or_else(|| "—".into()),
        item.response.team_score.map(fmt_score).unwrap_or_else(|| "—".into()),
        item.computed.map(fmt_score).unwrap_or_else(|| "—".into()),
        item.state.label()
    );
    if !item.response.note.is_empty() {
        println!("Ghi chú: {}", item.response.note);
    }
    for e in evidence {
        println!(
            "Tài liệu: {} {} {} {}",
            e.doc_number,
            opt_date(&e.doc_date),
            e.description,
            e.attachment_name.unwrap_or_default()
        );
    }
    Ok(())
}

fn figure(app: &App, c: FigureCmd) -> Result<()> {
    if let FigureCmd::Keys = c {
        if app.json {
            json(&figures::FIGURES);
        } else {
            let rows: Vec<Vec<String>> = figures::FIGURES
                .iter()
                .map(|f| vec![f.key.to_string(), f.label.to_string()])
                .collect();
            table(&["Chỉ số", "Nội dung"], &rows, &[]);
        }
        return Ok(());
    }
    let mut store = app.open()?;
    match c {
        FigureCmd::Set { unit, key, value } => {
            let (_, id) = store.resolve_inspection(&unit)?;
            let v = store.set_figure_text(&app.ctx, &id, &key, &value)?;
            let (_, rates) = store.figures(&id)?;
            let related: Vec<_> = figures::RATES
                .iter()
                .filter(|r| r.numerator == key.trim() || r.denominator == key.trim())
                .filter_map(|r| rates.iter().find(|x| x.key == r.key))
                .collect();
            if app.json {
                json(&json!({ "key": key.trim(), "value": v, "rates": related }));
            } else {
                let unit = match figures::figure(key.trim()).map(|f| f.unit) {
                    Some(figures::FigureUnit::Percent) => " %",
                    _ => "",
                };
                println!(
                    "Đã lưu {}: {}{unit}.",
                    figures::label(key.trim()),
                    kiemtra_core::text::fmt_num(v, 2)
                );
                for r in related {
                    println!("  {}: {}", r.label, r.display);
                }
            }
        }
        FigureCmd::Clear { unit, key } => {
            let (_, id) = store.resolve_inspection(&unit)?;
            let done = store.clear_figure(&app.ctx, &id, key.trim())?;
            report_changed(app, done as usize);
        }
        FigureCmd::List { unit } => {
            let (u, id) = store.resolve_inspection(&unit)?;
            let (figs, rates) = store.figures(&id)?;
            if app.json {
                return json_ok(&json!({ "figures": figs, "rates": rates }));
            }
            println!("Số liệu của {}", u.name);
            let rows: Vec<Vec<String>> = figs
                .iter()
                .map(|f| vec![f.label.clone(), f.display.clone(), f.key.clone()])
                .collect();
            table(&["Chỉ số", "Giá trị", "Mã"], &rows, &[1]);
            println!();
            let rows: Vec<Vec<String>> = rates.iter().map(|r| vec![r.label.clone(), r.display.clone()]).collect();
            table(&["Tỷ lệ", "Giá trị"], &rows, &[1]);
        }
        FigureCmd::Keys => unreachable!(),
    }
    Ok(())
}

fn evidence(app: &App, c: EvidenceCmd) -> Result<()> {
    let mut store = app.open()?;
    match c {
        EvidenceCmd::Add {
            unit,
            code,
            file,
            number,
            date,
            note,
        } => {
            let (_, id) = store.resolve_inspection(&unit)?;
            let added = store.add_evidence(&app.ctx, &id, &code, &number, date.as_deref(), &note, file.as_deref())?;
            if app.json {
                json(&added);
            } else {
                println!("Đã thêm tài liệu kiểm chứng cho tiêu chí {}.", code.trim());
                if file.is_some() && !added.new_attachment {
                    println!("Tệp này đã có trong dữ liệu; chỉ thêm tham chiếu, không lưu lại lần nữa.");
                }
            }
        }
        EvidenceCmd::Remove { unit, id } => {
            let (_, insp) = store.resolve_inspection(&unit)?;
            let e = store.delete_evidence(&app.ctx, &insp, &id)?;
            if app.json {
                json(&json!({ "deleted": e.id }));
            } else {
                println!("Đã xóa tài liệu kiểm chứng của tiêu chí {}.", e.item_code);
            }
        }
        EvidenceCmd::List { unit, code } => {
            let (_, id) = store.resolve_inspection(&unit)?;
            let ev = store.evidence(&id, code.as_deref().map(str::trim))?;
            if app.json {
                return json_ok(&ev);
            }
            let rows: Vec<Vec<String>> = ev
                .iter()
                .map(|e| {
                    vec![
                        e.id[..8].to_string(),
                        e.item_code.clone(),
                        e.doc_number.clone(),
                        opt_date(&e.doc_date),
                        clip(&e.description, 50),
                        e.attachment_name.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            table(&["Mã", "Tiêu chí", "Số văn bản", "Ngày", "Mô tả", "Tệp"], &rows, &[]);
        }
    }
    Ok(())
}

fn finding(app: &App, c: FindingCmd) -> Result<()> {
    let mut store = app.open()?;
    match c {
        FindingCmd::Add { unit, area, kind, text } => {
            let (_, id) = store.resolve_inspection(&unit)?;
            let kind = parse_enum(&kind, "Loại nhận xét", FindingKind::parse, FindingKind::ALL, |k| {
                format!("{} ({})", k.as_str(), k.label())
            })?;
            let fid = store.add_finding(&app.ctx, &id, &area, kind, &text)?;
            if app.json {
                json(&json!({ "id": fid }));
            } else {
                println!("Đã thêm nhận xét ({}) ở lĩnh vực {}.", kind.label(), area.trim());
            }
        }
        FindingCmd::List { unit } => {
            let (_, id) = store.resolve_inspection(&unit)?;
            let f = store.findings(&id)?;
            if app.json {
                return json_ok(&f);
            }
            let mut last = String::new();
            for x in f {
                if x.area_code != last {
                    println!("Lĩnh vực {}", x.area_code);
                    last = x.area_code.clone();
                }
                println!("  [{}] {}  (mã {})", x.kind.label(), x.text, &x.id[..8]);
            }
        }
        FindingCmd::Edit { unit, id, text } => {
            let (_, insp) = store.resolve_inspection(&unit)?;
            let f = store.resolve_finding(&insp, &id)?;
            let n = store.update_finding(&app.ctx, &f.id, &text)?;
            report_changed(app, n);
        }
        FindingCmd::Remove { unit, id } => {
            let (_, insp) = store.resolve_inspection(&unit)?;
            let f = store.resolve_finding(&insp, &id)?;
            store.delete_finding(&app.ctx, &f.id)?;
            if !app.json {
                println!("Đã xóa nhận xét «{}».", clip(&f.text, 60));
            } else {
                json(&json!({ "deleted": f.id }));
            }
        }
    }
    Ok(())
}

fn recommendation(app: &App, c: RecommendationCmd) -> Result<()> {
    let mut store = app.open()?;
    match c {
        RecommendationCmd::Add {
            unit,
            text,
            owner,
            deadline,
            area,
            force,
        } => {
            let (_, id) = store.resolve_inspection(&unit)?;
            store.confirm_deadline(&app.ctx, None, deadline.as_deref(), force)?;
            let (rid, number) =
                store.add_recommendation(&app.ctx, &id, area.as_deref(), &text, &owner, deadline.as_deref())?;
            if app.json {
                json(&json!({ "id": rid, "number": number }));
            } else {
                println!("Đã thêm kiến nghị số {number}.");
            }
        }
        RecommendationCmd::Edit {
            unit,
            number,
            text,
            owner,
            deadline,
            area,
            force,
        } => {
            let (_, insp) = store.resolve_inspection(&unit)?;
            let r = store.recommendation_by_number(&insp, number)?;
            store.confirm_deadline(&app.ctx, Some(&r.id), deadline.as_deref(), force)?;
            let n = store.update_recommendation(
                &app.ctx,
                &r.id,
                text.as_deref(),
                owner.as_deref(),
                deadline.as_deref(),
                area.as_deref(),
            )?;
            report_changed(app, n);
        }
        RecommendationCmd::Remove { unit, number } => {
            let (_, insp) = store.resolve_inspection(&unit)?;
            let r = store.recommendation_by_number(&insp, number)?;
            store.delete_recommendation(&app.ctx, &r.id)?;
            if app.json {
                json(&json!({ "deleted": r.id }));
            } else {
                println!("Đã rút kiến nghị số {number}; các kiến nghị khác giữ nguyên số.");
            }
        }
        RecommendationCmd::List { unit } => {
            let (_, id) = store.resolve_inspection(&unit)?;
            let recs = store.recommendations(&id)?;
            if app.json {
                return json_ok(&recs);
            }
            for r in recs {
                println!("{}. {}", r.number, r.text);
                println!(
                    "   Thực hiện: {} · thời hạn: {} · {}",
                    if r.owner.is_empty() { "—" } else { &r.owner },
                    if r.deadline.is_some() {
                        opt_date(&r.deadline)
                    } else {
                        "—".into()
                    },
                    r.state.label(),
                );
            }
        }
        RecommendationCmd::State {
            unit,
            number,
            state,
            report_number,
            report_date,
        } => {
            let (_, insp) = store.resolve_inspection(&unit)?;
            let id = store.recommendation_by_number(&insp, number)?.id;
            let st = parse_enum(
                &state,
                "Tình trạng",
                RecommendationState::parse,
                RecommendationState::ALL,
                |s| format!("{} ({})", s.as_str(), s.label()),
            )?;
            let n =
                store.set_recommendation_state(&app.ctx, &id, st, report_number.as_deref(), report_date.as_deref())?;
            report_changed(app, n);
        }
    }
    Ok(())
}

fn score(app: &App, unit: Option<String>, all: bool, area: Option<String>) -> Result<()> {
    let store = app.open()?;
    match (unit, all) {
        (None, true) => {
            let plan = store.current_plan()?;
            let area = area.map(|a| a.trim().to_string());
            let rank = store.ranking_by(&plan.id, area.as_deref())?;
            if app.json {
                return json_ok(&rank);
            }
            match &area {
                Some(code) => {
                    let title = store
                        .plan_areas(&plan.id)?
                        .into_iter()
                        .find(|a| &a.code == code)
                        .map(|a| a.title)
                        .unwrap_or_default();
                    println!("Xếp hạng lĩnh vực {code}. {title}: {}", plan.title);
                }
                None => println!("Xếp hạng: {}", plan.title),
            }
            let rows: Vec<Vec<String>> = rank
                .iter()
                .map(|r| {
                    vec![
                        r.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into()),
                        r.unit_name.clone(),
                        fmt_score(r.total),
                        fmt_score(r.applicable_max),
                        r.percent.map(fmt_percent).unwrap_or_else(|| "—".into()),
                        format!("{}/{}", r.scored_items, r.scorable_items),
                    ]
                })
                .collect();
            table(
                &["Hạng", "Đơn vị", "Điểm", "Tối đa áp dụng", "Tỷ lệ", "Đã chấm"],
                &rows,
                &[0, 2, 3, 4, 5],
            );
            println!();
            println!("Xếp theo tỷ lệ điểm đạt trên điểm tối đa của các tiêu chí áp dụng và được chấm khi kiểm tra.");
        }
        (Some(unit), false) => {
            let (u, id) = store.resolve_inspection(&unit)?;
            let (t, card) = store.score_card(&id)?;
            if app.json {
                return json_ok(&json!({ "unit": u, "template_version": t.version, "card": card }));
            }
            println!("{} · {} (phiên bản {})", u.name, t.name, t.version);
            let rows: Vec<Vec<String>> = card
                .areas
                .iter()
                .map(|a| {
                    vec![
                        format!("{}. {}", a.code, clip(&a.title, 58)),
                        fmt_score(a.self_score),
                        fmt_score(a.score),
                        fmt_score(a.applicable_max),
                        fmt_score(a.max),
                    ]
                })
                .collect();
            table(
                &["Lĩnh vực", "Tự chấm", "Đoàn chấm", "Áp dụng", "Tối đa"],
                &rows,
                &[1, 2, 3, 4],
            );
            println!();
            println!(
                "Tổng: {} / {} điểm (tối đa áp dụng {}; phần không chấm khi kiểm tra {}){}",
                fmt_score(card.total),
                fmt_score(card.max),
                fmt_score(card.applicable_max),
                fmt_score(card.max - card.observed_max),
                card.percent
                    .map(|p| format!(" · tỷ lệ đạt {}", fmt_percent(p)))
                    .unwrap_or_default()
            );
            println!(
                "Tự chấm: {} điểm · đã chấm {}/{} tiêu chí",
                fmt_score(card.self_total),
                card.scored_items,
                card.scorable_items
            );
        }
        (Some(_), true) => {
            return Err(Refusal::BadArgument.err("Dùng «score ĐƠN_VỊ» hoặc «score --all», không dùng cả hai."))
        }
        (None, false) => {
            return Err(
                Refusal::BadArgument.err("Hãy chỉ ra đơn vị («score ha lang») hoặc dùng «score --all» để xếp hạng.")
            )
        }
    }
    Ok(())
}

fn search(app: &App, text: &str, limit: usize) -> Result<()> {
    let store = app.open()?;
    // Within the plan in use (its units' records, the criteria); everything while there is no plan.
    let hits = if store.plans()?.is_empty() {
        store.search(text, limit)?
    } else {
        store.search_plan(&store.current_plan()?.id, text, limit)?
    };
    if app.json {
        return json_ok(&hits);
    }
    if hits.is_empty() {
        println!("Không tìm thấy «{}».", text.trim());
    }
    for h in hits {
        let what = match h.entity.as_str() {
            "unit" => "Đơn vị",
            "criterion" => "Tiêu chí",
            "finding" => "Nhận xét",
            "recommendation" => "Kiến nghị",
            "evidence" => "Tài liệu",
            _ => "Ghi chú",
        };
        let place = [
            h.unit_name.clone().filter(|_| h.entity != "unit").unwrap_or_default(),
            h.reference.clone(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        if place.is_empty() {
            println!("{what}: {}", clip(&h.text, 100));
        } else {
            println!("{what} ({place}): {}", clip(&h.text, 100));
        }
    }
    Ok(())
}

fn backup(app: &App, file: &Path) -> Result<()> {
    let store = app.open()?;
    let size = store.backup(file)?;
    if app.json {
        json(&json!({ "file": file, "bytes": size }));
    } else {
        println!(
            "Đã sao lưu vào {} ({} KB).",
            file.display(),
            kiemtra_core::text::fmt_int((size / 1024) as i64)
        );
    }
    Ok(())
}

fn template(app: &App, c: TemplateCmd) -> Result<()> {
    let mut store = app.open()?;
    match c {
        TemplateCmd::List => {
            let ts = store.templates()?;
            if app.json {
                return json_ok(&ts);
            }
            let rows: Vec<Vec<String>> = ts
                .iter()
                .map(|t| {
                    vec![
                        t.kind.label().to_string(),
                        t.version.clone(),
                        t.name.clone(),
                        t.items.to_string(),
                        t.in_use.to_string(),
                    ]
                })
                .collect();
            table(
                &["Dùng cho", "Phiên bản", "Tên", "Tiêu chí", "Đang dùng"],
                &rows,
                &[3, 4],
            );
        }
        TemplateCmd::Export { kind, version, out } => {
            let kind = parse_enum(
                &kind,
                "Loại bộ tiêu chí",
                TemplateKind::parse,
                TemplateKind::ALL,
                |k| format!("{} ({})", k.as_str(), k.label()),
            )?;
            let src = store.export_template(kind, version.as_deref())?;
            match out {
                Some(path) => {
                    std::fs::write(&path, src).map_err(|e| Error::io("ghi được", &path, e))?;
                    if !app.json {
                        println!(
                            "Đã xuất bộ tiêu chí ra {}. Sửa xong, đổi «version» rồi chạy: kiemtra template import {}",
                            path.display(),
                            path.display()
                        );
                    } else {
                        json(&json!({ "file": path }));
                    }
                }
                None => print!("{src}"),
            }
        }
        TemplateCmd::Import { file } => {
            let bytes = std::fs::read(&file).map_err(|e| Error::io("đọc được", &file, e))?;
            let src = String::from_utf8(bytes)
                .map_err(|_| Refusal::BadPath.err(format!("{} không phải tệp văn bản UTF-8.", file.display())))?;
            let (info, created) = store.import_template(&app.ctx, &src)?;
            if app.json {
                json(&json!({ "template": info, "created": created }));
            } else if created {
                println!("Đã nhập bộ tiêu chí {} phiên bản {} ({} tiêu chí). Các cuộc kiểm tra mới của {} dùng phiên bản này.", info.kind.label(), info.version, info.items, info.kind.label());
            } else {
                println!(
                    "Bộ tiêu chí {} phiên bản {} đã có, giống hệt; không thay đổi gì.",
                    info.kind.label(),
                    info.version
                );
            }
        }
    }
    Ok(())
}

fn audit(app: &App, limit: usize) -> Result<()> {
    let store = app.open()?;
    let rows = store.audit(limit)?;
    if app.json {
        return json_ok(&rows);
    }
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|a| {
            vec![
                chrono::DateTime::parse_from_rfc3339(&a.at)
                    .map(|t| t.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M:%S").to_string())
                    .unwrap_or_else(|_| a.at.clone()),
                a.inspector.clone(),
                a.action.clone(),
                format!("{}.{}", a.entity, a.field),
                clip(&a.old_value.clone().unwrap_or_default(), 20),
                clip(&a.new_value.clone().unwrap_or_default(), 30),
            ]
        })
        .collect();
    table(&["Lúc", "Người", "Việc", "Trường", "Cũ", "Mới"], &rows, &[]);
    Ok(())
}

fn undo(app: &App) -> Result<()> {
    let mut store = app.open()?;
    let u = store.undo_last(&app.ctx)?;
    if app.json {
        return json_ok(&u);
    }
    println!("Đã hoàn tác: {} ({} thay đổi).", u.action, u.changes);
    if u.kept > 0 {
        println!("{} trường đã được sửa lại sau đó nên giữ nguyên.", u.kept);
    }
    Ok(())
}

fn check(app: &App) -> Result<()> {
    let store = app.open()?;
    let problems = store.integrity_problems()?;
    if app.json {
        json(&json!({ "ok": problems.is_empty(), "problems": problems, "schema": store.schema_version()? }));
    } else if problems.is_empty() {
        println!("Tệp cơ sở dữ liệu nguyên vẹn (lược đồ {}).", store.schema_version()?);
    }
    if !problems.is_empty() {
        return Err(Error::DbDamaged {
            path: format!("{} ({})", app.db.display(), problems.join("; ")),
        });
    }
    Ok(())
}
