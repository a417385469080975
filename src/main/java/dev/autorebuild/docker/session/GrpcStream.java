package dev.autorebuild.docker.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP/2 stream of the session, carrying one gRPC call the engine makes to us: its request
 * headers name the method and carry the call's metadata; its DATA frames carry framed messages. Our
 * answer is response headers, framed messages, and trailers with the gRPC status.
 */
final class GrpcStream extends ChannelInboundHandlerAdapter implements GrpcCall.Reply {

    /** Opens a call: the method's handler, or null for a method we do not serve. */
    interface Router {
        GrpcCall open(String method, Map<String, List<String>> metadata, GrpcCall.Reply reply);
    }

    private final Router router;
    /** Bytes gathered before a DATA write: a few frames' worth. */
    private static final int BATCH = 128 * 1024;
    /** Messages gathered before a DATA write at most: a batch of small stats is a few hundred. */
    private static final int MAX_COMPONENTS = 512;

    private final GrpcFrames frames = new GrpcFrames();
    private final Object room = new Object();
    private CompositeByteBuf pending = Unpooled.compositeBuffer(MAX_COMPONENTS + 1);
    private Channel channel;
    private GrpcCall call;
    private boolean headersSent;
    private boolean finished;

    GrpcStream(Router router) {
        this.router = router;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2HeadersFrame headers && call == null) {
                String method = String.valueOf(headers.headers().path());
                call = router.open(method, metadata(headers.headers()), this);
                if (call == null) {
                    finish(GrpcCall.UNIMPLEMENTED, "auto-rebuild's session does not serve " + method);
                    return;
                }
                if (headers.isEndStream()) {
                    call.halfClosed(false);
                }
            } else if (msg instanceof Http2DataFrame data && call != null) {
                for (byte[] message : frames.add(ByteBufUtil.getBytes(data.content()))) {
                    call.message(message);
                }
                if (data.isEndStream()) {
                    call.halfClosed(false);
                }
            } else if (msg instanceof Http2ResetFrame && call != null) {
                call.halfClosed(true);
            }
        } catch (RuntimeException e) {
            finish(GrpcCall.UNKNOWN, String.valueOf(e.getMessage()));
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (call != null) {
            call.halfClosed(true);
        }
        synchronized (this) {
            finished = true;
            pending.release(); // what never went out
        }
    }

    /**
     * Queues one message. Messages are packed into DATA writes of about {@link #BATCH} bytes (Netty cuts
     * them into frames the engine accepts), which go out when full or on {@link #flush}: the walk's
     * hundreds of small stats cost a few writes, not one each, and a file's content is not copied again.
     * While the engine's flow-control window and our write buffer are full, the sender waits for room.
     */
    @Override
    public void send(byte[] message) {
        sendFramed(Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(GrpcFrames.prefix(message.length)), Unpooled.wrappedBuffer(message)));
    }

    /** A heap buffer of exactly that size: freed by the collector once sent, never held back in a pool after a burst. */
    @Override
    public ByteBuf allocate(int capacity) {
        return Unpooled.buffer(capacity, capacity);
    }

    @Override
    public void sendFramed(ByteBuf framed) {
        synchronized (this) {
            if (finished || !channel.isActive()) {
                framed.release();
                throw new IllegalStateException("the engine closed the call");
            }
            pending.addComponent(true, framed);
            if (pending.readableBytes() >= BATCH || pending.numComponents() >= MAX_COMPONENTS) {
                writePending(false);
                if (!channel.isWritable()) {
                    channel.flush(); // a write is only done once flushed: never wait on one that is not
                }
            }
        }
        if (!channel.eventLoop().inEventLoop()) {
            awaitRoom();
        }
    }

    /** Waits, holding no lock the event loop needs, until the channel takes writes again (or closed). */
    private void awaitRoom() {
        synchronized (room) {
            while (!channel.isWritable() && channel.isActive()) {
                try {
                    room.wait(1000); // woken by channelWritabilityChanged; the timeout only re-checks
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the engine's window was full");
                }
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        synchronized (room) {
            room.notifyAll();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public synchronized void flush() {
        if (!finished && channel.isActive() && pending.readableBytes() > 0) {
            writePending(true);
        }
    }

    private void writePending(boolean flush) {
        sendHeaders();
        DefaultHttp2DataFrame frame = new DefaultHttp2DataFrame(pending);
        pending = Unpooled.compositeBuffer(MAX_COMPONENTS + 1);
        if (flush) {
            channel.writeAndFlush(frame);
        } else {
            channel.write(frame);
        }
    }

    @Override
    public synchronized void finish(int status, String message) {
        if (finished || !channel.isActive()) {
            return;
        }
        if (pending.readableBytes() > 0) {
            writePending(false);
        }
        finished = true;
        Http2Headers trailers = headersSent ? new DefaultHttp2Headers() : responseHeaders();
        trailers.set("grpc-status", Integer.toString(status));
        if (!message.isEmpty()) {
            trailers.set("grpc-message", percentEncoded(message));
        }
        headersSent = true;
        channel.writeAndFlush(new DefaultHttp2HeadersFrame(trailers, true));
    }

    private void sendHeaders() {
        if (!headersSent) {
            headersSent = true;
            channel.write(new DefaultHttp2HeadersFrame(responseHeaders(), false));
        }
    }

    private static Http2Headers responseHeaders() {
        return new DefaultHttp2Headers().status("200").set("content-type", "application/grpc");
    }

    /** gRPC's encoding of a status message: printable ASCII as is, every other byte as %XX. */
    private static String percentEncoded(String message) {
        StringBuilder out = new StringBuilder();
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0x20 && b < 0x7f && b != '%') {
                out.append((char) b);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** The call's metadata: every header that is not a pseudo-header, values URL-decoded where the sender marked them so. */
    static Map<String, List<String>> metadata(Http2Headers headers) {
        Map<String, List<String>> metadata = new HashMap<>();
        headers.forEach(header -> {
            String name = header.getKey().toString().toLowerCase(java.util.Locale.ROOT);
            if (!name.startsWith(":")) {
                metadata.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(header.getValue().toString());
            }
        });
        Map<String, List<String>> decoded = new HashMap<>();
        metadata.forEach((name, values) -> {
            List<String> flag = metadata.get(name + "-encoded");
            boolean encoded = flag != null && !flag.isEmpty() && Boolean.parseBoolean(flag.get(0)) || flag != null && "1".equals(flag.get(0));
            decoded.put(name, encoded ? values.stream().map(v -> URLDecoder.decode(v, StandardCharsets.UTF_8)).toList() : values);
        });
        return decoded;
    }
}
