//! The model: the kinds and states every screen, command and document shares, and the
//! records as they are read out of the store. Every stored record has a stable UUID, an
//! updated-at stamp, the device that last changed it and a hybrid logical clock, so that
//! laptops can later be merged record by record and field by field.

use serde::{Deserialize, Serialize};

use crate::error::{Refusal, Result};

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum $name { $(#[serde(rename = $s)] $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $s),+ } }
            /// The Vietnamese label shown to users.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            pub fn parse(s: &str) -> Option<$name> {
                let f = crate::domain::text::fold(s).replace(' ', "_");
                $name::ALL.iter().copied().find(|v| v.as_str() == f || crate::domain::text::fold(v.label()).replace(' ', "_") == f)
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.label()) }
        }
    };
}

str_enum!(
    /// The kinds of inspected unit: the province's departments and communes, wards (since
    /// 1 July 2025), and, for an agency's own inspection, its phòng, ban and đơn vị sự nghiệp.
    UnitKind {
        So = "so" / "sở",
        Xa = "xa" / "xã",
        Phuong = "phuong" / "phường",
        Phong = "phong" / "phòng",
        Ban = "ban" / "ban",
        DonVi = "don_vi" / "đơn vị sự nghiệp",
    }
);

str_enum!(
    /// Which checklist a unit kind uses.
    TemplateKind {
        So = "so" / "sở, ban, ngành",
        Xa = "xa" / "xã, phường",
        CoQuan = "co_quan" / "phòng, ban, đơn vị của cơ quan",
    }
);

impl UnitKind {
    pub fn template_kind(self) -> TemplateKind {
        match self {
            UnitKind::So => TemplateKind::So,
            UnitKind::Xa | UnitKind::Phuong => TemplateKind::Xa,
            UnitKind::Phong | UnitKind::Ban | UnitKind::DonVi => TemplateKind::CoQuan,
        }
    }
}

str_enum!(
    /// A Đoàn kiểm tra (formed by the province, its own header) or a Tổ kiểm tra (formed inside
    /// an agency, using the agency's header and seal).
    TeamKind { Doan = "doan" / "đoàn kiểm tra", To = "to" / "tổ kiểm tra" }
);

str_enum!(
    /// The life of an inspection.
    InspectionState {
        Planned = "planned" / "kế hoạch",
        InProgress = "in_progress" / "đang kiểm tra",
        MinutesSigned = "minutes_signed" / "đã ký biên bản",
        ConclusionIssued = "conclusion_issued" / "đã ban hành thông báo",
        RemediationReported = "remediation_reported" / "đã báo cáo khắc phục",
        Closed = "closed" / "kết thúc",
    }
);

