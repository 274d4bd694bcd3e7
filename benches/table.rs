//! Decode time of the packed NB201 tables (`tables/*.mfnt` if present, else packed from
//! the shared data). Prints each table's size beside its time.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use mfnas::table::codec;
use std::path::PathBuf;

const FILES: [&str; 4] = [
    "nb201-cifar10",
    "nb201-cifar100",
    "nb201-ImageNet16-120",
    "nb201-cifar10-curves200",
];

/// The encoded table `name`: from `tables/`, else packed from the shared data.
fn table_bytes(name: &str) -> Option<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let file = root
        .join("tables")
        .join(format!("{name}.{}", codec::EXTENSION));
    if let Ok(b) = std::fs::read(&file) {
        return Some(b);
    }
    pack(&root, name)
}

#[cfg(feature = "cli")]
fn pack(root: &std::path::Path, name: &str) -> Option<Vec<u8>> {
    use mfnas::table::pack::{pack_nb201, pack_nb201_curves};
    let data = std::env::var_os("MFNAS_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/data"));
    if !data.join("nb201").is_dir() {
        return None;
    }
    let table = match name.strip_prefix("nb201-")? {
        "cifar10-curves200" => pack_nb201_curves(&data),
        ds => pack_nb201(&data, ds),
    }
    .expect("the shared data packs");
    Some(codec::encode(&table))
}

#[cfg(not(feature = "cli"))]
fn pack(_: &std::path::Path, _: &str) -> Option<Vec<u8>> {
    None
}

fn decode(c: &mut Criterion) {
    let mut total = 0;
    for name in FILES {
        let Some(bytes) = table_bytes(name) else {
            println!("skipped {name}: no tables/ file and no shared data (set MFNAS_DATA)");
            continue;
        };
        let t = codec::decode(&bytes).expect("a packed table decodes");
        println!(
            "{name}: {} bytes, {} rows x {} columns",
            bytes.len(),
            t.n_rows(),
            t.columns().len()
        );
        if !name.ends_with("curves200") {
            total += bytes.len();
        }
        c.bench_function(&format!("decode {name}"), |b| {
            b.iter(|| codec::decode(black_box(&bytes)).unwrap())
        });
    }
    println!("the three dataset tables together: {total} bytes");
}

criterion_group!(benches, decode);
criterion_main!(benches);
