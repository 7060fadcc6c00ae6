package dev.uvgl.backend.cpu;

/**
 * erf for the GELU kernels, one overload per precision (the float64 kernels are generated from the
 * float32 ones, and overload resolution picks the matching one).
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    private Erf() {}

    // erf(x) ~ x P(x^2) / Q(x^2) on [-4, 4], a rational least-squares fit made for this engine (absolute
    // error 1.5e-9 in exact arithmetic, about 3.6e-7 evaluated in float32); |erf| > 1 - 1.6e-8 beyond 4.
    private static final float P0 = (float) 1.1283791820839306, P1 = (float) 0.1847116523225749,
            P2 = (float) 0.05433244993630577,
            P3 = (float) 0.003839540712404484, P4 = (float) 0.00038267934994451165, P5 = (float) 4.780165845916229e-06,
            P6 = (float) -1.3664949644054403e-08;
    private static final float Q1 = (float) 0.4970299849971903, Q2 = (float) 0.11382656443202513,
            Q3 = (float) 0.015453494377597115,
            Q4 = (float) 0.0013095640561776535, Q5 = (float) 6.400572925784661e-05;

    /**
     * float32 erf with no calls and no branches (only float arithmetic and min/max), so the JIT
     * vectorises the GELU loops that inline it.
     */
    static float erf(float x) {
        float c = Math.min(Math.max(x, (float) -4), (float) 4), t = c * c;
        float p = P0 + t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * (P5 + t * P6)))));
        float q = 1 + t * (Q1 + t * (Q2 + t * (Q3 + t * (Q4 + t * Q5))));
        return c * p / q;
    }

    /**
     * exp(-t) for t >= 0 in float32 without calls: e^{-t} = (e^{-t/32})^32, the inner factor by its
     * Taylor series to degree 8 (truncation below 2e-8 for t <= 18), then five squarings, which multiply
     * float rounding by 32: relative error
     * about 5e-6 (bounded by 1e-5 in ErfTest). Above t = 18 the result ramps to exactly 0 by t = 18.5
     * (e^{-18} = 1.5e-8).
     */
    static float expNeg(float t) {
        float tc = Math.min(Math.max(t, (float) 0), (float) 18.5), r = -tc * (float) (1.0 / 32);
        float e = 1 + r * (1
                + r * ((float) (1.0 / 2) + r * ((float) (1.0 / 6) + r * ((float) (1.0 / 24) + r * ((float) (1.0 / 120)
                + r * ((float) (1.0 / 720) + r * ((float) (1.0 / 5040) + r * (float) (1.0 / 40320))))))));
        e *= e; e *= e; e *= e; e *= e; e *= e;
        return e * Math.min((float) 1, Math.max((float) 0, (float) 2 * ((float) 18.5 - tc)));
    }

    /** exp(-t) in double, for the float64 kernels' gradient checks. */
    static double expNeg(double t) { return Math.exp(-t); }

    /**
     * Full double precision, for gradient checks: finite differences of GELU divide erf's error by the
     * step, so an approximation would swamp them. erf(x) = 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} / (2n+1)!!
     * has only positive terms (no cancellation); erfc(6) < 2e-17, so beyond 6 erf is +-1 in double.
     */
    static double erf(double x) {
        double a = Math.abs(x);
        if (a >= 6.0) return Math.signum(x);
        double term = a, sum = a, x2 = a * a;
        for (int n = 1; n < 500 && term > 1e-17 * sum; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
        }
        double r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        return x < 0 ? -r : r;
    }
}
