//! The 13 zero-cost proxies of NAS-Bench-Suite-Zero, computed on a real network and a real
//! mini-batch, each following its paper's formula as NASLib implements it (the code behind the
//! published scores):
//!
//! | proxy | score |
//! |---|---|
//! | `params` | trainable parameters, millions |
//! | `flops` | forward FLOPs of one image, millions (conv MACs + BN 2/elem + ReLU 1/elem + pooling k²/output) |
//! | `l2_norm` | Σ over conv/linear layers of ‖W‖₂ |
//! | `grad_norm` | Σ over conv/linear layers of ‖∂L/∂W‖₂ |
//! | `snip` | Σ \|W ⊙ ∂L/∂W\| (Lee et al. 2019) |
//! | `plain` | Σ W ⊙ ∂L/∂W |
//! | `grasp` | Σ −W ⊙ (H ∂L/∂W) (Wang et al. 2020) |
//! | `fisher` | Σ over channels ½·mean_n(Σ_hw a ⊙ ∂L/∂a)² × fan-in (Turner et al. 2020) |
//! | `synflow` | log Σ \|θ ⊙ ∂R/∂θ\|, R = Σ f_{\|θ\|}(1), no BN, float64 (Tanaka et al. 2020) |
//! | `jacov` | −Σ log(λ+k) + 1/(λ+k) over eigenvalues of the input-Jacobian correlation (Mellor et al. v1) |
//! | `nwot` | log\|det K\|, K the Hamming kernel of ReLU codes (Mellor et al. 2021) |
//! | `epe_nas` | Σ_class \|Σ log(\|corr(J_class)\| + k)\| (Lopes et al. 2021) |
//! | `zen` | log E‖f(x) − f(x + 0.01ε)‖₁ + Σ_BN log √mean(σ²), Gaussian weights (Lin et al. 2021) |
//!
//! Batch norm uses batch statistics (the network is in training mode, as in NASLib).
//! GRASP's Hessian-gradient product is taken by central differences of the gradient in float64
//! (burn has no second-order autodiff); see `docs/COMPANION.md`.

use super::net::{Nb201Net, NetConfig, NoTap, Pass, Tap, Weight};
use super::stats::{corrcoef, log_abs_det, symmetric_eigenvalues};
use crate::error::{Error, Result};
use crate::space::nb201::Nb201Arch;
use burn::module::{Module, ModuleMapper, Param};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::tensor::{Device, Distribution, FloatDType, Int, Tensor};
use web_time::Instant;

/// Every proxy, in NAS-Bench-Suite-Zero's (alphabetical) order.
pub const ALL: [&str; 13] = crate::table::SUITE_ZERO_PROXIES;

/// The proxies that look at no data (weights and shapes only, or synthetic inputs).
pub const DATA_FREE: [&str; 4] = ["flops", "params", "synflow", "zen"];

/// One computed proxy.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProxyScore {
    /// Proxy name.
    pub name: String,
    /// The score (larger is better as the proxy is defined).
    pub score: f64,
    /// Wall seconds to compute it, including building the network.
    pub seconds: f64,
}

/// A mini-batch to score networks on.
#[derive(Debug, Clone)]
pub struct ProxyBatch {
    /// Normalised images `[n, c, h, w]`.
    pub x: Tensor<4>,
    /// Labels `[n]`.
    pub y: Tensor<1, Int>,
}

/// Checks a proxy name and explains the choices.
pub fn check_name(name: &str) -> Result<()> {
    if ALL.contains(&name) {
        Ok(())
    } else {
        Err(Error::param(format!(
            "unknown proxy {name:?}; choose from {}",
            ALL.join(", ")
        )))
    }
}

fn to_f64(t: Tensor<1>) -> Vec<f64> {
    t.into_data()
        .convert::<f64>()
        .try_into_vec::<f64>()
        .expect("converted to f64")
}

fn scalar(t: Tensor<1>) -> f64 {
    to_f64(t.sum())[0]
}

/// The weight tensors of the scored layers, each flattened.
fn weight_vals(net: &Nb201Net) -> Vec<Tensor<1>> {
    net.weights()
        .into_iter()
        .map(|w| match w {
            Weight::Conv(p) => p.val().flatten::<1>(0, 3),
            Weight::Linear(p) => p.val().flatten::<1>(0, 1),
        })
        .collect()
}

