//! `--plot`: the breakdown (start, map, shutdown per pool size) as an SVG bar chart.

use std::path::Path;

use plotters::prelude::*;

use crate::{Timing, ms};

/// One bar of each group: its legend, its colour, and its value in milliseconds.
type Step = (&'static str, RGBColor, fn(&Timing) -> f64);

/// Draws one group of three bars per pool size, in milliseconds, with each bar's
/// value written above it (the map is often too short to see as a bar).
pub(crate) fn breakdown(path: &Path, sizes: &[(u16, Timing)], repeat: u16) -> anyhow::Result<()> {
    let steps: [Step; 3] = [
        ("start", RGBColor(66, 133, 244), |t| ms(t.start)),
        ("map", RGBColor(219, 68, 55), |t| ms(t.map)),
        ("shutdown", RGBColor(244, 180, 0), |t| ms(t.shutdown)),
    ];
    let highest = sizes
        .iter()
        .flat_map(|(_, t)| steps.iter().map(move |(_, _, value)| value(t)))
        .fold(0.0f64, f64::max);
    let root = SVGBackend::new(path, (720, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let groups = sizes.len() as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("Process pool: start, map(square, 1..=10), shutdown (median of {repeat})"),
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        // Room below zero for each group's name, drawn inside the chart: the mesh's
        // own x labels fall at round numbers, not at the groups.
        .build_cartesian_2d(0.0..groups, -highest * 0.1..(highest * 1.2).max(0.001))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_desc("milliseconds")
        .draw()?;
    chart.draw_series(sizes.iter().enumerate().map(|(group, (size, _))| {
        Text::new(
            format!("{size} workers"),
            (group as f64 + 0.38, -highest * 0.06),
            ("sans-serif", 13),
        )
    }))?;
    for (step, (name, colour, value)) in steps.iter().enumerate() {
        let bars = sizes.iter().enumerate().map(|(group, (_, t))| {
            let left = group as f64 + 0.15 + 0.23 * step as f64;
            Rectangle::new([(left, 0.0), (left + 0.2, value(t))], colour.filled())
        });
        chart
            .draw_series(bars)?
            .label(*name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled()));
        let labels = sizes.iter().enumerate().map(|(group, (_, t))| {
            let left = group as f64 + 0.15 + 0.23 * step as f64;
            Text::new(
                format!("{:.2}", value(t)),
                (left, value(t) + highest * 0.03),
                ("sans-serif", 11),
            )
        });
        chart.draw_series(labels)?;
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .draw()?;
    root.present()?;
    Ok(())
}
