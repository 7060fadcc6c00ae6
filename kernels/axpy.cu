// y += alpha * x, n floats: the SGD-style in-place update (y is inout: the self-test never poisons it).
#include "common.cuh"

UVGL_KERNEL void uvgl_axpy_f32(float* __restrict__ y, const float* __restrict__ x, float alpha, long long n) {
  const long long stride = (long long)gridDim.x * blockDim.x;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
    y[i] = fmaf(alpha, x[i], y[i]);
}
UVGL_REGISTER(uvgl_axpy_f32, true, "inout,in,-,-", 0)
