// The neighbour mask of dmnil.md 7 without a B x N similarity in memory: for query rows qm[rows[i]] of
// one memory against every row of another (the same one for the intra-view loss), two similarity
// matrices sim = qm1[rows] km1^T and sim' = qm2[rows] km2^T, and
//   mask[i][j] = sim[i][j] > r * rowmax(sim[i]) AND sim'[i][j] > r * rowmax(sim'[i]).
// Pass 1 finds each row's two maxima (per split of N, merged by pass 2 in split order: max is exact, so
// any order gives the same bits), pass 2 recomputes both similarity tiles and writes the mask as bits,
// word w of row i holding columns 32w .. 32w+31 (bit b = column 32w + b), and pass 3 counts each row's bits.
// The tiles are 32 queries x 64 memory rows, a 2 x 4 register tile per thread, as in knn.cu; both
// similarities accumulate k in increasing order, so equal inputs give equal bits.
#include "memory_common.cuh"

namespace {
constexpr int kQueries = 32, kKeys = 64, kBk = 16, kKeysLd = kKeys + 1;
}

// Pass 1: partialMax[split][0][i] = max_j sim, partialMax[split][1][i] = max_j sim' over the split's keys.
// Occupancy: 44 registers, 10.5 KB static shared memory: 5 blocks per SM by registers (63%).
UVGL_KERNEL void __launch_bounds__(256) uvgl_neighbour_rowmax_f32(float* __restrict__ partialMax,
                                                                  const float* __restrict__ qm1,
                                                                  const float* __restrict__ km1,
                                                                  const float* __restrict__ qm2,
                                                                  const float* __restrict__ km2,
                                                                  const int* __restrict__ rows, int batch, int n,
                                                                  int dim, int tilesPerSplit) {
  UVGL_SHARED_F32X4(as, kBk * (kQueries + 4));
  UVGL_SHARED_F32X4(bs, kBk * (kKeys + 4));
  UVGL_SHARED_F32X4(merge, kQueries * 16 * 2);
  const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
  const int r0 = blockIdx.x * kQueries, split = blockIdx.y;
  float max1[2] = {-INFINITY, -INFINITY}, max2[2] = {-INFINITY, -INFINITY};
  const int tileEnd = uvgl_imin((split + 1) * tilesPerSplit, (n + kKeys - 1) / kKeys);
  for (int t = split * tilesPerSplit; t < tileEnd; ++t) {
    const int c0 = t * kKeys;
    float acc[2][4];
    uvgl_sim_tile<kQueries, kKeys, 2, 4, kBk, false>(acc, qm1, rows, batch, km1, nullptr, n, dim, r0, c0, as, bs);
UVGL_UNROLL
    for (int i = 0; i < 2; ++i)
UVGL_UNROLL
      for (int j = 0; j < 4; ++j)
        if (c0 + tx * 4 + j < n) max1[i] = fmaxf(max1[i], acc[i][j]);
    uvgl_sim_tile<kQueries, kKeys, 2, 4, kBk, false>(acc, qm2, rows, batch, km2, nullptr, n, dim, r0, c0, as, bs);
UVGL_UNROLL
    for (int i = 0; i < 2; ++i)
UVGL_UNROLL
      for (int j = 0; j < 4; ++j)
        if (c0 + tx * 4 + j < n) max2[i] = fmaxf(max2[i], acc[i][j]);
  }
UVGL_UNROLL
  for (int i = 0; i < 2; ++i) {
    merge[((ty * 2 + i) * 16 + tx) * 2] = max1[i];
    merge[((ty * 2 + i) * 16 + tx) * 2 + 1] = max2[i];
  }
  __syncthreads();
  if (threadIdx.x < kQueries && r0 + (int)threadIdx.x < batch) {
    const int r = threadIdx.x;
    float m1 = -INFINITY, m2 = -INFINITY;
    for (int t = 0; t < 16; ++t) {
      m1 = fmaxf(m1, merge[(r * 16 + t) * 2]);
      m2 = fmaxf(m2, merge[(r * 16 + t) * 2 + 1]);
    }
    partialMax[((long long)split * 2) * batch + r0 + r] = m1;
    partialMax[((long long)split * 2 + 1) * batch + r0 + r] = m2;
  }
}
UVGL_REGISTER(uvgl_neighbour_rowmax_f32, true, "out,in,in,in,in,in,-,-,-,-", 0)

