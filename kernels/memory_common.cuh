// Helpers shared by the DMNIL memory kernels (memory_*.cu, knn.cu, neighbour_mask.cu): the register-tiled
// similarity tile (queries x memory rows, k staged through shared memory), fixed-order reductions, and
// the (value, index) order that top-k and kNN use. Everything sits in an anonymous namespace: each kernel
// file gets its own copy, so no helper can collide with another file's at link time (the emulator links
// every kernel into one library).
#pragma once
#include "common.cuh"
#include <math.h>

// Loop unrolling for nvcc; the host compiler of the emulator does not know the pragma.
#ifdef __CUDACC__
#define UVGL_UNROLL _Pragma("unroll")
#else
#define UVGL_UNROLL
#endif

// A float array in shared memory aligned for float4 access (a plain float array is only 4-byte aligned).
#define UVGL_SHARED_F32X4(name, count) \
  UVGL_SHARED(float4, name##_vec4, ((count) + 3) / 4); \
  float* name = reinterpret_cast<float*>(name##_vec4)

namespace {

constexpr unsigned kFullMask = 0xffffffffu;

// Multiply and add rounded separately, as Java's float arithmetic: the momentum update must equal the
// CPU's sequential loop, and nvcc would otherwise contract a*b + c*d into an fma.
#ifdef __CUDACC__
__device__ __forceinline__ float uvgl_mul_rn(float a, float b) { return __fmul_rn(a, b); }
__device__ __forceinline__ float uvgl_add_rn(float a, float b) { return __fadd_rn(a, b); }
__device__ __forceinline__ double uvgl_dmul_rn(double a, double b) { return __dmul_rn(a, b); }
__device__ __forceinline__ double uvgl_dadd_rn(double a, double b) { return __dadd_rn(a, b); }
__device__ __forceinline__ int uvgl_lowest_lane(unsigned bits) { return __ffs(bits) - 1; }
__device__ __forceinline__ int uvgl_popcount(unsigned bits) { return __popc(bits); }
#else
// volatile: a host build for a CPU with FMA must not contract these either.
inline float uvgl_mul_rn(float a, float b) { volatile float p = a * b; return p; }
inline float uvgl_add_rn(float a, float b) { volatile float s = a + b; return s; }
inline double uvgl_dmul_rn(double a, double b) { volatile double p = a * b; return p; }
inline double uvgl_dadd_rn(double a, double b) { volatile double s = a + b; return s; }
inline int uvgl_lowest_lane(unsigned bits) { return __builtin_ctz(bits); }
inline int uvgl_popcount(unsigned bits) { return __builtin_popcount(bits); }
#endif

__device__ __forceinline__ int uvgl_imin(int a, int b) { return a < b ? a : b; }

// A double passed bit-for-bit through a long long kernel argument (kernel arguments have no double).
__device__ __forceinline__ double uvgl_bits_to_double(long long bits) {
  union { long long i; double d; } u;
  u.i = bits;
  return u.d;
}

__device__ __forceinline__ float uvgl_warp_sum_f32(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFullMask, v, o);
  return v;
}

// The whole block's sum, by one tree for every launch (xor butterfly in each warp, then the warps in
// index order), so the result does not depend on the schedule. blockDim.x must be a multiple of 32 and
// every thread must call it. scratch holds 32 doubles of shared memory.
__device__ __forceinline__ double uvgl_block_sum_f64(double v, double* scratch) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFullMask, v, o);
  const int warps = blockDim.x >> 5;
  if ((threadIdx.x & 31) == 0) scratch[threadIdx.x >> 5] = v;
  __syncthreads();
  double total = 0;
  for (int w = 0; w < warps; ++w) total += scratch[w];
  __syncthreads();  // scratch may be written again by the next call
  return total;
}

