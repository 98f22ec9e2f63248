//! `--plot`: the breakdown (start, map, shutdown per pool size) as an SVG bar chart.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::{Timing, ms};

/// One bar of each group: its legend, its colour, and its value in milliseconds.
type Step = (&'static str, RGBColor, fn(&Timing) -> f64);

/// Draws one group of three bars per pool size, in milliseconds from 0, with each
/// bar's value centred above it (the map is often too short to see as a bar), each
/// group's name centred below it, and the legend in headroom above the bars.
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
    // The bars reach at most 60 % of the height: the legend fits above them.
    let top = (highest / 0.6).max(0.001);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("Process pool: start, map(square, 1..=10), shutdown (median of {repeat})"),
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..groups, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_desc("milliseconds")
        .draw()?;
    let centred = |size: u32| {
        ("sans-serif", size)
            .into_font()
            .into_text_style(&root)
            .pos(Pos::new(HPos::Center, VPos::Bottom))
    };
    // Each group's name below the axis, centred under its three bars. The mesh's
    // own x labels fall at round numbers, not at the groups, so they are drawn here.
    for (group, (size, _)) in sizes.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(group as f64 + 0.5, 0.0));
        let name = match size {
            1 => "1 worker".to_owned(),
            n => format!("{n} workers"),
        };
        root.draw_text(&name, &centred(13), (x, y + 22))?;
    }
    for (step, (name, colour, value)) in steps.iter().enumerate() {
        let left = |group: usize| group as f64 + 0.15 + 0.24 * step as f64;
        let bars = sizes.iter().enumerate().map(|(group, (_, t))| {
            Rectangle::new(
                [(left(group), 0.0), (left(group) + 0.22, value(t))],
                colour.filled(),
            )
        });
        chart
            .draw_series(bars)?
            .label(*name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled()));
        let labels = sizes.iter().enumerate().map(|(group, (_, t))| {
            Text::new(
                format!("{:.2}", value(t)),
                (left(group) + 0.11, value(t) + top * 0.01),
                centred(11),
            )
        });
        chart.draw_series(labels)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .draw()?;
    root.present()?;
    Ok(())
}
