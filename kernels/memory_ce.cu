// Fused memory cross-entropy (dmnil.md 4): loss = mean_i [ logsumexp_j(x_i . M_j / tau) - x_i . M_y / tau ]
// over a memory M [C, D] of up to ~40k rows, and its gradient dx = g / B (softmax - onehot) M / tau,
// flash-style: logits exist only as one register tile at a time, never as B x C. Both passes split C
// over grid.y (the split count is a function of the shape only, set by dmnil.memory.cuda.MemoryKernels),
// write one partial per split, and a second kernel combines the partials in split order, so every result
// is deterministic.
// FP32 SIMT, not BF16 tensor cores: logits are scaled by 1/tau = 20, and BF16's 8-bit mantissa would put
// errors of ~1e-2 into them, far above the 1e-5 that dmnil.md 9 asks of the loss.
#include "memory_common.cuh"

namespace {
constexpr int kFwdRows = 64, kFwdCols = 64, kBk = 16;
constexpr int kBwdRows = 16, kBwdCols = 64, kBwdSlice = 768, kBwdPerThread = kBwdSlice / 256;
}

// Forward partial: block (row tile of 64 queries, split) runs over its split's 64-wide tiles of memory
// rows; each thread keeps an online (max, sum of exp) for each of its 4 rows over its 4 columns of every
// tile, and the 16 threads sharing a row are merged in thread order at the end. partial[split][row] =
// (max, sum). Occupancy: 256 threads, 4x4 register tile (61 registers), 17 KB static shared memory:
// 4 blocks per SM (50%), enough to hide the shared-memory latency of an 8-FMA-per-2-loads inner loop.
UVGL_KERNEL void __launch_bounds__(256) uvgl_memory_ce_fwd_partial_f32(float* __restrict__ partial,
                                                                       const float* __restrict__ x,
                                                                       const float* __restrict__ memory, int batch,
                                                                       int classes, int dim, int tilesPerSplit,
                                                                       float invTau) {
  UVGL_SHARED_F32X4(as, kBk * (kFwdRows + 4));
  UVGL_SHARED_F32X4(bs, kBk * (kFwdCols + 4));
  UVGL_SHARED_F32X4(merge, kFwdRows * 16 * 2);
  const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
  const int r0 = blockIdx.x * kFwdRows, split = blockIdx.y;
  float runMax[4], runSum[4];
UVGL_UNROLL
  for (int i = 0; i < 4; ++i) { runMax[i] = -INFINITY; runSum[i] = 0.f; }
  const int tileEnd = uvgl_imin((split + 1) * tilesPerSplit, (classes + kFwdCols - 1) / kFwdCols);
  for (int t = split * tilesPerSplit; t < tileEnd; ++t) {
    const int c0 = t * kFwdCols;
    float acc[4][4];
    uvgl_sim_tile<kFwdRows, kFwdCols, 4, 4, kBk, false>(acc, x, nullptr, batch, memory, nullptr, classes, dim, r0, c0,
                                                        as, bs);
UVGL_UNROLL
    for (int i = 0; i < 4; ++i)
UVGL_UNROLL
      for (int j = 0; j < 4; ++j)
        if (c0 + tx * 4 + j < classes) uvgl_lse_add(runMax[i], runSum[i], acc[i][j] * invTau);
  }
UVGL_UNROLL
  for (int i = 0; i < 4; ++i) {
    merge[((ty * 4 + i) * 16 + tx) * 2] = runMax[i];
    merge[((ty * 4 + i) * 16 + tx) * 2 + 1] = runSum[i];
  }
  __syncthreads();
  if (threadIdx.x < kFwdRows && r0 + (int)threadIdx.x < batch) {
    const int r = threadIdx.x;
    float m = -INFINITY, s = 0.f;
    for (int t = 0; t < 16; ++t) uvgl_lse_merge(m, s, merge[(r * 16 + t) * 2], merge[(r * 16 + t) * 2 + 1]);
    float* p = partial + ((long long)split * batch + r0 + r) * 2;
    p[0] = m;
    p[1] = s;
  }
}
UVGL_REGISTER(uvgl_memory_ce_fwd_partial_f32, true, "out,in,in,-,-,-,-,-", 0)

