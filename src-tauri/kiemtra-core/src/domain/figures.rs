//! Named indicators an inspection records (dossiers, documents, procedures…), the rates
//! derived from them, and the part ≤ whole checks that refuse impossible figures.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureUnit {
    /// A count: a whole number, shown "1.081".
    Count,
    /// A value already in percent, shown "12,82 %".
    Percent,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct FigureDef {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: FigureUnit,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct RateDef {
    pub key: &'static str,
    pub label: &'static str,
    pub numerator: &'static str,
    pub denominator: &'static str,
}

const fn count(key: &'static str, label: &'static str) -> FigureDef {
    FigureDef {
        key,
        label,
        unit: FigureUnit::Count,
    }
}

pub const FIGURES: &[FigureDef] = &[
    count("ho_so_tiep_nhan", "Số hồ sơ TTHC tiếp nhận"),
    count("ho_so_truc_tuyen", "Số hồ sơ tiếp nhận trực tuyến"),
    count("ho_so_da_giai_quyet", "Số hồ sơ đã giải quyết"),
    count("ho_so_dung_han", "Số hồ sơ giải quyết trước hạn và đúng hạn"),
    count("ho_so_tre_han", "Số hồ sơ giải quyết quá hạn"),
    count("ho_so_dang_giai_quyet", "Số hồ sơ đang giải quyết"),
    count(
        "ho_so_buu_chinh",
        "Số hồ sơ tiếp nhận, trả kết quả qua bưu chính công ích",
    ),
    count("ho_so_xin_loi", "Số hồ sơ quá hạn có văn bản xin lỗi"),
    count("tthc_thuoc_tham_quyen", "Số TTHC thuộc thẩm quyền giải quyết"),
    count("tthc_cong_khai", "Số TTHC được công khai"),
    count(
        "tthc_phi_dia_gioi",
        "Số TTHC tiếp nhận không phụ thuộc địa giới hành chính",
    ),
    count("van_ban_di", "Số văn bản đi trên hệ thống quản lý văn bản"),
    count("van_ban_ky_so", "Số văn bản đi được ký số"),
    count("nhiem_vu_cchc_ke_hoach", "Số nhiệm vụ CCHC trong kế hoạch"),
    count("nhiem_vu_cchc_hoan_thanh", "Số nhiệm vụ CCHC đã hoàn thành"),
    count("bao_cao_tre_han", "Số báo cáo CCHC nộp trễ hạn"),
    count("chung_thu_so_cap", "Số chứng thư số được cấp"),
    count("chung_thu_so_su_dung", "Số chứng thư số đang sử dụng"),
    count("phan_anh_kien_nghi", "Số phản ánh, kiến nghị tiếp nhận"),
    count("phan_anh_da_xu_ly", "Số phản ánh, kiến nghị đã xử lý"),
    count("van_ban_kiem_tra", "Số văn bản được tự kiểm tra, rà soát"),
    count("van_ban_trai_phap_luat", "Số văn bản phát hiện trái pháp luật"),
    count("cong_chuc_vi_pham", "Số cán bộ, công chức bị xử lý kỷ luật"),
    count("bien_che_tinh_gian", "Số biên chế tinh giản"),
    FigureDef {
        key: "ty_le_dvsn_tu_chu",
        label: "Tỷ lệ đơn vị sự nghiệp công lập tự chủ tài chính",
        unit: FigureUnit::Percent,
    },
];

const fn rate(key: &'static str, label: &'static str, numerator: &'static str, denominator: &'static str) -> RateDef {
    RateDef {
        key,
        label,
        numerator,
        denominator,
    }
}

pub const RATES: &[RateDef] = &[
    rate(
        "ty_le_truc_tuyen",
        "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
        "ho_so_truc_tuyen",
        "ho_so_tiep_nhan",
    ),
    rate(
        "ty_le_dung_han",
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "ho_so_dung_han",
        "ho_so_da_giai_quyet",
    ),
    rate(
        "ty_le_ky_so",
        "Tỷ lệ văn bản đi được ký số",
        "van_ban_ky_so",
        "van_ban_di",
    ),
    rate(
        "ty_le_buu_chinh",
        "Tỷ lệ hồ sơ qua bưu chính công ích",
        "ho_so_buu_chinh",
        "ho_so_tiep_nhan",
    ),
    rate(
        "ty_le_xin_loi",
        "Tỷ lệ hồ sơ quá hạn có văn bản xin lỗi",
        "ho_so_xin_loi",
        "ho_so_tre_han",
    ),
    rate(
        "ty_le_cong_khai",
        "Tỷ lệ TTHC được công khai",
        "tthc_cong_khai",
        "tthc_thuoc_tham_quyen",
    ),
    rate(
        "ty_le_phi_dia_gioi",
        "Tỷ lệ TTHC không phụ thuộc địa giới hành chính",
        "tthc_phi_dia_gioi",
        "tthc_thuoc_tham_quyen",
    ),
    rate(
        "ty_le_nhiem_vu",
        "Tỷ lệ nhiệm vụ CCHC hoàn thành",
        "nhiem_vu_cchc_hoan_thanh",
        "nhiem_vu_cchc_ke_hoach",
    ),
    rate(
        "ty_le_chung_thu_so",
        "Tỷ lệ chứng thư số được sử dụng",
        "chung_thu_so_su_dung",
        "chung_thu_so_cap",
    ),
    rate(
        "ty_le_phan_anh",
        "Tỷ lệ phản ánh, kiến nghị đã xử lý",
        "phan_anh_da_xu_ly",
        "phan_anh_kien_nghi",
    ),
];

/// Parts whose sum may not exceed a whole (each list is checked when all its figures are known).
pub const LIMITS: &[(&[&str], &str)] = &[
    (&["ho_so_truc_tuyen"], "ho_so_tiep_nhan"),
    (&["ho_so_buu_chinh"], "ho_so_tiep_nhan"),
    (&["ho_so_da_giai_quyet", "ho_so_dang_giai_quyet"], "ho_so_tiep_nhan"),
    (&["ho_so_dung_han", "ho_so_tre_han"], "ho_so_da_giai_quyet"),
    (&["ho_so_xin_loi"], "ho_so_tre_han"),
    (&["tthc_cong_khai"], "tthc_thuoc_tham_quyen"),
    (&["tthc_phi_dia_gioi"], "tthc_thuoc_tham_quyen"),
    (&["van_ban_ky_so"], "van_ban_di"),
    (&["nhiem_vu_cchc_hoan_thanh"], "nhiem_vu_cchc_ke_hoach"),
    (&["chung_thu_so_su_dung"], "chung_thu_so_cap"),
    (&["phan_anh_da_xu_ly"], "phan_anh_kien_nghi"),
    (&["van_ban_trai_phap_luat"], "van_ban_kiem_tra"),
];

/// A whole that is exactly its parts once all are known: applications resolved are those
/// resolved on time (or early) and those resolved late.
pub const SUMS: &[(&str, &[&str])] = &[("ho_so_da_giai_quyet", &["ho_so_dung_han", "ho_so_tre_han"])];

/// Figures that contradict each other (not refused: the one typed last may be the one to
/// correct), each a Vietnamese sentence with the values: «Số hồ sơ đã giải quyết (120) − …
/// = 20, khác số hồ sơ giải quyết quá hạn (15).» Checked only when every figure is known.
pub fn contradictions(get: impl Fn(&str) -> Option<f64>) -> Vec<String> {
    let n = |v: f64| crate::domain::text::fmt_num(v, 2);
    let mut out = Vec::new();
    for (whole, parts) in SUMS {
        let (Some(w), Some(values)) = (get(whole), parts.iter().map(|p| get(p)).collect::<Option<Vec<f64>>>()) else {
            continue;
        };
        let (last, first) = values.split_last().expect("a sum has parts");
        let rest = w - first.iter().sum::<f64>();
        if (rest - last).abs() > 1e-9 {
            let minus: String = parts[..parts.len() - 1]
                .iter()
                .zip(first)
                .map(|(p, v)| format!(" − {} ({})", crate::domain::text::lower_first(label(p)), n(*v)))
                .collect();
            out.push(format!(
                "{} ({}){} = {}, khác {} ({}).",
                label(whole),
                n(w),
                minus,
                n(rest),
                crate::domain::text::lower_first(label(parts[parts.len() - 1])),
                n(*last)
            ));
        }
    }
    out
}

pub fn figure(key: &str) -> Option<&'static FigureDef> {
    FIGURES.iter().find(|f| f.key == key)
}

