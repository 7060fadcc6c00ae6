// The momentum memory update of dmnil.md 4, for batch rows in batch order:
//   M[rows[i]] = keep * M[rows[i]] + blend * x_i;  M[rows[i]] /= ||M[rows[i]]||
// equal to the CPU's sequential loop when rows repeat (PK sampling repeats every label). One block per
// batch row; the block of a row's FIRST occurrence owns that memory row and walks its later occurrences
// in batch order, so repeated rows are serial inside one block and distinct rows run in parallel, with no
// atomics. Products and sums are rounded separately (as Java's float arithmetic) and the squared norm is
// summed in double by a fixed tree, so the result matches the CPU op to the last bit except when the
// float norm sits on a rounding boundary. Occupancy: 256 threads, a few dozen registers and 264 bytes of
// shared memory, so 8 blocks fit an SM; the op is B x D (~100k elements), launch-latency bound.
#include "memory_common.cuh"

UVGL_KERNEL void __launch_bounds__(256) uvgl_memory_momentum_f32(float* __restrict__ memory,
                                                                 const float* __restrict__ x,
                                                                 const int* __restrict__ rows, int batch, int dim,
                                                                 float keep, float blend) {
  UVGL_SHARED(int, repeated, 1);
  UVGL_SHARED(double, partial, 32);
  const int i = blockIdx.x;
  const int row = rows[i];
  if (threadIdx.x == 0) repeated[0] = 0;
  __syncthreads();
  // Every writer stores the same 1, so the flag does not depend on the order of the writes.
  for (int j = threadIdx.x; j < i; j += blockDim.x)
    if (rows[j] == row) repeated[0] = 1;
  __syncthreads();
  if (repeated[0] == 0) {  // uniform over the block
    float* m = memory + (long long)row * dim;
    for (int j = i; j < batch; ++j) {
      if (rows[j] != row) continue;  // uniform
      const float* xj = x + (long long)j * dim;
      double sq = 0.0;
      // Each thread reads back only the elements it wrote itself: no barrier needed between the passes.
      for (int e = threadIdx.x; e < dim; e += blockDim.x) {
        const float v = uvgl_add_rn(uvgl_mul_rn(keep, m[e]), uvgl_mul_rn(blend, xj[e]));
        m[e] = v;
        sq += (double)v * v;
      }
      const float norm = (float)sqrt(uvgl_block_sum_f64(sq, partial));
      for (int e = threadIdx.x; e < dim; e += blockDim.x) m[e] = m[e] / norm;
    }
  }
}
UVGL_REGISTER(uvgl_memory_momentum_f32, true, "inout,in,in,-,-,-,-", 0)
