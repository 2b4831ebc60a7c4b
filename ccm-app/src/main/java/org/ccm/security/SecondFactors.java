package org.ccm.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.exceptions.QrGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.qr.ZxingPngQrGenerator;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import dev.samstevens.totp.util.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.encrypt.Encryptors;
import org.springframework.security.crypto.encrypt.TextEncryptor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Staff members' optional second factor: a TOTP secret (RFC 6238, 30-second steps, six
 * digits, as authenticator apps expect) enrolled by the staff member with a code from
 * their app. The secret is stored encrypted (AES-GCM, key from
 * {@code ccm.security.login.second-factor-key}) and never logged; a code is accepted once
 * only, one step either side of now to allow for clocks that drift.
 */
@Component
class SecondFactors {

	private static final Logger log = LoggerFactory.getLogger(SecondFactors.class);

	static final int PERIOD_SECONDS = 30;

	// for the key derivation only; the key itself is the secret part
	private static final String SALT = "5ec0dfac7055a17e";

	private static final String DEVELOPMENT_KEY = "ccm-development-second-factor-key";

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final TextEncryptor secrets;

	private final CodeGenerator codes = new DefaultCodeGenerator();

	private final DefaultSecretGenerator generator = new DefaultSecretGenerator();

	private final Clock clock = Clock.systemUTC();

	SecondFactors(JdbcClient jdbc, AuditLog audit, SecurityProperties properties) {
		this.jdbc = jdbc;
		this.audit = audit;
		String key = properties.login().secondFactorKey();
		if (key == null || key.isBlank()) {
			log.warn("ccm.security.login.second-factor-key (CCM_SECOND_FACTOR_KEY) is not set: staff second-factor "
					+ "secrets are encrypted with a built-in key; set one in production");
			key = DEVELOPMENT_KEY;
		}
		this.secrets = Encryptors.delux(key, SALT);
	}

	boolean enrolled(String username) {
		return jdbc.sql("SELECT count(*) FROM staff_second_factor WHERE username = :username")
			.param("username", username)
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * A new random secret (160 bits, base32) for an enrolment; nothing is stored until it
	 * is confirmed with a code.
	 */
	String newSecret() {
		return generator.generate();
	}

	/**
	 * The QR code an authenticator app scans, as a {@code data:} URI for an image.
	 */
	String qrCode(String username, String secret) {
		QrData data = new QrData.Builder().label(username)
			.secret(secret)
			.issuer("CCM")
			.digits(6)
			.period(PERIOD_SECONDS)
			.build();
		try {
			ZxingPngQrGenerator png = new ZxingPngQrGenerator();
			return Utils.getDataUriForImage(png.generate(data), png.getImageMimeType());
		}
		catch (QrGenerationException ex) {
			throw new IllegalStateException("the QR code could not be made", ex);
		}
	}

	/**
	 * Enrols the secret if the code is one of it now.
	 * @return whether the code was right (nothing is stored otherwise)
	 */
	@Transactional
	boolean enrol(String username, String secret, String code) {
		if (matchingStep(secret, code).isEmpty()) {
			return false;
		}
		jdbc.sql("""
				INSERT INTO staff_second_factor (username, secret, enrolled_at) VALUES (:username, :secret, :now)
				ON CONFLICT (username) DO UPDATE SET secret = EXCLUDED.secret, enrolled_at = EXCLUDED.enrolled_at,
				                                     last_used_step = NULL
				""")
			.param("username", username)
			.param("secret", secrets.encrypt(secret))
			.param("now", OffsetDateTime.now(clock.withZone(ZoneOffset.UTC)))
			.update();
		audit.record("second-factor.enrolled", "staff:" + username, AuditLog.Outcome.SUCCESS, null, null, null);
		return true;
	}

	/**
	 * Whether the code is right for the staff member's enrolled secret and was not used
	 * before; a right code is used up.
	 */
	@Transactional
	boolean verify(String username, String code) {
		Optional<StoredFactor> stored = jdbc
			.sql("SELECT secret, last_used_step FROM staff_second_factor WHERE username = :username FOR UPDATE")
			.param("username", username)
			.query((rs, row) -> new StoredFactor(rs.getString(1), (Long) rs.getObject(2)))
			.optional();
		if (stored.isEmpty()) {
			return false;
		}
		Optional<Long> step = matchingStep(secrets.decrypt(stored.get().secret()), code);
		Long used = stored.get().lastUsedStep();
		if (step.isEmpty() || (used != null && step.get() <= used)) {
			return false;
		}
		jdbc.sql("UPDATE staff_second_factor SET last_used_step = :step WHERE username = :username")
			.param("step", step.get())
			.param("username", username)
			.update();
		return true;
	}

	/**
	 * Removes the staff member's second factor (a lost phone); they sign in with the
	 * password alone until they enrol again.
	 * @return whether there was one
	 */
	@Transactional
	boolean reset(String username) {
		boolean removed = jdbc.sql("DELETE FROM staff_second_factor WHERE username = :username")
			.param("username", username)
			.update() > 0;
		audit.record("second-factor.reset", "staff:" + username, AuditLog.Outcome.SUCCESS, null, null,
				removed ? null : "there was none");
		return removed;
	}

	private Optional<Long> matchingStep(String secret, String code) {
		String given = code.strip();
		if (!given.matches("[0-9]{6}")) {
			return Optional.empty();
		}
		long now = clock.instant().getEpochSecond() / PERIOD_SECONDS;
		try {
			for (long step = now - 1; step <= now + 1; step++) {
				if (MessageDigest.isEqual(codes.generate(secret, step).getBytes(StandardCharsets.US_ASCII),
						given.getBytes(StandardCharsets.US_ASCII))) {
					return Optional.of(step);
				}
			}
		}
		catch (CodeGenerationException ex) {
			throw new IllegalStateException("a code could not be computed", ex);
		}
		return Optional.empty();
	}

	private record StoredFactor(String secret, Long lastUsedStep) {
	}

}
