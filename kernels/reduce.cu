// Sums over one axis of x viewed as [outer, n, inner], in two deterministic passes: partial sums in double
// over fixed slices of the axis (how many slices depends on the shape only), then one warp per output
// adding its slices in order. Serves sum, sumAll, sumToSuffix, globalAvgPool (divisor = H*W), the loss
// means and LayerNorm's parameter gradients. Also the broadcast along an axis (their backward).
#include "reduce.cuh"

struct UvglIdentity { __device__ __forceinline__ double operator()(float v) const { return v; } };

// inner == 1: contiguous rows. 256 threads = 8 warps, one per (row, split): 32 registers, no shared
// memory, so occupancy is limited only by warps (100%).
UVGL_KERNEL void __launch_bounds__(256) uvgl_reduce_rows_partial_f32(double* __restrict__ partial,
                                                                     const float* __restrict__ x, int rows, int cols,
                                                                     int splits, int chunk) {
  uvgl_rows_partial(partial, x, rows, cols, splits, chunk, UvglIdentity());
}
UVGL_REGISTER(uvgl_reduce_rows_partial_f32, true, "out,in,-,-,-,-", 0)

// inner > 1: one thread per (output column, split), consecutive threads on consecutive columns, so every
// load of the serial loop over the split's slice is coalesced. Output j = o * inner + i.
UVGL_KERNEL void __launch_bounds__(256) uvgl_reduce_cols_partial_f32(double* __restrict__ partial,
                                                                     const float* __restrict__ x, int outer, int n,
                                                                     int inner, int splits, int chunk) {
  const long long outputs = (long long)outer * inner, total = outputs * splits;
  const long long stride = (long long)gridDim.x * blockDim.x;
  for (long long t = (long long)blockIdx.x * blockDim.x + threadIdx.x; t < total; t += stride) {
    const long long j = t % outputs;
    const int split = (int)(t / outputs);
    const long long o = j / inner, i = j % inner;
    const int lo = split * chunk, hi = n - lo < chunk ? n : lo + chunk;
    const float* base = x + o * n * inner + i;
    double s = 0.0;
    for (int c = lo; c < hi; ++c) s += __ldg(&base[(long long)c * inner]);
    partial[j * splits + split] = s;
  }
}
UVGL_REGISTER(uvgl_reduce_cols_partial_f32, true, "out,in,-,-,-,-,-", 0)

// y[j] = (sum over s of partial[j * splits + s]) / divisor, rounded to float once. One warp per output.
UVGL_KERNEL void __launch_bounds__(256) uvgl_reduce_finish_f32(float* __restrict__ y,
                                                               const double* __restrict__ partial, int count,
                                                               int splits, int divisor) {
  const int lane = threadIdx.x & 31;
  const long long warpStride = (long long)gridDim.x * (blockDim.x >> 5);
  for (long long j = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5); j < count; j += warpStride) {
    double s = 0.0;
    for (int k = lane; k < splits; k += 32) s += partial[j * splits + k];
    s = uvgl_warp_reduce_sum(s);
    if (lane == 0) y[j] = (float)(s / divisor);
  }
}
UVGL_REGISTER(uvgl_reduce_finish_f32, true, "out,in,-,-,-", 0)

// y[o, c, i] = g[o, i] * scale for y of shape [outer, n, inner] (scale 1 copies exactly): the backward of
// a sum over an axis, and of the global average pool (scale 1/(H*W)). Coalesced writes, cached reads.
UVGL_KERNEL void __launch_bounds__(256) uvgl_broadcast_mid_f32(float* __restrict__ y, const float* __restrict__ g,
                                                               long long total, int n, int inner, float scale) {
  const long long stride = (long long)gridDim.x * blockDim.x, block = (long long)n * inner;
  for (long long t = (long long)blockIdx.x * blockDim.x + threadIdx.x; t < total; t += stride)
    y[t] = __ldg(&g[(t / block) * inner + t % inner]) * scale;
}
UVGL_REGISTER(uvgl_broadcast_mid_f32, true, "out,in,-,-,-,-", 0)
