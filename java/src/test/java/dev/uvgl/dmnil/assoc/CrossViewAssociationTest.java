package dev.uvgl.dmnil.assoc;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CrossViewAssociationTest {
    static Tensor tensor(double[] v, DType t, int rows, int cols) {
        var be = CpuBackend.INSTANCE;
        return be.toDType(be.fromArray(v, Shape.of(rows, cols)), t);
    }

    /*
     * Six drone rows are the unit axes (fd = fd' = I), so a satellite row's scores against the drones
     * are its own entries. Ld = [0, 1, 1, 2, -1, 2]; voteK = 3, smoothK = 3.
     *   s0 = (5,5,4,0,0,0): A = [0,1,2] (5 = 5: lower index first), Ld[A] = [0,1,1];
     *   s0'= (3,2,0,1,0,0): B = [0,1,3], Ld[B] = [0,1,2]; every candidate counts 1 -> the first: 0.
     *   s1 = (0,0,1,3,4,2): A = [4,3,5] -> [-1,2,2]; s1' = (0,0,0,1,5,3): B = [4,5,3] -> [-1,2,2];
     *        counts 1,2,2 -> 2.
     *   s2 = (0,1,0,0,3,0): A = [4,1,0] (zeros tie: lowest index) -> [-1,1,0];
     *   s2'= (0,0,0,0,4,0): B = [4,0,1] -> [-1,0,1]; counts 1,1,1 -> the first: -1.
     *   s3 = (1,0,0,0,0,5): A = [5,0,1] -> [2,0,1]; s3' = (0,2,2,0,0,1): B = [1,2,5] -> [1,1,2];
     *        counts 1,0,2 -> 1.
     * voted = [0, 2, -1, 1].
     * S = fs.fs^T + fs'.fs'^T = [[80,5,5,9],[5,65,32,13],[5,32,26,0],[9,13,0,35]]; top 3 per row:
     *   row 0: 0, 3, then 5 = 5 -> 1: labels 0,1,2, all once -> lowest: 0 (had the tie gone to 2: -1).
     *   row 1: 1, 2, 3 -> 2,-1,1 -> -1.   row 2: 1, 2, 0 -> 2,-1,0 -> -1.   row 3: 3, 1, 0 -> 1,2,0 -> 0.
     */
    private static final double[] FS = {5, 5, 4, 0, 0, 0, 0, 0, 1, 3, 4, 2, 0, 1, 0, 0, 3, 0, 1, 0, 0, 0, 0, 5};
    private static final double[] FS_NOISY = {3, 2, 0, 1, 0, 0, 0, 0, 0, 1, 5, 3, 0, 0, 0, 0, 4, 0, 0, 2, 2, 0, 0, 1};
    private static final int[] LD = {0, 1, 1, 2, -1, 2};

    private static double[] identity(int n) {
        double[] e = new double[n * n];
        for (int i = 0; i < n; i++) e[i * n + i] = 1;
        return e;
    }

    @Test void handBuiltCaseWithTiesEverywhere() {
        for (DType t : DType.values()) for (int tile : new int[] {1, 3, 100}) {
            var labels = new CrossViewAssociation(3, 3, tile)
                    .associate(tensor(FS, t, 4, 6), tensor(identity(6), t, 6, 6), LD,
                    tensor(FS_NOISY, t, 4, 6), tensor(identity(6), t, 6, 6));
            assertArrayEquals(new int[] {0, 2, -1, 1}, labels.voted(), t + " tile " + tile);
            assertArrayEquals(new int[] {0, -1, -1, 0}, labels.smoothed(), t + " tile " + tile);
        }
    }

    /** Random clustered views against a dense, unstreamed recomputation (full sort per row). */
    @Test void equalsDenseRecomputationOnRandomViews() {
        int ns = 150, nd = 120, d = 8;
        Random r = new Random(5);
        double[] fs = unit(r, ns, d), fd = unit(r, nd, d);
        double[] fsN = noisy(r, fs), fdN = noisy(r, fd);
        int[] ld = new int[nd];
        for (int i = 0; i < nd; i++) ld[i] = r.nextInt(10) - 1;
        int[][] want = dense(fs, fd, ld, fsN, fdN, ns, nd, d, 10, 5);
        for (int tile : new int[] {7, 256}) {
            var got = CrossViewAssociation.standard()
                    .associate(tensor(fs, DType.F64, ns, d), tensor(fd, DType.F64, nd, d), ld,
                    tensor(fsN, DType.F64, ns, d), tensor(fdN, DType.F64, nd, d));
            var tiled = new CrossViewAssociation(10, 5, tile)
                    .associate(tensor(fs, DType.F64, ns, d), tensor(fd, DType.F64, nd, d), ld,
                    tensor(fsN, DType.F64, ns, d), tensor(fdN, DType.F64, nd, d));
            assertArrayEquals(want[0], got.voted());
            assertArrayEquals(want[1], got.smoothed());
            assertArrayEquals(want[0], tiled.voted());
            assertArrayEquals(want[1], tiled.smoothed());
        }
    }

    @Test void rejectsMismatchedInputs() {
        Tensor fs = tensor(FS, DType.F64, 4, 6), fd = tensor(identity(6), DType.F64, 6, 6);
        var assoc = new CrossViewAssociation(3, 3, 2);
        assertThrows(IllegalArgumentException.class, () -> assoc.associate(fs, fd, new int[5], fs, fd));
        assertThrows(IllegalArgumentException.class,
                () -> assoc.associate(fs, fd, new int[] {0, 0, 0, 0, -2, 0}, fs, fd));
        assertThrows(IllegalArgumentException.class,
                () -> new CrossViewAssociation(7, 3, 2).associate(fs, fd, LD, fs, fd));
    }

    private static double[] unit(Random r, int n, int d) {
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int e = 0; e < d; e++) { x[i * d + e] = r.nextGaussian(); s += x[i * d + e] * x[i * d + e]; }
            for (int e = 0; e < d; e++) x[i * d + e] /= Math.sqrt(s);
        }
        return x;
    }

    private static double[] noisy(Random r, double[] x) {
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) y[i] += 0.05 * r.nextGaussian();
        return y;
    }

    /** Plainly: sort every row's full score list, vote, smooth (dmnil.md section 5 word for word). */
    static int[][] dense(double[] fs, double[] fd, int[] ld, double[] fsN, double[] fdN, int ns, int nd, int d,
            int voteK, int smoothK) {
        int[] voted = new int[ns], smoothed = new int[ns];
        for (int i = 0; i < ns; i++) {
            int[] a = best(fs, i, fd, nd, d, voteK, null, null), b = best(fsN, i, fdN, nd, d, voteK, null, null);
            int bestCount = -1;
            for (int j = 0; j < voteK; j++) {
                int count = 0;
                for (int t = 0; t < voteK; t++) if (ld[b[t]] == ld[a[j]]) count++;
                if (count > bestCount) { bestCount = count; voted[i] = ld[a[j]]; }
            }
        }
        for (int i = 0; i < ns; i++) {
            int[] near = best(fs, i, fs, ns, d, smoothK, fsN, fsN);
            int[] counts = new int[1 + Arrays.stream(voted).max().orElse(0) + 1];
            for (int j : near) counts[voted[j] + 1]++;
            int arg = 0;
            for (int c = 1; c < counts.length; c++) if (counts[c] > counts[arg]) arg = c;
            smoothed[i] = arg - 1;
        }
        return new int[][] {voted, smoothed};
    }

    /** Indices of the k largest q[i].keys[j] (+ q2[i].keys2[j] when given), ties to the lower index. */
    private static int[] best(double[] q, int i, double[] keys, int n, int d, int k, double[] q2, double[] keys2) {
        double[] s = new double[n];
        for (int j = 0; j < n; j++) {
            double a = 0, b = 0;
            for (int e = 0; e < d; e++) a += q[i * d + e] * keys[j * d + e];
            if (q2 != null) for (int e = 0; e < d; e++) b += q2[i * d + e] * keys2[j * d + e];
            s[j] = a + b;
        }
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) order[j] = j;
        Arrays.sort(order, (x, y) -> s[x] != s[y] ? Double.compare(s[y], s[x]) : Integer.compare(x, y));
        int[] out = new int[k];
        for (int t = 0; t < k; t++) out[t] = order[t];
        return out;
    }
}
