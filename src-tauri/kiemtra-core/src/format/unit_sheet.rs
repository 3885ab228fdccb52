//! A plan's unit list read from an .xlsx workbook (the first sheet): a header row naming
//! the columns, then one unit per row. Untrusted input: the file's size, its zip entries
//! and their unpacked sizes are bounded before the workbook is parsed, and every row is
//! checked before any is taken, so that a bad row refuses the whole list naming its row and
//! column («Dòng 5, cột B (Loại)»).
//!
//! Columns are found by their header, in any order and without regard to diacritics:
//! «Tên đơn vị» (required), «Loại» (sở, xã, phường, phòng, ban, đơn vị sự nghiệp, or their
//! keys so, xa, phuong, phong, ban, don_vi), «Thủ trưởng» / «Người đứng đầu», «Chức vụ»,
//! «Từ ngày», «Đến ngày» (the schedule; an Excel date or "13/10/2026").

use std::io::{Cursor, Read, Seek};

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;

use crate::domain::model::UnitKind;
use crate::domain::text::{fold, nfc, parse_date};
use crate::error::{Refusal, Result};

/// The largest workbook read (a list of a few hundred units is a few tens of KiB).
pub const MAX_FILE_BYTES: u64 = 10 << 20;
/// The largest unpacked size of all the workbook's parts together.
pub const MAX_UNPACKED_BYTES: u64 = 64 << 20;
/// At most this many parts in the workbook's zip.
pub const MAX_PARTS: usize = 2_000;
/// At most this many units in one list.
pub const MAX_ROWS: usize = 5_000;

/// One unit of the list, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetUnit {
    /// The row's number as the spreadsheet shows it (the header is row 1 when it is first).
    pub row: usize,
    /// Where the row's name is, as a refusal names it: "Dòng 5, cột C (Tên đơn vị)".
    pub name_at: String,
    pub name: String,
    pub kind: UnitKind,
    pub head_name: String,
    pub head_title: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Col {
    Name,
    Kind,
    HeadName,
    HeadTitle,
    Start,
    End,
}

impl Col {
    fn label(self) -> &'static str {
        match self {
            Col::Name => "Tên đơn vị",
            Col::Kind => "Loại",
            Col::HeadName => "Thủ trưởng",
            Col::HeadTitle => "Chức vụ",
            Col::Start => "Từ ngày",
            Col::End => "Đến ngày",
        }
    }

    /// The column a header names, folded ("tên đơn vị" → "ten don vi").
    fn of_header(h: &str) -> Option<Col> {
        let f = fold(h).replace(['(', ')', ':', '*'], " ");
        let f = f.split_whitespace().collect::<Vec<_>>().join(" ");
        let is = |words: &[&str]| words.iter().any(|w| f == *w);
        let starts = |words: &[&str]| words.iter().any(|w| f.starts_with(w));
        if is(&[
            "ten don vi",
            "don vi",
            "ten",
            "ten co quan",
            "co quan, don vi",
            "co quan don vi",
        ]) {
            Some(Col::Name)
        } else if starts(&["loai"]) {
            Some(Col::Kind)
        } else if starts(&["chuc vu"]) {
            Some(Col::HeadTitle)
        } else if starts(&[
            "thu truong",
            "nguoi dung dau",
            "ho ten thu truong",
            "ho va ten thu truong",
            "lanh dao",
        ]) {
            Some(Col::HeadName)
        } else if starts(&["tu ngay", "ngay bat dau", "bat dau"]) {
            Some(Col::Start)
        } else if starts(&["den ngay", "ngay ket thuc", "ket thuc"]) {
            Some(Col::End)
        } else {
            None
        }
    }
}

