package dev.uvgl.device;

/** A block of device memory: its address on the device, the bytes asked for, and what it holds (for error messages). */
public record DeviceBuffer(long address, long bytes, String label) {}
