package dev.uvgl.pretrain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PretrainConfigTest {
    @Test void defaultsAreValidAndRoundTripThroughJson() {
        PretrainConfig c = new PretrainConfig().validate();
        PretrainConfig back = PretrainConfig.fromJson(c.toJson());
        assertEquals(c.toJsonText(), back.toJsonText());
        assertTrue(PretrainConfig.keys().contains("source_seed")
                && PretrainConfig.keys().contains("augment_ramp_steps"));
    }

    @Test void badValuesNameTheKey() {
        var same = assertThrows(PretrainConfig.ConfigException.class,
                () -> new PretrainConfig().set("probe_seed", "9001").validate());
        assertTrue(same.getMessage().contains("source_seed 9001 equals probe_seed"), same.getMessage());
        var unknown = assertThrows(PretrainConfig.ConfigException.class, () -> new PretrainConfig().set("stpes", "3"));
        assertTrue(unknown.getMessage().contains("unknown config key 'stpes'")
                && unknown.getMessage().contains("steps"), unknown.getMessage());
        assertThrows(PretrainConfig.ConfigException.class, () -> new PretrainConfig().set("size", "100").validate());
        assertThrows(PretrainConfig.ConfigException.class, () -> new PretrainConfig().set("model", "huge").validate());
        assertThrows(PretrainConfig.ConfigException.class,
                () -> new PretrainConfig().set("color_jitter", "0.7").validate());
        var span = assertThrows(PretrainConfig.ConfigException.class,
                () -> new PretrainConfig().set("source_tile_span", "200").validate());
        assertTrue(span.getMessage().contains("zoomed out"), span.getMessage());
    }

    /** The learning rate warms up linearly to lr, then decays along a cosine to min_lr at the last step. */
    @Test void learningRateSchedule() {
        PretrainConfig c = new PretrainConfig().set("steps", "1000").set("warmup_steps", "100").set("lr", "0.002")
                .set("min_lr", "0.00001");
        assertEquals(0.002 / 100, Pretrainer.LearningRate.at(c, 0), 1e-15);
        assertEquals(0.002, Pretrainer.LearningRate.at(c, 99), 1e-15);
        assertEquals(0.002, Pretrainer.LearningRate.at(c, 100), 1e-15);
        assertEquals(0.00001 + (0.002 - 0.00001) * 0.5 * (1 + Math.cos(Math.PI * 450 / 899)),
                Pretrainer.LearningRate.at(c, 550), 1e-15);
        assertTrue(Math.abs(Pretrainer.LearningRate.at(c, 550) - 0.0010) < 1e-5,
                "half way down at the middle of the decay");
        assertEquals(0.00001, Pretrainer.LearningRate.at(c, 999), 1e-12);
        assertEquals(0.0, new AugmentRamp(200, 1).strength(0));
        assertEquals(0.5, new AugmentRamp(200, 1).strength(100), 1e-15);
        assertEquals(0.3, new AugmentRamp(200, 0.6).strength(100), 1e-15);
        assertEquals(1.0, new AugmentRamp(200, 1).strength(5000));
    }
}
