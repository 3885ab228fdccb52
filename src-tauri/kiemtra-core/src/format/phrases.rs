//! Where a Vietnamese line may break, as a clerk reads it.
//!
//! Vietnamese is written one syllable per word, so a break at any space is legal, but a
//! break inside a two-syllable word ("hành | chính", "tối | đa") or between an
//! administrative prefix and its name ("xã | Hạ Lang") reads as a mistake in a title or a
//! table header. This module knows a small list of the compounds of administrative writing
//! and a few rules of thumb; the layout engine ([`super::layout`]) uses them for centred,
//! balanced lines (the issuing body, the summary, table headers) and table cells, never for
//! justified body text, where a break at any space is the norm.

/// Two-syllable words of administrative writing that a line must not split (lower case,
/// one space between the syllables). Not a dictionary: the words the documents, the
/// checklists and the unit names use most.
pub const COMPOUNDS: &[&str] = &[
    "bộ máy",
    "bưu chính",
    "cán bộ",
    "cải cách",
    "chấm điểm",
    "chế độ",
    "chỉ đạo",
    "chỉ số",
    "chỉ tiêu",
    "chính phủ",
    "chính quyền",
    "chủ tịch",
    "chuyển đổi",
    "chuyên môn",
    "cơ quan",
    "công chức",
    "công khai",
    "công tác",
    "công vụ",
    "cộng đồng",
    "dân cư",
    "dịch vụ",
    "đánh giá",
    "đạt được",
    "địa phương",
    "điện tử",
    "điều hành",
    "điểm thưởng",
    "điểm trừ",
    "đơn vị",
    "giải quyết",
    "hạn chế",
    "hành chính",
    "hài lòng",
    "hồ sơ",
    "hội đồng",
    "khảo sát",
    "kết quả",
    "khắc phục",
    "kiểm tra",
    "kiến nghị",
    "kế hoạch",
    "lĩnh vực",
    "nguyên nhân",
    "nhà nước",
    "nhân dân",
    "nội dung",
    "nội vụ",
    "phát triển",
    "phục vụ",
    "quyết định",
    "số hóa",
    "số hoá",
    "tài chính",
    "thành phố",
    "thể chế",
    "thị trấn",
    "thị xã",
    "thông báo",
    "thông tin",
    "thủ tục",
    "thực hiện",
    "thường trực",
    "tối đa",
    "tổ chức",
    "tồn tại",
    "trực tuyến",
    "trung tâm",
    "tuyên truyền",
    "tự chấm",
    "ủy ban",
    "uỷ ban",
    "văn bản",
    "văn phòng",
    "viên chức",
    "xây dựng",
    "xử lý",
];

/// Words after which a line does not end: prepositions and conjunctions, and the prefixes
/// that belong with the name or number after them ("xã Hạ Lang", "năm 2026", "số 125").
const NOT_LAST: &[&str] = &[
    "tại",
    "của",
    "về",
    "với",
    "và",
    "các",
    "những",
    "trong",
    "theo",
    "cho",
    "đối",
    "đến",
    "từ",
    "xã",
    "phường",
    "huyện",
    "quận",
    "tỉnh",
    "thị",
    "ubnd",
    "hđnd",
    "sở",
    "năm",
    "ngày",
    "tháng",
    "số",
    "-",
    "–",
];

/// Words a line may well start with: they open a phrase ("… cải cách hành chính / năm 2026
/// tại UBND xã Hạ Lang").
const GOOD_FIRST: &[&str] = &[
    "tại", "của", "về", "năm", "đối", "trong", "theo", "giai", "và", "đến", "từ",
];

/// The word as the lists spell it: lower case, without the punctuation around it.
fn bare(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()
}

/// `a b` is one of the listed compounds ("Hành" "chính," too: case and punctuation
/// around the pair do not matter, but a comma between its syllables does).
pub fn compound(a: &str, b: &str) -> bool {
    if a.ends_with(|c: char| !c.is_alphanumeric()) || b.starts_with(|c: char| !c.is_alphanumeric()) {
        return false;
    }
    let pair = format!("{} {}", bare(a), bare(b));
    COMPOUNDS.contains(&pair.as_str())
}

/// How bad a line break between the words `a` and `b` is: 0 for a break between phrases,
/// more for an ordinary one, much more after a preposition or a prefix or inside a proper
/// name, and [`FORBIDDEN`] inside a listed compound. `caps` says the text is in capitals
/// (no proper names to recognise).
pub fn break_cost(a: &str, b: &str, caps: bool) -> f32 {
    if compound(a, b) {
        return FORBIDDEN;
    }
    let (la, lb) = (bare(a), bare(b));
    if NOT_LAST.contains(&la.as_str()) && !a.ends_with([',', ';', ':']) {
        return 400.0;
    }
    let upper = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    if !caps && upper(a) && upper(b) && !a.ends_with([',', ';', ':', '.']) {
        return 400.0;
    }
    if a.ends_with([',', ';', ':']) || GOOD_FIRST.contains(&lb.as_str()) {
        return 0.0;
    }
    60.0
}

/// The cost of breaking inside a listed compound: more than a line more.
pub const FORBIDDEN: f32 = 3000.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compounds_match_whatever_the_case_and_punctuation_around() {
        assert!(compound("hành", "chính"));
        assert!(compound("HÀNH", "CHÍNH"));
        assert!(compound("(Hành", "chính),"));
        assert!(compound("tối", "đa"));
        assert!(
            !compound("hành,", "chính"),
            "a comma between the syllables separates them"
        );
        assert!(!compound("chính", "năm"));
        for c in COMPOUNDS {
            assert_eq!(c.split(' ').count(), 2, "«{c}» is a pair");
            assert_eq!(*c, c.to_lowercase());
        }
    }

    #[test]
    fn breaks_between_phrases_cost_least() {
        assert_eq!(break_cost("hành", "chính", false), FORBIDDEN);
        assert_eq!(break_cost("chính", "năm", false), 0.0);
        assert_eq!(break_cost("2026", "tại", false), 0.0);
        assert!(break_cost("xã", "Hạ", false) > break_cost("tác", "cải", false));
        assert!(break_cost("Hạ", "Lang", false) >= 400.0);
        assert!(break_cost("HẠ", "LANG", true) < 400.0);
        assert!(break_cost("tác", "cải", false) > 0.0);
    }
}
