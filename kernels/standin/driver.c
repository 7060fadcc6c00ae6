// The stand-in libcuda.so.1: the driver calls the engine makes, on host memory, with sm_90's launch limits and
// no kernel body. Device memory is anonymous memory mapped without reserve, so a full-scale run (ConvNeXt-tiny,
// 384 px, batch 64) costs only the pages the host really copies. Every refusal returns the real driver's error
// code and prints one line, "uvgl stand-in driver: ...", naming the limit that was broken.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "cubin.h"
#include "driver_abi.h"

#define API __attribute__((visibility("default")))

// sm_90 (H100 / H200), as the real driver reports it.
enum {
  MAX_THREADS = 1024,
  MAX_BLOCK_X = 1024,
  MAX_BLOCK_Y = 1024,
  MAX_BLOCK_Z = 64,
  MAX_GRID_X = 2147483647,
  MAX_GRID_YZ = 65535,
  SHARED_DEFAULT = 48 * 1024,
  SHARED_OPTIN = 227 * 1024,
  REGISTERS_PER_BLOCK = 65536,
  REGISTER_GRANULE = 256,  // registers are allocated per warp in units of 256
  SMS = 132,
  DRIVER_VERSION = 13000,
};

struct si_context { int alive; };
struct si_module {
  si_context ctx;
  standin_kernel* kernels;
  size_t count;
  struct si_function* functions;
};
struct si_function {
  si_module module;
  const standin_kernel* kernel;
  unsigned max_dynamic_shared;
};
struct si_stream { si_context ctx; };
struct si_event {
  si_context ctx;
  unsigned flags;
  int recorded;
  double ms;
};

typedef struct {
  uint64_t base, size;
} allocation;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static __thread si_context current;
static int initialised;
static allocation* allocations;  // sorted by base
static size_t allocation_count, allocation_room;
static uint64_t allocated, peak, capacity;
static unsigned long long launches, refused;

static void vsay(const char* format, va_list args) {
  fprintf(stderr, "uvgl stand-in driver: ");
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
}

static void say(const char* format, ...) {
  va_list args;
  va_start(args, format);
  vsay(format, args);
  va_end(args);
}

static si_result refuse(si_result code, const char* format, ...) {
  va_list args;
  va_start(args, format);
  vsay(format, args);
  va_end(args);
  return code;
}

// UVGL_STANDIN_MEMORY (bytes, or with K/M/G) sizes the device, to reach out-of-memory paths; default an H200's.
static uint64_t device_capacity(void) {
  const char* text = getenv("UVGL_STANDIN_MEMORY");
  if (text == NULL || *text == 0) return 143771ull << 20;
  char* end;
  double v = strtod(text, &end);
  switch (*end) {
    case 'G': case 'g': v *= 1024;  // fall through
    case 'M': case 'm': v *= 1024;  // fall through
    case 'K': case 'k': v *= 1024;
  }
  return (uint64_t)v;
}

static si_result need_context(const char* call) {
  if (!initialised) return refuse(SI_ERROR_NOT_INITIALIZED, "%s before cuInit", call);
  if (current == NULL) return refuse(SI_ERROR_INVALID_CONTEXT, "%s with no current context on this thread", call);
  if (!current->alive) return refuse(SI_ERROR_INVALID_CONTEXT, "%s on a destroyed context", call);
  return SI_SUCCESS;
}

static si_result need_stream(const char* call, si_stream s) {
  si_result r = need_context(call);
  if (r != SI_SUCCESS) return r;
  if (s != NULL && s->ctx != current) return refuse(SI_ERROR_INVALID_HANDLE, "%s on a stream of another context", call);
  return SI_SUCCESS;
}

// ---- device memory: a sorted table of live allocations, for range checks on every copy and pointer argument

static size_t first_above(uint64_t address) {
  size_t lo = 0, hi = allocation_count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (allocations[mid].base <= address) lo = mid + 1; else hi = mid;
  }
  return lo;
}

static const allocation* containing(uint64_t address, uint64_t bytes) {
  size_t i = first_above(address);
  if (i == 0) return NULL;
  const allocation* a = &allocations[i - 1];
  return address + bytes <= a->base + a->size ? a : NULL;
}

