package dev.dumpflow.sidecar.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads strict JSON (RFC 8259) into plain Java values: an object becomes a {@code Map<String,
 * Object>} in document order, an array a {@code List<Object>}, a string a {@code String}, {@code
 * true}/{@code false} a {@code Boolean}, {@code null} a Java {@code null}, an integer a {@code
 * Long} (a {@code BigInteger} past its range) and any other number a {@code BigDecimal}. What the
 * sidecar reads is small and comes from people or its own files: duplicate keys, comments, trailing
 * commas and nesting deeper than {@value #MAX_DEPTH} are refused with the offset where they occur.
 */
public final class JsonParser {

    /** How deep arrays and objects may nest. */
    public static final int MAX_DEPTH = 64;

    private final String text;
    private int at;

    private JsonParser(String text) {
        this.text = text;
    }

    /**
     * Parses one JSON value, surrounded by optional whitespace.
     *
     * @throws MalformedJsonException when the text is not one JSON value
     */
    public static Object parse(String text) {
        JsonParser parser = new JsonParser(text);
        parser.skipWhitespace();
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.at < text.length()) {
            throw parser.malformed("unexpected text after the value");
        }
        return value;
    }

    /**
     * Parses UTF-8 bytes; see {@link #parse(String)}.
     *
     * @throws MalformedJsonException also when the bytes are not UTF-8
     */
    public static Object parse(byte[] utf8) {
        try {
            return parse(
                    StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(utf8)).toString());
        } catch (CharacterCodingException e) {
            throw new MalformedJsonException("not UTF-8", 0);
        }
    }

    /**
     * Parses a JSON object.
     *
     * @throws MalformedJsonException when the text is not JSON, or is JSON but not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        if (parse(text) instanceof Map<?, ?> object) {
            return (Map<String, Object>) object;
        }
        throw new MalformedJsonException("not a JSON object", 0);
    }

    private Object value(int depth) {
        if (at >= text.length()) {
            throw malformed("a value is missing");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw malformed("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        at++; // {
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (consume('}')) {
            return members;
        }
        do {
            skipWhitespace();
            if (at >= text.length() || text.charAt(at) != '"') {
                throw malformed("a member name (a string) is expected");
            }
            int nameAt = at;
            String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value(depth);
            if (members.containsKey(name)) {
                throw new MalformedJsonException("duplicate member \"" + name + "\"", nameAt);
            }
            members.put(name, value);
            skipWhitespace();
        } while (consume(','));
        expect('}');
        return members;
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        at++; // [
        List<Object> values = new ArrayList<>();
        skipWhitespace();
        if (consume(']')) {
            return values;
        }
        do {
            skipWhitespace();
            values.add(value(depth));
            skipWhitespace();
        } while (consume(','));
        expect(']');
        return values;
    }

    private String string() {
        at++; // "
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw malformed("the string is not closed");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                at--;
                throw malformed("a control character must be escaped in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw malformed("the string is not closed");
            }
            char escaped = text.charAt(at++);
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hex4());
                default -> {
                    at -= 2;
                    throw malformed("unknown escape \\" + escaped);
                }
            }
        }
    }

    private char hex4() {
        if (at + 4 > text.length()) {
            throw malformed("\\u needs four hex digits");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(at), 16);
            if (digit < 0) {
                throw malformed("\\u needs four hex digits");
            }
            code = code * 16 + digit;
            at++;
        }
        return (char) code;
    }

    private Number number() {
        int start = at;
        consume('-');
        if (consume('0')) {
            if (at < text.length() && isDigit(text.charAt(at))) {
                throw malformed("a number must not start with 0");
            }
        } else {
            digits();
        }
        boolean integral = true;
        if (consume('.')) {
            integral = false;
            digits();
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            integral = false;
            if (!consume('+')) {
                consume('-');
            }
            digits();
        }
        String literal = text.substring(start, at);
        if (!integral) {
            return new BigDecimal(literal);
        }
        BigInteger big = new BigInteger(literal);
        return big.bitLength() < 64 ? (Number) big.longValue() : big;
    }

    private void digits() {
        int start = at;
        while (at < text.length() && isDigit(text.charAt(at))) {
            at++;
        }
        if (at == start) {
            throw malformed("a digit is expected");
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw malformed("unexpected word; true, false or null expected");
        }
        at += word.length();
        return value;
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw malformed("nested deeper than " + MAX_DEPTH);
        }
    }

    private void skipWhitespace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private boolean consume(char expected) {
        if (at < text.length() && text.charAt(at) == expected) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char expected) {
        if (!consume(expected)) {
            throw malformed("'" + expected + "' expected");
        }
    }

    private MalformedJsonException malformed(String what) {
        return new MalformedJsonException(what, at);
    }
}
