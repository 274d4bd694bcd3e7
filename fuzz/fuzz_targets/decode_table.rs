//! Feeds arbitrary bytes to the `.mfnt` decoder, twice: as they are (the checksum rejects
//! almost everything) and behind a valid header with a matching checksum, so the parser
//! itself is exercised. It must never panic and never allocate past its limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfnas::table::codec;

fuzz_target!(|data: &[u8]| {
    let _ = codec::decode(data);
    let mut framed = Vec::with_capacity(16 + data.len());
    framed.extend_from_slice(&codec::MAGIC);
    framed.extend_from_slice(&codec::VERSION.to_le_bytes());
    framed.extend_from_slice(&0u16.to_le_bytes());
    framed.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
    framed.extend_from_slice(data);
    let _ = codec::decode(&framed);
});
