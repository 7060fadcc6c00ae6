// out = in, n floats (device-to-device copies of tensors that need a kernel, e.g. inside a graph of launches).
#include "common.cuh"

UVGL_KERNEL void uvgl_copy_f32(float* __restrict__ out, const float* __restrict__ in, long long n) {
  const long long stride = (long long)gridDim.x * blockDim.x;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) out[i] = in[i];
}
UVGL_REGISTER(uvgl_copy_f32, true, "out,in,-", 0)
