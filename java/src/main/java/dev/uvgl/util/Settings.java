package dev.uvgl.util;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A set of named values with defaults: the public fields marked {@link Key}, keyed by their names in
 * snake_case. A JSON file and `--set key=value` override them; an unknown key is an error that lists
 * the known ones, and a value of the wrong type names the type wanted. Subclasses add range checks.
 */
public abstract class Settings<S extends Settings<S>> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Thrown for a bad key or value; the message is the one line a user sees. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) { super(message); }
    }

    @SuppressWarnings("unchecked")
    private S self() { return (S) this; }

    /** Range checks with the key named, so a bad value fails before any work. */
    public abstract S validate();

    /** The key of a field: camelCase -> snake_case. */
    public static String keyOf(Field f) {
        return f.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    public static List<Field> keyFields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Field f : type.getDeclaredFields())
            if (f.isAnnotationPresent(Key.class) && !Modifier.isStatic(f.getModifiers())) out.add(f);
        return out;
    }

    public static List<String> keys(Class<?> type) { return keyFields(type).stream().map(Settings::keyOf).toList(); }

    private Field field(String key) {
        for (Field f : keyFields(getClass())) if (keyOf(f).equals(key)) return f;
        throw new ConfigException("unknown config key '" + key + "'; known keys: "
                + String.join(", ", keys(getClass())));
    }

    /** Sets one key from its text form, as --set key=value gives it. */
    public S set(String key, String value) {
        Field f = field(key);
        try {
            Class<?> t = f.getType();
            if (t == int.class) f.setInt(this, Integer.parseInt(value.trim()));
            else if (t == long.class) f.setLong(this, Long.parseLong(value.trim()));
            else if (t == double.class) f.setDouble(this, Double.parseDouble(value.trim()));
            else if (t == boolean.class) {
                String v = value.trim().toLowerCase(Locale.ROOT);
                if (!v.equals("true") && !v.equals("false")) throw new NumberFormatException();
                f.setBoolean(this, v.equals("true"));
            } else f.set(this, value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("config key '" + key + "' wants " + typeName(f.getType()) + ", got '"
                    + value + "'");
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return self();
    }

    /** Applies `key=value` overrides in order. */
    public S setAll(List<String> assignments) {
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) throw new ConfigException("--set wants key=value, got '" + a + "'");
            set(a.substring(0, eq).trim(), a.substring(eq + 1));
        }
        return self();
    }

    /** Overrides from a JSON object file; every key must be known. */
    public S load(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read config " + file + ": " + e.getMessage()
                    + "; pass a JSON object of key: value pairs");
        }
        if (root == null || !root.isObject())
            throw new ConfigException("config " + file + " is not a JSON object; write {\"key\": value, ...}");
        try {
            return setFrom(root);
        } catch (ConfigException ex) {
            throw new ConfigException("config " + file + ": " + ex.getMessage());
        }
    }

    /** Overrides from a JSON object (a saved config); every key must be known. */
    public S setFrom(JsonNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            set(e.getKey(), e.getValue().asText());
        }
        return self();
    }

    /** Every key with its value, in declaration order. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        try {
            for (Field f : keyFields(getClass())) {
                Object v = f.get(this);
                String k = keyOf(f);
                if (v instanceof Integer i) o.put(k, i);
                else if (v instanceof Long l) o.put(k, l);
                else if (v instanceof Double d) o.put(k, d);
                else if (v instanceof Boolean b) o.put(k, b);
                else o.put(k, String.valueOf(v));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return o;
    }

    public String toJsonText() {
        try {
            return JSON.writeValueAsString(toJson());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A Markdown table of every key, its default, its specification
     * section (when `sectionHeader` is given) and meaning.
     */
    public static String markdownTable(Settings<?> defaults, String sectionHeader) {
        boolean sections = sectionHeader != null;
        StringBuilder sb = new StringBuilder(sections
                ? "| key | default | " + sectionHeader + " | meaning |\n| --- | --- | --- | --- |\n"
                : "| key | default | meaning |\n| --- | --- | --- |\n");
        ObjectNode values = defaults.toJson();
        for (Field f : keyFields(defaults.getClass())) {
            Key k = f.getAnnotation(Key.class);
            sb.append("| `").append(keyOf(f)).append("` | ").append(values.get(keyOf(f)).asText());
            if (sections) sb.append(" | ").append(k.section());
            sb.append(" | ").append(k.doc()).append(" |\n");
        }
        return sb.toString();
    }

    protected static void positive(String key, long v) {
        if (v < 1) throw new ConfigException(key + " " + v + " must be at least 1");
    }

    private static String typeName(Class<?> t) {
        return t == int.class || t == long.class ? "an integer" : t == double.class ? "a number" : t == boolean.class
                ? "true or false" : "a string";
    }
}