/// "A", "B", … "AA": a column's letter as the spreadsheet shows it.
pub fn column_letter(mut col: usize) -> String {
    let mut s = vec![];
    loop {
        s.push((b'A' + (col % 26) as u8) as char);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.iter().rev().collect()
}

fn refuse(kind: Refusal, msg: String) -> crate::error::Error {
    kind.err(format!("{msg} Không đơn vị nào được thêm."))
}

fn sheet_invalid(msg: &str) -> crate::error::Error {
    Refusal::SheetInvalid.err(format!(
        "Tệp không đọc được như một bảng tính Excel (.xlsx): {msg}. Hãy lưu lại danh sách bằng Excel hoặc LibreOffice dạng .xlsx rồi thử lại. Không đơn vị nào được thêm."
    ))
}

/// The zip under the workbook, bounded before anything is unpacked for parsing.
fn check_bounds<R: Read + Seek>(r: R) -> Result<()> {
    let mut zip = zip::ZipArchive::new(r).map_err(|_| sheet_invalid("không phải tệp .xlsx"))?;
    if zip.len() > MAX_PARTS {
        return Err(sheet_invalid("tệp có quá nhiều phần"));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|_| sheet_invalid("tệp bị hỏng"))?;
        total = total.saturating_add(f.size());
        if total > MAX_UNPACKED_BYTES {
            return Err(sheet_invalid("nội dung giải nén quá lớn (quá 64 MiB)"));
        }
    }
    Ok(())
}

