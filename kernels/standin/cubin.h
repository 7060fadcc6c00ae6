// What the stand-in driver needs to know about each kernel of a module, read from the sm_90 cubin inside a
// fatbin the way the real driver reads it: the launch bound, registers, static shared memory and parameters.
#pragma once
#include <stddef.h>

#define STANDIN_MAX_NAME 160

typedef struct {
  char name[STANDIN_MAX_NAME];
  unsigned max_threads;    // product of __launch_bounds__' maxntid; 0 when the kernel declares none
  unsigned registers;      // per thread, as ptxas allocated them
  unsigned static_shared;  // bytes the kernel declares, without the 1 KiB sm_90 reserves per block
  unsigned params;         // how many parameters the kernel takes
  unsigned param_size[64]; // bytes of each (4 or 8 for this engine's scalars and pointers)
} standin_kernel;

// Parses a fatbin (or a bare cubin) and returns its sm_90 kernels (count in *count; free() the array).
// Returns NULL with a one-line reason in why when the image holds no sm_90 ELF or cannot be read.
standin_kernel* standin_parse_image(const void* image, size_t* count, char* why, size_t why_len);
