// Depthwise convolution with stride 1 (groups == channels: ConvNeXt's 7x7, pad 3), NHWC activations,
// weights [C, 1, kh, kw]. Float32 throughout; each output is a fixed-order sum of kh*kw products, so
// the error against the CPU is a few ulps of sum |x||w| (kh*kw * 2^-24 at most). No atomics anywhere:
// every kernel here is deterministic.
//
// Tile: a block of 256 threads owns 32 channels x an 8x8 output tile of one image. Lane = channel,
// warp = output row, so every global load and store of a warp is 32 consecutive floats of one pixel
// (one 128-byte line; 128-bit loads when the channel count allows). The input tile plus its halo
// ((8+kh-1) x (8+kw-1) x 32 floats) and the block's weights (kh*kw x 32) sit in dynamic shared memory.
#include "common.cuh"

namespace {
constexpr int kDwTile = 8, kDwChannels = 32, kDwThreads = 256;
}

// Copies the (rows x cols) window of image `img` at (y0, x0), channels [c0, c0+32), into
// tile[(r * cols + q) * 32 + lane], zero outside the image or past the last channel.
__device__ __forceinline__ void uvgl_dw_stage(float* tile, const float* img, int h, int w, int c, int y0, int x0,
                                              int c0, int rows, int cols, int tid) {
  const int pixels = rows * cols;
  if ((c & 3) == 0 && ((uintptr_t)img & 15) == 0) {
    for (int v = tid; v < pixels * (kDwChannels / 4); v += kDwThreads) {
      const int p = v >> 3, q4 = (v & 7) * 4;
      const int y = y0 + p / cols, x = x0 + p % cols;
      float4 val = make_float4(0.f, 0.f, 0.f, 0.f);
      if (y >= 0 && y < h && x >= 0 && x < w && c0 + q4 < c)
        val = *reinterpret_cast<const float4*>(img + ((long long)y * w + x) * c + c0 + q4);
      float* d = tile + p * kDwChannels + q4;
      d[0] = val.x; d[1] = val.y; d[2] = val.z; d[3] = val.w;
    }
  } else {
    for (int v = tid; v < pixels * kDwChannels; v += kDwThreads) {
      const int p = v >> 5, lane = v & 31;
      const int y = y0 + p / cols, x = x0 + p % cols;
      const bool inside = y >= 0 && y < h && x >= 0 && x < w && c0 + lane < c;
      tile[v] = inside ? img[((long long)y * w + x) * c + c0 + lane] : 0.f;
    }
  }
}

// The stencil's inner loops for a kernel width known at compile time (ConvNeXt's 7): each input row
// segment the thread needs (8 + KW - 1 values) is read from shared memory once into registers and used
// KW times, a quarter of the generic loop's shared loads. Same summation order as the generic loop.
template <int KW>
__device__ __forceinline__ void uvgl_dw_rows_kw(float (&acc)[kDwTile], const float* tile, const float* wt, int row,
                                                int lane, int kh) {
  constexpr int span = kDwTile + KW - 1;
  for (int i = 0; i < kh; ++i) {
    const float* trow = tile + (row + i) * span * kDwChannels + lane;
    float v[span];
    for (int q = 0; q < span; ++q) v[q] = trow[q * kDwChannels];
    for (int j = 0; j < KW; ++j) {
      const float wv = wt[(i * KW + j) * kDwChannels + lane];
      for (int x = 0; x < kDwTile; ++x) acc[x] = fmaf(v[x + j], wv, acc[x]);
    }
  }
}

// out[n, oy, ox, ch] = sum_ij in[n, oy - padH + i, ox - padW + j, ch] * W[ch, i, j] where W is w, or w
// rotated by 180 degrees when flip != 0. Forward: in = x, out = y, pad = the conv's. Gradient of the
// input: in = dy, out = dx, pad = k - 1 - pad, flip = 1 (the adjoint of a stride-1 stencil is the same
// stencil with the kernel flipped).
//
// Occupancy (H100): 7x7 needs (14*14 + 49) * 32 * 4 = 31 KB of shared memory, room for 7 blocks; the
// 40 registers per thread (ptxas: 8 accumulators + the 14-value row window) allow 6: 48 warps, 75%,
// plenty for a kernel whose loads are all shared-memory hits once the tile is staged.
UVGL_KERNEL void __launch_bounds__(256) uvgl_dwconv_s1(float* __restrict__ out, const float* __restrict__ in,
                                                       const float* __restrict__ w, int n, int hin, int win,
                                                       int c, int hout, int wout, int kh, int kw, int padH,
                                                       int padW, int flip) {
  UVGL_SHARED_DYNAMIC(float, smem);
  const int tileRows = kDwTile + kh - 1, tileCols = kDwTile + kw - 1, taps = kh * kw;
  float* tile = smem;
  float* wt = smem + tileRows * tileCols * kDwChannels;
  const int tid = threadIdx.x, lane = tid & 31, row = tid >> 5;
  const int tilesX = (wout + kDwTile - 1) / kDwTile;
  const int oy0 = (blockIdx.x / tilesX) * kDwTile, ox0 = (blockIdx.x % tilesX) * kDwTile;
  const int c0 = blockIdx.y * kDwChannels, img = blockIdx.z;
  const float* src = in + (long long)img * hin * win * c;
  uvgl_dw_stage(tile, src, hin, win, c, oy0 - padH, ox0 - padW, c0, tileRows, tileCols, tid);
  // Consecutive threads read consecutive taps of one channel: the weights' own contiguous order.
  for (int v = tid; v < taps * kDwChannels; v += kDwThreads) {
    const int ch = v / taps, t = v - ch * taps;
    wt[(flip ? taps - 1 - t : t) * kDwChannels + ch] = c0 + ch < c ? w[(long long)(c0 + ch) * taps + t] : 0.f;
  }
  __syncthreads();
  float acc[kDwTile];
  for (int x = 0; x < kDwTile; ++x) acc[x] = 0.f;
  if (kw == 7) {
    uvgl_dw_rows_kw<7>(acc, tile, wt, row, lane, kh);
  } else {
    for (int i = 0; i < kh; ++i) {
      const float* trow = tile + (row + i) * tileCols * kDwChannels + lane;
      for (int j = 0; j < kw; ++j) {
        const float wv = wt[(i * kw + j) * kDwChannels + lane];
        for (int x = 0; x < kDwTile; ++x) acc[x] = fmaf(trow[(x + j) * kDwChannels], wv, acc[x]);
      }
    }
  }
  const int oy = oy0 + row;
  if (oy < hout && c0 + lane < c) {
    float* dst = out + (((long long)img * hout + oy) * wout + ox0) * c + c0 + lane;
    for (int x = 0; x < kDwTile; ++x)
      if (ox0 + x < wout) dst[(long long)x * c] = acc[x];
  }
}
UVGL_REGISTER(uvgl_dwconv_s1, true, "out,in,in,-,-,-,-,-,-,-,-,-,-,-", 98304)

