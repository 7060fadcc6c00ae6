// Row top-k: the k largest entries of each row in descending order with their indices; NaN ranks above
// every number (as PyTorch's topk) and ties go to the lower index, exactly as the CPU backend. The order
// (value descending, index ascending) is total, so round r's winner is the best entry strictly after
// round r-1's winner: k rounds of a block-wide arg-max, no sorting network and no shared copy of the row,
// O(k d / threads) loads per row (top-k is used with small k). One block per row (grid-stride); the
// arg-max tree needs 2 x 32 words of shared memory; ~30 registers: full occupancy at 256 threads.
#include "common.cuh"

// (v, i) before (w, j) in the output order.
__device__ __forceinline__ bool uvgl_topk_before(float v, int i, float w, int j) {
  const bool vn = v != v, wn = w != w;
  if (vn != wn) return vn;
  if (!vn && v != w) return v > w;
  return i < j;
}

__device__ __forceinline__ void uvgl_topk_keep_better(float& v, int& i, float w, int j) {
  if (j >= 0 && (i < 0 || uvgl_topk_before(w, j, v, i))) { v = w; i = j; }
}

UVGL_KERNEL void __launch_bounds__(256) uvgl_topk_f32(float* __restrict__ values, int* __restrict__ indices,
                                                      const float* __restrict__ x, int rows, int d, int k) {
  UVGL_SHARED(float, sv, 32);
  UVGL_SHARED(int, si, 32);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  for (int row = blockIdx.x; row < rows; row += gridDim.x) {
    const float* xr = x + (long long)row * d;
    float pv = 0.f;
    int pi = -1;  // the previous round's winner; -1 before the first round
    for (int r = 0; r < k; ++r) {
      float bv = 0.f;
      int bi = -1;
      for (int j = threadIdx.x; j < d; j += blockDim.x) {
        const float v = __ldg(&xr[j]);
        if (pi < 0 || uvgl_topk_before(pv, pi, v, j)) uvgl_topk_keep_better(bv, bi, v, j);
      }
      for (int o = 16; o > 0; o >>= 1) {
        const float ov = __shfl_xor_sync(0xffffffffu, bv, o);
        const int oi = __shfl_xor_sync(0xffffffffu, bi, o);
        uvgl_topk_keep_better(bv, bi, ov, oi);
      }
      __syncthreads();  // the previous round's readers are done with sv/si
      if (lane == 0) { sv[warp] = bv; si[warp] = bi; }
      __syncthreads();
      bv = lane < warps ? sv[lane] : 0.f;
      bi = lane < warps ? si[lane] : -1;
      for (int o = 16; o > 0; o >>= 1) {
        const float ov = __shfl_xor_sync(0xffffffffu, bv, o);
        const int oi = __shfl_xor_sync(0xffffffffu, bi, o);
        uvgl_topk_keep_better(bv, bi, ov, oi);
      }
      if (threadIdx.x == 0) { values[(long long)row * k + r] = bv; indices[(long long)row * k + r] = bi; }
      pv = bv;
      pi = bi;
    }
  }
}
UVGL_REGISTER(uvgl_topk_f32, true, "out,out,in,-,-,-", 0)

// dx[row, idx[row, j]] += gv[row, j] on a zeroed dx. One thread per row walking j in order, so repeated
// indices accumulate in a fixed order without atomics (k is small; rows give the parallelism).
UVGL_KERNEL void __launch_bounds__(256) uvgl_topk_scatter_f32(float* __restrict__ dx, const float* __restrict__ gv,
                                                              const int* __restrict__ idx, int rows, int d, int k) {
  const int stride = gridDim.x * blockDim.x;
  for (int row = blockIdx.x * blockDim.x + threadIdx.x; row < rows; row += stride)
    for (int j = 0; j < k; ++j) dx[(long long)row * d + idx[(long long)row * k + j]] += gv[(long long)row * k + j];
}
UVGL_REGISTER(uvgl_topk_scatter_f32, true, "inout,in,in,-,-,-", 0)
