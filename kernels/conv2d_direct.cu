// General direct convolution: any kernel, stride, padding and groups; x NHWC, w OIHW, y NHWC. The path
// for every geometry the depthwise stencil (dwconv.cu) and the patch GEMM (conv2d_patch.cu) do not
// take; ConvNeXt never reaches it, so it is written to be right for all shapes rather than fast for one.
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

// y[img, oy, ox, co] = sum_{i, j, ci} x[img, oy*sh - ph + i, ox*sw - pw + j, g*cig + ci] * w[co, ci, i, j].
// One thread per output, co fastest: a warp's stores are contiguous and its x reads are broadcasts
// of one pixel's group channels (contiguous over ci); weights go through the read-only cache.
//
// Occupancy: no shared memory, few registers: 100%.
UVGL_KERNEL void __launch_bounds__(256) uvgl_conv2d_direct(float* __restrict__ y, const float* __restrict__ x,
                                                           const float* __restrict__ wt, UVGL_CONV_GEOMETRY_PARAMS) {
  const int cig = cin / groups, cog = cout / groups;
  const long long total = (long long)n * outH * outW * cout;
  for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total; e += (long long)gridDim.x * blockDim.x) {
    const int co = (int)(e % cout);
    const long long p = e / cout;
    const int ox = (int)(p % outW);
    const long long py = p / outW;
    const int oy = (int)(py % outH), img = (int)(py / outH);
    const int g = co / cog;
    const float* wco = wt + (long long)co * cig * kh * kw;
    float s = 0.f;
    for (int i = 0; i < kh; ++i) {
      const int iy = oy * sh - ph + i;
      if (iy < 0 || iy >= h) continue;
      for (int j = 0; j < kw; ++j) {
        const int ix = ox * sw - pw + j;
        if (ix < 0 || ix >= w) continue;
        const float* xp = x + (((long long)img * h + iy) * w + ix) * cin + g * cig;
        for (int ci = 0; ci < cig; ++ci) s = fmaf(xp[ci], __ldg(wco + (ci * kh + i) * kw + j), s);
      }
    }
    y[e] = s;
  }
}
UVGL_REGISTER(uvgl_conv2d_direct, true, "out,in,in,-,-,-,-,-,-,-,-,-,-,-,-,-,-", 0)

// dx[img, iy, ix, ci] = sum over the taps (i, j) and outputs (oy, ox) with oy*sh - ph + i == iy (same
// for x), and co in ci's group, of dy[img, oy, ox, co] * w[co, ci_local, i, j]: a gather, one thread per
// input element (ci fastest: coalesced stores), so no two threads write one place.
//
// Occupancy: no shared memory, few registers: 100%.
UVGL_KERNEL void __launch_bounds__(256) uvgl_conv2d_direct_dgrad(float* __restrict__ dx, const float* __restrict__ dy,
                                                                 const float* __restrict__ wt, UVGL_CONV_GEOMETRY_PARAMS) {
  const int cig = cin / groups, cog = cout / groups;
  const long long total = (long long)n * h * w * cin;
  for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total; e += (long long)gridDim.x * blockDim.x) {
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
// Occupancy: no shared memory, few registers: 100%.
UVGL_KERNEL void __launch_bounds__(256) uvgl_conv2d_direct_wgrad(float* __restrict__ partial, const float* __restrict__ x,
                                                                 const float* __restrict__ dy, UVGL_CONV_GEOMETRY_PARAMS,
                                                                 int chunkLen) {
  const int cig = cin / groups, cog = cout / groups;
  const long long elems = (long long)cout * cig * kh * kw, positions = (long long)n * outH * outW;
  const long long q0 = (long long)blockIdx.y * chunkLen;
  const long long q1 = q0 + chunkLen < positions ? q0 + chunkLen : positions;
  for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < elems; e += (long long)gridDim.x * blockDim.x) {
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
// Occupancy: no shared memory, few registers: 100%.
UVGL_KERNEL void __launch_bounds__(256) uvgl_sum_partials(float* __restrict__ out, const float* __restrict__ partial,
                                                          long long count, int parts) {
  for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < count; e += (long long)gridDim.x * blockDim.x) {
    float s = 0.f;
    for (int p = 0; p < parts; ++p) s += partial[p * count + e];
    out[e] = s;
  }
}
UVGL_REGISTER(uvgl_sum_partials, true, "out,in,-,-", 0)
