package dev.dumpflow.sidecar.capture.dotnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosticsIpcClientTest {

    @TempDir Path tmp;

    private Path socket() {
        return tmp.resolve("dotnet-diagnostic-4242-99-socket");
    }

    private DiagnosticsIpcClient client() {
        return new DiagnosticsIpcClient(socket(), Duration.ofSeconds(10));
    }

    @Test
    void sendsGenerateCoreDump3ByteForByteAsTheDocumentGivesIt() throws Exception {
        try (var server =
                new DocumentedDiagnosticServer(socket(), r -> DocumentedDiagnosticServer.ok())) {
            assertThat(client().writeDump("/d/a", DotnetDumpType.WITH_HEAP)).isEqualTo(3);

            assertThat(server.requests()).hasSize(1);
            String expected =
                    "444f544e45545f4950435f563100" // magic "DOTNET_IPC_V1\0"
                            + "2a00" // size 42 = 20 header + 22 payload
                            + "01" // command set Dump
                            + "03" // GenerateCoreDump3
                            + "0000" // reserved
                            + "05000000" // dumpName: 5 UTF-16 chars with the NUL
                            + "2f0064002f0061000000" // "/d/a\0"
                            + "02000000" // dumpType WithHeap
                            + "00000000"; // flags
            assertThat(HexFormat.of().formatHex(server.requests().getFirst().bytes()))
                    .isEqualTo(expected);
        }
    }

    @Test
    void fallsBackFromThreeToTwoToOneOnUnknownCommand() throws Exception {
        try (var server =
                new DocumentedDiagnosticServer(
                        socket(),
                        r ->
                                r.commandId() == 1
                                        ? DocumentedDiagnosticServer.ok()
                                        : DocumentedDiagnosticServer.error(
                                                DocumentedDiagnosticServer
                                                        .CORDIAGIPC_E_UNKNOWN_COMMAND))) {
            assertThat(client().writeDump("/dumps/x.dmp", DotnetDumpType.FULL)).isEqualTo(1);

            assertThat(server.requests())
                    .extracting(
                            DocumentedDiagnosticServer.Request::commandSet,
                            DocumentedDiagnosticServer.Request::commandId)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1, 3),
                            org.assertj.core.groups.Tuple.tuple(1, 2),
                            org.assertj.core.groups.Tuple.tuple(1, 1));
            assertThat(server.requests())
                    .extracting(DocumentedDiagnosticServer.Request::dumpName)
                    .containsOnly("/dumps/x.dmp");
        }
    }

    @Test
    void stopsAtGenerateCoreDump2WhenItIsKnown() throws Exception {
        try (var server =
                new DocumentedDiagnosticServer(
                        socket(),
                        r ->
                                r.commandId() == 3
                                        ? DocumentedDiagnosticServer.error(
                                                DocumentedDiagnosticServer
                                                        .CORDIAGIPC_E_UNKNOWN_COMMAND)
                                        : DocumentedDiagnosticServer.ok())) {
            assertThat(client().writeDump("/dumps/x.dmp", DotnetDumpType.NORMAL)).isEqualTo(2);
            assertThat(server.requests()).hasSize(2);
        }
    }

    @Test
    void anErrorHresultFailsWithItsValueAndMessageAndDoesNotFallBack() throws Exception {
        try (var server =
                new DocumentedDiagnosticServer(
                        socket(),
                        r ->
                                DocumentedDiagnosticServer.error(
                                        DocumentedDiagnosticServer.E_FAIL,
                                        "Problem launching createdump"))) {
            assertThatThrownBy(() -> client().writeDump("/dumps/x.dmp", DotnetDumpType.WITH_HEAP))
                    .isInstanceOfSatisfying(
                            DiagnosticsServerException.class,
                            e -> assertThat(e.hresult()).isEqualTo(0x80004005))
                    .hasMessageContaining("GenerateCoreDump3")
                    .hasMessageContaining("0x80004005")
                    .hasMessageContaining("Problem launching createdump");
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void unknownCommandEvenForGenerateCoreDumpIsAnError() throws Exception {
        try (var server =
                new DocumentedDiagnosticServer(
                        socket(),
                        r ->
                                DocumentedDiagnosticServer.error(
                                        DocumentedDiagnosticServer.CORDIAGIPC_E_UNKNOWN_COMMAND))) {
            assertThatThrownBy(() -> client().writeDump("/dumps/x.dmp", DotnetDumpType.WITH_HEAP))
                    .isInstanceOf(DiagnosticsServerException.class)
                    .hasMessageContaining("0x80131385");
            assertThat(server.requests()).hasSize(3);
        }
    }

    @Test
    void aServerThatClosesWithoutAnAnswerIsAnIoError() throws Exception {
        try (var server = new DocumentedDiagnosticServer(socket(), r -> null)) {
            assertThatThrownBy(() -> client().writeDump("/dumps/x.dmp", DotnetDumpType.WITH_HEAP))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("closed the connection");
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (var server =
                new DocumentedDiagnosticServer(
                        socket(),
                        r -> {
                            try {
                                Thread.sleep(1_500);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return null;
                        })) {
            DiagnosticsIpcClient impatient =
                    new DiagnosticsIpcClient(socket(), Duration.ofMillis(300));
            assertThatThrownBy(() -> impatient.writeDump("/dumps/x.dmp", DotnetDumpType.WITH_HEAP))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("did not answer within");
        }
    }
}
