//! Evidence thumbnails: a photo or a scan scaled down to a small JPEG before it reaches the
//! window (a 6 MB phone photo becomes a few KiB). Untrusted input: the image's dimensions
//! are read from its header and bounded before it is decoded, and the decoder's memory is
//! limited, so a forged file cannot make the app allocate gigabytes.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};

/// The longest side of a thumbnail, in pixels (the window shows them at 72 px, twice that
/// for sharp screens).
pub const THUMB_PX: u32 = 160;
/// Images with a side longer than this are not decoded (a phone photo is about 4 000 px).
pub const MAX_SIDE: u32 = 12_000;
/// The decoder's memory limit.
pub const MAX_DECODE_BYTES: u64 = 256 << 20;

/// A JPEG thumbnail of `bytes` whose longer side is at most `max_px`, or None when the file
/// is not a JPEG or PNG image the decoder reads within its bounds (a PDF, a damaged photo).
pub fn thumbnail(bytes: &[u8], max_px: u32) -> Option<Vec<u8>> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().ok()?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png)) {
        return None;
    }
    let (w, h) = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()?;
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
        return None;
    }
    let mut reader = reader;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let img = reader.decode().ok()?;
    let small = if w > max_px || h > max_px {
        img.thumbnail(max_px, max_px)
    } else {
        img
    };
    let mut out = Cursor::new(Vec::new());
    small.to_rgb8().write_to(&mut out, ImageFormat::Jpeg).ok()?;
    Some(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        // Noise-like content, as a photo has (a smooth gradient would compress to nothing).
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            let v = x.wrapping_mul(2_654_435_761).wrapping_add(y.wrapping_mul(40_503)) >> 7;
            image::Rgb([v as u8, (v >> 8) as u8, (x ^ y) as u8])
        });
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_large_image_becomes_a_small_jpeg_keeping_its_shape() {
        let big = png(2000, 1000);
        let t = thumbnail(&big, THUMB_PX).unwrap();
        assert!(t.len() < big.len() / 10, "{} of {}", t.len(), big.len());
        let back = image::load_from_memory(&t).unwrap();
        assert_eq!((back.width(), back.height()), (160, 80));
        assert_eq!(image::guess_format(&t).unwrap(), ImageFormat::Jpeg);
    }

    #[test]
    fn a_small_image_is_not_enlarged() {
        let t = thumbnail(&png(40, 30), THUMB_PX).unwrap();
        let back = image::load_from_memory(&t).unwrap();
        assert_eq!((back.width(), back.height()), (40, 30));
    }

    #[test]
    fn not_an_image_or_a_forged_one_gives_none() {
        assert!(thumbnail(b"%PDF-1.7 not an image", THUMB_PX).is_none());
        let mut cut = png(300, 300);
        cut.truncate(cut.len() / 2);
        assert!(thumbnail(&cut, THUMB_PX).is_none());
        // A PNG header claiming 100 000 × 100 000 pixels is refused before decoding.
        let mut forged = png(1, 1);
        forged[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        forged[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(thumbnail(&forged, THUMB_PX).is_none());
    }
}
