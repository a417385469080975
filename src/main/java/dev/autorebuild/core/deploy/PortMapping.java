package dev.autorebuild.core.deploy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A published port as dab.yml writes it ({@code "8080:80"}, {@code "0.0.0.0:8443:443/tcp"}). Bound to
 * 127.0.0.1 unless an address is written: a development container is not for the network.
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
    private static final Pattern FORM = Pattern.compile("^(?:(\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-fA-F:]+]):)?(\\d{1,5}):(\\d{1,5})(?:/(tcp|udp))?$");

    /** Whether {@code text} is a port mapping {@link #parse} reads: the configuration checker and the parser agree by construction. */
    public static boolean isValid(String text) {
        return text != null && FORM.matcher(text.strip()).matches();
    }

    public static PortMapping parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a port mapping; write HOST:CONTAINER (e.g. \"8080:80\")");
        }
        String ip = m.group(1) == null ? "127.0.0.1" : m.group(1).replace("[", "").replace("]", "");
        return new PortMapping(ip, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4) == null ? "tcp" : m.group(4));
    }
}