static si_result check_range(const char* call, uint64_t address, uint64_t bytes) {
  pthread_mutex_lock(&lock);
  const allocation* a = containing(address, bytes);
  pthread_mutex_unlock(&lock);
  if (a == NULL)
    return refuse(SI_ERROR_INVALID_VALUE, "%s: %llu bytes at 0x%llx do not lie inside one live allocation", call,
                  (unsigned long long)bytes, (unsigned long long)address);
  return SI_SUCCESS;
}

API si_result cuMemAlloc_v2(si_deviceptr* p, size_t bytes) {
  si_result r = need_context("cuMemAlloc");
  if (r != SI_SUCCESS) return r;
  if (p == NULL || bytes == 0) return refuse(SI_ERROR_INVALID_VALUE, "cuMemAlloc of 0 bytes or into NULL");
  size_t rounded = (bytes + 4095) & ~(size_t)4095;
  pthread_mutex_lock(&lock);
  if (allocated + rounded > capacity) {
    pthread_mutex_unlock(&lock);
    return refuse(SI_ERROR_OUT_OF_MEMORY, "cuMemAlloc of %zu bytes: %llu of %llu in use", bytes,
                  (unsigned long long)allocated, (unsigned long long)capacity);
  }
  void* m = mmap(NULL, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED) {
    pthread_mutex_unlock(&lock);
    return refuse(SI_ERROR_OUT_OF_MEMORY, "cuMemAlloc of %zu bytes: the host refused the mapping", bytes);
  }
  if (allocation_count == allocation_room) {
    allocation_room = allocation_room ? 2 * allocation_room : 1024;
    allocations = realloc(allocations, allocation_room * sizeof(allocation));
  }
  uint64_t base = (uint64_t)(uintptr_t)m;
  size_t at = first_above(base);
  memmove(&allocations[at + 1], &allocations[at], (allocation_count - at) * sizeof(allocation));
  allocations[at] = (allocation){base, bytes};
  allocation_count++;
  allocated += rounded;
  if (allocated > peak) peak = allocated;
  pthread_mutex_unlock(&lock);
  *p = base;
  return SI_SUCCESS;
}

API si_result cuMemFree_v2(si_deviceptr p) {
  si_result r = need_context("cuMemFree");
  if (r != SI_SUCCESS) return r;
  pthread_mutex_lock(&lock);
  size_t i = first_above(p);
  if (i == 0 || allocations[i - 1].base != p) {
    pthread_mutex_unlock(&lock);
    return refuse(SI_ERROR_INVALID_VALUE, "cuMemFree of 0x%llx, which is not a live allocation",
                  (unsigned long long)p);
  }
  size_t rounded = (allocations[i - 1].size + 4095) & ~(size_t)4095;
  munmap((void*)(uintptr_t)p, rounded);
  memmove(&allocations[i - 1], &allocations[i], (allocation_count - i) * sizeof(allocation));
  allocation_count--;
  allocated -= rounded;
  pthread_mutex_unlock(&lock);
  return SI_SUCCESS;
}

API si_result cuMemGetInfo_v2(size_t* free_bytes, size_t* total) {
  si_result r = need_context("cuMemGetInfo");
  if (r != SI_SUCCESS) return r;
  pthread_mutex_lock(&lock);
  *free_bytes = capacity - allocated;
  *total = capacity;
  pthread_mutex_unlock(&lock);
  return SI_SUCCESS;
}

API si_result cuMemAllocHost_v2(void** p, size_t bytes) {
  si_result r = need_context("cuMemAllocHost");
  if (r != SI_SUCCESS) return r;
  if (p == NULL || bytes == 0) return refuse(SI_ERROR_INVALID_VALUE, "cuMemAllocHost of 0 bytes or into NULL");
  if (posix_memalign(p, 4096, bytes) != 0) return refuse(SI_ERROR_OUT_OF_MEMORY, "cuMemAllocHost of %zu", bytes);
  return SI_SUCCESS;
}

API si_result cuMemFreeHost(void* p) {
  si_result r = need_context("cuMemFreeHost");
  if (r != SI_SUCCESS) return r;
  free(p);
  return SI_SUCCESS;
}

