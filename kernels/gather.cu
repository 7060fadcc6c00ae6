// out[i, :] = x[rows[i], :]: the batch's rows of a memory bank (768 x up to 40k) gathered on the device, so a
// step never copies the whole bank to the host to read 64 rows of it. One block per output row (grid-stride
// over rows); the block's threads sweep the row, as float4 when d is a multiple of 4 (and the rows are then
// 16-byte aligned, since every tensor starts on an allocator-aligned address), so reads and writes are
// coalesced 128-bit accesses. Memory-bound: no shared memory, 16 registers, full occupancy.
#include "common.cuh"

UVGL_KERNEL void __launch_bounds__(256) uvgl_gather_rows_f32(float* __restrict__ out, const float* __restrict__ x,
                                                             const int* __restrict__ rows, int n, int d) {
  for (int i = blockIdx.x; i < n; i += gridDim.x) {
    const long long src = (long long)rows[i] * d, dst = (long long)i * d;
    if ((d & 3) == 0) {
      const float4* s = reinterpret_cast<const float4*>(x + src);
      float4* o = reinterpret_cast<float4*>(out + dst);
      for (int j = threadIdx.x; j < d / 4; j += blockDim.x) o[j] = __ldg(&s[j]);
    } else {
      for (int j = threadIdx.x; j < d; j += blockDim.x) out[dst + j] = __ldg(&x[src + j]);
    }
  }
}
UVGL_REGISTER(uvgl_gather_rows_f32, true, "out,in,in,-,-", 0)
