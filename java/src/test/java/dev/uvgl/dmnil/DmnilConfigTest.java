package dev.uvgl.dmnil;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DmnilConfigTest {
    @TempDir Path dir;

    @Test void defaultsAreTheReferenceConstants() {
        DmnilConfig c = new DmnilConfig();
        // dmnil.md sections 1, 3, 4, 5, 7, 8
        assertEquals(64, c.batchSize);
        assertEquals(4, c.numInstances);
        assertEquals(400, c.iters);
        assertEquals(49, c.satelliteCopies);
        assertEquals(30, c.k1);
        assertEquals(6, c.k2);
        assertEquals(0.40, c.epsDrone);
        assertEquals(0.30, c.epsSatellite);
        assertEquals(4, c.minSamples);
        assertEquals(20, c.cmlabel);
        assertEquals(0.05, c.tau);
        assertEquals(0.2, c.momentumFirstEpoch);
        assertEquals(0.1, c.momentum);
        assertEquals(0.2, c.stNew);
        assertEquals(0.7, c.stOld);
        assertEquals(0.7, c.ltWeight);
        assertEquals(0.3, c.stWeight);
        assertEquals(0.2, c.dhmlWeight);
        assertEquals(0.9, c.imMomentum);
        assertEquals(0.05, c.assocNoise);
        assertEquals(10, c.assocTopk);
        assertEquals(5, c.smoothTopk);
        assertEquals(1, c.hm);
        assertEquals(10, c.ht);
        assertEquals(0.9, c.neighbourThresh);
        assertEquals(0.5, c.lamdaS);
        assertEquals(0.01, c.klWeight);
        assertEquals(1.0, c.wIntraBeforeCmlabel);
        assertEquals(0.5, c.wCrossBeforeCmlabel);
        assertEquals(0.1, c.wIntraAfterCmlabel);
        assertEquals(0.1, c.wCrossAfterCmlabel);
        assertEquals(0.001, c.lr);
        assertEquals(0.9, c.sgdMomentum);
        assertEquals(5e-4, c.weightDecay);
        assertEquals(20, c.stepSize);
        assertEquals(0.1, c.gamma);
        assertEquals(40, c.epochs); assertEquals(1, c.seed);
    }

    @Test void keysAreSnakeCaseNamesOfTheSpec() {
        List<String> keys = DmnilConfig.keys();
        for (String k : List.of("iters", "batch_size", "num_instances", "cmlabel", "hm", "ht", "k1", "k2", "eps_drone",
                "eps_satellite", "lr", "tau",
                "epochs", "momentum_first_epoch", "im_momentum", "neighbour_thresh", "w_intra_before_cmlabel",
                "step_size"))
            assertTrue(keys.contains(k), k + " missing from " + keys);
    }

    @Test void setOverridesAndUnknownKeysListTheKnownOnes() {
        DmnilConfig c = new DmnilConfig()
                .setAll(List.of("iters=20", "eps_drone=0.5", "reload_best_at_cmlabel=false", "kl_form=per_row"));
        assertEquals(20, c.iters);
        assertEquals(0.5, c.epsDrone);
        assertEquals(false, c.reloadBestAtCmlabel);
        assertEquals("per_row", c.klForm);
        var e = assertThrows(DmnilConfig.ConfigException.class, () -> new DmnilConfig().set("itres", "3"));
        assertTrue(e.getMessage().contains("unknown config key 'itres'") && e.getMessage().contains("iters"),
                e.getMessage());
        var bad = assertThrows(DmnilConfig.ConfigException.class, () -> new DmnilConfig().set("iters", "many"));
        assertTrue(bad.getMessage().contains("wants an integer"), bad.getMessage());
        assertThrows(DmnilConfig.ConfigException.class, () -> new DmnilConfig().set("size", "100").validate());
    }

    @Test void jsonFileRoundTripsAndRejectsUnknownKeys() throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"iters\": 7, \"lr\": 0.02}");
        DmnilConfig c = new DmnilConfig().load(f);
        assertEquals(7, c.iters); assertEquals(0.02, c.lr);
        DmnilConfig back = DmnilConfig.fromJson(c.toJson());
        assertEquals(c.toJsonText(), back.toJsonText());
        Files.writeString(f, "{\"iters\": 7, \"nonsense\": 1}");
        var e = assertThrows(DmnilConfig.ConfigException.class, () -> new DmnilConfig().load(f));
        assertTrue(e.getMessage().contains("nonsense"), e.getMessage());
        assertTrue(DmnilConfig.markdownTable().contains("| `tau` | 0.05 | 4 |"));
    }
}
