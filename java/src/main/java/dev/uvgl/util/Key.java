package dev.uvgl.util;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a field of a {@link Settings} class as a config key: where its specification defines it and what it means. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Key {
    /** Section of the specification that defines the key (dmnil.md's, for DMNIL), or "" for an engine addition. */
    String section() default "";

    String doc();
}
