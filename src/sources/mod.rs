//! Readers of the public benchmark files, and the packers that turn them into [`Table`]s
//! (command line only: the browser and the core read packed `.mfnt` tables).
//!
//! One module per benchmark: [`nb201`] (NAS-Bench-201 from the shared data's CSV, text and
//! JSON files), [`nb101`] (NAS-Bench-101's official records and NAS-Bench-Suite-Zero's
//! proxies), [`nbasr`] (NAS-Bench-ASR's release pickles); beside them the safe [`pickle`]
//! reader, the [`builder`] that assembles a table record by record, and [`validate`], the
//! domain and coverage checks every packed table passes before it is written.
//!
//! Every error is an [`ErrorKind::SourceData`] error that names the file (and row and
//! column where there is one); a value a source lacks stays missing.
//!
//! [`Table`]: crate::table::Table

pub mod builder;
pub mod nb101;
pub mod nb201;
pub mod nbasr;
pub mod pickle;
pub mod validate;

use crate::error::{Error, ErrorKind, Result};
use std::path::Path;

/// The largest source file a packer reads into memory (the biggest public export, NB101's
/// official records as JSON, is about 1.5 GB).
pub const MAX_SOURCE_BYTES: u64 = 4 << 30;

/// An [`ErrorKind::SourceData`] error.
pub fn error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::SourceData, message)
}

/// An [`ErrorKind::SourceData`] error about the file at `path`.
pub fn file_error(path: &Path, what: impl std::fmt::Display) -> Error {
    error(format!("source file {}: {what}", path.display()))
}

/// The bytes of the source file `path` (a regular file of at most [`MAX_SOURCE_BYTES`]);
/// `needed_for` completes "it is needed for …" in the error, `help` names where to get it.
pub fn read(path: &Path, needed_for: &str, help: Option<&Path>) -> Result<Vec<u8>> {
    crate::files::read_regular(path, MAX_SOURCE_BYTES, "source file").map_err(|e| {
        let mut m = format!("{}; it is needed for {needed_for}", e.message());
        if let Some(h) = help {
            m.push_str(&format!("; see {}", h.display()));
        }
        error(m)
    })
}

/// The text of the source file `path` (see [`read`]), which must be UTF-8.
pub fn read_text(path: &Path, needed_for: &str, help: Option<&Path>) -> Result<String> {
    String::from_utf8(read(path, needed_for, help)?)
        .map_err(|_| file_error(path, "is not UTF-8 text"))
}
