package dev.uvgl.backend.cpu;

import dev.uvgl.backend.Kernels;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wall time and call count per CPU kernel, for `bench train-step --profile`. Off by default; when
 * on, CpuBackend hands out a proxy of its kernels that times every call (a few hundred ns each,
 * negligible beside the kernels a network step runs).
 */
public final class KernelProfiler {
    private static volatile KernelProfiler active;

    private final Map<String, LongAdder[]> totals = new ConcurrentHashMap<>();

    private KernelProfiler() {}

    /** Starts recording (replacing any earlier recording) and returns the recorder. */
    public static KernelProfiler start() { active = new KernelProfiler(); return active; }

    public static void stop() { active = null; }

    static Kernels wrap(Kernels k) { return wrap(Kernels.class, k); }

    /** The kernels of `type` as they are, or timed while a recording runs (host kernels outside this package too). */
    public static <T> T wrap(Class<T> type, T k) {
        KernelProfiler p = active;
        if (p == null) return k;
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            long t0 = System.nanoTime();
            try {
                return m.invoke(k, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                LongAdder[] a = p.totals.computeIfAbsent(m.getName(),
                        n -> new LongAdder[] {new LongAdder(), new LongAdder()});
                a[0].add(System.nanoTime() - t0);
                a[1].increment();
            }
        }));
    }

    /** Kernel name -> {total nanoseconds, calls}, by name. */
    public Map<String, long[]> totals() {
        Map<String, long[]> out = new TreeMap<>();
        totals.forEach((k, v) -> out.put(k, new long[] {v[0].sum(), v[1].sum()}));
        return out;
    }
}