// Weight gradient, first pass: partial[p, ch, i, j] = sum over the output tiles [p * tilesPerBlock,
// (p+1) * tilesPerBlock) (tiles numbered image-major) of dy[n, oy, ox, ch] * x[n, oy - padH + i,
// ox - padW + j, ch]. Block (p, channel slice): lane = channel, warp g owns taps g, g+8, ... (at most 8
// each, so kh*kw <= 64). uvgl_sum_partials then adds the partials in p order: deterministic, no atomics.
//
// Occupancy (H100): 7x7 stages (14*14 + 64) * 32 * 4 = 33 KB (room for 6 blocks); 64 registers per
// thread (ptxas: the 8 unrolled tap accumulators and their addresses) allow 4 blocks = 32 warps, 50%.
// The kernel runs once per step over a grid of ~128 x C/32 blocks, so more warps would find no work.
UVGL_KERNEL void __launch_bounds__(256) uvgl_dwconv_s1_wgrad(float* __restrict__ partial, const float* __restrict__ x,
                                                             const float* __restrict__ dy, int n, int h, int w, int c,
                                                             int hout, int wout, int kh, int kw, int padH, int padW,
                                                             int tilesPerBlock) {
  UVGL_SHARED_DYNAMIC(float, smem);
  const int tileRows = kDwTile + kh - 1, tileCols = kDwTile + kw - 1, taps = kh * kw;
  float* xt = smem;
  float* gt = smem + tileRows * tileCols * kDwChannels;
  const int tid = threadIdx.x, lane = tid & 31, group = tid >> 5;
  const int tilesX = (wout + kDwTile - 1) / kDwTile, tilesY = (hout + kDwTile - 1) / kDwTile;
  const int tilesTotal = n * tilesX * tilesY, c0 = blockIdx.y * kDwChannels;
  float acc[8];
  for (int u = 0; u < 8; ++u) acc[u] = 0.f;
  const int first = blockIdx.x * tilesPerBlock;
  const int last = first + tilesPerBlock < tilesTotal ? first + tilesPerBlock : tilesTotal;
  for (int tIdx = first; tIdx < last; ++tIdx) {
    const int img = tIdx / (tilesX * tilesY), rest = tIdx - img * tilesX * tilesY;
    const int oy0 = (rest / tilesX) * kDwTile, ox0 = (rest % tilesX) * kDwTile;
    uvgl_dw_stage(xt, x + (long long)img * h * w * c, h, w, c, oy0 - padH, ox0 - padW, c0, tileRows, tileCols, tid);
    // dy outside the output counts as zero, so the tile's padding adds nothing.
    uvgl_dw_stage(gt, dy + (long long)img * hout * wout * c, hout, wout, c, oy0, ox0, c0, kDwTile, kDwTile, tid);
    __syncthreads();
    for (int u = 0; u < 8; ++u) {
      const int t = group + 8 * u;
      if (t < taps) {
        const int i = t / kw, j = t - i * kw;
        float s = acc[u];
        for (int yy = 0; yy < kDwTile; ++yy)
          for (int xx = 0; xx < kDwTile; ++xx)
            s = fmaf(gt[(yy * kDwTile + xx) * kDwChannels + lane],
                     xt[((yy + i) * tileCols + xx + j) * kDwChannels + lane], s);
        acc[u] = s;
      }
    }
    __syncthreads();
  }
  if (c0 + lane < c) {
    float* dst = partial + (long long)blockIdx.x * c * taps + (long long)(c0 + lane) * taps;
    for (int u = 0; u < 8; ++u)
      if (group + 8 * u < taps) dst[group + 8 * u] = acc[u];
  }
}
UVGL_REGISTER(uvgl_dwconv_s1_wgrad, true, "out,in,in,-,-,-,-,-,-,-,-,-,-,-", 98304)
