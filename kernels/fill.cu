// Fills a buffer with one value. The self-test poisons `out` buffers with NaN through it before a
// kernel runs, so an element the kernel never writes shows up in the parity check.
#include "common.cuh"

// Grid-stride loop with 128-bit stores for the aligned body: n can be any size, pointers come from
// the allocator (256-byte aligned), so only the tail needs scalar stores.
UVGL_KERNEL void uvgl_fill_f32(float* __restrict__ out, float value, long long n) {
  const long long n4 = n / 4;
  const long long stride = (long long)gridDim.x * blockDim.x;
  float4* out4 = reinterpret_cast<float4*>(out);
  const float4 v = make_float4(value, value, value, value);
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n4; i += stride) out4[i] = v;
  for (long long i = n4 * 4 + (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) out[i] = value;
}
UVGL_REGISTER(uvgl_fill_f32, true, "out,-,-", 0)
