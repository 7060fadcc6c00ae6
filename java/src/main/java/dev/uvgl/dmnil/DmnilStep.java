package dev.uvgl.dmnil;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.Scope;
import dev.uvgl.data.pipeline.Batch;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.nn.optim.Sgd;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.Map;

/**
 * One training step of dmnil.md sections 4 and 7: forward both views, every loss term, the instance
 * memories moved between the losses and the backward (the reference's order), backward, SGD. The step owns
 * one device scope: its activations, gradients and temporaries are freed when it ends, while parameters,
 * optimiser buffers and the epoch's memories, made outside it, stay. On a device the step waits for the
 * host once for its loss terms (StepLosses reads them together) plus what the neighbour terms read.
 */
final class DmnilStep {
    /** Sees the step's loss values before the backward, and may stop training (a non-finite loss). */
    interface Guard { void check(Map<String, Double> values); }

    private final DmnilConfig cfg;
    private final Backend be;
    private final ConvNeXt model;
    private final Sgd sgd;
    private final StepLosses losses;

    /** @param sharedFrom the first epoch of the shared memories (cmlabel, or 0 with true labels) */
    DmnilStep(DmnilConfig cfg, Backend be, ConvNeXt model, Sgd sgd, int sharedFrom) {
        this.cfg = cfg;
        this.be = be;
        this.model = model;
        this.sgd = sgd;
        this.losses = new StepLosses(cfg, sharedFrom);
    }

    /**
     * The satellite batch holds two views of each sampled row, first views then second views. stepLog (null:
     * none) records the gradients after the backward.
     */
    Map<String, Double> run(int epoch, EpochMemories mem, Batch drone, Batch satellite, Guard guard, StepLog stepLog,
            long stepNumber) {
        int[] droneRows = drone.rows();
        int[] satRows = new int[satellite.rows().length * 2];
        System.arraycopy(satellite.rows(), 0, satRows, 0, satellite.rows().length);
        System.arraycopy(satellite.rows(), 0, satRows, satellite.rows().length, satellite.rows().length);
        try (Scope step = be.scope()) {
            Tensor fd = model.forward(be.fromArray(drone.data(), Shape.of(drone.images(), cfg.size, cfg.size, 3)));
            Tensor fs = model.forward(be.fromArray(satellite.data(), Shape.of(satellite.images(), cfg.size, cfg.size,
                    3)));
            StepLosses.Terms t = losses.compute(epoch, mem, fd, droneRows, fs, satRows);
            guard.check(t.values());
            // The reference moves the instance memories after the losses and before the backward.
            mem.droneInstances().update(droneRows, fd, cfg.imMomentum);
            mem.satelliteInstances().update(satRows, fs, cfg.imMomentum);
            t.total().backward();
            if (stepLog != null) stepLog.write(epoch, stepNumber, t.values(), model.namedParameters(), fd, fs);
            sgd.step();
            sgd.zeroGrad();
            return t.values();
        }
    }
}