// Forward finish, one block: warp w takes rows w, w + 8, ...; lanes merge the splits (lane-strided, then
// a butterfly), a warp dot product gives the label's logit, and the loss is summed in double in a fixed
// order (each warp's rows in order, then the warps in order). A label outside [0, C) gives a NaN loss.
UVGL_KERNEL void __launch_bounds__(256) uvgl_memory_ce_fwd_finish_f32(float* __restrict__ loss, float* __restrict__ lse,
                                                                      const float* __restrict__ partial,
                                                                      const float* __restrict__ x,
                                                                      const float* __restrict__ memory,
                                                                      const int* __restrict__ labels, int batch,
                                                                      int classes, int dim, int splits, float invTau) {
  UVGL_SHARED(double, warpLoss, 32);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  double mine = 0.0;
  for (int r = warp; r < batch; r += warps) {  // uniform over the warp
    float m = -INFINITY, s = 0.f;
    for (int p = lane; p < splits; p += 32)
      uvgl_lse_merge(m, s, partial[((long long)p * batch + r) * 2], partial[((long long)p * batch + r) * 2 + 1]);
    for (int o = 16; o > 0; o >>= 1) {
      const float om = __shfl_xor_sync(kFullMask, m, o), os = __shfl_xor_sync(kFullMask, s, o);
      uvgl_lse_merge(m, s, om, os);
    }
    const float logSum = m + logf(s);
    const int y = labels[r];
    const bool known = y >= 0 && y < classes;
    float dot = 0.f;
    if (known)
      for (int e = lane; e < dim; e += 32) dot = fmaf(x[(long long)r * dim + e], memory[(long long)y * dim + e], dot);
    dot = uvgl_warp_sum_f32(dot);
    const float labelLogit = known ? dot * invTau : NAN;
    if (lane == 0) {
      lse[r] = logSum;
      mine += (double)logSum - (double)labelLogit;
    }
  }
  if (lane == 0) warpLoss[warp] = mine;
  __syncthreads();
  if (threadIdx.x == 0) {
    double total = 0.0;
    for (int w = 0; w < warps; ++w) total += warpLoss[w];
    loss[0] = (float)(total / batch);
  }
}
UVGL_REGISTER(uvgl_memory_ce_fwd_finish_f32, true, "out,out,in,in,in,in,-,-,-,-,-", 0)

