//! A province's edited checklist, imported as a new version.

use std::path::Path;

use crate::error::{Refusal, Result};
use crate::store::templates::{insert_template, TemplateInfo};
use crate::store::{Ctx, Store};

impl Store {
    /// Import an edited template as a new version. Returns its info and whether it is new
    /// (importing the same file twice changes nothing).
    pub fn import_template(&mut self, ctx: &Ctx, source: &str) -> Result<(TemplateInfo, bool)> {
        let source = crate::domain::text::nfc(source);
        let (id, created) = self.write(ctx, "nhập bộ tiêu chí", |w| {
            w.barrier = true;
            insert_template(w, &source)
        })?;
        let info = self.templates()?.into_iter().find(|t| t.id == id).expect("just stored");
        Ok((info, created))
    }

    /// [`Store::import_template`] from a file (the window's open dialog): at most 2 MB of
    /// UTF-8 text; a bad item is refused naming the item and field, and nothing changes.
    pub fn import_template_file(&mut self, ctx: &Ctx, path: &Path) -> Result<(TemplateInfo, bool)> {
        let bytes = crate::store::files::read_bounded(path, MAX_TEMPLATE_BYTES, "một bộ tiêu chí")?;
        let source = String::from_utf8(bytes)
            .map_err(|_| Refusal::BadPath.err(format!("{} không phải tệp văn bản UTF-8.", path.display())))?;
        self.import_template(ctx, &source)
    }
}

/// The largest checklist file read (the shipped ones are about 60 kB).
pub const MAX_TEMPLATE_BYTES: u64 = 2 * 1024 * 1024;
