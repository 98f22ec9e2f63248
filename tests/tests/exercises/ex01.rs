//! The ex01 binary as a student runs it: its rows judged by the contract (with and
//! without Python), its JSON and its chart, its flags checked.

use contracts::{Exercise, Expectations};

const PACKAGE: &str = "ex01-threads-vs-processes";

#[test]
fn a_quick_run_keeps_the_contract() {
    tests_integration::assert_passes(
        Exercise::Ex01,
        &["--quick", "--repeat", "1"],
        &Expectations::new().with("python", "no"),
    );
}

#[test]
fn the_python_rows_keep_the_contract_when_python3_is_there() {
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let expect = Expectations::new().with("python", if python { "yes" } else { "no" });
    tests_integration::assert_passes(
        Exercise::Ex01,
        &["--quick", "--repeat", "1", "--python"],
        &expect,
    );
}

#[test]
fn json_gives_every_row_with_its_figures_and_verdict() {
    let output = std::process::Command::new(tests_integration::binary(PACKAGE))
        .args(["--quick", "--repeat", "1", "--json"])
        .output()
        .expect("the exercise starts");
    assert!(output.status.success());
    let measured: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON object");
    let rows = measured["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 8);
    for row in rows {
        let (threads, processes) = (
            row["threads"].as_f64().unwrap(),
            row["processes"].as_f64().unwrap(),
        );
        assert!(threads >= 0.0 && processes >= 0.0, "{row}");
        assert!(
            ["threads", "processes", "even"].contains(&row["verdict"]["winner"].as_str().unwrap()),
            "{row}"
        );
    }
    assert_eq!(measured["crash"]["thread_survived"], false);
    assert_eq!(measured["crash"]["process_survived"], true);
}

#[test]
fn plot_writes_an_svg_chart_of_the_ratios() {
    let dir = std::env::temp_dir().join(format!("ex01-plot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let svg = dir.join("ratios.svg");
    let svg_arg = svg.to_string_lossy().into_owned();
    tests_integration::assert_passes(
        Exercise::Ex01,
        &["--quick", "--repeat", "1", "--plot", &svg_arg],
        &Expectations::new(),
    );
    let chart = std::fs::read_to_string(&svg).expect("the chart was written");
    assert!(
        chart.starts_with("<svg"),
        "{}",
        &chart[..chart.len().min(80)]
    );
    for label in ["spawn and join one unit of work", "io-bound", "threads win"] {
        assert!(chart.contains(label), "the chart lacks {label:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_flags_are_usage_errors() {
    tests_integration::assert_usage_errors(
        PACKAGE,
        &[
            &["--repeat", "0"],
            &["--repeat", "101"],
            &["--repeat", "x"],
            &["--plot", "x.png"],
            &["extra"],
        ],
    );
}

#[test]
fn help_explains_every_flag_and_its_default() {
    tests_integration::assert_help_mentions(
        PACKAGE,
        &[
            "--repeat",
            "--quick",
            "--python",
            "--json",
            "--plot",
            "[default: 3]",
        ],
    );
}

#[test]
fn a_closed_stdout_ends_the_program_quietly() {
    tests_integration::assert_closed_stdout_ends_quietly(PACKAGE, &["--quick", "--repeat", "1"]);
}
