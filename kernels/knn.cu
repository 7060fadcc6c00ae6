// Row top-k of queries against a key matrix without the Q x N similarity: for each query, the k (<= 32)
// keys with the largest dot product (or, squaredDistance != 0, the smallest squared Euclidean distance
// sum_d (q_d - y_d)^2, summed directly so identical rows get bit-identical distances), ordered by value
// and then by lower index (dmnil.md 5-7: clustering's k1 = 30, the association's and the regulariser's
// top-10). Tiles of keys are staged in shared memory; each warp keeps the running lists of 4 queries in
// registers, one entry per lane, and merges a tile's candidates with ballots and shuffles. The (value,
// index) order is total, so the result does not depend on the order candidates arrive in: splitting N
// over grid.y and merging the partial lists afterwards gives the same bits. NaN similarities are never
// selected; entries that no key filled (only possible with NaN input) come out as index -1.
#include "memory_common.cuh"
#include <climits>

namespace {
constexpr int kQueries = 32, kKeys = 64, kBk = 16, kKeysLd = kKeys + 1;

__device__ __forceinline__ void uvgl_knn_write(float* __restrict__ values, int* __restrict__ indices, long long at,
                                               float key, int idx, bool squared) {
  const bool empty = idx == INT_MAX;
  values[at] = empty ? NAN : (squared ? -key : key);
  indices[at] = empty ? -1 : idx;
}

template <bool SQ>
__device__ __forceinline__ void uvgl_knn_scan(float (&listKey)[4], int (&listIdx)[4], const float* __restrict__ q,
                                              const float* __restrict__ y, int queries, int n, int dim, int k,
                                              int tileBegin, int tileEnd, float* as, float* bs, float* scores) {
  const int tx = threadIdx.x % 16, ty = threadIdx.x / 16, lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int r0 = blockIdx.x * kQueries;
  for (int t = tileBegin; t < tileEnd; ++t) {
    const int c0 = t * kKeys;
    float acc[2][4];
    // Begins with a barrier: the previous tile's scores have been read.
    uvgl_sim_tile<kQueries, kKeys, 2, 4, kBk, SQ>(acc, q, nullptr, queries, y, nullptr, n, dim, r0, c0, as, bs);
UVGL_UNROLL
    for (int i = 0; i < 2; ++i)
UVGL_UNROLL
      for (int j = 0; j < 4; ++j) scores[(ty * 2 + i) * kKeysLd + tx * 4 + j] = SQ ? -acc[i][j] : acc[i][j];
    __syncthreads();
UVGL_UNROLL
    for (int rr = 0; rr < 4; ++rr) {
      const int row = warp * 4 + rr;
UVGL_UNROLL
      for (int h = 0; h < kKeys / 32; ++h) {
        const int col = h * 32 + lane, key = c0 + col;
        uvgl_warp_list_offer(listKey[rr], listIdx[rr], scores[row * kKeysLd + col], key,
                             key < n && r0 + row < queries, k);
      }
    }
  }
}
}

// Block: 32 queries x a split of the keys (grid.y), 256 threads; the 32 x 64 similarity tile is a 2 x 4
// register tile per thread. Writes [split][query][k] (the final output when there is one split).
// Occupancy: 3 blocks per SM (37.5%) by __launch_bounds__(256, 3): 80 registers without spills (at 4
// blocks ptxas must fit 64 and spills the lists); 15 KB static shared memory per block. The FMA loop reads
// 2 floats per 8 FMAs from shared memory and the list merges cost a few shuffles per tile and query.
UVGL_KERNEL void __launch_bounds__(256, 3) uvgl_knn_topk_f32(float* __restrict__ values, int* __restrict__ indices,
                                                             const float* __restrict__ q, const float* __restrict__ y,
                                                             int queries, int n, int dim, int k, int tilesPerSplit,
                                                             int squaredDistance) {
  UVGL_SHARED_F32X4(as, kBk * (kQueries + 4));
  UVGL_SHARED_F32X4(bs, kBk * (kKeys + 4));
  UVGL_SHARED_F32X4(scores, kQueries * kKeysLd);
  float listKey[4];
  int listIdx[4];
UVGL_UNROLL
  for (int rr = 0; rr < 4; ++rr) { listKey[rr] = -INFINITY; listIdx[rr] = INT_MAX; }
  const int split = blockIdx.y;
  const int tileBegin = split * tilesPerSplit, tileEnd = uvgl_imin(tileBegin + tilesPerSplit, (n + kKeys - 1) / kKeys);
  if (squaredDistance)
    uvgl_knn_scan<true>(listKey, listIdx, q, y, queries, n, dim, k, tileBegin, tileEnd, as, bs, scores);
  else uvgl_knn_scan<false>(listKey, listIdx, q, y, queries, n, dim, k, tileBegin, tileEnd, as, bs, scores);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
UVGL_UNROLL
  for (int rr = 0; rr < 4; ++rr) {
    const int query = blockIdx.x * kQueries + warp * 4 + rr;
    if (query < queries && lane < k)
      uvgl_knn_write(values, indices, ((long long)split * queries + query) * k + lane, listKey[rr], listIdx[rr],
                     squaredDistance != 0);
  }
}
UVGL_REGISTER(uvgl_knn_topk_f32, true, "out,out,in,in,-,-,-,-,-,-", 0)

// Merges the splits' lists: one warp per query offers every split's k entries to one list. No barriers,
// so a warp past the last query simply does nothing. ~30 registers, no shared memory: full occupancy.
UVGL_KERNEL void __launch_bounds__(256) uvgl_knn_merge_f32(float* __restrict__ values, int* __restrict__ indices,
                                                           const float* __restrict__ partialValues,
                                                           const int* __restrict__ partialIndices, int queries, int k,
                                                           int splits, int squaredDistance) {
  const int lane = threadIdx.x & 31;
  const int query = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
  if (query < queries) {  // uniform over the warp
    float listKey = -INFINITY;
    int listIdx = INT_MAX;
    for (int s = 0; s < splits; ++s) {
      const long long at = ((long long)s * queries + query) * k + lane;
      const int idx = lane < k ? partialIndices[at] : -1;
      const float v = lane < k ? partialValues[at] : 0.f;
      uvgl_warp_list_offer(listKey, listIdx, squaredDistance ? -v : v, idx, idx >= 0, k);
    }
    if (lane < k) uvgl_knn_write(values, indices, (long long)query * k + lane, listKey, listIdx, squaredDistance != 0);
  }
}
UVGL_REGISTER(uvgl_knn_merge_f32, true, "out,out,in,in,-,-,-,-", 0)
