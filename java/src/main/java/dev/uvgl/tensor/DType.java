package dev.uvgl.tensor;

/** Element types. Training runs in float32; float64 exists for gradient checks and golden re-computations. */
public enum DType {
    F32(4), F64(8);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    public int bytes() { return bytes; }
}
