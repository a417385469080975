package dev.autorebuild.docker.session;

import java.io.IOException;
import io.netty.buffer.ByteBuf;

import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The sending side of one {@code FileSync/DiffCopy} call: the folder's stats in order, an empty stat,
 * then the content of each file the engine asks for (it asks only for files whose size or time differ
 * from its copy of the last build's), until it says it has all.
 */
final class DiffCopy implements GrpcCall, Runnable {
    /** A file's content goes in messages of this size (fsutil sends 32 KiB; its receiver takes any). */
    private static final int CHUNK = 128 * 1024;
    private static final FilePacket.Incoming HUNG_UP = new FilePacket.Incoming(-1, 0, new byte[0]);

    /** What the engine asked for; read when the call runs, off the HTTP/2 thread. */
    interface FolderSource {
        SentFolder read() throws IOException;
    }

    /** How the transfer ended: {@code sent} is what the engine now holds, when it said it has all. */
    interface Outcome {
        void ended(boolean complete, SentFolder sent);
    }

    private final FolderSource source;
    private final Reply reply;
    private final Outcome outcome;
    private final BlockingQueue<FilePacket.Incoming> incoming = new LinkedBlockingQueue<>();

    DiffCopy(FolderSource source, Reply reply, Outcome outcome) {
        this.source = source;
        this.outcome = outcome;
        this.reply = reply;
    }

    @Override
    public void message(byte[] message) {
        try {
            incoming.add(FilePacket.parse(message));
        } catch (IOException e) {
            incoming.add(new FilePacket.Incoming(FilePacket.ERR, 0, ("unreadable packet: " + e.getMessage()).getBytes()));
        }
    }

    @Override
    public void halfClosed(boolean reset) {
        incoming.add(HUNG_UP);
    }

    @Override
    public void run() {
        SentFolder folder = null;
        boolean complete = false;
        try {
            folder = source.read();
            for (SentFolder.Entry entry : folder.entries()) {
                reply.send(FilePacket.stat(entry.stat()));
            }
            reply.send(FilePacket.endOfStats());
            while (true) {
                FilePacket.Incoming packet = incoming.poll();
                if (packet == null) { // nothing more asked for now: what was answered goes out before we wait
                    reply.flush();
                    packet = incoming.take();
                }
                if (packet == HUNG_UP) {
                    reply.finish(OK, "");
                    return;
                }
                switch (packet.type()) {
                    case FilePacket.REQ -> sendFile(folder, packet.id());
                    case FilePacket.FIN -> {
                        complete = true;
                        reply.send(FilePacket.fin());
                        reply.finish(OK, "");
                        return;
                    }
                    case FilePacket.ERR -> {
                        reply.finish(UNKNOWN, "error from receiver: " + new String(packet.data(), java.nio.charset.StandardCharsets.UTF_8));
                        return;
                    }
                    default -> { } // nothing else is asked of a sender
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply.finish(UNKNOWN, "the build was cancelled");
        } catch (java.io.FileNotFoundException e) {
            reply.finish(NOT_FOUND, String.valueOf(e.getMessage()));
        } catch (IOException | RuntimeException e) {
            reply.finish(UNKNOWN, String.valueOf(e.getMessage()));
        } finally {
            outcome.ended(complete, folder);
        }
    }

    private void sendFile(SentFolder folder, int id) throws IOException {
        if (id < 0 || id >= folder.entries().size() || !folder.entries().get(id).stat().isRegularFile()) {
            throw new IOException("the engine asked for entry " + Integer.toUnsignedString(id) + ", which is not a file");
        }
        SentFolder.Entry entry = folder.entries().get(id);
        try (FileChannel in = FileChannel.open(entry.file())) {
            while (true) {
                // read straight into the buffer that goes out, sized to what is left of the file (thousands of
                // small files must not each hold a chunk's worth); a file that grew meanwhile is read on
                int room = (int) Math.max(1, Math.min(CHUNK, in.size() - in.position()));
                ByteBuf message = reply.allocate(FilePacket.DATA_ROOM + room);
                message.writerIndex(FilePacket.DATA_ROOM);
                int n = readUpTo(in, message, room);
                if (n <= 0) {
                    message.release();
                    break;
                }
                FilePacket.frameData(message, id, n);
                reply.sendFramed(message);
            }
        } catch (NoSuchFileException gone) {
            // deleted since its stat was sent: an empty file now, and the deletion's event builds again
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("cannot read " + entry.stat().path() + " of the build context: permission denied"
                    + " (make it readable, or leave it out with .dockerignore)", e);
        }
        reply.send(FilePacket.data(id, new byte[0], 0));
    }

    /** Reads until {@code limit} bytes or the end of the file; the bytes read (0 at the end). */
    private static int readUpTo(FileChannel in, ByteBuf into, int limit) throws IOException {
        int total = 0;
        while (total < limit) {
            int n = into.writeBytes(in, limit - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
