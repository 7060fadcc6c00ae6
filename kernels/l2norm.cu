// Row-wise L2 normalisation over the last axis, y = x / max(|x|, eps), and its backward. One block per
// row (grid-stride), block sums through 32 floats of shared memory; few registers, full occupancy at
// 256 threads. Deterministic: fixed per-thread order and fixed trees.
#include "reduce.cuh"

UVGL_KERNEL void __launch_bounds__(256) uvgl_l2norm_f32(float* __restrict__ y, const float* __restrict__ x, int rows,
                                                        int d, float eps) {
  UVGL_SHARED(float, scratch, 32);
  for (int row = blockIdx.x; row < rows; row += gridDim.x) {
    const long long o = (long long)row * d;
    float sq = 0.f;
    for (int j = threadIdx.x; j < d; j += blockDim.x) sq += x[o + j] * x[o + j];
    const float inv = 1.0f / fmaxf(sqrtf(uvgl_block_reduce_sum(sq, scratch)), eps);
    for (int j = threadIdx.x; j < d; j += blockDim.x) y[o + j] = x[o + j] * inv;
  }
}
UVGL_REGISTER(uvgl_l2norm_f32, true, "out,in,-,-,-", 0)

// |x| > eps: dx = gy / |x| - x (x . gy) / |x|^3; else (y = x / eps): dx = gy / eps.
UVGL_KERNEL void __launch_bounds__(256) uvgl_l2norm_bwd_f32(float* __restrict__ dx, const float* __restrict__ x,
                                                            const float* __restrict__ gy, int rows, int d, float eps) {
  UVGL_SHARED(float, scratch, 32);
  for (int row = blockIdx.x; row < rows; row += gridDim.x) {
    const long long o = (long long)row * d;
    float sq = 0.f, dot = 0.f;
    for (int j = threadIdx.x; j < d; j += blockDim.x) { sq += x[o + j] * x[o + j]; dot += x[o + j] * gy[o + j]; }
    sq = uvgl_block_reduce_sum(sq, scratch);
    dot = uvgl_block_reduce_sum(dot, scratch);
    const float norm = sqrtf(sq);
    if (norm > eps) {
      const float inv = 1.0f / norm, k = dot * inv * inv * inv;
      for (int j = threadIdx.x; j < d; j += blockDim.x) dx[o + j] = gy[o + j] * inv - x[o + j] * k;
    } else {
      for (int j = threadIdx.x; j < d; j += blockDim.x) dx[o + j] = gy[o + j] / eps;
    }
  }
}
UVGL_REGISTER(uvgl_l2norm_bwd_f32, true, "out,in,in,-,-,-", 0)
