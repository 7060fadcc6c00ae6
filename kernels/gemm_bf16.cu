// C[M,N] = op(A) op(B), row-major float32 in and out, on tensor cores. op(X) is X or X^T (transA/transB
// flags; A is [M,K] or [K,M] in memory, B is [K,N] or [N,K]), so one kernel serves the forward GEMM and
// both gradients. With grid.z > 1 the K range is split: block z writes the partial product of k in
// [z*kChunk, (z+1)*kChunk) to c + z*M*N, and GemmLauncher adds the slices in z order (uvgl_sum_partials):
// a weight gradient's small C with a long K then still fills the GPU, deterministically.
//
// Precision: every input is rounded to BF16 (8 significant bits, unit roundoff 2^-8 round-to-nearest)
// in shared memory, products of two BF16 values are exact in float and sums accumulate in float, so
// |C - C_exact| <= (2 * 2^-8 + 2^-16 + k * 2^-24) * sum_p |a_ip||b_pj|: about 2^-7 of sum|a||b|.
// Deterministic: every output's sum runs over k in a fixed order, whatever the schedule.
//
// Tiling: a block of 4 warps computes a 64x64 tile of C, each warp a 32x32 quarter as 2x2 wmma
// m16n16k16 fragments. K advances 32 at a time through two float32 staging buffers filled by
// cp.async (cuda_pipeline.h): while the tensor cores work on slice t the copies of slice t+1 are in
// flight. Each staged slice is rounded to BF16 in its own memory layout; a transposed operand is then
// read as a col_major fragment, so no thread ever transposes through shared memory. Copies are 16 bytes where
// the source is aligned and in bounds, else 4 bytes with zero-fill, so any M, N, K and any alignment work; edge
// outputs are masked on store.
//
// Occupancy (H100, 228 KB shared, 64 K registers, 64 warps per SM): 42 KB of static shared memory
// and 96 registers per thread (ptxas; 4 accumulator fragments plus 4 operand fragments) both allow
// 5 blocks = 20 warps per SM, 31%. The double buffer, not warp count, hides the global latency, and
// fewer registers would mean fewer fragments per warp, i.e. more shared-memory traffic per mma.
#include "common.cuh"
#include <type_traits>

namespace {
constexpr int kBm = 64, kBn = 64, kBk = 32, kThreads = 128;
constexpr int kSkew = 8;  // bf16 row padding: spreads fragment loads over banks, keeps ldm a multiple of 8
constexpr int kTileHalves = 64 * (32 + kSkew);  // either layout of a BF16 slice: [64][40] or [32][72]
constexpr int kLdC = kBn + 4;
constexpr int kStage = kBm * kBk + kBk * kBn;  // floats per staging buffer (A slice, then B slice)
// wmma wants 256-bit aligned tile pointers, which a bare __shared__ float or bf16 array does not
// promise: all shared memory is carved from one array of 32-byte chunks.
struct alignas(32) UvglGemmChunk { float v[8]; };
constexpr int kChunks = (2 * kStage * 4 + 2 * kTileHalves * 2) / 32;
}

// Queues the copy of a rows x cols window (top-left r0, c0) of a row-major matrix with leading dimension
// ld into dst[rows * cols], zero outside [0, rowEnd) x [0, colEnd) (the matrix, or this split's K range).
__device__ __forceinline__ void uvgl_gemm_stage_tile(float* dst, const float* src, int rowEnd, int colEnd, int ld,
                                                     int r0, int c0, int rows, int cols, int tid) {
  const int vecPerRow = cols >> 2;
  for (int v = tid; v < rows * vecPerRow; v += kThreads) {
    const int r = v / vecPerRow, c = (v - r * vecPerRow) << 2;
    const int gr = r0 + r, gc = c0 + c;
    float* d = dst + r * cols + c;
    const float* s = src + (long long)gr * ld + gc;
    if (gr < rowEnd && gc + 3 < colEnd && ((uintptr_t)s & 15) == 0) {
      __pipeline_memcpy_async(d, s, 16);
    } else {
      for (int e = 0; e < 4; ++e) {
        const bool inside = gr < rowEnd && gc + e < colEnd;
        __pipeline_memcpy_async(d + e, inside ? s + e : src, 4, inside ? 0 : 4);
      }
    }
  }
}

