package dev.uvgl.device;

/** A device refused or failed an operation; the message names the kernel or allocation and what went wrong. */
public class DeviceException extends RuntimeException {
    public DeviceException(String message) { super(message); }
    public DeviceException(String message, Throwable cause) { super(message, cause); }
}
