//! The `gpu` feature: the same networks on burn's `wgpu` backend agree with the CPU (`flex`).
//! On a machine without a GPU, wgpu runs on a software driver (Mesa's lavapipe, Vulkan on the
//! CPU); with no adapter at all the tests record a skip, or fail under MFNAS_REQUIRE_DATA=1.
#![cfg(feature = "gpu")]

use super::companion_common;

use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::{GradientsParams, SgdConfig};
use burn::tensor::{Device, Int, Tensor, TensorData};
use mfnas::companion::device::{DeviceChoice, open};
use mfnas::companion::net::{Nb201Net, NetConfig, cpu};
use mfnas::companion::proxies::{ProxyBatch, ProxyEvaluator};
use mfnas::rng::Rng;
use mfnas::space::nb201::Nb201Arch;

/// Float32 kernels of two backends sum in other orders: relative differences measured on
/// lavapipe were at most 1e-7 (logits 7e-8, grad_norm 3e-8, zen 1e-7, synflow in float64
/// 0); the bound leaves room for a real GPU's other summation orders.
const REL_TOL: f64 = 1e-5;

/// The GPU device, or a recorded skip (a failure under MFNAS_REQUIRE_DATA=1).
fn gpu() -> Option<Device> {
    match open(DeviceChoice::Gpu) {
        Ok(d) => {
            eprintln!("wgpu device: {}", d.name);
            Some(d.device)
        }
        Err(e) => {
            companion_common::skip(&format!("no wgpu adapter: {e}"));
            None
        }
    }
}

fn small() -> NetConfig {
    NetConfig {
        channels: 4,
        cells_per_stage: 1,
        num_classes: 10,
        in_channels: 3,
    }
}

/// A cell with every op kind: conv 3×3, conv 1×1, pooling, skip and none.
fn arch() -> Nb201Arch {
    Nb201Arch::parse_genotype("341320").unwrap()
}

/// A fixed batch of `n` 16×16 images and labels, built on `device`.
fn batch(n: usize, device: &Device) -> (Tensor<4>, Tensor<1, Int>) {
    let mut rng = Rng::new(5);
    let x: Vec<f32> = (0..n * 3 * 16 * 16)
        .map(|_| rng.unit() as f32 * 2.0 - 1.0)
        .collect();
    let y: Vec<i64> = (0..n).map(|i| (i % 10) as i64).collect();
    (
        Tensor::from_data(TensorData::new(x, [n, 3, 16, 16]), device),
        Tensor::from_data(TensorData::new(y, [n]), device),
    )
}

fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().try_to_vec::<f32>().unwrap()
}

/// max |a − b| / max |a|.
fn rel_diff(a: &[f32], b: &[f32]) -> f64 {
    assert_eq!(a.len(), b.len());
    let scale = a.iter().fold(0f64, |m, v| m.max(v.abs() as f64)).max(1e-30);
    let diff = a
        .iter()
        .zip(b)
        .fold(0f64, |m, (x, y)| m.max((*x as f64 - *y as f64).abs()));
    diff / scale
}

#[test]
fn a_seed_gives_the_same_weights_and_the_forward_pass_agrees_with_the_cpu() {
    let Some(gpu) = gpu() else { return };
    let cpu = cpu();
    let a = Nb201Net::seeded(arch(), &small(), &cpu, 9);
    let b = Nb201Net::seeded(arch(), &small(), &gpu, 9);
    // Weights are drawn on the CPU and moved: bit for bit the same.
    assert_eq!(
        values(a.classifier.weight.val()),
        values(b.classifier.weight.val())
    );
    assert_eq!(values(a.stem.val()), values(b.stem.val()));
    let ya = values(a.forward(batch(8, &cpu).0));
    let yb = values(b.forward(batch(8, &gpu).0));
    let rel = rel_diff(&ya, &yb);
    eprintln!("forward: max relative difference gpu vs cpu {rel:.2e}");
    assert!(rel < REL_TOL, "gpu logits differ from cpu by {rel:.2e}");
}

#[test]
fn parameter_counts_are_the_same_on_both_devices() {
    let Some(gpu) = gpu() else { return };
    for genotype in ["341320", "000000", "333333", "122114"] {
        let arch = Nb201Arch::parse_genotype(genotype).unwrap();
        let config = NetConfig::nb201(10);
        let c = Nb201Net::seeded(arch, &config, &cpu(), 1).trainable_params();
        let g = Nb201Net::seeded(arch, &config, &gpu, 1).trainable_params();
        assert_eq!(c, g, "{genotype}");
        assert!(c > 0);
    }
}

/// One SGD step on `device`: the batch loss before and after.
fn one_step(device: &Device) -> (f64, f64) {
    let device = device.clone().autodiff();
    let net = Nb201Net::seeded(arch(), &small(), &device, 4);
    let (x, y) = batch(16, &device);
    let ce = CrossEntropyLossConfig::new().init(&device);
    let loss = ce.forward(net.forward(x.clone()), y.clone());
    let before: f32 = loss.clone().into_scalar();
    let grads = GradientsParams::from_grads(loss.backward(), &net);
    let mut optim = SgdConfig::new().init();
    let net = optim.step(0.05, net, grads);
    let after: f32 = ce.forward(net.forward(x), y).into_scalar();
    (before as f64, after as f64)
}

#[test]
fn one_training_step_on_the_gpu_lowers_the_loss_as_on_the_cpu() {
    let Some(gpu) = gpu() else { return };
    let (gb, ga) = one_step(&gpu);
    let (cb, ca) = one_step(&cpu());
    eprintln!("loss before/after one step: gpu {gb:.6}/{ga:.6}, cpu {cb:.6}/{ca:.6}");
    assert!(ga.is_finite() && ga < gb, "gpu: {gb} -> {ga}");
    assert!(
        (gb - cb).abs() / cb < REL_TOL,
        "loss before: gpu {gb} cpu {cb}"
    );
    assert!(
        (ga - ca).abs() / ca < REL_TOL,
        "loss after: gpu {ga} cpu {ca}"
    );
}

#[test]
fn proxies_on_the_gpu_agree_with_the_cpu() {
    let Some(gpu) = gpu() else { return };
    let score = |device: &Device, name: &str| {
        let device = device.clone().autodiff();
        let (x, y) = batch(8, &device);
        let eval = ProxyEvaluator::new(small(), ProxyBatch { x, y }, 3, &device);
        eval.score(arch(), name).unwrap().score
    };
    // grad_norm: a backward pass; synflow: float64 and no batch norm; zen: Gaussian weights
    // and inputs drawn on the CPU for both.
    for name in ["grad_norm", "synflow", "zen"] {
        let (c, g) = (score(&cpu(), name), score(&gpu, name));
        let rel = (c - g).abs() / c.abs().max(1e-30);
        eprintln!("{name}: cpu {c} gpu {g} relative difference {rel:.2e}");
        assert!(c.is_finite() && c != 0.0, "{name} on cpu: {c}");
        assert!(rel < REL_TOL, "{name}: cpu {c} gpu {g}");
    }
}