/// A cell as text: numbers as written, Excel dates as dd/mm/yyyy.
fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => nfc(s.trim()),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|t| t.date().format("%d/%m/%Y").to_string())
            .unwrap_or_else(|| d.as_f64().to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The units of the workbook's first sheet, every row checked; refused whole at the first
/// bad row, naming its row and column.
pub fn read_unit_sheet(bytes: &[u8]) -> Result<Vec<SheetUnit>> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(sheet_invalid("tệp lớn hơn 10 MiB"));
    }
    check_bounds(Cursor::new(bytes))?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| sheet_invalid("tệp bị hỏng"))?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        Some(Err(_)) => return Err(sheet_invalid("trang tính đầu tiên bị hỏng")),
        None => return Err(sheet_invalid("tệp không có trang tính nào")),
    };
    let (row0, col0) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
    let mut rows = range.rows().enumerate().map(|(i, r)| (row0 + i + 1, r));
    // The header: the first row that is not empty.
    let (header_row, header) = loop {
        match rows.next() {
            None => return Err(refuse(Refusal::Required, "Bảng tính không có dòng nào.".into())),
            Some((n, r)) if r.iter().all(|c| cell_text(c).is_empty()) => {
                let _ = n;
                continue;
            }
            Some(x) => break x,
        }
    };
    let mut cols: Vec<(usize, Col)> = vec![];
    for (i, c) in header.iter().enumerate() {
        let t = cell_text(c);
        if t.is_empty() {
            continue;
        }
        if let Some(col) = Col::of_header(&t) {
            let at = col0 + i;
            if let Some((first, _)) = cols.iter().find(|(_, c)| *c == col) {
                return Err(refuse(
                    Refusal::Duplicate,
                    format!(
                        "Dòng {header_row}: cột {} và cột {} cùng là cột «{}».",
                        column_letter(*first),
                        column_letter(at),
                        col.label()
                    ),
                ));
            }
            cols.push((at, col));
        }
    }
    if !cols.iter().any(|(_, c)| *c == Col::Name) {
        return Err(refuse(
            Refusal::SheetInvalid,
            format!(
                "Dòng {header_row} phải là dòng tiêu đề có cột «Tên đơn vị» (các cột khác: «Loại», «Thủ trưởng», «Chức vụ», «Từ ngày», «Đến ngày»)."
            ),
        ));
    }
    let letter = |col: Col| {
        let at = cols.iter().find(|(_, c)| *c == col).map(|(a, _)| *a).unwrap_or(0);
        format!("cột {} ({})", column_letter(at), col.label())
    };
    let mut out: Vec<SheetUnit> = vec![];
    for (n, r) in rows {
        let get = |col: Col| {
            cols.iter()
                .find(|(_, c)| *c == col)
                .and_then(|(at, _)| r.get(at - col0))
                .map(cell_text)
                .unwrap_or_default()
        };
        if r.iter().all(|c| cell_text(c).is_empty()) {
            continue;
        }
        if let Some(bad) = r.iter().position(|c| matches!(c, Data::Error(_))) {
            return Err(refuse(
                Refusal::SheetInvalid,
                format!(
                    "Dòng {n}, cột {}: ô có lỗi công thức ({}).",
                    column_letter(col0 + bad),
                    cell_text(&r[bad])
                ),
            ));
        }
        let name = get(Col::Name);
        if name.is_empty() {
            return Err(refuse(
                Refusal::Required,
                format!("Dòng {n}, {}: thiếu tên đơn vị.", letter(Col::Name)),
            ));
        }
        let kind_text = get(Col::Kind);
        let kind = if kind_text.is_empty() {
            return Err(refuse(
                Refusal::Required,
                format!(
                    "Dòng {n}, {}: «{name}» chưa có loại đơn vị (sở, xã, phường, phòng, ban, đơn vị sự nghiệp).",
                    letter(Col::Kind)
                ),
            ));
        } else {
            UnitKind::parse(&kind_text).ok_or_else(|| {
                refuse(
                    Refusal::BadChoice,
                    format!(
                        "Dòng {n}, {}: loại đơn vị «{kind_text}» không hợp lệ; chọn một trong: {}.",
                        letter(Col::Kind),
                        UnitKind::ALL.iter().map(|k| k.label()).collect::<Vec<_>>().join(", ")
                    ),
                )
            })?
        };
        let date = |col: Col| -> Result<Option<NaiveDate>> {
            let t = get(col);
            if t.is_empty() {
                return Ok(None);
            }
            parse_date(&t).map(Some).map_err(|e| {
                let why = match &e {
                    crate::error::Error::Refused { message, .. } => message.clone(),
                    e => e.to_string(),
                };
                refuse(Refusal::BadDate, format!("Dòng {n}, {}: {why}", letter(col)))
            })
        };
        let (start, end) = (date(Col::Start)?, date(Col::End)?);
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                return Err(refuse(
                    Refusal::BadRange,
                    format!("Dòng {n}, {}: ngày kết thúc trước ngày bắt đầu.", letter(Col::End)),
                ));
            }
        }
        if let Some(first) = out.iter().find(|u| fold(&u.name) == fold(&name)) {
            return Err(refuse(
                Refusal::Duplicate,
                format!("Dòng {n}, {}: «{name}» đã có ở dòng {}.", letter(Col::Name), first.row),
            ));
        }
        if out.len() == MAX_ROWS {
            return Err(refuse(Refusal::TooLong, format!("Danh sách có hơn {MAX_ROWS} đơn vị.")));
        }
        out.push(SheetUnit {
            row: n,
            name_at: format!("Dòng {n}, {}", letter(Col::Name)),
            name,
            kind,
            head_name: get(Col::HeadName),
            head_title: get(Col::HeadTitle),
            start,
            end,
        });
    }
    if out.is_empty() {
        return Err(refuse(
            Refusal::Required,
            format!("Bảng tính chỉ có dòng tiêu đề (dòng {header_row}), chưa có đơn vị nào."),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(rows: &[&[&str]]) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    }

    fn message(r: Result<Vec<SheetUnit>>) -> (String, &'static str) {
        let e = r.unwrap_err();
        (e.to_string(), e.code())
    }

    #[test]
    fn reads_units_by_their_headers_in_any_order() {
        let b = book(&[
            &[
                "STT",
                "Loai",
                "Tên đơn vị",
                "Chức vụ",
                "Thủ trưởng",
                "Từ ngày",
                "Đến ngày",
            ],
            &[
                "1",
                "phòng",
                "Văn phòng",
                "Chánh Văn phòng",
                "Nguyễn Văn A",
                "28/9/2020",
                "28/09/2020",
            ],
            &["", "", "", "", "", "", ""],
            &["2", "phong", "Phòng Thanh tra 1", "", "", "", ""],
        ]);
        let u = read_unit_sheet(&b).unwrap();
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].row, 2);
        assert_eq!(u[0].name_at, "Dòng 2, cột C (Tên đơn vị)");
        assert_eq!(u[0].kind, UnitKind::Phong);
        assert_eq!(u[0].head_name, "Nguyễn Văn A");
        assert_eq!(u[0].head_title, "Chánh Văn phòng");
        assert_eq!(u[0].start, NaiveDate::from_ymd_opt(2020, 9, 28));
        assert_eq!(u[1].row, 4);
        assert_eq!(u[1].name, "Phòng Thanh tra 1");
        assert_eq!(u[1].start, None);
    }

    #[test]
    fn excel_dates_read_as_dates() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Tên đơn vị").unwrap();
        ws.write_string(0, 1, "Loại").unwrap();
        ws.write_string(0, 2, "Từ ngày").unwrap();
        ws.write_string(1, 0, "Văn phòng").unwrap();
        ws.write_string(1, 1, "Phòng").unwrap();
        let fmt = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2020, 9, 28).unwrap();
        ws.write_datetime_with_format(1, 2, &d, &fmt).unwrap();
        let u = read_unit_sheet(&wb.save_to_buffer().unwrap()).unwrap();
        assert_eq!(u[0].start, NaiveDate::from_ymd_opt(2020, 9, 28));
    }

    #[test]
    fn a_bad_row_is_named_by_row_and_column() {
        let b = book(&[
            &["Tên đơn vị", "Loại", "Từ ngày"],
            &["Văn phòng", "phòng", ""],
            &["Phòng Tổ chức", "hợp tác xã", ""],
        ]);
        let (m, code) = message(read_unit_sheet(&b));
        assert_eq!(code, "bad_choice");
        assert!(
            m.starts_with("Dòng 3, cột B (Loại): loại đơn vị «hợp tác xã» không hợp lệ"),
            "{m}"
        );
        assert!(m.ends_with("Không đơn vị nào được thêm."), "{m}");

        let b = book(&[
            &["Tên đơn vị", "Loại", "Từ ngày"],
            &["Văn phòng", "phòng", "31/11/2020"],
        ]);
        let (m, code) = message(read_unit_sheet(&b));
        assert_eq!(code, "bad_date");
        assert!(m.starts_with("Dòng 2, cột C (Từ ngày): "), "{m}");

        let b = book(&[
            &["Loại", "Tên đơn vị"],
            &["phòng", "Văn phòng"],
            &["phòng", "VĂN PHÒNG"],
        ]);
        let (m, code) = message(read_unit_sheet(&b));
        assert_eq!(code, "duplicate");
        assert!(
            m.starts_with("Dòng 3, cột B (Tên đơn vị): «VĂN PHÒNG» đã có ở dòng 2."),
            "{m}"
        );

        let b = book(&[&["Tên đơn vị", "Loại"], &["", "phòng"]]);
        assert!(message(read_unit_sheet(&b))
            .0
            .starts_with("Dòng 2, cột A (Tên đơn vị): thiếu tên"));
        let b = book(&[&["Tên đơn vị", "Loại"], &["Văn phòng", ""]]);
        assert!(message(read_unit_sheet(&b))
            .0
            .starts_with("Dòng 2, cột B (Loại): «Văn phòng» chưa có loại"));
    }

    #[test]
    fn no_header_or_no_workbook_is_refused() {
        let b = book(&[&["Văn phòng", "phòng"]]);
        let (m, code) = message(read_unit_sheet(&b));
        assert_eq!(code, "sheet_invalid");
        assert!(m.contains("Dòng 1 phải là dòng tiêu đề"), "{m}");
        let (m, code) = message(read_unit_sheet(b"Ten don vi;Loai\nVan phong;phong\n"));
        assert_eq!(code, "sheet_invalid");
        assert!(m.contains("không phải tệp .xlsx"), "{m}");
        let (_, code) = message(read_unit_sheet(&book(&[&["Tên đơn vị", "Loại"]])));
        assert_eq!(code, "required");
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
