// The DHML short- and long-term banks of dmnil.md 4, as the CPU op dhmlBanksUpdateInPlace:
//   ST[y_i] = stNew x_i + stOld ST[y_i]   (gathered before any write; the last repeat of a label wins)
//   alpha   = sigmoid(mean_i ||x_i - ST[y_i]||)   over the updated rows
//   LT[y_i] = alpha ST[y_i] + (1 - alpha) LT[y_i]
// Two launches because alpha needs every row's distance before any LT write: the first computes each
// row's distance against the row its label's last repeat will write (no memory is written yet), the
// second sums the distances in batch order and lets the block of each label's last repeat write its ST
// and LT rows; no other block touches them. The weights arrive as doubles (bit patterns in long long
// arguments) and the arithmetic follows the CPU's (double products, one rounding to float), so the banks
// match the CPU op bit-for-bit but for the order of the distance sum. Both kernels are B x D element-wise
// work (launch-latency bound): 256 threads, few registers, 264 bytes of shared memory, full occupancy.
#include "memory_common.cuh"

namespace {
// The batch index of the last row with labels[i]'s label, found by all threads (max is order-free).
__device__ __forceinline__ int uvgl_last_repeat(const int* __restrict__ labels, int batch, int i, int* scratch) {
  if (threadIdx.x == 0) scratch[0] = i;
  __syncthreads();
  const int label = labels[i];
  int last = i;
  for (int j = i + 1 + (int)threadIdx.x; j < batch; j += blockDim.x)
    if (labels[j] == label) last = j;
  atomicMax(scratch, last);
  __syncthreads();
  return scratch[0];
}
}

// dist[i] = ||x_i - (stNew x_last + stOld ST[y_i])|| in double, one block per batch row.
UVGL_KERNEL void __launch_bounds__(256) uvgl_dhml_distance_f32(double* __restrict__ dist,
                                                               const float* __restrict__ shortTerm,
                                                               const float* __restrict__ x,
                                                               const int* __restrict__ labels, int batch, int dim,
                                                               long long stNewBits, long long stOldBits) {
  UVGL_SHARED(int, lastOf, 1);
  UVGL_SHARED(double, partial, 32);
  const int i = blockIdx.x;
  const double stNew = uvgl_bits_to_double(stNewBits), stOld = uvgl_bits_to_double(stOldBits);
  const int last = uvgl_last_repeat(labels, batch, i, lastOf);
  const float* st = shortTerm + (long long)labels[i] * dim;
  const float* xi = x + (long long)i * dim;
  const float* xl = x + (long long)last * dim;
  double sq = 0.0;
  for (int e = threadIdx.x; e < dim; e += blockDim.x) {
    const float updated = (float)uvgl_dadd_rn(uvgl_dmul_rn(stNew, xl[e]), uvgl_dmul_rn(stOld, st[e]));
    const double diff = (double)(xi[e] - updated);  // float difference, widened: the CPU's rounding
    sq = uvgl_dadd_rn(sq, uvgl_dmul_rn(diff, diff));
  }
  const double total = uvgl_block_sum_f64(sq, partial);
  if (threadIdx.x == 0) dist[i] = sqrt(total);
}
UVGL_REGISTER(uvgl_dhml_distance_f32, true, "out,in,in,in,-,-,-,-", 0)

// alpha from the distances (summed in batch order by every block alike), then the writes of each label's
// last repeat. Block 0 also stores alpha (a double) for the caller.
UVGL_KERNEL void __launch_bounds__(256) uvgl_dhml_banks_f32(float* __restrict__ shortTerm, float* __restrict__ longTerm,
                                                            double* __restrict__ alphaOut,
                                                            const double* __restrict__ dist,
                                                            const float* __restrict__ x, const int* __restrict__ labels,
                                                            int batch, int dim, long long stNewBits,
                                                            long long stOldBits) {
  UVGL_SHARED(int, lastOf, 1);
  UVGL_SHARED(double, alphaShared, 1);
  const int i = blockIdx.x;
  const double stNew = uvgl_bits_to_double(stNewBits), stOld = uvgl_bits_to_double(stOldBits);
  if (threadIdx.x == 0) {
    double total = 0.0;
    for (int j = 0; j < batch; ++j) total += dist[j];
    alphaShared[0] = 1.0 / (1.0 + exp(-total / batch));
    if (i == 0) alphaOut[0] = alphaShared[0];
  }
  const int last = uvgl_last_repeat(labels, batch, i, lastOf);  // its barriers publish alphaShared too
  const double alpha = alphaShared[0];
  if (last == i) {
    float* st = shortTerm + (long long)labels[i] * dim;
    float* lt = longTerm + (long long)labels[i] * dim;
    const float* xi = x + (long long)i * dim;
    for (int e = threadIdx.x; e < dim; e += blockDim.x) {
      const float updated = (float)uvgl_dadd_rn(uvgl_dmul_rn(stNew, xi[e]), uvgl_dmul_rn(stOld, st[e]));
      st[e] = updated;
      lt[e] = (float)uvgl_dadd_rn(uvgl_dmul_rn(alpha, updated), uvgl_dmul_rn(1.0 - alpha, lt[e]));
    }
  }
}
UVGL_REGISTER(uvgl_dhml_banks_f32, true, "inout,inout,out,in,in,in,-,-,-,-", 0)
