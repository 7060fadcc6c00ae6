package dev.uvgl.device;

/** A point in a device's compute stream, recorded for timing and ordering. */
public interface DeviceEvent extends AutoCloseable {
    @Override void close();
}
