//! The command line as a user meets it: one case per diagnostic code, plus the DST and
//! calendar edges, each a tiny `tests/cmd/<case>.in/schedule.yaml` run as the toml says.
//! Expected stdout, stderr and exit code live in `tests/cmd/<case>.toml`.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}

fn syllabus_ics(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_syllabus-ics"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("the binary runs")
}

#[test]
fn completions_and_the_manual_name_every_subcommand() {
    let subcommands = [
        "build",
        "check",
        "schema",
        "html",
        "publish",
        "diff",
        "import",
        "check-times",
        "completions",
        "man",
    ];
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = syllabus_ics(&["completions", shell], &[]);
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        for subcommand in subcommands {
            assert!(
                script.contains(subcommand),
                "{shell} completes `{subcommand}`"
            );
        }
    }
    let page = String::from_utf8(syllabus_ics(&["man"], &[]).stdout).unwrap();
    for subcommand in subcommands {
        let roff = format!("syllabus\\-ics\\-{}(1)", subcommand.replace('-', "\\-"));
        assert!(page.contains(&roff), "the manual lists `{subcommand}`");
    }
}

#[test]
fn color_is_chosen_by_the_flag_before_no_color() {
    let broken = ["check", "tests/fixtures/broken.yaml"];
    let colored = |args: &[&str], env: &[(&str, &str)]| {
        let output = syllabus_ics(args, env);
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8(output.stdout).unwrap().contains('\u{1b}')
    };
    // Not a terminal: plain unless asked for.
    assert!(!colored(&broken, &[]));
    assert!(colored(
        &[&broken[..], &["--color", "always"]].concat(),
        &[]
    ));
    assert!(colored(
        &["--color", "always", "check", "tests/fixtures/broken.yaml"],
        &[("NO_COLOR", "1")]
    ));
    assert!(!colored(
        &[&broken[..], &["--color", "never"]].concat(),
        &[]
    ));
    assert!(!colored(&[&broken[..], &["--color", "auto"]].concat(), &[]));
}