/// Gradients of the scored layers' weights, flattened (zeros where a weight got none).
fn weight_grads(net: &Nb201Net, grads: &burn::tensor::Gradients) -> Vec<Tensor<1>> {
    net.weights()
        .into_iter()
        .map(|w| match w {
            Weight::Conv(p) => p
                .val()
                .grad(grads)
                .unwrap_or_else(|| p.val().inner().zeros_like())
                .flatten::<1>(0, 3),
            Weight::Linear(p) => p
                .val()
                .grad(grads)
                .unwrap_or_else(|| p.val().inner().zeros_like())
                .flatten::<1>(0, 1),
        })
        .collect()
}

/// Cross-entropy of the batch.
fn loss(net: &Nb201Net, batch: &ProxyBatch, device: &Device) -> Tensor<1> {
    let logits = net.forward(batch.x.clone());
    CrossEntropyLossConfig::new()
        .init(device)
        .forward(logits, batch.y.clone())
}

/// Maps every parameter (not the BN running buffers) through `f`, as fresh gradient leaves.
struct MapParams<
    F: Fn(Tensor<4>) -> Tensor<4>,
    G: Fn(Tensor<1>) -> Tensor<1>,
    H: Fn(Tensor<2>) -> Tensor<2>,
> {
    f4: F,
    f1: G,
    f2: H,
}
impl<F, G, H> ModuleMapper for MapParams<F, G, H>
where
    F: Fn(Tensor<4>) -> Tensor<4>,
    G: Fn(Tensor<1>) -> Tensor<1>,
    H: Fn(Tensor<2>) -> Tensor<2>,
{
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        param.map(|t| {
            let t = t.detach();
            let out: Tensor<D> = match D {
                4 => reshape_from::<D, 4>((self.f4)(reshape_to::<D, 4>(t))),
                2 => reshape_from::<D, 2>((self.f2)(reshape_to::<D, 2>(t))),
                1 => reshape_from::<D, 1>((self.f1)(reshape_to::<D, 1>(t))),
                _ => t,
            };
            out.detach().require_grad()
        })
    }
}

fn reshape_to<const A: usize, const B: usize>(t: Tensor<A>) -> Tensor<B> {
    let dims: [usize; B] = t.dims()[..].try_into().expect("same rank");
    t.reshape(dims)
}
fn reshape_from<const A: usize, const B: usize>(t: Tensor<B>) -> Tensor<A> {
    reshape_to::<B, A>(t)
}

fn cast_f64(net: Nb201Net) -> Nb201Net {
    net.map(&mut MapParams {
        f4: |t: Tensor<4>| t.cast(FloatDType::F64),
        f1: |t: Tensor<1>| t.cast(FloatDType::F64),
        f2: |t: Tensor<2>| t.cast(FloatDType::F64),
    })
}

/// Computes zero-cost proxies of architectures on one batch.
pub struct ProxyEvaluator {
    /// The network shape (NB201's for benchmark comparisons).
    pub net: NetConfig,
    /// The mini-batch (on an autodiff device).
    pub batch: ProxyBatch,
    /// Seed of the network initialisation.
    pub seed: u64,
    device: Device,
    /// Image height and width (for FLOPs).
    pub hw: [usize; 2],
    /// GRASP's difference step relative to ‖W‖ (default 1e-6).
    pub grasp_step: f64,
}

impl ProxyEvaluator {
    /// An evaluator for networks of shape `net` on `batch`; `device` must be autodiff.
    pub fn new(net: NetConfig, batch: ProxyBatch, seed: u64, device: &Device) -> Self {
        let [_, _, h, w] = batch.x.dims();
        Self {
            net,
            batch,
            seed,
            device: device.clone(),
            hw: [h, w],
            grasp_step: 1e-6,
        }
    }

    /// The network of `arch` with its initial weights, the same for every proxy of one
    /// architecture (NASLib copies one net). Every weight is drawn at once under the
    /// process-wide generator lock, so that networks built on several threads at once get the
    /// same weights as one at a time.
    pub fn network(&self, arch: Nb201Arch) -> Nb201Net {
        let seed = self
            .seed
            .wrapping_mul(0x9E37_79B9)
            .wrapping_add(arch.0 as u64);
        Nb201Net::seeded(arch, &self.net, &self.device, seed)
    }

