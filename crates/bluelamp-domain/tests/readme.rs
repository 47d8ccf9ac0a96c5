//! The README publishes the role-against-action matrix; this test keeps it equal to
//! [`Role::permits`]. Run with `BLUELAMP_BLESS=1` to rewrite the README's table.

use bluelamp_domain::access::matrix_markdown;

const START: &str = "<!-- permission matrix: generated from Role::permits -->\n";
const END: &str = "<!-- end of permission matrix -->";

#[test]
fn the_readme_publishes_the_permission_matrix_the_code_enforces() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
    let readme = std::fs::read_to_string(path).unwrap_or_default();
    let (Some(s), Some(e)) = (readme.find(START), readme.find(END)) else {
        panic!("README.md has no permission matrix between the markers {START:?} and {END:?}");
    };
    let published = &readme[s + START.len()..e];
    let wanted = matrix_markdown();
    if published != wanted && std::env::var("BLUELAMP_BLESS").is_ok_and(|v| v == "1") {
        let updated = format!("{}{START}{wanted}{}", &readme[..s], &readme[e..]);
        std::fs::write(path, updated).unwrap_or_else(|err| panic!("cannot write README: {err}"));
        return;
    }
    assert_eq!(
        published, wanted,
        "the README's matrix differs from Role::permits; rerun with BLUELAMP_BLESS=1"
    );
}
