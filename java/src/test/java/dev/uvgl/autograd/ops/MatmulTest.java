package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import dev.uvgl.testing.Naive;
import dev.uvgl.testing.PrecisionParity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatmulTest {
    private static final int M = 5, K = 7, N = 4;

    private static Shape a(boolean t) { return t ? Shape.of(K, M) : Shape.of(M, K); }

    private static Shape b(boolean t) { return t ? Shape.of(N, K) : Shape.of(K, N); }

    @ParameterizedTest @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void forward(boolean ta, boolean tb) {
        double[] av = Inputs.uniform(1, M * K), bv = Inputs.uniform(2, K * N);
        double[] want = Naive.matmul(ta ? Naive.transpose(av, K, M) : av, tb ? Naive.transpose(bv, N, K) : bv, M, K, N);
        ElementwiseTestSupport.assertForward(in -> Matmul.apply(in[0], ta, in[1], tb), want, 1e-14, 1e-5,
                new Shape[] {a(ta), b(tb)}, av, bv);
    }

    @ParameterizedTest @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void gradients(boolean ta, boolean tb) {
        GradCheck.of(1, in -> Matmul.apply(in[0], ta, in[1], tb)).input(a(ta).dims()).input(b(tb).dims())
                .assertPasses();
    }

    @ParameterizedTest @CsvSource({"false,true", "true,false"})
    void float32MatchesFloat64(boolean ta, boolean tb) {
        // features x memory^T at a size where BLAS blocks: 64 x 768 against 300 x 768
        Shape sa = ta ? Shape.of(768, 64) : Shape.of(64, 768), sb = tb ? Shape.of(300, 768) : Shape.of(768, 300);
        PrecisionParity.assertClose(1e-5, in -> Matmul.apply(in[0], ta, in[1], tb), new Shape[] {sa, sb},
                new double[][] {Inputs.uniform(1, sa.numel()), Inputs.uniform(2, sb.numel())});
    }
}
