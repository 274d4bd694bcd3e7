//! Landscape analysis speed: one metric's full LON (target < 50 ms) and the whole grid.
//!
//! Runs on synthetic NB201 tables (all 15,625 architectures); the work does not depend on
//! where the numbers come from, only on the number of optima, which is printed beside.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use mfnas::lon::export::{GraphKind, landscape_json};
use mfnas::lon::landscape::Landscape;
use mfnas::lon::report;
use mfnas::space::nb201::Nb201;
use mfnas::table::synthetic;

fn one_metric(c: &mut Criterion) {
    let table = synthetic::nb201_full_curves(1);
    let land = Landscape::new(&Nb201, &table).unwrap();
    for metric in ["synflow", "train_loss@200"] {
        let s = land.analyse(metric).unwrap().summary;
        eprintln!(
            "{metric}: {} optima, {} LON edges, {} CMLON plateaus",
            s.n_optima, s.n_lon_edges, s.n_cmlon_nodes
        );
        c.bench_function(&format!("lon/analyse/{metric}"), |b| {
            b.iter(|| black_box(land.analyse(black_box(metric)).unwrap()))
        });
    }
    c.bench_function("lon/neighbourhood", |b| {
        b.iter(|| black_box(Landscape::new(&Nb201, black_box(&table)).unwrap()))
    });
    c.bench_function("lon/from_scratch_json/train_loss@200", |b| {
        b.iter(|| {
            black_box(landscape_json(&Nb201, &table, "train_loss@200", GraphKind::Mlon).unwrap())
        })
    });
}

fn whole_grid(c: &mut Criterion) {
    let tables: Vec<_> = (1..=3).map(synthetic::nb201_full_curves).collect();
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
