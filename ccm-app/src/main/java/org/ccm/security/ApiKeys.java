package org.ccm.security;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The API keys of back-office systems. A key is shown once, when it is issued; only its
 * digest is stored, so neither the database nor the logs can leak it. Each instance keeps
 * what it read about a key for {@code ccm.security.api-key-cache-ttl} at most, so a
 * revocation holds on every instance within that time.
 */
@Service
public class ApiKeys {

	private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

	private static final String KEY_PREFIX = "ccm_";

	private static final int MAX_NAME = 100;

	private static final String COLUMNS = """
			id, client, key_prefix, scopes, created_at, created_by, expires_at, allowed_ranges, last_used_at,
			revoked_at, revoked_by""";

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final SecurityProperties properties;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	@Autowired
	ApiKeys(JdbcClient jdbc, AuditLog audit, SecurityProperties properties) {
		this(jdbc, audit, properties, Clock.systemUTC());
	}

	ApiKeys(JdbcClient jdbc, AuditLog audit, SecurityProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Issues a new random key and returns it with its summary; this is the only time the
	 * key is visible.
	 * @throws InvalidApiKeyException naming each field that is not acceptable
	 */
	@Transactional
	public IssuedApiKey issue(NewApiKey request, String issuedBy) {
		Map<String, String> problems = new LinkedHashMap<>();
		String name = (request.name() != null) ? request.name().strip() : "";
		if (name.isEmpty() || name.length() > MAX_NAME || !name.chars().allMatch((c) -> c >= 0x20 && c != 0x7f)) {
			problems.put("name", "must be 1 to " + MAX_NAME + " printable characters");
		}
		else if (activeNamed(name)) {
			problems.put("name", "is already the name of a key in force; revoke that key first");
		}
		if (request.scopes().isEmpty()) {
			problems.put("scopes", "must name at least one scope");
		}
		if (request.expiresAt() != null && !request.expiresAt().isAfter(clock.instant())) {
			problems.put("expiresAt", "must be in the future");
		}
		for (int i = 0; i < request.allowedRanges().size(); i++) {
			String range = request.allowedRanges().get(i);
			if (!validRange(range)) {
				problems.put("allowedRanges[" + i + "]", "must be an address or a CIDR range such as 10.0.0.0/8");
			}
		}
		if (!problems.isEmpty()) {
			throw new InvalidApiKeyException(problems);
		}
		byte[] secret = new byte[32];
		random.nextBytes(secret);
		String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		UUID id = insert(name, key, request.scopes(), request.expiresAt(),
				request.allowedRanges().stream().map(String::strip).toList(), issuedBy);
		ApiKeySummary summary = find(id).orElseThrow();
		audit.record("api-key.issued", "api-key:" + id + " " + name, AuditLog.Outcome.SUCCESS, null,
				AuditLog.digest(summary.toString()), "scopes " + scopeValues(request.scopes()));
		return new IssuedApiKey(summary, key);
	}

	/**
	 * Issues a key with the given scopes, usable from anywhere and without expiry.
	 */
	public String issue(String client, Set<ApiScope> scopes) {
		return issue(new NewApiKey(client, scopes, null, List.of()), "system").key();
	}

	/**
	 * Stores a key that was generated elsewhere (the bootstrap key from the environment)
	 * unless it is known already, in force or revoked: a restart never brings back a key
	 * that was revoked.
	 * @return whether the key was stored
	 */
	@Transactional
	public boolean register(String client, String key, Set<ApiScope> scopes) {
		if (key.length() < 24) {
			throw new IllegalArgumentException("an API key must have at least 24 characters");
		}
		boolean known = jdbc.sql("SELECT count(*) FROM api_key WHERE key_digest = :digest")
			.param("digest", AuditLog.digest(key))
			.query(Long.class)
			.single() > 0;
		if (known) {
			return false;
		}
		if (activeNamed(client)) {
			log.warn("A key named '{}' is in force; the configured key was not registered. Revoke the old key to "
					+ "replace it.", client);
			return false;
		}
		UUID id = insert(client, key, scopes, null, List.of(), "configuration");
		audit.record("configuration", AuditLog.ActorType.SYSTEM, "api-key.registered", "api-key:" + id + " " + client,
				AuditLog.Outcome.SUCCESS, null, null, "scopes " + scopeValues(scopes));
		return true;
	}

	private UUID insert(String client, String key, Set<ApiScope> scopes, @Nullable Instant expiresAt,
			List<String> ranges, String createdBy) {
		UUID id = UUID.randomUUID();
		jdbc.sql("""
				INSERT INTO api_key (id, client, key_prefix, key_digest, scopes, expires_at, allowed_ranges, created_by)
				VALUES (:id, :client, :prefix, :digest, :scopes, :expiresAt, :ranges, :createdBy)
				""")
			.param("id", id)
			.param("client", client)
			.param("prefix", key.substring(0, 8))
			.param("digest", AuditLog.digest(key))
			.param("scopes", scopes.stream().map(ApiScope::value).sorted().toArray(String[]::new))
			.param("expiresAt", (expiresAt != null) ? OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC) : null)
			.param("ranges", ranges.toArray(String[]::new))
			.param("createdBy", createdBy)
			.update();
		return id;
	}

