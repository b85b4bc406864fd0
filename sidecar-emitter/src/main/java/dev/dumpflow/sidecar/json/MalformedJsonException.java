package dev.dumpflow.sidecar.json;

/** Text that is not the JSON expected, with the character offset where reading stopped. */
public final class MalformedJsonException extends IllegalArgumentException {

    private final int offset;

    MalformedJsonException(String what, int offset) {
        super(what + " (at character " + offset + ")");
        this.offset = offset;
    }

    /** Where in the text reading stopped, counted in chars from 0. */
    public int offset() {
        return offset;
    }
}