static si_result copy(const char* call, si_stream s, void* dst, const void* src, size_t bytes, int dst_device,
                      int src_device) {
  si_result r = need_stream(call, s);
  if (r != SI_SUCCESS) return r;
  if (dst_device && (r = check_range(call, (uint64_t)(uintptr_t)dst, bytes)) != SI_SUCCESS) return r;
  if (src_device && (r = check_range(call, (uint64_t)(uintptr_t)src, bytes)) != SI_SUCCESS) return r;
  if (bytes && (dst == NULL || src == NULL)) return refuse(SI_ERROR_INVALID_VALUE, "%s with a NULL host pointer", call);
  memmove(dst, src, bytes);
  return SI_SUCCESS;
}

#define D(p) ((void*)(uintptr_t)(p))
API si_result cuMemcpyHtoD_v2(si_deviceptr d, const void* h, size_t n) {
  return copy("cuMemcpyHtoD", NULL, D(d), h, n, 1, 0);
}
API si_result cuMemcpyDtoH_v2(void* h, si_deviceptr d, size_t n) {
  return copy("cuMemcpyDtoH", NULL, h, D(d), n, 0, 1);
}
API si_result cuMemcpyDtoD_v2(si_deviceptr a, si_deviceptr b, size_t n) {
  return copy("cuMemcpyDtoD", NULL, D(a), D(b), n, 1, 1);
}
API si_result cuMemcpyHtoDAsync_v2(si_deviceptr d, const void* h, size_t n, si_stream s) {
  return copy("cuMemcpyHtoDAsync", s, D(d), h, n, 1, 0);
}
API si_result cuMemcpyDtoHAsync_v2(void* h, si_deviceptr d, size_t n, si_stream s) {
  return copy("cuMemcpyDtoHAsync", s, h, D(d), n, 0, 1);
}
API si_result cuMemcpyDtoDAsync_v2(si_deviceptr a, si_deviceptr b, size_t n, si_stream s) {
  return copy("cuMemcpyDtoDAsync", s, D(a), D(b), n, 1, 1);
}

// ---- driver, device and context

API si_result cuInit(unsigned flags) {
  if (flags != 0) return refuse(SI_ERROR_INVALID_VALUE, "cuInit flags must be 0");
  pthread_mutex_lock(&lock);
  if (!initialised) capacity = device_capacity();
  initialised = 1;
  pthread_mutex_unlock(&lock);
  return SI_SUCCESS;
}

API si_result cuDriverGetVersion(int* v) {
  *v = DRIVER_VERSION;
  return SI_SUCCESS;
}

static si_result need_device(const char* call, si_device d) {
  if (!initialised) return refuse(SI_ERROR_NOT_INITIALIZED, "%s before cuInit", call);
  if (d != 0) return refuse(SI_ERROR_INVALID_DEVICE, "%s of device %d: the stand-in has one device, 0", call, d);
  return SI_SUCCESS;
}

API si_result cuDeviceGetCount(int* n) {
  if (!initialised) return refuse(SI_ERROR_NOT_INITIALIZED, "cuDeviceGetCount before cuInit");
  *n = 1;
  return SI_SUCCESS;
}

API si_result cuDeviceGet(si_device* d, int ordinal) {
  si_result r = need_device("cuDeviceGet", ordinal);
  if (r == SI_SUCCESS) *d = ordinal;
  return r;
}

API si_result cuDeviceGetName(char* name, int len, si_device d) {
  si_result r = need_device("cuDeviceGetName", d);
  if (r == SI_SUCCESS) snprintf(name, (size_t)len, "UVGL stand-in driver (sm_90 limits, no kernel runs)");
  return r;
}

API si_result cuDeviceTotalMem_v2(size_t* bytes, si_device d) {
  si_result r = need_device("cuDeviceTotalMem", d);
  if (r == SI_SUCCESS) *bytes = capacity;
  return r;
}

