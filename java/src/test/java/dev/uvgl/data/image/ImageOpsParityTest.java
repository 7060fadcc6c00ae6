package dev.uvgl.data.image;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Colour jitter and resizes against torchvision/PIL (src/test/python/make_image_fixtures.py).
 * Tolerance: none. The colour ops reproduce PIL's float-then-truncate blends and 8-bit HSV, and the
 * resizes PIL's 22-bit fixed-point weights, so every value must be equal.
 */
class ImageOpsParityTest {
    private static Map<String, RgbImage> fixtures() throws IOException {
        Map<String, RgbImage> m = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ImageOpsParityTest.class.getResourceAsStream("/fixtures/image_ops.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(" ");
                int w = Integer.parseInt(f[1]), h = Integer.parseInt(f[2]);
                float[] d = new float[w * h * 3];
                for (int i = 0; i < d.length; i++) d[i] = Integer.parseInt(f[3 + i]);
                m.put(f[0], new RgbImage(w, h, d));
            }
        }
        return m;
    }

    @Test void colourJitterFunctionsAndResizesMatchTorchvisionOnPil() throws IOException {
        Map<String, RgbImage> fx = fixtures();
        RgbImage in = fx.get("input");
        Map<String, UnaryOperator<RgbImage>> ops = new LinkedHashMap<>();
        ops.put("brightness_1.3", i -> ColorOps.brightness(i, 1.3));
        ops.put("brightness_0.55", i -> ColorOps.brightness(i, 0.55));
        ops.put("contrast_0.6", i -> ColorOps.contrast(i, 0.6));
        ops.put("contrast_1.45", i -> ColorOps.contrast(i, 1.45));
        ops.put("saturation_1.4", i -> ColorOps.saturation(i, 1.4));
        ops.put("saturation_0.5", i -> ColorOps.saturation(i, 0.5));
        ops.put("hue_0.23", i -> ColorOps.hue(i, 0.23));
        ops.put("hue_-0.4", i -> ColorOps.hue(i, -0.4));
        ops.put("bilinear_7x5", i -> Resampler.resize(i, 7, 5, Resampler.Filter.BILINEAR));
        ops.put("bilinear_17x13", i -> Resampler.resize(i, 17, 13, Resampler.Filter.BILINEAR));
        ops.put("bicubic_7x5", i -> Resampler.resize(i, 7, 5, Resampler.Filter.BICUBIC));
        ops.put("bicubic_17x13", i -> Resampler.resize(i, 17, 13, Resampler.Filter.BICUBIC));
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        for (var e : ops.entrySet()) {
            RgbImage want = fx.get(e.getKey()), got = e.getValue().apply(in);
            assertEquals(want.width(), got.width(), e.getKey());
            assertEquals(want.height(), got.height(), e.getKey());
            int off = 0;
            float worst = 0;
            for (int i = 0; i < want.data().length; i++) {
                float d = Math.abs(want.data()[i] - got.data()[i]);
                worst = Math.max(worst, d);
                if (d > 0) off++;
            }
            report.append(e.getKey()).append(": max ").append(worst).append(", off ").append(off).append('/')
                    .append(want.data().length).append('\n');
            ok &= worst == 0;
        }
        assertTrue(ok, report.toString());
    }
}
