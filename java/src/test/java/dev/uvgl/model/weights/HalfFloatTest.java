package dev.uvgl.model.weights;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfFloatTest {
    /** Every finite half survives half -> float -> half exactly; both zeros and the infinities too. */
    @Test void everyHalfRoundTrips() {
        for (int h = 0; h < 0x10000; h++) {
            int exp = (h >>> 10) & 0x1F;
            if (exp == 0x1F && (h & 0x3FF) != 0) continue; // NaNs: payloads are not preserved by design
            short back = HalfFloat.fromFloat(HalfFloat.toFloat((short) h));
            assertEquals((short) h, back, "half 0x" + Integer.toHexString(h));
        }
    }

    /** Floats between two halves go to the nearer, and exact midpoints to the even one (numpy's astype(float16)). */
    @Test void roundsToNearestEven() {
        float one = 1f, ulp = 0x1p-10f;
        assertEquals(HalfFloat.fromFloat(one), HalfFloat.fromFloat(one + ulp * 0.49f));
        assertEquals(HalfFloat.fromFloat(one + ulp), HalfFloat.fromFloat(one + ulp * 0.51f));
        assertEquals(HalfFloat.fromFloat(one), HalfFloat.fromFloat(one + ulp * 0.5f), "tie to even (1.0)");
        assertEquals(HalfFloat.fromFloat(one + 2 * ulp), HalfFloat.fromFloat(one + ulp * 1.5f),
                "tie to even (1 + 2 ulp)");
        assertEquals((short) 0x7C00, HalfFloat.fromFloat(1e6f), "overflow is infinity");
        assertEquals((short) 0x0001, HalfFloat.fromFloat(0x1p-24f), "smallest subnormal");
        assertEquals((short) 0, HalfFloat.fromFloat(0x1p-26f), "underflow to zero");
        assertTrue(Float.isNaN(HalfFloat.toFloat(HalfFloat.fromFloat(Float.NaN))));
        assertEquals(65504f, HalfFloat.toFloat(HalfFloat.fromFloat(65504f)));
    }
}
