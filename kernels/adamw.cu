// torch.optim.AdamW in place (amsgrad off): p *= decay (decay = 1 - lr * wd); m = b1 m + (1 - b1) g;
// v = b2 v + (1 - b2) g^2; p -= stepSize * m / (sqrt(v) / bc2sqrt + eps), with stepSize = lr / (1 - b1^t)
// and bc2sqrt = sqrt(1 - b2^t) computed on the host in double, as torch does. Element-wise with float4
// traffic; 256 threads, no shared memory. Four float4 streams keep 16 values live per thread: capped at
// 32 registers (8 blocks per SM) it spilled; uncapped, ptxas -v gives 48 registers and 63% occupancy, and
// the four 16-byte loads each thread has in flight hide the memory latency that the fewer warps leave.
#include "common.cuh"

__device__ __forceinline__ void uvgl_adamw_one(float& p, float& m, float& v, float g, float decay, float b1, float b2,
                                               float stepSize, float bc2sqrt, float eps) {
  p *= decay;
  m = b1 * m + (1.0f - b1) * g;
  v = b2 * v + (1.0f - b2) * g * g;
  p -= stepSize * m / (sqrtf(v) / bc2sqrt + eps);
}

UVGL_KERNEL void __launch_bounds__(256) uvgl_adamw_step_f32(float* __restrict__ p, float* __restrict__ m,
                                                            float* __restrict__ v, const float* __restrict__ g,
                                                            float decay, float b1, float b2, float stepSize,
                                                            float bc2sqrt, float eps, long long n) {
  const long long stride = (long long)gridDim.x * blockDim.x, n4 = n >> 2;
  const long long t0 = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  float4* p4 = reinterpret_cast<float4*>(p);
  float4* m4 = reinterpret_cast<float4*>(m);
  float4* v4 = reinterpret_cast<float4*>(v);
  const float4* g4 = reinterpret_cast<const float4*>(g);
  for (long long i = t0; i < n4; i += stride) {
    float4 pv = p4[i], mv = m4[i], vv = v4[i];
    const float4 gv = g4[i];
    uvgl_adamw_one(pv.x, mv.x, vv.x, gv.x, decay, b1, b2, stepSize, bc2sqrt, eps);
    uvgl_adamw_one(pv.y, mv.y, vv.y, gv.y, decay, b1, b2, stepSize, bc2sqrt, eps);
    uvgl_adamw_one(pv.z, mv.z, vv.z, gv.z, decay, b1, b2, stepSize, bc2sqrt, eps);
    uvgl_adamw_one(pv.w, mv.w, vv.w, gv.w, decay, b1, b2, stepSize, bc2sqrt, eps);
    p4[i] = pv;
    m4[i] = mv;
    v4[i] = vv;
  }
  for (long long i = n4 * 4 + t0; i < n; i += stride)
    uvgl_adamw_one(p[i], m[i], v[i], g[i], decay, b1, b2, stepSize, bc2sqrt, eps);
}
UVGL_REGISTER(uvgl_adamw_step_f32, true, "inout,inout,inout,in,-,-,-,-,-,-,-", 0)
