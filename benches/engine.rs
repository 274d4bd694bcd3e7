//! Engine speed: one MF-NAS run and 500 runs on one core, one LS and one REA run, with the quality figure printed
//! beside the time so a faster but different result is noticed.
//!
//! Uses the packed cifar10 table when `tables/nb201-cifar10.mfnt` exists (run `mfnas pack`
//! first), else the synthetic table.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use mfnas::algo::config::{Algo, AlgoParams};
use mfnas::experiment::{run_once, run_seeds, summarize};
use mfnas::runner::space::TableSpace;
use mfnas::space::nb201::Nb201;
use mfnas::table::Table;

fn table() -> Table {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tables/nb201-cifar10.mfnt");
    match mfnas::table::load(&path) {
        Ok(t) => t,
        Err(_) => {
            eprintln!(
                "({} not found: benchmarking on the synthetic table)",
                path.display()
            );
            mfnas::table::synthetic::nb201_full_curves(1)
        }
    }
}

fn bench_mf_nas(c: &mut Criterion) {
    let table = table();
    let mut params = AlgoParams::new(Algo::MfNas);
    params.zc = Some("params".into());
    params.budget_s = Some(20_000.0);
    let plan = params.check(&table).expect("valid plan");
    let space = TableSpace::of(&table).expect("an NB201 table");
    let outcomes = run_seeds(&space, &table, &plan, 1, 500, |_| {}).expect("runs");
    let s = summarize(&plan, &outcomes, 1);
    eprintln!(
        "quality on {}: {:.2} ± {:.2} % over 500 runs, {:.0} s mean cost",
        s.table, s.mean, s.std, s.cost_s
    );

    c.bench_function("mf-nas (params) one run", |b| {
        b.iter(|| run_once(&Nb201, &table, &plan, black_box(7), false).unwrap())
    });
    let mut group = c.benchmark_group("mf-nas 500 runs");
    group.sample_size(10);
    group.bench_function("one core", |b| {
        b.iter(|| run_seeds(&space, &table, &plan, black_box(1), 500, |_| {}).unwrap())
    });
    group.finish();
    let ls = AlgoParams {
        budget_s: Some(20_000.0),
        ..AlgoParams::new(Algo::Ls)
    }
    .check(&table)
    .expect("valid plan");
    c.bench_function("ls one run", |b| {
        b.iter(|| run_once(&Nb201, &table, &ls, black_box(7), false).unwrap())
    });
    let rea = AlgoParams {
        budget_s: Some(20_000.0),
        ..AlgoParams::new(Algo::Rea)
    }
    .check(&table)
    .expect("valid plan");
    c.bench_function("rea one run", |b| {
        b.iter(|| run_once(&Nb201, &table, &rea, black_box(7), false).unwrap())
    });
}

criterion_group!(benches, bench_mf_nas);
criterion_main!(benches);
