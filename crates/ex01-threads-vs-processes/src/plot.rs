//! `--plot`: each row's ratio as an SVG bar chart, on a log scale: a bar to the
//! right when threads win (processes' figure over threads'), to the left when
//! processes win.

use std::path::Path;

use plotters::prelude::*;

use crate::rows::Row;

/// Draws one horizontal bar per row: log10 of processes' figure over threads'.
pub(crate) fn ratios(path: &Path, rows: &[&Row]) -> anyhow::Result<()> {
    let logs: Vec<f64> = rows
        .iter()
        .map(|row| (row.processes.max(1e-3) / row.threads.max(1e-3)).log10())
        .collect();
    let reach = logs.iter().fold(1.0f64, |m, v| m.max(v.abs())).ceil();
    let height = 80 + 34 * rows.len() as u32;
    let root = SVGBackend::new(path, (900, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let (labels, bars) = root.split_horizontally(360);
    let mut chart = ChartBuilder::on(&bars)
        .caption(
            "processes' figure / threads' (log scale; right: threads win)",
            ("sans-serif", 16),
        )
        .margin(12)
        .x_label_area_size(30)
        .build_cartesian_2d(-reach..reach, 0.0..rows.len() as f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_label_formatter(&|x| format!("{:.2}x", 10f64.powf(*x)))
        .draw()?;
    for (i, value) in logs.iter().enumerate() {
        let y = rows.len() as f64 - i as f64 - 1.0;
        let colour = if *value >= 0.0 {
            RGBColor(66, 133, 244)
        } else {
            RGBColor(219, 68, 55)
        };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y + 0.2), (*value, y + 0.8)],
            colour.filled(),
        )))?;
        let (_, label_y) = chart.backend_coord(&(0.0, y + 0.5));
        labels.draw_text(
            &rows[i].claim,
            &("sans-serif", 13).into_font().color(&BLACK),
            (8, label_y - 7),
        )?;
    }
    root.present()?;
    Ok(())
}