// Pass 2: words[i][w], w < ceil(n / 32); maxSplits is pass 1's split count, tilesPerSplit this pass's.
// A warp turns 32 columns of a row into one word with a ballot. Occupancy: 40 registers, 23 KB static
// shared memory (two score tiles): 6 blocks per SM (75%).
UVGL_KERNEL void __launch_bounds__(256) uvgl_neighbour_mask_f32(unsigned* __restrict__ words,
                                                                const float* __restrict__ partialMax,
                                                                const float* __restrict__ qm1,
                                                                const float* __restrict__ km1,
                                                                const float* __restrict__ qm2,
                                                                const float* __restrict__ km2,
                                                                const int* __restrict__ rows, int batch, int n, int dim,
                                                                int maxSplits, int tilesPerSplit, float ratio) {
  UVGL_SHARED_F32X4(as, kBk * (kQueries + 4));
  UVGL_SHARED_F32X4(bs, kBk * (kKeys + 4));
  UVGL_SHARED_F32X4(s1, kQueries * kKeysLd);
  UVGL_SHARED_F32X4(s2, kQueries * kKeysLd);
  UVGL_SHARED_F32X4(threshold, kQueries * 2);
  const int tx = threadIdx.x % 16, ty = threadIdx.x / 16, lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int r0 = blockIdx.x * kQueries, split = blockIdx.y;
  const int wordsPerRow = (n + 31) / 32;
  if (threadIdx.x < kQueries) {
    const int r = threadIdx.x;
    float m1 = -INFINITY, m2 = -INFINITY;
    if (r0 + r < batch)
      for (int p = 0; p < maxSplits; ++p) {
        m1 = fmaxf(m1, partialMax[((long long)p * 2) * batch + r0 + r]);
        m2 = fmaxf(m2, partialMax[((long long)p * 2 + 1) * batch + r0 + r]);
      }
    threshold[r * 2] = ratio * m1;
    threshold[r * 2 + 1] = ratio * m2;
  }
  const int tileEnd = uvgl_imin((split + 1) * tilesPerSplit, (n + kKeys - 1) / kKeys);
  for (int t = split * tilesPerSplit; t < tileEnd; ++t) {
    const int c0 = t * kKeys;
    float acc[2][4];
    // Its leading barrier also publishes the thresholds and ends the previous tile's reads of s1 / s2.
    uvgl_sim_tile<kQueries, kKeys, 2, 4, kBk, false>(acc, qm1, rows, batch, km1, nullptr, n, dim, r0, c0, as, bs);
UVGL_UNROLL
    for (int i = 0; i < 2; ++i)
UVGL_UNROLL
      for (int j = 0; j < 4; ++j) s1[(ty * 2 + i) * kKeysLd + tx * 4 + j] = acc[i][j];
    uvgl_sim_tile<kQueries, kKeys, 2, 4, kBk, false>(acc, qm2, rows, batch, km2, nullptr, n, dim, r0, c0, as, bs);
UVGL_UNROLL
    for (int i = 0; i < 2; ++i)
UVGL_UNROLL
      for (int j = 0; j < 4; ++j) s2[(ty * 2 + i) * kKeysLd + tx * 4 + j] = acc[i][j];
    __syncthreads();
UVGL_UNROLL
    for (int rr = 0; rr < 4; ++rr) {
      const int row = warp * 4 + rr;
UVGL_UNROLL
      for (int h = 0; h < kKeys / 32; ++h) {
        const int col = h * 32 + lane;
        const bool in = c0 + col < n && s1[row * kKeysLd + col] > threshold[row * 2] &&
                        s2[row * kKeysLd + col] > threshold[row * 2 + 1];
        const unsigned word = __ballot_sync(kFullMask, in);
        const int w = c0 / 32 + h;
        if (lane == 0 && r0 + row < batch && w < wordsPerRow) words[(long long)(r0 + row) * wordsPerRow + w] = word;
      }
    }
  }
}
UVGL_REGISTER(uvgl_neighbour_mask_f32, true, "out,in,in,in,in,in,in,-,-,-,-,-,-", 0)

// Pass 3: counts[i] = the number of set bits of row i, one warp per row (integer sums: exact in any order).
UVGL_KERNEL void __launch_bounds__(256) uvgl_neighbour_count_i32(int* __restrict__ counts,
                                                                 const unsigned* __restrict__ words, int batch,
                                                                 int wordsPerRow) {
  const int lane = threadIdx.x & 31;
  const int row = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
  if (row < batch) {  // uniform over the warp
    int c = 0;
    for (int w = lane; w < wordsPerRow; w += 32) c += uvgl_popcount(words[(long long)row * wordsPerRow + w]);
    for (int o = 16; o > 0; o >>= 1) c += __shfl_xor_sync(kFullMask, c, o);
    if (lane == 0) counts[row] = c;
  }
}
UVGL_REGISTER(uvgl_neighbour_count_i32, true, "out,in,-,-", 0)
