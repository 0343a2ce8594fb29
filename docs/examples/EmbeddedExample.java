import com.sun.net.httpserver.HttpServer;
import dev.ssexporter.exporter.SocketStatsCollector;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A small web application that exports the TCP statistics of its own connections only: the
 * requests it serves and the calls it makes to a backend, next to its other metrics.
 *
 * <p>{@code java --enable-native-access=ALL-UNNAMED -cp ss-exporter.jar EmbeddedExample 8080 http://127.0.0.1:9000/}
 */
public class EmbeddedExample {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        URI backend = URI.create(args[1]);
        HttpClient client = HttpClient.newHttpClient();

        PrometheusRegistry registry = new PrometheusRegistry();
        try (SocketStatsCollector sockets = SocketStatsCollector.builder().ownSocketsOnly().register(registry)) {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.createContext("/metrics", new MetricsHandler(registry));
            server.createContext("/hello", exchange -> {
                String answer;
                try {
                    // The application's own work: a call to its backend on a pooled connection.
                    answer = client.send(HttpRequest.newBuilder(backend).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    answer = "interrupted";
                }
                byte[] body = ("hello, the backend says " + answer + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            System.out.println("listening on " + server.getAddress().getPort());
            Thread.currentThread().join();
        }
    }
}
