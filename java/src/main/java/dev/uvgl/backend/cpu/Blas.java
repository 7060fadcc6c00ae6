package dev.uvgl.backend.cpu;

import org.bytedeco.openblas.global.openblas_full;

/** What the CPU GEMM runs on, for `info`. */
public final class Blas {
    private Blas() {}

    /** Makes OpenBLAS run every call on the calling thread (the engine parallelises GEMMs itself). */
    static void singleThreaded() {
        try {
            org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas.class);
            openblas_full.openblas_set_num_threads(1);
        } catch (LinkageError e) {
            // describe() reports the failure; the first GEMM will raise it
        }
    }

    /** e.g. "OpenBLAS 0.3.31 DYNAMIC_ARCH ... (core Cooperlake, 2 threads)", or why it did not load. */
    public static String describe() {
        try {
            org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas.class);
            return openblas_full.openblas_get_config().getString() + " (kernel "
                    + openblas_full.openblas_get_corename().getString()
                    + ", " + openblas_full.openblas_get_num_threads() + " threads)";
        } catch (LinkageError e) {
            return "OpenBLAS failed to load: " + e.getMessage();
        }
    }
}
