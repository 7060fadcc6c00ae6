// Row-wise softmax and log-softmax of x / T over the last axis and their backwards. One block per row
// (grid-stride over rows), 32..256 threads picked for the row length, block reductions through 32 floats
// of shared memory: register-light, so 256-thread blocks run at full occupancy. Float throughout with
// the max subtracted; deterministic (fixed per-thread order, fixed trees).
#include "reduce.cuh"

template <bool LOG> __device__ __forceinline__ void uvgl_softmax_rows(float* __restrict__ y,
                                                                      const float* __restrict__ x, int rows, int d,
                                                                      float invT, float* scratch) {
  for (int row = blockIdx.x; row < rows; row += gridDim.x) {
    const float* xr = x + (long long)row * d;
    const float logSum = uvgl_row_log_sum_exp(xr, d, invT, scratch);
    float* yr = y + (long long)row * d;
    for (int j = threadIdx.x; j < d; j += blockDim.x) {
      const float lp = xr[j] * invT - logSum;
      yr[j] = LOG ? lp : expf(lp);
    }
  }
}

UVGL_KERNEL void __launch_bounds__(256) uvgl_softmax_f32(float* __restrict__ y, const float* __restrict__ x, int rows,
                                                         int d, float invT) {
  UVGL_SHARED(float, scratch, 32);
  uvgl_softmax_rows<false>(y, x, rows, d, invT, scratch);
}
UVGL_REGISTER(uvgl_softmax_f32, true, "out,in,-,-,-", 0)

UVGL_KERNEL void __launch_bounds__(256) uvgl_log_softmax_f32(float* __restrict__ y, const float* __restrict__ x,
                                                             int rows, int d, float invT) {
  UVGL_SHARED(float, scratch, 32);
  uvgl_softmax_rows<true>(y, x, rows, d, invT, scratch);
}
UVGL_REGISTER(uvgl_log_softmax_f32, true, "out,in,-,-,-", 0)

// softmax: dx = y (gy - sum(y gy)); log-softmax (y = log p): dx = gy - exp(y) sum(gy).
template <bool LOG> __device__ __forceinline__ void uvgl_softmax_rows_bwd(float* __restrict__ dx,
                                                                          const float* __restrict__ y,
                                                                          const float* __restrict__ gy, int rows, int d,
                                                                          float* scratch) {
  for (int row = blockIdx.x; row < rows; row += gridDim.x) {
    const long long o = (long long)row * d;
    float s = 0.f;
    for (int j = threadIdx.x; j < d; j += blockDim.x) s += LOG ? gy[o + j] : y[o + j] * gy[o + j];
    s = uvgl_block_reduce_sum(s, scratch);
    for (int j = threadIdx.x; j < d; j += blockDim.x)
      dx[o + j] = LOG ? gy[o + j] - expf(y[o + j]) * s : y[o + j] * (gy[o + j] - s);
  }
}

UVGL_KERNEL void __launch_bounds__(256) uvgl_softmax_bwd_f32(float* __restrict__ dx, const float* __restrict__ y,
                                                             const float* __restrict__ gy, int rows, int d) {
  UVGL_SHARED(float, scratch, 32);
  uvgl_softmax_rows_bwd<false>(dx, y, gy, rows, d, scratch);
}
UVGL_REGISTER(uvgl_softmax_bwd_f32, true, "out,in,in,-,-", 0)

UVGL_KERNEL void __launch_bounds__(256) uvgl_log_softmax_bwd_f32(float* __restrict__ dx, const float* __restrict__ y,
                                                                 const float* __restrict__ gy, int rows, int d) {
  UVGL_SHARED(float, scratch, 32);
  uvgl_softmax_rows_bwd<true>(dx, y, gy, rows, d, scratch);
}
UVGL_REGISTER(uvgl_log_softmax_bwd_f32, true, "out,in,in,-,-", 0)