    /// Computes proxy `name` for `arch`, timed (building the network included).
    pub fn score(&self, arch: Nb201Arch, name: &str) -> Result<ProxyScore> {
        check_name(name)?;
        let start = Instant::now();
        let net = self.network(arch);
        self.score_network(&net, arch, name, start)
    }

    /// Computes each proxy of `names` for `arch` on one network built once (every proxy
    /// starts from the same weights either way). Each proxy's time counts the building, as if
    /// it had been computed alone.
    pub fn scores(&self, arch: Nb201Arch, names: &[&str]) -> Result<Vec<ProxyScore>> {
        for name in names {
            check_name(name)?;
        }
        let start = Instant::now();
        let net = self.network(arch);
        let built = start.elapsed();
        names
            .iter()
            .map(|name| self.score_network(&net, arch, name, Instant::now() - built))
            .collect()
    }

    /// Proxy `name` (checked by the caller) of `net`, the network of `arch` as
    /// [`Self::network`] built it, timed from `start`. `net` is left as it was: the proxy works
    /// on a copy that shares nothing with it (a clone would share the batch-norm running
    /// statistics, which a forward pass updates and synflow casts to float64).
    pub fn score_network(
        &self,
        net: &Nb201Net,
        arch: Nb201Arch,
        name: &str,
        start: Instant,
    ) -> Result<ProxyScore> {
        let net =
            Nb201Net::new(arch, &self.net, &self.device).load_record(net.clone().into_record());
        let score = match name {
            "params" => net.trainable_params() as f64 / 1e6,
            "flops" => net.flops(self.hw) / 1e6,
            "l2_norm" => weight_vals(&net)
                .into_iter()
                .map(|w| scalar(w.powi_scalar(2)).sqrt())
                .sum(),
            "grad_norm" | "snip" | "plain" => {
                let grads = loss(&net, &self.batch, &self.device).backward();
                let g = weight_grads(&net, &grads);
                let w = weight_vals(&net);
                match name {
                    "grad_norm" => g.into_iter().map(|g| scalar(g.powi_scalar(2)).sqrt()).sum(),
                    "snip" => g
                        .into_iter()
                        .zip(w)
                        .map(|(g, w)| scalar((g * w.inner()).abs()))
                        .sum(),
                    _ => g
                        .into_iter()
                        .zip(w)
                        .map(|(g, w)| scalar(g * w.inner()))
                        .sum(),
                }
            }
            "fisher" => self.fisher(&net),
            "grasp" => self.grasp(net),
            "synflow" => self.synflow(net),
            "jacov" => {
                let j = self.input_jacobian(&net);
                jacov_score(&j)
            }
            "epe_nas" => {
                let j = self.input_jacobian(&net);
                let labels: Vec<i64> = self
                    .batch
                    .y
                    .clone()
                    .into_data()
                    .convert::<i64>()
                    .try_into_vec::<i64>()
                    .expect("labels");
                epe_nas_score(&j, &labels, self.net.num_classes)
            }
            "nwot" => self.nwot(&net),
            "zen" => self.zen(net, arch),
            _ => unreachable!("checked above"),
        };
        Ok(ProxyScore {
            name: name.to_string(),
            score,
            seconds: start.elapsed().as_secs_f64(),
        })
    }

