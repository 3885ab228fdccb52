//! The two documents of a unit's self-inspection, printed from the data (neither drafted nor
//! issued in the app): the team's Đề cương báo cáo tự kiểm tra, generated from the unit's
//! checklist version, and the unit's own Báo cáo kết quả tự kiểm tra, from its
//! self-assessment (self scores and explanations, self figures, the evidence it provided).

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;

use crate::app::document::{pad_number, plan_ref, render_model, team_header, team_words, vn_date, Rendered};
use crate::domain::model::{DocumentKind, EvidenceSource, UnitKind};
use crate::domain::template::Rule;
use crate::domain::text::{fmt_date, fmt_date_long, fmt_score, parse_date};
use crate::error::{Error, Refusal, Result};
use crate::format::content::{self, DocModel, El, SignBlock};
use crate::store::Store;

/// "Hạ Lang, ngày 05 tháng 10 năm 2026"; a draft leaves the day blank.
fn date_line(place: &str, now: DateTime<Utc>) -> String {
    let today = vn_date(now);
    let month = if today.month() <= 2 {
        format!("{:02}", today.month())
    } else {
        today.month().to_string()
    };
    format!("{place}, ngày{}tháng {month} năm {}", "\u{a0}".repeat(8), today.year())
}

/// The unit's own symbol after "BC-": "UBND" for a commune or ward's People's Committee,
/// else the initials of the department's name ("Sở Ngoại vụ" → "SNV").
fn unit_symbol(kind: UnitKind, name: &str) -> String {
    match kind {
        UnitKind::Xa | UnitKind::Phuong => "UBND".into(),
        _ => name
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_uppercase)
            .collect(),
    }
}

/// "xã Hạ Lang" → "Hạ Lang": where a commune dates its documents.
fn locality(name: &str) -> String {
    let mut w = name.split_whitespace();
    match w.next() {
        Some(first) if ["xã", "phường", "thị trấn"].contains(&first.to_lowercase().as_str()) => {
            w.collect::<Vec<_>>().join(" ")
        }
        _ => name.to_string(),
    }
}

/// One of a unit's self-inspection documents as a screen lists it: what it is called, the
/// file name a save dialog suggests, and a sentence on what it is made from and what to do
/// with it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitDocument {
    pub kind: DocumentKind,
    /// "Đề cương báo cáo tự kiểm tra", "Báo cáo kết quả tự kiểm tra".
    pub title: String,
    /// "de-cuong-bao-cao-tu-kiem-tra-xa-ha-lang.pdf", without diacritics.
    pub file_name: String,
    pub about: String,
}

/// "xã Hạ Lang" → "xa-ha-lang": a file name's part without diacritics or separators.
fn slug(s: &str) -> String {
    crate::domain::text::fold(s)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The number and day a unit's document was registered under, as typed (the number alone,
/// "5" or "05"; the day as dd/mm/yyyy), to print in it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Numbering {
    pub number: String,
    pub date: String,
}

impl Numbering {
    /// Both given, or refused saying which is missing; the number as issuing takes it.
    fn checked(&self) -> Result<(String, chrono::NaiveDate)> {
        let number = pad_number(&crate::domain::text::nfc(&self.number));
        let mut lacking = Vec::new();
        if number.is_empty() {
            lacking.push("số văn bản");
        }
        if self.date.trim().is_empty() {
            lacking.push("ngày văn bản");
        }
        if !lacking.is_empty() {
            return Err(Refusal::BadArgument.err(format!(
                "Để in số và ngày vào văn bản, cần ghi cả hai: còn thiếu {}.",
                lacking.join(" và ")
            )));
        }
        if number.contains('/') || number.chars().any(char::is_whitespace) {
            return Err(Refusal::BadNumber.err(format!(
                "Số văn bản «{number}» chỉ gồm số thứ tự (ví dụ 05); ký hiệu được thêm tự động."
            )));
        }
        Ok((number, parse_date(&self.date)?))
    }
}

