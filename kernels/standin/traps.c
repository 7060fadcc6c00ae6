// A weak definition of every driver symbol JCuda imports (jcuda_imports.inc); driver.c's strong definitions
// replace the ones the stand-in implements. The x86-64 calling convention lets a no-argument function stand in
// for any driver call: the caller's arguments are simply ignored.
typedef int si_result;
si_result standin_unimplemented(const char* name);

#define TRAP(name) \
  __attribute__((weak, visibility("default"))) si_result name(void) { return standin_unimplemented(#name); }
#include "jcuda_imports.inc"
