// The emulated device: CUDA's execution model on the CPU, built for checking kernels, not for speed.
// Every CUDA thread of a block is a fiber with its own stack; a fiber runs until it reaches a barrier
// (__syncthreads or a warp operation) or returns, then control comes back to the block's scheduler,
// which shuffles the order in which fibers run from a seed on every round. Blocks run on host threads
// owned by this library (never the JVM's calling thread), in a shuffled order. Global memory is host
// memory with NaN canaries around every allocation and a guard page beyond.
#include "emu.h"
#include "emu_device.h"
// The kernels' spelling of the indices is for kernels; here the fields are named directly.
#undef threadIdx
#undef blockIdx
#undef blockDim
#undef gridDim

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

// The fiber switch: saves the callee-saved registers, MXCSR and the x87 control word on the current
// stack, stores the stack pointer, loads the other one and restores the same set. No system call.
asm(R"(
.text
.globl uvgl_emu_switch
.hidden uvgl_emu_switch
.type uvgl_emu_switch,@function
uvgl_emu_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $8, %rsp
  stmxcsr (%rsp)
  fnstcw 4(%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  ldmxcsr (%rsp)
  fldcw 4(%rsp)
  addq $8, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
.size uvgl_emu_switch,.-uvgl_emu_switch
.globl uvgl_emu_fiber_start
.hidden uvgl_emu_fiber_start
.type uvgl_emu_fiber_start,@function
uvgl_emu_fiber_start:
  movq %r12, %rdi
  callq *%r13
  ud2
.size uvgl_emu_fiber_start,.-uvgl_emu_fiber_start
)");
extern "C" void uvgl_emu_switch(void** save, void* load);
extern "C" void uvgl_emu_fiber_start();

namespace uvgl_emu {

thread_local ThreadCtx* current __attribute__((tls_model("initial-exec"))) = nullptr;

namespace {

constexpr size_t kStack = 64 * 1024, kGuard = 4096, kMaxThreads = 1024, kFront = 256;
constexpr size_t kDefaultShared = 48 * 1024;
constexpr unsigned char kPoison = 0xFF;  // 0xFFFFFFFF is a float NaN, 0xFFFF a bf16 NaN

std::string format(const char* fmt, ...) {
  char buf[1024];
  va_list ap; va_start(ap, fmt); vsnprintf(buf, sizeof buf, fmt, ap); va_end(ap);
  return buf;
}

struct Kernel {
  std::string name; void* fn; Invoker invoke; std::string types, roles; bool deterministic; size_t maxDynamicShared;
};
std::vector<Kernel>& registry() { static std::vector<Kernel> r; return r; }

// ---- memory ----
struct Allocation {
  unsigned char* base; size_t mapLen; unsigned char* user; size_t size, dataEnd; long id; std::string label;
};
std::mutex memMutex;
std::map<uintptr_t, Allocation> allocations;  // by user address
size_t capacity = size_t(4) << 30, inUse = 0;
long nextAllocId = 1;
std::string lastError;

void armCanaries(Allocation& a) {
  std::memset(a.base, kPoison, kFront);
  std::memset(a.user + a.size, kPoison, a.dataEnd - kFront - a.size);
}

// The allocation that holds [p, p+bytes), or null.
Allocation* find(uintptr_t p, size_t bytes) {
  auto it = allocations.upper_bound(p);
  if (it == allocations.begin()) return nullptr;
  --it;
  Allocation& a = it->second;
  if (p >= (uintptr_t)a.user && p + bytes <= (uintptr_t)a.user + a.size) return &a;
  return nullptr;
}

// A zero-byte allocation holds no element, but a kernel may still be handed its address (n == 0).
bool isEmptyAllocation(uintptr_t p) {
  auto it = allocations.find(p);
  return it != allocations.end() && it->second.size == 0;
}

std::string describeCorruption(const Allocation& a, const char* kernel) {
  for (size_t i = 0; i < kFront; ++i)
    if (a.base[i] != kPoison)
      return format("kernel %s wrote before allocation #%ld '%s' (%zu bytes): byte offset %ld", kernel, a.id,
                    a.label.c_str(), a.size, (long)i - (long)kFront);
  for (size_t i = a.size; i < a.dataEnd - kFront; ++i)
    if (a.user[i] != kPoison)
      return format(
          "kernel %s wrote past the end of allocation #%ld '%s' (%zu bytes): byte offset %zu (%zu bytes past the end)",
          kernel, a.id, a.label.c_str(), a.size, i, i - a.size);
  return "";
}

// ---- fibers and blocks ----
enum State { READY, AT_BARRIER, AT_WARP, DONE, TRAPPED };

struct Launch;
struct Worker;

struct Fiber {
  ThreadCtx ctx;  // first, so current (a ThreadCtx*) is also the Fiber*
  void* sp;
  State state;
  int linear;
  WarpOpKind op; unsigned mask; uint64_t value, result; int arg, width;
  Worker* worker;
};

struct Launch {
  const Kernel* kernel;
  dim3 grid, block;
  size_t dynShared, arenaLimit;
  std::vector<uint64_t> argStorage;
  std::vector<void*> argPtrs;
  uint64_t seed;
  std::vector<long> blockOrder;
  std::atomic<long> next{0};
  std::atomic<bool> abort{false};
  std::mutex errorMutex;
  std::string error;
  void fail(const std::string& e) {
    std::lock_guard<std::mutex> g(errorMutex);
    if (error.empty()) error = e;
    abort = true;
  }
};

struct Rng {
  uint64_t s;
  uint64_t next() { uint64_t z = (s += 0x9E3779B97F4A7C15ull); z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
                    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull; return z ^ (z >> 31); }
  template <class T> void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[next() % i]);
  }
};

struct Worker {
  void* schedSp = nullptr;
  unsigned char* stacks = nullptr;
  std::vector<Fiber> fibers = std::vector<Fiber>(kMaxThreads);
  std::vector<unsigned char> arena;
  size_t poisonedTo = 0;
  Launch* launch = nullptr;
  std::atomic<long> runningBlock{-1}, runningThread{-1};
  std::thread thread;

  Worker() {
    stacks = static_cast<unsigned char*>(mmap(nullptr, kMaxThreads * (kStack + kGuard), PROT_READ | PROT_WRITE,
                                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
    if (stacks == MAP_FAILED) { perror("uvgl emu: fiber stacks"); abort(); }
    for (size_t i = 0; i < kMaxThreads; ++i) mprotect(stacks + i * (kStack + kGuard), kGuard, PROT_NONE);
  }

  static void fiberMain(Fiber* f) {
    Launch* L = f->worker->launch;
    L->kernel->invoke(L->kernel->fn, L->argPtrs.data());
    f->state = DONE;
    uvgl_emu_switch(&f->sp, f->worker->schedSp);
  }

  void startFiber(Fiber& f, int i) {
    unsigned char* top = stacks + i * (kStack + kGuard) + kGuard + kStack;
    uint64_t* sp = reinterpret_cast<uint64_t*>(top - 64 - 16);
    sp[0] = 0x1F80ull | (0x037Full << 32);  // default MXCSR and x87 control word
    sp[1] = 0; sp[2] = 0;                             // r15, r14
    sp[3] = reinterpret_cast<uint64_t>(&fiberMain);   // r13: entry
    sp[4] = reinterpret_cast<uint64_t>(&f);           // r12: its argument
    sp[5] = 0; sp[6] = 0;                             // rbx, rbp
    sp[7] = reinterpret_cast<uint64_t>(&uvgl_emu_fiber_start);
    f.sp = sp;
  }

  std::string where(const Fiber& f) const {
    return format("block (%u,%u,%u) thread (%u,%u,%u)", f.ctx.bid.x, f.ctx.bid.y, f.ctx.bid.z,
                  f.ctx.tid.x, f.ctx.tid.y, f.ctx.tid.z);
  }

  static const char* opName(WarpOpKind k) {
    switch (k) {
      case WARP_SHFL: return "__shfl_sync";
      case WARP_UP: return "__shfl_up_sync";
      case WARP_DOWN: return "__shfl_down_sync";
      case WARP_XOR: return "__shfl_xor_sync";
      case WARP_BALLOT: return "__ballot_sync";
      case WARP_ANY: return "__any_sync";
      case WARP_ALL: return "__all_sync";
      default: return "__syncwarp";
    }
  }

  void runBlock(long b) {
    Launch& L = *launch;
    const dim3 g = L.grid, bd = L.block;
    const int n = bd.x * bd.y * bd.z;
    uint3 bi{(unsigned)(b % g.x), (unsigned)(b / g.x % g.y), (unsigned)(b / ((long)g.x * g.y))};
    runningBlock = b;
    std::memset(arena.data(), kPoison, std::max(poisonedTo, L.dynShared));
    poisonedTo = std::max(poisonedTo, L.dynShared);
    for (int i = 0; i < n; ++i) {
      Fiber& f = fibers[i];
      f.ctx.tid = uint3{(unsigned)(i % bd.x), (unsigned)(i / bd.x % bd.y), (unsigned)(i / (bd.x * bd.y))};
      f.ctx.bid = bi; f.ctx.bdim = bd; f.ctx.gdim = g;
      f.ctx.sharedArena = arena.data();
      f.ctx.sharedCursor = (L.dynShared + 15) & ~size_t(15);
      f.ctx.sharedLimit = L.arenaLimit;
      f.ctx.pendingCount = 0; f.ctx.batch = 0;
      f.state = READY; f.linear = i; f.worker = this;
      startFiber(f, i);
    }
    Rng rng{L.seed ^ (0xD1B54A32D192ED03ull * (uint64_t)(b + 1))};
    std::vector<int> order(n);
    for (int i = 0; i < n; ++i) order[i] = i;
    for (;;) {
      rng.shuffle(order);
      for (int i : order) {
        Fiber& f = fibers[i];
        if (f.state != READY) continue;
        runningThread = i;
        current = &f.ctx;
        uvgl_emu_switch(&schedSp, f.sp);
        current = nullptr;
        if (f.state == TRAPPED || L.abort) return;
      }
      if (!releaseWarps(n) && !releaseBarrier(n)) return;
    }
  }

  // Completes every warp operation whose mask's lanes have all arrived at the same operation.
  // Returns true if some fiber became runnable; reports divergence when nothing can proceed.
  bool releaseWarps(int n) {
    bool progress = false, waiting = false;
    for (int i = 0; i < n; ++i) {
      Fiber& f = fibers[i];
      if (f.state != AT_WARP) continue;
      waiting = true;
      const int warp0 = i & ~31;
      bool complete = true;
      for (int l = 0; l < 32; ++l) {
        if (!(f.mask >> l & 1)) continue;
        int j = warp0 + l;
        if (j >= n) {
          launch->fail(format(
              "kernel %s: %s at %s names lane %d in mask 0x%08x, which does not exist in a block of %d threads",
              launch->kernel->name.c_str(), opName(f.op), where(f).c_str(), l, f.mask, n));
          return false;
        }
        const Fiber& o = fibers[j];
        if (o.state != AT_WARP || o.op != f.op || o.mask != f.mask) { complete = false; break; }
      }
      if (!complete) continue;
      uint64_t ballot = 0;
      for (int l = 0; l < 32; ++l) if (f.mask >> l & 1) ballot |= (fibers[warp0 + l].value ? 1ull : 0) << l;
      for (int l = 0; l < 32; ++l) {
        if (!(f.mask >> l & 1)) continue;
        Fiber& o = fibers[warp0 + l];
        const int w = o.width, seg = l & ~(w - 1);
        int src = l;
        switch (o.op) {
          case WARP_SHFL: src = seg + (o.arg & (w - 1)); break;
          case WARP_UP: src = l - o.arg < seg ? l : l - o.arg; break;
          case WARP_DOWN: src = l + o.arg >= seg + w ? l : l + o.arg; break;
          case WARP_XOR: src = (l ^ o.arg) >= seg + w || (l ^ o.arg) < seg ? l : l ^ o.arg; break;
          default: break;
        }
        if (!(o.mask >> src & 1)) {
          launch->fail(format("kernel %s: %s at %s reads lane %d, which is not in mask 0x%08x",
                              launch->kernel->name.c_str(), opName(o.op), where(o).c_str(), src, o.mask));
          return false;
        }
        switch (o.op) {
          case WARP_BALLOT: o.result = ballot; break;
          case WARP_ANY: o.result = ballot != 0; break;
          case WARP_ALL: o.result = ballot == (uint64_t)o.mask; break;
          default: o.result = fibers[warp0 + src].value;
        }
      }
      for (int l = 0; l < 32; ++l) if (f.mask >> l & 1) fibers[warp0 + l].state = READY;
      progress = true;
    }
    if (progress || !waiting) return progress;
    // Stuck: a warp operation waits for a lane that will never arrive at it.
    for (int i = 0; i < n; ++i) {
      Fiber& f = fibers[i];
      if (f.state != AT_WARP) continue;
      for (int l = 0; l < 32; ++l) {
        if (!(f.mask >> l & 1)) continue;
        const Fiber& o = fibers[(i & ~31) + l];
        if (o.state == AT_WARP && o.op == f.op && o.mask == f.mask) continue;
        std::string why = o.state == DONE ? "has returned"
            : o.state == AT_BARRIER ? "waits at __syncthreads (deadlock between a block barrier and a warp barrier)"
            : format("called %s with mask 0x%08x (lanes diverged)", opName(o.op), o.mask);
        launch->fail(format("kernel %s: %s with mask 0x%08x at %s waits for lane %d, which %s (%s)",
                            launch->kernel->name.c_str(), opName(f.op), f.mask, where(f).c_str(), l, why.c_str(),
                            where(o).c_str()));
        return false;
      }
    }
    return false;
  }

  // Releases __syncthreads once every thread of the block is there; false when the block is finished
  // or a barrier can never complete.
  bool releaseBarrier(int n) {
    int atBarrier = 0, done = 0, firstDone = -1, firstWaiting = -1;
    for (int i = 0; i < n; ++i) {
      if (fibers[i].state == AT_BARRIER) { ++atBarrier; if (firstWaiting < 0) firstWaiting = i; }
      else if (fibers[i].state == DONE) { ++done; if (firstDone < 0) firstDone = i; }
    }
    if (atBarrier == 0) return false;  // all returned: block finished
    if (done > 0) {
      launch->fail(format(
          "kernel %s: __syncthreads reached by %d of %d threads of block (%u,%u,%u); %d returned before it "
          "(first: %s); the waiting include %s", launch->kernel->name.c_str(), atBarrier, n,
          fibers[0].ctx.bid.x, fibers[0].ctx.bid.y, fibers[0].ctx.bid.z, done,
          where(fibers[firstDone]).c_str(), where(fibers[firstWaiting]).c_str()));
      return false;
    }
    for (int i = 0; i < n; ++i) fibers[i].state = READY;
    return true;
  }
};

// ---- the pool of host threads that run blocks ----
struct Pool {
  std::vector<Worker*> workers;
  std::mutex m;
  std::condition_variable wake, finished;
  Launch* launch = nullptr;
  long generation = 0;
  int running = 0;
  std::string broken;  // set by the watchdog: the device cannot be used again in this process

  void start(int threads) {
    for (int i = 0; i < threads; ++i) {
      Worker* w = new Worker();
      workers.push_back(w);
      w->thread = std::thread([this, w] { loop(w); });
      w->thread.detach();
    }
  }

  void loop(Worker* w) {
    long seen = 0;
    for (;;) {
      Launch* L;
      {
        std::unique_lock<std::mutex> g(m);
        wake.wait(g, [&] { return generation != seen; });
        seen = generation; L = launch;
      }
      w->launch = L;
      if (w->arena.size() < L->arenaLimit) { w->arena.assign(L->arenaLimit, kPoison); w->poisonedTo = 0; }
      for (long i; !L->abort && (i = L->next++) < (long)L->blockOrder.size();) w->runBlock(L->blockOrder[i]);
      w->runningBlock = -1; w->runningThread = -1;
      std::lock_guard<std::mutex> g(m);
      if (--running == 0) finished.notify_all();
    }
  }
};

Pool* pool = nullptr;
size_t threadsWanted = 0;
uint64_t seed = 1, launchCount = 0;
long watchdogMs = 60000;
std::mutex launchMutex;

Pool& thePool() {
  if (!pool) {
    pool = new Pool();
    size_t t = threadsWanted;
    if (t == 0) {
      const char* e = getenv("UVGL_EMU_THREADS");
      t = e ? strtoul(e, nullptr, 10) : std::thread::hardware_concurrency();
    }
    pool->start((int)std::max<size_t>(1, std::min<size_t>(t, 64)));
  }
  return *pool;
}

}  // namespace

// ---- calls from kernels ----
void syncthreads() {
  Fiber* f = reinterpret_cast<Fiber*>(current);
  f->state = AT_BARRIER;
  uvgl_emu_switch(&f->sp, f->worker->schedSp);
}

uint64_t warpOp(WarpOpKind kind, unsigned mask, uint64_t value, int arg, int width) {
  Fiber* f = reinterpret_cast<Fiber*>(current);
  if (!(mask >> (f->linear & 31) & 1))
    kernelTrap(format("%s with mask 0x%08x called by lane %d, which is not in its own mask", Worker::opName(kind),
                      mask, f->linear & 31).c_str());
  if (width <= 0 || width > 32 || (width & (width - 1)))
    kernelTrap(format("%s with width %d: width must be a power of two up to 32", Worker::opName(kind), width).c_str());
  f->op = kind; f->mask = mask; f->value = value; f->arg = arg; f->width = width;
  f->state = AT_WARP;
  uvgl_emu_switch(&f->sp, f->worker->schedSp);
  return f->result;
}

void* sharedDynamic() {
  return current->sharedArena;
}

void* sharedStatic(size_t bytes, size_t align, const char* name) {
  Fiber* f = reinterpret_cast<Fiber*>(current);
  size_t at = (current->sharedCursor + align - 1) & ~(align - 1);
  if (at + bytes > current->sharedLimit)
    kernelTrap(format("shared array '%s' (%zu bytes at offset %zu) exceeds the block's %zu bytes of shared memory",
                      name, bytes, at, current->sharedLimit).c_str());
  current->sharedCursor = at + bytes;
  Worker* w = f->worker;
  if (at + bytes > w->poisonedTo) {
    std::memset(w->arena.data() + w->poisonedTo, kPoison, at + bytes - w->poisonedTo);
    w->poisonedTo = at + bytes;
  }
  return current->sharedArena + at;
}

void kernelTrap(const char* what) {
  Fiber* f = reinterpret_cast<Fiber*>(current);
  Worker* w = f->worker;
  w->launch->fail(format("kernel %s at %s: %s", w->launch->kernel->name.c_str(), w->where(*f).c_str(), what));
  f->state = TRAPPED;
  uvgl_emu_switch(&f->sp, w->schedSp);
  __builtin_unreachable();
}

void registerKernel(const char* name, void* fn, Invoker invoke, const char* types, const char* roles, bool det,
                    size_t maxDyn) {
  registry().push_back(Kernel{name, fn, invoke, types, roles, det, maxDyn});
}

}  // namespace uvgl_emu

// ---- the device API (emu_device.h), used by the JNI layer ----
using namespace uvgl_emu;

std::string emuConfigure(long long cap, int threads, long long newSeed, long long watchdog) {
  std::lock_guard<std::mutex> g(memMutex);
  if (cap > 0) capacity = (size_t)cap;
  if (threads > 0) {
    if (pool && (int)pool->workers.size() != threads)
      return "the emulator's thread count is fixed once it has launched";
    threadsWanted = threads;
  }
  seed = (uint64_t)newSeed; launchCount = 0;
  if (watchdog > 0) watchdogMs = (long)watchdog;
  return "";
}

std::string emuLastError() { return lastError; }

uintptr_t emuAlloc(size_t bytes, const std::string& label) {
  std::lock_guard<std::mutex> g(memMutex);
  const size_t page = 4096, data = (kFront + bytes + 256 + page - 1) / page * page, len = data + page;
  if (inUse + len > capacity) {
    lastError = format("out of emulated device memory: %zu bytes asked for '%s', %zu of %zu bytes in use",
                       bytes, label.c_str(), inUse, capacity);
    return 0;
  }
  void* base = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) { lastError = format("mmap of %zu bytes failed", len); return 0; }
  unsigned char* b = static_cast<unsigned char*>(base);
  mprotect(b + data, page, PROT_NONE);  // guard page: a larger overrun crashes instead of corrupting
  Allocation a{b, len, b + kFront, bytes, data, nextAllocId++, label};
  std::memset(a.user, kPoison, bytes);
  armCanaries(a);
  inUse += len;
  allocations[(uintptr_t)a.user] = a;
  return (uintptr_t)a.user;
}

