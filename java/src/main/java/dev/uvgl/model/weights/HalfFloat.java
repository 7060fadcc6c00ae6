package dev.uvgl.model.weights;

/** IEEE 754 binary16 to and from float32 (Java 17 has no Float.float16ToFloat / floatToFloat16). */
final class HalfFloat {
    static final float MAX = 65504f;

    private HalfFloat() {}

    /** Round to nearest, ties to even, as torch's .half() and numpy's astype(float16) do; NaN stays NaN. */
    static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f), sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF, mant = bits & 0x7FFFFF;
        if (exp == 0xFF) return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 : 0));
        int e = exp - 127 + 15;
        if (e >= 0x1F) return (short) (sign | 0x7C00);
        if (e <= 0) {
            if (e < -10) return (short) sign;
            // Subnormal half: shift the full significand (with its hidden bit) and round to nearest even.
            int m = mant | 0x800000, shift = 14 - e;
            int half = m >>> shift, rest = m & ((1 << shift) - 1), mid = 1 << (shift - 1);
            if (rest > mid || (rest == mid && (half & 1) != 0)) half++;
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13), rest = mant & 0x1FFF;
        // a carry into the exponent is the right rounding
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) half++;
        return (short) (sign | half);
    }

    static float toFloat(short h) {
        int bits = h & 0xFFFF, sign = (bits & 0x8000) << 16, exp = (bits >>> 10) & 0x1F, mant = bits & 0x3FF;
        if (exp == 0x1F) return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13)); // inf / nan
        if (exp == 0) {
            // Subnormal (or zero): mant * 2^-24, exact in float32.
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
