// Shared by every kernel file. Under nvcc a launchable kernel is a plain extern "C" __global__ function
// (no C++ mangling, so the driver API finds it by name) and the registration macro is empty. Under the
// host compiler (the emulated device, kernels/emu/) the same source builds against emu.h, which supplies
// CUDA's execution model, and the registration records each kernel's signature and pointer roles.
#pragma once
#include <cstdint>

#ifdef __CUDACC__
#include <cuda_bf16.h>
#include <mma.h>
#include <cuda_pipeline.h>
#define UVGL_KERNEL extern "C" __global__
// UVGL_REGISTER(kernel, deterministic, "roles", max dynamic shared bytes): roles name each argument in
// order: in / out / inout for pointers, - for scalars. Only the emulator reads it.
#define UVGL_REGISTER(fn, deterministic, roles, maxDynamicShared)
// Shared memory only through these, so the emulator can carve and poison it per block.
#define UVGL_SHARED(type, name, count) __shared__ type name[count]
#define UVGL_SHARED_DYNAMIC(type, name)                              \
  extern __shared__ __align__(16) unsigned char uvgl_dynamic_smem_[]; \
  type* name = reinterpret_cast<type*>(uvgl_dynamic_smem_)
#else
#include "emu/emu.h"
#endif
