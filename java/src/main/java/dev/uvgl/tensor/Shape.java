package dev.uvgl.tensor;

import java.util.Arrays;

/** An immutable list of dimensions; tensors are row-major contiguous, so strides follow from it. */
public final class Shape {
    private final int[] dims;
    private final long numel;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            n *= d;
        }
        if (n > Integer.MAX_VALUE)
            throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^31-1 elements");
        this.dims = dims;
        this.numel = n;
    }

    public static Shape of(int... dims) { return new Shape(dims.clone()); }

    public int rank() { return dims.length; }

    public int numel() { return (int) numel; }

    /** Dimension i; negative i counts from the end, as in PyTorch. */
    public int dim(int i) { return dims[axis(i)]; }

    public int axis(int i) {
        int a = i < 0 ? i + dims.length : i;
        if (a < 0 || a >= dims.length)
            throw new IllegalArgumentException("axis " + i + " out of range for shape " + this);
        return a;
    }

    public int last() { return dims[dims.length - 1]; }

    public int[] dims() { return dims.clone(); }

    /** Product of the dimensions before axis a. */
    public int outer(int a) { int n = 1; for (int i = 0; i < a; i++) n *= dims[i]; return n; }

    /** Product of the dimensions after axis a. */
    public int inner(int a) { int n = 1; for (int i = a + 1; i < dims.length; i++) n *= dims[i]; return n; }

    public int[] strides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) { s[i] = acc; acc *= dims[i]; }
        return s;
    }

    /** This shape with axis a removed (keepDim false) or set to 1 (keepDim true). */
    public Shape reduce(int a, boolean keepDim) {
        a = axis(a);
        if (keepDim) { int[] d = dims.clone(); d[a] = 1; return new Shape(d); }
        int[] d = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) if (i != a) d[j++] = dims[i];
        return new Shape(d);
    }

    /** This shape with the last dimension replaced. */
    public Shape withLast(int n) { int[] d = dims.clone(); d[d.length - 1] = n; return new Shape(d); }

    /** True when `suffix` equals this shape's trailing dimensions (the broadcast this engine supports). */
    public boolean endsWith(Shape suffix) {
        if (suffix.rank() > rank()) return false;
        for (int i = 1; i <= suffix.rank(); i++) if (suffix.dims[suffix.rank() - i] != dims[rank() - i]) return false;
        return true;
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }

    @Override public int hashCode() { return Arrays.hashCode(dims); }

    @Override public String toString() { return Arrays.toString(dims); }
}