// Rounds a staged [rows][cols] float slice to BF16 in the same layout with rows skewed by kSkew: the
// slice keeps its memory layout (a transposed operand is read as a col_major fragment instead), so
// reads and writes both walk rows: 128-bit shared loads, no bank-conflicting transpose.
__device__ __forceinline__ void uvgl_gemm_to_bf16(__nv_bfloat16* dst, const float* src, int rows, int cols, int tid) {
  const int vecPerRow = cols >> 2;
  for (int v = tid; v < rows * vecPerRow; v += kThreads) {
    const int r = v / vecPerRow, c = (v - r * vecPerRow) << 2;
    const float4 f = *reinterpret_cast<const float4*>(src + r * cols + c);
    __nv_bfloat162* d = reinterpret_cast<__nv_bfloat162*>(dst + r * (cols + kSkew) + c);
    d[0] = __floats2bfloat162_rn(f.x, f.y);
    d[1] = __floats2bfloat162_rn(f.z, f.w);
  }
}

// One staged K slice through the tensor cores: op(A) [64 x 32] times op(B) [32 x 64], this warp's
// 32x32 quarter. A transposed operand sits k-major in shared memory and is read as col_major.
template <bool TA, bool TB>
__device__ __forceinline__ void uvgl_gemm_bf16_slice(
    nvcuda::wmma::fragment<nvcuda::wmma::accumulator, 16, 16, 16, float> (&acc)[2][2], const __nv_bfloat16* as,
    const __nv_bfloat16* bs, int wr, int wc) {
  using namespace nvcuda;
  using LA = typename std::conditional<TA, wmma::col_major, wmma::row_major>::type;
  using LB = typename std::conditional<TB, wmma::col_major, wmma::row_major>::type;
  constexpr int ldA = TA ? kBm + kSkew : kBk + kSkew, ldB = TB ? kBk + kSkew : kBn + kSkew;
  for (int kk = 0; kk < kBk; kk += 16) {
    wmma::fragment<wmma::matrix_a, 16, 16, 16, __nv_bfloat16, LA> fa[2];
    wmma::fragment<wmma::matrix_b, 16, 16, 16, __nv_bfloat16, LB> fb[2];
    for (int i = 0; i < 2; ++i) {
      const int r = wr + 16 * i;
      wmma::load_matrix_sync(fa[i], as + (TA ? kk * ldA + r : r * ldA + kk), ldA);
    }
    for (int j = 0; j < 2; ++j) {
      const int c = wc + 16 * j;
      wmma::load_matrix_sync(fb[j], bs + (TB ? c * ldB + kk : kk * ldB + c), ldB);
    }
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j) wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);
  }
}

