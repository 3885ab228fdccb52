//! A province's edited checklist, imported as a new version.

use crate::error::Result;
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
}
