package dev.uvgl.model;

import dev.uvgl.autograd.GradMode;
import dev.uvgl.autograd.ops.GlobalAvgPool;
import dev.uvgl.backend.Backend;
import dev.uvgl.nn.LayerNorm;
import dev.uvgl.nn.Module;
import dev.uvgl.nn.ModuleList;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.Random;

/**
 * The ConvNeXt backbone of dmnil.md section 2, without a classifier: images NHWC [N, H, W, 3] in,
 * embedding = LayerNorm(global average pool of the last stage) [N, dims[3]] out. Parameter names
 * are the original ConvNeXt release's (downsample_layers.*, stages.*.*, norm); WeightKeyMaps
 * translates timm's and torchvision's.
 */
public final class ConvNeXt extends Module {
    private final ConvNeXtConfig config;
    private final ModuleList<Module> downsampleLayers;
    private final ModuleList<ModuleList<ConvNeXtBlock>> stages;
    private final LayerNorm norm;

    /** Timm-style initialisation from `seed`; stochastic depth off. */
    public ConvNeXt(ConvNeXtConfig config, Backend be, DType dtype, long seed) { this(config, be, dtype, seed, 0.0); }

    /**
     * @param dropPathRate stochastic depth of the last block; earlier blocks get linearly less, from 0
     *                     at the first block (timm's schedule). 0 turns it off.
     */
    public ConvNeXt(ConvNeXtConfig config, Backend be, DType dtype, long seed, double dropPathRate) {
        this.config = config;
        Random rng = new Random(seed), dropRng = new Random(seed ^ 0x5DEECE66DL);
        int[] depths = config.depths(), dims = config.dims();
        this.downsampleLayers = register("downsample_layers", new ModuleList<>());
        downsampleLayers.add(new Stem(be, dtype, 3, dims[0], rng));
        for (int i = 1; i < 4; i++) downsampleLayers.add(new Downsample(be, dtype, dims[i - 1], dims[i], rng));
        this.stages = register("stages", new ModuleList<>());
        int total = 0, index = 0;
        for (int d : depths) total += d;
        for (int i = 0; i < 4; i++) {
            ModuleList<ConvNeXtBlock> stage = stages.add(new ModuleList<>());
            for (int j = 0; j < depths[i]; j++, index++) {
                double rate = total > 1 ? dropPathRate * index / (total - 1) : dropPathRate;
                stage.add(new ConvNeXtBlock(be, dtype, dims[i], rate, rng, dropRng));
            }
        }
        this.norm = register("norm", new LayerNorm(be, dtype, dims[3], ConvNeXtConfig.NORM_EPS));
    }

    public ConvNeXtConfig config() { return config; }

    /**
     * Sets every block's layer scale to `value`. timm starts them at 1e-6, which AdamW grows within
     * steps; under SGD from scratch the blocks then stay almost switched off, so a training run may ask
     * for a larger start.
     */
    public void setLayerScale(double value) {
        for (var e : namedParameters().entrySet())
            if (e.getKey().endsWith(".gamma")) {
                Tensor g = e.getValue().value();
                g.backend().addInPlace(g, g.backend().affine(g, -1, value));
            }
    }

    @Override public ConvNeXt train(boolean on) { super.train(on); return this; }

    @Override public ConvNeXt eval() { return train(false); }

    /** Images NHWC [N, H, W, 3] (normalised) to embeddings [N, dims[3]]. H and W must be multiples of 32. */
    public Tensor forward(Tensor images) {
        if (images.rank() != 4 || images.dim(3) != 3)
            throw new IllegalArgumentException("ConvNeXt wants images NHWC [N, H, W, 3], got " + images.shape());
        if (images.dim(1) % 32 != 0 || images.dim(2) % 32 != 0)
            throw new IllegalArgumentException("ConvNeXt downsamples by 32: image size " + images.dim(1) + "x"
                    + images.dim(2) + " must be a multiple of 32");
        Tensor x = images;
        for (int i = 0; i < 4; i++) {
            Module down = downsampleLayers.get(i);
            x = i == 0 ? ((Stem) down).forward(x) : ((Downsample) down).forward(x);
            for (ConvNeXtBlock b : stages.get(i).items()) x = b.forward(x);
        }
        return norm.forward(GlobalAvgPool.apply(x));
    }

    /** The evaluation embeddings of a batch, one row per image, without recording a gradient. */
    public float[][] embeddingRows(Tensor images) {
        try (var s = GradMode.noGrad()) {
            return forward(images).toRows();
        }
    }

    /**
     * The clustering feature of dmnil.md section 2: the mean of the embeddings of the images and of
     * their horizontal mirrors, not normalised before averaging. No gradient is recorded.
     */
    public Tensor flipAveragedEmbedding(Tensor images) {
        try (var s = GradMode.noGrad()) {
            Backend be = images.backend();
            Tensor a = forward(images), b = forward(flipHorizontally(images));
            return be.affine(be.add(a, b), 0.5, 0);
        }
    }

    /** Mirrors NHWC images left-right (on the host: images come from the host anyway), keeping their precision. */
    static Tensor flipHorizontally(Tensor images) {
        Backend be = images.backend();
        int n = images.dim(0), h = images.dim(1), w = images.dim(2), c = images.dim(3);
        Shape shape = Shape.of(n, h, w, c);
        if (images.dtype() == DType.F64) {
            double[] src = images.toDoubleArray(), dst = new double[src.length];
            mirrorRows(src, dst, n * h, w, c);
            return be.fromArray(dst, shape);
        }
        float[] src = images.toFloatArray(), dst = new float[src.length];
        mirrorRows(src, dst, n * h, w, c);
        return be.fromArray(dst, shape);
    }

    private static void mirrorRows(Object src, Object dst, int rows, int w, int c) {
        for (int i = 0; i < rows; i++)
            for (int x = 0; x < w; x++)
                System.arraycopy(src, (i * w + x) * c, dst, (i * w + (w - 1 - x)) * c, c);
    }
}
