package dev.uvgl.backend.cpu;

/**
 * erf for the GELU kernels, one overload per precision (the float64 kernels are generated from the
 * float32 ones, and overload resolution picks the matching one).
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    private Erf() {}

    /**
     * Abramowitz and Stegun 7.1.26: absolute error below 1.5e-7, under float32's resolution of GELU's
     * output, at the cost of one exp.
     */
    static float erf(float x) {
        double a = Math.abs(x);
        double t = 1.0 / (1.0 + 0.3275911 * a);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        double r = 1.0 - poly * Math.exp(-a * a);
        return (float) (x < 0 ? -r : r);
    }

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
