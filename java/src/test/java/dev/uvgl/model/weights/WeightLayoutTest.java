package dev.uvgl.model.weights;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WeightLayoutTest {
    @Test void timmNamesMapToTheEngineNames() {
        var t = WeightLayout.TIMM;
        assertEquals("downsample_layers.0.0.weight", t.toEngine("stem.0.weight"));
        assertEquals("downsample_layers.0.1.bias", t.toEngine("stem.1.bias"));
        assertEquals("downsample_layers.2.0.weight", t.toEngine("stages.2.downsample.0.weight"));
        assertEquals("downsample_layers.3.1.bias", t.toEngine("stages.3.downsample.1.bias"));
        assertEquals("stages.0.0.dwconv.weight", t.toEngine("stages.0.blocks.0.conv_dw.weight"));
        assertEquals("stages.2.5.norm.bias", t.toEngine("stages.2.blocks.5.norm.bias"));
        assertEquals("stages.1.1.pwconv1.weight", t.toEngine("stages.1.blocks.1.mlp.fc1.weight"));
        assertEquals("stages.3.2.pwconv2.bias", t.toEngine("stages.3.blocks.2.mlp.fc2.bias"));
        assertEquals("stages.3.2.gamma", t.toEngine("stages.3.blocks.2.gamma"));
        assertEquals("norm.weight", t.toEngine("head.norm.weight"));
        assertEquals(WeightLayout.IGNORED, t.toEngine("head.fc.weight"));
        assertNull(t.toEngine("stages.0.blocks.0.something.weight"));
    }

    @Test void torchvisionNamesMapToTheEngineNames() {
        var t = WeightLayout.TORCHVISION;
        assertEquals("downsample_layers.0.0.weight", t.toEngine("features.0.0.weight"));
        assertEquals("downsample_layers.0.1.weight", t.toEngine("features.0.1.weight"));
        assertEquals("stages.0.0.dwconv.weight", t.toEngine("features.1.0.block.0.weight"));
        assertEquals("stages.0.1.norm.bias", t.toEngine("features.1.1.block.2.bias"));
        assertEquals("stages.2.8.pwconv1.weight", t.toEngine("features.5.8.block.3.weight"));
        assertEquals("stages.3.2.pwconv2.bias", t.toEngine("features.7.2.block.5.bias"));
        assertEquals("stages.1.0.gamma", t.toEngine("features.3.0.layer_scale"));
        assertEquals("downsample_layers.1.0.weight", t.toEngine("features.2.0.weight"));
        assertEquals("downsample_layers.3.1.bias", t.toEngine("features.6.1.bias"));
        assertEquals("norm.bias", t.toEngine("classifier.0.bias"));
        assertEquals(WeightLayout.IGNORED, t.toEngine("classifier.2.weight"));
        assertNull(t.toEngine("features.1.0.block.1.weight"));
        assertNull(t.toEngine("features.8.0.weight"));
    }

    @Test void originalNamesAreTheEngineNames() {
        var o = WeightLayout.ORIGINAL;
        assertEquals("stages.1.0.gamma", o.toEngine("stages.1.0.gamma"));
        assertEquals("downsample_layers.0.0.weight", o.toEngine("downsample_layers.0.0.weight"));
        assertEquals(WeightLayout.IGNORED, o.toEngine("head.weight"));
    }

    @Test void layoutIsDetectedFromTheKeys() throws WeightFileException {
        assertEquals(WeightLayout.TORCHVISION, WeightLayout.detect(List.of("features.0.0.weight"), "f"));
        assertEquals(WeightLayout.TIMM, WeightLayout.detect(List.of("head.fc.bias", "stem.0.weight"), "f"));
        assertEquals(WeightLayout.ORIGINAL, WeightLayout.detect(List.of("downsample_layers.0.0.weight"), "f"));
        assertThrows(WeightFileException.class, () -> WeightLayout.detect(List.of("conv1.weight"), "f"));
    }
}
