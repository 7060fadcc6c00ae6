package dev.uvgl.backend.cuda;

/**
 * How a GEMM on the device computes: BF16 rounds its inputs to bfloat16 and multiplies on tensor cores
 * with float accumulation (about 2^-8 of sum |a||b|, the fast path); FP32 stays in float32 on the SIMT
 * cores (k * 2^-24 of sum |a||b|, the path that matches the CPU backend).
 */
public enum GemmPrecision { FP32, BF16 }
