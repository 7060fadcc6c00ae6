package dev.uvgl.device;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUstream;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;

/**
 * A ring of pinned host memory that uploads pass through. A copy from pageable memory may make the driver
 * wait for the stream, so Java arrays are first copied here and then queued on the compute stream from
 * pinned memory, which lets the host run ahead of the GPU. Each queued region is guarded by an event; a
 * region is written again only after its event (an upload older than every later one) has passed, so the
 * host waits only when a step uploads more than the ring holds. Uploads larger than the ring go through it
 * in pieces. Used by one thread at a time (the backend's), with the context current.
 */
final class PinnedStaging implements AutoCloseable {
    static final long RING_BYTES = 256L << 20;

    /** Copies bytes [at, at + n) of the caller's array into the buffer (positioned at 0, native order). */
    interface Fill { void into(ByteBuffer buffer, long at, long n); }

    private record Pending(long start, long end, CUevent event) {}

    private final CUstream stream;
    private final AtomicLong hostSyncs;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Pointer base;
    private ByteBuffer ring;
    private long head;

    PinnedStaging(CUstream stream, AtomicLong hostSyncs) {
        this.stream = stream;
        this.hostSyncs = hostSyncs;
    }

    /** Queues bytes [srcOffset, srcOffset + bytes) of an array (through fill) to device address dst. */
    void upload(long dst, long srcOffset, long bytes, Fill fill) {
        if (base == null) {
            base = new Pointer();
            cuMemAllocHost(base, RING_BYTES);
            ring = base.getByteBuffer(0, RING_BYTES).order(ByteOrder.nativeOrder());
        }
        for (long done = 0; done < bytes; ) {
            long n = Math.min(bytes - done, RING_BYTES);
            if (head + n > RING_BYTES) head = 0;
            long start = head, end = start + n;
            while (!pending.isEmpty() && overlapsPending(start, end)) {
                Pending p = pending.pop();
                hostSyncs.incrementAndGet();
                cuEventSynchronize(p.event());
                cuEventDestroy(p.event());
            }
            ByteBuffer slice = ring.slice((int) start, (int) n).order(ByteOrder.nativeOrder());
            fill.into(slice, srcOffset + done, n);
            cuMemcpyHtoDAsync((CUdeviceptr) new CUdeviceptr().withByteOffset(dst + done), base.withByteOffset(start), n,
                    stream);
            CUevent e = new CUevent();
            cuEventCreate(e, CUevent_flags.CU_EVENT_DISABLE_TIMING);
            cuEventRecord(e, stream);
            pending.add(new Pending(start, end, e));
            head = end;
            done += n;
        }
    }

    private boolean overlapsPending(long start, long end) {
        for (Pending p : pending) if (p.start() < end && start < p.end()) return true;
        return false;
    }

    @Override public void close() {
        for (Pending p : pending) {
            cuEventSynchronize(p.event());
            cuEventDestroy(p.event());
        }
        pending.clear();
        if (base != null) cuMemFreeHost(base);
        base = null;
    }
}
