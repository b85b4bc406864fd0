package dev.dumpflow.sidecar;

/** Starts the sidecar. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.err.println("dumpflow sidecar: not yet wired");
        System.exit(2);
    }
}
