import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * The smallest CloudEvents receiver for trying the sidecar by hand: prints each binary-mode event
 * as one JSON-ish line (receipt time in epoch nanoseconds, ce-* headers, data) and answers 202.
 *
 * <pre>java bench/sidecar/Receiver.java 18080</pre>
 */
public class Receiver {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        long at = System.currentTimeMillis();
                        String body =
                                new String(
                                        exchange.getRequestBody().readAllBytes(),
                                        StandardCharsets.UTF_8);
                        var headers = new TreeMap<String, String>();
                        exchange.getRequestHeaders()
                                .forEach(
                                        (k, v) -> {
                                            String key = k.toLowerCase();
                                            if (key.startsWith("ce-") || key.equals("content-type")) {
                                                headers.put(key, v.getFirst());
                                            }
                                        });
                        System.out.println("received_at_ms=" + at + " headers=" + headers + " data=" + body);
                        System.out.flush();
                        exchange.sendResponseHeaders(202, -1);
                    }
                });
        server.start();
        System.out.println("listening on 127.0.0.1:" + port);
    }
}
