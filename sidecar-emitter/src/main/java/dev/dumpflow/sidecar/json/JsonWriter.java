package dev.dumpflow.sidecar.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the sidecar's few JSON shapes: the contract's event records, small maps for HTTP answers
 * and the capture ledger. Records become objects with their components in declaration order; a
 * record annotated {@code @JsonInclude(NON_NULL)} leaves out its null components; an enum with a
 * {@code @JsonValue} method is written as that method's value; {@link Instant} as ISO-8601. This is
 * what Jackson writes for the same values (the tests hold it to that), without loading Jackson's
 * few hundred classes into a sidecar whose memory is the budget.
 */
public final class JsonWriter {

    private static final ClassValue<RecordComponent[]> COMPONENTS =
            new ClassValue<>() {
                @Override
                protected RecordComponent[] computeValue(Class<?> type) {
                    RecordComponent[] components = type.getRecordComponents();
                    for (RecordComponent component : components) {
                        component.getAccessor().setAccessible(true);
                    }
                    return components;
                }
            };

    private static final ClassValue<Boolean> OMITS_NULLS =
            new ClassValue<>() {
                @Override
                protected Boolean computeValue(Class<?> type) {
                    JsonInclude include = type.getAnnotation(JsonInclude.class);
                    return include != null
                            && (include.value() == JsonInclude.Include.NON_NULL
                                    || include.value() == JsonInclude.Include.NON_ABSENT);
                }
            };

    private static final ClassValue<Method> ENUM_VALUE =
            new ClassValue<>() {
                @Override
                protected Method computeValue(Class<?> type) {
                    for (Method method : type.getMethods()) {
                        if (method.isAnnotationPresent(JsonValue.class)
                                && method.getParameterCount() == 0) {
                            return method;
                        }
                    }
                    return null;
                }
            };

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsonWriter() {}

    /**
     * The value as UTF-8 JSON.
     *
     * @throws IllegalArgumentException for a value with no JSON form (a non-finite number, a map
     *     with non-string keys, a type this writer does not know), naming it
     */
    public static byte[] toBytes(Object value) {
        return toJson(value).getBytes(StandardCharsets.UTF_8);
    }

    /** The value as JSON text; see {@link #toBytes}. */
    public static String toJson(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int depth) {
        if (depth > JsonParser.MAX_DEPTH) {
            throw new IllegalArgumentException("nested deeper than " + JsonParser.MAX_DEPTH);
        }
        switch (value) {
            case null -> out.append("null");
            case CharSequence text -> string(out, text);
            case Boolean bool -> out.append(bool.booleanValue());
            case Integer _, Long _, Short _, Byte _, BigInteger _, BigDecimal _ ->
                    out.append(value);
            case Double d -> out.append(finite(d, d.isNaN() || d.isInfinite()));
            case Float f -> out.append(finite(f, f.isNaN() || f.isInfinite()));
            case Enum<?> constant -> enumValue(out, constant, depth);
            case Instant instant -> string(out, instant.toString());
            case URI uri -> string(out, uri.toString());
            case UUID uuid -> string(out, uuid.toString());
            case Map<?, ?> map -> object(out, map, depth);
            case Collection<?> list -> array(out, list, depth);
            case Object[] array -> array(out, java.util.Arrays.asList(array), depth);
            case Record record -> record(out, record, depth);
            default ->
                    throw new IllegalArgumentException(
                            "cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static Number finite(Number number, boolean notFinite) {
        if (notFinite) {
            throw new IllegalArgumentException("JSON has no form for the number " + number);
        }
        return number;
    }

    private static void enumValue(StringBuilder out, Enum<?> constant, int depth) {
        Method wire = ENUM_VALUE.get(constant.getDeclaringClass());
        if (wire == null) {
            string(out, constant.name());
            return;
        }
        write(out, invoke(wire, constant), depth + 1);
    }

    private static void object(StringBuilder out, Map<?, ?> map, int depth) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException(
                        "JSON object keys are strings, not " + entry.getKey());
            }
            first = member(out, first, key);
            write(out, entry.getValue(), depth + 1);
        }
        out.append('}');
    }

    private static void record(StringBuilder out, Record record, int depth) {
        boolean omitNulls = OMITS_NULLS.get(record.getClass());
        out.append('{');
        boolean first = true;
        for (RecordComponent component : COMPONENTS.get(record.getClass())) {
            Object value = invoke(component.getAccessor(), record);
            if (value == null && omitNulls) {
                continue;
            }
            first = member(out, first, component.getName());
            write(out, value, depth + 1);
        }
        out.append('}');
    }

    private static boolean member(StringBuilder out, boolean first, String name) {
        if (!first) {
            out.append(',');
        }
        string(out, name);
        out.append(':');
        return false;
    }

    private static void array(StringBuilder out, Collection<?> values, int depth) {
        out.append('[');
        boolean first = true;
        for (Object value : values) {
            if (!first) {
                out.append(',');
            }
            first = false;
            write(out, value, depth + 1);
        }
        out.append(']');
    }

    private static void string(StringBuilder out, CharSequence text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static Object invoke(Method accessor, Object target) {
        try {
            return accessor.invoke(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + accessor, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("reading " + accessor + " failed", e.getCause());
        }
    }
}
