// The emulated device's view of CUDA for kernels compiled by the host C++ compiler. Each CUDA thread
// is a fiber (emu_runtime.cpp); the indices below read the running fiber's context. Only the feature
// set listed in the README exists here: anything else fails to build, which is the point.
#pragma once
#include <cstdint>
#include <cstring>
#include <cmath>
#include <type_traits>
#include <vector_types.h>
#include <vector_functions.h>
#include <cuda_bf16.h>

namespace uvgl_emu {

enum WarpOpKind : int { WARP_SHFL = 1, WARP_UP, WARP_DOWN, WARP_XOR, WARP_BALLOT, WARP_ANY, WARP_ALL, WARP_SYNC };

// An asynchronous copy (cuda_pipeline.h) waiting for its __pipeline_wait_prior: it lands there, not
// before, so a kernel that reads without waiting reads poison.
struct PendingCopy { void* dst; const void* src; uint32_t bytes, zfill, batch; };
constexpr int kMaxPendingCopies = 64;

// What one CUDA thread sees: its indices, the per-block shared arena, its pending async copies.
struct ThreadCtx {
  uint3 tid, bid;
  dim3 bdim, gdim;
  unsigned char* sharedArena;
  size_t sharedCursor, sharedLimit;
  int pendingCount;
  uint32_t batch;
  PendingCopy pending[kMaxPendingCopies];
};

extern thread_local ThreadCtx* current __attribute__((tls_model("initial-exec")));

void syncthreads();
uint64_t warpOp(WarpOpKind kind, unsigned mask, uint64_t value, int arg, int width);
void* sharedStatic(size_t bytes, size_t align, const char* name);
void* sharedDynamic();
[[noreturn]] void kernelTrap(const char* what);

// Registration: one static object per kernel, run when the library loads.
enum ArgType : char { ARG_PTR = 'p', ARG_I32 = 'i', ARG_I64 = 'l', ARG_F32 = 'f' };
using Invoker = void (*)(void* fn, void** args);
void registerKernel(const char* name, void* fn, Invoker invoke, const char* types, const char* roles,
                    bool deterministic, size_t maxDynamicShared);

template <class T> constexpr char argType() {
  if constexpr (std::is_pointer_v<T>) return ARG_PTR;
  else if constexpr (std::is_same_v<T, int>) return ARG_I32;
  else if constexpr (std::is_same_v<T, long long> || std::is_same_v<T, long>) return ARG_I64;
  else if constexpr (std::is_same_v<T, float>) return ARG_F32;
  else { static_assert(!sizeof(T), "kernel arguments are device pointers, int, long long or float"); return 0; }
}

template <class... A> struct Signature {
  static constexpr char types[sizeof...(A) + 1] = {argType<std::decay_t<A>>()..., 0};
  template <size_t... I> static void call(void (*f)(A...), void** args, std::index_sequence<I...>) {
    f(*static_cast<std::decay_t<A>*>(args[I])...);
  }
  static void invoke(void* fn, void** args) {
    call(reinterpret_cast<void (*)(A...)>(fn), args, std::index_sequence_for<A...>{});
  }
};
template <class... A> Signature<A...> signatureOf(void (*)(A...));

struct Registrar {
  Registrar(const char* name, void* fn, Invoker inv, const char* types, const char* roles, bool det, size_t maxDyn) {
    registerKernel(name, fn, inv, types, roles, det, maxDyn);
  }
};

template <class T> inline uint64_t toBits(T v) {
  static_assert(sizeof(T) <= 8 && std::is_trivially_copyable_v<T>, "warp operations move values of at most 8 bytes");
  uint64_t b = 0; std::memcpy(&b, &v, sizeof(T)); return b;
}
template <class T> inline T fromBits(uint64_t b) { T v; std::memcpy(&v, &b, sizeof(T)); return v; }

} // namespace uvgl_emu

// CUDA's host headers define some of these already; the emulator's meaning wins.
#undef __global__
#undef __device__
#undef __host__
#undef __forceinline__
#undef __launch_bounds__
#undef __restrict__
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __launch_bounds__(...)
#define __restrict__ __restrict
#define UVGL_KERNEL extern "C"
#define UVGL_REGISTER(fn, det, roles, maxDyn)                                                          \
  static ::uvgl_emu::Registrar uvgl_registrar_##fn(#fn, reinterpret_cast<void*>(&fn),                 \
      &decltype(::uvgl_emu::signatureOf(&fn))::invoke, decltype(::uvgl_emu::signatureOf(&fn))::types, \
      roles, det, maxDyn);
