//! The NAS-Bench-201 network as a burn module.
//!
//! Layout (NB201's `TinyNetwork`): a 3×3 stem convolution with batch norm; three stages of
//! `cells_per_stage` cells with `C`, `2C` and `4C` channels, joined by two residual reduction
//! blocks (ReLU-conv3×3-BN stride 2, ReLU-conv3×3-BN, shortcut avg-pool 2×2 + conv 1×1); a final
//! batch norm and ReLU, global average pooling and a linear classifier. Inside a cell, node `j`
//! is the sum of the ops on its incoming edges; the ops are `none` (zero), `skip_connect`
//! (identity), `nor_conv_1x1`/`nor_conv_3x3` (ReLU → conv without bias → BN) and
//! `avg_pool_3x3` (stride 1, padding 1, padding not counted).
//!
//! The forward pass is written out here (not composed of `nn` forwards) so that the zero-cost
//! proxies can observe it through a [`Tap`]: ReLU inputs (NWOT), convolution and linear outputs
//! (Fisher), and batch norm on or off (synflow runs without it, as NASLib does).

use crate::space::nb201::{EDGES, Nb201Arch};
use burn::module::{Module, ModuleVisitor, Param};
use burn::nn::{BatchNorm, BatchNormConfig, Linear, LinearConfig};
use burn::tensor::module::{avg_pool2d, conv2d};
use burn::tensor::ops::{AvgPoolOptions, ConvOptions};
use burn::tensor::{Device, Tensor};

/// The NB201 op ids (canonical numbering, see [`crate::space::nb201::OP_NAMES`]).
const OP_NONE: u8 = 0;
const OP_SKIP: u8 = 1;
const OP_CONV1: u8 = 2;
const OP_CONV3: u8 = 3;
const OP_POOL: u8 = 4;

/// The shape of an NB201 network. [`NetConfig::nb201`] is the benchmark's; smaller ones keep
/// training usable on a CPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NetConfig {
    /// Channels of the first stage `C` (NB201: 16).
    pub channels: usize,
    /// Cells per stage `N` (NB201: 5).
    pub cells_per_stage: usize,
    /// Output classes (10, 100 or 120 for the benchmark's datasets).
    pub num_classes: usize,
    /// Input image channels (3 for colour images, 1 for grey).
    pub in_channels: usize,
}

impl NetConfig {
    /// The benchmark's network for `num_classes` classes (C = 16, N = 5, colour input).
    pub fn nb201(num_classes: usize) -> Self {
        Self {
            channels: 16,
            cells_per_stage: 5,
            num_classes,
            in_channels: 3,
        }
    }
    /// Checks the sizes and explains what is wrong.
    pub fn check(&self) -> crate::Result<()> {
        if self.channels == 0 || self.cells_per_stage == 0 || self.num_classes < 2 {
            return Err(crate::Error::param(format!(
                "network needs channels >= 1, cells per stage >= 1 and at least 2 classes (got C={}, N={}, classes={})",
                self.channels, self.cells_per_stage, self.num_classes
            )));
        }
        if self.in_channels == 0 {
            return Err(crate::Error::param("input images need at least 1 channel"));
        }
        Ok(())
    }
}

/// ReLU → convolution (no bias) → batch norm, NB201's `ReLUConvBN`.
#[derive(Module, Debug)]
pub struct ReluConvBn {
    /// Convolution weight `[out, in, k, k]`.
    pub weight: burn::module::Param<Tensor<4>>,
    /// Batch norm after the convolution.
    pub bn: BatchNorm,
    /// Stride of the convolution.
    pub stride: usize,
}

fn conv_weight(
    c_in: usize,
    c_out: usize,
    k: usize,
    device: &Device,
) -> burn::module::Param<Tensor<4>> {
    // PyTorch's default Conv2d initialisation (Kaiming uniform with a = sqrt(5)), as NB201 uses.
    burn::nn::conv::Conv2dConfig::new([c_in, c_out], [k, k])
        .with_bias(false)
        .init(device)
        .weight
}

