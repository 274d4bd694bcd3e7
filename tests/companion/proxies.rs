//! Real zero-cost proxies agree with the published NAS-Bench-Suite-Zero scores.

use super::companion_common;

use mfnas::companion::data::load_jpeg_tar;
use mfnas::companion::net::{NetConfig, cpu};
use mfnas::companion::proxies::{self, ProxyEvaluator, batch_from};
use mfnas::companion::report::{compare, load_published};
use mfnas::space::nb201::Nb201Arch;

fn evaluator(batch: usize) -> Option<ProxyEvaluator> {
    let dir = companion_common::cifar_jpg()?;
    let set = load_jpeg_tar(&dir.join("cifar10_train_jpg.tar.gz"), Some(20)).unwrap();
    let device = cpu().autodiff();
    let norm = set.channel_stats();
    let b = batch_from(&set, &norm, batch, 0, &device).unwrap();
    Some(ProxyEvaluator::new(NetConfig::nb201(10), b, 0, &device))
}

#[test]
fn data_free_proxies_rank_architectures_like_the_published_scores() {
    let Some(eval) = evaluator(64) else { return };
    let path = companion_common::data_dir().join("nb201/pprp_ArchVizD3/zc_nasbench201_20p.json");
    let Ok(published) = load_published(&path) else {
        companion_common::skip(&format!("no {}", path.display()));
        return;
    };
    // 24 architectures keep this test near a minute on two cores; the README's table uses more.
    let rows = compare(&eval, &published, &proxies::DATA_FREE, 24, 7, |_| {}).unwrap();
    for r in &rows {
        eprintln!("{}: rho {:.3} over {}", r.proxy, r.spearman, r.n);
        assert!(r.spearman > 0.95, "{} Spearman {:.3}", r.proxy, r.spearman);
    }
}

#[test]
fn every_proxy_gives_a_finite_score_for_a_connected_cell() {
    let Some(eval) = evaluator(16) else { return };
    let arch = Nb201Arch::from_index(9930).unwrap();
    for name in proxies::ALL {
        let s = eval.score(arch, name).unwrap();
        assert!(s.score.is_finite(), "{name} = {}", s.score);
        assert!(s.seconds >= 0.0);
    }
}

#[test]
fn an_unknown_proxy_name_lists_the_known_ones() {
    let e = proxies::check_name("synflw").unwrap_err();
    assert!(e.message().contains("synflow"));
}
