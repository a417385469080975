package dev.autorebuild.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A running daemon's HTTP side, as its owner finds it: the address and token in {@code .dab/dashboard}. */
public record Dashboard(String base, String token) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Dashboard of(Path workspace) throws IOException {
        String url = Files.readString(workspace.resolve(".dab/dashboard")).strip();
        int at = url.indexOf("/?token=");
        return new Dashboard(url.substring(0, at), url.substring(at + "/?token=".length()));
    }

    public String url() {
        return base + "/?token=" + token;
    }

    public int port() {
        return URI.create(base).getPort();
    }

    /** The server-sent events of {@code /api/events}, recorded as they arrive, until {@link #close}. */
    public static final class Events implements AutoCloseable {
        private final List<JsonNode> received = new CopyOnWriteArrayList<>();
        private final CompletableFuture<HttpResponse<Stream<String>>> response;
        private final CompletableFuture<Void> opened = new CompletableFuture<>();

        Events(Dashboard dashboard) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(dashboard.base() + "/api/events"))
                    .header("Authorization", "Bearer " + dashboard.token()).header("Accept", "text/event-stream").build();
            response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
            response.thenAcceptAsync(r -> {
                opened.complete(null);
                r.body().filter(line -> line.startsWith("data:")).forEach(line -> {
                    try {
                        received.add(JSON.readTree(line.substring("data:".length())));
                    } catch (IOException e) {
                        throw new IllegalStateException("not JSON: " + line, e);
                    }
                });
            });
        }

        /** Waits until the server answered the request (headers sent): events from now on reach this recorder. */
        public Events awaitOpen() throws Exception {
            opened.get(30, java.util.concurrent.TimeUnit.SECONDS);
            return this;
        }

        public int status() throws Exception {
            return response.get().statusCode();
        }

        public List<JsonNode> received() {
            return List.copyOf(received);
        }

        public long count(String type, String component) {
            return received.stream().filter(of(type, component)).count();
        }

        public static Predicate<JsonNode> of(String type, String component) {
            return e -> e.path("type").asText().equals(type) && e.path("data").path("component").asText().equals(component);
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
        }
    }

    public Events events() {
        return new Events(this);
    }
}