std::string emuFree(uintptr_t p) {
  std::lock_guard<std::mutex> g(memMutex);
  auto it = allocations.find(p);
  if (it == allocations.end())
    return format("free of 0x%lx, which is not the start of an emulated allocation", (unsigned long)p);
  munmap(it->second.base, it->second.mapLen);
  inUse -= it->second.mapLen;
  allocations.erase(it);
  return "";
}

std::string emuArm(uintptr_t p, size_t size) {
  std::lock_guard<std::mutex> g(memMutex);
  auto it = allocations.find(p);
  if (it == allocations.end()) return "arm: not the start of an emulated allocation";
  Allocation& a = it->second;
  if (size > a.dataEnd - kFront - 1) return format("arm: %zu bytes do not fit allocation #%ld", size, a.id);
  a.size = size;
  armCanaries(a);
  return "";
}

std::string emuPoison(uintptr_t p) {
  std::lock_guard<std::mutex> g(memMutex);
  auto it = allocations.find(p);
  if (it == allocations.end()) return "poison: not the start of an emulated allocation";
  std::memset(it->second.user, kPoison, it->second.dataEnd - kFront);
  return "";
}

std::string emuCheckRange(uintptr_t p, size_t bytes, const char* what) {
  std::lock_guard<std::mutex> g(memMutex);
  if (bytes == 0) return "";
  if (!find(p, bytes))
    return format("%s of %zu bytes at 0x%lx is not inside one emulated allocation", what, bytes, (unsigned long)p);
  return "";
}