impl Store {
    /// The unit's self-inspection documents this laptop prints for the inspection: on the
    /// team's laptops the outline they hand the unit; on the unit's own laptop (unit mode,
    /// for this inspection's unit) the outline it was given and its own report.
    pub fn unit_documents(&self, inspection_id: &str) -> Result<Vec<UnitDocument>> {
        let (plan_id, unit_id) =
            crate::store::documents::inspection_plan_and_unit(self, inspection_id)?.ok_or_else(|| Error::NotFound {
                what: "cuộc kiểm tra",
                key: inspection_id.into(),
            })?;
        let unit = self.unit(&unit_id)?;
        let team = self.team(&plan_id)?;
        let tw = team.as_ref().map(|t| team_words(t).team).unwrap_or("Đoàn kiểm tra");
        let (tpl, card) = self.score_card(inspection_id)?;
        let body = unit.official_body();
        let own = self.self_assessment_unit()?.as_deref() == Some(unit.id.as_str());
        let title = |k: DocumentKind| crate::app::document::capitalise(k.label());
        let mut out = vec![UnitDocument {
            kind: DocumentKind::DeCuong,
            title: title(DocumentKind::DeCuong),
            file_name: format!("de-cuong-bao-cao-tu-kiem-tra-{}.pdf", slug(&unit.name)),
            about: if own {
                format!(
                    "{tw} hướng dẫn {body} báo cáo kết quả tự kiểm tra theo {} (phiên bản {}).",
                    tpl.name, tpl.version
                )
            } else {
                format!(
                    "Lập từ {} (phiên bản {}) của {body}: trao cho đơn vị cùng tệp mời tự đánh giá.",
                    tpl.name, tpl.version
                )
            },
        }];
        if own {
            let head = [unit.head_title.trim(), unit.head_name.trim()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            out.push(UnitDocument {
                kind: DocumentKind::TuKiemTra,
                title: title(DocumentKind::TuKiemTra),
                file_name: format!("bao-cao-tu-kiem-tra-{}.pdf", slug(&unit.name)),
                about: format!(
                    "Do {body} ban hành, lập từ kết quả tự đánh giá trên máy này (tự chấm {}/{} điểm): in, trình {} ký rồi gửi {tw}.",
                    fmt_score(card.self_total),
                    fmt_score(card.applicable_max),
                    if head.is_empty() { "người đứng đầu đơn vị".to_string() } else { head }
                ),
            });
        }
        Ok(out)
    }

    /// The document of `kind` among those this laptop lists for the inspection, or a
    /// refusal saying where it is printed.
    pub fn unit_document(&self, inspection_id: &str, kind: DocumentKind) -> Result<UnitDocument> {
        self.unit_documents(inspection_id)?
            .into_iter()
            .find(|d| d.kind == kind)
            .ok_or_else(|| {
                Refusal::BadChoice.err(match kind {
                    DocumentKind::TuKiemTra => "Báo cáo kết quả tự kiểm tra do đơn vị in trên máy tự đánh giá của mình, từ kết quả tự đánh giá của đơn vị.".to_string(),
                    k => format!(
                        "{} không phải văn bản tự kiểm tra của đơn vị.",
                        crate::app::document::capitalise(k.label())
                    ),
                })
            })
    }

    /// The resolved text of a unit's outline (`DeCuong`) or self-inspection report
    /// (`TuKiemTra`) as it prints now, number and day left blank.
    pub fn unit_document_model(&self, inspection_id: &str, kind: DocumentKind, now: DateTime<Utc>) -> Result<DocModel> {
        self.unit_document_model_as(inspection_id, kind, None, now)
    }

    /// The same with the number and day the văn thư registered it under printed in it (both
    /// or neither; checked as issuing checks them). Nothing is stored: these documents are
    /// printed from the data each time.
    pub fn unit_document_model_as(
        &self,
        inspection_id: &str,
        kind: DocumentKind,
        numbering: Option<&Numbering>,
        now: DateTime<Utc>,
    ) -> Result<DocModel> {
        let numbering = numbering.map(Numbering::checked).transpose()?;
        let (plan_id, unit_id) =
            crate::store::documents::inspection_plan_and_unit(self, inspection_id)?.ok_or_else(|| Error::NotFound {
                what: "cuộc kiểm tra",
                key: inspection_id.into(),
            })?;
        let plan = self.plan(&plan_id)?;
        let unit = self.unit(&unit_id)?;
        let team = self.team(&plan_id)?;
        let (tpl, card) = self.score_card(inspection_id)?;
        let year = plan.year;
        let unit_body = unit.official_body();
        let words = team.as_ref().map(team_words);
        let tw = words.as_ref().map(|w| w.team).unwrap_or("Đoàn kiểm tra");
        let blank_number = "\u{a0}".repeat(8);
        match kind {
            DocumentKind::TuKiemTra => {
                let responses = self.responses(inspection_id)?;
                let figures = self.self_figures(inspection_id)?;
                let evidence: Vec<_> = self
                    .evidence(inspection_id, None)?
                    .into_iter()
                    .filter(|e| e.source == EvidenceSource::Unit)
                    .collect();
                // Decree 30: a commune's People's Committee has no governing body above its
                // name; a department names the body it belongs to (UBND tỉnh).
                let parent_body = match unit.kind {
                    UnitKind::Xa | UnitKind::Phuong => String::new(),
                    _ => plan.issuing_body.clone(),
                };
                let place = match unit.kind {
                    UnitKind::Xa | UnitKind::Phuong => locality(&unit.name),
                    _ => plan.place.clone(),
                };
                let mut body = vec![El::Para(format!(
                    "Thực hiện {}; theo Đề cương báo cáo tự kiểm tra do {tw} hướng dẫn, {unit_body} báo cáo kết quả tự kiểm tra công tác cải cách hành chính năm {year} như sau:",
                    plan_ref(&plan)
                ))];
                body.push(El::Heading("I. KẾT QUẢ TỰ CHẤM ĐIỂM".into()));
                body.push(El::Para(format!(
                    "Tổng điểm {unit_body} tự chấm: {}/{} điểm. Kết quả theo từng lĩnh vực:",
                    fmt_score(card.self_total),
                    fmt_score(card.applicable_max)
                )));
                let mut rows: Vec<Vec<String>> = card
                    .areas
                    .iter()
                    .map(|a| {
                        vec![
                            a.code.clone(),
                            a.title.clone(),
                            fmt_score(a.applicable_max),
                            fmt_score(a.self_score),
                        ]
                    })
                    .collect();
                rows.push(vec![
                    String::new(),
                    "Tổng cộng".into(),
                    fmt_score(card.applicable_max),
                    fmt_score(card.self_total),
                ]);
                body.push(El::Table {
                    header: vec![
                        "TT".into(),
                        "Lĩnh vực".into(),
                        "Điểm tối đa".into(),
                        "Điểm tự chấm".into(),
                    ],
                    rows,
                    widths: vec![0.08, 0.58, 0.17, 0.17],
                    numeric: vec![false, false, true, true],
                    bold_last: true,
                });
                body.push(El::Heading("II. GIẢI TRÌNH THEO TỪNG LĨNH VỰC".into()));
                let mut n = 0;
                for a in &card.areas {
                    let lines: Vec<String> = tpl
                        .items
                        .iter()
                        .filter(|it| it.area == a.code && it.rule.is_some())
                        .filter_map(|it| {
                            let r = responses.get(&it.code)?;
                            let note = r.self_note.trim();
                            if r.self_score.is_none() && note.is_empty() {
                                return None;
                            }
                            let score = r
                                .self_score
                                .map(|v| format!("tự chấm {}/{} điểm", fmt_score(v), fmt_score(it.max)))
                                .unwrap_or_else(|| "chưa tự chấm".into());
                            let note = if note.is_empty() {
                                ".".to_string()
                            } else {
                                format!(". Giải trình: {}", note.trim_end_matches(['.', ';']))
                            };
                            Some(format!(
                                "- Tiêu chí {} ({}): {score}{note}",
                                it.code,
                                it.text.trim_end_matches(['.', ';', ':'])
                            ))
                        })
                        .collect();
                    n += 1;
                    body.push(El::Sub(format!(
                        "{n}. {} ({}/{} điểm)",
                        a.title,
                        fmt_score(a.self_score),
                        fmt_score(a.applicable_max)
                    )));
                    if lines.is_empty() {
                        body.push(El::Para(format!(
                            "{unit_body} chưa tự chấm tiêu chí nào của lĩnh vực này."
                        )));
                    }
                    body.extend(lines.into_iter().map(El::Para));
                }
                body.push(El::Heading("III. SỐ LIỆU ĐƠN VỊ BÁO CÁO".into()));
                let fig_rows: Vec<Vec<String>> = figures
                    .iter()
                    .filter(|f| f.value.is_some())
                    .map(|f| vec![f.label.clone(), f.display.clone()])
                    .collect();
                if fig_rows.is_empty() {
                    body.push(El::Para(format!("{unit_body} chưa nhập số liệu.")));
                } else {
                    body.push(El::Table {
                        header: vec!["Chỉ tiêu".into(), "Số liệu".into()],
                        rows: fig_rows,
                        widths: vec![0.78, 0.22],
                        numeric: vec![false, true],
                        bold_last: false,
                    });
                }
                body.push(El::Heading("IV. TÀI LIỆU KIỂM CHỨNG KÈM THEO".into()));
                if evidence.is_empty() {
                    body.push(El::Para(format!("{unit_body} chưa kèm tài liệu kiểm chứng.")));
                }
                let items: Vec<String> = evidence
                    .iter()
                    .map(|e| {
                        let mut parts = Vec::new();
                        if !e.doc_number.trim().is_empty() {
                            parts.push(format!("văn bản số {}", e.doc_number.trim()));
                        }
                        if let Some(d) = e.doc_date.as_deref().and_then(|d| parse_date(d).ok()) {
                            parts.push(format!("ngày {}", fmt_date(d)));
                        }
                        if !e.description.trim().is_empty() {
                            parts.push(e.description.trim().to_string());
                        }
                        if let Some(f) = &e.attachment_name {
                            parts.push(format!("tệp {f}"));
                        }
                        format!("Tiêu chí {}: {}", e.item_code, parts.join(", "))
                    })
                    .collect();
                body.extend(crate::app::document::list(&items));
                body.push(El::Closing(format!(
                    "Trên đây là báo cáo kết quả tự kiểm tra công tác cải cách hành chính năm {year} của {unit_body}./."
                )));
                let mut lines = Vec::new();
                if matches!(unit.kind, UnitKind::Xa | UnitKind::Phuong) {
                    lines.push("TM. ỦY BAN NHÂN DÂN".to_string());
                }
                lines.push(if unit.head_title.trim().is_empty() {
                    content::BLANK.repeat(3)
                } else {
                    head_office(&unit.head_title).to_uppercase()
                });
                let sign = SignBlock {
                    lines,
                    note: String::new(),
                    name: if unit.head_name.trim().is_empty() {
                        content::BLANK.repeat(3)
                    } else {
                        unit.head_name.clone()
                    },
                };
                let mut recipients = Vec::new();
                if let Some(t) = &team {
                    recipients.push(team_header(t));
                    if !t.standing_agency.is_empty() {
                        recipients.push(t.standing_agency.clone());
                    }
                } else {
                    recipients.push(tw.to_string());
                }
                recipients.push("Lưu: VT".into());
                Ok(DocModel {
                    kind,
                    parent_body,
                    issuing_body: unit_body.clone(),
                    number_line: format!(
                        "{}/BC-{}",
                        numbering.as_ref().map_or(blank_number.as_str(), |n| n.0.as_str()),
                        unit_symbol(unit.kind, &unit.name)
                    ),
                    date_line: Some(match &numbering {
                        Some((_, d)) => format!("{place}, {}", fmt_date_long(*d)),
                        None => date_line(&place, now),
                    }),
                    title: "BÁO CÁO".into(),
                    summary: format!("Kết quả tự kiểm tra công tác cải cách hành chính năm {year}"),
                    summary_rule: true,
                    body,
                    signatures: vec![(None, Some(sign))],
                    recipients,
                    appendix: vec![],
                    draft: numbering.is_none(),
                })
            }
            DocumentKind::DeCuong => {
                let team = team.ok_or_else(|| {
                    Refusal::DocumentIncomplete
                        .err("Kế hoạch chưa có đoàn kiểm tra: hãy nhập đoàn trước khi in đề cương.")
                })?;
                let words = team_words(&team);
                let tw = words.team;
                let mut body = vec![El::Para(format!(
                    "Thực hiện {}, {tw} hướng dẫn {unit_body} tự kiểm tra và báo cáo kết quả công tác cải cách hành chính năm {year} theo {} (phiên bản {}). Báo cáo gồm các nội dung sau:",
                    plan_ref(&plan),
                    tpl.name,
                    tpl.version
                ))];
                body.push(El::Heading("I. KẾT QUẢ TỰ CHẤM ĐIỂM THEO TỪNG LĨNH VỰC".into()));
                body.push(El::Para(format!(
                    "Đơn vị tự chấm điểm từng tiêu chí (tổng điểm tối đa {} điểm), nêu căn cứ, giải trình cho từng điểm tự chấm và kèm tài liệu kiểm chứng.",
                    fmt_score(card.applicable_max)
                )));
                let mut used_figures: Vec<&str> = Vec::new();
                for (i, a) in tpl.areas.iter().enumerate() {
                    body.push(El::Sub(format!(
                        "{}. {} (tối đa {} điểm)",
                        i + 1,
                        a.title,
                        fmt_score(a.max)
                    )));
                    for it in tpl.items.iter().filter(|it| it.area == a.code) {
                        let mut line = format!(
                            "- Tiêu chí {} ({} điểm): {}",
                            it.code,
                            fmt_score(it.max),
                            it.text.trim_end_matches(['.', ';', ':'])
                        );
                        let figs: Vec<&str> = match &it.rule {
                            Some(Rule::Ratio {
                                numerator, denominator, ..
                            }) => vec![numerator.as_str(), denominator.as_str()],
                            Some(Rule::Penalty { figure, .. }) => vec![figure.as_str()],
                            _ => vec![],
                        };
                        if !figs.is_empty() {
                            line.push_str(&format!(
                                "; số liệu: {}",
                                figs.iter()
                                    .map(|k| crate::domain::figures::label(k).to_lowercase())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ));
                        }
                        for k in figs {
                            if !used_figures.contains(&k) {
                                used_figures.push(k);
                            }
                        }
                        match it.guide.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
                            Some(g) => {
                                line.push_str(&format!("; tài liệu kiểm chứng: {}.", g.trim_end_matches(['.', ';'])))
                            }
                            None if it.rule.is_some() => {
                                line.push_str("; tài liệu kiểm chứng: văn bản, hồ sơ chứng minh kết quả.")
                            }
                            None => line.push('.'),
                        }
                        body.push(El::Para(line));
                    }
                }
                body.push(El::Heading("II. SỐ LIỆU ĐƠN VỊ PHẢI BÁO CÁO".into()));
                body.push(El::Para(format!(
                    "Số liệu tính trong kỳ đánh giá năm {year}, ghi đúng mã để {tw} đối chiếu:"
                )));
                body.push(El::Table {
                    header: vec!["Mã số liệu".into(), "Nội dung".into()],
                    rows: used_figures
                        .iter()
                        .map(|k| vec![k.to_string(), crate::domain::figures::label(k).to_string()])
                        .collect(),
                    widths: vec![0.38, 0.62],
                    numeric: vec![false, false],
                    bold_last: false,
                });
                body.push(El::Heading("III. TỒN TẠI, HẠN CHẾ, NGUYÊN NHÂN VÀ KIẾN NGHỊ".into()));
                body.push(El::Para(
                    "Đơn vị nêu những tồn tại, hạn chế và nguyên nhân; giải pháp khắc phục và kiến nghị, đề xuất (nếu có).".into(),
                ));
                body.push(El::Closing(format!(
                    "Báo cáo tự kiểm tra do người đứng đầu {unit_body} ký, gửi {tw} {} trước ngày làm việc của {tw} tại đơn vị./.",
                    if team.standing_agency.is_empty() {
                        String::new()
                    } else {
                        format!("(qua {})", team.standing_agency)
                    }
                )
                .replace("  ", " ")));
                let mut sign = crate::app::document::signer_block(&Self::default_signer(&team));
                sign.note = String::new();
                Ok(DocModel {
                    kind,
                    parent_body: team.parent_body.clone(),
                    issuing_body: team_header(&team),
                    // Decree 30's table of type abbreviations has no Đề cương, and an outline
                    // bound into the plan would be its Phụ lục without a number of its own. This
                    // one is handed to the unit on its own, with its invitation: the văn thư
                    // registers it and the unit cites it in its report, so it takes a number
                    // of the team's register with "ĐC" (the symbol `kind_symbol` gives it).
                    number_line: format!(
                        "{}/ĐC-{}",
                        numbering.as_ref().map_or(blank_number.as_str(), |n| n.0.as_str()),
                        team.symbol
                    ),
                    date_line: Some(match &numbering {
                        Some((_, d)) => format!("{}, {}", plan.place, fmt_date_long(*d)),
                        None => date_line(&plan.place, now),
                    }),
                    title: "ĐỀ CƯƠNG".into(),
                    summary: format!(
                        "Báo cáo kết quả tự kiểm tra công tác cải cách hành chính năm {year} của {unit_body}"
                    ),
                    summary_rule: true,
                    body,
                    signatures: vec![(None, Some(sign))],
                    recipients: vec![unit_body.clone(), format!("Lưu: VT, {}", team.symbol)],
                    appendix: vec![],
                    draft: numbering.is_none(),
                })
            }
            k => Err(Refusal::BadChoice.err(format!(
                "{} không phải văn bản tự kiểm tra của đơn vị.",
                crate::app::document::capitalise(k.label())
            ))),
        }
    }

    /// The PDF of a unit's outline or self-inspection report, rendered now.
    pub fn render_unit_document(
        &self,
        inspection_id: &str,
        kind: DocumentKind,
        now: DateTime<Utc>,
    ) -> Result<Rendered> {
        self.render_unit_document_as(inspection_id, kind, None, now)
    }

    /// The same with the number and day the văn thư gave it ([`Store::unit_document_model_as`]).
    pub fn render_unit_document_as(
        &self,
        inspection_id: &str,
        kind: DocumentKind,
        numbering: Option<&Numbering>,
        now: DateTime<Utc>,
    ) -> Result<Rendered> {
        let m = self.unit_document_model_as(inspection_id, kind, numbering, now)?;
        render_model(&m, now)
    }
}

/// "Chủ tịch UBND xã Hạ Lang" → "Chủ tịch": the office over the signature, the body being
/// named in the header.
fn head_office(title: &str) -> String {
    let t = title.trim();
    let lower = t.to_lowercase();
    let cut = [" ubnd", " ủy ban", " uỷ ban", " sở ", " phòng "]
        .iter()
        .filter_map(|k| lower.find(k))
        .min();
    match cut {
        Some(i) if i > 0 => t[..i].to_string(),
        _ => t.to_string(),
    }
}
