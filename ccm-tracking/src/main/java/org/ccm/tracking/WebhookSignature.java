package org.ccm.tracking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * The signature of webhooks in both directions: {@code X-CCM-Signature: v1=<hex>} where
 * the hex is HMAC-SHA256 with the shared secret over the {@code X-CCM-Timestamp} value
 * (Unix seconds), a full stop and the raw body. Signing the timestamp lets the receiver
 * refuse a captured request replayed later.
 */
final class WebhookSignature {

	static final String TIMESTAMP_HEADER = "X-CCM-Timestamp";

	static final String SIGNATURE_HEADER = "X-CCM-Signature";

	private static final String VERSION = "v1=";

	private static final String ALGORITHM = "HmacSHA256";

	private WebhookSignature() {
	}

	static String sign(String secret, long timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
			mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
			return VERSION + HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

	/**
	 * Whether the signature is ours over this timestamp and body, compared in constant
	 * time. A header may carry several signatures separated by commas (while a secret is
	 * rotated); one match is enough.
	 */
	static boolean verify(String secret, long timestamp, byte[] body, @Nullable String header) {
		if (header == null || header.isBlank()) {
			return false;
		}
		byte[] expected = sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
		boolean matched = false;
		for (String presented : header.split(",")) {
			matched |= MessageDigest.isEqual(expected, presented.strip().getBytes(StandardCharsets.US_ASCII));
		}
		return matched;
	}

	/**
	 * The timestamp of the header when it is Unix seconds within {@code tolerance} of
	 * {@code now}.
	 */
	static @Nullable Long fresh(@Nullable String header, Instant now, Duration tolerance) {
		if (header == null) {
			return null;
		}
		try {
			long timestamp = Long.parseLong(header.strip());
			long skew = Math.abs(now.getEpochSecond() - timestamp);
			return (skew <= tolerance.toSeconds()) ? timestamp : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
