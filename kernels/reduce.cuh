// Deterministic reductions shared by the kernel files: butterfly (xor) warp trees give every lane the
// same bits, and a block's warps combine in warp order, so a sum depends only on the data and the
// launch shape, never on the schedule. Blocks must be a multiple of 32 threads (full-mask shuffles).
#pragma once
#include "common.cuh"

template <class T> __device__ __forceinline__ T uvgl_warp_reduce_sum(T v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

template <class T> __device__ __forceinline__ T uvgl_warp_reduce_max(T v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

// The block's total, returned to every thread. scratch: 32 elements of shared memory, declared once by
// the kernel (UVGL_SHARED allocates at each execution, so a helper must not declare it). Every thread
// of the block must call it, the same number of times.
template <class T> __device__ __forceinline__ T uvgl_block_reduce_sum(T v, T* scratch) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  v = uvgl_warp_reduce_sum(v);
  __syncthreads();  // a previous call's readers are done with scratch
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  return uvgl_warp_reduce_sum(lane < warps ? scratch[lane] : T(0));
}

__device__ __forceinline__ float uvgl_block_reduce_max(float v, float* scratch) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  v = uvgl_warp_reduce_max(v);
  __syncthreads();
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  return uvgl_warp_reduce_max(lane < warps ? scratch[lane] : -INFINITY);
}

// log sum_j exp(x_j invT) over one row of d, by the whole block: the max first, so large logits do not
// overflow. Every thread gets the result (softmax, log-softmax and cross-entropy share it).
__device__ __forceinline__ float uvgl_row_log_sum_exp(const float* xr, int d, float invT, float* scratch) {
  float m = -INFINITY;
  for (int j = threadIdx.x; j < d; j += blockDim.x) m = fmaxf(m, xr[j] * invT);
  m = uvgl_block_reduce_max(m, scratch);
  float s = 0.f;
  for (int j = threadIdx.x; j < d; j += blockDim.x) s += expf(xr[j] * invT - m);
  return logf(uvgl_block_reduce_sum(s, scratch)) + m;
}

// One warp per (row, split): partial[row * splits + split] = sum of f(x) over that split's columns, in
// double (the CPU backend sums in double too). chunk (a multiple of 4) columns per split; float4 loads
// when every row starts 16-byte aligned (cols % 4 == 0). Any warps-per-block; grid-stride over segments.
template <class F> __device__ __forceinline__ void uvgl_rows_partial(double* __restrict__ partial,
                                                                     const float* __restrict__ x, int rows, int cols,
                                                                     int splits, int chunk, F f) {
  const int lane = threadIdx.x & 31;
  const long long segments = (long long)rows * splits;
  const long long warpStride = (long long)gridDim.x * (blockDim.x >> 5);
  for (long long seg = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5); seg < segments;
       seg += warpStride) {
    const int row = (int)(seg / splits), split = (int)(seg % splits);
    const int lo = split * chunk, hi = cols - lo < chunk ? cols : lo + chunk;
    const float* xr = x + (long long)row * cols;
    double s = 0.0;
    if ((cols & 3) == 0) {
      const float4* x4 = reinterpret_cast<const float4*>(xr);
      for (int c = lo / 4 + lane; c < hi / 4; c += 32) {
        const float4 v = __ldg(&x4[c]);
        s += f(v.x) + f(v.y) + f(v.z) + f(v.w);
      }
    } else {
      for (int c = lo + lane; c < hi; c += 32) s += f(__ldg(&xr[c]));
    }
    s = uvgl_warp_reduce_sum(s);
    if (lane == 0) partial[seg] = s;
  }
}