    fn fisher(&self, net: &Nb201Net) -> f64 {
        /// Adds a zero leaf to every conv/linear output so its gradient is ∂L/∂a.
        struct FisherTap {
            conv: Vec<(Tensor<4>, Tensor<4>)>,
            linear: Vec<(Tensor<2>, Tensor<2>)>,
        }
        impl Tap for FisherTap {
            fn conv_output(&mut self, x: Tensor<4>) -> Tensor<4> {
                let z = x.clone().inner().zeros_like().autodiff().require_grad();
                self.conv.push((x.clone().inner(), z.clone()));
                x + z
            }
            fn linear_output(&mut self, x: Tensor<2>) -> Tensor<2> {
                let z = x.clone().inner().zeros_like().autodiff().require_grad();
                self.linear.push((x.clone().inner(), z.clone()));
                x + z
            }
        }
        let mut tap = FisherTap {
            conv: Vec::new(),
            linear: Vec::new(),
        };
        let logits = net.forward_with(
            self.batch.x.clone(),
            &mut Pass {
                batch_norm: true,
                tap: &mut tap,
            },
        );
        let l = CrossEntropyLossConfig::new()
            .init(&self.device)
            .forward(logits, self.batch.y.clone());
        let grads = l.backward();
        // Layer fan-ins in forward order: the tap saw the layers in the same order.
        let fans: Vec<usize> = net
            .weights()
            .into_iter()
            .map(|w| match w {
                Weight::Conv(p) => {
                    let [_, i, kh, kw] = p.val().dims();
                    i * kh * kw
                }
                Weight::Linear(p) => p.val().dims()[0],
            })
            .collect();
        let mut total = 0.0;
        for ((act, z), fan) in tap.conv.into_iter().zip(&fans) {
            let Some(g) = z.grad(&grads) else { continue };
            // g_nk = Σ_hw a·g; del_k = ½ mean_n g_nk²; NASLib broadcasts del_k over the
            // k-th filter's c_in·k·k weights before summing.
            let g_nk = (act * g).sum_dim(3).sum_dim(2);
            let del = g_nk.powi_scalar(2).mean_dim(0).mul_scalar(0.5);
            total += scalar(del.flatten::<1>(0, 3)) * *fan as f64;
        }
        for (act, z) in tap.linear {
            let Some(g) = z.grad(&grads) else { continue };
            let del = (act * g).powi_scalar(2).mean_dim(0).mul_scalar(0.5);
            total += scalar(del.flatten::<1>(0, 1)) * *fans.last().expect("classifier") as f64;
        }
        total
    }

    /// Σ −W ⊙ H g. burn has no double backward, so H g is a central difference of gradients
    /// along g in float64, with every ReLU's on/off pattern frozen at W: that is the
    /// Hessian autograd differentiates (ReLU' piecewise constant), and without the freeze the
    /// quotient would pick up jumps at ReLU kinks that do not vanish with the step.
    fn grasp(&self, net: Nb201Net) -> f64 {
        /// Records ReLU masks, or replays them as fixed multipliers.
        struct MaskTap {
            masks: Vec<Tensor<4>>,
            replay: Option<usize>,
        }
        impl Tap for MaskTap {
            fn relu(&mut self, x: Tensor<4>) -> Tensor<4> {
                match self.replay.as_mut() {
                    None => {
                        let m = x
                            .clone()
                            .inner()
                            .greater_elem(0.0)
                            .float()
                            .cast(FloatDType::F64);
                        self.masks.push(m);
                        burn::tensor::activation::relu(x)
                    }
                    Some(i) => {
                        let m = self.masks[*i].clone();
                        *i += 1;
                        x * m
                    }
                }
            }
        }
        let net = cast_f64(net);
        let x = self.batch.x.clone().cast(FloatDType::F64);
        let ce = CrossEntropyLossConfig::new().init(&self.device);
        let mut tap = MaskTap {
            masks: Vec::new(),
            replay: None,
        };
        let logits = net.forward_with(
            x.clone(),
            &mut Pass {
                batch_norm: true,
                tap: &mut tap,
            },
        );
        let grads = ce.forward(logits, self.batch.y.clone()).backward();
        let g: Vec<Tensor<1>> = weight_grads(&net, &grads);
        let w: Vec<Tensor<1>> = weight_vals(&net).into_iter().map(|t| t.inner()).collect();
        let g_norm = g
            .iter()
            .map(|t| scalar(t.clone().powi_scalar(2)))
            .sum::<f64>()
            .sqrt();
        let w_norm = w
            .iter()
            .map(|t| scalar(t.clone().powi_scalar(2)))
            .sum::<f64>()
            .sqrt();
        if g_norm == 0.0 {
            return 0.0;
        }
        let eps = self.grasp_step * w_norm / g_norm;
        let ids: Vec<burn::module::ParamId> = net
            .weights()
            .into_iter()
            .map(|w| match w {
                Weight::Conv(p) => p.id,
                Weight::Linear(p) => p.id,
            })
            .collect();
        let mut shifted = |sign: f64| -> Vec<Tensor<1>> {
            let moved = net.clone().map(&mut ShiftWeights {
                ids: ids.clone(),
                g: &g,
                step: sign * eps,
            });
            tap.replay = Some(0);
            let logits = moved.forward_with(
                x.clone(),
                &mut Pass {
                    batch_norm: true,
                    tap: &mut tap,
                },
            );
            let grads = ce.forward(logits, self.batch.y.clone()).backward();
            weight_grads(&moved, &grads)
        };
        let plus = shifted(1.0);
        let minus = shifted(-1.0);
        let mut total = 0.0;
        for ((wi, p), m) in w.iter().zip(plus).zip(minus) {
            let hg = (p - m).div_scalar(2.0 * eps);
            total += scalar(wi.clone().neg() * hg);
        }
        total
    }

