//! The documents' typeface: Liberation Serif 2.1.5 (SIL OFL 1.1, licence in
//! `assets/fonts/LICENSE-OFL-1.1.txt`), metric-compatible with Times New Roman, with every
//! Vietnamese letter. The four faces are compiled into the binary: nothing is read from the
//! system or fetched at run time.
//!
//! Widths are measured from the font's own advances, truncated to 1/1000 em exactly as
//! printpdf writes the PDF width table, so a justified line ends flush with the margin.

use std::sync::OnceLock;

use crate::error::{Refusal, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Face {
    pub const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic];
    pub fn index(self) -> usize {
        self as usize
    }
}

pub(crate) const FONT_BYTES: [&[u8]; 4] = [
    include_bytes!("../../../../assets/fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../../../../assets/fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../../../../assets/fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../../../../assets/fonts/LiberationSerif-BoldItalic.ttf"),
];

/// The name of the typeface as PDF readers report it.
pub const FAMILY: &str = "Liberation Serif";

pub struct Fonts {
    faces: Vec<ttf_parser::Face<'static>>,
    upm: [f32; 4],
}

/// The parsed faces (parsed once; they are constants of the program).
pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let faces: Vec<_> = FONT_BYTES
            .iter()
            .map(|b| ttf_parser::Face::parse(b, 0).expect("the embedded Liberation Serif faces parse"))
            .collect();
        let upm = [0, 1, 2, 3].map(|i| faces[i].units_per_em() as f32);
        Fonts { faces, upm }
    })
}

impl Fonts {
    /// Advance of one character in 1/1000 em, or None when the face has no glyph for it.
    pub fn advance(&self, face: Face, ch: char) -> Option<i32> {
        let f = &self.faces[face.index()];
        let gid = f.glyph_index(ch)?;
        let adv = f.glyph_hor_advance(gid)? as f32;
        Some((adv * 1000.0 / self.upm[face.index()]) as i32)
    }

    pub fn has(&self, face: Face, ch: char) -> bool {
        ch == ' ' || self.faces[face.index()].glyph_index(ch).is_some()
    }

    /// Width of `text` in points at `size`.
    pub fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let units: i32 = text.chars().map(|c| self.advance(face, c).unwrap_or(0)).sum();
        units as f32 * size / 1000.0
    }

    /// Refuse text the typeface cannot show (a missing glyph would print as an empty box),
    /// naming the character and where it is.
    pub fn check(&self, face: Face, text: &str, place: &str) -> Result<()> {
        if let Some(c) = text.chars().find(|c| !self.has(face, *c)) {
            return Err(Refusal::Unprintable.err(format!(
                "Ký tự «{c}» (U+{:04X}) trong {place} không có trong phông chữ của văn bản ({FAMILY}); \
                 hãy sửa nội dung đó rồi in lại.",
                c as u32
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vietnamese_letter_is_in_all_four_faces() {
        let letters = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ₫";
        let all: String = letters
            .chars()
            .flat_map(|c| [c].into_iter().chain(c.to_uppercase()))
            .collect();
        for face in Face::ALL {
            fonts().check(face, &all, "bảng chữ cái").unwrap();
        }
        assert!(fonts()
            .check(Face::Regular, "🙂", "ghi chú")
            .unwrap_err()
            .to_string()
            .contains("U+1F642"));
    }

    #[test]
    fn widths_are_times_metrics() {
        // Times New Roman: "n" is 500/1000 em, space 250.
        assert_eq!(fonts().advance(Face::Regular, 'n'), Some(500));
        assert_eq!(fonts().advance(Face::Regular, ' '), Some(250));
        assert!((fonts().width(Face::Regular, 14.0, "nn") - 14.0).abs() < 1e-4);
    }
}