impl ReluConvBn {
    fn new(c_in: usize, c_out: usize, k: usize, stride: usize, device: &Device) -> Self {
        Self {
            weight: conv_weight(c_in, c_out, k, device),
            bn: BatchNormConfig::new(c_out).init(device),
            stride,
        }
    }
    fn forward(&self, x: Tensor<4>, pass: &mut Pass<'_>) -> Tensor<4> {
        let x = pass.relu(x);
        let w = self.weight.val();
        let [_, _, k, _] = w.dims();
        let pad = (k - 1) / 2;
        let y = conv2d(
            x,
            w,
            None,
            ConvOptions::new([self.stride; 2], [pad; 2], [1, 1], 1),
        );
        let y = pass.tap.conv_output(y);
        pass.batch_norm(&self.bn, y)
    }
}

/// One NB201 cell: the 6 edges of the genotype, convolutions where the genotype has them.
#[derive(Module, Debug)]
pub struct Cell {
    /// One entry per edge, in arch-string order; `Some` for the two convolution ops.
    pub convs: Vec<Option<ReluConvBn>>,
    /// The genotype (canonical op ids per edge).
    pub ops: Vec<u8>,
}

impl Cell {
    fn new(arch: Nb201Arch, c: usize, device: &Device) -> Self {
        let ops = arch.genotype().to_vec();
        let convs = ops
            .iter()
            .map(|&op| match op {
                OP_CONV1 => Some(ReluConvBn::new(c, c, 1, 1, device)),
                OP_CONV3 => Some(ReluConvBn::new(c, c, 3, 1, device)),
                _ => None,
            })
            .collect();
        Self { convs, ops }
    }
    fn forward(&self, x: Tensor<4>, pass: &mut Pass<'_>) -> Tensor<4> {
        let mut nodes: Vec<Tensor<4>> = vec![x];
        for to in 1..4u8 {
            let mut sum: Option<Tensor<4>> = None;
            for (e, &(from, t)) in EDGES.iter().enumerate() {
                if t != to {
                    continue;
                }
                let input = nodes[from as usize].clone();
                let out = match self.ops[e] {
                    OP_NONE => None,
                    OP_SKIP => Some(input),
                    OP_POOL => Some(avg_pool2d(
                        input,
                        AvgPoolOptions::new([3, 3])
                            .with_stride([1, 1])
                            .with_padding([1, 1])
                            .with_count_include_pad(false),
                    )),
                    _ => Some(
                        self.convs[e]
                            .as_ref()
                            .expect("a conv op has a conv module")
                            .forward(input, pass),
                    ),
                };
                if let Some(o) = out {
                    sum = Some(match sum {
                        Some(s) => s + o,
                        None => o,
                    });
                }
            }
            // A node whose inputs are all `none` is zero (NB201's Zero op multiplies by 0).
            let node = sum.unwrap_or_else(|| nodes[0].zeros_like());
            nodes.push(node);
        }
        nodes.pop().expect("four nodes")
    }
}

/// NB201's residual reduction block (`ResNetBasicblock`, stride 2).
#[derive(Module, Debug)]
pub struct ResBlock {
    /// ReLU-conv3×3-BN with stride 2.
    pub conv_a: ReluConvBn,
    /// ReLU-conv3×3-BN with stride 1.
    pub conv_b: ReluConvBn,
    /// The shortcut's 1×1 convolution (after a 2×2 average pool), no bias.
    pub down: burn::module::Param<Tensor<4>>,
}

