package dev.uvgl.selftest;

import dev.uvgl.backend.cuda.Launch;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.device.DeviceBuffer;
import dev.uvgl.device.KernelArgs;
import dev.uvgl.device.KernelSignature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The buffers of one self-test case, each added with its role: `out` buffers filled with NaN before the launch so
 * an element the kernel never writes fails the comparison. The case runs the launch the backend ships on them, its
 * pointers checked against the kernel's registered roles when the device knows them. Closing frees the buffers.
 */
final class LaunchCase implements AutoCloseable {
    private final Device device;
    private final CachingAllocator alloc;
    private final List<DeviceBuffer> buffers = new ArrayList<>();
    private final List<String> bufferRoles = new ArrayList<>();

    LaunchCase(Device device, CachingAllocator alloc) { this.device = device; this.alloc = alloc; }

    /** Returns the buffer's index among this case's buffers. */
    int in(float[] host) { return buffer(host, "in", host.length); }
    int inout(float[] host) { return buffer(host, "inout", host.length); }
    int out(int count) {
        float[] nan = new float[count];
        Arrays.fill(nan, Float.NaN);
        return buffer(nan, "out", count);
    }
    /** int32 buffers (labels, indices); an `out` one is poisoned with NaN's bit pattern, never a valid index. */
    int inInts(int[] host) { return intBuffer(host, "in"); }
    int inoutInts(int[] host) { return intBuffer(host, "inout"); }
    int outInts(int count) {
        int[] poison = new int[count];
        Arrays.fill(poison, Float.floatToRawIntBits(Float.NaN));
        return intBuffer(poison, "out");
    }
    int[] readInts(int buffer) {
        DeviceBuffer b = buffers.get(buffer);
        int[] host = new int[(int) (b.bytes() / 4)];
        if (host.length > 0) device.copyOut(b.address(), host, 0, host.length);
        return host;
    }

    private int buffer(float[] host, String role, int count) {
        DeviceBuffer b = alloc.allocate(4L * count, role + " buffer " + buffers.size());
        if (count > 0) device.copyIn(b.address(), host, 0, count);
        return register(b, role);
    }

    private int intBuffer(int[] host, String role) {
        DeviceBuffer b = alloc.allocate(4L * host.length, role + " buffer " + buffers.size());
        if (host.length > 0) device.copyIn(b.address(), host, 0, host.length);
        return register(b, role);
    }

    private int register(DeviceBuffer b, String role) {
        buffers.add(b);
        bufferRoles.add(role);
        return buffers.size() - 1;
    }

    /**
     * Runs the launch that ships (an op family's launcher in backend/cuda or dmnil/memory/cuda, on this case's buffer
     * addresses), after checking each of its pointers against the kernel's registered role: a pointer must be one
     * of this case's buffers added with that role, and every other argument a scalar.
     */
    void run(Launch l) {
        KernelArgs a = l.args();
        for (KernelSignature s : device.registry()) {
            if (!s.name().equals(l.kernel())) continue;
            if (s.roles().size() != a.size())
                throw new IllegalStateException(l.kernel() + " is launched with " + a.size()
                        + " arguments but registers " + s.roles().size());
            for (int i = 0; i < a.size(); i++) {
                String want = s.roles().get(i);
                if (a.type(i) != 'p') {
                    if (!want.equals("-"))
                        throw new IllegalStateException(l.kernel() + " argument " + i + " is a scalar but registers "
                                + want);
                    continue;
                }
                boolean found = false;
                for (int b = 0; b < buffers.size() && !found; b++)
                    found = buffers.get(b).address() == a.value(i) && bufferRoles.get(b).equals(want);
                if (!found)
                    throw new IllegalStateException("self-test of " + l.kernel() + ": argument " + i
                            + " is not a buffer of this case added as " + want);
            }
        }
        l.on(device);
        device.synchronize();
    }

    /**
     * Runs a launcher (backend/cuda) on this case's buffers instead of one direct launch, so the self-test
     * covers the grid and scratch logic that ships; the launcher owns its arguments' roles.
     */
    void via(Runnable launcher) {
        launcher.run();
        device.synchronize();
    }

    long address(int buffer) { return buffers.get(buffer).address(); }

    float[] read(int buffer) {
        DeviceBuffer b = buffers.get(buffer);
        float[] host = new float[(int) (b.bytes() / 4)];
        if (host.length > 0) device.copyOut(b.address(), host, 0, host.length);
        return host;
    }

    /** Every out and inout buffer, concatenated: what two schedules must agree on bitwise. */
    float[] outputs() {
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < buffers.size(); i++) {
            if (bufferRoles.get(i).equals("in")) continue;
            float[] p = read(i);
            parts.add(p);
            total += p.length;
        }
        float[] all = new float[total];
        int at = 0;
        for (float[] p : parts) { System.arraycopy(p, 0, all, at, p.length); at += p.length; }
        return all;
    }

    @Override public void close() { for (DeviceBuffer b : buffers) alloc.free(b); }
}
