package dev.uvgl.dmnil;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a DmnilConfig field as a config key: where dmnil.md defines it and what it means. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface Key {
    /** dmnil.md section, e.g. "4". */
    String section();

    String doc();
}
