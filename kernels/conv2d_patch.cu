// Patchify convolutions (kernel == stride, padding 0, groups 1: ConvNeXt's 4x4/4 stem and 2x2/2
// downsamples) run as GEMMs over a patch matrix; these kernels move data between NHWC activations and
// that matrix, plus the bias epilogue every conv path shares. Pure data movement (and one add per
// element for the bias): exact and deterministic.
//
// The patch matrix col[r, (ci * kh + i) * kw + j], r = (img * outH + oy) * outW + ox, is PyTorch's
// OIHW order, so the OIHW weight [cout, cin*kh*kw] is the GEMM's other operand as it is.
#include "common.cuh"

// col[r, (ci*kh + i)*kw + j] = x[img, oy*kh + i, ox*kw + j, ci]. Thread order follows x's memory (ci
// fastest, then j, i): a warp reads contiguous runs of kw*cin floats (whole rows of a patch) and
// writes within one or two rows of col.
//
// Occupancy: no shared memory; 36 registers (64-bit index arithmetic) allow 48 warps, 75%, ample for
// a bandwidth-bound copy.
UVGL_KERNEL void __launch_bounds__(256) uvgl_patch_im2col(float* __restrict__ col, const float* __restrict__ x,
                                                          int n, int h, int w, int cin, int kh, int kw, int outH,
                                                          int outW) {
  const int kdim = cin * kh * kw, rowLen = kw * cin;
  const long long total = (long long)n * outH * outW * kdim;
  for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total;
       e += (long long)gridDim.x * blockDim.x) {
    const long long r = e / kdim;
    const int rem = (int)(e - r * kdim), i = rem / rowLen, jc = rem - i * rowLen, j = jc / cin, ci = jc - j * cin;
    const int ox = (int)(r % outW);
    const long long ry = r / outW;
    const int oy = (int)(ry % outH), img = (int)(ry / outH);
    col[r * kdim + (ci * kh + i) * kw + j] = x[(((long long)img * h + oy * kh + i) * w + ox * kw + j) * cin + ci];
  }
}
UVGL_REGISTER(uvgl_patch_im2col, true, "out,in,-,-,-,-,-,-,-,-", 0)

// The adjoint: dx[img, y, x, ci] = dcol[r, (ci*kh + y%kh)*kw + x%kw] for the one patch holding the
// pixel, 0 for the rows and columns past the last whole patch (the forward never read them). Patches do
// not overlap, so every dx element is one read: no accumulation, no atomics. Thread order follows dx
// (coalesced stores).
//
// Occupancy: no shared memory and a handful of registers: 100%.
UVGL_KERNEL void __launch_bounds__(256) uvgl_patch_col2im(float* __restrict__ dx, const float* __restrict__ dcol,
                                                          int n, int h, int w, int cin, int kh, int kw, int outH,
                                                          int outW) {
  const int kdim = cin * kh * kw;
  const long long total = (long long)n * h * w * cin;
  for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total;
       e += (long long)gridDim.x * blockDim.x) {
    const int ci = (int)(e % cin);
    const long long p = e / cin;
    const int xx = (int)(p % w);
    const long long py = p / w;
    const int yy = (int)(py % h), img = (int)(py / h);
    const int oy = yy / kh, ox = xx / kw;
    float v = 0.f;
    if (oy < outH && ox < outW) {
      const long long r = ((long long)img * outH + oy) * outW + ox;
      v = dcol[r * kdim + (ci * kh + yy - oy * kh) * kw + xx - ox * kw];
    }
    dx[e] = v;
  }
}
UVGL_REGISTER(uvgl_patch_col2im, true, "out,in,-,-,-,-,-,-,-,-", 0)

// y[r, co] += bias[co] over rows x cout (NHWC output): the bias epilogue of every conv path.
//
// Occupancy: no shared memory and a handful of registers: 100%.
UVGL_KERNEL void __launch_bounds__(256) uvgl_conv_bias_add(float* __restrict__ y, const float* __restrict__ bias,
                                                           long long rows, int cout) {
  const long long total = rows * cout;
  for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total;
       e += (long long)gridDim.x * blockDim.x)
    y[e] += bias[e % cout];
}
UVGL_REGISTER(uvgl_conv_bias_add, true, "inout,in,-,-", 0)
