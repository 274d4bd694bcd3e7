//! Helpers shared by the integration tests, above all the one rule for tests that need the
//! shared data or the packed tables: **a test that could not run says so**.
//!
//! - With `MFNAS_REQUIRE_DATA=1` (CI sets it) a missing input fails the test, naming what
//!   is missing.
//! - Otherwise the test skips: it prints why and appends one line to the file named by
//!   `MFNAS_SKIP_LOG` (`scripts/test.sh` sets it and prints at the end how many tests
//!   skipped and why). `cargo test` alone hides the printed line; the log does not.
//! - A failure while preparing the input (packing a table) is never a skip: it panics.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// The shared data folder: `MFNAS_DATA`, else `../shared/data` beside the crate.
pub fn shared_data() -> PathBuf {
    std::env::var_os("MFNAS_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

/// The packed tables folder: `MFNAS_TABLES`, else `tables/` in the crate.
pub fn tables_dir() -> PathBuf {
    std::env::var_os("MFNAS_TABLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tables"))
}

/// Whether a missing input must fail the test (`MFNAS_REQUIRE_DATA=1`).
pub fn data_required() -> bool {
    std::env::var("MFNAS_REQUIRE_DATA").is_ok_and(|v| v == "1")
}

/// The current test's name (libtest names each test's thread after it).
fn test_name() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_default();
    // Test binaries are named `<target>-<hash>`.
    let target = exe.rsplit_once('-').map_or(exe.as_str(), |(t, _)| t);
    let thread = std::thread::current();
    format!("{target}::{}", thread.name().unwrap_or("?"))
}

/// Records that the current test did not run because `why`, or fails it when inputs are
/// required. Call it, then return from the test.
pub fn skip(why: &str) {
    let name = test_name();
    if data_required() {
        panic!(
            "{name} cannot run: {why}. MFNAS_REQUIRE_DATA=1 makes a missing input a failure \
             (unset it to skip instead)"
        );
    }
    eprintln!("SKIPPED {name}: {why}");
    if let Some(log) = std::env::var_os("MFNAS_SKIP_LOG") {
        // One short line per skip: appends of this size are atomic across test processes.
        let line = format!("{name}\t{why}\n");
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = f.write_all(line.as_bytes());
        }
    }
}

/// The shared data folder if `needs` (a path inside it) exists; else [`skip`] and `None`.
pub fn data_dir(needs: &str) -> Option<PathBuf> {
    let dir = shared_data();
    if dir.join(needs).exists() {
        Some(dir)
    } else {
        skip(&format!(
            "the shared data has no {} (set MFNAS_DATA to the shared data folder)",
            dir.join(needs).display()
        ));
        None
    }
}

/// The packed table file `name` (e.g. `nb201-cifar10.mfnt`) if `mfnas pack` made it;
/// else [`skip`] and `None`.
pub fn packed_table(name: &str) -> Option<PathBuf> {
    let p = tables_dir().join(name);
    if p.is_file() {
        Some(p)
    } else {
        skip(&format!(
            "no packed table {} (run `mfnas pack --out {}`)",
            p.display(),
            tables_dir().display()
        ));
        None
    }
}

/// The (name, contents) of every file in a zip archive of stored or deflated entries
/// without data descriptors (enough for the fragments' archives).
pub fn read_zip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut at = 0usize;
    let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as usize;
    let u32_at =
        |b: &[u8], i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize;
    while at + 30 <= bytes.len() && u32_at(bytes, at) == 0x0403_4b50 {
        let flags = u16_at(bytes, at + 6);
        assert_eq!(
            flags & 8,
            0,
            "zip entries with data descriptors are not supported"
        );
        let method = u16_at(bytes, at + 8);
        let size = u32_at(bytes, at + 18);
        let name_len = u16_at(bytes, at + 26);
        let extra_len = u16_at(bytes, at + 28);
        let name = String::from_utf8_lossy(&bytes[at + 30..at + 30 + name_len]).into_owned();
        let start = at + 30 + name_len + extra_len;
        let data = &bytes[start..start + size];
        let contents = match method {
            0 => data.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec(data).expect("deflate data"),
            m => panic!("zip method {m} not supported"),
        };
        out.push((name, contents));
        at = start + size;
    }
    out
}

/// A scratch folder under the system's temporary folder, named after `name` and this
/// process, emptied when made and removed with everything in it when dropped (also when the
/// test fails), so that test runs leave nothing behind.
pub struct ScratchDir(PathBuf);

impl ScratchDir {
    pub fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot make {}: {e}", path.display()));
        Self(path)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
