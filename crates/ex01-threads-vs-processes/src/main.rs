//! Exercise 1: threads or processes? Each claim the course's answers make is
//! measured here, for threads and for processes side by side in one run, and each
//! verdict is computed from the two figures, so the answer is true where it is read.
//!
//! The processes are this program re-run as workers ([`worker`]); each row's
//! measurement lives in [`rows`]. `--python` measures Python's threads and
//! processes too, where its global interpreter lock changes the answer.

mod plot;
mod rows;
mod worker;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use sync_kit::cli::say;

use rows::{Row, Scale, Verdict};

fn main() -> ExitCode {
    worker::serve_if_worker();
    let args = Args::parse();
    sync_kit::cli::finish(env!("CARGO_PKG_NAME"), run(&args).map_err(Into::into))
}

/// Everything one run measured.
#[derive(Debug, serde::Serialize)]
struct Measured {
    repeat: usize,
    quick: bool,
    #[serde(serialize_with = "with_verdicts")]
    rows: Vec<Row>,
    crash: rows::crash::Crash,
    /// The Python rows, when `--python` found `python3`.
    #[serde(skip_serializing_if = "Option::is_none")]
    python: Option<Python>,
}

#[derive(Debug, serde::Serialize)]
struct Python {
    #[serde(serialize_with = "with_verdicts")]
    rows: Vec<Row>,
    gil: bool,
}

/// Rows in JSON, each with the verdict its figures give.
fn with_verdicts<S: serde::Serializer>(rows: &[Row], serializer: S) -> Result<S::Ok, S::Error> {
    #[derive(serde::Serialize)]
    struct Judged<'a> {
        #[serde(flatten)]
        row: &'a Row,
        verdict: Verdict,
    }
    serializer.collect_seq(rows.iter().map(|row| Judged {
        row,
        verdict: row.verdict(),
    }))
}

/// Measures every row, printing each as it is done, then the summary.
fn run(args: &Args) -> anyhow::Result<()> {
    // Fail before measuring, not after: the chart's file must be writable.
    let chart = match &args.plot {
        Some(path) => Some(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        ),
        None => None,
    };
    let scale = Scale {
        repeat: usize::from(args.repeat),
        quick: args.quick,
    };
    let text = !args.json;
    if text {
        say(format_args!(
            "Threads or processes? Measured on this machine, medians of {} run{}.",
            scale.repeat,
            if scale.repeat == 1 { "" } else { "s" }
        ))?;
    }
    let mut measured_rows = Vec::new();
    let mut measure = |rows: Vec<Row>| -> anyhow::Result<()> {
        for row in rows {
            if text {
                say(&row)?;
            }
            measured_rows.push(row);
        }
        Ok(())
    };
    measure(vec![rows::spawn::row(scale)?])?;
    measure(vec![rows::memory::row(scale)?])?;
    measure(vec![rows::wakeup::row(scale)?])?;
    measure(rows::transfer::rows(scale)?)?;
    measure(rows::cpu::rows(scale)?)?;
    measure(vec![rows::io_wait::row(scale)?])?;
    let crash = rows::crash::row()?;
    if text {
        say(&crash)?;
    }
    let python = match args.python {
        true => python(scale, text)?,
        false => None,
    };
    let measured = Measured {
        repeat: scale.repeat,
        quick: scale.quick,
        rows: measured_rows,
        crash,
        python,
    };
    if text {
        say(summary(&measured))?;
    } else {
        say(serde_json::to_string_pretty(&measured)?)?;
    }
    if let (Some(path), Some(_created)) = (&args.plot, chart) {
        let python_rows = measured.python.iter().flat_map(|p| &p.rows);
        let all: Vec<&Row> = measured.rows.iter().chain(python_rows).collect();
        plot::ratios(path, &all).with_context(|| format!("drawing {}", path.display()))?;
    }
    Ok(())
}

/// The Python rows, printed as they come; a note when `python3` is missing.
fn python(scale: Scale, text: bool) -> anyhow::Result<Option<Python>> {
    let Some((rows, gil)) = rows::python::rows(scale)? else {
        if text {
            say("python: python3 was not found, so its rows were not measured")?;
        }
        return Ok(None);
    };
    if text {
        for row in &rows {
            say(row)?;
        }
        say(match gil {
            true => "python: the GIL is on: its threads run Python code one at a time",
            false => {
                "python: the GIL is off (a free-threaded build): its threads run Python code in parallel"
            }
        })?;
    }
    Ok(Some(Python { rows, gil }))
}

/// `When to use which, by these numbers:`, then each side's rows.
fn summary(measured: &Measured) -> String {
    let python_rows = measured.python.iter().flat_map(|p| &p.rows);
    let rows: Vec<&Row> = measured.rows.iter().chain(python_rows).collect();
    let side = |wanted: fn(&Verdict) -> Option<f64>| -> Vec<String> {
        rows.iter()
            .filter_map(|row| wanted(&row.verdict()).map(|f| format!("{} ({f:.2}x)", row.claim)))
            .collect()
    };
    let mut threads = side(|v| match v {
        Verdict::Threads(f) => Some(*f),
        _ => None,
    });
    let mut processes = side(|v| match v {
        Verdict::Processes(f) => Some(*f),
        _ => None,
    });
    let even = side(|v| match v {
        Verdict::Even(f) => Some(*f),
        _ => None,
    });
    let crash = &measured.crash;
    match (crash.thread_survived, crash.process_survived) {
        (false, true) => processes.push("a worker crashes (isolated)".into()),
        (true, false) => threads.push("a worker crashes (isolated)".into()),
        _ => {}
    }
    let list = |items: Vec<String>| match items.is_empty() {
        true => "none".to_owned(),
        false => items.join("; "),
    };
    format!(
        "When to use which, by these numbers:\n  threads: {}\n  processes: {}\n  even: {}",
        list(threads),
        list(processes),
        list(even)
    )
}

/// Measures, on this machine, each claim made about threads and processes: one
/// row per claim with both figures and the verdict they give, then a summary of
/// when to use which.
#[derive(Debug, Parser)]
#[command(version, after_help = AFTER_HELP)]
struct Args {
    /// Runs (or batches) per figure, whose median is printed (1 to 100).
    #[arg(long, value_name = "R", default_value_t = 3,
          value_parser = clap::value_parser!(u16).range(1..=100))]
    repeat: u16,

    /// Smaller workloads, for a check in a few seconds (the verdicts may be less
    /// clear-cut).
    #[arg(long)]
    quick: bool,

    /// Also measure Python's threads and processes on the CPU-bound and I/O-bound
    /// rows, when python3 is present.
    #[arg(long)]
    python: bool,

    /// Print the rows as one JSON object instead of text.
    #[arg(long)]
    json: bool,

    /// Draw each row's ratio as an SVG bar chart in FILE.svg. The file is created
    /// before anything is measured.
    #[arg(long, value_name = "FILE.svg", value_parser = sync_kit::cli::parse_svg_path)]
    plot: Option<PathBuf>,
}

const AFTER_HELP: &str = "\
Every figure is lower-is-better; each verdict is computed from the two figures as printed.
Check a run's output with:
  cargo run -q --release -p ex01-threads-vs-processes | cargo xtask check ex01 -";