API si_result cuDeviceGetAttribute(int* v, int attribute, si_device d) {
  si_result r = need_device("cuDeviceGetAttribute", d);
  if (r != SI_SUCCESS) return r;
  switch (attribute) {
    case SI_DEV_MAX_THREADS_PER_BLOCK: *v = MAX_THREADS; break;
    case SI_DEV_MAX_BLOCK_DIM_X: *v = MAX_BLOCK_X; break;
    case SI_DEV_MAX_BLOCK_DIM_Y: *v = MAX_BLOCK_Y; break;
    case SI_DEV_MAX_BLOCK_DIM_Z: *v = MAX_BLOCK_Z; break;
    case SI_DEV_MAX_GRID_DIM_X: *v = MAX_GRID_X; break;
    case SI_DEV_MAX_GRID_DIM_Y: case SI_DEV_MAX_GRID_DIM_Z: *v = MAX_GRID_YZ; break;
    case SI_DEV_MAX_SHARED_MEMORY_PER_BLOCK: *v = SHARED_DEFAULT; break;
    case SI_DEV_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN: *v = SHARED_OPTIN; break;
    case SI_DEV_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR: *v = 228 * 1024; break;
    case SI_DEV_RESERVED_SHARED_MEMORY_PER_BLOCK: *v = 1024; break;
    case SI_DEV_TOTAL_CONSTANT_MEMORY: *v = 65536; break;
    case SI_DEV_WARP_SIZE: *v = 32; break;
    case SI_DEV_MAX_REGISTERS_PER_BLOCK: case SI_DEV_MAX_REGISTERS_PER_MULTIPROCESSOR: *v = REGISTERS_PER_BLOCK; break;
    case SI_DEV_MULTIPROCESSOR_COUNT: *v = SMS; break;
    case SI_DEV_MAX_THREADS_PER_MULTIPROCESSOR: *v = 2048; break;
    case SI_DEV_UNIFIED_ADDRESSING: *v = 1; break;
    case SI_DEV_COMPUTE_CAPABILITY_MAJOR: *v = 9; break;
    case SI_DEV_COMPUTE_CAPABILITY_MINOR: *v = 0; break;
    default: return refuse(SI_ERROR_NOT_SUPPORTED, "cuDeviceGetAttribute(%d) is not implemented", attribute);
  }
  return SI_SUCCESS;
}

API si_result cuCtxCreate_v2(si_context* ctx, unsigned flags, si_device d) {
  (void)flags;
  si_result r = need_device("cuCtxCreate", d);
  if (r != SI_SUCCESS) return r;
  *ctx = calloc(1, sizeof(struct si_context));
  (*ctx)->alive = 1;
  current = *ctx;
  return SI_SUCCESS;
}

API si_result cuCtxDestroy_v2(si_context ctx) {
  if (ctx == NULL || !ctx->alive) return refuse(SI_ERROR_INVALID_CONTEXT, "cuCtxDestroy of a dead context");
  // The handle stays allocated (dead), so a thread that still holds it as current is refused, not crashed.
  ctx->alive = 0;
  if (current == ctx) current = NULL;
  return SI_SUCCESS;
}

// UVGL_STANDIN_SUMMARY=1: one line at process exit for tests to read (a JVM need not destroy its context).
__attribute__((destructor)) static void summary(void) {
  if (getenv("UVGL_STANDIN_SUMMARY") && initialised)
    say("%llu launches, %llu refused; peak %.2f GiB allocated, %.2f GiB allocated at exit", launches, refused,
        peak / 1073741824.0, allocated / 1073741824.0);
}

API si_result cuCtxSetCurrent(si_context ctx) {
  if (!initialised) return refuse(SI_ERROR_NOT_INITIALIZED, "cuCtxSetCurrent before cuInit");
  if (ctx != NULL && !ctx->alive) return refuse(SI_ERROR_INVALID_CONTEXT, "cuCtxSetCurrent of a destroyed context");
  current = ctx;
  return SI_SUCCESS;
}

API si_result cuCtxGetCurrent(si_context* ctx) {
  if (!initialised) return refuse(SI_ERROR_NOT_INITIALIZED, "cuCtxGetCurrent before cuInit");
  *ctx = current;
  return SI_SUCCESS;
}

API si_result cuCtxSynchronize(void) { return need_context("cuCtxSynchronize"); }

// ---- streams and events: work is done when it is queued, so every wait returns at once

API si_result cuStreamCreate(si_stream* s, unsigned flags) {
  (void)flags;
  si_result r = need_context("cuStreamCreate");
  if (r != SI_SUCCESS) return r;
  *s = calloc(1, sizeof(struct si_stream));
  (*s)->ctx = current;
  return SI_SUCCESS;
}

