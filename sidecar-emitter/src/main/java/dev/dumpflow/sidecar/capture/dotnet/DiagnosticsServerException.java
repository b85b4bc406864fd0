package dev.dumpflow.sidecar.capture.dotnet;

import java.io.IOException;

/** The .NET diagnostic server answered with an error HRESULT. */
public final class DiagnosticsServerException extends IOException {

    private final int hresult;

    DiagnosticsServerException(String command, int hresult, String serverMessage) {
        super(
                command
                        + " failed with HRESULT 0x"
                        + String.format("%08X", hresult)
                        + (serverMessage == null || serverMessage.isBlank()
                                ? ""
                                : ": " + serverMessage));
        this.hresult = hresult;
    }

    /** The HRESULT the server sent. */
    public int hresult() {
        return hresult;
    }
}
