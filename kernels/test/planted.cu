// Test-only kernels, each with one planted bug the emulator must report. Built only into
// libuvgl_emu_planted.so (never into a fatbin or the jar): the planted-bug tests load it in a forked JVM.
#include "common.cuh"

// Block sum through shared memory with the __syncthreads between the stores and the reads removed:
// thread 0 may read partial sums before the other threads stored them, depending on the schedule.
UVGL_KERNEL void planted_missing_sync(float* out, const float* in, int n) {
  UVGL_SHARED(float, partial, 128);
  const int t = threadIdx.x;
  float s = 0.f;
  for (int i = t; i < n; i += blockDim.x) s += in[i];
  partial[t] = s;
  // __syncthreads();  <- the planted bug
  if (t == 0) {
    float total = 0.f;
    for (int i = 0; i < (int)blockDim.x; ++i) total += partial[i];
    out[0] = total;
  }
}
UVGL_REGISTER(planted_missing_sync, true, "out,in,-", 0)

// Stores one element past the end: i <= n instead of i < n.
UVGL_KERNEL void planted_off_by_one(float* out, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i <= n) out[i] = 1.0f;
}
UVGL_REGISTER(planted_off_by_one, true, "out,-", 0)

// The upper half of the block returns early, the lower half waits at a barrier they never reach.
UVGL_KERNEL void planted_half_barrier(float* out) {
  if (threadIdx.x >= blockDim.x / 2) return;
  out[threadIdx.x] = 1.0f;
  __syncthreads();
  out[threadIdx.x] += 1.0f;
}
UVGL_REGISTER(planted_half_barrier, true, "out", 0)

// Lanes diverge, then half the warp shuffles with a full mask.
UVGL_KERNEL void planted_diverged_shuffle(float* out) {
  float v = (float)threadIdx.x;
  if ((threadIdx.x & 31) < 16) v = __shfl_down_sync(0xffffffffu, v, 1);
  out[threadIdx.x] = v;
}
UVGL_REGISTER(planted_diverged_shuffle, true, "out", 0)

// Waits for a flag no one sets (a block waiting for another block): only the watchdog ends it.
UVGL_KERNEL void planted_spin(float* out, const int* flag) {
  volatile const int* f = flag;
  while (*f == 0) {}
  out[0] = 1.0f;
}
UVGL_REGISTER(planted_spin, true, "out,in", 0)

// Not a bug: the cost of one barrier per thread on the emulator (fiber switches), measured by
// PlantedBugMain's barrier-cost scenario for bench/results.
UVGL_KERNEL void measure_barriers(float* out, int iterations) {
  float s = 0.f;
  for (int i = 0; i < iterations; ++i) { s += 1.f; __syncthreads(); }
  out[blockIdx.x * blockDim.x + threadIdx.x] = s;
}
UVGL_REGISTER(measure_barriers, true, "out,-", 0)

// Not a bug either: each thread of a block stores its index to the same word with no ordering, so
// the value left is the last thread the schedule ran. Shows seeded shuffling and exact replay.
UVGL_KERNEL void last_writer(float* out) {
  out[blockIdx.x] = (float)threadIdx.x;
}
UVGL_REGISTER(last_writer, false, "out", 0)

// Stages a tile into shared memory with async copies; `wait` 0 plants the bug of reading before
// __pipeline_wait_prior, which on the emulator reads the arena's NaN poison.
UVGL_KERNEL void planted_pipeline(float* out, const float* in, int wait) {
  UVGL_SHARED(float, tile, 128);
  const int t = threadIdx.x;
  __pipeline_memcpy_async(&tile[t], &in[blockIdx.x * 128 + t], sizeof(float));
  __pipeline_commit();
  if (wait) __pipeline_wait_prior(0);
  __syncthreads();
  out[blockIdx.x * 128 + t] = tile[127 - t];
}
UVGL_REGISTER(planted_pipeline, true, "out,in,-", 0)

// Half a warp waits at a warp barrier while the other half waits at the block barrier: a deadlock.
UVGL_KERNEL void planted_mixed_barriers(float* out) {
  if ((threadIdx.x & 31) < 16) __syncwarp();
  else __syncthreads();
  out[threadIdx.x] = 1.0f;
}
UVGL_REGISTER(planted_mixed_barriers, true, "out", 0)

// Stores a page and more past the end: beyond the canaries, into the guard page, which crashes.
UVGL_KERNEL void planted_far_overrun(float* out, int n) {
  if (threadIdx.x == 0) out[n + 4096] = 1.0f;
}
UVGL_REGISTER(planted_far_overrun, true, "out,-", 0)

// Asks for 52000 bytes of static shared memory, over the 48 KB a block gets without opting in.
UVGL_KERNEL void planted_shared_overflow(float* out) {
  UVGL_SHARED(float, big, 13000);
  big[threadIdx.x] = 1.0f;
  __syncthreads();
  out[threadIdx.x] = big[threadIdx.x];
}
UVGL_REGISTER(planted_shared_overflow, true, "out", 0)

// Not a bug: every thread of every block adds to one int and one float counter, from blocks that run
// on several host threads at once.
UVGL_KERNEL void atomic_counts(int* count, float* sum) {
  atomicAdd(count, 1);
  atomicAdd(sum, 0.5f);
}
UVGL_REGISTER(atomic_counts, false, "inout,inout", 0)
