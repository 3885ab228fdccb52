-- Schema 8: the 2026 holiday list as officially announced (see assets/holidays-vn.toml for the
-- sources). Laptops installed before get the corrected name of 16/02 and the new days; a day
-- the user entered or changed himself (source 'nguoi_dung') is left as it is, and so is any
-- date that already has an entry.
UPDATE holiday SET name = 'Tết Nguyên đán (29 tháng Chạp, ngày cuối năm Ất Tỵ)'
    WHERE date = '2026-02-16' AND source = 'kem_theo' AND name = 'Tết Nguyên đán (28 tháng Chạp)';
INSERT OR IGNORE INTO holiday(date, kind, name, source) VALUES
    ('2026-08-22', 'lam_bu', 'Làm bù cho ngày 31/8 (Thông báo 9441/TB-BNV)', 'kem_theo'),
    ('2026-08-31', 'nghi', 'Quốc khánh (nghỉ hoán đổi, làm bù thứ Bảy 22/8)', 'kem_theo'),
    ('2026-11-24', 'nghi', 'Ngày Văn hóa Việt Nam (Nghị quyết 80-NQ/TW)', 'kem_theo'),
    ('2027-11-24', 'nghi', 'Ngày Văn hóa Việt Nam (Nghị quyết 80-NQ/TW)', 'kem_theo');

-- How a team's documents are signed by default (issue 16): the authority ("TM.", "KT.", or
-- none), what it is exercised for ("TỔ KIỂM TRA", "CHÁNH THANH TRA"), and the signer's title
-- ("TỔ TRƯỞNG", "PHÓ CHÁNH THANH TRA"); empty: the lead signs as Trưởng đoàn or Tổ trưởng,
-- as before. Merged field by field like the team's other fields.
ALTER TABLE team ADD COLUMN sign_authority TEXT NOT NULL DEFAULT '';
ALTER TABLE team ADD COLUMN sign_on_behalf TEXT NOT NULL DEFAULT '';
ALTER TABLE team ADD COLUMN sign_title TEXT NOT NULL DEFAULT '';

-- Evidence thumbnails, made the first time the window shows an attachment and kept: a small
-- JPEG (data) whose longer side is px, or an empty data for an attachment that is no image
-- the app reads. Belongs to this laptop (not exchanged; remade from the attachment).
CREATE TABLE thumbnail (
    sha256 TEXT NOT NULL REFERENCES attachment(sha256),
    px     INTEGER NOT NULL CHECK (px > 0),
    data   BLOB NOT NULL,
    PRIMARY KEY (sha256, px)
) STRICT;
