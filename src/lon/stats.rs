//! Rank statistics between a metric and test accuracy: Spearman's rho with average ranks,
//! Kendall's tau-b with ties in `O(n log n)` (Knight's algorithm), and the overlap of top
//! fractions.

/// Ranks from 1, equal values sharing the average of their ranks. `values` must not hold `NaN`.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && values[order[j]] == values[order[i]] {
            j += 1;
        }
        // Positions i..j (0-based) share ranks i+1..=j.
        let r = (i + 1 + j) as f64 / 2.0;
        for &k in &order[i..j] {
            ranks[k] = r;
        }
        i = j;
    }
    ranks
}

/// Pearson's correlation; `None` when fewer than two pairs or a side is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    assert_eq!(x.len(), y.len());
    let n = x.len();
    if n < 2 {
        return None;
    }
    let mx = x.iter().sum::<f64>() / n as f64;
    let my = y.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    Some(sxy / (sxx * syy).sqrt())
}

/// Spearman's rank correlation (Pearson's correlation of the average ranks).
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    pearson(&average_ranks(x), &average_ranks(y))
}

/// Kendall's tau-b, which corrects for ties on either side; `None` when fewer than two
/// pairs or a side is constant.
pub fn kendall_tau_b(x: &[f64], y: &[f64]) -> Option<f64> {
    assert_eq!(x.len(), y.len());
    let n = x.len();
    if n < 2 {
        return None;
    }
    let mut pairs: Vec<(f64, f64)> = x.iter().copied().zip(y.iter().copied()).collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let tied_pairs = |same: &dyn Fn(usize, usize) -> bool| -> u64 {
        let mut total = 0u64;
        let mut run = 1u64;
        for i in 1..n {
            if same(i - 1, i) {
                run += 1;
            } else {
                total += run * (run - 1) / 2;
                run = 1;
            }
        }
        total + run * (run - 1) / 2
    };
    let ties_x = tied_pairs(&|a, b| pairs[a].0 == pairs[b].0);
    let ties_xy = tied_pairs(&|a, b| pairs[a] == pairs[b]);
    // Sorting by y (stable merge sort) counts the pairs out of order: the discordant ones.
    let mut ys: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let mut buf = vec![0.0; n];
    let swaps = merge_count(&mut ys, &mut buf);
    let ties_y = {
        let mut total = 0u64;
        let mut run = 1u64;
        for i in 1..n {
            if ys[i] == ys[i - 1] {
                run += 1;
            } else {
                total += run * (run - 1) / 2;
                run = 1;
            }
        }
        total + run * (run - 1) / 2
    };
    let all = (n as u64) * (n as u64 - 1) / 2;
    let (nx, ny) = (all - ties_x, all - ties_y);
    if nx == 0 || ny == 0 {
        return None;
    }
    // concordant − discordant = all − ties_x − ties_y + ties_xy − 2·discordant
    let num = all as f64 - ties_x as f64 - ties_y as f64 + ties_xy as f64 - 2.0 * swaps as f64;
    Some(num / ((nx as f64) * (ny as f64)).sqrt())
}

/// Sorts `v` ascending and returns the number of inversions (pairs with `v[i] > v[j]`, `i < j`).
fn merge_count(v: &mut [f64], buf: &mut [f64]) -> u64 {
    let n = v.len();
    let mut swaps = 0u64;
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                if v[j] < v[i] {
                    swaps += (mid - i) as u64;
                    buf[k] = v[j];
                    j += 1;
                } else {
                    buf[k] = v[i];
                    i += 1;
                }
                k += 1;
            }
            buf[k..k + (mid - i)].copy_from_slice(&v[i..mid]);
            k += mid - i;
            buf[k..k + (end - j)].copy_from_slice(&v[j..end]);
            v[start..end].copy_from_slice(&buf[start..end]);
            start = end;
        }
        width *= 2;
    }
    swaps
}

/// The `k` indices with the largest values, larger first, equal values by smaller index.
/// `NaN` and `-inf` (missing) never enter.
pub fn top_k(values: &[f64], k: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..values.len())
        .filter(|&i| !values[i].is_nan() && values[i] != f64::NEG_INFINITY)
        .collect();
    idx.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    idx.truncate(k);
    idx
}

