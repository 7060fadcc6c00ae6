package dev.uvgl.autograd.ops;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import dev.uvgl.testing.Naive;
import dev.uvgl.testing.PrecisionParity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Conv2dTest {
    // n, h, w, cin, cout, kh, kw, stride, pad, groups, bias: ConvNeXt's stem (4x4/4), downsample (2x2/2),
    // depthwise 7x7 pad 3, and general cases (grouped, strided, padded, non-square kernel).
    private static final String CASES = """
            2, 8, 8, 3, 5, 4, 4, 4, 0, 1, true
            2, 6, 4, 4, 6, 2, 2, 2, 0, 1, true
            2, 9, 8, 3, 3, 7, 7, 1, 3, 3, true
            1, 5, 7, 4, 6, 3, 3, 2, 1, 2, false
            1, 6, 5, 2, 3, 2, 3, 1, 1, 1, true
            1, 7, 7, 4, 4, 3, 3, 2, 1, 4, false
            """;

    @ParameterizedTest @CsvSource(textBlock = CASES)
    void forwardMatchesDefinition(int n, int h, int w, int cin, int cout, int kh, int kw, int stride, int pad,
            int groups, boolean bias) {
        double[] x = Inputs.uniform(1, n * h * w * cin), wt = Inputs.uniform(2, cout * cin / groups * kh * kw),
                b = bias ? Inputs.uniform(3, cout) : null;
        double[] want = Naive.conv2d(x, n, h, w, cin, wt, cout, kh, kw, b, stride, pad, groups);
        for (DType t : DType.values()) {
            var be = CpuBackend.INSTANCE;
            Tensor y = Conv2d.apply(be.toDType(be.fromArray(x, Shape.of(n, h, w, cin)), t),
                    be.toDType(be.fromArray(wt, Shape.of(cout, cin / groups, kh, kw)), t),
                    b == null ? null : be.toDType(be.fromArray(b, Shape.of(cout)), t), stride, pad, groups);
            assertEquals(want.length, y.numel());
            double err = Inputs.maxAbsDiff(y.toDoubleArray(), want);
            assertTrue(err < (t == DType.F64 ? 1e-12 : 1e-5), t + " conv2d off by " + err);
        }
    }

    @ParameterizedTest @CsvSource(textBlock = CASES)
    void gradientsMatchFiniteDifferences(int n, int h, int w, int cin, int cout, int kh, int kw, int stride, int pad,
            int groups, boolean bias) {
        GradCheck c = GradCheck.of(11, in -> Conv2d.apply(in[0], in[1], bias ? in[2] : null, stride, pad, groups))
                .input(n, h, w, cin).input(cout, cin / groups, kh, kw);
        if (bias) c.input(cout);
        c.assertPasses();
    }

    @ParameterizedTest @CsvSource(textBlock = CASES)
    void float32MatchesFloat64(int n, int h, int w, int cin, int cout, int kh, int kw, int stride, int pad, int groups,
            boolean bias) {
        Shape[] s = {Shape.of(n, h, w, cin), Shape.of(cout, cin / groups, kh, kw), Shape.of(cout)};
        double[][] v = {Inputs.uniform(4, s[0].numel()), Inputs.uniform(5, s[1].numel()), Inputs.uniform(6, cout)};
        PrecisionParity.assertClose(1e-5,
                in -> Conv2d.apply(in[0], in[1], bias ? in[2] : null, stride, pad, groups), s, v);
    }
}