size_t emuInUse() { std::lock_guard<std::mutex> g(memMutex); return inUse; }
size_t emuCapacity() { std::lock_guard<std::mutex> g(memMutex); return capacity; }

std::string emuRegistry() {
  std::string s;
  for (const Kernel& k : registry())
    s += k.name + "|" + k.types + "|" + k.roles + "|" + (k.deterministic ? "deterministic" : "nondeterministic") + "|" +
         std::to_string(k.maxDynamicShared) + "\n";
  return s;
}

std::string emuLaunch(const std::string& name, const unsigned dims[6], size_t dynShared, const int64_t* args,
                      const char* types, size_t nargs) {
  std::lock_guard<std::mutex> serial(launchMutex);
  Pool& P = thePool();
  if (!P.broken.empty()) return "the emulated device is unusable after an earlier failure: " + P.broken;
  const Kernel* k = nullptr;
  for (const Kernel& r : registry()) if (r.name == name) k = &r;
  if (!k)
    return format("no kernel named %s is registered in the emulator (UVGL_REGISTER in its .cu file)", name.c_str());
  std::string got(types, nargs);
  if (got != k->types)
    return format("kernel %s launched with %zu arguments of types (%s); its signature is %zu arguments of types (%s) "
                  "[p pointer, i int, l long long, f float]", name.c_str(), nargs, got.c_str(), k->types.size(),
                  k->types.c_str());
  const dim3 grid(dims[0], dims[1], dims[2]), block(dims[3], dims[4], dims[5]);
  const unsigned long threads = (unsigned long)block.x * block.y * block.z;
  if (threads == 0 || threads > kMaxThreads || block.z > 64)
    return format("kernel %s: block (%u,%u,%u) has %lu threads; a block has 1 to 1024 threads, z up to 64",
                  name.c_str(), block.x, block.y, block.z, threads);
  if (grid.x == 0 || grid.y == 0 || grid.z == 0 || grid.y > 65535 || grid.z > 65535 || grid.x > 0x7fffffffu)
    return format("kernel %s: grid (%u,%u,%u) out of range (x >= 1, y and z 1..65535)", name.c_str(), grid.x, grid.y,
                  grid.z);
  const size_t sharedLimit = std::max(kDefaultShared, k->maxDynamicShared);
  if (dynShared > sharedLimit)
    return format("kernel %s: %zu bytes of dynamic shared memory asked, the kernel registers at most %zu", name.c_str(),
                  dynShared, sharedLimit);
  {
    std::lock_guard<std::mutex> g(memMutex);
    for (size_t i = 0; i < nargs; ++i)
      if (types[i] == ARG_PTR && args[i] != 0 && !find((uintptr_t)args[i], 1) && !isEmptyAllocation((uintptr_t)args[i]))
        return format("kernel %s: argument %zu (role %c) is 0x%lx, not a pointer into an emulated allocation",
                      name.c_str(), i, i < k->roles.size() ? k->roles[i] : '?', (unsigned long)args[i]);
  }
  // Leaked on purpose if the watchdog fires: stuck workers still read it.
  Launch* L = new Launch();
  L->kernel = k; L->grid = grid; L->block = block; L->dynShared = dynShared; L->arenaLimit = sharedLimit;
  L->argStorage.assign(args, args + nargs);
  for (size_t i = 0; i < nargs; ++i) L->argPtrs.push_back(&L->argStorage[i]);
  L->seed = seed * 0x9E3779B97F4A7C15ull + (++launchCount);
  const long nblocks = (long)grid.x * grid.y * grid.z;
  L->blockOrder.resize(nblocks);
  for (long i = 0; i < nblocks; ++i) L->blockOrder[i] = i;
  Rng{L->seed}.shuffle(L->blockOrder);
  {
    std::unique_lock<std::mutex> g(P.m);
    P.launch = L; P.running = (int)P.workers.size(); ++P.generation;
    P.wake.notify_all();
    if (!P.finished.wait_for(g, std::chrono::milliseconds(watchdogMs), [&] { return P.running == 0; })) {
      std::string stuck;
      for (Worker* w : P.workers) {
        long b = w->runningBlock, t = w->runningThread;
        if (b < 0) continue;
        stuck += format("%sblock (%ld,%ld,%ld) thread (%ld,%ld,%ld)", stuck.empty() ? "" : "; ", b % grid.x,
                        b / grid.x % grid.y, b / ((long)grid.x * grid.y), t % block.x, t / block.x % block.y,
                        t / ((long)block.x * block.y));
      }
      L->abort = true;
      P.broken = format("watchdog: kernel %s ran past %ld ms and was stopped; still running: %s", name.c_str(),
                        watchdogMs, stuck.c_str());
      return P.broken;
    }
  }
  std::string err = L->error;
  if (err.empty()) {
    std::lock_guard<std::mutex> g(memMutex);
    for (auto& [addr, a] : allocations) {
      std::string c = describeCorruption(a, name.c_str());
      if (!c.empty()) { if (err.empty()) err = c; armCanaries(a); }
    }
  }
  delete L;
  return err;
}
