// General direct convolution: any kernel, stride, padding and groups; x NHWC, w OIHW, y NHWC. The path
// for every geometry the depthwise stencil (dwconv.cu) and the patch GEMM (conv2d_patch.cu) do not
// take; ConvNeXt never reaches it, so it is written to be right for all shapes rather than fast for one:
// the forward is a tiled implicit GEMM, the two gradients are one-thread-per-output gathers.
// Float32 throughout, each output a fixed-order sum (taps outer, channels inner), so the error against
// the CPU is a few ulps of sum |x||w| (at most cin/groups * kh * kw * 2^-24 of it) and every kernel
// here is deterministic: no atomics, the weight gradient sums per-chunk partials in chunk order.
//
// The geometry travels as 14 ints in Conv2dGeometry's order: n, h, w, cin, cout, kh, kw, strideH,
// strideW, padH, padW, groups, outH, outW.
#include "common.cuh"

#define UVGL_CONV_GEOMETRY_PARAMS                                                                          \
  int n, int h, int w, int cin, int cout, int kh, int kw, int sh, int sw, int ph, int pw, int groups, int outH, \
      int outW

namespace {
constexpr int kPos = 64, kCo = 32, kSlice = 16;  // forward block tile: positions x output channels, K slice
}

// y[img, oy, ox, co] = sum_{i, j, ci} x[img, oy*sh - ph + i, ox*sw - pw + j, g*cig + ci] * w[co, ci, i, j],
// as an implicit GEMM per group: rows = output positions, columns = the group's output channels,
// depth = (i, j, ci) with ci fastest, so a K slice of one position is a contiguous run of x's channels.
// A block computes 64 positions x 32 channels of one group (grid.y = group * channel tiles), staging
// 16-deep slices of the gathered patches and of the weights in shared memory; each thread keeps a 4x2
// register block. Padding and edge positions load zeros. Sum order: (i, j, ci), fixed.
//
// Occupancy (H100): 6 KB of shared memory per block; 64 registers per thread (ptxas: the 8
// accumulators plus the gather's index arithmetic) allow 4 blocks = 32 warps, 50%.
UVGL_KERNEL void __launch_bounds__(256) uvgl_conv2d_direct(float* __restrict__ y, const float* __restrict__ x,
                                                           const float* __restrict__ wt, UVGL_CONV_GEOMETRY_PARAMS) {
  // Declared as float4 so the vector reads below are aligned; a __shared__ float array promises 4 bytes.
  UVGL_SHARED(float4, as4, kSlice * kPos / 4);
  UVGL_SHARED(float4, bs4, kSlice * kCo / 4);
  float* as = reinterpret_cast<float*>(as4);
  float* bs = reinterpret_cast<float*>(bs4);
  const int cig = cin / groups, cog = cout / groups, depth = cig * kh * kw, kwc = kw * cig;
  const int coTiles = (cog + kCo - 1) / kCo;
  const int g = blockIdx.y / coTiles, co0 = (blockIdx.y - g * coTiles) * kCo;
  const long long positions = (long long)n * outH * outW, p0 = (long long)blockIdx.x * kPos;
  const int tid = threadIdx.x, tx = tid & 15, ty = tid >> 4;
  float acc[4][2] = {{0.f, 0.f}, {0.f, 0.f}, {0.f, 0.f}, {0.f, 0.f}};
  for (int k0 = 0; k0 < depth; k0 += kSlice) {
    // Patches: consecutive threads take consecutive k of one position (contiguous channels of x).
    for (int e = tid; e < kSlice * kPos; e += 256) {
      const int p = e / kSlice, kk = e - p * kSlice, k = k0 + kk;
      const long long q = p0 + p;
      float v = 0.f;
      if (k < depth && q < positions) {
        const int i = k / kwc, rem = k - i * kwc, j = rem / cig, ci = rem - j * cig;
        const int ox = (int)(q % outW);
        const long long qy = q / outW;
        const int oy = (int)(qy % outH), img = (int)(qy / outH);
        const int iy = oy * sh - ph + i, ix = ox * sw - pw + j;
        if (iy >= 0 && iy < h && ix >= 0 && ix < w) v = x[(((long long)img * h + iy) * w + ix) * cin + g * cig + ci];
      }
      as[kk * kPos + p] = v;
    }
    // Weights: consecutive threads take consecutive k of one channel.
    for (int e = tid; e < kSlice * kCo; e += 256) {
      const int c = e / kSlice, kk = e - c * kSlice, k = k0 + kk, co = co0 + c;
      float v = 0.f;
      if (k < depth && co < cog) {
        const int i = k / kwc, rem = k - i * kwc, j = rem / cig, ci = rem - j * cig;
        v = wt[(((long long)(g * cog + co) * cig + ci) * kh + i) * kw + j];
      }
      bs[kk * kCo + c] = v;
    }
    __syncthreads();
    for (int kk = 0; kk < kSlice; ++kk) {
      const float4 a = *reinterpret_cast<const float4*>(as + kk * kPos + ty * 4);
      const float2 b = *reinterpret_cast<const float2*>(bs + kk * kCo + tx * 2);
      const float ar[4] = {a.x, a.y, a.z, a.w};
      for (int r = 0; r < 4; ++r) {
        acc[r][0] = fmaf(ar[r], b.x, acc[r][0]);
        acc[r][1] = fmaf(ar[r], b.y, acc[r][1]);
      }
    }
    __syncthreads();
  }
  for (int r = 0; r < 4; ++r) {
    const long long q = p0 + ty * 4 + r;
    if (q >= positions) continue;
    for (int c = 0; c < 2; ++c) {
      const int co = co0 + tx * 2 + c;
      if (co < cog) y[q * cout + g * cog + co] = acc[r][c];
    }
  }
}
UVGL_REGISTER(uvgl_conv2d_direct, true, "out,in,in,-,-,-,-,-,-,-,-,-,-,-,-,-,-", 0)

