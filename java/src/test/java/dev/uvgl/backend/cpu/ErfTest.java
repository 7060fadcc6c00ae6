package dev.uvgl.backend.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float32 approximations the GELU kernels use, against the double-precision series and Math.exp. */
class ErfTest {
    @Test void floatErfIsWithin5e7OfTheSeries() {
        double worst = 0;
        for (int i = -200_000; i <= 200_000; i++) {
            float x = i * 5e-5f;
            worst = Math.max(worst, Math.abs(Erf.erf(x) - Erf.erf((double) x)));
        }
        assertTrue(worst < 5e-7, "max |erf error| " + worst);
        assertEquals(1.0, Erf.erf(30f), 1e-7);
        assertEquals(-1.0, Erf.erf(-1e30f), 1e-7);
    }

    @Test void floatExpNegHasRelativeErrorBelow1e5AndVanishesFarOut() {
        double worst = 0;
        for (int i = 0; i <= 180_000; i++) {
            float t = i * 1e-4f;
            double exact = Math.exp(-t);
            worst = Math.max(worst, Math.abs(Erf.expNeg(t) - exact) / exact);
        }
        assertTrue(worst < 1e-5, "max relative error " + worst);
        assertEquals(0f, Erf.expNeg(18.5f));
        assertEquals(0f, Erf.expNeg(1e6f));
        assertEquals(1f, Erf.expNeg(-3f), "negative t is clamped to 0");
    }
}
