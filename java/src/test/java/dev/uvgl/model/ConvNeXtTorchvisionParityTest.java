package dev.uvgl.model;

import dev.uvgl.autograd.ops.Mul;
import dev.uvgl.autograd.ops.Sum;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.model.weights.HostArray;
import dev.uvgl.model.weights.SafeTensors;
import dev.uvgl.model.weights.WeightLayout;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's ConvNeXt against torchvision's on the same weights (torchvision key names) and
 * inputs: embeddings, flip-averaged embeddings, and gradients of sum(embedding * R) with respect
 * to the images and to weights in every part of the network. Error measure: max |engine - torch|
 * divided by max |torch| over the tensor. Bounds: 1e-4 in float32, 1e-6 in float64 (the
 * reference is float64 rounded once to float32).
 */
class ConvNeXtTorchvisionParityTest {
    static final double F32_BOUND = 1e-4, F64_BOUND = 1e-6;
    static Map<String, HostArray> io;
    static List<String> notes = new ArrayList<>();

    @BeforeAll static void load() throws IOException {
        io = SafeTensors.read(Fixtures.path("convnext_tv_io.safetensors")).tensors();
    }

    static ConvNeXt model(DType dtype) throws IOException {
        ConvNeXt m = ConvNeXtWeights.loadModel(Fixtures.path("convnext_tv.safetensors"), CpuBackend.INSTANCE,
                notes::add);
        if (dtype == DType.F32) return m;
        ConvNeXt m64 = new ConvNeXt(m.config(), CpuBackend.INSTANCE, DType.F64, 0);
        ConvNeXtWeights.load(m64, ConvNeXtWeights.export(m), "f64 copy");
        return m64;
    }

    /** NCHW fixture images as the engine's NHWC tensor. */
    static Tensor images(DType dtype) {
        HostArray a = io.get("images");
        Tensor nchw = CpuBackend.INSTANCE.fromArray(a.data(), Shape.of(a.shape()));
        Tensor t = CpuBackend.INSTANCE.permute(nchw, new int[] {0, 2, 3, 1});
        return dtype == DType.F32 ? t : CpuBackend.INSTANCE.toDType(t, dtype);
    }

    static double relError(double[] got, float[] want) {
        assertEquals(want.length, got.length, "element count");
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < got.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
            maxRef = Math.max(maxRef, Math.abs(want[i]));
        }
        return maxDiff / maxRef;
    }

    static void assertClose(String what, double[] got, float[] want, double bound) {
        double e = relError(got, want);
        System.out.printf("%s: relative error %.3g (bound %.0e)%n", what, e, bound);
        assertTrue(e <= bound, what + ": relative error " + e + " > " + bound);
    }

    @Test void architectureIsInferredAndTheClassifierIgnoredWithANote() throws IOException {
        notes.clear();
        ConvNeXt m = model(DType.F32);
        assertEquals(new ConvNeXtConfig("x", new int[] {2, 2, 6, 2}, new int[] {16, 32, 64, 128}), m.config());
        assertTrue(notes.stream().anyMatch(n -> n.contains("classifier.2.weight")), notes.toString());
    }

    @Test void embeddingsMatchTorchvisionInFloat32() throws IOException {
        ConvNeXt m = model(DType.F32).eval();
        assertClose("embeddings f32", m.forward(images(DType.F32)).toDoubleArray(),
                io.get("embeddings").data(), F32_BOUND);
    }

    @Test void embeddingsMatchTorchvisionInFloat64() throws IOException {
        ConvNeXt m = model(DType.F64).eval();
        assertClose("embeddings f64", m.forward(images(DType.F64)).toDoubleArray(),
                io.get("embeddings").data(), F64_BOUND);
    }

    @Test void flipAveragedEmbeddingMatchesTorchvision() throws IOException {
        ConvNeXt m = model(DType.F32).eval();
        assertClose("flip-averaged", m.flipAveragedEmbedding(images(DType.F32)).toDoubleArray(),
                io.get("flip_averaged").data(), F32_BOUND);
    }

    @Test void gradientsMatchTorchvisionInFloat32() throws IOException { checkGradients(DType.F32, F32_BOUND); }

    @Test void gradientsMatchTorchvisionInFloat64() throws IOException { checkGradients(DType.F64, F64_BOUND); }

    private void checkGradients(DType dtype, double bound) throws IOException {
        var be = CpuBackend.INSTANCE;
        ConvNeXt m = model(dtype);
        Tensor x = images(dtype).requiresGrad(true);
        HostArray r = io.get("loss_weights");
        Tensor rt = be.toDType(be.fromArray(r.data(), Shape.of(r.shape())), dtype);
        Sum.apply(Mul.apply(m.forward(x), rt)).backward();
        Tensor gx = be.permute(x.grad(), new int[] {0, 3, 1, 2});
        assertClose("grad images " + dtype, gx.toDoubleArray(), io.get("grad.images").data(), bound);
        var params = m.namedParameters();
        int checked = 0;
        for (String key : io.keySet()) {
            if (!key.startsWith("grad.features") && !key.startsWith("grad.classifier")) continue;
            String tv = key.substring("grad.".length());
            String engine = WeightLayout.TORCHVISION.toEngine(tv);
            assertClose("grad " + tv + " (" + engine + ") " + dtype, params.get(engine).grad().toDoubleArray(),
                    io.get(key).data(), bound);
            checked++;
        }
        assertEquals(7, checked, "weight gradients compared");
    }
}