    /// log Σ |θ ⊙ ∂R/∂θ| on the network with |θ| weights in float64, no batch norm, input 1s.
    fn synflow(&self, net: Nb201Net) -> f64 {
        let abs = net.map(&mut MapParams {
            f4: |t: Tensor<4>| t.abs().cast(FloatDType::F64),
            f1: |t: Tensor<1>| t.abs().cast(FloatDType::F64),
            f2: |t: Tensor<2>| t.abs().cast(FloatDType::F64),
        });
        let [_, c, h, w] = self.batch.x.dims();
        let ones = Tensor::<4>::ones([1, c, h, w], &self.device).cast(FloatDType::F64);
        let out = abs.forward_with(
            ones,
            &mut Pass {
                batch_norm: false,
                tap: &mut NoTap,
            },
        );
        let grads = out.sum().backward();
        let g = weight_grads(&abs, &grads);
        let w = weight_vals(&abs);
        let s: f64 = g
            .into_iter()
            .zip(w)
            .map(|(g, w)| scalar((g * w.inner()).abs()))
            .sum();
        // NASLib reports log(synflow) (−log(−s) for negatives, 0 stays 0).
        if s > 0.0 {
            s.ln()
        } else if s < 0.0 {
            -(-s).ln()
        } else {
            0.0
        }
    }

    /// The Jacobian of Σ outputs with respect to each input image, one row per image.
    fn input_jacobian(&self, net: &Nb201Net) -> Vec<Vec<f64>> {
        let x = self.batch.x.clone().inner().autodiff().require_grad();
        let y = net.forward(x.clone());
        let grads = y.sum().backward();
        let [n, c, h, w] = x.dims();
        let j = x
            .grad(&grads)
            .unwrap_or_else(|| x.clone().inner().zeros_like());
        let flat = to_f64(j.flatten::<1>(0, 3));
        let d = c * h * w;
        (0..n).map(|i| flat[i * d..(i + 1) * d].to_vec()).collect()
    }

    fn nwot(&self, net: &Nb201Net) -> f64 {
        /// Accumulates the Hamming-similarity kernel of ReLU activation codes.
        struct NwotTap {
            k: Option<Tensor<2>>,
        }
        impl Tap for NwotTap {
            fn relu_input(&mut self, x: &Tensor<4>) {
                let x = x.clone().inner();
                let [n, c, h, w] = x.dims();
                let k = agreement_kernel(x.greater_elem(0.0).float().reshape([n, c * h * w]));
                self.k = Some(match self.k.take() {
                    Some(s) => s + k,
                    None => k,
                });
            }
        }
        let mut tap = NwotTap { k: None };
        let _ = net.forward_with(
            self.batch.x.clone(),
            &mut Pass {
                batch_norm: true,
                tap: &mut tap,
            },
        );
        let Some(k) = tap.k else { return 0.0 };
        let [n, _] = k.dims();
        let flat = to_f64(k.flatten::<1>(0, 1));
        let m: Vec<Vec<f64>> = (0..n).map(|i| flat[i * n..(i + 1) * n].to_vec()).collect();
        log_abs_det(&m)
    }

