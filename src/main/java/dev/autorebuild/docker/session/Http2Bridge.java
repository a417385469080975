package dev.autorebuild.docker.session;

import dev.autorebuild.core.Threads;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

/**
 * Serves gRPC over HTTP/2 on a connection the engine upgraded: in a BuildKit session the engine is
 * the HTTP/2 client and we answer. Netty's HTTP/2 codec runs on an in-memory channel pair; one thread
 * pumps the engine's bytes into it, and what it writes goes straight to the engine.
 */
final class Http2Bridge implements Closeable {
    private final Channel server;
    private final Channel client;
    private final EngineConnection engine;

    private Http2Bridge(Channel server, Channel client, EngineConnection engine) {
        this.server = server;
        this.client = client;
        this.engine = engine;
    }

    static Http2Bridge start(EventLoopGroup loop, EngineConnection engine, GrpcStream.Router router) throws IOException {
        LocalAddress address = new LocalAddress("dab-session-" + UUID.randomUUID());
        try {
            Channel server = new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInitializer<LocalChannel>() {
                        @Override
                        protected void initChannel(LocalChannel channel) {
                            channel.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                    new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                        @Override
                                        protected void initChannel(Http2StreamChannel stream) {
                                            // room for a few hundred KiB in flight per call: a file streams without waiting on each frame
                                            stream.config().setWriteBufferWaterMark(new WriteBufferWaterMark(256 * 1024, 1024 * 1024));
                                            stream.pipeline().addLast(new GrpcStream(router));
                                        }
                                    }));
                        }
                    })
                    .bind(address).sync().channel();
            Channel client = new Bootstrap().group(loop).channel(LocalChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
                            try {
                                ByteBuf bytes = (ByteBuf) msg;
                                byte[] copy = new byte[bytes.readableBytes()];
                                bytes.readBytes(copy);
                                engine.out().write(copy);
                            } finally {
                                ReferenceCountUtil.release(msg);
                            }
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            ctx.close(); // the engine went away: the session is over
                        }
                    })
                    .connect(address).sync().channel();
            Http2Bridge bridge = new Http2Bridge(server, client, engine);
            Threads.daemon("dab-session-in").newThread(bridge::pumpFromEngine).start();
            return bridge;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the session", e);
        }
    }

    private void pumpFromEngine() {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = engine.in();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (n > 0) {
                    client.writeAndFlush(Unpooled.copiedBuffer(buffer, 0, n));
                }
            }
        } catch (IOException e) {
            // the connection closed: the session is over either way
        } finally {
            client.close();
        }
    }

    @Override
    public void close() {
        client.close();
        server.close();
        try {
            engine.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
