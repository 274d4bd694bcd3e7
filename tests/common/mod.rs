//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared data folder (`MFNAS_DATA`, else `../shared/data` from the repository root),
/// or `None` (with a line printed) when it is absent, so data tests skip cleanly.
pub fn data_dir(needs: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("MFNAS_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.join(needs).exists() {
        Some(dir)
    } else {
        println!("skipped: {} not found", dir.join(needs).display());
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