impl ResBlock {
    fn new(c_in: usize, c_out: usize, device: &Device) -> Self {
        Self {
            conv_a: ReluConvBn::new(c_in, c_out, 3, 2, device),
            conv_b: ReluConvBn::new(c_out, c_out, 3, 1, device),
            down: conv_weight(c_in, c_out, 1, device),
        }
    }
    fn forward(&self, x: Tensor<4>, pass: &mut Pass<'_>) -> Tensor<4> {
        let main = self.conv_a.forward(x.clone(), pass);
        let main = self.conv_b.forward(main, pass);
        let short = avg_pool2d(x, AvgPoolOptions::new([2, 2]));
        let short = conv2d(
            short,
            self.down.val(),
            None,
            ConvOptions::new([1, 1], [0, 0], [1, 1], 1),
        );
        let short = pass.tap.conv_output(short);
        short + main
    }
}

/// An NB201 network for one architecture.
#[derive(Module, Debug)]
pub struct Nb201Net {
    /// Stem convolution weight `[C, in, 3, 3]`, no bias.
    pub stem: burn::module::Param<Tensor<4>>,
    /// Stem batch norm.
    pub stem_bn: BatchNorm,
    /// The cells, stage by stage.
    pub cells: Vec<Cell>,
    /// The two reduction blocks.
    pub reductions: Vec<ResBlock>,
    /// Final batch norm (before ReLU and pooling).
    pub last_bn: BatchNorm,
    /// The classifier.
    pub classifier: Linear,
    /// Cells per stage.
    pub cells_per_stage: usize,
}

/// Observes a forward pass. Every method has a do-nothing default.
pub trait Tap {
    /// Called with the input of every ReLU (NWOT's binary codes).
    fn relu_input(&mut self, x: &Tensor<4>) {
        let _ = x;
    }
    /// Applies a ReLU (after [`Tap::relu_input`]); GRASP's difference quotient replaces it
    /// by a fixed mask so that the network is smooth in its weights.
    fn relu(&mut self, x: Tensor<4>) -> Tensor<4> {
        burn::tensor::activation::relu(x)
    }
    /// Called with every convolution output; may return a modified tensor (Fisher adds a
    /// zero leaf to read the gradient with respect to the activation).
    fn conv_output(&mut self, x: Tensor<4>) -> Tensor<4> {
        x
    }
    /// Called with the input of every batch norm that runs (Zen's BN scaling term).
    fn bn_input(&mut self, x: &Tensor<4>) {
        let _ = x;
    }
    /// Called with the classifier output.
    fn linear_output(&mut self, x: Tensor<2>) -> Tensor<2> {
        x
    }
}

/// A tap that observes nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoTap;
impl Tap for NoTap {}

/// Options of one forward pass.
pub struct Pass<'a> {
    /// Whether batch norm layers run (synflow removes them).
    pub batch_norm: bool,
    /// The observer.
    pub tap: &'a mut dyn Tap,
}

impl Pass<'_> {
    fn relu(&mut self, x: Tensor<4>) -> Tensor<4> {
        self.tap.relu_input(&x);
        self.tap.relu(x)
    }
    fn batch_norm(&mut self, bn: &BatchNorm, x: Tensor<4>) -> Tensor<4> {
        if self.batch_norm {
            self.tap.bn_input(&x);
            bn.forward(x)
        } else {
            x
        }
    }
}

impl Nb201Net {
    /// A freshly initialised network for `arch` (PyTorch-default initialisation).
    pub fn new(arch: Nb201Arch, config: &NetConfig, device: &Device) -> Self {
        let c = config.channels;
        let n = config.cells_per_stage;
        let mut cells = Vec::with_capacity(3 * n);
        let mut reductions = Vec::with_capacity(2);
        for stage in 0..3 {
            let ch = c << stage;
            if stage > 0 {
                reductions.push(ResBlock::new(ch / 2, ch, device));
            }
            for _ in 0..n {
                cells.push(Cell::new(arch, ch, device));
            }
        }
        Self {
            stem: conv_weight(config.in_channels, c, 3, device),
            stem_bn: BatchNormConfig::new(c).init(device),
            cells,
            reductions,
            last_bn: BatchNormConfig::new(4 * c).init(device),
            classifier: LinearConfig::new(4 * c, config.num_classes).init(device),
            cells_per_stage: n,
        }
    }