/// How many of the `k` best by `reference` are among the `k` best by `metric` (see
/// [`top_k`] for ties and missing values).
pub fn top_overlap(metric: &[f64], reference: &[f64], k: usize) -> usize {
    let mut a = top_k(metric, k);
    let b = top_k(reference, k);
    a.sort_unstable();
    b.iter().filter(|i| a.binary_search(i).is_ok()).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kendall_naive(x: &[f64], y: &[f64]) -> Option<f64> {
        let n = x.len();
        let (mut c, mut d, mut tx, mut ty) = (0i64, 0i64, 0i64, 0i64);
        for i in 0..n {
            for j in (i + 1)..n {
                let a = (x[i] - x[j]).signum() * if x[i] == x[j] { 0.0 } else { 1.0 };
                let b = (y[i] - y[j]).signum() * if y[i] == y[j] { 0.0 } else { 1.0 };
                if a == 0.0 && b == 0.0 {
                } else if a == 0.0 {
                    tx += 1;
                } else if b == 0.0 {
                    ty += 1;
                } else if a == b {
                    c += 1;
                } else {
                    d += 1;
                }
            }
        }
        let den = (((c + d + tx) * (c + d + ty)) as f64).sqrt();
        (den > 0.0).then(|| (c - d) as f64 / den)
    }

    #[test]
    fn equal_values_share_the_average_rank() {
        assert_eq!(average_ranks(&[3., 1., 3., 2.]), vec![3.5, 1.0, 3.5, 2.0]);
    }

    #[test]
    fn a_reversed_order_has_rank_correlations_of_minus_one() {
        let x = [1., 2., 3., 4., 5.];
        let y = [50., 40., 30., 20., 10.];
        assert!((spearman(&x, &y).unwrap() + 1.0).abs() < 1e-12);
        assert!((kendall_tau_b(&x, &y).unwrap() + 1.0).abs() < 1e-12);
    }

    #[test]
    fn kendall_tau_b_matches_a_hand_computed_example_with_ties() {
        // x = 1 2 2 3, y = 1 3 2 3. Pairs: (1,2) (1,3) (1,4) (3,4) concordant, (2,3) tied
        // in x only, (2,4) tied in y only: tau_b = 4 / sqrt((4 + 1)(4 + 1)) = 0.8.
        let t = kendall_tau_b(&[1., 2., 2., 3.], &[1., 3., 2., 3.]).unwrap();
        assert!((t - 0.8).abs() < 1e-12, "{t}");
    }

    #[test]
    fn a_constant_side_has_no_correlation() {
        assert_eq!(spearman(&[1., 1., 1.], &[1., 2., 3.]), None);
        assert_eq!(kendall_tau_b(&[1., 2., 3.], &[4., 4., 4.]), None);
    }

    #[test]
    fn top_k_breaks_ties_by_index_and_skips_missing() {
        let v = [1., f64::NEG_INFINITY, 5., 5., f64::NAN, 3.];
        assert_eq!(top_k(&v, 3), vec![2, 3, 5]);
        assert_eq!(top_k(&v, 10), vec![2, 3, 5, 0]);
    }

    #[test]
    fn the_top_overlap_counts_shared_members() {
        let m = [9., 8., 7., 1., 0.];
        let r = [9., 1., 8., 7., 0.];
        assert_eq!(top_overlap(&m, &r, 2), 1);
        assert_eq!(top_overlap(&m, &r, 3), 2);
    }

    proptest! {
        #[test]
        fn kendall_in_n_log_n_equals_the_pairwise_definition(
            pairs in prop::collection::vec((0u8..6, 0u8..6), 2..60)
        ) {
            let x: Vec<f64> = pairs.iter().map(|p| p.0 as f64).collect();
            let y: Vec<f64> = pairs.iter().map(|p| p.1 as f64).collect();
            match (kendall_tau_b(&x, &y), kendall_naive(&x, &y)) {
                (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-12, "{} vs {}", a, b),
                (a, b) => prop_assert_eq!(a, b),
            }
        }

        #[test]
        fn spearman_is_symmetric_and_bounded(
            pairs in prop::collection::vec((0u8..10, 0u8..10), 2..60)
        ) {
            let x: Vec<f64> = pairs.iter().map(|p| p.0 as f64).collect();
            let y: Vec<f64> = pairs.iter().map(|p| p.1 as f64).collect();
            let a = spearman(&x, &y);
            prop_assert_eq!(a, spearman(&y, &x));
            if let Some(r) = a {
                prop_assert!((-1.0 - 1e-12..=1.0 + 1e-12).contains(&r));
            }
        }
    }
}
