package dev.dumpflow.analysis;

/** Turns the JVM's internal class names into the names Java prints for people. */
final class ClassNames {

    private ClassNames() {}

    /**
     * {@code java/lang/String} becomes {@code java.lang.String}, {@code [B} becomes {@code byte[]},
     * {@code [[Ljava/lang/Object;} becomes {@code java.lang.Object[][]}.
     */
    static String forPeople(String internal) {
        int dims = 0;
        while (dims < internal.length() && internal.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return hidden(internal.replace('/', '.'));
        }
        String element = internal.substring(dims);
        String base =
                switch (element) {
                    case "Z" -> "boolean";
                    case "C" -> "char";
                    case "F" -> "float";
                    case "D" -> "double";
                    case "B" -> "byte";
                    case "S" -> "short";
                    case "I" -> "int";
                    case "J" -> "long";
                    default ->
                            element.startsWith("L") && element.endsWith(";")
                                    ? element.substring(1, element.length() - 1).replace('/', '.')
                                    : element.replace('/', '.');
                };
        return hidden(base) + "[]".repeat(dims);
    }

    /**
     * A hidden class's symbol ends in {@code +0x<address>}; {@code Class.getName()} and jcmd print
     * it as {@code /0x<address>}.
     */
    private static String hidden(String name) {
        int plus = name.lastIndexOf("+0x");
        return plus < 0 ? name : name.substring(0, plus) + '/' + name.substring(plus + 1);
    }
}
