package org.ccm.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The API keys of back-office systems. A key is shown once, when it is issued; only its
 * digest is stored, so neither the database nor the logs can leak it.
 */
@Service
public class ApiKeys {

	private static final String KEY_PREFIX = "ccm_";

	private final JdbcClient jdbc;

	private final SecureRandom random = new SecureRandom();

	ApiKeys(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Issues a new random key for a client and returns it; this is the only time it is
	 * visible.
	 */
	@Transactional
	public String issue(String client, Set<ApiScope> scopes) {
		byte[] secret = new byte[32];
		random.nextBytes(secret);
		String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		register(client, key, scopes);
		return key;
	}

	/**
	 * Stores a key that was generated elsewhere (the bootstrap key from the environment).
	 * Registering the same key again changes nothing; a new key for the same client
	 * replaces the old one.
	 */
	@Transactional
	public void register(String client, String key, Set<ApiScope> scopes) {
		if (key.length() < 24) {
			throw new IllegalArgumentException("an API key must have at least 24 characters");
		}
		String[] scopeValues = scopes.stream().map(ApiScope::value).sorted().toArray(String[]::new);
		jdbc.sql("""
				INSERT INTO api_key (id, client, key_prefix, key_digest, scopes)
				VALUES (:id, :client, :prefix, :digest, :scopes)
				ON CONFLICT (client) DO UPDATE SET key_prefix = excluded.key_prefix,
				    key_digest = excluded.key_digest, scopes = excluded.scopes, revoked_at = NULL
				""")
			.param("id", UUID.randomUUID())
			.param("client", client)
			.param("prefix", key.substring(0, 8))
			.param("digest", digest(key))
			.param("scopes", scopeValues)
			.update();
	}

	@Transactional
	public boolean revoke(String client) {
		return jdbc.sql("UPDATE api_key SET revoked_at = now() WHERE client = :client AND revoked_at IS NULL")
			.param("client", client)
			.update() > 0;
	}

	public List<ApiKeySummary> list() {
		return jdbc.sql("SELECT client, key_prefix, scopes, created_at, revoked_at FROM api_key ORDER BY client")
			.query((rs, row) -> new ApiKeySummary(rs.getString("client"), rs.getString("key_prefix"),
					scopes((String[]) rs.getArray("scopes").getArray()), rs.getTimestamp("created_at").toInstant(),
					rs.getTimestamp("revoked_at") != null ? rs.getTimestamp("revoked_at").toInstant() : null))
			.list();
	}

	/**
	 * The client and scopes of a presented key, if it is known and not revoked.
	 */
	Optional<ApiClient> authenticate(String presentedKey) {
		return jdbc.sql("SELECT client, scopes FROM api_key WHERE key_digest = :digest AND revoked_at IS NULL")
			.param("digest", digest(presentedKey))
			.query((rs, row) -> new ApiClient(rs.getString("client"),
					scopes((String[]) rs.getArray("scopes").getArray())))
			.optional();
	}

	private static Set<ApiScope> scopes(String[] values) {
		return Set.copyOf(Arrays.stream(values).map(ApiScope::of).toList());
	}

	private static String digest(String key) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
	}

	record ApiClient(String client, Set<ApiScope> scopes) {
	}

}
