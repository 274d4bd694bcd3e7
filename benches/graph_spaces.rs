//! Speed of the NB101 / NB-ASR space operations that searches call on every step: the table
//! key (canonical form), the official hash, and the 1-opt neighbourhood.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use mfnas::rng::Rng;
use mfnas::space::SearchSpace;
use mfnas::space::nb101::Nb101;
use mfnas::space::nbasr::NbAsr;

fn bench(c: &mut Criterion) {
    let mut rng = Rng::new(1);
    let cells: Vec<_> = (0..256).map(|_| Nb101.sample(&mut rng)).collect();
    let asr: Vec<_> = (0..256).map(|_| NbAsr.sample(&mut rng)).collect();
    // Quality figure beside the time: how many distinct networks the sample holds.
    let mut keys: Vec<u64> = cells.iter().map(|&a| Nb101.key(a)).collect();
    keys.sort_unstable();
    keys.dedup();
    println!("nb101 sample: 256 specs, {} distinct networks", keys.len());
    let mut i = 0;
    c.bench_function("nb101 key (canonical form)", |b| {
        b.iter(|| {
            i = (i + 1) % cells.len();
            black_box(Nb101.key(black_box(cells[i])))
        })
    });
    c.bench_function("nb101 official hash", |b| {
        b.iter(|| {
            i = (i + 1) % cells.len();
            black_box(cells[i].hash())
        })
    });
    let mut out = Vec::new();
    c.bench_function("nb101 1-opt neighbourhood", |b| {
        b.iter(|| {
            i = (i + 1) % cells.len();
            out.clear();
            Nb101.neighbours_1opt(black_box(cells[i]), &mut out);
            black_box(out.len())
        })
    });
    c.bench_function("nbasr key", |b| {
        b.iter(|| {
            i = (i + 1) % asr.len();
            black_box(NbAsr.key(black_box(asr[i])))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
