package dev.uvgl.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uvgl.dmnil.MetricsLog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One value per epoch taken from the same place in every metrics line (a path of keys such as
 * eval/d2s/r1). A line whose parent object is absent simply has no point (epoch -1 has no loss);
 * a key missing beside its siblings, or a value that is NaN, infinite or not a number, is skipped
 * with a note naming the chart, the key and the epoch.
 */
public record EpochSeries(String name, double[] epochs, double[] values) {
    public static EpochSeries of(String chart, String name, List<MetricsLog.Line> lines, Consumer<String> notes,
            String... path) {
        List<double[]> points = new ArrayList<>();
        String key = String.join(".", path);
        for (MetricsLog.Line l : lines) {
            JsonNode parent = l.json();
            for (int i = 0; i < path.length - 1 && parent != null; i++) parent = parent.get(path[i]);
            if (parent == null || !parent.isObject()) continue;
            JsonNode v = parent.get(path[path.length - 1]);
            double x = v == null ? Double.NaN : v.isNumber() ? v.asDouble() : v.isTextual() ? parse(v.asText())
                    : Double.NaN;
            if (Double.isFinite(x)) points.add(new double[] {l.epoch(), x});
            else notes.accept(chart + ": skipped " + key + " at epoch " + l.epoch() + " ("
                    + (v == null ? "missing" : v.isNumber() ? Double.toString(v.asDouble()) : v.toString()) + ")");
        }
        double[] e = new double[points.size()], y = new double[points.size()];
        for (int i = 0; i < e.length; i++) { e[i] = points.get(i)[0]; y[i] = points.get(i)[1]; }
        return new EpochSeries(name, e, y);
    }

    public boolean isEmpty() { return epochs.length == 0; }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
