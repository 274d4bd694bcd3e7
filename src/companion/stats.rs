//! Small dense linear algebra and rank statistics the proxies and reports need, in f64.

/// Pearson correlation matrix of the rows of `rows` (each row one variable), like
/// `numpy.corrcoef`. A row without variance gives NaN entries, as numpy does.
pub fn corrcoef(rows: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = rows.len();
    let centred: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| {
            let m = r.iter().sum::<f64>() / r.len().max(1) as f64;
            r.iter().map(|v| v - m).collect()
        })
        .collect();
    let norms: Vec<f64> = centred
        .iter()
        .map(|r| r.iter().map(|v| v * v).sum::<f64>().sqrt())
        .collect();
    let mut c = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in i..n {
            let dot: f64 = centred[i].iter().zip(&centred[j]).map(|(a, b)| a * b).sum();
            let v = (dot / (norms[i] * norms[j])).clamp(-1.0, 1.0);
            let v = if norms[i] == 0.0 || norms[j] == 0.0 {
                f64::NAN
            } else {
                v
            };
            c[i][j] = v;
            c[j][i] = v;
        }
    }
    c
}

/// Eigenvalues of a symmetric matrix (cyclic Jacobi rotations), unsorted.
#[allow(clippy::needless_range_loop)] // rotations read best with row and column indices
pub fn symmetric_eigenvalues(m: &[Vec<f64>]) -> Vec<f64> {
    let n = m.len();
    let mut a: Vec<Vec<f64>> = m.to_vec();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k][p], a[k][q]);
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p][k], a[q][k]);
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
            }
        }
    }
    (0..n).map(|i| a[i][i]).collect()
}

/// `log |det m|` by LU decomposition with partial pivoting (`numpy.linalg.slogdet`'s second
/// value); `-inf` for a singular matrix.
#[allow(clippy::needless_range_loop)] // elimination reads best with row and column indices
pub fn log_abs_det(m: &[Vec<f64>]) -> f64 {
    let n = m.len();
    let mut a: Vec<Vec<f64>> = m.to_vec();
    let mut log = 0.0;
    for col in 0..n {
        let piv = (col..n)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .expect("non-empty");
        if a[piv][col] == 0.0 {
            return f64::NEG_INFINITY;
        }
        a.swap(piv, col);
        let d = a[col][col];
        log += d.abs().ln();
        for r in col + 1..n {
            let f = a[r][col] / d;
            if f != 0.0 {
                for k in col..n {
                    a[r][k] -= f * a[col][k];
                }
            }
        }
    }
    log
}

/// Ranks with ties given their average rank (1-based).
pub fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            r[idx[k]] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation of paired values (Pearson correlation of average ranks).
/// NaN when fewer than 2 pairs or one side is constant.
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    if a.len() < 2 {
        return f64::NAN;
    }
    let c = corrcoef(&[ranks(a), ranks(b)]);
    c[0][1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigenvalues_of_a_known_symmetric_matrix_are_found() {
        // [[2,1],[1,2]] has eigenvalues 1 and 3.
        let mut e = symmetric_eigenvalues(&[vec![2.0, 1.0], vec![1.0, 2.0]]);
        e.sort_by(f64::total_cmp);
        assert!((e[0] - 1.0).abs() < 1e-12 && (e[1] - 3.0).abs() < 1e-12);
    }

    #[test]
    fn log_abs_det_matches_the_product_of_pivots() {
        let m = vec![
            vec![0.0, 2.0, 0.0],
            vec![3.0, 0.0, 0.0],
            vec![0.0, 0.0, -4.0],
        ];
        assert!((log_abs_det(&m) - 24f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn spearman_is_one_for_monotone_pairs_and_minus_one_for_reversed() {
        let a = [1.0, 5.0, 2.0, 9.0];
        let b: Vec<f64> = a.iter().map(|x: &f64| x.exp()).collect();
        assert!((spearman(&a, &b) - 1.0).abs() < 1e-12);
        let c: Vec<f64> = a.iter().map(|x| -x).collect();
        assert!((spearman(&a, &c) + 1.0).abs() < 1e-12);
    }

    #[test]
    fn tied_values_share_their_average_rank() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0]), vec![2.5, 1.0, 2.5]);
    }
}