UVGL_KERNEL void __launch_bounds__(128) uvgl_gemm_bf16_f32(float* __restrict__ c, const float* __restrict__ a,
                                                           const float* __restrict__ b, int m, int n, int k,
                                                           int transA, int transB, int kChunk) {
  using namespace nvcuda;
  UVGL_SHARED(UvglGemmChunk, smem, kChunks);
  // Split K: block z sums k in [kBegin, kEnd) into its own m x n slice of c (GemmLauncher adds the slices).
  const int kBegin = blockIdx.z * kChunk, kEnd = k - kBegin < kChunk ? k : kBegin + kChunk;
  c += (long long)blockIdx.z * m * n;
  float* stage = reinterpret_cast<float*>(smem);
  __nv_bfloat16* as = reinterpret_cast<__nv_bfloat16*>(stage + 2 * kStage);
  __nv_bfloat16* bs = as + kTileHalves;
  const int tid = threadIdx.x, warp = tid >> 5;
  const int row0 = blockIdx.y * kBm, col0 = blockIdx.x * kBn;
  const int wr = (warp >> 1) * 32, wc = (warp & 1) * 32;

  wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[2][2];
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) wmma::fill_fragment(acc[i][j], 0.0f);

  // Slice t of A lands as [kBm][kBk] (or [kBk][kBm] when transposed), of B as [kBk][kBn] (or [kBn][kBk]).
  auto issue = [&](int t) {
    float* sa = stage + (t & 1) * kStage;
    float* sb = sa + kBm * kBk;
    const int k0 = kBegin + t * kBk;
    if (transA) uvgl_gemm_stage_tile(sa, a, kEnd, m, m, k0, row0, kBk, kBm, tid);
    else uvgl_gemm_stage_tile(sa, a, m, kEnd, k, row0, k0, kBm, kBk, tid);
    if (transB) uvgl_gemm_stage_tile(sb, b, n, kEnd, k, col0, k0, kBn, kBk, tid);
    else uvgl_gemm_stage_tile(sb, b, kEnd, n, n, k0, col0, kBk, kBn, tid);
  };

  const int slices = kEnd > kBegin ? (kEnd - kBegin + kBk - 1) / kBk : 0;
  if (slices > 0) issue(0);
  __pipeline_commit();
  for (int t = 0; t < slices; ++t) {
    if (t + 1 < slices) issue(t + 1);
    __pipeline_commit();  // an empty batch on the last slice keeps wait_prior(1) meaning "slice t landed"
    __pipeline_wait_prior(1);
    __syncthreads();
    const float* sa = stage + (t & 1) * kStage;
    const float* sb = sa + kBm * kBk;
    if (transA) uvgl_gemm_to_bf16(as, sa, kBk, kBm, tid);
    else uvgl_gemm_to_bf16(as, sa, kBm, kBk, tid);
    if (transB) uvgl_gemm_to_bf16(bs, sb, kBn, kBk, tid);
    else uvgl_gemm_to_bf16(bs, sb, kBk, kBn, tid);
    __syncthreads();
    if (transA) {
      if (transB) uvgl_gemm_bf16_slice<true, true>(acc, as, bs, wr, wc);
      else uvgl_gemm_bf16_slice<true, false>(acc, as, bs, wr, wc);
    } else {
      if (transB) uvgl_gemm_bf16_slice<false, true>(acc, as, bs, wr, wc);
      else uvgl_gemm_bf16_slice<false, false>(acc, as, bs, wr, wc);
    }
  }
  // Every copy has landed (the last batch was empty), so the staging buffers can hold the C tile.
  __syncthreads();
  float* cs = stage;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      wmma::store_matrix_sync(cs + (wr + 16 * i) * kLdC + wc + 16 * j, acc[i][j], kLdC, wmma::mem_row_major);
  __syncthreads();
  if ((n & 3) == 0 && ((uintptr_t)c & 15) == 0) {
    for (int v = tid; v < kBm * kBn / 4; v += kThreads) {
      const int r = v / (kBn / 4), cc = (v - r * (kBn / 4)) * 4;
      if (row0 + r < m && col0 + cc < n) {
        const float* s = cs + r * kLdC + cc;
        *reinterpret_cast<float4*>(c + (long long)(row0 + r) * n + col0 + cc) = make_float4(s[0], s[1], s[2], s[3]);
      }
    }
  } else {
    for (int i = tid; i < kBm * kBn; i += kThreads) {
      const int r = i / kBn, cc = i - r * kBn;
      if (row0 + r < m && col0 + cc < n) c[(long long)(row0 + r) * n + col0 + cc] = cs[r * kLdC + cc];
    }
  }
}
UVGL_REGISTER(uvgl_gemm_bf16_f32, true, "out,in,in,-,-,-,-,-,-", 0)
