package dev.dumpflow.analysis;

/** The HPROF basic type codes, as fields and arrays declare them. */
final class HprofType {

    static final int OBJECT = 2;
    static final int BOOLEAN = 4;
    static final int CHAR = 5;
    static final int FLOAT = 6;
    static final int DOUBLE = 7;
    static final int BYTE = 8;
    static final int SHORT = 9;
    static final int INT = 10;
    static final int LONG = 11;

    private HprofType() {}

    /**
     * Bytes a value of this type takes: in the file when {@code referenceSize} is the id size, in
     * the heap when it is the JVM's reference size. Returns -1 for an unknown type.
     */
    static int size(int type, int referenceSize) {
        return switch (type) {
            case OBJECT -> referenceSize;
            case BOOLEAN, BYTE -> 1;
            case CHAR, SHORT -> 2;
            case FLOAT, INT -> 4;
            case DOUBLE, LONG -> 8;
            default -> -1;
        };
    }

    static boolean isPrimitive(int type) {
        return type >= BOOLEAN && type <= LONG;
    }

    static String javaName(int type) {
        return switch (type) {
            case BOOLEAN -> "boolean";
            case CHAR -> "char";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case BYTE -> "byte";
            case SHORT -> "short";
            case INT -> "int";
            case LONG -> "long";
            default -> throw new IllegalArgumentException("not a primitive type: " + type);
        };
    }
}
