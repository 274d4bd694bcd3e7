//! Synthetic NB201 tables for tests and demos: every fidelity the paper asks for, made
//! from a seed by a smooth made-up model. They are labelled synthetic everywhere and never
//! mixed with real data.

use super::{Column, ColumnSpec, Fidelity, Role, Table, TableMeta};
use crate::rng::Rng;
use crate::space::nb201::{N_ARCHS, Nb201Arch};

/// Epochs of the full curves a synthetic table carries.
pub const CURVE_EPOCHS: [u32; 5] = [12, 25, 50, 100, 200];

/// A synthetic NB201 table with validation accuracy and training loss at 12/25/50/100/200
/// epochs, hp12 accuracy, test accuracy, train time, two proxies with times, and the
/// FreeREA proxies. Rows are in NB201 index order.
pub fn nb201_full_curves(seed: u64) -> Table {
    let mut rng = Rng::new(seed);
    // Per-op quality and cost contributions: convolutions help, none hurts.
    let op_gain = [-4.0, 0.5, 1.5, 2.5, 0.2];
    let mut quality = Vec::with_capacity(N_ARCHS);
    let mut keys = Vec::with_capacity(N_ARCHS);
    let mut time = Vec::with_capacity(N_ARCHS);
    let mut params = Vec::with_capacity(N_ARCHS);
    let mut skips = Vec::with_capacity(N_ARCHS);
    for idx in 0..N_ARCHS as u32 {
        let a = Nb201Arch::from_index(idx).expect("in range");
        keys.push(a.0 as u64);
        let g = a.genotype();
        let base: f64 = g.iter().map(|&o| op_gain[o as usize]).sum::<f64>()
            + if a.is_connected() { 0.0 } else { -30.0 };
        quality.push(base + 2.0 * (rng.unit() - 0.5));
        time.push(
            5.0 + g
                .iter()
                .map(|&o| [0.0, 0.1, 1.0, 2.5, 0.3][o as usize])
                .sum::<f64>(),
        );
        params.push(
            0.07 + g
                .iter()
                .map(|&o| [0.0, 0.0, 0.08, 0.2, 0.0][o as usize])
                .sum::<f64>(),
        );
        skips.push(a.mean_skipped_nodes());
    }
    // Accuracy rises with quality q (about -30..15) and epochs e, saturating below 100 %.
    let acc_at = |q: f64, e: u32, noise: f64| {
        10.0 + 80.0 / (1.0 + (-(q - 2.0) / 4.0).exp()) * (1.0 - (-(e as f64) / 40.0).exp()) + noise
    };
    let mut cols = Vec::new();
    let hp200 = |e| Some(Fidelity::new(e, "hp200"));
    for e in CURVE_EPOCHS {
        let v: Vec<f64> = quality.iter().map(|&q| acc_at(q, e, rng.unit())).collect();
        cols.push(Column::from_raw(
            ColumnSpec::new(Role::ValAcc, None, hp200(e), None, "%", "synthetic"),
            v,
        ));
        let l: Vec<f64> = quality
            .iter()
            .map(|&q| {
                2.5 * (-(e as f64) / 60.0).exp() / (1.0 + 0.05 * q.max(-15.0) + 0.8)
                    + 0.01 * rng.unit()
            })
            .collect();
        cols.push(Column::from_raw(
            ColumnSpec::new(Role::TrainLoss, None, hp200(e), None, "", "synthetic"),
            l,
        ));
    }
    let hp12: Vec<f64> = quality.iter().map(|&q| acc_at(q, 30, rng.unit())).collect();
    cols.push(Column::from_raw(
        ColumnSpec::new(
            Role::ValAcc,
            None,
            Some(Fidelity::new(12, "hp12")),
            None,
            "%",
            "synthetic",
        ),
        hp12,
    ));
    let test: Vec<f64> = quality
        .iter()
        .map(|&q| acc_at(q, 200, 0.5 * rng.unit()) + 1.0)
        .collect();
    cols.push(Column::from_raw(
        ColumnSpec::new(Role::TestAcc, None, hp200(200), None, "%", "synthetic"),
        test,
    ));
    cols.push(Column::from_raw(
        ColumnSpec::new(Role::TrainTimePerEpoch, None, None, None, "s", "synthetic"),
        time,
    ));
    let proxies: [(&str, Vec<f64>); 4] = [
        ("params", params.clone()),
        ("synflow", quality.iter().map(|&q| q + rng.unit()).collect()),
        (
            "freerea_logsynflow",
            quality
                .iter()
                .map(|&q| 100.0 + q + 3.0 * rng.unit())
                .collect(),
        ),
        (
            "freerea_naswot",
            quality
                .iter()
                .map(|&q| 700.0 + 2.0 * q + 5.0 * rng.unit())
                .collect(),
        ),
    ];
    for (name, v) in proxies {
        cols.push(Column::from_raw(
            ColumnSpec::new(Role::ZcScore, Some(name), None, None, "", "synthetic"),
            v,
        ));
        let mut t = ColumnSpec::new(Role::ZcTime, Some(name), None, None, "s", "synthetic");
        t.missing_cost = Some(0.5);
        cols.push(Column::from_raw(t, vec![0.5; N_ARCHS]));
    }
    cols.push(Column::from_raw(
        ColumnSpec::new(
            Role::ZcScore,
            Some("skip"),
            None,
            None,
            "edges",
            "synthetic",
        ),
        skips,
    ));
    let mut t = ColumnSpec::new(Role::ZcTime, Some("skip"), None, None, "s", "synthetic");
    t.missing_cost = Some(0.0);
    cols.push(Column::from_raw(t, vec![0.0; N_ARCHS]));
    let meta = TableMeta {
        space: "nb201".into(),
        dataset: "synthetic".into(),
        title: format!("NB201 synthetic full curves (seed {seed})"),
        notes: vec!["Synthetic numbers for tests and demos; not NAS-Bench-201 data.".into()],
    };
    Table::new(meta, keys, cols).expect("synthetic table is well formed")
}
