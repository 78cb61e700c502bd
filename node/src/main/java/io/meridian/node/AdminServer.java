package io.meridian.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin HTTP server (JDK {@link HttpServer}, or {@link HttpsServer} with a TLS context): checks
 * the caller, routes by method and path, bounds request bodies, and turns every failure into a JSON
 * error, so handlers only deal with the happy path and {@link Http.Error}s. Handlers run on a small
 * pool because writes block until committed.
 *
 * <p>Every route but the open ones ({@code /health}) needs {@code Authorization: Bearer <token>}
 * (else 401), and is refused with 403 when the request has an {@code Origin} header: browsers send
 * one on cross-site requests, and no browser page has any business driving this API. Both checks
 * come before routing, so an unauthenticated caller learns nothing about which paths exist.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    /** One endpoint's logic. */
    @FunctionalInterface
    interface Handler {
        Http.Response handle(Http.Request request) throws Exception;
    }

    private record Route(String method, String path, boolean prefix, boolean open, Handler handler) {
        boolean matches(String requestPath) {
            return prefix ? requestPath.startsWith(path) && requestPath.length() > path.length() : requestPath.equals(path);
        }
    }

    private static final String REALM = "Bearer realm=\"meridian-admin\"";

    private final List<Route> routes = new ArrayList<>();
    private final int maxBodyBytes;
    private final AdminToken token;
    private final SSLContext tls;
    private static final String NODELAY = "sun.net.httpserver.nodelay";
    private HttpServer server;
    private ExecutorService pool;

    /**
     * @param token the bearer token every route but the open ones requires
     * @param tls   serve HTTPS with this context, or null for plain HTTP
     */
    AdminServer(int maxBodyBytes, AdminToken token, SSLContext tls) {
        this.maxBodyBytes = maxBodyBytes;
        this.token = java.util.Objects.requireNonNull(token, "an admin server never runs without a token");
        this.tls = tls;
    }

    AdminServer route(String method, String path, Handler handler) {
        routes.add(new Route(method, path, false, false, handler));
        return this;
    }

    /**
     * A route that needs no token and accepts an Origin header: only for what load balancers and
     * orchestrators probe without credentials ({@code /health}), never for anything that writes.
     */
    AdminServer routeOpen(String method, String path, Handler handler) {
        routes.add(new Route(method, path, false, true, handler));
        return this;
    }

    /** A route for every path under {@code prefix} (e.g. {@code /kv/}), the rest being a parameter. */
    AdminServer routePrefix(String method, String prefix, Handler handler) {
        routes.add(new Route(method, prefix, true, false, handler));
        return this;
    }

    AdminServer start(InetSocketAddress address) throws IOException {
        // The JDK server writes a response's headers and body separately; with Nagle's algorithm the
        // body waits for the client's delayed ACK, ~40 ms per request on Linux. Read once, at the
        // first server's creation, so it must be set before it.
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        InetSocketAddress bind = address.isUnresolved()
                ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
        if (tls == null) {
            server = HttpServer.create(bind, 64);
        } else {
            HttpsServer https = HttpsServer.create(bind, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "meridian-admin-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::dispatch);
        server.start();
        LOG.info("admin {} on {} (bearer token from {})", tls == null ? "HTTP" : "HTTPS", address(), token.source());
        return this;
    }

    /** The bound address as {@code host:port} (the real port when 0 was asked). */
    public String address() {
        InetSocketAddress a = server.getAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void dispatch(HttpExchange exchange) {
        Http.Response response;
        try {
            response = route(exchange);
        } catch (Http.Error e) {
            response = e.toResponse();
        } catch (RuntimeException | Error e) {
            LOG.error("admin request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            response = new Http.Error(500, "internal", String.valueOf(e)).toResponse();
        }
        send(exchange, response);
    }

    private Http.Response route(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        if (routes.stream().noneMatch(r -> r.open() && r.method().equals(method) && r.matches(path))) {
            checkCaller(exchange);
        }
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            if (!r.matches(path)) {
                continue;
            }
            if (!r.method().equals(method)) {
                allowed.add(r.method());
                continue;
            }
            Http.Request request = new Http.Request(method, path,
                    Http.Request.parseQuery(exchange.getRequestURI().getRawQuery()), readBody(exchange),
                    headers(exchange));
            try {
                return r.handler().handle(request);
            } catch (Http.Error e) {
                throw e;
            } catch (Exception e) {
                throw ErrorMapping.toHttp(e);
            }
        }
        if (!allowed.isEmpty()) {
            exchange.getResponseHeaders().add("Allow", String.join(", ", allowed));
            throw new Http.Error(405, "method_not_allowed", method + " is not allowed on " + path + "; allowed: "
                    + String.join(", ", allowed));
        }
        throw new Http.Error(404, "not_found", "no endpoint at " + path
                + "; see /health, /status, /metrics, /cluster, /kv/{key}, /admin/switchover, /admin/promote");
    }

    /**
     * 403 for a browser, 401 without the right token. The body of a refused request is not read:
     * the connection is closed after the answer instead.
     */
    private void checkCaller(HttpExchange exchange) {
        var headers = exchange.getRequestHeaders();
        if (headers.containsKey("Origin")) {
            exchange.getResponseHeaders().set("Connection", "close");
            throw new Http.Error(403, "forbidden_origin", "requests with an Origin header (from a browser) are refused;"
                    + " use meridian ctl, curl or another non-browser client");
        }
        String authorization = headers.getFirst("Authorization");
        String presented = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null || presented.isEmpty()) {
            LOG.debug("admin request {} {} from {} without a bearer token", exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), exchange.getRemoteAddress());
            exchange.getResponseHeaders().set("WWW-Authenticate", REALM);
            exchange.getResponseHeaders().set("Connection", "close");
            throw new Http.Error(401, "unauthorized", "missing 'Authorization: Bearer <token>' header; the admin token"
                    + " is in the node's admin.tokenFile, MERIDIAN_ADMIN_TOKEN or <dataDir>/admin.token");
        }
        if (!token.matches(presented)) {
            LOG.debug("admin request {} {} from {} with a wrong bearer token", exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), exchange.getRemoteAddress());
            exchange.getResponseHeaders().set("WWW-Authenticate", REALM + ", error=\"invalid_token\"");
            exchange.getResponseHeaders().set("Connection", "close");
            throw new Http.Error(401, "unauthorized", "the bearer token is not this node's admin token");
        }
    }

    /** First value of each request header, names in lower case. */
    private static java.util.Map<String, String> headers(HttpExchange exchange) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                out.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0));
            }
        });
        return out;
    }

    private byte[] readBody(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            throw new Http.Error(400, "bad_request", "invalid Content-Length '" + declared + "'");
        }
        if (length > maxBodyBytes) {
            throw tooLarge(exchange);
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw tooLarge(exchange);
            }
            return body;
        } catch (IOException e) {
            throw new Http.Error(400, "bad_request", "cannot read the request body: " + e.getMessage());
        }
    }

    /** The unread rest of the body makes the connection unusable: close it after answering. */
    private Http.Error tooLarge(HttpExchange exchange) {
        exchange.getResponseHeaders().set("Connection", "close");
        return new Http.Error(413, "payload_too_large", "request body exceeds " + maxBodyBytes + " bytes");
    }

    private static void send(HttpExchange exchange, Http.Response response) {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (IOException e) {
            LOG.debug("client went away before the response to {} was sent", exchange.getRequestURI(), e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