// (a, ia) ranks before (b, ib): larger value first, the lower index on equal values. Total on non-NaN
// values, so a top-k under it is unique whatever order candidates arrive in.
__device__ __forceinline__ bool uvgl_ranks_before(float a, int ia, float b, int ib) {
  return a > b || (a == b && ia < ib);
}

// A warp keeps one sorted list of up to 32 (key, index) entries, entry `lane` in lane `lane`; empty
// entries are (-inf, INT_MAX). Each lane offers one candidate (valid says whether it has one); those
// that beat the current k-th entry are inserted one at a time in lane order. Insertion shifts the
// entries after the candidate's place one lane down. Every lane must call it (warp-uniform control).
__device__ __forceinline__ void uvgl_warp_list_offer(float& listKey, int& listIdx, float key, int idx, bool valid,
                                                     int k) {
  const int lane = threadIdx.x & 31;
  const float kthKey = __shfl_sync(kFullMask, listKey, k - 1);
  const int kthIdx = __shfl_sync(kFullMask, listIdx, k - 1);
  unsigned pending = __ballot_sync(kFullMask, valid && uvgl_ranks_before(key, idx, kthKey, kthIdx));
  while (pending != 0u) {  // the ballot is the same in every lane: uniform
    const int src = uvgl_lowest_lane(pending);
    pending &= pending - 1u;
    const float ck = __shfl_sync(kFullMask, key, src);
    const int ci = __shfl_sync(kFullMask, idx, src);
    const float lastKey = __shfl_sync(kFullMask, listKey, k - 1);
    const int lastIdx = __shfl_sync(kFullMask, listIdx, k - 1);
    const float prevKey = __shfl_up_sync(kFullMask, listKey, 1);
    const int prevIdx = __shfl_up_sync(kFullMask, listIdx, 1);
    // An earlier insertion of this round may have raised the bar past this candidate.
    if (uvgl_ranks_before(ck, ci, lastKey, lastIdx) && !uvgl_ranks_before(listKey, listIdx, ck, ci)) {
      if (lane == 0 || uvgl_ranks_before(prevKey, prevIdx, ck, ci)) { listKey = ck; listIdx = ci; }
      else { listKey = prevKey; listIdx = prevIdx; }
    }
  }
}

// Online log-sum-exp: adds exp(z) to a running (max, sum of exp(. - max)).
__device__ __forceinline__ void uvgl_lse_add(float& m, float& s, float z) {
  if (z > m) { s = s * expf(m - z) + 1.f; m = z; }
  else s += expf(z - m);
}

// Merges two (max, sum) pairs; symmetric in its two arguments, so a butterfly gives every lane the same bits.
__device__ __forceinline__ void uvgl_lse_merge(float& m, float& s, float om, float os) {
  if (om == -INFINITY) return;
  if (m == -INFINITY) { m = om; s = os; return; }
  const float top = fmaxf(m, om);
  s = s * expf(m - top) + os * expf(om - top);
  m = top;
}

// Stages rows [r0, r0 + R) of a row-major [rows, d] matrix (row r read from index[r] when index is not
// null), columns [k0, k0 + BK), transposed into s[BK][R + 4]: the compute loop then reads TM / TN
// consecutive rows as one vector. Zero outside the matrix, so tails add nothing. The transposed store
// costs a 2-way bank conflict; the loads stay coalesced along k (float4 when d % 4 == 0 and aligned).
template <int R, int BK, int NT>
__device__ __forceinline__ void uvgl_stage_chunk(float* __restrict__ s, const float* __restrict__ m,
                                                 const int* __restrict__ index, int rows, int d, int r0, int k0,
                                                 bool vec) {
  constexpr int LD = R + 4;
  if (vec) {
    constexpr int Q = BK / 4;
    for (int e = threadIdx.x; e < R * Q; e += NT) {
      const int r = e / Q, kq = (e - r * Q) * 4, row = r0 + r, k = k0 + kq;
      float4 v = make_float4(0.f, 0.f, 0.f, 0.f);
      if (row < rows && k < d) {  // d % 4 == 0, so k + 3 < d as well
        const long long g = index != nullptr ? (long long)index[row] : (long long)row;
        v = *reinterpret_cast<const float4*>(m + g * d + k);
      }
      s[(kq + 0) * LD + r] = v.x;
      s[(kq + 1) * LD + r] = v.y;
      s[(kq + 2) * LD + r] = v.z;
      s[(kq + 3) * LD + r] = v.w;
    }
  } else {
    for (int e = threadIdx.x; e < R * BK; e += NT) {
      const int r = e / BK, kk = e - r * BK, row = r0 + r, k = k0 + kk;
      float v = 0.f;
      if (row < rows && k < d) {
        const long long g = index != nullptr ? (long long)index[row] : (long long)row;
        v = m[g * d + k];
      }
      s[kk * LD + r] = v;
    }
  }
}

