package dev.uvgl.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uvgl.dmnil.MetricsLog;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A training run's pictures from its metrics.jsonl: loss_terms.png (every key of "loss" per epoch),
 * retrieval.png (R@1 and AP in both directions), purity.png (pseudo-label purity per view) and
 * cluster_sizes.png (histogram of the last epoch's cluster sizes per view). Points that are missing
 * or not finite are left out and listed in the notes; a chart with no point at all is not written.
 */
public final class MetricsCharts {
    public static final int WIDTH = 900, HEIGHT = 540;
    static final List<String> VIEWS = List.of("drone", "satellite");

    /** The files written and what was skipped, one note a line. */
    public record Result(List<Path> written, List<String> notes) {}

    private MetricsCharts() {}

    public static Result write(Path metricsJsonl, Path outDir) throws IOException {
        Png.headless();
        List<String> notes = new ArrayList<>();
        List<MetricsLog.Line> lines = MetricsLog.read(metricsJsonl, notes::add);
        Files.createDirectories(outDir);
        List<Path> written = new ArrayList<>();

        List<EpochSeries> loss = new ArrayList<>();
        for (String key : lossKeys(lines))
            loss.add(EpochSeries.of("loss_terms.png", key, lines, notes::add, "loss", key));
        line(outDir.resolve("loss_terms.png"), "Loss terms", "loss", loss, notes, written);

        List<EpochSeries> retrieval = new ArrayList<>();
        for (String dir : List.of("d2s", "s2d"))
            for (String m : List.of("r1", "ap"))
                retrieval.add(EpochSeries.of("retrieval.png", (m.equals("r1") ? "R@1 " : "AP ") + dir, lines,
                        notes::add, "eval", dir, m));
        line(outDir.resolve("retrieval.png"), "Retrieval on the test split", "%", retrieval, notes, written);

        List<EpochSeries> purity = new ArrayList<>();
        for (String v : VIEWS) purity.add(EpochSeries.of("purity.png", v, lines, notes::add, "purity", v));
        line(outDir.resolve("purity.png"), "Pseudo-label purity", "purity", purity, notes, written);

        clusterSizes(outDir.resolve("cluster_sizes.png"), lines, notes, written);
        return new Result(List.copyOf(written), List.copyOf(notes));
    }

    private static Set<String> lossKeys(List<MetricsLog.Line> lines) {
        Set<String> keys = new LinkedHashSet<>();
        for (MetricsLog.Line l : lines)
            for (Iterator<String> it = l.json().path("loss").fieldNames(); it.hasNext(); ) keys.add(it.next());
        return keys;
    }

    private static void line(Path file, String title, String yTitle, List<EpochSeries> series, List<String> notes,
            List<Path> written) throws IOException {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setXAxisDecimalPattern("#");
        c.getStyler().setMarkerSize(6);
        for (EpochSeries s : series) if (!s.isEmpty()) c.addSeries(s.name(), s.epochs(), s.values());
        if (c.getSeriesMap().isEmpty()) {
            notes.add(file.getFileName() + " not written: no line has these values yet");
            return;
        }
        Png.write(file, c);
        written.add(file);
    }

    private static void clusterSizes(Path file, List<MetricsLog.Line> lines, List<String> notes,
            List<Path> written) throws IOException {
        MetricsLog.Line last = null;
        for (MetricsLog.Line l : lines) if (l.json().path("cluster_sizes").isObject()) last = l;
        if (last == null) {
            notes.add(file.getFileName() + " not written: no line has cluster_sizes yet");
            return;
        }
        List<int[]> perView = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String v : VIEWS) {
            JsonNode a = last.json().path("cluster_sizes").path(v);
            if (!a.isArray()) continue;
            List<Integer> sizes = new ArrayList<>();
            for (JsonNode n : a) {
                if (n.canConvertToInt() && n.asInt() > 0) sizes.add(n.asInt());
                else notes.add(file.getFileName() + ": skipped cluster size " + n + " of " + v + " at epoch "
                        + last.epoch());
            }
            if (sizes.isEmpty()) continue;
            perView.add(sizes.stream().mapToInt(Integer::intValue).toArray());
            names.add(v);
        }
        if (perView.isEmpty()) {
            notes.add(file.getFileName() + " not written: epoch " + last.epoch() + " has no cluster sizes");
            return;
        }
        SizeBins bins = SizeBins.covering(perView);
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Cluster sizes at epoch " + last.epoch()).xAxisTitle("images per cluster")
                .yAxisTitle("clusters").build();
        style(c.getStyler());
        c.getStyler().setOverlapped(false);
        c.getStyler().setXAxisLabelRotation(45);
        for (int i = 0; i < perView.size(); i++) c.addSeries(names.get(i), bins.labels(), bins.counts(perView.get(i)));
        Png.write(file, c);
        written.add(file);
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);  // inside, the legend hides the last epochs' points
        s.setAntiAlias(true);
    }
}
