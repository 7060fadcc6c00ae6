package dev.uvgl.testing;

import dev.uvgl.autograd.GradMode;
import dev.uvgl.autograd.ops.Mul;
import dev.uvgl.autograd.ops.Sum;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Finite-difference gradient check in float64, as torch.autograd.gradcheck: the op's output is
 * projected onto fixed random weights R (so every output element matters with its own weight),
 * the analytic gradient of sum(out * R) comes from backward(), the numeric one from central
 * differences with step 1e-6, and they must agree within atol + rtol * |numeric| (1e-5, 1e-3:
 * gradcheck's defaults).
 */
public final class GradCheck {
    public static final double STEP = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    private final Function<Tensor[], Tensor> f;
    private final List<Shape> shapes = new ArrayList<>();
    private final List<double[]> values = new ArrayList<>();
    private final List<Boolean> differentiable = new ArrayList<>();
    private final Random rng;

    private GradCheck(Function<Tensor[], Tensor> f, long seed) { this.f = f; this.rng = new Random(seed); }

    /** A check of f over inputs added with input(...); seeds make every run the same. */
    public static GradCheck of(long seed, Function<Tensor[], Tensor> f) { return new GradCheck(f, seed); }

    /** An input of the given shape with entries uniform in [-1, 1). */
    public GradCheck input(int... dims) { return input(Shape.of(dims), uniform(Shape.of(dims).numel(), -1, 1)); }

    public GradCheck input(Shape shape, double[] v) { return add(shape, v, true); }

    /** An input that gets no gradient check (e.g. a memory bank held as a buffer). */
    public GradCheck constant(Shape shape, double[] v) { return add(shape, v, false); }

    private GradCheck add(Shape shape, double[] v, boolean diff) {
        if (v.length != shape.numel()) throw new IllegalArgumentException(v.length + " values for shape " + shape);
        shapes.add(shape); values.add(v.clone()); differentiable.add(diff);
        return this;
    }

    public double[] uniform(int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * rng.nextDouble();
        return v;
    }

    /** Runs the check; returns the report, whose failures() is empty when every gradient agrees. */
    public Report run() {
        var be = CpuBackend.INSTANCE;
        Tensor[] in = tensors(values, true);
        Tensor out = f.apply(in);
        double[] r = uniform(out.numel(), -1, 1);
        Tensor proj = be.fromArray(r, out.shape());
        Sum.apply(Mul.apply(out, proj)).backward();

        Report report = new Report();
        for (int k = 0; k < in.length; k++) {
            if (!differentiable.get(k)) continue;
            Tensor g = in[k].grad();
            double[] analytic = g == null ? new double[in[k].numel()] : g.toDoubleArray();
            double[] x = values.get(k);
            for (int i = 0; i < x.length; i++) {
                double keep = x[i];
                x[i] = keep + STEP;
                double plus = projected(r);
                x[i] = keep - STEP;
                double minus = projected(r);
                x[i] = keep;
                double numeric = (plus - minus) / (2 * STEP);
                report.compare(k, i, analytic[i], numeric);
            }
        }
        return report;
    }

    private double projected(double[] r) {
        try (var s = GradMode.noGrad()) {
            double[] y = f.apply(tensors(values, false)).toDoubleArray();
            double sum = 0;
            for (int i = 0; i < y.length; i++) sum += y[i] * r[i];
            return sum;
        }
    }

    private Tensor[] tensors(List<double[]> vals, boolean withGrad) {
        Tensor[] t = new Tensor[vals.size()];
        for (int k = 0; k < t.length; k++)
            t[k] = CpuBackend.INSTANCE.fromArray(vals.get(k), shapes.get(k))
                    .requiresGrad(withGrad && differentiable.get(k));
        return t;
    }

    /** Every disagreement, and the largest error seen, for a readable assertion message. */
    public static final class Report {
        private final List<String> failures = new ArrayList<>();
        private double worst;
        private int checked;

        void compare(int input, int index, double analytic, double numeric) {
            checked++;
            double err = Math.abs(analytic - numeric);
            worst = Math.max(worst, err / (ATOL + RTOL * Math.abs(numeric)));
            if (!(err <= ATOL + RTOL * Math.abs(numeric)) && failures.size() < 10)
                failures.add(String.format("input %d element %d: analytic %.8g, numeric %.8g", input, index,
                        analytic, numeric));
        }

        public List<String> failures() { return failures; }

        public int checked() { return checked; }

        /** Largest error as a fraction of its tolerance (< 1 passes). */
        public double worstRatio() { return worst; }

        @Override public String toString() {
            return checked + " gradient entries checked, worst error " + String.format("%.3g", worst) + " x tolerance"
                    + (failures.isEmpty() ? "" : "; failures:\n  " + String.join("\n  ", failures));
        }
    }

    /** Asserts that the check passes and that it looked at something. */
    public void assertPasses() {
        Report r = run();
        if (r.checked() == 0) throw new AssertionError("gradient check compared nothing");
        if (!r.failures().isEmpty()) throw new AssertionError("gradient check failed: " + r);
    }
}
