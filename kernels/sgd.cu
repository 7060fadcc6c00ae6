// torch.optim.SGD in place (dampening 0, no Nesterov): d = g + wd * p; buf = first ? d : m * buf + d;
// p -= lr * buf. Element-wise with float4 traffic; 256 threads, no shared memory, full occupancy.
#include "common.cuh"

__device__ __forceinline__ void uvgl_sgd_one(float& p, float& b, float g, float lr, float m, float wd, int first) {
  const float d = g + wd * p;
  b = first ? d : m * b + d;
  p -= lr * b;
}

UVGL_KERNEL void __launch_bounds__(256, 8) uvgl_sgd_step_f32(float* __restrict__ p, float* __restrict__ buf, const float* __restrict__ g,
                                                          float lr, float momentum, float weightDecay, int first, long long n) {
  const long long stride = (long long)gridDim.x * blockDim.x, n4 = n >> 2;
  const long long t0 = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  float4* p4 = reinterpret_cast<float4*>(p);
  float4* b4 = reinterpret_cast<float4*>(buf);
  const float4* g4 = reinterpret_cast<const float4*>(g);
  for (long long i = t0; i < n4; i += stride) {
    float4 pv = p4[i], bv = b4[i];
    const float4 gv = g4[i];
    uvgl_sgd_one(pv.x, bv.x, gv.x, lr, momentum, weightDecay, first);
    uvgl_sgd_one(pv.y, bv.y, gv.y, lr, momentum, weightDecay, first);
    uvgl_sgd_one(pv.z, bv.z, gv.z, lr, momentum, weightDecay, first);
    uvgl_sgd_one(pv.w, bv.w, gv.w, lr, momentum, weightDecay, first);
    p4[i] = pv;
    b4[i] = bv;
  }
  for (long long i = n4 * 4 + t0; i < n; i += stride) uvgl_sgd_one(p[i], buf[i], g[i], lr, momentum, weightDecay, first);
}
UVGL_REGISTER(uvgl_sgd_step_f32, true, "inout,inout,in,-,-,-,-,-", 0)
