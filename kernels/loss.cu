// The losses: softmax cross-entropy with temperature (forward fused with the probabilities the backward
// needs) and KL(uniform || p). Per-row and per-element terms here; their means go through reduce.cu's
// deterministic two-pass sums. Labels arrive as int32 on the device.
#include "reduce.cuh"

// Per row: probs = softmax(x / T) and rowLoss = -log softmax(x / T)[label], the latter from the logits so
// that a probability that underflowed to 0 still gives a finite loss. One block per row (grid-stride),
// 32 floats of shared memory for the block reductions: full occupancy at 256 threads.
UVGL_KERNEL void __launch_bounds__(256) uvgl_softmax_xent_f32(float* __restrict__ probs, float* __restrict__ rowLoss,
                                                              const float* __restrict__ x,
                                                              const int* __restrict__ labels, int rows, int d,
                                                              float invT) {
  UVGL_SHARED(float, scratch, 32);
  for (int row = blockIdx.x; row < rows; row += gridDim.x) {
    const float* xr = x + (long long)row * d;
    const float logSum = uvgl_row_log_sum_exp(xr, d, invT, scratch);
    float* pr = probs + (long long)row * d;
    for (int j = threadIdx.x; j < d; j += blockDim.x) pr[j] = expf(xr[j] * invT - logSum);
    if (threadIdx.x == 0) rowLoss[row] = logSum - xr[labels[row]] * invT;
  }
}
UVGL_REGISTER(uvgl_softmax_xent_f32, true, "out,out,in,in,-,-,-", 0)

// dx = gLoss / (rows T) * (p - onehot(label)); gLoss stays on the device (no host round trip), factor is
// 1 / (rows T). Element-wise, grid-stride, no shared memory.
UVGL_KERNEL void __launch_bounds__(256) uvgl_softmax_xent_bwd_f32(float* __restrict__ dx,
                                                                  const float* __restrict__ probs,
                                                                  const int* __restrict__ labels,
                                                                  const float* __restrict__ gLoss, int rows, int d,
                                                                  float factor) {
  const float k = gLoss[0] * factor;
  const long long n = (long long)rows * d, stride = (long long)gridDim.x * blockDim.x;
  for (long long t = (long long)blockIdx.x * blockDim.x + threadIdx.x; t < n; t += stride) {
    const int row = (int)(t / d), j = (int)(t % d);
    dx[t] = k * (probs[t] - (j == __ldg(&labels[row]) ? 1.0f : 0.0f));
  }
}
UVGL_REGISTER(uvgl_softmax_xent_bwd_f32, true, "out,in,in,in,-,-,-", 0)

// KL(u || p) summed over every element: log u - log p = -log(d p), in double (p near uniform makes the
// total a small difference of large terms). Partial sums per fixed column slice, as uvgl_reduce_rows_partial_f32.
struct UvglNegLogScaled {
  double d;
  __device__ __forceinline__ double operator()(float p) const { return -log(d * (double)p); }
};

UVGL_KERNEL void __launch_bounds__(256) uvgl_kl_uniform_partial_f32(double* __restrict__ partial,
                                                                    const float* __restrict__ p, int n, int d,
                                                                    int splits, int chunk) {
  uvgl_rows_partial(partial, p, 1, n, splits, chunk, UvglNegLogScaled{(double)d});
}
UVGL_REGISTER(uvgl_kl_uniform_partial_f32, true, "out,in,-,-,-,-", 0)

// dp = -gLoss / (d rows) / p; factor is 1 / (d rows).
UVGL_KERNEL void __launch_bounds__(256) uvgl_kl_uniform_bwd_f32(float* __restrict__ dp, const float* __restrict__ p,
                                                                const float* __restrict__ gLoss, long long n,
                                                                float factor) {
  const float k = -gLoss[0] * factor;
  const long long stride = (long long)gridDim.x * blockDim.x;
  for (long long t = (long long)blockIdx.x * blockDim.x + threadIdx.x; t < n; t += stride) dp[t] = k / p[t];
}
UVGL_REGISTER(uvgl_kl_uniform_bwd_f32, true, "out,in,in,-,-", 0)
