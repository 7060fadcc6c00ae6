package dev.uvgl.dmnil;

import dev.uvgl.backend.Backend;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.tensor.DType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What a training run is built from besides its data: the network
 * (architecture, layer scale, start weights) and the GEMM precision.
 */
public final class TrainingSetup {
    private TrainingSetup() {}

    /**
     * The network of cfg.model at cfg.seed; a new run also gets cfg's layer scale and the `weights` it starts from
     * (StartWeights), a resumed one keeps what its checkpoint will load. Bad weights are a WeightFileException.
     */
    public static ConvNeXt model(DmnilConfig cfg, Backend be, boolean resume, String weights, Path world,
            Consumer<String> log) throws IOException {
        ConvNeXtConfig arch = ConvNeXtConfig.NAMED.stream().filter(c -> c.name().equals(cfg.model)).findFirst()
                .orElseThrow(() ->
                new IllegalArgumentException("model '" + cfg.model
                        + "' is not one of atto, femto, pico, nano, tiny, small"));
        ConvNeXt model = new ConvNeXt(arch, be, DType.F32, cfg.seed);
        if (resume) return model;
        if (cfg.layerScaleInit != ConvNeXtConfig.LAYER_SCALE_INIT) model.setLayerScale(cfg.layerScaleInit);
        log.accept("train: starting from " + StartWeights.apply(weights, model, cfg, world, log));
        return model;
    }

    /**
     * precision auto: BF16 tensor-core GEMMs where the backend prefers them (a real GPU; float32 master weights,
     * memories and losses), float32 everywhere else; fp32 and bf16 force one. Returns what was chosen, for the log.
     */
    public static String applyPrecision(Backend be, String precision) {
        boolean bf16 = switch (precision) {
            case "auto" -> be.prefersGemmBf16();
            case "fp32" -> false;
            case "bf16" -> {
                if (!be.canGemmBf16())
                    throw new IllegalArgumentException(
                            "precision bf16 needs --device cuda (or emu); the CPU backend computes in float32");
                yield true;
            }
            default -> throw new IllegalArgumentException("precision '" + precision + "' must be auto, fp32 or bf16");
        };
        if (be.canGemmBf16()) be.setGemmBf16(bf16);
        return bf16 ? "bf16 (float32 accumulation, float32 weights and memories)" : "fp32";
    }
}
