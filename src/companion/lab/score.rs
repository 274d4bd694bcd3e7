//! Zero-cost proxies of any NB201 cell on the benchmark's own network (C = 16, N = 5) and a
//! seeded batch of the lab's real images: what the page's "Real proxies" panel shows and
//! `mfnas score` prints.

use super::LabImages;
use crate::companion::net::{Nb201Net, NetConfig};
use crate::companion::proxies::{ProxyEvaluator, ProxyScore, batch_from, check_name};
use crate::error::{Error, Result};
use crate::space::nb201::Nb201Arch;
use burn::tensor::Device;
use std::cell::RefCell;
use std::time::Duration;
use web_time::Instant;

/// The proxies the page computes: the two data-free size measures (exact, equal to the
/// table's), synflow (data-free, random weights) and NASWOT (data-dependent). The command
/// line accepts all 13.
pub const PAGE_PROXIES: [&str; 4] = ["params", "flops", "synflow", "nwot"];

/// Images in the proxy batch by default: small enough that one cell is scored in well under
/// a second in a browser (NAS-Bench-Suite-Zero used 64, so data-dependent scores differ in
/// scale from the published ones).
pub const DEFAULT_BATCH: usize = 16;

/// Scores cells on one seeded batch.
pub struct LabScorer {
    evaluator: ProxyEvaluator,
    /// Images in the batch.
    pub batch: usize,
    /// The seed of the batch draw and of every network's initial weights.
    pub seed: u64,
    /// The last cell's network and how long building it took: the page asks for its proxies
    /// one by one, and building the network (drawing its weights) is a good part of each.
    last: RefCell<Option<(Nb201Arch, Nb201Net, Duration)>>,
}

impl LabScorer {
    /// A scorer for the benchmark network on `batch` proxy images drawn (and augmented) with
    /// `seed`; every cell's initial weights are drawn from `seed` too. `device` must be an
    /// autodiff device.
    pub fn new(images: &LabImages, batch: usize, seed: u64, device: &Device) -> Result<Self> {
        let set = &images.proxy;
        if batch < 2 || batch > set.len() {
            return Err(Error::param(format!(
                "proxy batch of {batch} images: choose 2 to {} (the lab set's proxy images)",
                set.len()
            )));
        }
        let norm = set.channel_stats();
        let b = batch_from(set, &norm, batch, seed, device)?;
        let net = NetConfig {
            in_channels: set.channels,
            ..NetConfig::nb201(set.classes.len())
        };
        Ok(Self {
            evaluator: ProxyEvaluator::new(net, b, seed, device),
            batch,
            seed,
            last: RefCell::new(None),
        })
    }

    /// Computes proxy `name` for `arch`, timed (network construction included, as if the
    /// proxy were computed alone; the network of the last cell is built once).
    pub fn score(&self, arch: Nb201Arch, name: &str) -> Result<ProxyScore> {
        check_name(name)?;
        let mut last = self.last.borrow_mut();
        if !matches!(&*last, Some((a, ..)) if *a == arch) {
            let start = Instant::now();
            let net = self.evaluator.network(arch);
            *last = Some((arch, net, start.elapsed()));
        }
        let (_, net, built) = last.as_ref().expect("set above");
        self.evaluator
            .score_network(net, arch, name, Instant::now() - *built)
    }
}

/// Parses a list of proxy names separated by commas (`all` for the 13, `page` for the
/// page's four), checking each.
pub fn parse_proxies(text: &str) -> Result<Vec<String>> {
    let names: Vec<String> = match text.trim() {
        "all" => crate::companion::proxies::ALL
            .iter()
            .map(|s| s.to_string())
            .collect(),
        "page" => PAGE_PROXIES.iter().map(|s| s.to_string()).collect(),
        t => t
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    };
    if names.is_empty() {
        return Err(Error::param(
            "no proxies given; name some (e.g. params,flops,synflow,nwot), or say all",
        ));
    }
    for n in &names {
        check_name(n)?;
    }
    Ok(names)
}

/// Parses an architecture as the page and `mfnas score` accept it: anything
/// [`Nb201Arch::parse_any`] reads, or a bare NB201 index (at most 5 digits; 6 digits are a
/// genotype).
pub fn parse_arch(text: &str) -> Result<Nb201Arch> {
    let t = text.trim();
    if !t.is_empty() && t.len() <= 5 && t.bytes().all(|b| b.is_ascii_digit()) {
        let i: u32 = t.parse().expect("digits");
        return Nb201Arch::from_index(i);
    }
    Nb201Arch::parse_any(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_number_is_an_nb201_index_and_six_digits_a_genotype() {
        assert_eq!(
            parse_arch("9930").unwrap(),
            Nb201Arch::from_index(9930).unwrap()
        );
        assert_eq!(
            parse_arch("#9930").unwrap(),
            Nb201Arch::from_index(9930).unwrap()
        );
        assert_eq!(
            parse_arch("334131").unwrap(),
            Nb201Arch::parse_genotype("334131").unwrap()
        );
        assert!(parse_arch("15625").is_err());
        assert!(parse_arch("conv").is_err());
    }

    #[test]
    fn proxy_lists_are_checked_and_all_and_page_expand() {
        assert_eq!(parse_proxies("page").unwrap(), PAGE_PROXIES);
        assert_eq!(parse_proxies("all").unwrap().len(), 13);
        assert_eq!(
            parse_proxies(" synflow, nwot ").unwrap(),
            ["synflow", "nwot"]
        );
        let e = parse_proxies("synflow,bogus").unwrap_err().to_string();
        assert!(e.contains("bogus") && e.contains("choose from"), "{e}");
        assert!(parse_proxies(" , ").is_err());
    }
}