template <int T>
__device__ __forceinline__ void uvgl_load_run(float (&v)[T], const float* p) {
  if constexpr (T == 4) {
    const float4 q = *reinterpret_cast<const float4*>(p);
    v[0] = q.x; v[1] = q.y; v[2] = q.z; v[3] = q.w;
  } else if constexpr (T == 2) {
    const float2 q = *reinterpret_cast<const float2*>(p);
    v[0] = q.x; v[1] = q.y;
  } else {
UVGL_UNROLL
    for (int i = 0; i < T; ++i) v[i] = p[i];
  }
}

// One BM x BN tile of A B^T (or of squared distances when SQ): thread (ty, tx) = (tid / (BN/TN),
// tid % (BN/TN)) gets rows a0 + ty*TM + i and columns b0 + tx*TN + j. Each entry accumulates k in
// increasing order with one fma per k, so identical rows give bit-identical results wherever they sit.
// Every thread of the block must call it; it begins with a barrier, so the caller's reads of shared
// memory written after the previous call are finished before As / Bs are reused.
template <int BM, int BN, int TM, int TN, int BK, bool SQ>
__device__ __forceinline__ void uvgl_sim_tile(float (&acc)[TM][TN], const float* __restrict__ a,
                                              const int* __restrict__ aIndex, int aRows, const float* __restrict__ b,
                                              const int* __restrict__ bIndex, int bRows, int d, int a0, int b0,
                                              float* __restrict__ as, float* __restrict__ bs) {
  constexpr int NT = (BM / TM) * (BN / TN);
  const int tx = threadIdx.x % (BN / TN), ty = threadIdx.x / (BN / TN);
UVGL_UNROLL
  for (int i = 0; i < TM; ++i)
UVGL_UNROLL
    for (int j = 0; j < TN; ++j) acc[i][j] = 0.f;
  const bool vec = (d & 3) == 0 && ((reinterpret_cast<uintptr_t>(a) | reinterpret_cast<uintptr_t>(b)) & 15) == 0;
  for (int k0 = 0; k0 < d; k0 += BK) {
    __syncthreads();
    uvgl_stage_chunk<BM, BK, NT>(as, a, aIndex, aRows, d, a0, k0, vec);
    uvgl_stage_chunk<BN, BK, NT>(bs, b, bIndex, bRows, d, b0, k0, vec);
    __syncthreads();
UVGL_UNROLL
    for (int kk = 0; kk < BK; ++kk) {
      float av[TM], bv[TN];
      uvgl_load_run<TM>(av, as + kk * (BM + 4) + ty * TM);
      uvgl_load_run<TN>(bv, bs + kk * (BN + 4) + tx * TN);
UVGL_UNROLL
      for (int i = 0; i < TM; ++i)
UVGL_UNROLL
        for (int j = 0; j < TN; ++j) {
          if constexpr (SQ) { const float e = av[i] - bv[j]; acc[i][j] = fmaf(e, e, acc[i][j]); }
          else acc[i][j] = fmaf(av[i], bv[j], acc[i][j]);
        }
    }
  }
}

}  // namespace
