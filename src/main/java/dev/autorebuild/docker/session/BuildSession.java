package dev.autorebuild.docker.session;

import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.ignore.DockerignoreMatcher;
import io.netty.channel.EventLoopGroup;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * A BuildKit session for one build, as {@code docker build} opens one: the engine fetches the build
 * context and the Dockerfile from us over it ({@code FileSync/DiffCopy}) and keeps its copy between
 * builds, keyed by our shared key, so a build sends only the files whose size or time changed. The
 * files sent are exactly those of the context tar ({@code ContextSelection}). The session also
 * answers the build's {@code RUN --mount=type=secret} with the secrets dab.yml names ({@link Secrets}).
 */
public final class BuildSession implements Closeable {
    private static final String DIFF_COPY = "/moby.filesync.v1.FileSync/DiffCopy";
    private static final String HEALTH = "/grpc.health.v1.Health/Check";
    private static final String SECRET = "/moby.buildkit.secrets.v1.Secrets/GetSecret";
    /** {@code HealthCheckResponse { status = SERVING }}: field 1, varint 1. */
    private static final byte[] SERVING = {0x08, 0x01};
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * What a build sends.
     *
     * @param dockerfile the Dockerfile, relative to the context
     * @param secrets    the secrets a build may ask for, by id
     */
    public record Folders(Path contextDir, String dockerfile, DockerignoreMatcher ignore, Set<String> alwaysSent,
                          Set<String> neverSent, Map<String, DabConfig.Secret> secrets) {
        Path dockerfileDir() {
            Path parent = contextDir.resolve(dockerfile).normalize().getParent();
            return parent == null ? contextDir : parent;
        }

        /** The Dockerfile's name in its folder: what the build's {@code dockerfile} parameter names in a session. */
        public String dockerfileName() {
            return contextDir.resolve(dockerfile).normalize().getFileName().toString();
        }
    }

    private final String id;
    private final Http2Bridge bridge;

    private BuildSession(String id, Http2Bridge bridge) {
        this.id = id;
        this.bridge = bridge;
    }

    /** The session's id: the build names it in its {@code session} parameter. */
    public String id() {
        return id;
    }

    /**
     * Opens a session on the engine and serves it until {@link #close}.
     *
     * @param loop  runs the HTTP/2 side
     * @param files runs the file transfers (they read files, so never on {@code loop})
     */
    public static BuildSession open(EngineEndpoint endpoint, EventLoopGroup loop, ExecutorService files, TransferMemory memory,
                                    Folders folders) throws IOException {
        String id = UUID.randomUUID().toString().replace("-", "");
        EngineConnection engine = endpoint.connect(CONNECT_TIMEOUT);
        try {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            headers.add(Map.entry("X-Docker-Expose-Session-Uuid", id));
            Path name = folders.contextDir().getFileName();
            headers.add(Map.entry("X-Docker-Expose-Session-Name", name == null ? "context" : name.toString()));
            headers.add(Map.entry("X-Docker-Expose-Session-Sharedkey", memory.sharedKey(memoryKey(folders))));
            headers.add(Map.entry("X-Docker-Expose-Session-Grpc-Method", DIFF_COPY));
            headers.add(Map.entry("X-Docker-Expose-Session-Grpc-Method", HEALTH));
            headers.add(Map.entry("X-Docker-Expose-Session-Grpc-Method", SECRET));
            engine.upgrade("/session", "h2c", headers);
            return new BuildSession(id, Http2Bridge.start(loop, engine, new Router(folders, files, memory)));
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** The same context and Dockerfile are the same folders to the engine in every session: its copies are found again. */
    private static String memoryKey(Folders folders) {
        return folders.contextDir().toAbsolutePath() + "\n" + folders.dockerfile();
    }

    @Override
    public void close() {
        bridge.close();
    }

    /** The two methods a session serves; anything else is answered "unimplemented". */
    private static final class Router implements GrpcStream.Router {
        private final Folders folders;
        private final ExecutorService files;
        private final TransferMemory memory;
        /** The context's entries, walked as soon as the session opens: the engine asks for them a few times, the first within milliseconds. */
        private final java.util.concurrent.Future<SentFolder> context;

        Router(Folders folders, ExecutorService files, TransferMemory memory) {
            this.folders = folders;
            this.files = files;
            this.memory = memory;
            this.context = files.submit(() -> memory.adjusted(memoryKey(folders), "context",
                    SentFolder.context(folders.contextDir(), folders.ignore(), folders.alwaysSent(), folders.neverSent())));
        }

        @Override
        public GrpcCall open(String method, Map<String, List<String>> metadata, GrpcCall.Reply reply) {
            return switch (method) {
                case HEALTH -> new GrpcCall() {
                    @Override
                    public void message(byte[] message) {
                    }

                    @Override
                    public void halfClosed(boolean reset) {
                        if (!reset) {
                            reply.send(SERVING);
                            reply.finish(GrpcCall.OK, "");
                        }
                    }
                };
                case DIFF_COPY -> diffCopy(metadata, reply);
                case SECRET -> new Secrets(folders.secrets(), reply);
                default -> null;
            };
        }

        private GrpcCall diffCopy(Map<String, List<String>> metadata, GrpcCall.Reply reply) {
            String dir = metadata.getOrDefault("dir-name", List.of("")).get(0);
            List<String> asked = new ArrayList<>(metadata.getOrDefault("followpaths", List.of()));
            asked.addAll(metadata.getOrDefault("include-patterns", List.of()));
            // exclude-patterns are the context's .dockerignore: ContextSelection has applied them already
            String session = memoryKey(folders);
            DiffCopy call = new DiffCopy(() -> switch (dir) {
                case "context" -> context().only(asked);
                case "dockerfile" -> memory.adjusted(session, dir,
                        SentFolder.named(folders.dockerfileDir(), asked.isEmpty() ? List.of(folders.dockerfileName()) : asked));
                default -> throw new java.io.FileNotFoundException("no folder '" + dir + "' in this session");
            }, reply, (complete, sent) -> {
                if (complete) {
                    memory.sent(session, dir, sent, asked.isEmpty());
                } else {
                    memory.failed(session);
                }
            });
            files.execute(call); // the walk and the reads happen there, never on the HTTP/2 thread
            return call;
        }

        private SentFolder context() throws IOException {
            try {
                return context.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while walking the context");
            }
        }
    }
}
