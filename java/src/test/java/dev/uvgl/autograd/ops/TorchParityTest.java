package dev.uvgl.autograd.ops;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.testing.PrecisionParity;
import dev.uvgl.testing.TorchFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CPU ops against PyTorch on the values in fixtures/torch_ops.txt: forward results and the
 * gradients of sum(y * r). Float64 must agree to 1e-10 of the largest magnitude, float32 to 1e-5.
 */
class TorchParityTest {
    private static final CpuBackend BE = CpuBackend.INSTANCE;

    private static double tol(DType t) { return t == DType.F64 ? 1e-10 : 1e-5; }

    private static Tensor tensor(double[] v, Shape s, DType t, boolean grad) {
        return BE.toDType(BE.fromArray(v, s), t).requiresGrad(grad);
    }

    private static Tensor fixture(String name, DType t, boolean grad) {
        var e = TorchFixtures.get(name);
        return tensor(e.values(), e.shape(), t, grad);
    }

    private static Tensor nhwcFixture(String name, DType t, boolean grad) {
        var e = TorchFixtures.get(name);
        return tensor(TorchFixtures.nchwToNhwc(e.values(), e.shape()), TorchFixtures.nhwc(e.shape()), t, grad);
    }

    private static void same(String what, Tensor got, double[] want, DType t) {
        PrecisionParity.check(what + " (" + t + ")", got.toDoubleArray(), want, tol(t));
    }

    @ParameterizedTest @ValueSource(strings = {"conv_stem:4:0:1", "conv_down:2:0:1", "conv_dw:1:3:6"})
    void conv2d(String spec) {
        String[] s = spec.split(":");
        String c = s[0];
        int stride = Integer.parseInt(s[1]), pad = Integer.parseInt(s[2]), groups = Integer.parseInt(s[3]);
        Shape yShape = TorchFixtures.get(c + ".y").shape();
        for (DType t : DType.values()) {
            Tensor x = nhwcFixture(c + ".x", t, true), w = fixture(c + ".w", t, true), b = fixture(c + ".b", t, true);
            Tensor y = Conv2d.apply(x, w, b, stride, pad, groups);
            same(c + " y", y, TorchFixtures.nchwToNhwc(TorchFixtures.values(c + ".y"), yShape), t);
            Sum.apply(Mul.apply(y, nhwcFixture(c + ".r", t, false))).backward();
            same(c + " dx", x.grad(),
                    TorchFixtures.nchwToNhwc(TorchFixtures.values(c + ".gx"), TorchFixtures.get(c + ".x").shape()), t);
            same(c + " dw", w.grad(), TorchFixtures.values(c + ".gw"), t);
            same(c + " db", b.grad(), TorchFixtures.values(c + ".gb"), t);
        }
    }

    @ParameterizedTest @EnumSource(DType.class)
    void layerNorm(DType t) {
        Tensor x = fixture("layernorm.x", t, true), g = fixture("layernorm.g", t, true),
                b = fixture("layernorm.b", t, true);
        Tensor y = LayerNorm.apply(x, g, b, 1e-6);
        same("layernorm y", y, TorchFixtures.values("layernorm.y"), t);
        Sum.apply(Mul.apply(y, fixture("layernorm.r", t, false))).backward();
        same("layernorm dx", x.grad(), TorchFixtures.values("layernorm.gx"), t);
        same("layernorm dgamma", g.grad(), TorchFixtures.values("layernorm.gg"), t);
        same("layernorm dbeta", b.grad(), TorchFixtures.values("layernorm.gb"), t);
    }

    @ParameterizedTest @EnumSource(DType.class)
    void gelu(DType t) {
        Tensor x = fixture("gelu.x", t, true);
        Tensor y = Gelu.apply(x);
        same("gelu y", y, TorchFixtures.values("gelu.y"), t);
        Sum.apply(Mul.apply(y, fixture("gelu.r", t, false))).backward();
        same("gelu dx", x.grad(), TorchFixtures.values("gelu.gx"), t);
    }

    @ParameterizedTest @EnumSource(DType.class)
    void memoryCrossEntropy(DType t) {
        Tensor f = fixture("memory_ce.f", t, true), m = fixture("memory_ce.m", t, false);
        double[] lv = TorchFixtures.values("memory_ce.labels");
        int[] labels = new int[lv.length];
        for (int i = 0; i < lv.length; i++) labels[i] = (int) lv[i];
        Tensor loss = SoftmaxCrossEntropy.apply(Matmul.apply(L2Normalize.apply(f), false, m, true), labels, 0.05);
        same("memory CE loss", loss, TorchFixtures.values("memory_ce.loss"), t);
        loss.backward();
        same("memory CE df", f.grad(), TorchFixtures.values("memory_ce.gf"), t);
    }

    @ParameterizedTest @EnumSource(DType.class)
    void klUniformOfSoftmax(DType t) {
        Tensor z = fixture("kl_uniform.z", t, true);
        Tensor loss = KlUniform.apply(Softmax.apply(z));
        same("KL loss", loss, TorchFixtures.values("kl_uniform.loss"), t);
        loss.backward();
        same("KL dz", z.grad(), TorchFixtures.values("kl_uniform.gz"), t);
    }
}