    fn zen(&self, net: Nb201Net, arch: Nb201Arch) -> f64 {
        // Gaussian weights N(0, 1), BN γ = 1, β = 0, zero biases (Zen-NAS's initialisation);
        // weights and inputs drawn under the generator lock from a per-architecture seed.
        let guard = super::net::DEVICE_RNG
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        // Drawn on the CPU and moved: a seed gives the same numbers on every device.
        let host = super::net::host_for(&self.device);
        host.seed(
            self.seed
                .wrapping_mul(0x2545_F491)
                .wrapping_add(arch.0 as u64),
        );
        let normal = Distribution::Normal(0.0, 1.0);
        let net = net.map(&mut MapParams {
            f4: |t: Tensor<4>| Tensor::<4>::random(t.shape(), normal, &host).to_device(&t.device()),
            f1: |t: Tensor<1>| t.ones_like(),
            f2: |t: Tensor<2>| Tensor::<2>::random(t.shape(), normal, &host).to_device(&t.device()),
        });
        // BN betas and the classifier bias are rank 1 as well: reset those to 0.
        let net = zero_betas(net);
        /// Records every BN input to rebuild PyTorch's running variance.
        struct BnTap {
            inputs: Vec<Tensor<4>>,
        }
        impl Tap for BnTap {
            fn bn_input(&mut self, x: &Tensor<4>) {
                self.inputs.push(x.clone().inner());
            }
        }
        let shape = self.batch.x.dims();
        let x1 = Tensor::<4>::random(shape, normal, &host).to_device(&self.device);
        let x2 = Tensor::<4>::random(shape, normal, &host).to_device(&self.device);
        let mixed = x1.clone() + x2.mul_scalar(0.01);
        drop(guard);
        let (mut t1, mut t2) = (BnTap { inputs: Vec::new() }, BnTap { inputs: Vec::new() });
        let f1 = net
            .features(
                x1,
                &mut Pass {
                    batch_norm: true,
                    tap: &mut t1,
                },
            )
            .inner();
        let f2 = net
            .features(
                mixed,
                &mut Pass {
                    batch_norm: true,
                    tap: &mut t2,
                },
            )
            .inner();
        let n = shape[0] as f64;
        let diff = scalar((f1 - f2).abs().flatten::<1>(0, 3)) / n;
        let mut log_bn = 0.0;
        for (a, b) in t1.inputs.into_iter().zip(t2.inputs) {
            // Running variance after two training forwards from 1 with momentum 0.1,
            // each batch variance unbiased (PyTorch).
            let v1 = unbiased_channel_var(a);
            let v2 = unbiased_channel_var(b);
            let rv: Vec<f64> = v1
                .iter()
                .zip(&v2)
                .map(|(x, y)| 0.81 + 0.09 * x + 0.1 * y)
                .collect();
            let mean = rv.iter().sum::<f64>() / rv.len() as f64;
            log_bn += mean.sqrt().ln();
        }
        diff.ln() + log_bn
    }
}

fn unbiased_channel_var(x: Tensor<4>) -> Vec<f64> {
    let [n, c, h, w] = x.dims();
    let per = x.swap_dims(0, 1).reshape([c, n * h * w]);
    let m = (n * h * w) as f64;
    let mean = per.clone().mean_dim(1);
    let centred = per - mean;
    let ss = to_f64(centred.powi_scalar(2).sum_dim(1).flatten::<1>(0, 1));
    ss.into_iter().map(|s| s / (m - 1.0).max(1.0)).collect()
}

fn zero_betas(net: Nb201Net) -> Nb201Net {
    /// Sets BN β and linear biases to zero, by parameter path.
    struct Zero {
        path: Vec<String>,
    }
    impl ModuleMapper for Zero {
        fn enter_module(&mut self, name: &str, _: &str) {
            self.path.push(name.to_string());
        }
        fn exit_module(&mut self, _: &str, _: &str) {
            self.path.pop();
        }
        fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
            let zero = self.path.last().is_some_and(|n| n == "beta" || n == "bias");
            if zero {
                param.map(|t| t.detach().zeros_like().require_grad())
            } else {
                param
            }
        }
    }
    net.map(&mut Zero { path: Vec::new() })
}

/// Moves the scored weights by `step × g` (used by GRASP's difference quotient).
struct ShiftWeights<'a> {
    ids: Vec<burn::module::ParamId>,
    g: &'a [Tensor<1>],
    step: f64,
}
impl ModuleMapper for ShiftWeights<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        // Only the scored weights move; they are found by parameter id.
        let Some(i) = self.ids.iter().position(|id| *id == param.id) else {
            return param;
        };
        let g = self.g[i].clone();
        let step = self.step;
        param.map(|t| {
            let dims = t.dims();
            let moved = t.detach().inner() + g.reshape(dims).mul_scalar(step);
            moved.autodiff().require_grad()
        })
    }
}

