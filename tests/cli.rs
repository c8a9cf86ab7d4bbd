//! The command line as a user meets it: one case per diagnostic code, plus the DST and
//! calendar edges, each a tiny `tests/cmd/<case>.in/schedule.yaml` run as the toml says.
//! Expected stdout, stderr and exit code live in `tests/cmd/<case>.toml`.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
