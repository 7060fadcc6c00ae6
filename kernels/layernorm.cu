// LayerNorm forward over the last dimension: one warp per row, sums by warp shuffles, two passes
// (mean, then the centred squares) so a large mean does not cancel the variance. Writes y, and the
// row's mean and 1/sqrt(var+eps) for the backward pass. Deterministic: fixed per-lane order, fixed tree.
#include "common.cuh"

__device__ __forceinline__ float uvgl_warp_sum(float v) {
  for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(0xffffffffu, v, offset);
  return v;
}

// Block: any multiple of 32 threads; each warp owns rows warp, warp + warpsPerGrid, ... The loop bound
// is uniform across a warp, so every lane reaches every shuffle.
UVGL_KERNEL void uvgl_layernorm_fwd_f32(float* __restrict__ y, float* __restrict__ mean, float* __restrict__ rstd,
                                        const float* __restrict__ x, const float* __restrict__ gamma,
                                        const float* __restrict__ beta, int rows, int cols, float eps) {
  const int lane = threadIdx.x & 31;
  const int warpsPerBlock = blockDim.x >> 5;
  const int stride = gridDim.x * warpsPerBlock;
  for (int row = blockIdx.x * warpsPerBlock + (threadIdx.x >> 5); row < rows; row += stride) {
    const float* xr = x + (long long)row * cols;
    float s = 0.f;
    for (int c = lane; c < cols; c += 32) s += xr[c];
    const float mu = uvgl_warp_sum(s) / cols;
    float q = 0.f;
    for (int c = lane; c < cols; c += 32) { const float d = xr[c] - mu; q += d * d; }
    const float rs = rsqrtf(uvgl_warp_sum(q) / cols + eps);
    float* yr = y + (long long)row * cols;
    for (int c = lane; c < cols; c += 32) yr[c] = (xr[c] - mu) * rs * gamma[c] + beta[c];
    if (lane == 0) { mean[row] = mu; rstd[row] = rs; }
  }
}
UVGL_REGISTER(uvgl_layernorm_fwd_f32, true, "out,out,out,in,in,in,-,-,-", 0)
