package org.ccm.tracking;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.ccm.core.Channel;
import org.ccm.tracking.TrackingToken.Delivery;
import org.ccm.tracking.TrackingToken.Kind;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Signs and verifies link tokens: {@code base64url(payload) "." base64url(HMAC-SHA256)}.
 * The MAC is computed over the encoded payload and compared as encoded text, so a change
 * of any character, including the unused low bits of the last base64 character, is
 * refused.
 */
@Component
class TrackingTokens {

	private static final byte VERSION = 1;

	private static final String ALGORITHM = "HmacSHA256";

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private final SecretKeySpec key;

	// a Mac looked up and keyed once per thread: the provider look-up and key set-up
	// cost more than signing a token; doFinal leaves it ready for the next one
	private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::keyedMac);

	@Autowired
	TrackingTokens(TrackingProperties properties) {
		this(properties.signingSecret());
	}

	TrackingTokens(String secret) {
		byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
		if (bytes.length < TrackingProperties.MIN_SECRET_BYTES) {
			throw new IllegalArgumentException("the tracking signing secret must be at least 32 bytes long");
		}
		this.key = new SecretKeySpec(bytes, ALGORITHM);
	}

	String sign(TrackingToken token) {
		String payload = ENCODER.encodeToString(encode(token));
		return payload + "." + mac(payload);
	}

	/**
	 * The token if it is intact, signed with our key and of the expected kind.
	 */
	Optional<TrackingToken> verify(@Nullable String token, Kind expected) {
		if (token == null) {
			return Optional.empty();
		}
		int dot = token.indexOf('.');
		if (dot <= 0 || dot != token.lastIndexOf('.') || dot == token.length() - 1) {
			return Optional.empty();
		}
		String payload = token.substring(0, dot);
		byte[] presented = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
		byte[] computed = mac(payload).getBytes(StandardCharsets.US_ASCII);
		if (!MessageDigest.isEqual(computed, presented)) {
			return Optional.empty();
		}
		return decode(payload).filter((decoded) -> decoded.kind() == expected);
	}

	private String mac(String payload) {
		return ENCODER.encodeToString(this.macs.get().doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
	}

	private Mac keyedMac() {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

	private static byte[] encode(TrackingToken token) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(96);
		out.write(VERSION);
		out.write(token.kind().code);
		writeUuid(out, token.customerId());
		Delivery delivery = token.delivery();
		if (delivery != null) {
			byte[] channel = delivery.channel().name().getBytes(StandardCharsets.US_ASCII);
			out.write(channel.length);
			out.writeBytes(channel);
			writeUuid(out, delivery.deliveryId());
			writeUuid(out, delivery.communicationId());
		}
		String target = token.target();
		if (target != null) {
			out.writeBytes(target.getBytes(StandardCharsets.UTF_8));
		}
		Instant issuedAt = token.issuedAt();
		if (issuedAt != null) {
			out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(issuedAt.getEpochSecond()).array());
		}
		return out.toByteArray();
	}

	private static Optional<TrackingToken> decode(String payload) {
		try {
			ByteBuffer in = ByteBuffer.wrap(DECODER.decode(payload));
			if (in.get() != VERSION) {
				return Optional.empty();
			}
			Kind kind = Kind.of(in.get());
			if (kind == null) {
				return Optional.empty();
			}
			UUID customerId = readUuid(in);
			if (kind == Kind.PORTAL) {
				Instant issuedAt = Instant.ofEpochSecond(in.getLong());
				return in.hasRemaining() ? Optional.empty() : Optional.of(TrackingToken.portal(customerId, issuedAt));
			}
			byte[] channel = new byte[in.get() & 0xff];
			in.get(channel);
			Delivery delivery = new Delivery(readUuid(in), readUuid(in),
					Channel.valueOf(new String(channel, StandardCharsets.US_ASCII)));
			if (kind != Kind.CLICK) {
				return in.hasRemaining() ? Optional.empty()
						: Optional.of(new TrackingToken(kind, customerId, delivery, null));
			}
			String target = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(in)
				.toString();
			return Optional.of(TrackingToken.click(customerId, delivery, target));
		}
		catch (IllegalArgumentException | BufferUnderflowException | CharacterCodingException
				| java.time.DateTimeException ex) {
			// only reachable with our own signature on a payload we did not write (a key
			// reused
			// by another format): treat it as any other invalid token
			return Optional.empty();
		}
	}

	private static void writeUuid(ByteArrayOutputStream out, UUID uuid) {
		out.writeBytes(ByteBuffer.allocate(16)
			.putLong(uuid.getMostSignificantBits())
			.putLong(uuid.getLeastSignificantBits())
			.array());
	}

	private static UUID readUuid(ByteBuffer in) {
		return new UUID(in.getLong(), in.getLong());
	}

}
