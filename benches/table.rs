//! Decode time of the packed NB201 tables (`tables/*.mfnt` if present, else packed from
//! the shared data). Prints each table's size beside its time. Beside the full decode of
//! cifar10: decoding only the columns one MF-NAS (params) run reads, as `mfnas run` does,
//! and that decode followed by the run itself.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use mfnas::algo::config::{Algo, AlgoParams};
use mfnas::experiment::run_once;
use mfnas::space::nb201::Nb201;
use mfnas::table::codec;
use std::path::PathBuf;

/// The columns an MF-NAS run with the params proxy reads on an NB201 table (its proxy's
/// score and time, the stage-1 fidelity and the ladder's, the training time, the test
/// accuracy); `mfnas run` finds them from the plan (`src/bin/mfnas/tables.rs`).
const MF_NAS_PARAMS_COLUMNS: [&str; 6] = [
    "zc:params",
    "zc_time:params",
    "val_acc@12@hp12",
    "val_acc@200",
    "train_time_per_epoch",
    "test_acc@200",
];

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
    use mfnas::sources::nb201::{pack_nb201, pack_nb201_curves};
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
    let Some(bytes) = table_bytes("nb201-cifar10") else {
        return;
    };
    let pick = |s: &mfnas::table::ColumnSpec| MF_NAS_PARAMS_COLUMNS.contains(&s.name.as_str());
    c.bench_function("decode nb201-cifar10, the columns of one MF-NAS run", |b| {
        b.iter(|| codec::decode_selected(black_box(&bytes), pick).unwrap())
    });
    let mut params = AlgoParams::new(Algo::MfNas);
    params.zc = Some("params".into());
    c.bench_function("decode those columns and run MF-NAS (params) once", |b| {
        b.iter(|| {
            let t = codec::decode_selected(black_box(&bytes), pick).unwrap();
            let plan = params.check(&t).unwrap();
            run_once(&Nb201, &t, &plan, 1, false).unwrap().0
        })
    });
}

criterion_group!(benches, decode);
criterion_main!(benches);