	/**
	 * Revokes a key; this instance forgets it at once, the others within the cache time.
	 */
	@Transactional
	public boolean revoke(UUID id, String revokedBy) {
		Optional<String> revoked = jdbc.sql("""
				UPDATE api_key SET revoked_at = now(), revoked_by = :by WHERE id = :id AND revoked_at IS NULL
				RETURNING client""").param("id", id).param("by", revokedBy).query(String.class).optional();
		revoked.ifPresent((client) -> {
			cache.values().removeIf((cached) -> cached.client().id().equals(id));
			audit.record("api-key.revoked", "api-key:" + id + " " + client, AuditLog.Outcome.SUCCESS, null, null, null);
		});
		return revoked.isPresent();
	}

	/**
	 * Revokes the key in force under a name.
	 */
	@Transactional
	public boolean revoke(String client) {
		return jdbc.sql("SELECT id FROM api_key WHERE client = :client AND revoked_at IS NULL")
			.param("client", client)
			.query(UUID.class)
			.optional()
			.map((id) -> revoke(id, "system"))
			.orElse(false);
	}

	public List<ApiKeySummary> list() {
		return jdbc.sql("SELECT " + COLUMNS + " FROM api_key ORDER BY revoked_at IS NOT NULL, client, created_at")
			.query((rs, row) -> summary(rs))
			.list();
	}

	public Optional<ApiKeySummary> find(UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM api_key WHERE id = :id")
			.param("id", id)
			.query((rs, row) -> summary(rs))
			.optional();
	}

	/**
	 * The client and scopes of a presented key, if it is known, in force and used from an
	 * allowed address. Reading a key from the database also notes when it was last used.
	 */
	Optional<ApiClient> authenticate(String presentedKey, String clientAddress) {
		String digest = AuditLog.digest(presentedKey);
		Instant now = clock.instant();
		Cached cached = cache.get(digest);
		if (cached == null || !cached.readAt().plus(properties.apiKeyCacheTtl()).isAfter(now)) {
			cached = jdbc.sql("""
					UPDATE api_key SET last_used_at = now()
					WHERE key_digest = :digest AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
					RETURNING id, client, scopes, expires_at, allowed_ranges
					""")
				.param("digest", digest)
				.query((rs, row) -> new ApiClient(rs.getObject("id", UUID.class), rs.getString("client"),
						scopes(rs.getArray("scopes").getArray()), instant(rs, "expires_at"),
						ranges(rs.getArray("allowed_ranges").getArray())))
				.optional()
				.map((client) -> new Cached(client, now))
				.orElse(null);
			if (cached == null) {
				cache.remove(digest);
				return Optional.empty();
			}
			cache.put(digest, cached);
		}
		ApiClient client = cached.client();
		if ((client.expiresAt() != null && !client.expiresAt().isAfter(now)) || !client.allowedFrom(clientAddress)) {
			return Optional.empty();
		}
		return Optional.of(client);
	}

	private boolean activeNamed(String client) {
		return jdbc.sql("SELECT count(*) FROM api_key WHERE client = :client AND revoked_at IS NULL")
			.param("client", client)
			.query(Long.class)
			.single() > 0;
	}

	private static boolean validRange(@Nullable String range) {
		if (range == null || range.isBlank()) {
			return false;
		}
		try {
			new IpAddressMatcher(range.strip());
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static ApiKeySummary summary(ResultSet rs) throws SQLException {
		return new ApiKeySummary(rs.getObject("id", UUID.class), rs.getString("client"), rs.getString("key_prefix"),
				scopes(rs.getArray("scopes").getArray()), instant(rs, "created_at"), rs.getString("created_by"),
				instant(rs, "expires_at"), Arrays.asList((String[]) rs.getArray("allowed_ranges").getArray()),
				instant(rs, "last_used_at"), instant(rs, "revoked_at"), rs.getString("revoked_by"));
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static Set<ApiScope> scopes(Object values) {
		// scopes this version does not know (written by a newer one) are ignored
		return Set.copyOf(Arrays.stream((String[]) values).flatMap((v) -> ApiScope.find(v).stream()).toList());
	}

	private static List<IpAddressMatcher> ranges(Object values) {
		return Arrays.stream((String[]) values).map(IpAddressMatcher::new).toList();
	}

	private static String scopeValues(Set<ApiScope> scopes) {
		return String.join(" ", scopes.stream().map(ApiScope::value).sorted().toList());
	}

	/**
	 * What an administrator asks for when issuing a key.
	 */
	public record NewApiKey(@Nullable String name, Set<ApiScope> scopes, @Nullable Instant expiresAt,
			List<String> allowedRanges) {

	}

	/**
	 * A key just issued: the only moment its secret is known.
	 */
	public record IssuedApiKey(ApiKeySummary summary, String key) {

		@Override
		public String toString() {
			return "IssuedApiKey[" + summary + "]";
		}

	}

	record ApiClient(UUID id, String client, Set<ApiScope> scopes, @Nullable Instant expiresAt,
			List<IpAddressMatcher> allowedRanges) {

		boolean allowedFrom(String address) {
			return allowedRanges.isEmpty() || allowedRanges.stream().anyMatch((range) -> range.matches(address));
		}

	}

	private record Cached(ApiClient client, Instant readAt) {
	}

}
