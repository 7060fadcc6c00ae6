// Element-wise kernels. Grid-stride loops; float4 loads and stores where every float4 stays inside one
// row of the broadcast operand (allocations are 256-byte aligned, views start at their storage), scalar
// code for the rest. 256-thread blocks, few registers, no shared memory: occupancy is bounded only by
// the 64 warps an SM holds (100%), which is what a bandwidth-bound kernel needs.
#include "common.cuh"

template <bool MUL> __device__ __forceinline__ float uvgl_combine(float a, float b) { return MUL ? a * b : a + b; }

// out[i] = a[i] op b[i % inner]: b is a's shape (inner == n) or its trailing dimensions.
template <bool MUL> __device__ __forceinline__ void uvgl_broadcast_binary(float* __restrict__ out,
                                                                          const float* __restrict__ a,
                                                                          const float* __restrict__ b, long long n,
                                                                          int inner) {
  const long long stride = (long long)gridDim.x * blockDim.x;
  const long long t0 = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  long long done = 0;
  if ((inner & 3) == 0 || inner == n) {
    const long long n4 = n >> 2;
    const unsigned inner4 = (unsigned)(inner >> 2);
    const float4* a4 = reinterpret_cast<const float4*>(a);
    const float4* b4 = reinterpret_cast<const float4*>(b);
    float4* o4 = reinterpret_cast<float4*>(out);
    const bool full = inner == n;
    for (long long i = t0; i < n4; i += stride) {
      const float4 x = a4[i], y = __ldg(&b4[full ? i : (long long)((unsigned)i % inner4)]);
      o4[i] = make_float4(uvgl_combine<MUL>(x.x, y.x), uvgl_combine<MUL>(x.y, y.y), uvgl_combine<MUL>(x.z, y.z),
                          uvgl_combine<MUL>(x.w, y.w));
    }
    done = n4 * 4;
  }
  for (long long i = done + t0; i < n; i += stride)
    out[i] = uvgl_combine<MUL>(a[i], __ldg(&b[(unsigned)i % (unsigned)inner]));
}

UVGL_KERNEL void __launch_bounds__(256) uvgl_add_f32(float* __restrict__ out, const float* __restrict__ a,
                                                     const float* __restrict__ b, long long n, int inner) {
  uvgl_broadcast_binary<false>(out, a, b, n, inner);
}
UVGL_REGISTER(uvgl_add_f32, true, "out,in,in,-,-", 0)

UVGL_KERNEL void __launch_bounds__(256) uvgl_mul_f32(float* __restrict__ out, const float* __restrict__ a,
                                                     const float* __restrict__ b, long long n, int inner) {
  uvgl_broadcast_binary<true>(out, a, b, n, inner);
}
UVGL_REGISTER(uvgl_mul_f32, true, "out,in,in,-,-", 0)

// out = scale * x + shift. Multiply then add, as the CPU does (nvcc may fuse them: one rounding fewer).
UVGL_KERNEL void __launch_bounds__(256) uvgl_affine_f32(float* __restrict__ out, const float* __restrict__ x,
                                                        float scale, float shift, long long n) {
  const long long stride = (long long)gridDim.x * blockDim.x, n4 = n >> 2;
  const long long t0 = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  const float4* x4 = reinterpret_cast<const float4*>(x);
  float4* o4 = reinterpret_cast<float4*>(out);
  for (long long i = t0; i < n4; i += stride) {
    const float4 v = x4[i];
    o4[i] = make_float4(scale * v.x + shift, scale * v.y + shift, scale * v.z + shift, scale * v.w + shift);
  }
  for (long long i = n4 * 4 + t0; i < n; i += stride) out[i] = scale * x[i] + shift;
}
UVGL_REGISTER(uvgl_affine_f32, true, "out,in,-,-,-", 0)

#define UVGL_INV_SQRT2 0.70710678118654752f
#define UVGL_INV_SQRT_2PI 0.39894228040143268f

__device__ __forceinline__ float uvgl_gelu(float v) { return 0.5f * v * (1.0f + erff(v * UVGL_INV_SQRT2)); }

__device__ __forceinline__ float uvgl_gelu_grad(float v, float g) {
  return g * (0.5f * (1.0f + erff(v * UVGL_INV_SQRT2)) + v * UVGL_INV_SQRT_2PI * expf(-0.5f * v * v));
}

// GELU, erf form. erff is a short polynomial: still bandwidth-bound on an H100, so float4 traffic.
UVGL_KERNEL void __launch_bounds__(256) uvgl_gelu_f32(float* __restrict__ y, const float* __restrict__ x, long long n) {
  const long long stride = (long long)gridDim.x * blockDim.x, n4 = n >> 2;
  const long long t0 = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  const float4* x4 = reinterpret_cast<const float4*>(x);
  float4* y4 = reinterpret_cast<float4*>(y);
  for (long long i = t0; i < n4; i += stride) {
    const float4 v = x4[i];
    y4[i] = make_float4(uvgl_gelu(v.x), uvgl_gelu(v.y), uvgl_gelu(v.z), uvgl_gelu(v.w));
  }
  for (long long i = n4 * 4 + t0; i < n; i += stride) y[i] = uvgl_gelu(x[i]);
}
UVGL_REGISTER(uvgl_gelu_f32, true, "out,in,-", 0)

UVGL_KERNEL void __launch_bounds__(256, 8) uvgl_gelu_bwd_f32(float* __restrict__ dx, const float* __restrict__ x,
                                                             const float* __restrict__ gy, long long n) {
  const long long stride = (long long)gridDim.x * blockDim.x, n4 = n >> 2;
  const long long t0 = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  const float4* x4 = reinterpret_cast<const float4*>(x);
  const float4* g4 = reinterpret_cast<const float4*>(gy);
  float4* d4 = reinterpret_cast<float4*>(dx);
  for (long long i = t0; i < n4; i += stride) {
    const float4 v = x4[i], g = g4[i];
    d4[i] = make_float4(uvgl_gelu_grad(v.x, g.x), uvgl_gelu_grad(v.y, g.y), uvgl_gelu_grad(v.z, g.z),
                        uvgl_gelu_grad(v.w, g.w));
  }
  for (long long i = n4 * 4 + t0; i < n; i += stride) dx[i] = uvgl_gelu_grad(x[i], gy[i]);
}
UVGL_REGISTER(uvgl_gelu_bwd_f32, true, "out,in,in,-", 0)
