package dev.uvgl.autograd.ops;

import dev.uvgl.backend.TopK;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopKValuesTest {
    private static TopK topk(double[] x, int rows, int k, DType t) {
        return TopKValues.apply(
                CpuBackend.INSTANCE.toDType(CpuBackend.INSTANCE.fromArray(x, Shape.of(rows, x.length / rows)), t), k);
    }

    @Test void descendingWithTiesToTheLowerIndexAndNanFirst() {
        double[] x = {3, 1, 3, 2, 5, 3, /* row 2 */ 0, Double.NaN, -1, 7, 0, 0};
        for (DType t : DType.values()) {
            TopK r = topk(x, 2, 4, t);
            assertArrayEquals(new int[] {4, 0, 2, 5, /* indices within the row */ 1, 3, 0, 4}, r.indices(),
                    t.toString());
            double[] v = r.values().toDoubleArray();
            assertArrayEquals(new double[] {5, 3, 3, 3}, java.util.Arrays.copyOf(v, 4), 0);
            assertTrue(Double.isNaN(v[4]) && v[5] == 7 && v[6] == 0 && v[7] == 0);
        }
    }

    @Test void matchesAFullSortOnLargeRows() {
        double[] x = Inputs.uniform(3, 3 * 5000);
        TopK r = topk(x, 3, 10, DType.F32);
        for (int row = 0; row < 3; row++) {
            Integer[] order = new Integer[5000];
            for (int j = 0; j < 5000; j++) order[j] = j;
            final int rr = row;
            java.util.Arrays.sort(order, (p, q) -> Float.compare((float) x[rr * 5000 + q], (float) x[rr * 5000 + p]));
            for (int j = 0; j < 10; j++) assertTrue(order[j] == r.indices()[row * 10 + j], "row " + row + " rank " + j);
        }
    }

    @Test void gradientsFlowToTheSelectedEntries() {
        // distinct values far apart, so the finite-difference steps never reorder them
        double[] v = new double[12];
        for (int i = 0; i < 12; i++) v[i] = ((i * 7) % 12) * 0.1;
        GradCheck.of(1, in -> TopKValues.apply(in[0], 3).values()).input(Shape.of(2, 6), v).assertPasses();
    }

    @Test void kOutOfRangeIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> topk(new double[] {1, 2}, 1, 3, DType.F32));
    }
}
