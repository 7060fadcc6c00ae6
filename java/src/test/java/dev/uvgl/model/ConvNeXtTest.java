package dev.uvgl.model;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvNeXtTest {
    static final ConvNeXtConfig TOY = new ConvNeXtConfig("toy", new int[] {1, 1, 2, 1}, new int[] {8, 16, 16, 24});

    static Tensor images(int n, int px, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * px * px * 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return CpuBackend.INSTANCE.fromArray(x, Shape.of(n, px, px, 3));
    }

    @Test void parameterCountsMatchTorchvisionBackbones() {
        // torchvision convnext_tiny: 28,589,128 parameters, of which the 768 -> 1000 classifier is 769,000.
        assertEquals(28_589_128L - 769_000L,
                new ConvNeXt(ConvNeXtConfig.TINY, CpuBackend.INSTANCE, DType.F32, 0).parameterCount());
        // torchvision's ConvNeXt at atto's settings: 3,695,520, of which the 320 -> 1000 classifier is 321,000.
        assertEquals(3_695_520L - 321_000L,
                new ConvNeXt(ConvNeXtConfig.ATTO, CpuBackend.INSTANCE, DType.F32, 0).parameterCount());
    }

    @Test void namesFollowTheOriginalReleaseStateDictOrder() {
        List<String> names = List.copyOf(new ConvNeXt(TOY, CpuBackend.INSTANCE, DType.F32, 0)
                .namedParameters().keySet());
        assertEquals(List.of("downsample_layers.0.0.weight", "downsample_layers.0.0.bias",
                "downsample_layers.0.1.weight", "downsample_layers.0.1.bias",
                "downsample_layers.1.0.weight"), names.subList(0, 5));
        assertEquals(List.of("stages.0.0.gamma", "stages.0.0.dwconv.weight", "stages.0.0.dwconv.bias",
                "stages.0.0.norm.weight", "stages.0.0.norm.bias",
                "stages.0.0.pwconv1.weight", "stages.0.0.pwconv1.bias", "stages.0.0.pwconv2.weight",
                "stages.0.0.pwconv2.bias"),
                names.subList(names.indexOf("stages.0.0.gamma"), names.indexOf("stages.0.0.gamma") + 9));
        assertEquals("norm.bias", names.get(names.size() - 1));
    }

    @Test void initIsTimmsAndSeeded() {
        ConvNeXt a = new ConvNeXt(ConvNeXtConfig.ATTO, CpuBackend.INSTANCE, DType.F32, 42);
        var p = a.namedParameters();
        float[] w = p.get("stages.2.3.pwconv1.weight").value().toFloatArray();
        double sum = 0, sq = 0;
        for (float v : w) { sum += v; sq += v * v; }
        double mean = sum / w.length, std = Math.sqrt(sq / w.length - mean * mean);
        assertEquals(0.02, std, 0.0005);
        assertEquals(0, mean, 0.0005);
        for (float v : p.get("stages.2.3.gamma").value().toFloatArray()) assertEquals(1e-6f, v);
        for (float v : p.get("stages.2.3.pwconv1.bias").value().toFloatArray()) assertEquals(0f, v);
        for (float v : p.get("norm.weight").value().toFloatArray()) assertEquals(1f, v);
        ConvNeXt b = new ConvNeXt(ConvNeXtConfig.ATTO, CpuBackend.INSTANCE, DType.F32, 42);
        assertArrayEquals(w, b.namedParameters().get("stages.2.3.pwconv1.weight").value().toFloatArray());
        ConvNeXt c = new ConvNeXt(ConvNeXtConfig.ATTO, CpuBackend.INSTANCE, DType.F32, 43);
        assertFalse(java.util.Arrays.equals(w,
                c.namedParameters().get("stages.2.3.pwconv1.weight").value().toFloatArray()));
    }

    @Test void embeddingHasTheLastStageWidth() {
        ConvNeXt m = new ConvNeXt(TOY, CpuBackend.INSTANCE, DType.F32, 1).eval();
        assertEquals(Shape.of(2, 24), m.forward(images(2, 64, 1)).shape());
        assertThrows(IllegalArgumentException.class, () -> m.forward(images(1, 48, 1)));
    }

    @Test void dropPathIsOffByDefaultAndOnlyActsInTraining() {
        Tensor x = images(4, 32, 3);
        ConvNeXt plain = new ConvNeXt(TOY, CpuBackend.INSTANCE, DType.F32, 5);
        ConvNeXt dropping = new ConvNeXt(TOY, CpuBackend.INSTANCE, DType.F32, 5, 0.5);
        // Layer scale 1e-6 would hide the branches: make them count.
        for (var m : List.of(plain, dropping))
            m.namedParameters().forEach((k, p) -> {
                if (k.endsWith("gamma")) p.set(CpuBackend.INSTANCE.full(p.value().shape(), DType.F32, 1.0));
            });
        float[] ref = plain.train(true).forward(x).toFloatArray();
        assertArrayEquals(ref, plain.eval().forward(x).toFloatArray(), "no dropout anywhere when off");
        assertArrayEquals(ref, dropping.eval().forward(x).toFloatArray(), "eval ignores drop path");
        float[] t1 = dropping.train(true).forward(x).toFloatArray();
        assertFalse(java.util.Arrays.equals(ref, t1), "training with drop path 0.5 changes the output");
    }

    @Test void flipAverageIsTheMeanOfTheTwoEmbeddings() {
        ConvNeXt m = new ConvNeXt(TOY, CpuBackend.INSTANCE, DType.F32, 1).eval();
        m.namedParameters().forEach((k, p) -> {
            if (k.endsWith("gamma")) p.set(CpuBackend.INSTANCE.full(p.value().shape(), DType.F32, 0.7));
        });
        Tensor x = images(2, 32, 9);
        float[] a = m.forward(x).toFloatArray(), b = m.forward(ConvNeXt.flipHorizontally(x)).toFloatArray(),
                avg = m.flipAveragedEmbedding(x).toFloatArray();
        boolean differs = false;
        for (int i = 0; i < a.length; i++) {
            assertEquals((a[i] + b[i]) / 2, avg[i], 1e-6);
            differs |= Math.abs(a[i] - b[i]) > 1e-3;
        }
        assertTrue(differs, "a mirrored image has a different embedding (else this test proves nothing)");
    }
}
