package dev.uvgl.device;

/** Device memory ran out even after the caching allocator gave its cached blocks back. */
public final class DeviceOutOfMemoryException extends DeviceException {
    public DeviceOutOfMemoryException(String message) { super(message); }
}
