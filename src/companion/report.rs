//! Agreement of our proxies with the published NAS-Bench-Suite-Zero scores: Spearman's rank
//! correlation per proxy over a seeded sample of the architectures that have published
//! scores (the 1,562-architecture CIFAR-10 sample `pprp_ArchVizD3/zc_nasbench201_20p.json`).

use super::proxies::ProxyEvaluator;
use super::stats::spearman;
use crate::error::{Error, ErrorKind, Result};
use crate::rng::Rng;
use crate::space::nb201::Nb201Arch;
use std::path::Path;

/// Published scores and compute times of one architecture.
#[derive(Debug, Clone)]
pub struct Published {
    /// The architecture.
    pub arch: Nb201Arch,
    /// (proxy, score, seconds).
    pub scores: Vec<(String, f64, f64)>,
}

/// Reads the NAS-Bench-Suite-Zero sample file (keys are NASLib tuples; each proxy has
/// `score` and `time`).
pub fn load_published(path: &Path) -> Result<Vec<Published>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", path.display())))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Error::new(
            ErrorKind::SourceData,
            format!("{} is not JSON: {e}", path.display()),
        )
    })?;
    let obj = v.as_object().ok_or_else(|| {
        Error::new(
            ErrorKind::SourceData,
            format!(
                "{}: expected an object keyed by NASLib tuples",
                path.display()
            ),
        )
    })?;
    let mut out = Vec::new();
    for (key, entry) in obj {
        let arch = Nb201Arch::parse_naslib(key)?;
        let mut scores = Vec::new();
        if let Some(m) = entry.as_object() {
            for (name, val) in m {
                if let (Some(s), Some(t)) = (
                    val.get("score").and_then(|x| x.as_f64()),
                    val.get("time").and_then(|x| x.as_f64()),
                ) {
                    scores.push((name.clone(), s, t));
                }
            }
        }
        out.push(Published { arch, scores });
    }
    out.sort_by_key(|p| p.arch.index());
    Ok(out)
}

/// One proxy's agreement.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Agreement {
    /// Proxy name.
    pub proxy: String,
    /// Architectures compared.
    pub n: usize,
    /// Spearman's ρ between our and the published scores.
    pub spearman: f64,
    /// Our mean milliseconds per architecture.
    pub ours_ms: f64,
    /// The published mean compute time, milliseconds (their GPU).
    pub published_ms: f64,
}

/// Computes `names` for `sample` architectures drawn with `seed` from `published`, and
/// compares. `progress(done)` is called after each architecture.
pub fn compare(
    eval: &ProxyEvaluator,
    published: &[Published],
    names: &[&str],
    sample: usize,
    seed: u64,
    mut progress: impl FnMut(usize),
) -> Result<Vec<Agreement>> {
    let mut rng = Rng::new(seed);
    let picked = rng.sample_indices(published.len(), sample.min(published.len()));
    let mut ours: Vec<Vec<(f64, f64)>> = vec![Vec::new(); names.len()];
    let mut theirs: Vec<Vec<(f64, f64)>> = vec![Vec::new(); names.len()];
    for (done, &i) in picked.iter().enumerate() {
        let p = &published[i];
        for (k, name) in names.iter().enumerate() {
            let Some(&(_, s, t)) = p.scores.iter().find(|(n, _, _)| n == name) else {
                continue;
            };
            let mine = eval.score(p.arch, name)?;
            ours[k].push((mine.score, mine.seconds));
            theirs[k].push((s, t));
        }
        progress(done + 1);
    }
    Ok(names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            // Non-finite scores rank lowest, as the search treats them.
            let fix = |v: f64| if v.is_finite() { v } else { f64::MIN };
            let a: Vec<f64> = ours[k].iter().map(|x| fix(x.0)).collect();
            let b: Vec<f64> = theirs[k].iter().map(|x| fix(x.0)).collect();
            let n = a.len().max(1) as f64;
            Agreement {
                proxy: name.to_string(),
                n: a.len(),
                spearman: spearman(&a, &b),
                ours_ms: 1e3 * ours[k].iter().map(|x| x.1).sum::<f64>() / n,
                published_ms: 1e3 * theirs[k].iter().map(|x| x.1).sum::<f64>() / n,
            }
        })
        .collect())
}

/// The agreements as a Markdown table.
pub fn markdown(rows: &[Agreement]) -> String {
    let mut s = String::from(
        "| proxy | archs | Spearman ρ vs published | ours, ms/arch (this CPU) | published, ms/arch |\n|---|---:|---:|---:|---:|\n",
    );
    for r in rows {
        s.push_str(&format!(
            "| {} | {} | {:.3} | {:.0} | {:.0} |\n",
            r.proxy, r.n, r.spearman, r.ours_ms, r.published_ms
        ));
    }
    s
}
