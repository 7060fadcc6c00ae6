// LayerNorm over one axis of x viewed as [outer, C, inner]: the last axis (inner == 1, NHWC channels,
// nn.LayerNorm) or a middle one (ConvNeXt's channels_first). Forward writes y and each row's mean and
// 1/sqrt(var + eps) for the backward. Two passes (mean, then centred squares) so a large mean does not
// cancel the variance. Deterministic: fixed per-thread order and fixed shuffle trees.
#include "reduce.cuh"

// Last axis: one warp per row, sums by warp shuffles. Block: any multiple of 32 threads; each warp owns
// rows warp, warp + warpsPerGrid, ... The loop bound is uniform across a warp, so every lane reaches
// every shuffle. No shared memory, ~30 registers: full occupancy.
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
    const float mu = uvgl_warp_reduce_sum(s) / cols;
    float q = 0.f;
    for (int c = lane; c < cols; c += 32) { const float d = xr[c] - mu; q += d * d; }
    const float rs = rsqrtf(uvgl_warp_reduce_sum(q) / cols + eps);
    float* yr = y + (long long)row * cols;
    for (int c = lane; c < cols; c += 32) yr[c] = (xr[c] - mu) * rs * gamma[c] + beta[c];
    if (lane == 0) { mean[row] = mu; rstd[row] = rs; }
  }
}
UVGL_REGISTER(uvgl_layernorm_fwd_f32, true, "out,out,out,in,in,in,-,-,-", 0)

// Middle axis: one thread per (o, i) column walking C with stride inner; neighbouring threads read
// neighbouring i, so each step of the walk is one coalesced load per warp. 256 threads, no shared memory.
UVGL_KERNEL void __launch_bounds__(256) uvgl_layernorm_fwd_strided_f32(float* __restrict__ y, float* __restrict__ mean,
                                                                       float* __restrict__ rstd,
                                                                       const float* __restrict__ x,
                                                                       const float* __restrict__ gamma,
                                                                       const float* __restrict__ beta, int outer, int c,
                                                                       int inner, float eps) {
  const long long cols = (long long)outer * inner, stride = (long long)gridDim.x * blockDim.x;
  for (long long r = (long long)blockIdx.x * blockDim.x + threadIdx.x; r < cols; r += stride) {
    const long long base = (r / inner) * c * inner + r % inner;
    float s = 0.f;
    for (int k = 0; k < c; ++k) s += x[base + (long long)k * inner];
    const float mu = s / c;
    float q = 0.f;
    for (int k = 0; k < c; ++k) { const float d = x[base + (long long)k * inner] - mu; q += d * d; }
    const float rs = rsqrtf(q / c + eps);
    for (int k = 0; k < c; ++k) {
      const long long at = base + (long long)k * inner;
      y[at] = (x[at] - mu) * rs * __ldg(&gamma[k]) + __ldg(&beta[k]);
    }
    mean[r] = mu;
    rstd[r] = rs;
  }
}
UVGL_REGISTER(uvgl_layernorm_fwd_strided_f32, true, "out,out,out,in,in,in,-,-,-,-", 0)

// dx = rstd (d - mean(d) - xhat mean(d xhat)) with d = gy gamma, xhat = (x - mean) rstd.
// Last axis: one warp per row, as the forward.
UVGL_KERNEL void __launch_bounds__(256, 8) uvgl_layernorm_bwd_dx_f32(float* __restrict__ dx,
                                                                     const float* __restrict__ x,
                                                                     const float* __restrict__ gamma,
                                                                     const float* __restrict__ mean,
                                                                     const float* __restrict__ rstd,
                                                                     const float* __restrict__ gy, int rows, int cols) {
  const int lane = threadIdx.x & 31;
  const int warpsPerBlock = blockDim.x >> 5;
  const int stride = gridDim.x * warpsPerBlock;
  for (int row = blockIdx.x * warpsPerBlock + (threadIdx.x >> 5); row < rows; row += stride) {
    const long long o = (long long)row * cols;
    const float mu = mean[row], rs = rstd[row];
    float sd = 0.f, sdx = 0.f;
    for (int c = lane; c < cols; c += 32) {
      const float d = gy[o + c] * gamma[c];
      sd += d;
      sdx += d * (x[o + c] - mu) * rs;
    }
    const float md = uvgl_warp_reduce_sum(sd) / cols, mdx = uvgl_warp_reduce_sum(sdx) / cols;
    for (int c = lane; c < cols; c += 32) dx[o + c] = rs * (gy[o + c] * gamma[c] - md - (x[o + c] - mu) * rs * mdx);
  }
}
UVGL_REGISTER(uvgl_layernorm_bwd_dx_f32, true, "out,in,in,in,in,in,-,-", 0)

