// JNI entry points of libuvgl_emu.so for dev.uvgl.device.EmuNative. Each returns null on success or
// a one-line error; copies check that the whole range lies inside one emulated allocation.
#include <jni.h>
#include <cstring>
#include <string>
#include <vector>
#include "emu_device.h"

namespace {
jstring result(JNIEnv* env, const std::string& err) { return err.empty() ? nullptr : env->NewStringUTF(err.c_str()); }
std::string str(JNIEnv* env, jstring s) {
  if (!s) return "";
  const char* c = env->GetStringUTFChars(s, nullptr);
  std::string r(c);
  env->ReleaseStringUTFChars(s, c);
  return r;
}
}  // namespace

#define EMU(ret, name) extern "C" JNIEXPORT ret JNICALL Java_dev_uvgl_device_EmuNative_##name

EMU(jstring, configure)(JNIEnv* env, jclass, jlong cap, jint threads, jlong seed, jlong watchdogMs) {
  return result(env, emuConfigure(cap, threads, seed, watchdogMs));
}
EMU(jlong, alloc)(JNIEnv* env, jclass, jlong bytes, jstring label) {
  return (jlong)emuAlloc((size_t)bytes, str(env, label));
}
EMU(jstring, lastError)(JNIEnv* env, jclass) { return env->NewStringUTF(emuLastError().c_str()); }
EMU(jstring, free)(JNIEnv* env, jclass, jlong p) { return result(env, emuFree((uintptr_t)p)); }
EMU(jstring, arm)(JNIEnv* env, jclass, jlong p, jlong size) { return result(env, emuArm((uintptr_t)p, (size_t)size)); }
EMU(jstring, poison)(JNIEnv* env, jclass, jlong p) { return result(env, emuPoison((uintptr_t)p)); }
EMU(jlong, inUse)(JNIEnv*, jclass) { return (jlong)emuInUse(); }
EMU(jlong, capacity)(JNIEnv*, jclass) { return (jlong)emuCapacity(); }
EMU(jstring, registry)(JNIEnv* env, jclass) { return env->NewStringUTF(emuRegistry().c_str()); }

// Host array <-> device bytes. elemSize is the Java array's element size; offsets and counts are in elements.
EMU(jstring, copyIn)(JNIEnv* env, jclass, jlong dst, jobject array, jint elemSize, jint off, jint n) {
  std::string e = emuCheckRange((uintptr_t)dst, (size_t)n * elemSize, "copy to the device");
  if (!e.empty()) return result(env, e);
  void* a = env->GetPrimitiveArrayCritical((jarray)array, nullptr);
  std::memcpy((void*)dst, (char*)a + (size_t)off * elemSize, (size_t)n * elemSize);
  env->ReleasePrimitiveArrayCritical((jarray)array, a, JNI_ABORT);
  return nullptr;
}
EMU(jstring, copyOut)(JNIEnv* env, jclass, jlong src, jobject array, jint elemSize, jint off, jint n) {
  std::string e = emuCheckRange((uintptr_t)src, (size_t)n * elemSize, "copy from the device");
  if (!e.empty()) return result(env, e);
  void* a = env->GetPrimitiveArrayCritical((jarray)array, nullptr);
  std::memcpy((char*)a + (size_t)off * elemSize, (void*)src, (size_t)n * elemSize);
  env->ReleasePrimitiveArrayCritical((jarray)array, a, 0);
  return nullptr;
}
EMU(jstring, copyD2D)(JNIEnv* env, jclass, jlong dst, jlong src, jlong bytes) {
  std::string e = emuCheckRange((uintptr_t)src, (size_t)bytes, "device-to-device copy source");
  if (e.empty()) e = emuCheckRange((uintptr_t)dst, (size_t)bytes, "device-to-device copy destination");
  if (e.empty()) std::memmove((void*)dst, (void*)src, (size_t)bytes);
  return result(env, e);
}

EMU(jstring, launch)(JNIEnv* env, jclass, jstring kernel, jintArray dims, jint shared, jlongArray args,
                     jbyteArray types) {
  jint d[6];
  env->GetIntArrayRegion(dims, 0, 6, d);
  unsigned ud[6];
  for (int i = 0; i < 6; ++i) {
    if (d[i] < 0) return env->NewStringUTF("grid and block sizes must be positive");
    ud[i] = (unsigned)d[i];
  }
  const jsize n = env->GetArrayLength(args);
  if (env->GetArrayLength(types) != n) return env->NewStringUTF("argument values and types differ in count");
  std::vector<int64_t> a(n);
  std::vector<char> t(n + 1, 0);
  env->GetLongArrayRegion(args, 0, n, reinterpret_cast<jlong*>(a.data()));
  env->GetByteArrayRegion(types, 0, n, reinterpret_cast<jbyte*>(t.data()));
  return result(env, emuLaunch(str(env, kernel), ud, (size_t)shared, a.data(), t.data(), (size_t)n));
}
