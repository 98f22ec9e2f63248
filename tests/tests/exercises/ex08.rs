//! The ex08 binary as a student runs it: its blocks and breakdown judged by the
//! contract, its chart written, its flags checked, and no worker left behind.

use contracts::{Exercise, Expectations};

const PACKAGE: &str = "ex08-pool-square-timing";

#[test]
fn the_default_sizes_and_others_keep_the_contract() {
    tests_integration::assert_passes(
        Exercise::Ex08,
        &[],
        &Expectations::new().with("sizes", "2,4,8"),
    );
    tests_integration::assert_passes(
        Exercise::Ex08,
        &["--sizes", "1,3", "--detail", "--repeat", "3"],
        &Expectations::new().with("sizes", "1,3"),
    );
}

#[test]
fn plot_writes_an_svg_chart_of_the_breakdown() {
    let dir = std::env::temp_dir().join(format!("ex08-plot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let svg = dir.join("pools.svg");
    let svg_arg = svg.to_string_lossy().into_owned();
    tests_integration::assert_passes(
        Exercise::Ex08,
        &["--sizes", "1,4", "--repeat", "2", "--plot", &svg_arg],
        &Expectations::new().with("sizes", "1,4"),
    );
    let chart = std::fs::read_to_string(&svg).expect("the chart was written");
    assert!(
        chart.starts_with("<svg"),
        "{}",
        &chart[..chart.len().min(80)]
    );
    for label in ["1 worker", "4 workers", "start", "map", "shutdown"] {
        assert!(chart.contains(label), "the chart lacks {label:?}");
    }
    assert!(!chart.contains("1 workers"), "one worker is `1 worker`");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_chart_that_cannot_be_written_fails_before_anything_is_measured() {
    let output = std::process::Command::new(tests_integration::binary(PACKAGE))
        .args(["--plot", "/nonexistent-folder/pools.svg"])
        .output()
        .expect("the exercise starts");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(output.stdout, b"", "nothing is measured");
    assert!(
        stderr.contains("creating /nonexistent-folder/pools.svg"),
        "{stderr}"
    );
}

#[test]
fn bad_flags_are_usage_errors() {
    tests_integration::assert_usage_errors(
        PACKAGE,
        &[
            &["--sizes", "0"],
            &["--sizes", "2,x"],
            &["--sizes", "257"],
            &["--repeat", "3"],
            &["--plot", "x.png"],
            &["--sizes", "2,2"],
            &["--sizes", "2,4,2"],
            &["--detail", "--repeat", "0"],
            &["extra"],
        ],
    );
}

#[test]
fn help_explains_every_flag_and_its_default() {
    tests_integration::assert_help_mentions(
        PACKAGE,
        &[
            "--sizes",
            "--detail",
            "--repeat",
            "--plot",
            "[default: 2,4,8]",
        ],
    );
}

#[test]
fn a_closed_stdout_ends_the_program_quietly() {
    tests_integration::assert_closed_stdout_ends_quietly(PACKAGE, &["--sizes", "1"]);
}