// Middle axis: one thread per (o, i) column, as the strided forward.
UVGL_KERNEL void __launch_bounds__(256, 8) uvgl_layernorm_bwd_dx_strided_f32(float* __restrict__ dx,
                                                                             const float* __restrict__ x,
                                                                             const float* __restrict__ gamma,
                                                                             const float* __restrict__ mean,
                                                                             const float* __restrict__ rstd,
                                                                             const float* __restrict__ gy, int outer,
                                                                             int c, int inner) {
  const long long cols = (long long)outer * inner, stride = (long long)gridDim.x * blockDim.x;
  for (long long r = (long long)blockIdx.x * blockDim.x + threadIdx.x; r < cols; r += stride) {
    const long long base = (r / inner) * c * inner + r % inner;
    const float mu = mean[r], rs = rstd[r];
    float sd = 0.f, sdx = 0.f;
    for (int k = 0; k < c; ++k) {
      const long long at = base + (long long)k * inner;
      const float d = gy[at] * __ldg(&gamma[k]);
      sd += d;
      sdx += d * (x[at] - mu) * rs;
    }
    const float md = sd / c, mdx = sdx / c;
    for (int k = 0; k < c; ++k) {
      const long long at = base + (long long)k * inner;
      dx[at] = rs * (gy[at] * __ldg(&gamma[k]) - md - (x[at] - mu) * rs * mdx);
    }
  }
}
UVGL_REGISTER(uvgl_layernorm_bwd_dx_strided_f32, true, "out,in,in,in,in,in,-,-,-", 0)

// dgamma[k] = sum over rows of gy xhat, dbeta[k] = sum of gy: partial sums in double over fixed chunks of
// rows (the chunk count depends on the shape only), layout [k * chunks + chunk] for uvgl_reduce_finish_f32.
// One thread per (k, chunk), consecutive threads on consecutive channels: coalesced for the last axis; for
// a middle axis a warp's loads are inner apart (ConvNeXt normalises a middle axis only in its small
// downsample layers), so that case trades bandwidth for one kernel and a fixed summation order.
// Occupancy: ~39 registers (two double accumulators, 64-bit row indexing) -> 6 blocks of 256 per SM, 75%.
// Capping it at 32 registers (__launch_bounds__(256, 8)) spilled 48 bytes, measured: each thread's loop
// already has independent loads in flight, so the spill traffic would cost more than 25% more warps buy.
UVGL_KERNEL void __launch_bounds__(256) uvgl_layernorm_bwd_params_partial_f32(double* __restrict__ pgamma,
                                                                              double* __restrict__ pbeta,
                                                                              const float* __restrict__ x,
                                                                              const float* __restrict__ mean,
                                                                              const float* __restrict__ rstd,
                                                                              const float* __restrict__ gy, int outer,
                                                                              int c, int inner, int chunks, int chunk) {
  const long long rows = (long long)outer * inner, total = (long long)c * chunks;
  const long long stride = (long long)gridDim.x * blockDim.x;
  for (long long t = (long long)blockIdx.x * blockDim.x + threadIdx.x; t < total; t += stride) {
    const int k = (int)(t % c), ch = (int)(t / c);
    const long long lo = (long long)ch * chunk, hi = rows - lo < chunk ? rows : lo + chunk;
    double sg = 0.0, sb = 0.0;
    for (long long r = lo; r < hi; ++r) {
      const long long at = ((r / inner) * c + k) * inner + r % inner;
      const float g = gy[at];
      sg += g * ((x[at] - mean[r]) * rstd[r]);
      sb += g;
    }
    pgamma[(long long)k * chunks + ch] = sg;
    pbeta[(long long)k * chunks + ch] = sb;
  }
}
UVGL_REGISTER(uvgl_layernorm_bwd_params_partial_f32, true, "out,out,in,in,in,in,-,-,-,-,-", 0)