API si_result cuStreamDestroy_v2(si_stream s) {
  si_result r = need_stream("cuStreamDestroy", s);
  if (r == SI_SUCCESS) free(s);
  return r;
}

API si_result cuStreamSynchronize(si_stream s) { return need_stream("cuStreamSynchronize", s); }
API si_result cuStreamQuery(si_stream s) { return need_stream("cuStreamQuery", s); }

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

API si_result cuEventCreate(si_event* e, unsigned flags) {
  si_result r = need_context("cuEventCreate");
  if (r != SI_SUCCESS) return r;
  *e = calloc(1, sizeof(struct si_event));
  (*e)->ctx = current;
  (*e)->flags = flags;
  return SI_SUCCESS;
}

static si_result need_event(const char* call, si_event e) {
  si_result r = need_context(call);
  if (r != SI_SUCCESS) return r;
  if (e == NULL || e->ctx != current) return refuse(SI_ERROR_INVALID_HANDLE, "%s of an event of another context", call);
  return SI_SUCCESS;
}

API si_result cuEventRecord(si_event e, si_stream s) {
  si_result r = need_event("cuEventRecord", e);
  if (r == SI_SUCCESS) r = need_stream("cuEventRecord", s);
  if (r != SI_SUCCESS) return r;
  e->recorded = 1;
  e->ms = now_ms();
  return SI_SUCCESS;
}

API si_result cuEventSynchronize(si_event e) { return need_event("cuEventSynchronize", e); }
API si_result cuEventQuery(si_event e) { return need_event("cuEventQuery", e); }

API si_result cuEventElapsedTime(float* ms, si_event from, si_event to) {
  si_result r = need_event("cuEventElapsedTime", from);
  if (r == SI_SUCCESS) r = need_event("cuEventElapsedTime", to);
  if (r != SI_SUCCESS) return r;
  if ((from->flags | to->flags) & SI_EVENT_DISABLE_TIMING)
    return refuse(SI_ERROR_INVALID_HANDLE, "cuEventElapsedTime of an event made with CU_EVENT_DISABLE_TIMING");
  if (!from->recorded || !to->recorded) return refuse(SI_ERROR_NOT_READY, "cuEventElapsedTime of an unrecorded event");
  *ms = (float)(to->ms - from->ms);
  return SI_SUCCESS;
}

API si_result cuStreamWaitEvent(si_stream s, si_event e, unsigned flags) {
  (void)flags;
  si_result r = need_stream("cuStreamWaitEvent", s);
  return r == SI_SUCCESS ? need_event("cuStreamWaitEvent", e) : r;
}

API si_result cuEventDestroy_v2(si_event e) {
  si_result r = need_event("cuEventDestroy", e);
  if (r == SI_SUCCESS) free(e);
  return r;
}

// ---- modules and functions

API si_result cuModuleLoadData(si_module* m, const void* image) {
  si_result r = need_context("cuModuleLoadData");
  if (r != SI_SUCCESS) return r;
  char why[200];
  size_t count;
  standin_kernel* kernels = standin_parse_image(image, &count, why, sizeof why);
  if (kernels == NULL) return refuse(SI_ERROR_NO_BINARY_FOR_GPU, "cuModuleLoadData: %s", why);
  *m = calloc(1, sizeof(struct si_module));
  (*m)->ctx = current;
  (*m)->kernels = kernels;
  (*m)->count = count;
  (*m)->functions = calloc(count ? count : 1, sizeof(struct si_function));
  for (size_t i = 0; i < count; i++) {
    struct si_function* f = &(*m)->functions[i];
    f->module = *m;
    f->kernel = &kernels[i];
    f->max_dynamic_shared = SHARED_DEFAULT - kernels[i].static_shared;
  }
  return SI_SUCCESS;
}

API si_result cuModuleLoadDataEx(si_module* m, const void* image, unsigned n, void* options, void** values) {
  (void)n, (void)options, (void)values;
  return cuModuleLoadData(m, image);
}

API si_result cuModuleUnload(si_module m) {
  si_result r = need_context("cuModuleUnload");
  if (r != SI_SUCCESS) return r;
  if (m == NULL || m->ctx != current) return refuse(SI_ERROR_INVALID_HANDLE, "cuModuleUnload of a foreign module");
  free(m->functions);
  free(m->kernels);
  free(m);
  return SI_SUCCESS;
}