/// NASWOT's kernel of one layer: K_ij counts the units where binary codes i and j (rows of
/// `codes`, 0 or 1) agree, both active (c_i·c_j) or both inactive, (1-c_i)·(1-c_j) =
/// d - s_i - s_j + c_i·c_j with s the active counts: one matrix product instead of two. Every
/// term is an integer below 2^24, so f32 gives it exactly.
fn agreement_kernel(codes: Tensor<2>) -> Tensor<2> {
    let [_, d] = codes.dims();
    let s = codes.clone().sum_dim(1);
    (codes.clone().matmul(codes.transpose()).mul_scalar(2.0) - s.clone() - s.transpose())
        .add_scalar(d as f64)
}

/// NASLib's jacov: −Σ (log(λ + k) + 1/(λ + k)) over the eigenvalues of the correlation matrix
/// of the per-image input Jacobians, k = 1e-5.
pub fn jacov_score(jacobians: &[Vec<f64>]) -> f64 {
    let c = corrcoef(jacobians);
    if c.iter().flatten().any(|v| !v.is_finite()) {
        return f64::NAN;
    }
    let k = 1e-5;
    -symmetric_eigenvalues(&c)
        .into_iter()
        .map(|v| (v + k).ln() + 1.0 / (v + k))
        .sum::<f64>()
}

/// EPE-NAS: for each class, s_c = Σ log(|corr(J_c)| + k) over the correlation matrix of the
/// class's Jacobians; the score is Σ_c |s_c| for up to 100 classes, else the mean pairwise
/// |s_c − s_c'| summed over classes.
pub fn epe_nas_score(jacobians: &[Vec<f64>], labels: &[i64], n_classes: usize) -> f64 {
    let k = 1e-5;
    let mut classes: Vec<i64> = labels.to_vec();
    classes.sort_unstable();
    classes.dedup();
    let mut per_class = Vec::new();
    for c in classes {
        let rows: Vec<Vec<f64>> = jacobians
            .iter()
            .zip(labels)
            .filter(|(_, l)| **l == c)
            .map(|(j, _)| j.clone())
            .collect();
        // numpy's corrcoef of a single row is the scalar 1.
        let corr = if rows.len() == 1 {
            vec![vec![1.0]]
        } else {
            corrcoef(&rows)
        };
        let mut s: f64 = corr.iter().flatten().map(|v| (v.abs() + k).ln()).sum();
        if !s.is_finite() {
            continue;
        }
        if n_classes > 100 {
            s /= corr.len() as f64;
        }
        per_class.push(s);
    }
    if n_classes <= 100 {
        per_class.iter().map(|s| s.abs()).sum()
    } else {
        let mut total = 0.0;
        for a in &per_class {
            for b in &per_class {
                total += (a - b).abs();
            }
        }
        total / per_class.len().max(1) as f64
    }
}

/// The first `n` images of `set` as a batch, normalised, augmented with `rng` (NASLib draws
/// its proxy batch from the augmented training loader).
pub fn batch_from(
    set: &super::data::ImageSet,
    norm: &super::data::Normalization,
    n: usize,
    seed: u64,
    device: &Device,
) -> Result<ProxyBatch> {
    if set.len() < n || n < 2 {
        return Err(Error::param(format!(
            "a proxy batch needs {n} images (at least 2) but the set has {}",
            set.len()
        )));
    }
    let mut rng = crate::rng::Rng::new(seed);
    let mut idx: Vec<usize> = (0..set.len()).collect();
    rng.shuffle(&mut idx);
    idx.truncate(n);
    let (x, y) = super::data::Batcher::nb201(norm.clone()).batch(set, &idx, Some(&mut rng), device);
    Ok(ProxyBatch { x, y })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::companion::net::cpu;

    #[test]
    fn the_one_product_agreement_kernel_equals_the_two_product_one_exactly() {
        let device = cpu();
        device.seed(11);
        let codes = Tensor::<2>::random([9, 5000], Distribution::Uniform(0.0, 1.0), &device)
            .greater_elem(0.5)
            .float();
        let inv = codes.clone().neg().add_scalar(1.0);
        let two =
            codes.clone().matmul(codes.clone().transpose()) + inv.clone().matmul(inv.transpose());
        let one = agreement_kernel(codes);
        let (a, b) = (
            to_f64(one.flatten::<1>(0, 1)),
            to_f64(two.flatten::<1>(0, 1)),
        );
        assert_eq!(a, b);
        // The diagonal: a code agrees with itself everywhere.
        assert!((0..9).all(|i| a[i * 9 + i] == 5000.0));
    }
}
