// torch.optim.SGD in place (dampening 0, no Nesterov): d = g + wd * p; buf = first ? d : m * buf + d;
// p -= lr * buf. Element-wise with float4 traffic; 256 threads, no shared memory, full occupancy.
#include "common.cuh"

__device__ __forceinline__ void uvgl_sgd_one(float& p, float& b, float g, float lr, float m, float wd, int first) {
  const float d = g + wd * p;
  b = first ? d : m * b + d;
  p -= lr * b;
}

UVGL_KERNEL void __launch_bounds__(256, 8) uvgl_sgd_step_f32(float* __restrict__ p, float* __restrict__ buf,
                                                             const float* __restrict__ g, float lr, float momentum,
                                                             float weightDecay, int first, long long n) {
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
  for (long long i = n4 * 4 + t0; i < n; i += stride)
    uvgl_sgd_one(p[i], buf[i], g[i], lr, momentum, weightDecay, first);
}
UVGL_REGISTER(uvgl_sgd_step_f32, true, "inout,inout,in,-,-,-,-,-", 0)

// A device address or element count carried in a float table as three exact 22-bit integers: kernel
// arguments cannot hold a model's hundreds of pointers, and float values below 2^24 survive any copy.
__device__ __forceinline__ long long uvgl_unpack66(const float* t) {
  return (long long)t[0] | ((long long)t[1] << 22) | ((long long)t[2] << 44);
}

// One SGD step over every parameter of a model in one launch: blockIdx.y picks the parameter, whose
// entry in `table` is 12 floats (param, momentum buffer, gradient addresses and the element count, each
// as uvgl_unpack66 reads it); blockIdx.x strides over its elements. Same arithmetic as uvgl_sgd_step_f32,
// scalar loads (a parameter's element count need not be a multiple of 4). 256 threads, full occupancy.
UVGL_KERNEL void __launch_bounds__(256) uvgl_sgd_step_all_f32(const float* __restrict__ table, float lr, float momentum,
                                                              float weightDecay, int first) {
  const float* e = table + 12LL * blockIdx.y;
  float* p = reinterpret_cast<float*>(uvgl_unpack66(e));
  float* b = reinterpret_cast<float*>(uvgl_unpack66(e + 3));
  const float* g = reinterpret_cast<const float*>(uvgl_unpack66(e + 6));
  const long long n = uvgl_unpack66(e + 9);
  const long long stride = (long long)gridDim.x * blockDim.x;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
    uvgl_sgd_one(p[i], b[i], g[i], lr, momentum, weightDecay, first);
}
UVGL_REGISTER(uvgl_sgd_step_all_f32, true, "in,-,-,-,-", 0)