pub fn label(key: &str) -> &str {
    figure(key).map(|f| f.label).unwrap_or(key)
}

/// Check a whole set of figures against the part ≤ whole limits (parts not entered count
/// as 0; a whole not entered is not checked); the first breach is returned as a Vietnamese sentence naming both sides with their values.
pub fn check_limits(get: impl Fn(&str) -> Option<f64>) -> Result<(), String> {
    for (parts, whole) in LIMITS {
        let Some(w) = get(whole) else { continue };
        // Parts not entered yet count as 0.
        let known: Vec<(&str, f64)> = parts.iter().filter_map(|p| get(p).map(|v| (*p, v))).collect();
        let sum: f64 = known.iter().map(|(_, v)| v).sum();
        if sum > w + 1e-9 {
            let names: Vec<String> = known
                .iter()
                .map(|(p, v)| format!("{} ({})", label(p), crate::domain::text::fmt_num(*v, 2)))
                .collect();
            let verb = if known.len() > 1 {
                "cộng lại vượt quá"
            } else {
                "vượt quá"
            };
            return Err(format!(
                "{} {} {} ({}).",
                names.join(" + "),
                verb,
                crate::domain::text::lower_first(label(whole)),
                crate::domain::text::fmt_num(w, 2)
            ));
        }
    }
    Ok(())
}

