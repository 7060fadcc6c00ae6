// Shared by every kernel file. The device layer extends this header with the emulator's registration
// macro; under nvcc a launchable kernel is a plain extern "C" __global__ function (no C++ mangling, so
// the driver API finds it by name).
#pragma once
#include <cstdint>

#define UVGL_KERNEL extern "C" __global__
