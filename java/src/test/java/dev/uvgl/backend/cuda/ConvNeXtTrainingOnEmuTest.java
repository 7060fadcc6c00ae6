package dev.uvgl.backend.cuda;

import dev.uvgl.autograd.ops.L2Normalize;
import dev.uvgl.backend.Backend;
import dev.uvgl.dmnil.memory.BackendMemoryOps;
import dev.uvgl.dmnil.memory.MemoryCrossEntropy;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.model.weights.HostArray;
import dev.uvgl.nn.optim.Sgd;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.uvgl.backend.cuda.EmuBackends.CPU;
import static dev.uvgl.backend.cuda.EmuBackends.assertClose;
import static dev.uvgl.backend.cuda.EmuBackends.emu;
import static dev.uvgl.backend.cuda.EmuBackends.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole GPU training path without a GPU: ConvNeXt-atto at 64 px trained for a few SGD steps with a
 * DMNIL cluster-memory loss (fused memory cross-entropy, in-order momentum update in the backward) on the
 * CUDA backend over the emulated device, against the same steps on the CPU backend from the same weights
 * and data. Bounds: losses 1e-4 relative, every weight 1e-4 of max(|w|, 1) after the steps (float32
 * sums in a different order on each side; FP32 GEMM path).
 */
class ConvNeXtTrainingOnEmuTest {
    @AfterAll static void giveTheMemoryBack() { EmuBackends.release(); }

    private static final int BATCH = 2, SIZE = 64, CLUSTERS = 3, STEPS = 3;
    // A soft temperature and a slow memory keep the loss O(1) over
    // the steps, where float32 comparisons are well conditioned.
    private static final double TAU = 0.5;
    private static final int[] LABELS = {2, 0};

    @Test void stepsOnTheEmulatedDeviceMatchTheCpu() throws Exception {
        ConvNeXt cpuModel = new ConvNeXt(ConvNeXtConfig.ATTO, CPU, DType.F32, 7).train(true);
        ConvNeXt emuModel = new ConvNeXt(ConvNeXtConfig.ATTO, emu(), DType.F32, 99).train(true);
        Map<String, HostArray> start = ConvNeXtWeights.export(cpuModel);
        ConvNeXtWeights.load(emuModel, start, "the CPU model");
        float[] images = random(1, BATCH * SIZE * SIZE * 3, -2, 2);
        float[] memory = random(2, CLUSTERS * 320, -1, 1);
        double[] cpuLoss = train(cpuModel, CPU, images, memory), emuLoss = train(emuModel, emu(), images, memory);
        for (int s = 0; s < STEPS; s++)
            assertEquals(cpuLoss[s], emuLoss[s], 1e-4 * Math.abs(cpuLoss[s]), "loss of step " + s);
        Map<String, HostArray> a = ConvNeXtWeights.export(cpuModel), b = ConvNeXtWeights.export(emuModel);
        for (String k : a.keySet()) assertClose("weight " + k, a.get(k).data(), b.get(k).data(), 1e-4);
    }

    private static double[] train(ConvNeXt model, Backend be, float[] images, float[] memory) {
        Sgd sgd = new Sgd(model.parameters(), 0.01, 0.9, 5e-4);
        Tensor x = be.fromArray(images, Shape.of(BATCH, SIZE, SIZE, 3));
        Tensor mem = be.l2Normalize(be.fromArray(memory, Shape.of(CLUSTERS, 320)), 1e-12);
        double[] losses = new double[STEPS];
        for (int s = 0; s < STEPS; s++) {
            Tensor xn = L2Normalize.apply(model.forward(x));
            Tensor values = xn.detach();
            Tensor loss = MemoryCrossEntropy.apply(xn, mem, LABELS, TAU,
                    () -> BackendMemoryOps.of(be).memoryMomentumUpdateInPlace(mem, LABELS, values, 0.9));
            losses[s] = loss.item();
            loss.backward();
            sgd.step();
            sgd.zeroGrad();
        }
        return losses;
    }
}
