package dev.autorebuild.docker.session;

/** One incoming gRPC call on the session: what the engine sends in it. */
interface GrpcCall {
    void message(byte[] message);

    /** The engine sent its last message (or hung up: {@code reset}). */
    void halfClosed(boolean reset);

    /** The answering side of a call. */
    interface Reply {
        /** Queues one message; waits while the engine's flow-control window is full (never on the event loop). */
        void send(byte[] message);

        /** A buffer for {@link #sendFramed}, from the connection's pool. */
        io.netty.buffer.ByteBuf allocate(int capacity);

        /** Queues a message already framed (prefix included) in a buffer, which the reply now owns. */
        void sendFramed(io.netty.buffer.ByteBuf framed);

        /** Sends what is queued: the engine is waiting for it. */
        void flush();

        /** Sends what is queued and ends the call with a gRPC status: 0 is OK. */
        void finish(int status, String message);
    }

    int OK = 0;
    int UNKNOWN = 2;
    int NOT_FOUND = 5;
    int UNIMPLEMENTED = 12;
}
