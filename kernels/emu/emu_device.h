// The emulated device's host API, called by the JNI layer (emu_jni.cpp). Errors come back as a
// non-empty string naming the kernel and what went wrong; an empty string means success.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

std::string emuConfigure(long long capacity, int threads, long long seed, long long watchdogMs);
std::string emuLastError();
uintptr_t emuAlloc(size_t bytes, const std::string& label);
std::string emuFree(uintptr_t p);
std::string emuArm(uintptr_t p, size_t size);
std::string emuPoison(uintptr_t p);
std::string emuCheckRange(uintptr_t p, size_t bytes, const char* what);
size_t emuInUse();
size_t emuCapacity();
std::string emuRegistry();
std::string emuLaunch(const std::string& name, const unsigned dims[6], size_t dynShared, const int64_t* args,
                      const char* types, size_t nargs);