// dx[img, iy, ix, ci] = sum over the taps (i, j) and outputs (oy, ox) with oy*sh - ph + i == iy (same
// for x), and co in ci's group, of dy[img, oy, ox, co] * w[co, ci_local, i, j]: a gather, one thread per
// input element (ci fastest: coalesced stores), so no two threads write one place.
//
// Occupancy: no shared memory; 40 registers (index arithmetic in 64 bits) allow 48 warps, 75%.
UVGL_KERNEL void __launch_bounds__(256) uvgl_conv2d_direct_dgrad(float* __restrict__ dx, const float* __restrict__ dy,
                                                                 const float* __restrict__ wt,
                                                                 UVGL_CONV_GEOMETRY_PARAMS) {
  const int cig = cin / groups, cog = cout / groups;
  const long long total = (long long)n * h * w * cin;
  for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total;
       e += (long long)gridDim.x * blockDim.x) {
    const int ci = (int)(e % cin);
    const long long p = e / cin;
    const int ix = (int)(p % w);
    const long long py = p / w;
    const int iy = (int)(py % h), img = (int)(py / h);
    const int g = ci / cig, cl = ci - g * cig;
    float s = 0.f;
    for (int i = 0; i < kh; ++i) {
      const int ty = iy + ph - i;
      if (ty < 0 || ty % sh != 0 || ty / sh >= outH) continue;
      for (int j = 0; j < kw; ++j) {
        const int tx = ix + pw - j;
        if (tx < 0 || tx % sw != 0 || tx / sw >= outW) continue;
        const float* dyp = dy + (((long long)img * outH + ty / sh) * outW + tx / sw) * cout + g * cog;
        const float* wp = wt + ((long long)g * cog * cig + cl) * kh * kw + i * kw + j;
        for (int co = 0; co < cog; ++co) s = fmaf(dyp[co], __ldg(wp + (long long)co * cig * kh * kw), s);
      }
    }
    dx[e] = s;
  }
}
UVGL_REGISTER(uvgl_conv2d_direct_dgrad, true, "out,in,in,-,-,-,-,-,-,-,-,-,-,-,-,-,-", 0)

// Weight gradient, first pass: partial[chunk, co, ci, i, j] = sum over the output positions q in
// [chunk * chunkLen, (chunk+1) * chunkLen) (q = (img * outH + oy) * outW + ox) of
// dy[q, co] * x[img, oy*sh - ph + i, ox*sw - pw + j, g*cig + ci]. grid.y = chunk; one thread per weight
// element. uvgl_sum_partials adds the chunks in order.
//
// Occupancy: no shared memory; 44 registers allow 40 warps, 63%.
UVGL_KERNEL void __launch_bounds__(256) uvgl_conv2d_direct_wgrad(float* __restrict__ partial,
                                                                 const float* __restrict__ x,
                                                                 const float* __restrict__ dy,
                                                                 UVGL_CONV_GEOMETRY_PARAMS, int chunkLen) {
  const int cig = cin / groups, cog = cout / groups;
  const long long elems = (long long)cout * cig * kh * kw, positions = (long long)n * outH * outW;
  const long long q0 = (long long)blockIdx.y * chunkLen;
  const long long q1 = q0 + chunkLen < positions ? q0 + chunkLen : positions;
  for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < elems;
       e += (long long)gridDim.x * blockDim.x) {
    const int j = (int)(e % kw);
    const long long t1 = e / kw;
    const int i = (int)(t1 % kh);
    const long long t2 = t1 / kh;
    const int cl = (int)(t2 % cig), co = (int)(t2 / cig);
    const int cx = (co / cog) * cig + cl;
    float s = 0.f;
    for (long long q = q0; q < q1; ++q) {
      const int ox = (int)(q % outW);
      const long long qy = q / outW;
      const int oy = (int)(qy % outH), img = (int)(qy / outH);
      const int iy = oy * sh - ph + i, ix = ox * sw - pw + j;
      if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
      s = fmaf(dy[q * cout + co], x[(((long long)img * h + iy) * w + ix) * cin + cx], s);
    }
    partial[(long long)blockIdx.y * elems + e] = s;
  }
}
UVGL_REGISTER(uvgl_conv2d_direct_wgrad, true, "out,in,in,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-", 0)

// out[e] = sum_{p < parts} partial[p * count + e], p in increasing order: the second pass of both weight
// gradients, deterministic by construction. Consecutive threads read consecutive elements of each part.
//
// Occupancy: no shared memory, 32 registers: 100%.
UVGL_KERNEL void __launch_bounds__(256) uvgl_sum_partials(float* __restrict__ out, const float* __restrict__ partial,
                                                          long long count, int parts) {
  for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < count;
       e += (long long)gridDim.x * blockDim.x) {
    float s = 0.f;
    for (int p = 0; p < parts; ++p) s += partial[p * count + e];
    out[e] = s;
  }
}
UVGL_REGISTER(uvgl_sum_partials, true, "out,in,-,-", 0)
