// C[M,N] = op(A) op(B), row-major float32, on the SIMT cores in float32 throughout: the exact path,
// for parity with the CPU backend (and the FP32 choice of GemmPrecision). transA/transB and the K split
// over grid.z (kChunk) as in gemm_bf16.cu.
//
// Precision: float products, float sums over k in increasing order with fused multiply-adds, so
// |C - C_exact| <= k * 2^-24 * sum_p |a_ip||b_pj| (the classic recursive-summation bound); against the
// CPU's BLAS, which sums in another order, at most twice that. Deterministic: fixed k order.
//
// Tiling: a block of 256 threads computes a 64x64 tile of C, each thread a 4x4 register block (rows
// ty*4.., columns tx*4..), from [16][64] slices of op(A) and op(B) held k-major in shared memory, so
// each k step is two 128-bit shared loads and 16 FMAs per thread. Global loads walk the contiguous
// dimension of A or B in memory, so whichever op() applies, a warp reads whole 128-byte lines; edges
// load zeros and stores are masked.
//
// Occupancy (H100): 2 x 16 x 68 floats = 8.5 KB shared per block; 63 registers per thread (ptxas: 16
// accumulators, 8 operands, addresses) let 4 blocks = 32 warps run per SM, 50%. Full occupancy would
// need 32 registers, i.e. a 2x2 block with twice the shared loads per FMA: the 4x4 block's ILP is
// the better trade for a kernel bound by shared-memory bandwidth.
#include "common.cuh"

namespace {
constexpr int kTile = 64, kDepth = 16, kLd = kTile + 4;  // +4 keeps rows 16-byte aligned, shifts banks
}

// Loads op(X)'s slice [k0, k0+16) x [t0, t0+64) into dst[kk * kLd + t], zero at k >= kEnd or t >= tTotal.
// X is row-major; `kMajor` says its rows are the k index (A^T or B: leading dimension tTotal), else its
// columns are (A or B^T: leading dimension ldk, the full K).
__device__ __forceinline__ void uvgl_gemm_f32_load(float* dst, const float* x, bool kMajor, int kEnd, int ldk,
                                                   int tTotal, int k0, int t0, int tid) {
  for (int i = tid; i < kTile * kDepth; i += 256) {
    int kk, t;
    if (kMajor) { kk = i / kTile; t = i - kk * kTile; }   // consecutive threads: consecutive t in memory
    else { t = i / kDepth; kk = i - t * kDepth; }          // consecutive threads: consecutive k in memory
    const int gk = k0 + kk, gt = t0 + t;
    float v = 0.f;
    if (gk < kEnd && gt < tTotal) v = kMajor ? x[(long long)gk * tTotal + gt] : x[(long long)gt * ldk + gk];
    dst[kk * kLd + t] = v;
  }
}

UVGL_KERNEL void __launch_bounds__(256) uvgl_gemm_f32(float* __restrict__ c, const float* __restrict__ a,
                                                      const float* __restrict__ b, int m, int n, int k,
                                                      int transA, int transB, int kChunk) {
  // Declared as float4 so the 128-bit reads below are aligned; a __shared__ float array promises 4 bytes.
  UVGL_SHARED(float4, as4, kDepth * kLd / 4);
  UVGL_SHARED(float4, bs4, kDepth * kLd / 4);
  float* as = reinterpret_cast<float*>(as4);
  float* bs = reinterpret_cast<float*>(bs4);
  // Split K as in gemm_bf16.cu: block z sums k in [kBegin, kEnd) into c + z*m*n.
  const int kBegin = blockIdx.z * kChunk, kEnd = k - kBegin < kChunk ? k : kBegin + kChunk;
  c += (long long)blockIdx.z * m * n;
  const int tid = threadIdx.x, tx = tid & 15, ty = tid >> 4;
  const int row0 = blockIdx.y * kTile, col0 = blockIdx.x * kTile;
  float acc[4][4];
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) acc[i][j] = 0.f;
  for (int k0 = kBegin; k0 < kEnd; k0 += kDepth) {
    uvgl_gemm_f32_load(as, a, transA != 0, kEnd, k, m, k0, row0, tid);
    uvgl_gemm_f32_load(bs, b, transB == 0, kEnd, k, n, k0, col0, tid);
    __syncthreads();
    for (int kk = 0; kk < kDepth; ++kk) {
      const float4 av = *reinterpret_cast<const float4*>(as + kk * kLd + ty * 4);
      const float4 bv = *reinterpret_cast<const float4*>(bs + kk * kLd + tx * 4);
      const float ar[4] = {av.x, av.y, av.z, av.w}, br[4] = {bv.x, bv.y, bv.z, bv.w};
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) acc[i][j] = fmaf(ar[i], br[j], acc[i][j]);
    }
    __syncthreads();
  }
  for (int i = 0; i < 4; ++i) {
    const int r = row0 + ty * 4 + i;
    if (r >= m) continue;
    for (int j = 0; j < 4; ++j) {
      const int cc = col0 + tx * 4 + j;
      if (cc < n) c[(long long)r * n + cc] = acc[i][j];
    }
  }
}
UVGL_REGISTER(uvgl_gemm_f32, true, "out,in,in,-,-,-,-,-,-", 0)
