//! Every NB201 architecture's four encodings agree with the published index map
//! (`nb201/derived/nb201_index_map.csv`: index, arch string, genotype, NASLib tuple).
//! Needs the shared data (see `tests/common`).

use mfnas::space::nb201::Nb201Arch;

mod common;

const INDEX_MAP: &str = "nb201/derived/nb201_index_map.csv";

fn index_map() -> Option<String> {
    let data = common::data_dir(INDEX_MAP)?;
    Some(std::fs::read_to_string(data.join(INDEX_MAP)).expect("the index map is readable"))
}

#[test]
fn all_15625_architectures_convert_exactly_as_the_published_index_map_says() {
    let Some(text) = index_map() else { return };
    let mut rows = 0;
    for line in text.lines().skip(1) {
        // index,arch_str,genotype_canon,"(a, b, c, d, e, f)"
        let (index, rest) = line.split_once(',').expect("index column");
        let (arch_str, rest) = rest.split_once(',').expect("arch_str column");
        let (genotype, naslib) = rest.split_once(',').expect("genotype column");
        let naslib = naslib.trim_matches('"');
        let index: u32 = index.parse().expect("integer index");
        let a = Nb201Arch::from_index(index).unwrap();
        assert_eq!(a.arch_string(), arch_str, "index {index}");
        assert_eq!(a.genotype_string(), genotype, "index {index}");
        assert_eq!(a.naslib_string(), naslib, "index {index}");
        assert_eq!(
            Nb201Arch::parse_arch_string(arch_str).unwrap().index(),
            index
        );
        assert_eq!(Nb201Arch::parse_genotype(genotype).unwrap().index(), index);
        assert_eq!(Nb201Arch::parse_naslib(naslib).unwrap().index(), index);
        rows += 1;
    }
    assert_eq!(rows, 15_625);
}
