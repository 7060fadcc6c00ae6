// The emulator's nvcuda::wmma for the shapes our kernels use (16x16x16, BF16/FP16 inputs, float
// accumulation), with the GPU's numeric contract: inputs are already 16-bit, products are exact in
// float, sums accumulate in float. mma.h does not compile as host code, so this is our own.
// Layout differs from the GPU's on purpose: lane l owns the outputs of row l/2, columns (l%2)*8 .. +8,
// so its accumulator holds those 8 floats, its A fragment that row of A (16 values) and its B
// fragment those 8 columns of B (128 values): each lane loads only what its own outputs need.
// Kernels may apply one operation to every x[i]; code that depends on an element's position is wrong
// on both devices and gives wrong answers here.
#pragma once
#include <cuda_fp16.h>

namespace nvcuda { namespace wmma {
struct matrix_a {}; struct matrix_b {}; struct accumulator {};
struct row_major {}; struct col_major {};
enum layout_t { mem_row_major, mem_col_major };

template <class Use, int M, int N, int K, class T, class Layout = void> struct fragment;

template <int M, int N, int K, class T, class Layout> struct fragment<matrix_a, M, N, K, T, Layout> {
  static_assert(M == 16 && N == 16 && K == 16, "the emulator's wmma supports m16n16k16");
  static constexpr int num_elements = 16;
  T x[16];
};
template <int M, int N, int K, class T, class Layout> struct fragment<matrix_b, M, N, K, T, Layout> {
  static_assert(M == 16 && N == 16 && K == 16, "the emulator's wmma supports m16n16k16");
  static constexpr int num_elements = 128;
  T x[128];
};
template <int M, int N, int K> struct fragment<accumulator, M, N, K, float, void> {
  static_assert(M == 16 && N == 16 && K == 16, "the emulator's wmma supports m16n16k16");
  static constexpr int num_elements = 8;
  float x[8];
};

inline int laneId() { const auto* c = ::uvgl_emu::current;
  return (int)((c->tid.x + c->tid.y * c->bdim.x + c->tid.z * c->bdim.x * c->bdim.y) & 31); }

// A: x[k] = A[l/2][k]. B: x[i*16+k] = B[k][(l%2)*8+i], column-wise so the product reads it contiguously.
template <class T, class L> inline void load_matrix_sync(fragment<matrix_a, 16, 16, 16, T, L>& f, const T* p,
                                                         unsigned ldm) {
  const int r = laneId() >> 1;
  for (int k = 0; k < 16; ++k) f.x[k] = std::is_same_v<L, row_major> ? p[r * ldm + k] : p[k * ldm + r];
}
template <class T, class L> inline void load_matrix_sync(fragment<matrix_b, 16, 16, 16, T, L>& f, const T* p,
                                                         unsigned ldm) {
  const int c0 = (laneId() & 1) * 8;
  for (int i = 0; i < 8; ++i) for (int k = 0; k < 16; ++k)
    f.x[i * 16 + k] = std::is_same_v<L, row_major> ? p[k * ldm + c0 + i] : p[(c0 + i) * ldm + k];
}
inline void fill_fragment(fragment<accumulator, 16, 16, 16, float>& f, float v) { for (float& e : f.x) e = v; }
template <class T, class L> inline void fill_fragment(fragment<matrix_a, 16, 16, 16, T, L>& f, T v) {
  for (T& e : f.x) e = v;
}
template <class T, class L> inline void fill_fragment(fragment<matrix_b, 16, 16, 16, T, L>& f, T v) {
  for (T& e : f.x) e = v;
}

inline void load_matrix_sync(fragment<accumulator, 16, 16, 16, float>& f, const float* p, unsigned ldm, layout_t l) {
  const int lane = laneId(), r = lane >> 1, c0 = (lane & 1) * 8;
  for (int i = 0; i < 8; ++i) f.x[i] = l == mem_row_major ? p[r * ldm + c0 + i] : p[(c0 + i) * ldm + r];
}
inline void store_matrix_sync(float* p, const fragment<accumulator, 16, 16, 16, float>& f, unsigned ldm, layout_t l) {
  const int lane = laneId(), r = lane >> 1, c0 = (lane & 1) * 8;
  for (int i = 0; i < 8; ++i) (l == mem_row_major ? p[r * ldm + c0 + i] : p[(c0 + i) * ldm + r]) = f.x[i];
}

inline float toFloat(__nv_bfloat16 v) { return __bfloat162float(v); }
inline float toFloat(__half v) { return __half2float(v); }

// d = a*b + c for this lane's 8 outputs: each product of two 16-bit values is exact in float, sums in float.
template <class T, class LA, class LB>
inline void mma_sync(fragment<accumulator, 16, 16, 16, float>& d, const fragment<matrix_a, 16, 16, 16, T, LA>& a,
                     const fragment<matrix_b, 16, 16, 16, T, LB>& b,
                     const fragment<accumulator, 16, 16, 16, float>& c) {
  float av[16];
  for (int k = 0; k < 16; ++k) av[k] = toFloat(a.x[k]);
  for (int i = 0; i < 8; ++i) {
    float s = c.x[i];
    const T* bc = &b.x[i * 16];
    for (int k = 0; k < 16; ++k) s += av[k] * toFloat(bc[k]);
    d.x[i] = s;
  }
}
}} // namespace nvcuda::wmma
