package dev.uvgl.backend.cuda;

import dev.uvgl.autograd.ops.Add;
import dev.uvgl.autograd.ops.Gelu;
import dev.uvgl.autograd.ops.GlobalAvgPool;
import dev.uvgl.autograd.ops.KlUniform;
import dev.uvgl.autograd.ops.L2Normalize;
import dev.uvgl.autograd.ops.LayerNorm;
import dev.uvgl.autograd.ops.LogSoftmax;
import dev.uvgl.autograd.ops.Mean;
import dev.uvgl.autograd.ops.Mul;
import dev.uvgl.autograd.ops.Permute;
import dev.uvgl.autograd.ops.Reshape;
import dev.uvgl.autograd.ops.Scale;
import dev.uvgl.autograd.ops.Softmax;
import dev.uvgl.autograd.ops.SoftmaxCrossEntropy;
import dev.uvgl.autograd.ops.Sum;
import dev.uvgl.autograd.ops.TopKValues;
import dev.uvgl.backend.Backend;
import dev.uvgl.dmnil.loss.NeighbourLoss;
import dev.uvgl.dmnil.loss.NeighbourMask;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static dev.uvgl.backend.cuda.EmuBackends.CPU;
import static dev.uvgl.backend.cuda.EmuBackends.assertClose;
import static dev.uvgl.backend.cuda.EmuBackends.emu;
import static dev.uvgl.backend.cuda.EmuBackends.random;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The autograd ops (everything but the conv/GEMM ones) run through CudaBackend on the emulated device:
 * forward values and the gradients of every leaf match the same program on the CPU backend.
 */
class AutogradOnCudaBackendTest {
    @AfterAll static void giveTheMemoryBack() { EmuBackends.release(); }

    /** A program from leaves to a one-element loss, run on one backend. */
    private interface Program extends Function<List<Tensor>, Tensor> {}

    private static void compare(String name, List<Shape> leafShapes, Program program, double tol) {
        List<Tensor> cpu = leaves(CPU, leafShapes), dev = leaves(emu(), leafShapes);
        Tensor lc = program.apply(cpu), ld = program.apply(dev);
        assertClose(name + " loss", lc, ld, tol);
        lc.backward();
        ld.backward();
        for (int i = 0; i < cpu.size(); i++)
            assertClose(name + " grad of leaf " + i, cpu.get(i).grad(), dev.get(i).grad(), tol);
    }

    private static List<Tensor> leaves(Backend be, List<Shape> shapes) {
        return java.util.stream.IntStream.range(0, shapes.size())
                .mapToObj(i -> be.fromArray(random(100 + i, shapes.get(i).numel(), -1.5, 1.5), shapes.get(i))
                        .requiresGrad(true)).toList();
    }

    /**
     * The neighbour loss keeps its B x N work (logits, log-softmax, p, the logits' gradient) on the
     * backend; only the neighbour cells cross to the host. The memory moves between forward and
     * backward, as the reference's instance memory does. Bound 1e-4 relative: the logits / tau (tau
     * 0.05) multiply the two GEMMs' different rounding by 20.
     */
    @Test void neighbourLossWithTheMemoryMovedBeforeBackward() {
        int b = 6, n = 40, d = 8;
        int[] rows = {0, 7, 7, 19, 25, 39};
        Tensor cpuMemory = CPU.l2Normalize(CPU.fromArray(random(300, n * d, -1, 1), Shape.of(n, d)), 1e-12);
        Tensor cpuQueries = CPU.gatherRows(cpuMemory, rows);
        NeighbourMask mask = NeighbourMask.of(cpuQueries, cpuMemory, cpuQueries, cpuMemory, 0.5);
        Tensor[] loss = new Tensor[2], grad = new Tensor[2];
        List<Backend> backends = List.of(CPU, emu());
        for (int k = 0; k < 2; k++) {
            Backend be = backends.get(k);
            Tensor memory = be.l2Normalize(be.fromArray(random(300, n * d, -1, 1), Shape.of(n, d)), 1e-12);
            Tensor x = be.fromArray(random(301, b * d, -1, 1), Shape.of(b, d)).requiresGrad(true);
            loss[k] = NeighbourLoss.apply(L2Normalize.apply(x), memory, mask, 0.05);
            be.addInPlace(memory, be.fromArray(random(302, n * d, -0.1, 0.1), Shape.of(n, d)));
            loss[k].backward();
            grad[k] = x.grad();
        }
        int neighbours = 0;
        for (int i = 0; i < b; i++) neighbours += mask.count(i);
        assertTrue(neighbours > b, "the mask must hold more than the rows themselves: " + neighbours);
        assertClose("neighbour loss", loss[0], loss[1], 1e-4);
        assertClose("neighbour loss gradient", grad[0], grad[1], 1e-4);
    }

    @Test void convNeXtBlockShapedProgram() {
        // NHWC activations, LayerNorm over channels, GELU, a per-channel layer scale, residual, pooling, L2 norm.
        compare("block", List.of(Shape.of(2, 3, 5, 6), Shape.of(6), Shape.of(6), Shape.of(6)), l -> {
            Tensor x = l.get(0);
            Tensor h = LayerNorm.apply(x, l.get(1), l.get(2), 1e-6);
            h = Mul.apply(Gelu.apply(h), l.get(3));
            Tensor y = Add.apply(x, h);
            Tensor e = L2Normalize.apply(GlobalAvgPool.apply(y));
            return Sum.apply(Mul.apply(e, e.backend().fromArray(random(7, 12, -1, 1), Shape.of(2, 6))));
        }, 1e-5);
    }

    @Test void channelsFirstLayerNormAndPermutes() {
        compare("channels first", List.of(Shape.of(2, 4, 3, 5), Shape.of(4), Shape.of(4)), l -> {
            Tensor h = LayerNorm.apply(l.get(0), l.get(1), l.get(2), 1, 1e-6);
            Tensor p = Permute.apply(h, 0, 2, 3, 1);
            Tensor r = Reshape.apply(p, 6, 20);
            return Mean.apply(Scale.apply(Sum.apply(Mul.apply(r, r), 1, false), 0.5, 0.1));
        }, 1e-5);
    }

    @Test void lossesOverSoftmaxesAndTopK() {
        int[] labels = {3, 0, 9, 4};
        compare("losses", List.of(Shape.of(4, 10)), l -> {
            Tensor x = l.get(0);
            Tensor ce = SoftmaxCrossEntropy.apply(x, labels, 0.5);
            Tensor kl = KlUniform.apply(Softmax.apply(x));
            Tensor lsm = Mean.apply(LogSoftmax.apply(x), 1, false);
            Tensor top = Sum.apply(TopKValues.apply(x, 3).values());
            return Add.apply(Add.apply(ce, Scale.apply(kl, 0.3)),
                    Add.apply(Scale.apply(Sum.apply(lsm), 0.01), Scale.apply(top, 0.2)));
        }, 1e-5);
    }
}