    /// The feature map before global pooling (after the final batch norm and ReLU).
    pub fn features(&self, x: Tensor<4>, pass: &mut Pass<'_>) -> Tensor<4> {
        let x = conv2d(
            x,
            self.stem.val(),
            None,
            ConvOptions::new([1, 1], [1, 1], [1, 1], 1),
        );
        let x = pass.tap.conv_output(x);
        let mut x = pass.batch_norm(&self.stem_bn, x);
        for (i, cell) in self.cells.iter().enumerate() {
            if i > 0 && i % self.cells_per_stage == 0 {
                x = self.reductions[i / self.cells_per_stage - 1].forward(x, pass);
            }
            x = cell.forward(x, pass);
        }
        let x = pass.batch_norm(&self.last_bn, x);
        pass.relu(x)
    }

    /// Logits `[batch, classes]` with an observer.
    pub fn forward_with(&self, x: Tensor<4>, pass: &mut Pass<'_>) -> Tensor<2> {
        let f = self.features(x, pass);
        let [b, c, _, _] = f.dims();
        let pooled = f.mean_dim(3).mean_dim(2).reshape([b, c]);
        let y = self.classifier.forward(pooled);
        pass.tap.linear_output(y)
    }

    /// Logits `[batch, classes]`.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        self.forward_with(
            x,
            &mut Pass {
                batch_norm: true,
                tap: &mut NoTap,
            },
        )
    }

    /// Trainable parameters of the module: every float parameter burn holds except the batch
    /// norm running statistics (buffers, which PyTorch does not count either). Parameters are
    /// lazily initialised, so counting reads shapes without drawing weights.
    pub fn trainable_params(&self) -> usize {
        struct Count {
            path: Vec<String>,
            n: usize,
        }
        impl ModuleVisitor for Count {
            fn enter_module(&mut self, name: &str, _: &str) {
                self.path.push(name.to_string());
            }
            fn exit_module(&mut self, _: &str, _: &str) {
                self.path.pop();
            }
            fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
                let buffer = self
                    .path
                    .last()
                    .is_some_and(|n| n == "running_mean" || n == "running_var");
                if !buffer {
                    self.n += param.lazy_shape().num_elements();
                }
            }
        }
        let mut c = Count {
            path: Vec::new(),
            n: 0,
        };
        self.visit(&mut c);
        c.n
    }

    /// Forward FLOPs of one `hw`-sized image, read off the module's layer shapes with the
    /// counting rules of NAS-Bench-Suite-Zero's `flops`: convolution multiply-accumulates,
    /// batch norm 2 per element, ReLU 1 per input element, average pooling kernel² per output
    /// element, global pooling C·(H+1)·(W+1), classifier in × out. `none` and
    /// `skip_connect` edges and the node sums cost nothing.
    pub fn flops(&self, hw: [usize; 2]) -> f64 {
        fn dims4(p: &Param<Tensor<4>>) -> [usize; 4] {
            p.lazy_shape().dims()
        }
        fn relu_conv_bn(b: &ReluConvBn, h: usize, w: usize) -> (f64, usize, usize) {
            let [co, ci, k, _] = dims4(&b.weight);
            let pad = (k - 1) / 2;
            let (ho, wo) = (
                (h + 2 * pad - k) / b.stride + 1,
                (w + 2 * pad - k) / b.stride + 1,
            );
            let out = (co * ho * wo) as f64;
            (
                (ci * h * w) as f64 + out * (ci * k * k) as f64 + 2.0 * out,
                ho,
                wo,
            )
        }
        let [mut h, mut w] = hw;
        let [c, ci, k, _] = dims4(&self.stem);
        let mut f = (c * h * w) as f64 * (ci * k * k) as f64 + 2.0 * (c * h * w) as f64;
        let mut ch = c;
        for (i, cell) in self.cells.iter().enumerate() {
            if i > 0 && i % self.cells_per_stage == 0 {
                let r = &self.reductions[i / self.cells_per_stage - 1];
                let (fa, ho, wo) = relu_conv_bn(&r.conv_a, h, w);
                let (fb, _, _) = relu_conv_bn(&r.conv_b, ho, wo);
                let [co, cin, _, _] = dims4(&r.down);
                let pool = 4.0 * (cin * ho * wo) as f64;
                f += fa + fb + pool + (co * ho * wo * cin) as f64;
                (h, w, ch) = (ho, wo, co);
            }
            for (e, &op) in cell.ops.iter().enumerate() {
                f += match op {
                    OP_CONV1 | OP_CONV3 => {
                        relu_conv_bn(cell.convs[e].as_ref().expect("conv op"), h, w).0
                    }
                    OP_POOL => 9.0 * (ch * h * w) as f64,
                    _ => 0.0,
                };
            }
        }
        let [d_in, d_out] = self.classifier.weight.lazy_shape().dims();
        let last = (ch * h * w) as f64;
        // The counter behind the published figures widens the global pooling window by one
        // in each direction: C·(H+1)·(W+1) (see `crate::space::nb201_cost` on main).
        let gap = (ch * (h + 1) * (w + 1)) as f64;
        f + 2.0 * last + last + gap + (d_in * d_out) as f64
    }

    /// Draws every lazily initialised parameter now (burn draws them on first use otherwise,
    /// from the device's shared generator, which would make the weights depend on what
    /// other threads draw in between).
    pub fn draw_parameters(&self) {
        struct Touch;
        impl ModuleVisitor for Touch {
            fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
                let _ = param.val();
            }
        }
        self.visit(&mut Touch);
    }

    /// A network whose initial weights depend on `seed` alone: the CPU's generator is
    /// seeded and every parameter drawn under one process-wide lock, then the network moves
    /// to `device` (a GPU draws other numbers from the same seed).
    pub fn seeded(arch: Nb201Arch, config: &NetConfig, device: &Device, seed: u64) -> Self {
        let host = host_for(device);
        let net = {
            let _guard = DEVICE_RNG.lock().unwrap_or_else(|e| e.into_inner());
            host.seed(seed);
            let net = Self::new(arch, config, &host);
            net.draw_parameters();
            net
        };
        if host == *device {
            net
        } else {
            // `fork`: the moved parameters are fresh gradient leaves on `device`.
            net.fork(device)
        }
    }

    /// The convolution and linear weights in forward order (the layers the proxies score).
    pub fn weights(&self) -> Vec<Weight<'_>> {
        let mut out = vec![Weight::Conv(&self.stem)];
        for (i, cell) in self.cells.iter().enumerate() {
            if i > 0 && i % self.cells_per_stage == 0 {
                let r = &self.reductions[i / self.cells_per_stage - 1];
                out.push(Weight::Conv(&r.conv_a.weight));
                out.push(Weight::Conv(&r.conv_b.weight));
                out.push(Weight::Conv(&r.down));
            }
            for c in cell.convs.iter().flatten() {
                out.push(Weight::Conv(&c.weight));
            }
        }
        out.push(Weight::Linear(&self.classifier.weight));
        out
    }
}

/// A scored layer's weight.
#[derive(Debug, Clone, Copy)]
pub enum Weight<'a> {
    /// A convolution weight `[out, in, k, k]`.
    Conv(&'a burn::module::Param<Tensor<4>>),
    /// The classifier weight `[in, out]` (burn stores it transposed to PyTorch).
    Linear(&'a burn::module::Param<Tensor<2>>),
}

/// Serialises uses of the devices' shared random generator (seed, then draw).
pub static DEVICE_RNG: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The device the companion computes on: burn's pure-Rust CPU backend ("flex").
pub fn cpu() -> Device {
    Device::flex()
}

/// The CPU device that draws random numbers for `device`, with its autodiff setting (on the
/// CPU it is `device` itself, so the draws are those of `device`).
pub fn host_for(device: &Device) -> Device {
    if device.is_autodiff() {
        cpu().autodiff()
    } else {
        cpu()
    }
}
