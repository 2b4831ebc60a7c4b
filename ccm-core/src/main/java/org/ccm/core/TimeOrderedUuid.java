package org.ccm.core;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUID version 7 (RFC 9562): time-ordered, so primary-key indexes of append-heavy tables
 * grow at their right edge instead of splitting pages at random.
 */
final class TimeOrderedUuid {

	private static final SecureRandom random = new SecureRandom();

	private TimeOrderedUuid() {
	}

	static UUID next() {
		long millis = System.currentTimeMillis();
		long randomA = random.nextInt(1 << 12);
		long randomB = random.nextLong();
		long most = (millis << 16) | 0x7000L | randomA;
		long least = (randomB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(most, least);
	}

}
