// C[M,N] = A[M,K] B[K,N] (row-major float32 in and out) on tensor cores: tiles of A and B are rounded
// to BF16 in shared memory and multiplied by wmma m16n16k16 with float accumulation. One block of 4
// warps computes a 32x32 tile of C, each warp a 16x16 quarter; K advances 32 at a time. Edges are
// zero-padded on load and masked on store, so any M, N, K work. Deterministic: fixed k order.
#include "common.cuh"

#define UVGL_GEMM_TILE 32
#define UVGL_GEMM_PAD 8  // skews rows so the warps' fragment loads do not hit the same shared banks

UVGL_KERNEL void __launch_bounds__(128) uvgl_gemm_bf16_f32(float* __restrict__ c, const float* __restrict__ a,
                                                           const float* __restrict__ b, int m, int n, int k) {
  using namespace nvcuda;
  constexpr int T = UVGL_GEMM_TILE, LD = T + UVGL_GEMM_PAD;
  UVGL_SHARED(__nv_bfloat16, as, T * LD);
  UVGL_SHARED(__nv_bfloat16, bs, T * LD);
  UVGL_SHARED(float, cs, T * (T + 4));
  const int tid = threadIdx.x, warp = tid >> 5;
  const int row0 = blockIdx.y * T, col0 = blockIdx.x * T;
  const int wr = (warp >> 1) * 16, wc = (warp & 1) * 16;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc;
  wmma::fill_fragment(acc, 0.0f);
  for (int k0 = 0; k0 < k; k0 += T) {
    for (int i = tid; i < T * T; i += 128) {
      const int r = i / T, cc = i % T;
      const int ar = row0 + r, ak = k0 + cc, bk = k0 + r, bc = col0 + cc;
      as[r * LD + cc] = __float2bfloat16(ar < m && ak < k ? a[(long long)ar * k + ak] : 0.0f);
      bs[r * LD + cc] = __float2bfloat16(bk < k && bc < n ? b[(long long)bk * n + bc] : 0.0f);
    }
    __syncthreads();
    for (int kk = 0; kk < T; kk += 16) {
      wmma::fragment<wmma::matrix_a, 16, 16, 16, __nv_bfloat16, wmma::row_major> fa;
      wmma::fragment<wmma::matrix_b, 16, 16, 16, __nv_bfloat16, wmma::row_major> fb;
      wmma::load_matrix_sync(fa, as + wr * LD + kk, LD);
      wmma::load_matrix_sync(fb, bs + kk * LD + wc, LD);
      wmma::mma_sync(acc, fa, fb, acc);
    }
    __syncthreads();
  }
  wmma::store_matrix_sync(cs + wr * (T + 4) + wc, acc, T + 4, wmma::mem_row_major);
  __syncthreads();
  for (int i = tid; i < T * T; i += 128) {
    const int r = i / T, cc = i % T;
    if (row0 + r < m && col0 + cc < n) c[(long long)(row0 + r) * n + col0 + cc] = cs[r * (T + 4) + cc];
  }
}
UVGL_REGISTER(uvgl_gemm_bf16_f32, true, "out,in,in,-,-,-", 0)
