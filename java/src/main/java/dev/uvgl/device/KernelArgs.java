package dev.uvgl.device;

import java.util.Arrays;

/**
 * A kernel's argument list, typed, built without knowing the device: each device turns it into its own
 * form (JCuda parameter pointers, or the emulator's values checked against the registered signature).
 * Type codes match the emulator's registry: p device pointer, i int, l long long, f float.
 */
public final class KernelArgs {
    private long[] values = new long[8];
    private byte[] types = new byte[8];
    private int count;

    public KernelArgs ptr(DeviceBuffer b) { return add(b.address(), 'p'); }
    public KernelArgs ptr(long address) { return add(address, 'p'); }
    public KernelArgs i32(int v) { return add(v, 'i'); }
    public KernelArgs i64(long v) { return add(v, 'l'); }
    public KernelArgs f32(float v) { return add(Float.floatToRawIntBits(v) & 0xFFFFFFFFL, 'f'); }

    private KernelArgs add(long v, char t) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
            types = Arrays.copyOf(types, count * 2);
        }
        values[count] = v;
        types[count++] = (byte) t;
        return this;
    }

    public int size() { return count; }
    public long value(int i) { return values[i]; }
    public char type(int i) { return (char) types[i]; }
    public long[] values() { return Arrays.copyOf(values, count); }
    public byte[] types() { return Arrays.copyOf(types, count); }
    public String typeString() { return new String(types(), java.nio.charset.StandardCharsets.US_ASCII); }
}