// Backward partial: block (row tile of 16, split of C, slice of 768 columns of dx). Per tile of 64 memory
// rows, phase A recomputes the 16 x 64 logits from `memory` (the rows as they were at the forward, whose
// saved lse normalises them: thread: 1 row x 4 columns) and turns them into p = g / (B tau) (exp(z - lse) -
// onehot) in shared memory; phase B adds P [16 x 64] times the tile's rows of `product` [64 x slice] into dx
// (the rows as they are now: the reference multiplies its forward-time softmax gradient by a memory that
// another term's momentum update may have moved since; when nothing moved, both pointers are the same): thread t
// owns columns t, t + 256, t + 512 of the slice for all 16 rows (48
// accumulators), reads M coalesced and P as broadcast float4s (16 LDS.128 per 192 FMAs). Each dx entry adds
// the memory rows in increasing order: deterministic. out[split][row][col] (dx itself when one split).
// Occupancy: 128 registers (the cap of __launch_bounds__(256, 2); ptxas -v: no spills) x 256 threads,
// 2 blocks per SM (25%): the 48 independent accumulators give each warp enough instruction-level
// parallelism to keep the FMA pipes busy at that occupancy; a third block would force spills.
UVGL_KERNEL void __launch_bounds__(256, 2) uvgl_memory_ce_bwd_partial_f32(float* __restrict__ out,
                                                                          const float* __restrict__ x,
                                                                          const float* __restrict__ memory,
                                                                          const float* __restrict__ product,
                                                                          const int* __restrict__ labels,
                                                                          const float* __restrict__ lse,
                                                                          const float* __restrict__ gLoss, int batch,
                                                                          int classes, int dim, int tilesPerSplit,
                                                                          float invTau) {
  UVGL_SHARED_F32X4(as, kBk * (kBwdRows + 4));
  UVGL_SHARED_F32X4(bs, kBk * (kBwdCols + 4));
  UVGL_SHARED_F32X4(p, kBwdRows * kBwdCols);
  const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
  const int r0 = blockIdx.x * kBwdRows, split = blockIdx.y, d0 = blockIdx.z * kBwdSlice;
  const float coef = gLoss[0] * invTau / (float)batch;
  const int myRow = r0 + ty;
  const float rowLse = myRow < batch ? lse[myRow] : 0.f;
  const int rowLabel = myRow < batch ? labels[myRow] : -1;
  float acc[kBwdRows][kBwdPerThread];
UVGL_UNROLL
  for (int r = 0; r < kBwdRows; ++r)
UVGL_UNROLL
    for (int q = 0; q < kBwdPerThread; ++q) acc[r][q] = 0.f;
  const int tileEnd = uvgl_imin((split + 1) * tilesPerSplit, (classes + kBwdCols - 1) / kBwdCols);
  for (int t = split * tilesPerSplit; t < tileEnd; ++t) {
    const int c0 = t * kBwdCols;
    float z[1][4];
    // Begins with a barrier: the previous tile's phase B has finished reading p.
    uvgl_sim_tile<kBwdRows, kBwdCols, 1, 4, kBk, false>(z, x, nullptr, batch, memory, nullptr, classes, dim, r0, c0,
                                                        as, bs);
UVGL_UNROLL
    for (int j = 0; j < 4; ++j) {
      const int col = c0 + tx * 4 + j;
      float v = 0.f;
      if (myRow < batch && col < classes) v = coef * (expf(z[0][j] * invTau - rowLse) - (col == rowLabel ? 1.f : 0.f));
      p[ty * kBwdCols + tx * 4 + j] = v;
    }
    __syncthreads();
    const int count = uvgl_imin(kBwdCols, classes - c0);
    for (int c = 0; c < count; c += 4) {
      float mv[4][kBwdPerThread];
UVGL_UNROLL
      for (int u = 0; u < 4; ++u)
UVGL_UNROLL
        for (int q = 0; q < kBwdPerThread; ++q) {
          const int col = d0 + (int)threadIdx.x + 256 * q;
          mv[u][q] = (c + u < count && col < dim) ? product[(long long)(c0 + c + u) * dim + col] : 0.f;
        }
UVGL_UNROLL
      for (int r = 0; r < kBwdRows; ++r) {
        const float4 pr = *reinterpret_cast<const float4*>(p + r * kBwdCols + c);
UVGL_UNROLL
        for (int q = 0; q < kBwdPerThread; ++q) {
          acc[r][q] = fmaf(pr.x, mv[0][q], acc[r][q]);
          acc[r][q] = fmaf(pr.y, mv[1][q], acc[r][q]);
          acc[r][q] = fmaf(pr.z, mv[2][q], acc[r][q]);
          acc[r][q] = fmaf(pr.w, mv[3][q], acc[r][q]);
        }
      }
    }
  }
UVGL_UNROLL
  for (int r = 0; r < kBwdRows; ++r)
UVGL_UNROLL
    for (int q = 0; q < kBwdPerThread; ++q) {
      const int col = d0 + (int)threadIdx.x + 256 * q;
      if (r0 + r < batch && col < dim) out[((long long)split * batch + r0 + r) * dim + col] = acc[r][q];
    }
}
UVGL_REGISTER(uvgl_memory_ce_bwd_partial_f32, true, "out,in,in,in,in,in,in,-,-,-,-,-", 0)

// dx = the sum of the splits' partials, in split order. Grid-stride, coalesced; memory bound.
UVGL_KERNEL void __launch_bounds__(256) uvgl_memory_ce_bwd_reduce_f32(float* __restrict__ dx,
                                                                      const float* __restrict__ partial, long long n,
                                                                      int splits) {
  const long long stride = (long long)gridDim.x * blockDim.x;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
    float s = 0.f;
    for (int p = 0; p < splits; ++p) s += partial[(long long)p * n + i];
    dx[i] = s;
  }
}
UVGL_REGISTER(uvgl_memory_ce_bwd_reduce_f32, true, "out,in,-,-", 0)
