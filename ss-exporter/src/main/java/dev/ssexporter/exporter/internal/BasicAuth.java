package dev.ssexporter.exporter.internal;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP basic authentication against bcrypt hashes, set on every route of the server.
 *
 * <p>A request without valid credentials gets {@code 401} with
 * {@code WWW-Authenticate: Basic realm="ss-exporter", charset="UTF-8"}. Every check costs one
 * bcrypt verification: a user name that is not configured is checked against a dummy hash of the
 * same cost, so that it takes as long as a wrong password and does not tell which users exist.
 * bcrypt compares its result in constant time.
 *
 * <p>bcrypt is slow on purpose (tens of milliseconds at cost 10), and Prometheus sends the same
 * credentials with every scrape, so successful checks are remembered: by an HMAC, under a key
 * made at start-up, of user and password, never the password itself; at most
 * {@value #CACHE_SIZE} of them, forgotten all at once when full. Failures are not remembered.
 */
public final class BasicAuth extends Authenticator {
    private static final System.Logger LOG = System.getLogger(BasicAuth.class.getName());
    /** {@code $2a$}, {@code $2b$} or {@code $2y$}, a two-digit cost, 22 characters of salt and 31 of hash. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    static final int CACHE_SIZE = 256;
    /** bcrypt reads at most 72 bytes of a password, its terminating zero included. */
    private static final int MAX_PASSWORD_BYTES = 71;

    private final String realm;
    private final Map<String, String> users;
    private final String dummyHash;
    private final byte[] cacheKey = new byte[32];
    private final Map<String, Boolean> verified = new ConcurrentHashMap<>();

    /**
     * @param users user name to bcrypt hash; at least one
     */
    public BasicAuth(String realm, Map<String, String> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("basic authentication needs at least one user");
        }
        users.forEach((user, hash) -> {
            if (!isBcryptHash(hash)) {
                throw new IllegalArgumentException("the hash of user " + user + " is not a bcrypt hash");
            }
        });
        this.realm = realm;
        this.users = Map.copyOf(users);
        int cost = this.users.values().stream().mapToInt(BasicAuth::cost).max().orElseThrow();
        SecureRandom random = new SecureRandom();
        byte[] dummyPassword = new byte[16];
        random.nextBytes(dummyPassword);
        this.dummyHash = BCrypt.withDefaults().hashToString(cost, Base64.getEncoder().encodeToString(dummyPassword)
                .toCharArray());
        random.nextBytes(cacheKey);
    }

    /** Whether {@code hash} has the form of a bcrypt hash (as htpasswd and Go's bcrypt write it). */
    public static boolean isBcryptHash(String hash) {
        return BCRYPT.matcher(hash).matches();
    }

    private static int cost(String hash) {
        return Integer.parseInt(hash.substring(4, 6));
    }

    @Override
    public Result authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                decoded = null;
            }
            int colon = decoded == null ? -1 : decoded.indexOf(':');
            if (colon > 0) {
                String user = decoded.substring(0, colon);
                if (check(user, decoded.substring(colon + 1))) {
                    return new Success(new HttpPrincipal(user, realm));
                }
                LOG.log(Level.DEBUG, "wrong user or password for {0}", exchange.getRequestURI().getPath());
            }
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
        return new Retry(401);
    }

    /** One bcrypt verification, also for an unknown user; true only for a configured user's password. */
    boolean check(String user, String password) {
        String cacheEntry = cacheKey(user, password);
        String hash = users.get(user);
        if (hash != null && verified.containsKey(cacheEntry)) {
            return true;
        }
        boolean known = hash != null;
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_PASSWORD_BYTES) {
            // bcrypt cannot take it (it would ignore what is past 71 bytes); refuse it after the same work.
            bytes = new byte[] {'x'};
            known = false;
        }
        boolean matches;
        try {
            matches = BCrypt.verifyer().verify(bytes, (known ? hash : dummyHash).getBytes(StandardCharsets.US_ASCII))
                    .verified;
        } catch (IllegalArgumentException e) {
            matches = false;
        }
        if (known && matches) {
            if (verified.size() >= CACHE_SIZE) {
                verified.clear();
            }
            verified.put(cacheEntry, Boolean.TRUE);
            return true;
        }
        return false;
    }

    private String cacheKey(String user, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            mac.update(user.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