#define UVGL_SHARED(type, name, count) \
  type* name = static_cast<type*>(::uvgl_emu::sharedStatic(sizeof(type) * (count), alignof(type), #name))
#define UVGL_SHARED_DYNAMIC(type, name) type* name = static_cast<type*>(::uvgl_emu::sharedDynamic())

#define threadIdx (::uvgl_emu::current->tid)
#define blockIdx (::uvgl_emu::current->bid)
#define blockDim (::uvgl_emu::current->bdim)
#define gridDim (::uvgl_emu::current->gdim)
static constexpr int warpSize = 32;

inline void __syncthreads() { ::uvgl_emu::syncthreads(); }
inline void __syncwarp(unsigned mask = 0xffffffffu) { ::uvgl_emu::warpOp(::uvgl_emu::WARP_SYNC, mask, 0, 0, 32); }
template <class T> inline T __shfl_sync(unsigned m, T v, int src, int w = 32) {
  return ::uvgl_emu::fromBits<T>(::uvgl_emu::warpOp(::uvgl_emu::WARP_SHFL, m, ::uvgl_emu::toBits(v), src, w));
}
template <class T> inline T __shfl_up_sync(unsigned m, T v, unsigned d, int w = 32) {
  return ::uvgl_emu::fromBits<T>(::uvgl_emu::warpOp(::uvgl_emu::WARP_UP, m, ::uvgl_emu::toBits(v), (int)d, w));
}
template <class T> inline T __shfl_down_sync(unsigned m, T v, unsigned d, int w = 32) {
  return ::uvgl_emu::fromBits<T>(::uvgl_emu::warpOp(::uvgl_emu::WARP_DOWN, m, ::uvgl_emu::toBits(v), (int)d, w));
}
template <class T> inline T __shfl_xor_sync(unsigned m, T v, int lm, int w = 32) {
  return ::uvgl_emu::fromBits<T>(::uvgl_emu::warpOp(::uvgl_emu::WARP_XOR, m, ::uvgl_emu::toBits(v), lm, w));
}
inline unsigned __ballot_sync(unsigned m, int p) {
  return (unsigned)::uvgl_emu::warpOp(::uvgl_emu::WARP_BALLOT, m, p != 0, 0, 32);
}
inline int __any_sync(unsigned m, int p) { return (int)::uvgl_emu::warpOp(::uvgl_emu::WARP_ANY, m, p != 0, 0, 32); }
inline int __all_sync(unsigned m, int p) { return (int)::uvgl_emu::warpOp(::uvgl_emu::WARP_ALL, m, p != 0, 0, 32); }

template <class T> inline T __ldg(const T* p) { return *p; }
inline void __threadfence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
inline void __threadfence_block() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
inline float __expf(float x) { return std::exp(x); }
inline float __fdividef(float a, float b) { return a / b; }

// Atomics: correct when blocks run on several host threads.
inline float atomicAdd(float* p, float v) {
  unsigned* bits = reinterpret_cast<unsigned*>(p);
  unsigned expected = __atomic_load_n(bits, __ATOMIC_RELAXED);
  for (;;) {
    float old; std::memcpy(&old, &expected, 4);
    float sum = old + v; unsigned desired; std::memcpy(&desired, &sum, 4);
    if (__atomic_compare_exchange_n(bits, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) return old;
  }
}
inline int atomicAdd(int* p, int v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
inline unsigned atomicAdd(unsigned* p, unsigned v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) {
  return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}
inline int atomicMax(int* p, int v) {
  int o = __atomic_load_n(p, __ATOMIC_RELAXED);
  while (o < v && !__atomic_compare_exchange_n(p, &o, v, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {}
  return o;
}
inline int atomicMin(int* p, int v) {
  int o = __atomic_load_n(p, __ATOMIC_RELAXED);
  while (o > v && !__atomic_compare_exchange_n(p, &o, v, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {}
  return o;
}
inline int atomicCAS(int* p, int cmp, int v) {
  __atomic_compare_exchange_n(p, &cmp, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  return cmp;
}
inline unsigned atomicCAS(unsigned* p, unsigned cmp, unsigned v) {
  __atomic_compare_exchange_n(p, &cmp, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  return cmp;
}
inline int atomicExch(int* p, int v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }
inline float atomicExch(float* p, float v) { float o; __atomic_exchange(p, &v, &o, __ATOMIC_SEQ_CST); return o; }

// cuda_pipeline.h's primitives, as the README allows them.
inline void __pipeline_memcpy_async(void* dst, const void* src, size_t size, size_t zfill = 0) {
  auto* c = ::uvgl_emu::current;
  if (size != 4 && size != 8 && size != 16) ::uvgl_emu::kernelTrap("__pipeline_memcpy_async copies 4, 8 or 16 bytes");
  if (zfill > size) ::uvgl_emu::kernelTrap("__pipeline_memcpy_async: zero-fill larger than the copy");
  if (c->pendingCount == ::uvgl_emu::kMaxPendingCopies)
    ::uvgl_emu::kernelTrap("more than 64 async copies pending: commit and wait");
  c->pending[c->pendingCount++] = {dst, src, (uint32_t)size, (uint32_t)zfill, c->batch};
}
inline void __pipeline_commit() { ++::uvgl_emu::current->batch; }
inline void __pipeline_wait_prior(size_t prior) {
  auto* c = ::uvgl_emu::current;
  int kept = 0;
  for (int i = 0; i < c->pendingCount; ++i) {
    ::uvgl_emu::PendingCopy& p = c->pending[i];
    if ((size_t)p.batch + prior < c->batch) {
      std::memcpy(p.dst, p.src, p.bytes - p.zfill);
      std::memset(static_cast<char*>(p.dst) + (p.bytes - p.zfill), 0, p.zfill);
    } else {
      c->pending[kept++] = p;
    }
  }
  c->pendingCount = kept;
}

#include "emu_wmma.h"

// Outside the emulator's feature set, so they must not build (CUDA's host headers would accept them
// as ignored attributes): shared memory goes through UVGL_SHARED, constants through pointers.
#undef __shared__
#define __shared__ uvgl_emu_error_bare___shared___is_not_allowed_use_UVGL_SHARED
#undef __constant__
#define __constant__ uvgl_emu_error___constant___is_not_allowed_pass_a_pointer