API si_result cuModuleGetFunction(si_function* f, si_module m, const char* name) {
  si_result r = need_context("cuModuleGetFunction");
  if (r != SI_SUCCESS) return r;
  if (m == NULL || m->ctx != current) return refuse(SI_ERROR_INVALID_HANDLE, "cuModuleGetFunction on a foreign module");
  for (size_t i = 0; i < m->count; i++)
    if (strcmp(m->kernels[i].name, name) == 0) {
      *f = &m->functions[i];
      return SI_SUCCESS;
    }
  return refuse(SI_ERROR_NOT_FOUND, "cuModuleGetFunction: no kernel named %s in the module", name);
}

// Threads a block can have given the kernel's registers: 64K registers a block, allocated per warp.
static unsigned register_limited_threads(const standin_kernel* k) {
  if (k->registers == 0) return MAX_THREADS;
  unsigned per_warp = (k->registers * 32 + REGISTER_GRANULE - 1) / REGISTER_GRANULE * REGISTER_GRANULE;
  unsigned threads = REGISTERS_PER_BLOCK / per_warp * 32;
  return threads < MAX_THREADS ? threads : MAX_THREADS;
}

static unsigned max_threads(const standin_kernel* k) {
  unsigned t = register_limited_threads(k);
  return k->max_threads && k->max_threads < t ? k->max_threads : t;
}

API si_result cuFuncGetAttribute(int* v, int attribute, si_function f) {
  si_result r = need_context("cuFuncGetAttribute");
  if (r != SI_SUCCESS) return r;
  const standin_kernel* k = f->kernel;
  switch (attribute) {
    case SI_FUNC_MAX_THREADS_PER_BLOCK: *v = (int)max_threads(k); break;
    case SI_FUNC_SHARED_SIZE_BYTES: *v = (int)k->static_shared; break;
    case SI_FUNC_NUM_REGS: *v = (int)k->registers; break;
    case SI_FUNC_MAX_DYNAMIC_SHARED_SIZE_BYTES: *v = (int)f->max_dynamic_shared; break;
    case SI_FUNC_BINARY_VERSION: *v = 90; break;
    case SI_FUNC_CONST_SIZE_BYTES: case SI_FUNC_LOCAL_SIZE_BYTES: *v = 0; break;
    default: return refuse(SI_ERROR_NOT_SUPPORTED, "cuFuncGetAttribute(%d) is not implemented", attribute);
  }
  return SI_SUCCESS;
}

API si_result cuFuncSetAttribute(si_function f, int attribute, int value) {
  si_result r = need_context("cuFuncSetAttribute");
  if (r != SI_SUCCESS) return r;
  if (attribute == SI_FUNC_PREFERRED_SHARED_MEMORY_CARVEOUT) return SI_SUCCESS;
  if (attribute != SI_FUNC_MAX_DYNAMIC_SHARED_SIZE_BYTES)
    return refuse(SI_ERROR_NOT_SUPPORTED, "cuFuncSetAttribute(%d) is not implemented", attribute);
  if (value < 0 || f->kernel->static_shared + (unsigned)value > SHARED_OPTIN)
    return refuse(SI_ERROR_INVALID_VALUE, "%s: %d dynamic + %u static shared bytes exceed sm_90's %d opt-in",
                  f->kernel->name, value, f->kernel->static_shared, SHARED_OPTIN);
  f->max_dynamic_shared = (unsigned)value;
  return SI_SUCCESS;
}

// An 8-byte argument in [4 GiB, 2^47), where x86-64 user space maps memory, is taken as a device pointer: the
// engine's 8-byte scalars are counts (below) or the bits of normal doubles (2^52 and above). One that points into
// no live allocation would fault on the GPU.
static si_result check_pointer_arguments(const standin_kernel* k, void** params) {
  for (unsigned i = 0; i < k->params; i++) {
    if (k->param_size[i] != 8) continue;
    uint64_t v;
    memcpy(&v, params[i], 8);
    if (v < (1ull << 32) || v >= (1ull << 47)) continue;
    pthread_mutex_lock(&lock);
    const allocation* a = containing(v, 0);
    pthread_mutex_unlock(&lock);
    if (a == NULL)
      return refuse(SI_ERROR_ILLEGAL_ADDRESS, "%s: argument %u, 0x%llx, points into no live allocation", k->name, i,
                    (unsigned long long)v);
  }
  return SI_SUCCESS;
}