impl InspectionState {
    pub fn rank(self) -> usize {
        InspectionState::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

str_enum!(
    MemberRole {
        TruongDoan = "truong_doan" / "trưởng đoàn",
        PhoTruongDoan = "pho_truong_doan" / "phó trưởng đoàn",
        ThanhVien = "thanh_vien" / "thành viên",
        ThuKy = "thu_ky" / "thư ký",
    }
);

str_enum!(
    FindingKind {
        Achieved = "dat_duoc" / "kết quả đạt được",
        Shortcoming = "ton_tai" / "tồn tại, hạn chế",
        Cause = "nguyen_nhan" / "nguyên nhân",
    }
);

str_enum!(
    RecommendationState {
        NotStarted = "chua_thuc_hien" / "chưa thực hiện",
        InProgress = "dang_thuc_hien" / "đang thực hiện",
        Remedied = "da_khac_phuc" / "đã khắc phục",
    }
);

str_enum!(
    /// Who provided a piece of evidence.
    EvidenceSource { Team = "doan" / "đoàn kiểm tra", Unit = "don_vi" / "đơn vị tự đánh giá" }
);

str_enum!(
    /// An inspection's Biên bản and Thông báo (stored, issued); the unit's outline and its
    /// self-inspection report (generated, printable); the plan's report (stored, issued).
    DocumentKind {
        BienBan = "bien_ban" / "biên bản kiểm tra",
        ThongBao = "thong_bao" / "thông báo kết quả kiểm tra",
        DeCuong = "de_cuong" / "đề cương báo cáo tự kiểm tra",
        TuKiemTra = "tu_kiem_tra" / "báo cáo kết quả tự kiểm tra",
        BaoCao = "bao_cao" / "báo cáo kết quả kiểm tra",
    }
);

str_enum!(
    DocumentStatus { Draft = "draft" / "dự thảo", Issued = "issued" / "đã ban hành" }
);

/// Parse an enum value typed by a user, or say which values are allowed.
pub fn parse_enum<T: Copy>(
    s: &str,
    what: &str,
    parse: fn(&str) -> Option<T>,
    all: &[T],
    show: fn(T) -> String,
) -> Result<T> {
    parse(s).ok_or_else(|| {
        Refusal::BadChoice.err(format!(
            "{what} «{}» không hợp lệ. Chọn một trong: {}.",
            s.trim(),
            all.iter().map(|v| show(*v)).collect::<Vec<_>>().join(", ")
        ))
    })
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub id: String,
    pub number: String,
    pub symbol: String,
    pub date: Option<String>,
    pub year: i32,
    pub title: String,
    pub issuing_body: String,
    pub parent_body: String,
    pub place: String,
    pub legal_bases: Vec<String>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub signer_name: String,
    pub signer_title: String,
    /// Closed: read-only, still printed and searched (schema 7).
    pub closed: bool,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Team {
    pub id: String,
    pub plan_id: String,
    pub name: String,
    pub symbol: String,
    pub parent_body: String,
    pub standing_agency: String,
    pub decision_number: String,
    pub decision_date: Option<String>,
    pub decision_signer: String,
    pub decision_signer_title: String,
    /// Đoàn or Tổ (schema 7; older teams are Đoàn).
    pub kind: TeamKind,
    /// The issuing body its documents' header names (schema 7); empty: the team's own name.
    pub issuing_body: String,
    /// How its documents are signed by default (schema 8): "", "TM.", "KT."…
    pub sign_authority: String,
    /// What the authority is exercised for: "TỔ KIỂM TRA", "CHÁNH THANH TRA".
    pub sign_on_behalf: String,
    /// The signer's title; empty: "TRƯỞNG ĐOÀN" or "TỔ TRƯỞNG".
    pub sign_title: String,
    pub members: Vec<Member>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub role: MemberRole,
    pub agency: String,
    pub title: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Unit {
    pub id: String,
    pub kind: UnitKind,
    pub name: String,
    pub head_name: String,
    pub head_title: String,
    pub address: String,
    pub active: bool,
    pub successor_id: Option<String>,
}

impl Unit {
    /// The body named in documents: "UBND xã Hạ Lang"; a department is named as it is.
    pub fn official_body(&self) -> String {
        match self.kind {
            UnitKind::Xa | UnitKind::Phuong => format!("UBND {}", self.name),
            UnitKind::So | UnitKind::Phong | UnitKind::Ban | UnitKind::DonVi => self.name.clone(),
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitEvent {
    pub id: String,
    pub unit_id: String,
    pub event: String,
    pub old_name: String,
    pub new_name: String,
    pub related_unit_id: Option<String>,
    pub effective_date: Option<String>,
    pub note: String,
}

/// One inspection as the plan screen lists it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct InspectionRow {
    pub id: String,
    pub unit_id: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    pub scheduled_start: Option<String>,
    pub scheduled_end: Option<String>,
    pub actual_start: Option<String>,
    pub actual_end: Option<String>,
    pub state: InspectionState,
    pub unannounced: bool,
    pub follows_id: Option<String>,
    pub template_version: String,
    /// Scored items / scorable items (items the inspection observes).
    pub scored_items: usize,
    pub scorable_items: usize,
    pub score: f64,
    pub applicable_max: f64,
    /// The score in percent of `applicable_max` (the score card's), None while nothing applies.
    pub percent: Option<f64>,
    /// The conclusion deadline (the plan screen fills it; None without a visit end date).
    pub deadline: Option<crate::domain::deadline::DeadlineMark>,
    /// Recommendations not remedied, and those of them past their deadline.
    pub open_recommendations: usize,
    pub overdue_recommendations: usize,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Response {
    pub self_score: Option<f64>,
    pub team_score: Option<f64>,
    pub status: Option<String>,
    pub note: String,
    /// The unit's own explanation of its self score (its self-assessment).
    #[serde(default)]
    pub self_note: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub id: String,
    pub item_code: String,
    pub doc_number: String,
    pub doc_date: Option<String>,
    pub description: String,
    pub attachment_sha256: Option<String>,
    pub attachment_name: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub attachment_size: Option<i64>,
    pub media_type: Option<String>,
    /// Who provided it: the team, or the unit with its self-assessment.
    pub source: EvidenceSource,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub id: String,
    pub area_code: String,
    pub kind: FindingKind,
    pub text: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub position: i64,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    pub id: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub number: i64,
    pub area_code: Option<String>,
    pub text: String,
    pub owner: String,
    pub deadline: Option<String>,
    pub state: RecommendationState,
    pub report_number: String,
    pub report_date: Option<String>,
    /// What the unit reported it did.
    pub report_note: String,
    /// A scan of the remediation report or a photo of the result.
    pub report_attachment_sha256: Option<String>,
    pub report_attachment_name: Option<String>,
    /// In a re-inspection: the recommendation this one carries over, and its number there.
    pub origin_id: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub origin_number: Option<i64>,
    pub inspection_id: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct FigureValue {
    pub key: String,
    pub label: String,
    pub value: Option<f64>,
    pub display: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct RateValue {
    pub key: String,
    pub label: String,
    /// Percent, or None when a figure is missing or the denominator is 0.
    pub percent: Option<f64>,
    pub display: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: i64,
    pub at: String,
    pub device_id: String,
    pub inspector: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub entity: String,
    pub entity_id: String,
    pub unit_name: Option<String>,
    pub reference: String,
    pub text: String,
    /// Where the hit is found, for opening it: the unit, the inspection whose screen shows
    /// it (for a unit or a criterion, its inspection in the plan searched, else its latest),
    /// the area and the criterion's code (findings and recommendations name an area only).
    pub unit_id: Option<String>,
    pub inspection_id: Option<String>,
    pub area: Option<String>,
    pub code: Option<String>,
}
