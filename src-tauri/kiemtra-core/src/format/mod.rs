//! File formats, each usable and testable alone: the exchange file (`.kiemtra`, a sealed zip
//! read with every entry bounded before it is parsed) and the PDF layout engine with its
//! embedded fonts and the official documents' blocks. Bytes in, bytes out: no database.

pub mod content;
pub mod exchange_file;
pub mod fonts;
pub mod invite;
pub mod layout;
pub mod phrases;
pub mod sealed;
pub mod thumbnail;
pub mod unit_sheet;
