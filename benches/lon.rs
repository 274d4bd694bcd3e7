//! Landscape analysis speed: one metric's full LON (target < 50 ms) and the whole grid.
//!
//! Runs on the packed real tables in `tables/` when they are there, else on synthetic NB201
//! tables (all 15,625 architectures either way); the work depends on the number of optima
//! (and of unscored optima), which is printed beside each time.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use mfnas::lon::export::{GraphKind, landscape_json};
use mfnas::lon::landscape::Landscape;
use mfnas::lon::report;
use mfnas::space::nb201::Nb201;
use mfnas::table::{Table, codec, synthetic};

const DATASETS: [&str; 3] = ["cifar10", "cifar100", "ImageNet16-120"];

/// The real tables if packed, else three synthetic ones.
fn tables() -> (Vec<Table>, bool) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tables");
    let real: Option<Vec<Table>> = DATASETS
        .iter()
        .map(|d| codec::load(dir.join(format!("nb201-{d}.mfnt"))).ok())
        .collect();
    match real {
        Some(t) => (t, true),
        None => ((1..=3).map(synthetic::nb201_full_curves).collect(), false),
    }
}

fn one_metric(c: &mut Criterion) {
    let (tables, real) = tables();
    let table = &tables[0];
    let land = Landscape::new(&Nb201, table).unwrap();
    let metrics: &[&str] = if real {
        &["nwot", "zc:epe_nas", "val_acc@200", "train_loss@200"]
    } else {
        &["synflow", "train_loss@200"]
    };
    eprintln!("table: {}", table.meta.title);
    for &metric in metrics {
        let s = land.analyse(metric).unwrap().summary;
        eprintln!(
            "{metric}: {} optima (+{} unscored), {} LON edges, {} CMLON plateaus",
            s.n_optima, s.n_unscored_optima, s.n_lon_edges, s.n_cmlon_nodes
        );
        c.bench_function(&format!("lon/analyse/{metric}"), |b| {
            b.iter(|| black_box(land.analyse(black_box(metric)).unwrap()))
        });
    }
    c.bench_function("lon/neighbourhood", |b| {
        b.iter(|| black_box(Landscape::new(&Nb201, black_box(table)).unwrap()))
    });
    c.bench_function("lon/from_scratch_json/train_loss@200", |b| {
        b.iter(|| {
            black_box(landscape_json(&Nb201, table, "train_loss@200", GraphKind::Mlon).unwrap())
        })
    });
}

fn whole_grid(c: &mut Criterion) {
    let (tables, _) = tables();
    let refs: Vec<_> = tables.iter().collect();
    let g = report::grid(&Nb201, &refs, None).unwrap();
    eprintln!("grid: {} landscapes", g.landscapes.len());
    let mut group = c.benchmark_group("lon/grid");
    group.sample_size(10);
    group.bench_function("3 tables sequential", |b| {
        b.iter(|| black_box(report::grid(&Nb201, black_box(&refs), None).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, one_metric, whole_grid);
criterion_main!(benches);
