// A contiguous copy with axes reordered. The host merges axes that stay adjacent and drops size-1 axes,
// so the kernel sees at most 6 dimensions, passed as arguments (no metadata buffer to upload): out dims
// d0..d5 (innermost last, unused leading ones 1) and the input stride of each. One thread per output
// element: writes are coalesced, reads gather (coalesced whenever the innermost axis stays innermost).
// 256 threads, no shared memory, full occupancy.
#include "common.cuh"

UVGL_KERNEL void __launch_bounds__(256) uvgl_permute_f32(float* __restrict__ y, const float* __restrict__ x,
                                                         long long n, int d0, int d1, int d2, int d3, int d4, int d5,
                                                         int s0, int s1, int s2, int s3, int s4, int s5) {
  const long long stride = (long long)gridDim.x * blockDim.x;
  for (long long t = (long long)blockIdx.x * blockDim.x + threadIdx.x; t < n; t += stride) {
    long long rem = t, src = 0;
    src += (rem % d5) * s5; rem /= d5;
    src += (rem % d4) * s4; rem /= d4;
    src += (rem % d3) * s3; rem /= d3;
    src += (rem % d2) * s2; rem /= d2;
    src += (rem % d1) * s1; rem /= d1;
    src += (rem % d0) * s0;
    y[t] = __ldg(&x[src]);
  }
}
UVGL_REGISTER(uvgl_permute_f32, true, "out,in,-,-,-,-,-,-,-,-,-,-,-,-,-", 0)
