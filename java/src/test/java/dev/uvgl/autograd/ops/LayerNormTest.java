package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import dev.uvgl.testing.Naive;
import dev.uvgl.testing.PrecisionParity;
import org.junit.jupiter.api.Test;

class LayerNormTest {
    @Test void lastAxisForward() {
        double[] x = Inputs.uniform(1, 6 * 8, -3, 3), g = Inputs.uniform(2, 8), b = Inputs.uniform(3, 8);
        ElementwiseTestSupport.assertForward(in -> LayerNorm.apply(in[0], in[1], in[2], 1e-6),
                Naive.layerNorm(x, 6, 8, 1, g, b, 1e-6), 1e-12, 1e-5,
                new Shape[] {Shape.of(2, 3, 8), Shape.of(8), Shape.of(8)}, x, g, b);
    }

    @Test void channelsFirstForward() {
        // NCHW with the norm over C (ConvNeXt's channels_first LayerNorm), eps 1e-5
        double[] x = Inputs.uniform(1, 2 * 4 * 3 * 3, -3, 3), g = Inputs.uniform(2, 4), b = Inputs.uniform(3, 4);
        ElementwiseTestSupport.assertForward(in -> LayerNorm.apply(in[0], in[1], in[2], 1, 1e-5),
                Naive.layerNorm(x, 2, 4, 9, g, b, 1e-5), 1e-12, 1e-5,
                new Shape[] {Shape.of(2, 4, 3, 3), Shape.of(4), Shape.of(4)}, x, g, b);
    }

    @Test void gradients() {
        GradCheck.of(1, in -> LayerNorm.apply(in[0], in[1], in[2], 1e-6)).input(3, 2, 5).input(5).input(5)
                .assertPasses();
        GradCheck.of(2, in -> LayerNorm.apply(in[0], in[1], in[2], 1, 1e-5)).input(2, 3, 2, 2).input(3).input(3)
                .assertPasses();
        // a large eps changes the gradient: checks that the backward uses the same eps
        GradCheck.of(3, in -> LayerNorm.apply(in[0], in[1], in[2], 0.5)).input(4, 6).input(6).input(6).assertPasses();
    }

    @Test void float32MatchesFloat64() {
        PrecisionParity.assertClose(2e-5, in -> LayerNorm.apply(in[0], in[1], in[2], 1e-6),
                new Shape[] {Shape.of(64, 768), Shape.of(768), Shape.of(768)},
                new double[][] {Inputs.uniform(1, 64 * 768, -4, 6), Inputs.uniform(2, 768), Inputs.uniform(3, 768)});
    }
}
