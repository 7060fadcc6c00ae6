// The slice of the CUDA driver ABI the stand-in implements, under names of its own: cuda.h's version macros
// (cuMemAlloc -> cuMemAlloc_v2, per-thread-stream renames) would otherwise rename the very symbols JCuda
// imports. abi_check.c holds every value here equal to cuda.h's, so a drift fails the build.
#pragma once
#include <stdint.h>

typedef int si_result;
typedef int si_device;
typedef uint64_t si_deviceptr;
typedef struct si_context* si_context;
typedef struct si_module* si_module;
typedef struct si_function* si_function;
typedef struct si_stream* si_stream;
typedef struct si_event* si_event;

enum {
  SI_SUCCESS = 0,
  SI_ERROR_INVALID_VALUE = 1,
  SI_ERROR_OUT_OF_MEMORY = 2,
  SI_ERROR_NOT_INITIALIZED = 3,
  SI_ERROR_INVALID_DEVICE = 101,
  SI_ERROR_INVALID_IMAGE = 200,
  SI_ERROR_INVALID_CONTEXT = 201,
  SI_ERROR_NO_BINARY_FOR_GPU = 209,
  SI_ERROR_INVALID_HANDLE = 400,
  SI_ERROR_NOT_FOUND = 500,
  SI_ERROR_NOT_READY = 600,
  SI_ERROR_ILLEGAL_ADDRESS = 700,
  SI_ERROR_LAUNCH_OUT_OF_RESOURCES = 701,
  SI_ERROR_NOT_SUPPORTED = 801,
};

enum {
  SI_DEV_MAX_THREADS_PER_BLOCK = 1,
  SI_DEV_MAX_BLOCK_DIM_X = 2,
  SI_DEV_MAX_BLOCK_DIM_Y = 3,
  SI_DEV_MAX_BLOCK_DIM_Z = 4,
  SI_DEV_MAX_GRID_DIM_X = 5,
  SI_DEV_MAX_GRID_DIM_Y = 6,
  SI_DEV_MAX_GRID_DIM_Z = 7,
  SI_DEV_MAX_SHARED_MEMORY_PER_BLOCK = 8,
  SI_DEV_TOTAL_CONSTANT_MEMORY = 9,
  SI_DEV_WARP_SIZE = 10,
  SI_DEV_MAX_REGISTERS_PER_BLOCK = 12,
  SI_DEV_MULTIPROCESSOR_COUNT = 16,
  SI_DEV_MAX_THREADS_PER_MULTIPROCESSOR = 39,
  SI_DEV_UNIFIED_ADDRESSING = 41,
  SI_DEV_COMPUTE_CAPABILITY_MAJOR = 75,
  SI_DEV_COMPUTE_CAPABILITY_MINOR = 76,
  SI_DEV_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR = 81,
  SI_DEV_MAX_REGISTERS_PER_MULTIPROCESSOR = 82,
  SI_DEV_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97,
  SI_DEV_RESERVED_SHARED_MEMORY_PER_BLOCK = 111,
};

enum {
  SI_FUNC_MAX_THREADS_PER_BLOCK = 0,
  SI_FUNC_SHARED_SIZE_BYTES = 1,
  SI_FUNC_CONST_SIZE_BYTES = 2,
  SI_FUNC_LOCAL_SIZE_BYTES = 3,
  SI_FUNC_NUM_REGS = 4,
  SI_FUNC_PTX_VERSION = 5,
  SI_FUNC_BINARY_VERSION = 6,
  SI_FUNC_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8,
  SI_FUNC_PREFERRED_SHARED_MEMORY_CARVEOUT = 9,
};

enum { SI_EVENT_DISABLE_TIMING = 0x2 };