static si_result check_launch(si_function f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                              unsigned bz, unsigned shared, si_stream s, void** params, void** extra) {
  si_result r = need_stream("cuLaunchKernel", s);
  if (r != SI_SUCCESS) return r;
  if (f == NULL) return refuse(SI_ERROR_INVALID_HANDLE, "cuLaunchKernel of a NULL function");
  const standin_kernel* k = f->kernel;
  if (f->module->ctx != current)
    return refuse(SI_ERROR_INVALID_CONTEXT, "%s: launched in a context other than its module's", k->name);
  if (gx == 0 || gy == 0 || gz == 0 || gx > MAX_GRID_X || gy > MAX_GRID_YZ || gz > MAX_GRID_YZ)
    return refuse(SI_ERROR_INVALID_VALUE, "%s: grid (%u, %u, %u) outside sm_90's (1..%d, 1..%d, 1..%d)", k->name, gx,
                  gy, gz, MAX_GRID_X, MAX_GRID_YZ, MAX_GRID_YZ);
  unsigned long long threads = (unsigned long long)bx * by * bz;
  if (bx == 0 || by == 0 || bz == 0 || bx > MAX_BLOCK_X || by > MAX_BLOCK_Y || bz > MAX_BLOCK_Z
      || threads > MAX_THREADS)
    return refuse(SI_ERROR_INVALID_VALUE, "%s: block (%u, %u, %u) outside sm_90's limits (%d threads)", k->name, bx,
                  by, bz, MAX_THREADS);
  if (k->max_threads && threads > k->max_threads)
    return refuse(SI_ERROR_INVALID_VALUE, "%s: block of %llu threads exceeds its __launch_bounds__ (%u)", k->name,
                  threads, k->max_threads);
  if (threads > register_limited_threads(k))
    return refuse(SI_ERROR_LAUNCH_OUT_OF_RESOURCES, "%s: %llu threads x %u registers exceed %d registers a block",
                  k->name, threads, k->registers, REGISTERS_PER_BLOCK);
  if (shared > f->max_dynamic_shared)
    return refuse(SI_ERROR_INVALID_VALUE,
                  "%s: %u dynamic shared bytes over the %u allowed (static %u; above %d needs "
                  "CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES)",
                  k->name, shared, f->max_dynamic_shared, k->static_shared, SHARED_DEFAULT);
  if (extra != NULL) return refuse(SI_ERROR_NOT_SUPPORTED, "%s: launch with `extra` is not implemented", k->name);
  if (k->params > 0 && params == NULL)
    return refuse(SI_ERROR_INVALID_VALUE, "%s: takes %u parameters but kernelParams is NULL", k->name, k->params);
  const char* planted = getenv("UVGL_STANDIN_FAIL_KERNEL");
  if (planted != NULL && strcmp(planted, k->name) == 0)
    return refuse(SI_ERROR_INVALID_VALUE, "%s: refused as planted by UVGL_STANDIN_FAIL_KERNEL", k->name);
  return check_pointer_arguments(k, params);
}

API si_result cuLaunchKernel(si_function f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                             unsigned bz, unsigned shared, si_stream s, void** params, void** extra) {
  si_result r = check_launch(f, gx, gy, gz, bx, by, bz, shared, s, params, extra);
  pthread_mutex_lock(&lock);
  if (r == SI_SUCCESS) launches++; else refused++;
  pthread_mutex_unlock(&lock);
  return r;
}

API si_result cuGetErrorName(si_result error, const char** name) {
  (void)error;
  *name = "CUDA_ERROR (stand-in driver: see its stderr line)";
  return SI_SUCCESS;
}

API si_result cuGetErrorString(si_result error, const char** text) { return cuGetErrorName(error, text); }

// Every other symbol JCuda imports is a weak trap (traps.c) that refuses with this line.
si_result standin_unimplemented(const char* name) {
  return refuse(SI_ERROR_NOT_SUPPORTED, "%s is not implemented by the stand-in (the engine should not call it)", name);
}
