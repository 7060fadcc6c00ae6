package dev.uvgl.report;

import dev.uvgl.dmnil.MetricsLog;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several training runs side by side, one picture: drone->satellite R@1 per epoch (epoch -1 = the start)
 * on the left, drone and satellite pseudo-label purity per epoch on the right, one colour per run. Used by
 * `bench learning` for the learning report; points that are missing or not finite are left out, as in
 * MetricsCharts.
 */
public final class LearningCurves {
    public static final int WIDTH = 1400, HEIGHT = 560;

    private LearningCurves() {}

    /** One run: a label and its metrics.jsonl. */
    public record Run(String label, Path metrics) {}

    /** Writes the picture; returns the notes of skipped points. */
    public static List<String> write(List<Run> runs, Path png) throws IOException {
        Png.headless();
        List<String> notes = new ArrayList<>();
        Map<String, List<MetricsLog.Line>> lines = new LinkedHashMap<>();
        for (Run r : runs) lines.put(r.label(), MetricsLog.read(r.metrics(), notes::add));
        XYChart recall = chart("drone->satellite R@1 per epoch (epoch -1: the start)", "R@1 (%)");
        XYChart purity = chart("pseudo-label purity per epoch (solid: drone, dashed: satellite)", "purity");
        for (var e : lines.entrySet()) {
            add(recall, e.getKey(),
                    EpochSeries.of("recall", e.getKey(), e.getValue(), notes::add, "eval", "d2s", "r1"));
            add(purity, e.getKey() + " (drone)",
                    EpochSeries.of("purity", e.getKey(), e.getValue(), notes::add, "purity", "drone"));
            EpochSeries sat = EpochSeries.of("purity", e.getKey(), e.getValue(), notes::add, "purity", "satellite");
            if (!sat.isEmpty())
                purity.addSeries(e.getKey() + " (satellite)", sat.epochs(), sat.values())
                        .setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
        }
        Png.write(png, side(recall, purity));
        return notes;
    }

    private static XYChart chart(String title, String y) {
        XYChart c = new XYChartBuilder().width(WIDTH / 2).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(y).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setAntiAlias(true);
        c.getStyler().setXAxisDecimalPattern("#");
        c.getStyler().setMarkerSize(6);
        return c;
    }

    private static void add(XYChart c, String name, EpochSeries s) {
        if (!s.isEmpty()) c.addSeries(name, s.epochs(), s.values());
    }

    /** Two charts drawn next to each other into one image. */
    private static java.awt.image.BufferedImage side(XYChart left, XYChart right) {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(WIDTH, HEIGHT,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            left.paint(g, WIDTH / 2, HEIGHT);
            g.translate(WIDTH / 2, 0);
            right.paint(g, WIDTH / 2, HEIGHT);
        } finally {
            g.dispose();
        }
        return img;
    }
}