/// A derived rate in percent, or None when a figure is missing, or Some(None) when the
/// denominator is 0 (the rate does not apply: never a division by zero).
pub fn rate_percent(num: Option<f64>, den: Option<f64>) -> Option<Option<f64>> {
    match (num, den) {
        (Some(n), Some(d)) if d > 0.0 => Some(Some(n / d * 100.0)),
        (Some(_), Some(_)) => Some(None),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn every_rate_and_limit_names_known_figures() {
        for r in RATES {
            assert!(figure(r.numerator).is_some(), "{}", r.numerator);
            assert!(figure(r.denominator).is_some(), "{}", r.denominator);
        }
        for (parts, whole) in LIMITS {
            assert!(figure(whole).is_some());
            for p in *parts {
                assert!(figure(p).is_some());
            }
        }
    }

    #[test]
    fn resolved_minus_on_time_must_be_late() {
        let m: HashMap<&str, f64> = [
            ("ho_so_da_giai_quyet", 1068.0),
            ("ho_so_dung_han", 924.0),
            ("ho_so_tre_han", 150.0),
        ]
        .into();
        let found = contradictions(|k| m.get(k).copied());
        assert_eq!(
            found,
            [
                "Số hồ sơ đã giải quyết (1.068) − số hồ sơ giải quyết trước hạn và đúng hạn (924) = 144, \
              khác số hồ sơ giải quyết quá hạn (150)."
            ]
        );
        let m: HashMap<&str, f64> = [
            ("ho_so_da_giai_quyet", 1068.0),
            ("ho_so_dung_han", 924.0),
            ("ho_so_tre_han", 144.0),
        ]
        .into();
        assert!(contradictions(|k| m.get(k).copied()).is_empty());
        // Not all known yet: nothing said.
        let m: HashMap<&str, f64> = [("ho_so_da_giai_quyet", 1068.0), ("ho_so_dung_han", 924.0)].into();
        assert!(contradictions(|k| m.get(k).copied()).is_empty());
    }

    #[test]
    fn limits_refuse_on_time_above_resolved() {
        let m: HashMap<&str, f64> = [("ho_so_da_giai_quyet", 1068.0), ("ho_so_dung_han", 1069.0)].into();
        let err = check_limits(|k| m.get(k).copied()).unwrap_err();
        assert!(
            err.contains("Số hồ sơ giải quyết trước hạn và đúng hạn (1.069)"),
            "{err}"
        );
        assert!(err.contains("1.068"), "{err}");
        let m: HashMap<&str, f64> = [("ho_so_da_giai_quyet", 1068.0), ("ho_so_dung_han", 924.0)].into();
        assert!(check_limits(|k| m.get(k).copied()).is_ok());
    }

    #[test]
    fn zero_denominator_does_not_apply() {
        assert_eq!(rate_percent(Some(0.0), Some(0.0)), Some(None));
        assert_eq!(rate_percent(Some(1.0), None), None);
        assert_eq!(rate_percent(Some(1.0), Some(4.0)), Some(Some(25.0)));
    }
}
